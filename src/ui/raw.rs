//! The raw JSON view: a node's JSON sub-tree, every field included, scrollable.

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::{Panes, Theme, inner};
use crate::app::overlay::RawView;

pub(super) fn draw(view: &RawView, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    let rows = usize::from(inner(panes.body).height);
    let last = (view.scroll + rows).min(view.lines.len());
    let title = format!(
        " raw JSON · {} · lines {}–{} of {} · esc closes ",
        view.title.trim(),
        (view.scroll + 1).min(last),
        last,
        view.lines.len()
    );
    let block = theme.block(Line::from(title), true);
    let start = view.scroll.min(view.lines.len());
    let lines: Vec<Line> = view.lines[start..last.max(start)]
        .iter()
        .map(|l| Line::raw(l.as_str()))
        .collect();
    frame.render_widget(Clear, panes.body);
    frame.render_widget(Paragraph::new(lines).block(block), panes.body);
}
