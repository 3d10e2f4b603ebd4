//! The status line's state: news that the next key clears, and the last error, kept until Esc.

use crate::sanitize::terminal_text;

/// The bottom line: what is happening and what went wrong.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusLine {
    /// Transient news ("saved …", "copied …"), cleared by the next key.
    pub info: Option<String>,
    /// The last error, kept until Esc or until replaced, so it can be read.
    pub error: Option<String>,
    /// Requests the app awaits an answer to. Exact: the worker answers each request once.
    pub in_flight: usize,
    /// Parts of `info` that are the user's own, not the data's — the folder a save went to — and
    /// that privacy mode shows as they are (masking would hide where the files went, which the
    /// user needs and no one else's data is in).
    pub info_own: Vec<String>,
    /// The same for `error`.
    pub error_own: Vec<String>,
}

impl StatusLine {
    /// News may quote server text (`copied <id>`), so it is sanitised like errors.
    pub fn info(&mut self, text: impl Into<String>) {
        self.info_naming(text, Vec::new());
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.error_naming(text, Vec::new());
    }

    /// [`Self::info`] that names the user's own `paths` (see `info_own`).
    pub fn info_naming(&mut self, text: impl Into<String>, paths: Vec<String>) {
        self.info = Some(terminal_text(&text.into()).into_owned());
        self.info_own = own(paths);
    }

    /// [`Self::error`] that names the user's own `paths` (see `error_own`).
    pub fn error_naming(&mut self, text: impl Into<String>, paths: Vec<String>) {
        self.error = Some(terminal_text(&text.into()).into_owned());
        self.error_own = own(paths);
    }
}

/// Paths as the status line holds them: sanitised like its text, so they are found in it.
fn own(paths: Vec<String>) -> Vec<String> {
    paths
        .into_iter()
        .map(|p| terminal_text(&p).into_owned())
        .filter(|p| !p.is_empty())
        .collect()
}
