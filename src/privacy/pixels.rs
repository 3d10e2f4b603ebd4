//! Faces and documents drawn pixelated beyond recognition. Saving is not showing: these are used
//! only on what is drawn, never on what is saved.

use image::DynamicImage;
use image::imageops::FilterType;

/// Blocks across the longer side: enough to see that there is a card or a face and how it is
/// framed, far too few to recognise anyone or read a number.
const BLOCKS: u32 = 8;

/// `image` shrunk to [`BLOCKS`] blocks across its longer side (each block the mean of its pixels)
/// and scaled back up with hard edges, so it keeps its size and layout.
pub fn pixelate(image: &DynamicImage) -> DynamicImage {
    let (w, h) = (image.width().max(1), image.height().max(1));
    let long = w.max(h);
    let small_w = (w * BLOCKS).div_ceil(long).max(1);
    let small_h = (h * BLOCKS).div_ceil(long).max(1);
    let small = image.resize_exact(small_w, small_h, FilterType::Triangle);
    small.resize_exact(w, h, FilterType::Nearest)
}

/// Encoded bytes decoded and pixelated; `None` when they do not decode (the caller then draws
/// a placeholder, never the original).
pub fn pixelate_encoded(bytes: &[u8], limits: &crate::images::Limits) -> Option<DynamicImage> {
    crate::images::decode(bytes, limits)
        .ok()
        .map(|i| pixelate(&i))
}
