//! Images: from downloaded bytes to a picture in the terminal, and to a file on disk.
//!
//! - [`sniff`] says what a file is from its bytes, never from its URL;
//! - [`decode`] turns JPEG/PNG bytes into pixels within [`Limits`], refusing bombs from the header;
//! - [`render`] encodes pixels for the terminal's protocol at one pane size;
//! - [`prepare`] is all of that in the one call the worker makes on the blocking pool;
//! - [`picker_for`] chooses the protocol at start-up, [`palette_for`] the half-blocks' colours
//!   ([`recolor`] maps a drawn picture to the xterm 256-colour palette);
//! - [`ByteCache`] keeps downloaded bytes in memory so a new pane size does not re-download;
//! - [`save`] writes a file atomically, 0600, never overwriting, under sanitised names.
//!
//! Nothing here panics on any input bytes: every failure is an [`ImageError`] or [`SaveError`]
//! worded for the status bar.

mod cache;
mod colors;
mod decode;
mod error;
pub mod face;
mod palette;
mod picker;
mod render;
mod save;
mod sniff;
mod types;
mod view;

pub use cache::ByteCache;
pub use colors::{palette_for, read_terminfo};
pub use decode::{Limits, decode, dimensions, inside_guard};
pub use error::ImageError;
pub use palette::{Palette, in_palette, recolor, xterm256};
pub use picker::{keep_image_colours, picker_for, protocol_label};
pub use render::{Growth, drawn_size, render};
pub use save::{SaveError, SaveOutcome, save, save_name};
pub use sniff::{extension, sniff};
pub use types::{CellSize, ImageInfo, ImageKey, ImageRequest, RenderedImage};
pub use view::{ImageView, Region};

use ratatui_image::picker::Picker;

use crate::api::model::ImageKind;

/// Everything between downloaded bytes and a drawable image, for one pane size. CPU-bound: call
/// it inside `spawn_blocking`.
///
/// - files that are not pictures (a PDF; unrecognised bytes behind a link not expected to be a
///   picture) and every file when images are off (`picker` is `None`) give their [`ImageInfo`]
///   with no protocol: the UI shows the facts and offers to save;
/// - pictures are decoded within `limits`, cropped to `view` (a zoomed region, or the face on a
///   document when one is found) and encoded for `picker` to fit `area`;
/// - anything else (corrupt, too large, an undecodable format) is an error saying what to do.
pub fn prepare(
    bytes: &[u8],
    kind: ImageKind,
    picker: Option<&Picker>,
    area: CellSize,
    view: ImageView,
    limits: &Limits,
) -> Result<RenderedImage, ImageError> {
    let format = sniff(bytes);
    let mut info = ImageInfo {
        kind,
        width: 0,
        height: 0,
        bytes: bytes.len(),
        format: format.unwrap_or("unknown"),
    };
    let not_a_picture = format == Some("pdf") || (format.is_none() && !kind.is_picture());
    let Some(picker) = picker.filter(|_| !not_a_picture) else {
        if let Some((width, height)) = dimensions(bytes, limits) {
            (info.width, info.height) = (width, height);
        }
        return Ok(RenderedImage {
            info,
            protocol: None,
            shown: Region::WHOLE,
            portrait: None,
        });
    };
    let image = decode(bytes, limits)?;
    let (width, height) = (image.width(), image.height());
    (info.width, info.height) = (width, height);
    let (shown, portrait) = match view {
        ImageView::Whole => (Region::WHOLE, None),
        ImageView::Region(region) => (region, None),
        ImageView::Portrait => match face::find_face_cached(bytes, &image) {
            Some(found) => {
                let font = picker.font_size();
                let aspect = f64::from(area.0) * f64::from(font.width)
                    / (f64::from(area.1) * f64::from(font.height)).max(1.0);
                let region = face::portrait_region(found, width, height, aspect);
                (region, Some(true))
            }
            None => (Region::WHOLE, Some(false)),
        },
    };
    let protocol = if shown.is_whole() {
        render(picker, &image, area, Growth::Limited)?
    } else {
        // A part shown closer fills the pane: each zoom step draws it larger than the last.
        let (x, y, w, h) = shown.to_pixels(width, height);
        render(picker, &image.crop_imm(x, y, w, h), area, Growth::Fill)?
    };
    Ok(RenderedImage {
        info,
        protocol: Some(protocol),
        shown,
        portrait,
    })
}
