//! The help overlay, generated from the keymap: every action, its keys and what it does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Theme;
use super::text::cell;
use crate::app::tree::Tone;
use crate::app::{Action, App};
use crate::wrap;

/// Cells of the keys column, and of the space after it.
const KEYS: usize = 18;

/// The help's lines: one per action, then the fixed keys. A description longer than the
/// `width` left for it wraps under itself rather than being cut at the border.
pub(super) fn lines(app: &App, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let keymap = app.keymap();
    let room = width.saturating_sub(KEYS + 1).max(1);
    let mut out: Vec<Line> = Vec::new();
    let mut row = |keys: String, what: &str| {
        for (i, part) in wrap::wrap(&[(what, ())], room, room)
            .into_iter()
            .enumerate()
        {
            let keys = if i == 0 {
                cell(&keys, KEYS)
            } else {
                " ".repeat(KEYS)
            };
            out.push(Line::from(vec![
                Span::styled(keys, theme.tone(Tone::Strong)),
                Span::raw(" "),
                Span::raw(part.into_iter().map(|(t, ())| t).collect::<String>()),
            ]));
        }
    };
    for &a in Action::ALL {
        row(keymap.keys_text(a), a.description());
    }
    row(
        "esc".into(),
        "close this / the raw view / compare; clear the error or the filter",
    );
    row(
        "0-9 (picker)".into(),
        "choose the override reason; a note: enter saves, esc cancels",
    );
    row("list marks".into(), crate::app::review::BADGE_LEGEND);
    out
}

pub(super) fn draw(app: &App, frame: &mut Frame, scroll: usize, theme: &Theme) {
    let area = frame.area();
    let width = area.width.saturating_sub(4).min(90);
    let height = area.height.saturating_sub(4);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + 2,
        width,
        height,
    };
    let lines = lines(app, theme, usize::from(width.saturating_sub(2)));
    let rows = usize::from(height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(rows));
    let block = theme.block(Line::from(" help · esc or ? closes "), true);
    frame.render_widget(Clear, popup);
    let p = Paragraph::new(lines)
        .block(block)
        .scroll((u16::try_from(scroll).unwrap_or(0), 0));
    frame.render_widget(p, popup);
}
