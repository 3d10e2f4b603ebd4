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
        (theme.mask(&text).into_owned(), Tone::Strong)
    } else if let Some(e) = &status.error {
        let text = format!("✗ {}", terminal_text(e));
        (mask_but(theme, &text, &status.error_own), Tone::Bad)
    } else if let Some(i) = &status.info {
        (
            mask_but(theme, &terminal_text(i), &status.info_own),
            Tone::Plain,
        )
    } else {
        (String::new(), Tone::Plain)
    };
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

/// `text` masked for privacy mode except where it quotes one of the user's `own` paths (where a
/// save went), which is shown as it is.
fn mask_but(theme: &Theme, text: &str, own: &[String]) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some((at, path)) = own
        .iter()
        .filter(|p| !p.is_empty())
        .filter_map(|p| rest.find(p.as_str()).map(|at| (at, p)))
        .min_by_key(|&(at, p)| (at, std::cmp::Reverse(p.len())))
    {
        out.push_str(&theme.mask(&rest[..at]));
        out.push_str(path);
        rest = &rest[at + path.len()..];
    }
    out.push_str(&theme.mask(rest));
    out
}
