//! The help overlay, generated from the keymap: every action, its keys and what it does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Theme;
use super::text::cell;
use crate::app::overlay::HELP_NOTES;
use crate::app::tree::Tone;
use crate::app::{Action, App};

/// Width of the keys column.
const KEYS: usize = 14;

/// The help's lines: one per action, then the notes (`app::overlay::HELP_NOTES`).
pub(super) fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let keymap = app.keymap();
    let row = |keys: String, what: &str| {
        Line::from(vec![
            Span::styled(cell(&keys, KEYS), theme.tone(Tone::Strong)),
            Span::raw(" "),
            Span::raw(what.to_owned()),
        ])
    };
    let mut out: Vec<Line> = Action::ALL
        .iter()
        .map(|&a| row(keymap.keys_text(a), a.description()))
        .collect();
    out.extend(
        HELP_NOTES
            .iter()
            .map(|(keys, what)| row((*keys).into(), what)),
    );
    out
}

/// The box covers the panes (the status rows stay) and is as wide as its longest line needs,
/// up to the screen; when the lines do not all fit, its title says which are shown and how to
/// see the rest.
pub(super) fn draw(app: &App, frame: &mut Frame, scroll: usize, theme: &Theme) {
    let area = frame.area();
    let lines = lines(app, theme);
    let longest = lines.iter().map(Line::width).max().unwrap_or(0) + 2;
    let width = area
        .width
        .saturating_sub(4)
        .min(u16::try_from(longest).unwrap_or(u16::MAX));
    // The body less a row above and below: `app::actions` scrolls by the same count.
    let height = area.height.saturating_sub(4);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 1,
        width,
        height,
    };
    let rows = usize::from(height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(rows));
    let mut title = " help · esc or ? closes ".to_owned();
    if lines.len() > rows {
        let last = (scroll + rows).min(lines.len());
        let more = if last < lines.len() {
            "↓ j/pgdn"
        } else {
            "↑ k/pgup"
        };
        title.push_str(&format!(
            "· lines {}–{last} of {} · {more} ",
            scroll + 1,
            lines.len()
        ));
    }
    let block = theme.block(Line::from(title), true);
    frame.render_widget(Clear, popup);
    let p = Paragraph::new(lines)
        .block(block)
        .scroll((u16::try_from(scroll).unwrap_or(0), 0));
    frame.render_widget(p, popup);
}
