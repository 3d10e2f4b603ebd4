//! The help overlay, generated from the keymap: every action, its keys and what it does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Theme;
use super::text::cell;
use crate::app::App;
use crate::app::overlays::{HELP_KEYS, help_entries, help_names_width, help_room, help_width};
use crate::app::tree::Tone;
use crate::wrap;

/// The help's lines: one per entry (`app::overlays::help_entries`) — keys, the action's name for
/// the config's `[keys]` table, what it does; a description longer than the box leaves room for
/// wraps under itself rather than being cut at the border.
pub(super) fn lines(app: &App, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let room = help_room(width);
    let names = help_names_width();
    let mut out: Vec<Line> = Vec::new();
    for entry in help_entries(app.keymap()) {
        let (keys_tone, name_tone) = if entry.heading {
            (Tone::Dim, Tone::Dim)
        } else {
            (Tone::Strong, Tone::Dim)
        };
        for (i, part) in wrap::wrap(&[(entry.what, ())], room, room)
            .into_iter()
            .enumerate()
        {
            let (keys, name) = if i == 0 {
                (cell(&entry.keys, HELP_KEYS), cell(entry.name, names))
            } else {
                (" ".repeat(HELP_KEYS), " ".repeat(names))
            };
            let what: String = part.into_iter().map(|(t, ())| t).collect();
            let what = if entry.heading {
                Span::styled(what, theme.tone(Tone::Dim))
            } else {
                Span::raw(what)
            };
            out.push(Line::from(vec![
                Span::styled(keys, theme.tone(keys_tone)),
                Span::raw(" "),
                Span::styled(name, theme.tone(name_tone)),
                Span::raw(" "),
                what,
            ]));
        }
    }
    out
}

/// The box covers the panes (the status rows stay) and is as wide as its longest line needs,
/// up to the screen; when the lines do not all fit, its title says which are shown and how to
/// see the rest.
pub(super) fn draw(app: &App, frame: &mut Frame, scroll: usize, theme: &Theme) {
    let area = frame.area();
    let width = help_width(&help_entries(app.keymap()), area.width);
    // The body less a row above and below: `app::overlays` scrolls by the same count.
    let height = area.height.saturating_sub(4);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 1,
        width,
        height,
    };
    let lines = lines(app, theme, width);
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
