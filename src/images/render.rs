//! Encoding a decoded image for the terminal, sized for one pane.
//!
//! ratatui-image resizes to the area itself, but with a nearest-neighbour filter on the full
//! image; a 12 MP phone photo would be resampled at full size for a pane of a few hundred
//! thousand pixels. We first shrink it to about the pane's pixel size with a cheap averaging
//! filter, so encoding costs little more than decoding and the result is not aliased.

use image::DynamicImage;
use image::imageops::FilterType;
use ratatui::layout::Size;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use ratatui_image::protocol::Protocol;

use super::CellSize;
use super::decode::guard;
use super::error::ImageError;

/// Encodes `image` to fit `area` (columns, rows) with `picker`'s protocol, keeping its aspect
/// ratio; the returned protocol's size never exceeds `area`. Small images are enlarged up to 4×.
pub fn render(
    picker: &Picker,
    image: &DynamicImage,
    area: CellSize,
) -> Result<Protocol, ImageError> {
    let (columns, rows) = area;
    if columns == 0 || rows == 0 {
        return Err(ImageError::NoRoom { area });
    }
    let font = picker.font_size();
    if font.width == 0 || font.height == 0 {
        return Err(ImageError::Encode(
            "the terminal reported a zero font size; try --image-protocol halfblocks".into(),
        ));
    }
    let max_width = u32::from(columns) * u32::from(font.width);
    let max_height = u32::from(rows) * u32::from(font.height);
    let fitted = if image.width() > max_width || image.height() > max_height {
        image.thumbnail(max_width, max_height)
    } else {
        // A small photo drawn at its natural size is a thumbnail in a large pane; enlarge it
        // (at most 4×, beyond which it shows only blur) so a reviewer can see the face.
        let w = max_width.min(image.width().saturating_mul(4));
        let h = max_height.min(image.height().saturating_mul(4));
        image.resize(w, h, FilterType::Triangle)
    };
    guard("image", || {
        picker
            .new_protocol(
                fitted,
                Size::new(columns, rows),
                Resize::Fit(Some(FilterType::Triangle)),
            )
            .map_err(|e| ImageError::Encode(e.to_string()))
    })
}
