//! `show`'s images: each one fetched (a stale link re-signed once), captioned, and drawn by viuer
//! into the scrollback; each one drawn is told to the access log.

use std::io::Write;
use std::sync::Arc;

use super::{ShowError, ShowOptions, emit, record::Recorder};
use crate::api::ApiError;
use crate::api::model::ProcessResult;
use crate::images::ImageKey;
use crate::images::{self, Limits};
use crate::privacy;
use crate::sanitize::terminal_text;
use crate::source::{Fresh, Source, find_link};

/// Each image of the process, captioned, drawn by viuer at `width` columns.
pub(super) async fn print_images<W: Write + Send>(
    source: &Source,
    process_id: &str,
    result: &ProcessResult,
    opts: &ShowOptions,
    out: &mut W,
    recorder: &Recorder,
) -> Result<(), ShowError> {
    let mut latest = Arc::new(result.clone());
    emit(out, b"\nImages\n")?;
    for v in &result.validations {
        let validation_id = result.validation_key(v);
        for link in &v.images {
            let key = ImageKey {
                process_id: process_id.to_owned(),
                validation_id: validation_id.clone(),
                field: link.field.clone(),
            };
            let caption = format!(
                "{} {} ({})",
                terminal_text(v.type_name()),
                terminal_text(&link.field),
                link.kind.label()
            );
            match image_bytes(source, &key, &mut latest, &link.url, link.kind.label()).await {
                Ok(bytes) => {
                    if draw(out, &caption, &bytes, opts)? {
                        recorder.image(process_id, link.kind);
                    }
                }
                Err(e) => {
                    let line = format!("  {caption}: {}\n", terminal_text(&e.to_string()));
                    emit(out, line.as_bytes())?;
                }
            }
        }
    }
    Ok(())
}

/// The bytes of one image, by the newest link `show` has; a stale one is re-signed once by the
/// source, and the result it fetched to do so serves the process's next images.
async fn image_bytes(
    source: &Source,
    key: &ImageKey,
    latest: &mut Arc<ProcessResult>,
    url: &str,
    what: &str,
) -> Result<Vec<u8>, ApiError> {
    let url = find_link(latest, key).unwrap_or_else(|| url.to_owned());
    let keep = |fresh| {
        if let Fresh::Result { result, .. } = fresh {
            *latest = result;
        }
    };
    source.image(key, &url, what, keep).await
}

/// Draws one image; says whether it was drawn (what the access log records).
fn draw(
    out: &mut impl Write,
    caption: &str,
    bytes: &[u8],
    opts: &ShowOptions,
) -> Result<bool, ShowError> {
    let format = images::sniff(bytes).unwrap_or("unknown");
    if !matches!(format, "jpeg" | "png") {
        let line = format!(
            "  {caption}: {format}, {} bytes (not drawn; save it from the browser or the export)\n",
            bytes.len()
        );
        return emit(out, line.as_bytes()).map(|()| false);
    }
    match images::decode(bytes, &Limits::default()) {
        Ok(image) => {
            let line = format!(
                "  {caption}: {}×{} {format}{}\n",
                image.width(),
                image.height(),
                if opts.private { ", pixelated" } else { "" }
            );
            let image = if opts.private {
                privacy::pixelate(&image)
            } else {
                image
            };
            emit(out, line.as_bytes())?;
            let config = viuer::Config {
                absolute_offset: false,
                x: 2,
                width: Some(opts.width.max(4)),
                use_kitty: false,
                ..viuer::Config::default()
            };
            if let Err(e) = viuer::print(&image, &config) {
                let line = format!("  (could not draw it: {})\n", terminal_text(&e.to_string()));
                emit(out, line.as_bytes())?;
                return Ok(false);
            }
            Ok(true)
        }
        Err(e) => {
            let line = format!("  {caption}: {}\n", terminal_text(&e.to_string()));
            emit(out, line.as_bytes()).map(|()| false)
        }
    }
}
