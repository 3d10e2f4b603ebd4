//! The validation tree pane, drawn with `tui_tree_widget::Tree` from the app's tree model.
//!
//! The model owns expansion, cursor and scroll offset (it is pure and tested without a
//! terminal); the widget's `TreeState` is rebuilt from it on every frame. Only the expanded part
//! of the tree becomes `TreeItem`s: a closed node gets one placeholder child so the widget draws
//! it as closed. `TreeState` has no offset setter, so when the model has scrolled, a render into a
//! 1×1 scratch buffer first tells the state how many rows there are, and `scroll_down` then sets
//! the model's offset exactly.
//!
//! No row is cut silently: the cursor's row shows its whole text wrapped over as many rows as it
//! needs (the widget draws a multi-line item as one highlighted block, and the model scrolls with
//! that height in mind, see `app::tree::rows`); every other row that does not fit ends in `…`.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Paragraph, StatefulWidget, Wrap};
use tui_tree_widget::{Tree as TreeWidget, TreeItem, TreeState};

use super::{Panes, Theme, focused, inner};
use crate::app::tree::rows;
use crate::app::tree::{NodeKind, Tone, Tree};
use crate::app::{App, Focus, ResultView};
use crate::sanitize::terminal_text;

/// The identifier of a closed node's invisible child.
const PLACEHOLDER: usize = usize::MAX;

pub(super) fn draw(app: &App, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    let focus = focused(app, Focus::Tree);
    let (title, body) = match app.view() {
        ResultView::Ready { tree, .. } => {
            let failed = tree
                .nodes()
                .iter()
                .filter(|n| n.failing && matches!(n.kind, NodeKind::Check))
                .count();
            let title = match failed {
                0 => " result ".to_owned(),
                1 => " result · 1 failed check ".to_owned(),
                n => format!(" result · {n} failed checks "),
            };
            let block = theme.block(Line::from(title), focus);
            draw_tree(tree, frame, block, panes.tree, theme);
            return;
        }
        ResultView::Empty => (" result ", "no process selected".to_owned()),
        ResultView::NoId => (" result ", "this list entry has no process id".to_owned()),
        ResultView::Loading { .. } => (" result ", "loading result…".to_owned()),
        ResultView::Failed { error, .. } => (
            " result ",
            format!(
                "✗ could not load the result: {} (r retries)",
                terminal_text(error)
            ),
        ),
    };
    let tone = if body.starts_with('✗') {
        Tone::Bad
    } else {
        Tone::Dim
    };
    let p = Paragraph::new(Span::styled(body, theme.tone(tone)))
        .wrap(Wrap { trim: true })
        .block(theme.block(Line::from(title), focus));
    frame.render_widget(p, panes.tree);
}

fn draw_tree(
    tree: &Tree,
    frame: &mut Frame,
    block: tui_tree_widget::Block<'_>,
    area: Rect,
    theme: &Theme,
) {
    let mut opened = Vec::new();
    let inner_area = inner(area);
    let labels = Labels {
        tree,
        theme,
        area: inner_area,
        cursor: tree.cursor_index(),
    };
    let items = items(&labels, 0, tree.nodes().len(), &mut Vec::new(), &mut opened);
    let Ok(widget) = TreeWidget::new(&items) else {
        return;
    };
    let widget = widget
        .highlight_style(theme.selected())
        .highlight_symbol("› ")
        .node_closed_symbol("▸ ")
        .node_open_symbol("▾ ")
        .node_no_children_symbol("  ");
    let mut state = TreeState::default();
    for path in opened {
        state.open(path);
    }
    let offset = tree.offset();
    if offset > 0 {
        let mut scratch = Buffer::empty(Rect::new(0, 0, 1, 1));
        widget
            .clone()
            .render(scratch.area, &mut scratch, &mut state);
        state.scroll_down(offset);
    }
    if let Some(cursor) = tree.cursor_index() {
        state.select(path_to(tree, cursor));
    }
    frame.render_widget(block, area);
    frame.render_stateful_widget(widget, inner_area, &mut state);
}

/// What every row's text is drawn from.
struct Labels<'t> {
    tree: &'t Tree,
    theme: &'t Theme<'t>,
    /// The tree's area inside the border: the width text is fitted to, the height the cursor's
    /// wrapped row may take at most.
    area: Rect,
    cursor: Option<usize>,
}

/// Items for the nodes in `start..end` that are visible, recording each opened node's path.
fn items<'a>(
    labels: &Labels<'_>,
    start: usize,
    end: usize,
    path: &mut Vec<usize>,
    opened: &mut Vec<Vec<usize>>,
) -> Vec<TreeItem<'a, usize>> {
    let tree = labels.tree;
    let nodes = tree.nodes();
    let mut out = Vec::new();
    let mut i = start;
    while i < end.min(nodes.len()) {
        let node = &nodes[i];
        let label = label(labels, i);
        let item = if !node.has_children(i) {
            TreeItem::new_leaf(i, label)
        } else if tree.is_expanded(i) {
            path.push(i);
            opened.push(path.clone());
            let children = items(labels, i + 1, node.end, path, opened);
            path.pop();
            TreeItem::new(i, label.clone(), children)
                .unwrap_or_else(|_| TreeItem::new_leaf(i, label))
        } else {
            let placeholder = vec![TreeItem::new_leaf(PLACEHOLDER, "")];
            TreeItem::new(i, label.clone(), placeholder)
                .unwrap_or_else(|_| TreeItem::new_leaf(i, label))
        };
        out.push(item);
        i = node.end.max(i + 1);
    }
    out
}

/// A node's text: wrapped whole on the cursor's row, one row cut with `…` elsewhere; masked in
/// privacy mode before either.
fn label<'a>(labels: &Labels<'_>, index: usize) -> Text<'a> {
    let known = labels.theme.private.then_some(labels.theme.known);
    let rows = rows::rows(
        labels.tree,
        index,
        known,
        labels.area.width,
        labels.cursor == Some(index),
        usize::from(labels.area.height),
    );
    let lines: Vec<Line<'a>> = rows
        .into_iter()
        .map(|row| {
            Line::from(
                row.into_iter()
                    .map(|(text, tone)| Span::styled(text, labels.theme.tone(tone)))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    Text::from(lines)
}

/// The widget's identifier of a node: the indices from its top-level ancestor down to it.
fn path_to(tree: &Tree, index: usize) -> Vec<usize> {
    let mut path = vec![index];
    let mut up = tree.nodes().get(index).and_then(|n| n.parent);
    while let Some(p) = up {
        path.push(p);
        up = tree.nodes()[p].parent;
    }
    path.reverse();
    path
}
