//! The help overlay, generated from the keymap: every action, its keys and what it does.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Theme;
use super::text::cell;
use crate::app::tree::Tone;
use crate::app::{Action, App};

/// The help's lines: one per action, then the fixed keys.
pub(super) fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let keymap = app.keymap();
    let row = |keys: String, what: &str| {
        Line::from(vec![
            Span::styled(cell(&keys, 18), theme.tone(Tone::Strong)),
            Span::raw(" "),
            Span::raw(what.to_owned()),
        ])
    };
    let mut out: Vec<Line> = Action::ALL
        .iter()
        .map(|&a| row(keymap.keys_text(a), a.description()))
        .collect();
    out.push(row(
        "esc".into(),
        "close this / the raw view / compare; clear the error or the filter",
    ));
    out.push(row(
        "0-9 (picker)".into(),
        "choose the override reason; a note: enter saves, esc cancels",
    ));
    out.push(row("list marks".into(), crate::app::review::BADGE_LEGEND));
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
    let lines = lines(app, theme);
    let rows = usize::from(height.saturating_sub(2));
    let scroll = scroll.min(lines.len().saturating_sub(rows));
    let block = theme.block(Line::from(" help · esc or ? closes "), true);
    frame.render_widget(Clear, popup);
    let p = Paragraph::new(lines)
        .block(block)
        .scroll((u16::try_from(scroll).unwrap_or(0), 0));
    frame.render_widget(p, popup);
}
