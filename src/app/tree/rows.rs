//! The tree pane's rows as text: what each node's label reads (masked in privacy mode) and how
//! many screen rows the row under the cursor takes once its text is wrapped.
//!
//! The cursor's row shows its whole text, wrapped to the pane; every other row is cut to one line
//! ending in `…`. The app needs the cursor row's height as much as the ui: to keep the whole row
//! in view when scrolling and to know which node a click lands on. Both compute it here, from the
//! same masked text (masking first, so masked text wraps as masked) and the same widths.

use ratatui::layout::Rect;

use crate::app::tree::{Tone, Tree};
use crate::privacy::Known;
use crate::wrap;

/// Cells before a row's text: the cursor mark (`› `) and the node's open/closed mark (`▸ `),
/// as `ui::tree` hands them to the tree widget, plus two cells of indent per level.
const MARKS: usize = 4;

/// Below this many cells of text a wrapped row would be a column of fragments: the text is cut
/// with `…` instead (the raw view, `v`, still shows all of it).
const MIN_WRAP: usize = 8;

/// Node `index`'s label as drawn: its parts joined by spaces; in privacy mode (`known` given,
/// the shown process's personal values) masked part by part, once per node: the tree keeps the
/// masked parts until it is rebuilt.
pub fn label(tree: &Tree, index: usize, known: Option<&Known>) -> Vec<(String, Tone)> {
    let Some(node) = tree.nodes().get(index) else {
        return Vec::new();
    };
    let masked = known.map(|known| {
        tree.masked_parts(index, |node| {
            let pointer = node.raw.as_ref().map(|r| r.pointer.as_str());
            node.parts
                .iter()
                .enumerate()
                .map(|(i, part)| known.mask_labelled(pointer, i, &part.text).into_owned())
                .collect()
        })
    });
    let mut masked = masked.map(Vec::into_iter);
    let mut out = Vec::with_capacity(node.parts.len() * 2);
    for (i, part) in node.parts.iter().enumerate() {
        if i > 0 {
            out.push((" ".to_owned(), Tone::Plain));
        }
        let text = match masked.as_mut() {
            Some(masked) => masked.next().unwrap_or_default(),
            None => part.text.clone(),
        };
        out.push((text, part.tone));
    }
    out
}

/// Cells a node's text has in a pane whose inside is `width` cells wide.
pub fn text_width(width: u16, depth: usize) -> usize {
    usize::from(width).saturating_sub(MARKS + 2 * depth)
}

/// The rows a node's label is drawn in: wrapped to the pane when `whole` (the cursor's row),
/// at most `max_rows` of them, the last ending in `…` when even those do not hold it all;
/// otherwise one row, cut with `…` when it does not fit.
pub fn rows(
    tree: &Tree,
    index: usize,
    known: Option<&Known>,
    width: u16,
    whole: bool,
    max_rows: usize,
) -> Vec<wrap::Row<Tone>> {
    let text = label(tree, index, known);
    let depth = tree.nodes().get(index).map_or(0, |n| n.depth);
    let pieces: Vec<(&str, Tone)> = text.iter().map(|(t, tone)| (t.as_str(), *tone)).collect();
    let cells = text_width(width, depth);
    if !whole || cells < MIN_WRAP {
        return vec![wrap::fit(&pieces, cells)];
    }
    let mut rows = wrap::wrap(&pieces, cells, cells);
    let max_rows = max_rows.max(1);
    if rows.len() > max_rows {
        rows.truncate(max_rows);
        if let Some(last) = rows.pop() {
            rows.push(wrap::mark_cut(last, cells));
        }
    }
    rows
}

/// Screen rows the cursor's node takes in the tree pane `inner` (inside its border): one when
/// its text fits, more when it wraps, never more than the pane's height.
pub fn cursor_height(tree: &Tree, known: Option<&Known>, inner: Rect) -> usize {
    let height = usize::from(inner.height);
    tree.cursor_index().map_or(1, |index| {
        rows(tree, index, known, inner.width, true, height).len()
    })
}

/// The visible position a click on screen row `row` (inside the pane, 0 at the top) lands on,
/// given the cursor's row takes `cursor_height` rows; `None` below the last row.
pub fn position_at(tree: &Tree, row: usize, cursor_height: usize) -> Option<usize> {
    let first = tree.offset();
    let cursor = tree.cursor();
    let tall = cursor_height.max(1);
    let target = match cursor.checked_sub(first) {
        // Rows below the cursor's: its extra rows push them down.
        Some(at_cursor) if row >= at_cursor + tall => first + row - (tall - 1),
        Some(at_cursor) if row >= at_cursor => cursor,
        _ => first + row,
    };
    (target < tree.visible().len()).then_some(target)
}
