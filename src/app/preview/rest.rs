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
//! [`Message::SelectionRested`]: crate::app::message::Message::SelectionRested

use std::time::Duration;

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

impl Rest {
    /// Whether the images on screen may be fetched and drawn: the selection has rested (or
    /// resting is off: `image_rest_ms = 0`).
    pub fn rested(&self) -> bool {
        self.rested
    }

    /// The generation the runtime should send [`Message::SelectionRested`] for after
    /// [`ImageBudget::rest`]; `None` when nothing waits for a rest.
    ///
    /// [`Message::SelectionRested`]: crate::app::message::Message::SelectionRested
    pub fn awaiting(&self) -> Option<u64> {
        (!self.rested).then_some(self.generation)
    }

    /// The runtime's rest timer fired for `generation`: images follow, unless the selection
    /// has moved since.
    pub fn rested_at(&mut self, generation: u64) {
        if generation == self.generation {
            self.rested = true;
        }
    }

    /// The next selection change is deliberate, not a held key: no waiting.
    pub fn at_once(&mut self) {
        self.at_once = true;
    }

    /// Notes where the selection is after an input: the selected `process`, and the `image` the
    /// preview shows of it. Another process, or another image of the same process, is a move.
    /// The result of the process arriving is not a move (its image was simply not known yet),
    /// so an image never waits longer than the rest since the last key. `no_wait`: resting is
    /// off.
    pub fn track(&mut self, process: Option<String>, image: Option<ImageKey>, no_wait: bool) {
        let (was_process, was_image) = &self.at;
        let moved = *was_process != process || (was_image.is_some() && *was_image != image);
        if moved {
            self.generation += 1;
            self.rested = no_wait || self.at_once;
        }
        self.at_once = false;
        self.at = (process, image);
    }
}
