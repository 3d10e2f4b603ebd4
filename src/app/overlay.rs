//! Things drawn over the panes (help, raw JSON, compare) and the status line's state.

use super::keymap::Keymap;
pub use super::raw_view::{RawView, Viewport};
use crate::sanitize::terminal_text;
use crate::wrap;

/// The help's lines after one per action: keys that are not actions, and how the screen works.
pub const HELP_NOTES: &[(&str, &str)] = &[
    (
        "esc",
        "close this / raw / compare; clear the error; back to the list; clear the filter",
    ),
    (
        "narrow screen",
        "under 120 columns one pane at a time: enter, l or tab open the process, esc back",
    ),
    (
        "/ matches",
        "id, user, reason, country; name and document number once known (accents ignored)",
    ),
    (
        "0-9 (picker)",
        "choose the override reason; a note: enter saves, esc cancels",
    ),
    ("list marks", super::review::BADGE_LEGEND),
];

/// Width of the help's keys column.
pub const HELP_KEYS: usize = 14;

/// The help's entries: (keys, what they do), one per action, then the notes.
pub fn help_entries(keymap: &Keymap) -> Vec<(String, &'static str)> {
    super::Action::ALL
        .iter()
        .map(|&a| (keymap.keys_text(a), a.description()))
        .chain(HELP_NOTES.iter().map(|(k, w)| ((*k).to_owned(), *w)))
        .collect()
}

/// The help box's width on a screen `screen` cells wide: as wide as its longest entry (border
/// included), at most the screen less two cells each side.
pub fn help_width(entries: &[(String, &str)], screen: u16) -> u16 {
    let longest = entries
        .iter()
        .map(|(_, what)| HELP_KEYS + 1 + wrap::width(what) + 2)
        .max()
        .unwrap_or(0);
    screen
        .saturating_sub(4)
        .min(u16::try_from(longest).unwrap_or(u16::MAX))
}

/// Cells a description has in a help box `width` wide; a longer one wraps under itself.
pub fn help_room(width: u16) -> usize {
    usize::from(width).saturating_sub(2 + HELP_KEYS + 1).max(1)
}

/// Rows of the help on a screen `screen` cells wide, wrapped descriptions counted: the app
/// stops scrolling where the ui shows the last one at the bottom.
pub fn help_len(keymap: &Keymap, screen: u16) -> usize {
    let entries = help_entries(keymap);
    let room = help_room(help_width(&entries, screen));
    entries
        .iter()
        .map(|(_, what)| wrap::wrap(&[(*what, ())], room, room).len().max(1))
        .sum()
}

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

/// The bottom line: what is happening and what went wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusLine {
    /// Transient news ("saved …", "copied …"), cleared by the next key.
    pub info: Option<String>,
    /// The last error, kept until Esc or until replaced, so it can be read.
    pub error: Option<String>,
    /// Requests the app awaits an answer to. Exact: the worker answers each request once.
    pub in_flight: usize,
}

impl StatusLine {
    /// News may quote server text (`copied <id>`), so it is sanitised like errors.
    pub fn info(&mut self, text: impl Into<String>) {
        self.info = Some(terminal_text(&text.into()).into_owned());
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.error = Some(terminal_text(&text.into()).into_owned());
    }
}
