//! Encoding a decoded image for the terminal, sized for one pane.
//!
//! ratatui-image resizes to the area itself, but with a nearest-neighbour filter on the full
//! image, and it never enlarges: a 12 MP phone photo would be resampled at full size for a pane
//! of a few hundred thousand pixels, and a small crop would stay small. We first bring it to the
//! size it is drawn at ([`drawn_size`]) with an averaging filter, so encoding costs little more
//! than decoding, the result is not aliased, and a crop fills its pane.

use image::DynamicImage;
use image::imageops::FilterType;
use ratatui::layout::Size;
use ratatui_image::Resize;
use ratatui_image::picker::Picker;
use ratatui_image::protocol::Protocol;

use super::CellSize;
use super::decode::guard;
use super::error::ImageError;

/// How far a whole photo smaller than its pane is enlarged: beyond 4× it shows only blur.
const MAX_GROWTH: f64 = 4.0;

/// How an image smaller than its pane is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Growth {
    /// A whole photo: enlarged at most [`MAX_GROWTH`]×, so a thumbnail is not blown up to blur.
    Limited,
    /// A part the reviewer asked to see closer (a zoomed region, the portrait on a card):
    /// enlarged to fill the pane, so each zoom step draws the face larger than the last.
    Fill,
}

/// The size in pixels an image of `size` pixels is drawn at in `room` pixels: its aspect ratio
/// kept, never larger than `room`, never smaller than one pixel; shrunk to fit, or enlarged as
/// `growth` allows.
pub fn drawn_size(size: (u32, u32), room: (u32, u32), growth: Growth) -> (u32, u32) {
    let (w, h) = (f64::from(size.0.max(1)), f64::from(size.1.max(1)));
    let (rw, rh) = (f64::from(room.0), f64::from(room.1));
    let mut scale = (rw / w).min(rh / h);
    if scale > 1.0 && growth == Growth::Limited {
        scale = scale.min(MAX_GROWTH);
    }
    // Bounded by `room` before the cast, so it cannot truncate.
    let side = |len: f64, max: f64| (len * scale).round().clamp(1.0, max.max(1.0)) as u32;
    (side(w, rw), side(h, rh))
}

/// Encodes `image` to fit `area` (columns, rows) with `picker`'s protocol, keeping its aspect
/// ratio; the returned protocol's size never exceeds `area`. A smaller image is enlarged as
/// `growth` says.
pub fn render(
    picker: &Picker,
    image: &DynamicImage,
    area: CellSize,
    growth: Growth,
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
    let room = (
        u32::from(columns) * u32::from(font.width),
        u32::from(rows) * u32::from(font.height),
    );
    let (w, h) = drawn_size((image.width(), image.height()), room, growth);
    let fitted = if w < image.width() {
        image.thumbnail_exact(w, h)
    } else if w > image.width() {
        image.resize_exact(w, h, FilterType::Triangle)
    } else {
        image.clone()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::Region;
    use crate::images::face::{Face, portrait_region};

    /// A 600×380 pane (60×19 cells of 10×20 pixels).
    const PANE: (u32, u32) = (600, 380);

    /// Screen pixels per image pixel when `region` of a `size` image is drawn in [`PANE`].
    fn face_scale(region: Region, size: (u32, u32)) -> f64 {
        let (_, _, w, h) = region.to_pixels(size.0, size.1);
        let growth = if region.is_whole() {
            Growth::Limited
        } else {
            Growth::Fill
        };
        f64::from(drawn_size((w, h), PANE, growth).0) / f64::from(w)
    }

    #[test]
    fn each_zoom_step_draws_the_image_larger_until_the_smallest_region() {
        // A small card (the size a compressed upload often has) and a large one.
        for size in [(480, 300), (3000, 2000)] {
            let mut region = Region::WHOLE;
            let mut scale = face_scale(region, size);
            loop {
                let closer = region.zoom(true);
                if closer == region {
                    break;
                }
                let next = face_scale(closer, size);
                assert!(
                    next > scale,
                    "{size:?}: {closer:?} drawn at {next:.2}× after {scale:.2}×"
                );
                (region, scale) = (closer, next);
            }
            // And each step back out draws it smaller, down to the whole photo.
            while !region.is_whole() {
                let out = region.zoom(false);
                assert!(face_scale(out, size) < face_scale(region, size));
                region = out;
            }
        }
    }

    #[test]
    fn a_crop_fills_the_pane_and_a_whole_photo_grows_at_most_four_times() {
        assert_eq!(drawn_size((60, 38), PANE, Growth::Fill), (600, 380));
        assert_eq!(drawn_size((60, 38), PANE, Growth::Limited), (240, 152));
        assert_eq!(drawn_size((3000, 1900), PANE, Growth::Limited), (600, 380));
        // Shaped unlike the pane: fitted by its tighter side, its shape kept.
        assert_eq!(drawn_size((100, 200), PANE, Growth::Fill), (190, 380));
        assert_eq!(drawn_size((0, 0), (0, 0), Growth::Fill), (1, 1));
    }

    #[test]
    fn the_portrait_on_a_card_starts_at_least_as_large_as_the_selfie_beside_it() {
        // A 640×400 card with a 60×70 face, beside a 480×640 selfie, in panes of the same size.
        let card = (640, 400);
        let face = Face {
            rect: (60, 120, 60, 70),
            score: 0.9,
        };
        let aspect = f64::from(PANE.0) / f64::from(PANE.1);
        let portrait = portrait_region(face, card.0, card.1, aspect);
        let (_, _, w, h) = portrait.to_pixels(card.0, card.1);
        let document = drawn_size((w, h), PANE, Growth::Fill);
        let selfie = drawn_size((480, 640), PANE, Growth::Limited);
        assert!(
            document.0 >= selfie.0 && document.1 >= selfie.1,
            "portrait {document:?} beside selfie {selfie:?}"
        );
        // One step closer draws the face larger; one step out (towards the whole card) smaller.
        let scale = |r: Region| {
            let (_, _, w, h) = r.to_pixels(card.0, card.1);
            f64::from(drawn_size((w, h), PANE, Growth::Fill).0) / f64::from(w)
        };
        assert!(scale(portrait.zoom(true)) > scale(portrait));
        assert!(scale(portrait.zoom(false)) < scale(portrait));
        let whole = f64::from(drawn_size(card, PANE, Growth::Limited).0) / f64::from(card.0);
        assert!(
            whole < scale(portrait),
            "the whole card is not the largest face"
        );
    }
}
