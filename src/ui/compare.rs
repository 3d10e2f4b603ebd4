//! The compare view: the document photo beside the selfie, with the face match score.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::preview::{draw_image, note};
use super::{Panes, Theme};
use crate::app::preview::comparison;
use crate::app::tree::Tone;
use crate::app::{App, ResultView};
use crate::sanitize::terminal_text;

pub(super) fn draw(app: &App, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    frame.render_widget(Clear, panes.body);
    let block = theme.block(
        Line::from(" compare · document vs selfie · esc closes "),
        true,
    );
    frame.render_widget(block, panes.body);
    let ResultView::Ready { tree, result, .. } = app.view() else {
        return;
    };
    let c = comparison(tree, result);
    let fmt = |n: Option<f64>| n.map_or("?".to_owned(), |n| format!("{n:.2}"));
    let (verdict, tone) = match (c.similarity, c.threshold) {
        (Some(s), Some(t)) if s >= t => ("✓ passes the threshold", Tone::Good),
        (Some(_), Some(_)) => ("✗ below the threshold", Tone::Bad),
        _ => ("? no face match score", Tone::Dim),
    };
    let mut spans = vec![
        Span::styled(
            format!(
                "similarity {} / threshold {}",
                fmt(c.similarity),
                fmt(c.threshold)
            ),
            theme.tone(Tone::Strong),
        ),
        Span::raw("  "),
        Span::styled(verdict, theme.tone(tone)),
    ];
    if let Some(status) = c.status {
        let (word, tone) = super::text::status_word(Some(status));
        spans.push(Span::raw("  · validation "));
        spans.push(Span::styled(word, theme.tone(tone)));
    }
    if let Some(s) = c.similarity_status {
        spans.push(Span::raw(format!(
            " · similarity status {}",
            crate::privacy::mask_text(&terminal_text(s))
        )));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), panes.compare_header);
    let sides = [(c.document, "no document photo"), (c.selfie, "no selfie")];
    for (i, (request, missing)) in sides.into_iter().enumerate() {
        let (image, label) = (panes.compare_images[i], panes.compare_labels[i]);
        match request {
            Some(r) => draw_image(app, frame, r, image, label, theme),
            None => note(frame, image, missing, Tone::Dim, theme),
        }
    }
}
