//! Things drawn over the panes (help, raw JSON, compare) and the status line's state.

pub use super::raw_view::{RawView, Viewport};
use crate::sanitize::terminal_text;

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
