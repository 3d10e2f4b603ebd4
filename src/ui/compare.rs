//! The compare view: the document photo beside the selfie, under a header that says whose
//! process this is and how its face check went, so a reviewer decides without leaving it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::preview::{draw_image, note};
use super::{Panes, Theme};
use crate::api::model::ProcessResult;
use crate::app::preview::zoom::Side;
use crate::app::preview::{Comparison, comparison};
use crate::app::tree::Tone;
use crate::app::{App, ResultView};
use crate::keymap::Action;
use crate::sanitize::terminal_text;
use crate::wrap;

/// ` compare · <hints> · esc closes `: the hints that fit in `room` cells, the least needed
/// (last) dropped first, never cut halfway; `?` lists them all.
fn title(hints: &[String], room: usize) -> String {
    (0..=hints.len())
        .rev()
        .map(|n| {
            let mut parts = vec!["compare".to_owned()];
            parts.extend(hints[..n].iter().cloned());
            parts.push("esc closes".to_owned());
            format!(" {} ", parts.join(" · "))
        })
        .find(|t| wrap::width(t) <= room)
        .unwrap_or_else(|| " compare ".to_owned())
}

/// A header line cut to `room` cells with `…` when it does not fit (never cut silently).
fn fit_line(line: Line<'static>, room: usize) -> Line<'static> {
    let pieces: Vec<(&str, ratatui::style::Style)> = line
        .spans
        .iter()
        .map(|span| (span.content.as_ref(), span.style))
        .collect();
    Line::from(
        wrap::fit(&pieces, room)
            .into_iter()
            .map(|(text, style)| Span::styled(text, style))
            .collect::<Vec<_>>(),
    )
}

pub(super) fn draw(app: &App, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    frame.render_widget(Clear, panes.body);
    let key = |action| app.keymap().hint(action).unwrap_or_default();
    let hints = [
        format!("{}/{} next process", key(Action::Down), key(Action::Up)),
        format!(
            "{}/{} next failed",
            key(Action::NextFailed),
            key(Action::PrevFailed)
        ),
        format!("{} side", key(Action::NextPane)),
        format!("{}/{} zoom", key(Action::ZoomIn), key(Action::ZoomOut)),
    ];
    let title = title(&hints, usize::from(panes.body.width.saturating_sub(2)));
    frame.render_widget(theme.block(Line::from(title), true), panes.body);
    let (process_id, result, tree) = match app.view() {
        ResultView::Ready {
            process_id,
            result,
            tree,
        } => (process_id, result, tree),
        ResultView::Loading { process_id } | ResultView::Failed { process_id, .. } => {
            let text = match app.view() {
                ResultView::Failed { error, .. } => format!("✗ {}", terminal_text(error)),
                _ => "loading…".to_owned(),
            };
            let header = Line::from(vec![
                Span::styled(
                    terminal_text(process_id).into_owned(),
                    theme.tone(Tone::Strong),
                ),
                Span::raw("  "),
                Span::styled(text, theme.tone(Tone::Dim)),
            ]);
            frame.render_widget(Paragraph::new(header), panes.compare_header);
            return;
        }
        ResultView::Empty | ResultView::NoId => {
            note(
                frame,
                panes.compare_header,
                "no process selected",
                Tone::Dim,
                theme,
            );
            return;
        }
    };
    let c = comparison(tree, result);
    let room = usize::from(panes.compare_header.width);
    let header = vec![
        fit_line(who(process_id, result, theme), room),
        fit_line(face_line(&c, theme), room),
    ];
    frame.render_widget(Paragraph::new(header), panes.compare_header);
    let missing_selfie = if c.face_check {
        "no selfie in this process"
    } else {
        "no face check in this process: no selfie to compare"
    };
    let sides = [
        (
            Side::Document,
            c.document,
            "no document photo in this process",
        ),
        (Side::Selfie, c.selfie, missing_selfie),
    ];
    for (i, (side, request, missing)) in sides.into_iter().enumerate() {
        let (image, label) = (panes.compare_images[i], panes.compare_labels[i]);
        match request {
            Some(r) => draw_image(app, frame, side, r, [image, label], theme),
            None => note(frame, image, missing, Tone::Dim, theme),
        }
        if side == app.compare_side() {
            mark_active(frame, label, theme);
        }
    }
}

/// Line one: the process id, the person, the document number, the status and why it failed.
fn who<'a>(process_id: &str, r: &ProcessResult, theme: &Theme) -> Line<'a> {
    let clean = |s: &str| terminal_text(s).into_owned();
    let mut spans = vec![Span::styled(clean(process_id), theme.tone(Tone::Strong))];
    let name: Vec<&str> = [r.first_name.as_deref(), r.last_name.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    // Privacy mode decides by field name, in one place (`crate::privacy`).
    let personal = |key: &str, value: &str| -> String {
        if theme.private {
            theme.known.mask_field(key, &clean(value)).into_owned()
        } else {
            clean(value)
        }
    };
    if !name.is_empty() {
        spans.push(Span::raw(format!(
            " · {}",
            personal("full_name", &name.join(" "))
        )));
    }
    if let Some(number) = &r.document_number {
        spans.push(Span::raw(format!(
            " · doc {}",
            personal("document_number", number)
        )));
    }
    let (word, tone) = super::text::status_word(r.status.as_ref());
    spans.push(Span::raw(" · "));
    spans.push(Span::styled(word, theme.tone(tone)));
    if let Some(reason) = &r.declined_reason {
        spans.push(Span::styled(
            format!(
                " ({})",
                theme.mask(&clean(crate::api::model::reasons::label(reason)))
            ),
            theme.tone(Tone::Bad),
        ));
    }
    Line::from(spans)
}

/// Line two: the similarity against the threshold and liveness, or plainly that there is no
/// face check and what the process has instead.
fn face_line<'a>(c: &Comparison<'_>, theme: &Theme) -> Line<'a> {
    if !c.face_check {
        let has = if c.validation_types.is_empty() {
            "no validations".to_owned()
        } else {
            terminal_text(&c.validation_types.join(", ")).into_owned()
        };
        return Line::from(vec![
            Span::styled("no face check in this process", theme.tone(Tone::Warn)),
            Span::styled(format!(" · it has: {has}"), theme.tone(Tone::Dim)),
        ]);
    }
    let fmt = |n: Option<f64>| n.map_or("?".to_owned(), |n| format!("{n:.2}"));
    let (verdict, tone) = match (c.similarity, c.threshold) {
        (Some(s), Some(t)) if s >= t => ("✓ passes", Tone::Good),
        (Some(_), Some(_)) => ("✗ below", Tone::Bad),
        (None, _) => ("? no score yet", Tone::Dim),
        (Some(_), None) => ("? no threshold", Tone::Dim),
    };
    let mut spans = vec![
        Span::styled(
            format!(
                "similarity {} / threshold {} ",
                fmt(c.similarity),
                fmt(c.threshold)
            ),
            theme.tone(Tone::Strong),
        ),
        Span::styled(verdict, theme.tone(tone)),
    ];
    if let Some(liveness) = c.liveness {
        let tone = match liveness {
            "success" => Tone::Good,
            "failure" => Tone::Bad,
            _ => Tone::Warn,
        };
        spans.push(Span::raw(" · liveness "));
        spans.push(Span::styled(
            terminal_text(liveness).into_owned(),
            theme.tone(tone),
        ));
    }
    if let Some(status) = c.status {
        let (word, tone) = super::text::status_word(Some(status));
        spans.push(Span::raw(" · face check "));
        spans.push(Span::styled(word, theme.tone(tone)));
    }
    if let Some(s) = c.similarity_status {
        spans.push(Span::styled(
            format!(" · similarity status {}", theme.mask(&terminal_text(s))),
            theme.tone(Tone::Dim),
        ));
    }
    Line::from(spans)
}

/// The side the zoom and movement keys act on: a marker at the start of its label row.
fn mark_active(frame: &mut Frame, label: Rect, theme: &Theme) {
    if label.height == 0 || label.x < 2 {
        return;
    }
    let style: Style = theme.selected();
    frame
        .buffer_mut()
        .set_string(label.x - 2, label.y, "▶", style);
}
