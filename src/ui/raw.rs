//! The raw JSON view: a node's JSON sub-tree, every field included, scrollable. Long lines wrap
//! under a `↪` mark, or (`w`) are cut at the edge with `…` and scroll sideways; the rows are the
//! ones the app scrolls by (`app::overlays::raw`), from the lines as shown (masked in privacy mode).

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::text::fit;
use super::{Panes, Theme, inner};
use crate::app::overlays::raw::CONTINUATION;
use crate::app::overlays::{RawView, Viewport};
use crate::app::tree::Tone;
use crate::keymap::{Action, Keymap};
use crate::wrap;

pub(super) fn draw(
    view: &RawView,
    private: bool,
    keymap: &Keymap,
    frame: &mut Frame,
    panes: &Panes,
    theme: &Theme,
) {
    let area = inner(panes.body);
    let port = Viewport {
        width: usize::from(area.width),
        rows: usize::from(area.height),
    };
    let lines = view.shown(private);
    let first = view.first_row(&lines, port);
    let body: Vec<Line> = if view.wrap {
        RawView::wrapped(&lines, port.width)
            .into_iter()
            .skip(first)
            .take(port.rows)
            .map(|row| {
                if row.continued {
                    Line::from(vec![
                        Span::raw(" ".repeat(row.indent)),
                        Span::styled(CONTINUATION, theme.tone(Tone::Dim)),
                        Span::raw(row.text),
                    ])
                } else {
                    Line::raw(row.text)
                }
            })
            .collect()
    } else {
        lines
            .iter()
            .skip(first)
            .take(port.rows)
            .map(|l| cut_line(wrap::window(l, view.column, port.width), theme))
            .collect()
    };
    let name = theme.mask(view.title.trim()).into_owned();
    let title = title(view, &name, private, keymap, &lines, port);
    let block = theme.block(Line::from(title), true);
    frame.render_widget(Clear, panes.body);
    frame.render_widget(Paragraph::new(body).block(block), panes.body);
}

/// A cut line with its `…` marks dimmed, so they read as marks rather than text.
fn cut_line(shown: String, theme: &Theme) -> Line<'static> {
    let mark = theme.tone(Tone::Dim);
    let rest = shown.strip_prefix(wrap::ELLIPSIS);
    let (left, body) = rest.map_or((false, shown.as_str()), |r| (true, r));
    let (body, right) = body
        .strip_suffix(wrap::ELLIPSIS)
        .map_or((body, false), |b| (b, true));
    let mut spans = Vec::with_capacity(3);
    if left {
        spans.push(Span::styled(wrap::ELLIPSIS.to_string(), mark));
    }
    spans.push(Span::raw(body.to_owned()));
    if right {
        spans.push(Span::styled(wrap::ELLIPSIS.to_string(), mark));
    }
    Line::from(spans)
}

/// ` raw JSON · <id> <pointer> · lines a–b of n · <wrap mode> · esc closes `, fitted to the
/// border. What gives way first is the least needed: the pointer's start (its end names the
/// node), then `esc closes`, the mode, the pointer. The process (or validation) id is never cut
/// unless nothing else is left; whatever is cut ends or starts with `…`.
fn title(
    view: &RawView,
    name: &str,
    private: bool,
    keymap: &Keymap,
    lines: &[String],
    port: Viewport,
) -> String {
    let (a, b) = view.lines_shown(lines, port);
    let wrap_key = keymap.hint(Action::Wrap).unwrap_or_else(|| "wrap".into());
    let mode = if view.wrap {
        format!("wrapped ({wrap_key} cuts)")
    } else {
        let longest = lines.iter().map(|l| wrap::width(l)).max().unwrap_or(0);
        let sideways = if longest > port.width {
            format!(
                "cols {}–{} of {longest}, h/l",
                view.column + 1,
                (view.column + port.width).min(longest)
            )
        } else {
            "nothing cut".to_owned()
        };
        format!("{sideways} ({wrap_key} wraps)")
    };
    let head = format!(" raw JSON{} · ", if private { " (private)" } else { "" });
    let (id, pointer) = match name.rsplit_once(' ') {
        Some((id, pointer)) if pointer.starts_with('/') => (id.to_owned(), pointer.to_owned()),
        _ => (name.to_owned(), String::new()),
    };
    let lines_part = format!("lines {a}–{b} of {}", lines.len());
    // The border's corners take two cells.
    let room = port.width;
    let build = |pointer: &str, extra: &[&str]| {
        let mut parts = vec![format!(
            "{id}{}{pointer}",
            if pointer.is_empty() { "" } else { " " }
        )];
        parts.push(lines_part.clone());
        parts.extend(extra.iter().map(|s| (*s).to_owned()));
        format!("{head}{} ", parts.join(" · "))
    };
    let candidates = [
        build(&pointer, &[&mode, "esc closes"]),
        fit_pointer(&build, &pointer, room, &[&mode, "esc closes"]),
        fit_pointer(&build, &pointer, room, &[&mode]),
        build("", &[&mode]),
        build("", &[]),
    ];
    match candidates.into_iter().find(|t| wrap::width(t) <= room) {
        Some(title) => title,
        None => fit(&build("", &[]), room).into_owned(),
    }
}

/// The title with as much of the pointer's end as fits (`…/image_analysis`), or none of it when
/// fewer than a few cells are left for it.
fn fit_pointer(
    build: &dyn Fn(&str, &[&str]) -> String,
    pointer: &str,
    room: usize,
    extra: &[&str],
) -> String {
    let without = wrap::width(&build("", extra));
    // One cell for the space before the pointer.
    let left = room.saturating_sub(without + 1);
    if left < 6 || pointer.is_empty() {
        return build("", extra);
    }
    if wrap::width(pointer) <= left {
        return build(pointer, extra);
    }
    // The pointer's end, one cell kept for the `…` before it.
    let mut kept: Vec<char> = Vec::new();
    let mut used = 1;
    for c in pointer.chars().rev() {
        used += wrap::char_width(c);
        if used > left {
            break;
        }
        kept.push(c);
    }
    let tail: String = kept.into_iter().rev().collect();
    build(&format!("…{tail}"), extra)
}
