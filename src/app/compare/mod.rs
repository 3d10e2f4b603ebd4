//! The compare view as a place to work in, and zoom and pan on any image.
//!
//! Compare stays open while the selection changes: `n`/`N` and `j`/`k` move to the next or
//! previous (failed) process and show it side by side at once, and every other global action
//! (saving, copying, refreshing, and whatever review keys exist) works as it does outside. The
//! zoom keys act on the preview, or in compare on the active side (Tab or h/l choose it); once a
//! side is zoomed, the movement keys pan it instead.

use super::cursor::Movement;
use super::overlays::Overlay;
use super::preview::zoom::Side;
use super::preview::{auto_fetches, comparison, preview_request};
use super::{App, Focus, ResultView, cells};
use crate::images::{CellSize, ImageKey, ImageRequest, ImageView, Region};
use crate::keymap::Action;

impl App {
    /// Keys while compare is open.
    pub(super) fn compare_action(&mut self, action: Action) {
        let side = self.compare_side;
        match action {
            // Its own key closes it (as Esc does); quit quits, as everywhere.
            Action::Compare => self.overlay = Overlay::None,
            Action::NextPane | Action::PrevPane => self.compare_side = other_side(side),
            Action::ZoomIn | Action::ZoomOut | Action::ZoomReset => self.zoom(side, action),
            Action::Up | Action::Down | Action::Left | Action::Right if self.pan(side, action) => {}
            Action::Left => self.compare_side = Side::Document,
            Action::Right => self.compare_side = Side::Selfie,
            // Not zoomed: the vertical keys step through the processes, staying in compare.
            Action::Up => self.list.move_selection(Movement::Up),
            Action::Down => self.list.move_selection(Movement::Down),
            Action::PageUp => self.list.move_selection(Movement::PageUp),
            Action::PageDown => self.list.move_selection(Movement::PageDown),
            Action::Top => self.list.move_selection(Movement::Top),
            Action::Bottom => self.list.move_selection(Movement::Bottom),
            Action::SaveImage => match self.side_request(side) {
                Some(request) => self.save_requests(vec![request]),
                None => self.out.status.info("no image on this side to save"),
            },
            // Tree actions have no meaning here; the raw JSON would replace compare.
            Action::Toggle
            | Action::ExpandAll
            | Action::CollapseAll
            | Action::ExpandFailures
            | Action::RawJson => {}
            // Everything else (q, n/N, S, y, r, f, o, /, ?, P and review keys) acts as anywhere.
            _ => self.act(action),
        }
    }

    /// Zoom keys outside compare: the preview's image, which then takes the focus so the
    /// movement keys pan it.
    pub(super) fn zoom_preview(&mut self, action: Action) {
        if self.side_image(Side::Preview).is_some() {
            self.focus = Focus::Preview;
        }
        self.zoom(Side::Preview, action);
    }

    /// One zoom step, or back to the side's starting view. A step starts from what is on screen:
    /// the reviewer's region, or the region the worker drew (the portrait it found).
    pub(super) fn zoom(&mut self, side: Side, action: Action) {
        let Some((request, area)) = self.side_image(side) else {
            self.out.status.info("no picture here to zoom");
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

    /// Pans `side` if the reviewer zoomed into it; false (the key does its usual job) if not.
    pub(super) fn pan(&mut self, side: Side, action: Action) -> bool {
        let Some((request, _)) = self.side_image(side) else {
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

    /// The picture a side shows and the cells it is drawn in; `None` when there is none (or it
    /// is not a picture, which is never fetched for showing).
    pub(super) fn side_image(&self, side: Side) -> Option<(&ImageRequest, CellSize)> {
        let ResultView::Ready { tree, result, .. } = &self.view else {
            return None;
        };
        let panes = self.panes();
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

    fn side_request(&self, side: Side) -> Option<ImageRequest> {
        self.side_image(side).map(|(r, _)| r.clone())
    }

    // Read access for the ui.

    /// The side of compare the zoom and movement keys act on.
    pub fn compare_side(&self) -> Side {
        self.compare_side
    }

    /// The view an image on `side` is shown in.
    pub fn image_view(&self, side: Side, key: &ImageKey) -> ImageView {
        self.zooms.view(side, key)
    }
}

fn other_side(side: Side) -> Side {
    match side {
        Side::Document => Side::Selfie,
        Side::Selfie | Side::Preview => Side::Document,
    }
}
