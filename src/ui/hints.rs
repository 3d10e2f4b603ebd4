//! The footer's key hints, built from the keymap: the most useful first, each whole or not at
//! all, and `? help` (where every other key is) always at the right end.

use ratatui::text::{Line, Span};

use super::Theme;
use super::text::width;
use crate::app::tree::Tone;
use crate::app::{App, Focus};
use crate::keymap::Action;

/// Hints in order of usefulness; a hint that does not fit is left out and the next one tried.
const HINTS: [(Action, &str); 13] = [
    (Action::Filter, "filter"),
    (Action::NextFailed, "next failed"),
    (Action::StatusFilter, "status"),
    (Action::Toggle, "open"),
    (Action::Compare, "compare"),
    (Action::RawJson, "raw"),
    (Action::SaveImage, "save"),
    (Action::CopyId, "copy id"),
    (Action::NextPane, "pane"),
    (Action::Refresh, "refresh"),
    (Action::Sort, "sort"),
    (Action::Privacy, "privacy"),
    (Action::Quit, "quit"),
];

/// Between two hints.
const GAP: usize = 2;

/// The hints for a row of `room` cells; `compact`: the layout shows one pane at a time.
pub(super) fn line(app: &App, compact: bool, room: usize, theme: &Theme) -> Line<'static> {
    let keymap = app.keymap();
    let help = keymap.hint(Action::Help).map(|k| (k, "help".to_owned()));
    let help_w = help.as_ref().map_or(0, |(k, l)| width(k) + 1 + width(l));
    let mut hints: Vec<(String, String)> = Vec::new();
    // The compact layout's process view: the way back to the list comes first.
    if compact && app.focus() != Focus::List {
        hints.push(("esc".into(), "list".into()));
    }
    hints.extend(
        HINTS
            .iter()
            .filter_map(|&(action, label)| Some((keymap.hint(action)?, label.to_owned()))),
    );
    let mut spans = Vec::new();
    let mut used = 0;
    let budget = room.saturating_sub(help_w + GAP);
    for (key, label) in hints {
        let w = width(&key) + 1 + width(&label);
        let need = w + if used > 0 { GAP } else { 0 };
        if used + need > budget {
            continue;
        }
        if used > 0 {
            spans.push(Span::raw(" ".repeat(GAP)));
        }
        spans.push(Span::styled(key, theme.tone(Tone::Strong)));
        spans.push(Span::styled(format!(" {label}"), theme.tone(Tone::Dim)));
        used += need;
    }
    if let Some((key, label)) = help {
        let pad = room.saturating_sub(used + help_w);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(key, theme.tone(Tone::Strong)));
        spans.push(Span::styled(format!(" {label}"), theme.tone(Tone::Dim)));
    }
    Line::from(spans)
}
