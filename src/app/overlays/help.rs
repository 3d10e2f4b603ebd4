//! The help overlay: one row per action (its keys, its `[keys]` name, what it does), generated
//! from the keymap, then the notes on keys that are not actions; and its size on a screen, which
//! the app needs to stop scrolling where the ui shows the last row.

use crate::keymap::{Action, Keymap};
use crate::wrap;

/// The help's lines after one per action: keys that are not actions, and how the screen works.
pub const HELP_NOTES: &[(&str, &str)] = &[
    (
        "esc",
        "close this, the raw view or compare; clear the error; back to the list; clear the filter",
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
    ("list marks", crate::app::review::BADGE_LEGEND),
    (
        "[keys]",
        "remap in the config file: name = \"key\" or [\"key\", …] (see .config-example)",
    ),
];

/// Width of the help's keys column.
pub const HELP_KEYS: usize = 14;

/// Cells around the help's text: the border each side, and one blank before the right border
/// so a full row never runs into it.
const HELP_MARGIN: usize = 3;

/// One row of the help: the keys, the action's name as the config file's `[keys]` table takes it
/// (empty for the notes, which are not actions), and what it does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HelpEntry {
    pub keys: String,
    pub name: &'static str,
    pub what: &'static str,
    /// The column headings, drawn first.
    pub heading: bool,
}

/// The heading row: what each column holds, and where the names are used.
const HELP_HEADING: HelpEntry = HelpEntry {
    keys: String::new(),
    name: "[keys] name",
    what: "what it does",
    heading: true,
};

/// Width of the help's names column: the longest action name.
pub fn help_names_width() -> usize {
    Action::ALL
        .iter()
        .map(|a| a.name().len())
        .chain([HELP_HEADING.name.len()])
        .max()
        .unwrap_or(0)
}

/// The help's rows: the heading, one per action (its keys, its `[keys]` name, what it does),
/// then the notes.
pub fn help_entries(keymap: &Keymap) -> Vec<HelpEntry> {
    let heading = HelpEntry {
        keys: "key".to_owned(),
        ..HELP_HEADING
    };
    let actions = Action::ALL.iter().map(|&a| HelpEntry {
        keys: keymap.keys_text(a),
        name: a.name(),
        what: a.description(),
        heading: false,
    });
    let notes = HELP_NOTES.iter().map(|(k, w)| HelpEntry {
        keys: (*k).to_owned(),
        name: "",
        what: w,
        heading: false,
    });
    std::iter::once(heading)
        .chain(actions)
        .chain(notes)
        .collect()
}

/// The help box's width on a screen `screen` cells wide: as wide as its longest entry (border
/// included), at most the screen less two cells each side.
pub fn help_width(entries: &[HelpEntry], screen: u16) -> u16 {
    let longest = entries
        .iter()
        .map(|e| HELP_KEYS + 1 + help_names_width() + 1 + wrap::width(e.what) + HELP_MARGIN)
        .max()
        .unwrap_or(0);
    screen
        .saturating_sub(4)
        .min(u16::try_from(longest).unwrap_or(u16::MAX))
}

/// Cells a description has in a help box `width` wide; a longer one wraps under itself.
pub fn help_room(width: u16) -> usize {
    usize::from(width)
        .saturating_sub(HELP_MARGIN + HELP_KEYS + 1 + help_names_width() + 1)
        .max(1)
}

/// Rows of the help on a screen `screen` cells wide, wrapped descriptions counted: the app
/// stops scrolling where the ui shows the last one at the bottom.
pub fn help_len(keymap: &Keymap, screen: u16) -> usize {
    let entries = help_entries(keymap);
    let room = help_room(help_width(&entries, screen));
    entries
        .iter()
        .map(|e| wrap::wrap(&[(e.what, ())], room, room).len().max(1))
        .sum()
}
