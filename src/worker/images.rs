//! Images: fetching (cache, download, transparent refresh of expired links), decoding off the
//! runtime's threads, and saving.

use std::sync::Arc;

use super::{Shared, lock};
use crate::api::ApiError;
use crate::app::{ImageFailure, Message, SaveFailure};
use crate::images;
use crate::images::ImageView;
use crate::images::{CellSize, ImageRequest, RenderedImage};
use crate::source::{Fresh, find_link};

pub(super) async fn fetch_image(
    shared: Arc<Shared>,
    request: ImageRequest,
    area: CellSize,
    view: ImageView,
) -> Result<Arc<RenderedImage>, ImageFailure> {
    let bytes = image_bytes(&shared, &request).await?;
    let kind = request.link.kind;
    let picker = shared.picker.clone();
    let limits = shared.limits.clone();
    tokio::task::spawn_blocking(move || {
        images::prepare(&bytes, kind, picker.as_ref(), area, view, &limits)
    })
    .await
    .map_err(|e| ImageFailure::Other(format!("decoding stopped: {e}")))?
    .map(Arc::new)
    .map_err(ImageFailure::from)
}

/// The image's bytes: from the cache, else downloaded through the source, which re-signs a
/// stale link once; whatever it fetched to do so is kept and told to the app.
async fn image_bytes(shared: &Shared, request: &ImageRequest) -> Result<Arc<Vec<u8>>, ApiError> {
    if let Some(bytes) = lock(&shared.bytes).get(&request.key) {
        return Ok(bytes);
    }
    let what = format!(
        "{} of process {}",
        request.link.kind.label(),
        crate::api::client::short(&request.key.process_id)
    );
    let url = fresher_link(shared, request).unwrap_or_else(|| request.link.url.clone());
    let keep = |fresh| match fresh {
        Fresh::Result { process_id, result } => {
            shared.remember(&process_id, result.clone());
            shared.send(Message::FreshResult { process_id, result });
        }
        Fresh::Details {
            validation_id,
            details,
        } => shared.send(Message::FreshDetails {
            validation_id,
            details,
        }),
    };
    let bytes = shared.source.image(&request.key, &url, &what, keep).await?;
    let bytes = Arc::new(bytes);
    lock(&shared.bytes).insert(request.key.clone(), bytes.clone());
    Ok(bytes)
}

/// A link from a newer result than the one the app had when it asked, if the worker has one.
fn fresher_link(shared: &Shared, request: &ImageRequest) -> Option<String> {
    let latest = lock(&shared.latest);
    find_link(latest.get(&request.key.process_id)?, &request.key)
}

/// Saves one image. Saves take turns (see `Shared::save_lane`).
pub(super) async fn save_one(
    shared: Arc<Shared>,
    request: ImageRequest,
) -> Result<images::SaveOutcome, SaveFailure> {
    let _turn = shared.save_lane.lock().await;
    let bytes = image_bytes(&shared, &request).await?;
    let name = images::save_name(&request.key.process_id, &request.link, &bytes);
    let dir = shared.download_dir.clone();
    let process_id = request.key.process_id.clone();
    tokio::task::spawn_blocking(move || images::save(&dir, &process_id, &name, &bytes))
        .await
        .map_err(|e| SaveFailure::Other(format!("saving stopped: {e}")))?
        .map_err(SaveFailure::from)
}
