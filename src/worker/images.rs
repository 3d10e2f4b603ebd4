//! Images: fetching (cache, download, transparent refresh of expired links), decoding off the
//! runtime's threads, and saving.

use std::sync::Arc;

use super::{Shared, lock};
use crate::api::ApiError;
use crate::api::model::ProcessResult;
use crate::app::{ImageFailure, Message, SaveFailure};
use crate::images;
use crate::images::ImageView;
use crate::images::{CellSize, ImageKey, ImageRequest, RenderedImage};

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

/// The image's bytes: from the cache, else downloaded; a stale link is refreshed once.
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
    let bytes = match shared.source.file(&request.key, &url, &what).await {
        Err(e) if e.is_stale_link() => {
            tracing::info!(%what, "image link stale; re-fetching the result for fresh links");
            let fresh = refresh_link(shared, request).await?;
            shared.source.file(&request.key, &fresh, &what).await?
        }
        other => other?,
    };
    let bytes = Arc::new(bytes);
    lock(&shared.bytes).insert(request.key.clone(), bytes.clone());
    Ok(bytes)
}

/// A link from a newer result than the one the app had when it asked, if the worker has one.
fn fresher_link(shared: &Shared, request: &ImageRequest) -> Option<String> {
    let latest = lock(&shared.latest);
    find_link(latest.get(&request.key.process_id)?, &request.key)
}

async fn refresh_link(shared: &Shared, request: &ImageRequest) -> Result<String, ApiError> {
    let process_id = &request.key.process_id;
    let fetched = shared.source.result(process_id).await?;
    let result = Arc::new(fetched.parsed);
    shared.remember(process_id, result.clone());
    shared.send(Message::FreshResult {
        process_id: process_id.clone(),
        result: result.clone(),
    });
    if let Some(link) = find_link(&result, &request.key) {
        return Ok(link);
    }
    // Links found only in the Validations API's details (e.g. `user_response.input_files`) are
    // re-signed by fetching the details again.
    let gone = || ApiError::LinkExpired {
        what: format!(
            "{} (no longer in the process result or its details)",
            request.key.field
        ),
    };
    let validation_id = result
        .validation_by_key(&request.key.validation_id)
        .and_then(|v| v.validation_id.clone())
        .ok_or_else(gone)?;
    let details = Arc::new(shared.source.details(&validation_id).await?.parsed);
    let link = details
        .validation
        .images
        .iter()
        .find(|l| l.field == request.key.field)
        .map(|l| l.url.clone());
    shared.send(Message::FreshDetails {
        validation_id,
        details,
    });
    link.ok_or_else(gone)
}

/// The link for a key in a result: same validation (see `ProcessResult::validation_key`), same
/// field.
pub fn find_link(result: &ProcessResult, key: &ImageKey) -> Option<String> {
    result
        .validation_by_key(&key.validation_id)?
        .images
        .iter()
        .find(|l| l.field == key.field)
        .map(|l| l.url.clone())
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
