//! The layout as this app's state asks for it: the list as wide as its content, and on a narrow
//! terminal one pane at a time (k9s, lazygit): the list, or the process (a bar naming it, the
//! tree, the preview). The focus decides which: `tab`, `enter` or `l` open the process, `h` at
//! the tree's root, `tab` from the preview and `esc` come back to the list.

use ratatui::layout::Rect;

use crate::app::layout::{self, ListShape, Panes};
use crate::app::list::columns::{self, MARKS};
use crate::app::review::Access;
use crate::app::{App, Focus};

/// Borders and the cursor marker around a list row.
const LIST_CHROME: usize = 4;

impl App {
    /// The layout for a screen of `area` (the runtime's size is [`App::panes`]).
    pub fn panes_in(&self, area: Rect) -> Panes {
        self.cap_images(layout::layout_with(
            area,
            self.opts.images_enabled,
            self.list_shape(),
        ))
    }

    /// Whether the list shows the review marks column (whenever a review store is open).
    pub fn list_marks(&self) -> bool {
        !matches!(self.review.access(), Access::Unavailable(_))
    }

    /// Cells of a list row outside the columns: the cursor marker, and the marks when shown.
    pub fn list_row_chrome(&self) -> usize {
        2 + if self.list_marks() { MARKS } else { 0 }
    }

    fn list_shape(&self) -> ListShape {
        let content = self.list.content_widths();
        let chrome = LIST_CHROME + if self.list_marks() { MARKS } else { 0 };
        let cells = |n: usize| u16::try_from(n + chrome).unwrap_or(u16::MAX);
        ListShape {
            wanted: cells(columns::wanted(content)),
            essential: cells(columns::essential(content)),
            process_shown: self.focus != Focus::List,
        }
    }

    /// `esc` in the compact layout's process view goes back to the list; false when there is
    /// nothing to go back from.
    pub(in crate::app) fn back_to_list(&mut self) -> bool {
        let compact = self.panes().compact;
        if compact && self.focus != Focus::List {
            self.focus = Focus::List;
            return true;
        }
        false
    }
}
