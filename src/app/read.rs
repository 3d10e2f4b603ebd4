//! Read access to the app's state, for the ui and the runtime: the ui draws from these and
//! never changes the state.

use std::time::Duration;

use ratatui::layout::Rect;

use super::layout::{self, Panes};
use super::list::{Loading, ProcessList};
use super::message::{Job, RequestId};
use super::overlays::Overlay;
use super::preview::Images;
use super::preview::zoom::Side;
use super::review::{Access, ReviewDesk};
use super::status::StatusLine;
use super::tree::ResultView;
use super::{App, AppOptions, Focus};
use crate::images::{ImageKey, ImageView};
use crate::keymap::Keymap;
use crate::privacy::Known;

impl App {
    /// Privacy mode: personal data masked, and photos not drawn (a placeholder says what each is).
    pub fn private(&self) -> bool {
        self.privacy.is_on()
    }

    /// What privacy mode hides in the shown process's texts beyond field names and shapes: the
    /// personal values of its result. Nothing when privacy is off or no result is shown.
    pub fn known(&self) -> &Known {
        self.privacy.known(self.tree.view())
    }

    pub fn options(&self) -> &AppOptions {
        &self.opts
    }

    /// The zone the list, the tree and compare show times in.
    pub fn time_zone(&self) -> &crate::date::zone::DisplayZone {
        &self.opts.time_zone
    }

    pub fn keymap(&self) -> &Keymap {
        &self.opts.keymap
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn list(&self) -> &ProcessList {
        &self.list.rows
    }

    pub fn loading(&self) -> &Loading {
        &self.list.loading
    }

    pub fn view(&self) -> &ResultView {
        self.tree.view()
    }

    pub fn images(&self) -> &Images {
        &self.preview.images
    }

    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    /// The filter text being typed, when the filter input is open.
    pub fn filter_input(&self) -> Option<&str> {
        self.list.input()
    }

    pub fn status(&self) -> &StatusLine {
        &self.out.status
    }

    pub fn review(&self) -> &ReviewDesk {
        &self.review
    }

    /// Requests awaiting their answer, oldest first.
    pub fn pending_requests(&self) -> impl Iterator<Item = (RequestId, &Job)> {
        self.out.requests.pending()
    }

    /// Whether the images on screen may be fetched and drawn: the selection has rested (or
    /// resting is off: `image_rest_ms = 0`).
    pub fn images_rested(&self) -> bool {
        self.preview.rest.rested()
    }

    /// The generation the runtime should send `Message::SelectionRested` for after
    /// `image_rest_ms`; `None` when nothing waits for a rest.
    pub fn awaiting_rest(&self) -> Option<u64> {
        self.preview.rest.awaiting()
    }

    /// The generation the runtime should send `Message::Looked` for after the review look
    /// (`AppOptions::review_look`); `None` when nothing waits.
    pub fn awaiting_look(&self) -> Option<u64> {
        self.review.look.awaiting()
    }

    /// The side of compare the zoom and movement keys act on.
    pub fn compare_side(&self) -> Side {
        self.compare.side()
    }

    /// The view an image on `side` is shown in.
    pub fn image_view(&self, side: Side, key: &ImageKey) -> ImageView {
        self.preview.view(side, key)
    }

    /// How long until the next `--watch` poll (backing off after failures); `None` when not
    /// watching.
    pub fn watch_interval(&self) -> Option<Duration> {
        self.watch.interval(self.opts.watch)
    }

    /// New processes not yet looked at, for the list's title.
    pub fn watch_unseen(&self) -> usize {
        self.watch.unseen()
    }

    /// Whether the last poll failed (the title shows a small mark; the error is in the log).
    pub fn watch_failing(&self) -> bool {
        self.watch.failing()
    }

    /// The panes at the terminal's size, the image areas capped.
    pub fn panes(&self) -> Panes {
        self.panes_in(Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// The layout for a screen of `area` (the runtime's size is [`App::panes`]).
    pub fn panes_in(&self, area: Rect) -> Panes {
        let content = self.list.rows.content_widths();
        let shape = layout::list_shape(content, self.list_marks(), self.focus != Focus::List);
        let max_cells = self.opts.image_budget.max_cells;
        layout::panes_for(area, self.opts.images_enabled, shape, max_cells)
    }

    /// Whether the list shows the review marks column (whenever a review store is open).
    pub fn list_marks(&self) -> bool {
        !matches!(self.review.access(), Access::Unavailable(_))
    }

    /// Cells of a list row outside the columns: the cursor marker, and the marks when shown.
    pub fn list_row_chrome(&self) -> usize {
        layout::list_row_chrome(self.list_marks())
    }
}
