//! The raw JSON view: a node's JSON sub-tree, every field included, scrollable.

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph};

use super::{Panes, Theme, inner};
use crate::app::overlay::RawView;

pub(super) fn draw(view: &RawView, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    let private = theme.private;
    let rows = usize::from(inner(panes.body).height);
    let last = (view.scroll + rows).min(view.lines.len());
    let title = format!(
        " raw JSON{} · {} · lines {}–{} of {} · esc closes ",
        if private { " (private)" } else { "" },
        theme.mask(view.title.trim()),
        (view.scroll + 1).min(last),
        last,
        view.lines.len()
    );
    let block = theme.block(Line::from(title), true);
    let start = view.scroll.min(view.lines.len());
    // Masked whole by the app when the view opened (a value's personal key may be lines above
    // the part on screen); never the unmasked lines in privacy mode, even if that was missed.
    let late;
    let shown = match (&view.masked, private) {
        (_, false) => &view.lines,
        (Some(masked), true) => masked,
        (None, true) => {
            late = theme.known.mask_raw_view(&view.pointer, &view.lines);
            &late
        }
    };
    let lines: Vec<Line> = shown
        [start.min(shown.len())..last.min(shown.len()).max(start.min(shown.len()))]
        .iter()
        .map(|l| Line::raw(l.as_str()))
        .collect();
    frame.render_widget(Clear, panes.body);
    frame.render_widget(Paragraph::new(lines).block(block), panes.body);
}
