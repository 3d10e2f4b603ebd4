//! The two status rows: the filter input or the latest news and error on the left, requests in
//! flight, image protocol and data source on the right; key hints from the keymap below
//! (built in `hints`).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

use super::text::{fit, width};
use super::{Panes, Theme};
use crate::app::App;
use crate::app::tree::Tone;
use crate::sanitize::terminal_text;

pub(super) fn draw(app: &App, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    let area = panes.status;
    let top = Rect { height: 1, ..area };
    let bottom = Rect {
        y: area.y + 1,
        height: 1,
        ..area
    };
    let status = app.status();

    // Privacy's state is always shown, on or off, in words (no colour needed to read it).
    let mut right = vec![
        if app.private() {
            "◼ PRIVATE"
        } else {
            "◻ private off"
        }
        .to_owned(),
    ];
    right.extend(super::review::pending_part(app));
    if status.in_flight > 0 {
        right.push(format!("⇅ {} in flight", status.in_flight));
    }
    right.push(if app.options().images_enabled {
        format!("images: {}", terminal_text(&app.options().image_protocol))
    } else {
        "images off".to_owned()
    });
    right.push(terminal_text(&app.options().source_label).into_owned());
    let right = format!(" {} ", right.join(" · "));
    let right_w = width(&right);
    let left_w = usize::from(top.width).saturating_sub(right_w);

    let (left, tone) = if let Some(input) = app.filter_input() {
        let text = format!("/{}", terminal_text(input));
        let cursor_x =
            top.x + u16::try_from(width(&text).min(left_w.saturating_sub(1))).unwrap_or(0);
        frame.set_cursor_position(Position::new(cursor_x, top.y));
        (text, Tone::Strong)
    } else if let Some(e) = &status.error {
        (format!("✗ {}", terminal_text(e)), Tone::Bad)
    } else if let Some(i) = &status.info {
        (terminal_text(i).into_owned(), Tone::Plain)
    } else {
        (String::new(), Tone::Plain)
    };
    let left = theme.mask(&left).into_owned();
    let left = fit(&left, left_w).into_owned();
    let pad = left_w.saturating_sub(width(&left));
    let line = Line::from(vec![
        Span::styled(left, theme.tone(tone)),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, theme.tone(Tone::Dim)),
    ]);
    frame.buffer_mut().set_line(top.x, top.y, &line, top.width);

    let hints = super::hints::line(app, panes.compact, usize::from(bottom.width), theme);
    frame
        .buffer_mut()
        .set_line(bottom.x, bottom.y, &hints, bottom.width);
}
