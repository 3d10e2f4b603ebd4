//! Images on a budget: they wait for the selection to rest, and are drawn no larger than
//! `image_max_cells`.
//!
//! A half-block picture at 200×60 is tens of kilobytes; holding `j` over the list would send one
//! per key over a slow link, and the screen would lag behind the keys. So the preview and the
//! compare view fetch, encode and draw an image only once the selection has stayed put for
//! `image_rest_ms` (120 ms by default); while it moves they show the image's facts instead.
//!
//! The app keeps no clock: every change of selection starts a new *generation*, and the runtime,
//! which owns the timers (as it does `--watch`'s), sends [`Message::SelectionRested`] for the
//! generation it saw once the delay has passed without a newer one. A rest message for an older
//! generation is ignored, so a held key can never bring back an image the cursor has left.
//!
//! [`Message::SelectionRested`]: crate::app::Message::SelectionRested

use std::time::Duration;

use ratatui::layout::Rect;

use crate::app::layout::Panes;
use crate::app::preview::preview_request;
use crate::app::{App, ResultView};
use crate::images::{CellSize, ImageKey, Palette};

/// How images spend a slow link's bytes (`image_rest_ms`, `image_max_cells`, `image_colors`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImageBudget {
    /// Images wait until the selection has stayed put this long. Zero (the default, for tests
    /// that drive the app without the runtime's timer): they follow every move at once.
    pub rest: Duration,
    /// The largest image area in cells (columns, rows); `None`: the whole pane.
    pub max_cells: Option<CellSize>,
    /// Half-blocks in true colour or in the xterm 256-colour palette (drawn by the ui).
    pub colors: Palette,
}

/// Where the selection stands, and whether it has rested there.
#[derive(Debug)]
pub struct Rest {
    /// Bumped by every move of the selection; a rest message must name the current one.
    generation: u64,
    rested: bool,
    /// What the current generation is for: the selected process and the image the preview
    /// shows of it (known once its result has arrived).
    at: (Option<String>, Option<ImageKey>),
    /// The next move is not a held key (the review desk's advance after a verdict): its
    /// images follow at once, as the prefetch intended.
    at_once: bool,
}

impl Default for Rest {
    fn default() -> Self {
        Rest {
            generation: 0,
            rested: true,
            at: (None, None),
            at_once: false,
        }
    }
}

impl App {
    /// Whether the images on screen may be fetched and drawn: the selection has rested (or
    /// resting is off: `image_rest_ms = 0`).
    pub fn images_rested(&self) -> bool {
        self.rest.rested
    }

    /// The generation the runtime should send [`crate::app::Message::SelectionRested`] for after
    /// [`ImageBudget::rest`]; `None` when nothing waits for a rest.
    pub fn awaiting_rest(&self) -> Option<u64> {
        (!self.rest.rested).then_some(self.rest.generation)
    }

    /// The runtime's rest timer fired for `generation`: images follow, unless the selection
    /// has moved since.
    pub(in crate::app) fn selection_rested(&mut self, generation: u64) {
        if generation == self.rest.generation {
            self.rest.rested = true;
        }
    }

    /// The next selection change is deliberate, not a held key: no waiting.
    pub(in crate::app) fn rest_at_once(&mut self) {
        self.rest.at_once = true;
    }

    /// Notes a move of the selection: another process, or another image of the same process.
    /// The result of the process arriving is not a move (its image was simply not known yet),
    /// so an image never waits longer than the rest since the last key.
    pub(in crate::app) fn track_rest(&mut self) {
        let process = self.list.selected().and_then(|r| r.process_id.clone());
        let image = match &self.view {
            ResultView::Ready { tree, .. } => preview_request(tree).map(|r| r.key.clone()),
            _ => None,
        };
        let (was_process, was_image) = &self.rest.at;
        let moved = *was_process != process || (was_image.is_some() && *was_image != image);
        if moved {
            self.rest.generation += 1;
            self.rest.rested = self.opts.image_budget.rest.is_zero() || self.rest.at_once;
        }
        self.rest.at_once = false;
        self.rest.at = (process, image);
    }

    /// The panes at the terminal's size, the image areas capped.
    pub fn panes(&self) -> Panes {
        self.panes_in(Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// Limits the image areas to `image_max_cells` (each keeps its top-left corner): the app
    /// asks for images at the size the ui draws them, so both apply this to the layout.
    pub fn cap_images(&self, mut panes: Panes) -> Panes {
        if let Some((columns, rows)) = self.opts.image_budget.max_cells {
            let cap = |area: &mut Rect| {
                area.width = area.width.min(columns);
                area.height = area.height.min(rows);
            };
            cap(&mut panes.preview_image);
            panes.compare_images.iter_mut().for_each(cap);
        }
        panes
    }
}
