//! The raw JSON view: a node's JSON sub-tree, every field included, scrollable.

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::{Panes, Theme, inner};
use crate::app::overlay::RawView;

pub(super) fn draw(view: &RawView, private: bool, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    let rows = usize::from(inner(panes.body).height);
    let last = (view.scroll + rows).min(view.lines.len());
    let title = format!(
        " raw JSON{} · {} · lines {}–{} of {} · esc closes ",
        if private { " (private)" } else { "" },
        crate::privacy::mask_text(view.title.trim()),
        (view.scroll + 1).min(last),
        last,
        view.lines.len()
    );
    let block = theme.block(Line::from(title), true);
    let start = view.scroll.min(view.lines.len());
    // Masked whole (a value's personal key may be lines above the part on screen); the pretty
    // printing of masked JSON has the same number of lines, so scrolling is unchanged.
    let masked = private.then(|| crate::privacy::mask_raw_view(&view.pointer, &view.lines));
    let shown = masked.as_deref().unwrap_or(&view.lines);
    let lines: Vec<Line> = shown
        [start.min(shown.len())..last.min(shown.len()).max(start.min(shown.len()))]
        .iter()
        .map(|l| Line::raw(l.as_str()))
        .collect();
    frame.render_widget(Clear, panes.body);
    frame.render_widget(Paragraph::new(lines).block(block), panes.body);
}
