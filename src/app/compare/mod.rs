//! The compare view as a place to work in: the document photo beside the selfie.
//!
//! Compare stays open while the selection changes: `n`/`N` and `j`/`k` move to the next or
//! previous (failed) process and show it side by side at once, and every other global action
//! (saving, copying, refreshing, and the review keys) works as it does outside. The zoom keys act
//! on the active side (Tab or h/l choose it); once a side is zoomed, the movement keys pan it.

use super::cursor::Movement;
use super::layout::Panes;
use super::list::ProcessList;
use super::outbox::Outbox;
use super::preview::zoom::Side;
use super::preview::{Preview, side_image};
use super::tree::ResultView;
use crate::images::ImageRequest;
use crate::keymap::Action;

/// What compare remembers while closed: the side the keys act on.
#[derive(Debug)]
pub struct Compare {
    side: Side,
}

impl Default for Compare {
    fn default() -> Self {
        Compare {
            side: Side::Document,
        }
    }
}

/// What a key in compare leaves to the app.
#[derive(Debug, PartialEq)]
pub enum Keyed {
    /// Done here.
    Done,
    /// Compare's own key: close it.
    Close,
    /// Save the active side's image.
    Save(ImageRequest),
    /// Not compare's: the key does what it does everywhere.
    Pass,
}

/// What compare's keys move beyond its own state: the list (the vertical keys step through the
/// processes) and the preview (zoom and pan), with the process on screen and the layout.
pub struct Around<'a> {
    pub list: &'a mut ProcessList,
    pub preview: &'a mut Preview,
    pub view: &'a ResultView,
    pub panes: &'a Panes,
}

impl Compare {
    /// The side of compare the zoom and movement keys act on.
    pub fn side(&self) -> Side {
        self.side
    }

    /// Keys while compare is open.
    pub fn handle(&mut self, action: Action, around: Around, out: &mut Outbox) -> Keyed {
        let side = self.side;
        let image = side_image(around.view, around.panes, side);
        match action {
            // Its own key closes it (as Esc does); quit quits, as everywhere.
            Action::Compare => return Keyed::Close,
            Action::NextPane | Action::PrevPane => self.side = other_side(side),
            Action::ZoomIn | Action::ZoomOut | Action::ZoomReset => {
                around.preview.zoom(side, action, image, out);
            }
            Action::Up | Action::Down | Action::Left | Action::Right
                if around.preview.pan(side, action, image.map(|(r, _)| r)) => {}
            Action::Left => self.side = Side::Document,
            Action::Right => self.side = Side::Selfie,
            // Not zoomed: the vertical keys step through the processes, staying in compare.
            Action::Up => around.list.move_selection(Movement::Up),
            Action::Down => around.list.move_selection(Movement::Down),
            Action::PageUp => around.list.move_selection(Movement::PageUp),
            Action::PageDown => around.list.move_selection(Movement::PageDown),
            Action::Top => around.list.move_selection(Movement::Top),
            Action::Bottom => around.list.move_selection(Movement::Bottom),
            Action::SaveImage => match image {
                Some((request, _)) => return Keyed::Save(request.clone()),
                None => out.info("no image on this side to save"),
            },
            // Tree actions have no meaning here; the raw JSON would replace compare.
            Action::Toggle
            | Action::ExpandAll
            | Action::CollapseAll
            | Action::ExpandFailures
            | Action::RawJson => {}
            // Everything else (q, n/N, S, y, r, f, o, /, ?, P and review keys) acts as anywhere.
            _ => return Keyed::Pass,
        }
        Keyed::Done
    }
}

fn other_side(side: Side) -> Side {
    match side {
        Side::Document => Side::Selfie,
        Side::Selfie | Side::Preview => Side::Document,
    }
}
