//! Making untrusted text safe for the three places it must not be trusted, one module per
//! threat, each used by every output of its kind:
//!
//! - **a terminal** ([`terminal`]): text holding an escape sequence could repaint the screen,
//!   set the window title or rewrite the clipboard (OSC 52), and bidirectional or invisible
//!   characters can make it read otherwise than it is. One rule, [`is_terminal_control`], says
//!   which characters; the functions differ only in what they put in their place.
//! - **a spreadsheet** ([`spreadsheet_cell`]): a cell that starts like a formula is run as one
//!   when the file is opened (CSV injection).
//! - **a file system** ([`file_component`]): an id like `../../x` could escape a folder.
//!
//! The text is Truora's (names, messages, ids: user-submitted), another reviewer's (an imported
//! event log: notes, reviewer names) or read back from disk (an archive, the access log), so any
//! of it may be hostile. Output that is both printed and opened in a spreadsheet (the overrides
//! CSV, printed to standard output by default) is made safe for both (see [`crate::review::csv`]).

mod file_name;
mod spreadsheet;
mod terminal;

pub use file_name::file_component;
pub use spreadsheet::spreadsheet_cell;
pub use terminal::{
    is_terminal_control, terminal_escaped, terminal_json, terminal_lines, terminal_text,
};
