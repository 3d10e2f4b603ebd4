//! Zoom and pan: which part of an image is shown, as plain data the app keeps per image side.
//!
//! A card photographed at 3000×2000 pixels and fitted into half a terminal shows its portrait as a
//! few cells; the reviewer needs to look closer. The app keeps, per side (the preview, each side
//! of compare), the region of the image to show, tied to the image it was chosen for: moving to
//! another image or process forgets it by construction. The worker crops to the region off the UI
//! thread before encoding, and images are cached per (image, area, view).

use std::collections::HashMap;

use crate::images::{ImageKey, ImageView, Region};

/// The image sides the zoom keys act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Preview,
    /// Compare's left side: the document.
    Document,
    /// Compare's right side: the selfie.
    Selfie,
}

impl Side {
    /// How a side starts: the document on its portrait, everything else whole.
    pub fn start_view(self) -> ImageView {
        match self {
            Side::Document => ImageView::Portrait,
            Side::Preview | Side::Selfie => ImageView::Whole,
        }
    }
}

/// The region the reviewer chose per side, for the image it was chosen on.
#[derive(Debug, Default)]
pub struct Zooms {
    chosen: HashMap<Side, (ImageKey, Region)>,
}

impl Zooms {
    /// The view of `key` on `side`: the reviewer's region if they chose one for this image, else
    /// the side's starting view.
    pub fn view(&self, side: Side, key: &ImageKey) -> ImageView {
        match self.chosen.get(&side) {
            Some((k, region)) if k == key => ImageView::Region(*region),
            _ => side.start_view(),
        }
    }

    /// The reviewer zoomed into this image on this side (movement keys then pan it).
    pub fn is_zoomed(&self, side: Side, key: &ImageKey) -> bool {
        matches!(self.chosen.get(&side), Some((k, r)) if k == key && !r.is_whole())
    }

    pub fn set(&mut self, side: Side, key: ImageKey, region: Region) {
        self.chosen.insert(side, (key, region));
    }

    /// Back to the side's starting view.
    pub fn reset(&mut self, side: Side) {
        self.chosen.remove(&side);
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_region_belongs_to_its_image() {
        let key = |f: &str| ImageKey {
            process_id: "IDP1".into(),
            validation_id: "V".into(),
            field: f.into(),
        };
        let mut zooms = Zooms::default();
        assert_eq!(zooms.view(Side::Document, &key("a")), ImageView::Portrait);
        let r = Region::WHOLE.zoom(true);
        zooms.set(Side::Document, key("a"), r);
        assert_eq!(zooms.view(Side::Document, &key("a")), ImageView::Region(r));
        assert!(zooms.is_zoomed(Side::Document, &key("a")));
        assert_eq!(zooms.view(Side::Document, &key("b")), ImageView::Portrait);
        assert!(!zooms.is_zoomed(Side::Selfie, &key("a")));
        zooms.reset(Side::Document);
        assert_eq!(zooms.view(Side::Document, &key("a")), ImageView::Portrait);
    }
}
