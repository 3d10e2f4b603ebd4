//! Things drawn over the panes (help, raw JSON, compare) and the status line's state.

use serde_json::Value;

use super::cursor::{Movement, page_rows};
use crate::sanitize::terminal_text;

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

/// Rows of the help: one per action, then the notes.
pub fn help_len() -> usize {
    super::Action::ALL.len() + HELP_NOTES.len()
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

/// A pretty-printed JSON sub-tree, already split into sanitised lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawView {
    pub title: String,
    /// Where the value sits in its document (RFC 6901): privacy mode masks by the keys on it.
    pub pointer: String,
    pub lines: Vec<String>,
    pub scroll: usize,
}

impl RawView {
    /// The value at `pointer` in `root`, pretty-printed with every field, known or not.
    pub fn new(title: String, root: &Value, pointer: &str) -> RawView {
        let lines = match root.pointer(pointer) {
            Some(v) => serde_json::to_string_pretty(v)
                .unwrap_or_else(|e| format!("(cannot print: {e})"))
                .lines()
                // serde_json escapes C0 controls but not C1 controls or bidi overrides.
                .map(|l| terminal_text(l).into_owned())
                .collect(),
            None => vec![format!("(nothing at {pointer:?} in the raw JSON)")],
        };
        RawView {
            title: terminal_text(&title).into_owned(),
            pointer: pointer.to_owned(),
            lines,
            scroll: 0,
        }
    }

    /// Scrolls in a view of `rows` lines, keeping at least one page of text on screen.
    pub fn scroll(&mut self, movement: Movement, rows: usize) {
        let max = self.lines.len().saturating_sub(rows.max(1));
        self.scroll = movement.step(self.scroll, page_rows(rows), max);
    }
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
