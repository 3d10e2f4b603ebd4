//! The validation tree pane, drawn with `tui_tree_widget::Tree` from the app's tree model.
//!
//! The model owns expansion, cursor and scroll offset (it is pure and tested without a
//! terminal); the widget's `TreeState` is rebuilt from it on every frame. Only the expanded part
//! of the tree becomes `TreeItem`s: a closed node gets one placeholder child so the widget draws
//! it as closed. `TreeState` has no offset setter, so when the model has scrolled, a render into a
//! 1×1 scratch buffer first tells the state how many rows there are, and `scroll_down` then sets
//! the model's offset exactly.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, StatefulWidget, Wrap};
use tui_tree_widget::{Tree as TreeWidget, TreeItem, TreeState};

use super::{Panes, Theme, focused, inner};
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
    let items = items(
        tree,
        theme,
        0,
        tree.nodes().len(),
        &mut Vec::new(),
        &mut opened,
    );
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
    let inner_area = inner(area);
    frame.render_widget(block, area);
    frame.render_stateful_widget(widget, inner_area, &mut state);
}

/// Items for the nodes in `start..end` that are visible, recording each opened node's path.
fn items<'a>(
    tree: &Tree,
    theme: &Theme,
    start: usize,
    end: usize,
    path: &mut Vec<usize>,
    opened: &mut Vec<Vec<usize>>,
) -> Vec<TreeItem<'a, usize>> {
    let nodes = tree.nodes();
    let mut out = Vec::new();
    let mut i = start;
    while i < end.min(nodes.len()) {
        let node = &nodes[i];
        let label = label(tree, i, theme);
        let item = if !node.has_children(i) {
            TreeItem::new_leaf(i, label)
        } else if tree.is_expanded(i) {
            path.push(i);
            opened.push(path.clone());
            let children = items(tree, theme, i + 1, node.end, path, opened);
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

fn label<'a>(tree: &Tree, index: usize, theme: &Theme) -> Line<'a> {
    let node = &tree.nodes()[index];
    // Masked once per node, not per frame (the tree keeps the masked parts).
    let mut masked = theme
        .private
        .then(|| {
            tree.masked_parts(index, |node| {
                let pointer = node.raw.as_ref().map(|r| r.pointer.as_str());
                node.parts
                    .iter()
                    .enumerate()
                    .map(|(i, part)| {
                        theme
                            .known
                            .mask_labelled(pointer, i, &part.text)
                            .into_owned()
                    })
                    .collect()
            })
        })
        .map(Vec::into_iter);
    let mut spans = Vec::with_capacity(node.parts.len() * 2);
    for (i, part) in node.parts.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(" "));
        }
        let text = match masked.as_mut() {
            Some(masked) => masked.next().unwrap_or_default(),
            None => part.text.clone(),
        };
        spans.push(Span::styled(text, theme.tone(part.tone)));
    }
    Line::from(spans)
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
