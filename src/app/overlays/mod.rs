//! What covers the panes, and takes the keys while it is open: the help (`help.rs`), the raw JSON
//! view (`raw.rs`) and the compare view (its keys are the `compare` component's).

pub mod help;
pub mod raw;

pub use help::{
    HELP_KEYS, HELP_NOTES, HelpEntry, help_entries, help_len, help_names_width, help_room,
    help_width,
};
pub use raw::{RawView, Viewport};

use super::cursor::{page_rows, scrolling};
use super::layout::{Panes, inner};
use super::outbox::Outbox;
use crate::keymap::{Action, Keymap};

/// What covers the panes. Keys go to the overlay while it is open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Overlay {
    #[default]
    None,
    Help {
        scroll: usize,
    },
    Raw(RawView),
    Compare,
}

/// What the help and the raw view measure themselves against.
pub struct Screen<'a> {
    pub keymap: &'a Keymap,
    pub panes: &'a Panes,
    /// The terminal's width (the help wraps to it).
    pub width: u16,
    /// Privacy mode: the raw view's lines are measured masked, as drawn.
    pub private: bool,
}

impl Overlay {
    /// Keys while the help or the raw view is open: scrolling, and the key that opened it
    /// (which closes it, as Esc does). False for the keys that mean the same everywhere (quit
    /// quits, as the help says, and privacy mode toggles): the app's match handles them.
    pub fn handle(&mut self, action: Action, screen: &Screen, out: &mut Outbox) -> bool {
        let closes = match self {
            Overlay::Help { .. } => action == Action::Help,
            Overlay::Raw(_) => action == Action::RawJson,
            Overlay::Compare => action == Action::Compare,
            Overlay::None => false,
        };
        if closes {
            *self = Overlay::None;
            return true;
        }
        if matches!(action, Action::Quit | Action::Privacy) {
            return false;
        }
        match self {
            Overlay::Raw(raw) => {
                let area = inner(screen.panes.body);
                let view = Viewport {
                    width: usize::from(area.width),
                    rows: usize::from(area.height),
                };
                let wrap = screen.keymap.hint(Action::Wrap).unwrap_or_default();
                raw.key(action, view, screen.private, &wrap, out);
            }
            Overlay::Help { scroll } => {
                if let Some(movement) = scrolling(action) {
                    // The help's box is two rows shorter than the body (see `ui::help`); its
                    // scroll stops where the last line is at the bottom.
                    let rows = screen.panes.raw_rows().saturating_sub(2);
                    let max = help_len(screen.keymap, screen.width).saturating_sub(rows);
                    *scroll = movement.step(*scroll, page_rows(rows), max);
                }
            }
            Overlay::Compare | Overlay::None => {}
        }
        true
    }
}
