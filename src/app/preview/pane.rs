//! The preview as a component: the images encoded for the screen ([`Images`]), the region chosen
//! per image side (zoom and pan, [`Zooms`]), and whether the selection has rested long enough for
//! images to be fetched ([`Rest`]). Its keys: `+`, `-`, `0` zoom the preview's picture (or, in
//! compare, the active side's), and once a side is zoomed the movement keys pan it.

use ratatui::layout::Rect;

use super::rest::Rest;
use super::zoom::{Side, Zooms};
use super::{ImageState, Images, auto_fetches, comparison, preview_request};
use crate::app::layout::Panes;
use crate::app::message::Job;
use crate::app::outbox::Outbox;
use crate::app::tree::ResultView;
use crate::images::{CellSize, ImageKey, ImageRequest, ImageView, Region};
use crate::keymap::Action;

/// An image to show: which, at what cell size, in which view.
pub type Target<'a> = (&'a ImageRequest, CellSize, ImageView);

#[derive(Debug, Default)]
pub struct Preview {
    pub images: Images,
    /// The region chosen per image side.
    zooms: Zooms,
    pub rest: Rest,
}

impl Preview {
    /// The view an image on `side` is shown in.
    pub fn view(&self, side: Side, key: &ImageKey) -> ImageView {
        self.zooms.view(side, key)
    }

    /// One zoom step on `side`, whose picture is `image` (drawn in that many cells), or back to
    /// the side's starting view. A step starts from what is on screen: the reviewer's region,
    /// or the region the worker drew (the portrait it found).
    pub fn zoom(
        &mut self,
        side: Side,
        action: Action,
        image: Option<(&ImageRequest, CellSize)>,
        out: &mut Outbox,
    ) {
        let Some((request, area)) = image else {
            out.info("no picture here to zoom");
            return;
        };
        let key = request.key.clone();
        if action == Action::ZoomReset {
            self.zooms.reset(side);
            return;
        }
        let view = self.zooms.view(side, &key);
        let base = match view {
            ImageView::Region(region) => region,
            other => self
                .images
                .rendered(&key, area, other)
                .map_or(Region::WHOLE, |image| image.shown),
        };
        self.zooms
            .set(side, key, base.zoom(action == Action::ZoomIn));
    }

    /// Pans `side` if the reviewer zoomed into its picture (`image`); false (the key does its
    /// usual job) if not.
    pub fn pan(&mut self, side: Side, action: Action, image: Option<&ImageRequest>) -> bool {
        let Some(request) = image else {
            return false;
        };
        let key = request.key.clone();
        if !self.zooms.is_zoomed(side, &key) {
            return false;
        }
        let (dx, dy) = match action {
            Action::Up => (0, -1),
            Action::Down => (0, 1),
            Action::Left => (-1, 0),
            Action::Right => (1, 0),
            _ => return false,
        };
        if let ImageView::Region(region) = self.zooms.view(side, &key) {
            self.zooms.set(side, key, region.pan(dx, dy));
        }
        true
    }

    /// The images on screen once the selection has rested: the preview's picture, or both
    /// sides of compare (`compare` open), each at the cell size the ui draws it.
    pub fn targets<'a>(
        &self,
        view: &'a ResultView,
        compare: bool,
        panes: &Panes,
    ) -> Vec<Target<'a>> {
        let mut targets = Vec::new();
        let ResultView::Ready { tree, result, .. } = view else {
            return targets;
        };
        if !self.rest.rested() {
            return targets;
        }
        let zooms = &self.zooms;
        let target =
            |request: &'a ImageRequest, area, side| (request, area, zooms.view(side, &request.key));
        if compare {
            let c = comparison(tree, result);
            let [left, right] = panes.compare_images;
            // Both are picture kinds by construction.
            targets.extend(c.document.map(|r| target(r, cells(left), Side::Document)));
            targets.extend(c.selfie.map(|r| target(r, cells(right), Side::Selfie)));
        } else if let Some(r) = preview_request(tree).filter(|r| auto_fetches(r)) {
            targets.push(target(r, cells(panes.preview_image), Side::Preview));
        }
        targets
    }

    /// Asks for every target not cached, failed or on its way.
    pub fn fetch(&mut self, targets: &[Target], out: &mut Outbox) {
        for (request, area, view) in self.images.sync(targets) {
            out.ask(Job::FetchImage {
                request,
                area,
                view,
            });
        }
    }

    /// Whether every target is drawn (or failed, or has no room): the view is complete.
    pub fn drawn(&self, targets: &[Target]) -> bool {
        targets.iter().all(|(r, area, view)| {
            area.0 == 0
                || area.1 == 0
                || !matches!(self.images.state(&r.key, *area, *view), ImageState::Loading)
        })
    }
}

/// The picture a side shows and the cells it is drawn in; `None` when there is none (or it is
/// not a picture, which is never fetched for showing).
pub fn side_image<'a>(
    view: &'a ResultView,
    panes: &Panes,
    side: Side,
) -> Option<(&'a ImageRequest, CellSize)> {
    let ResultView::Ready { tree, result, .. } = view else {
        return None;
    };
    match side {
        Side::Preview => preview_request(tree)
            .filter(|r| auto_fetches(r))
            .map(|r| (r, cells(panes.preview_image))),
        Side::Document => comparison(tree, result)
            .document
            .map(|r| (r, cells(panes.compare_images[0]))),
        Side::Selfie => comparison(tree, result)
            .selfie
            .map(|r| (r, cells(panes.compare_images[1]))),
    }
}

/// The cell size of an area, as images are keyed.
pub fn cells(area: Rect) -> CellSize {
    (area.width, area.height)
}
