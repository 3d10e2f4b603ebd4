//! The layout as this app's state asks for it: the list as wide as its content, and on a narrow
//! terminal one pane at a time (k9s, lazygit): the list, or the process (a bar naming it, the
//! tree, the preview). The focus decides which: `tab`, `enter` or `l` open the process, `h` at
//! the tree's root, `tab` from the preview and `esc` come back to the list.

use ratatui::layout::Rect;

use super::{ListShape, Panes, layout_with};
use crate::app::list::columns::{self, ContentWidths, MARKS};
use crate::images::CellSize;

/// Borders and the cursor marker around a list row.
const LIST_CHROME: usize = 4;

/// The panes for a screen of `area`: with or without `images`, the list shaped by `list`, the
/// image areas capped at `max_cells` (the app asks for images at the size the ui draws them,
/// so both lay out through here).
pub fn panes_for(area: Rect, images: bool, list: ListShape, max_cells: Option<CellSize>) -> Panes {
    let mut panes = layout_with(area, images, list);
    if let Some((columns, rows)) = max_cells {
        // Each keeps its top-left corner.
        let cap = |area: &mut Rect| {
            area.width = area.width.min(columns);
            area.height = area.height.min(rows);
        };
        cap(&mut panes.preview_image);
        panes.compare_images.iter_mut().for_each(cap);
    }
    panes
}

/// Cells of a list row outside the columns: the cursor marker, and the review marks when shown.
pub fn list_row_chrome(marks: bool) -> usize {
    2 + if marks { MARKS } else { 0 }
}

/// What the layout needs of the list: its content's widths, whether the review marks column is
/// shown, and (compact layout) whether the process is shown instead of the list.
pub fn list_shape(content: &ContentWidths, marks: bool, process_shown: bool) -> ListShape {
    let chrome = LIST_CHROME + if marks { MARKS } else { 0 };
    let cells = |n: usize| u16::try_from(n + chrome).unwrap_or(u16::MAX);
    ListShape {
        wanted: cells(columns::wanted(content)),
        essential: cells(columns::essential(content)),
        process_shown,
    }
}
