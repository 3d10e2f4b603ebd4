//! One cursor for every scrolling list of rows (the process list, the tree's visible rows): the
//! selected position, the first row drawn, and the viewport height a page is measured in.
//!
//! Movement is data ([`Movement`]) handled by one function, so the keys, the mouse and the
//! overlays cannot disagree on what "page down" or "bottom" means, and no sentinel numbers stand
//! in for "the end".

use crate::keymap::Action;

/// Rows one notch of the mouse wheel moves.
pub const WHEEL_ROWS: usize = 3;

/// How a cursor (or a scroll position) moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Movement {
    Up,
    Down,
    /// The mouse wheel: [`WHEEL_ROWS`] rows at a time.
    ScrollUp,
    ScrollDown,
    /// One viewport less one row, so a row of context stays on screen.
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// A position (a click on a row); clamped to the last row.
    To(usize),
}

impl Movement {
    /// Where position `at` goes in `0..=last`, a page being `page` rows (at least one).
    pub fn step(self, at: usize, page: usize, last: usize) -> usize {
        let page = page.max(1);
        let to = match self {
            Movement::Up => at.saturating_sub(1),
            Movement::Down => at.saturating_add(1),
            Movement::ScrollUp => at.saturating_sub(WHEEL_ROWS),
            Movement::ScrollDown => at.saturating_add(WHEEL_ROWS),
            Movement::PageUp => at.saturating_sub(page),
            Movement::PageDown => at.saturating_add(page),
            Movement::Top => 0,
            Movement::Bottom => last,
            Movement::To(n) => n,
        };
        to.min(last)
    }

    /// True for the movements towards the end; panes that step between items (the preview's
    /// images) only need the direction.
    pub fn is_forward(self) -> bool {
        match self {
            Movement::Up | Movement::ScrollUp | Movement::PageUp | Movement::Top => false,
            Movement::Down
            | Movement::ScrollDown
            | Movement::PageDown
            | Movement::Bottom
            | Movement::To(_) => true,
        }
    }
}

/// Rows a page moves in a viewport of `height` rows: all but one, and at least one.
pub fn page_rows(height: usize) -> usize {
    height.saturating_sub(1).max(1)
}

/// How a key scrolls the help or the raw view (the overlays that scroll), if it does.
pub fn scrolling(action: Action) -> Option<Movement> {
    Some(match action {
        Action::Up => Movement::Up,
        Action::Down => Movement::Down,
        Action::PageUp => Movement::PageUp,
        Action::PageDown => Movement::PageDown,
        Action::Top => Movement::Top,
        Action::Bottom => Movement::Bottom,
        _ => return None,
    })
}

/// A selected position among `len` rows and the window of rows drawn around it.
///
/// The cursor does not hold the rows, so every call that depends on them takes their count:
/// the owner (the list, the tree) changes its rows and tells the cursor how many there are.
/// With no rows the selection is 0 and means nothing.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    selected: usize,
    /// First row drawn; kept so the selection stays in view.
    offset: usize,
    /// The viewport's height as last laid out (0 before the first layout).
    height: usize,
    /// Rows beyond one the selection took at the last layout (its text wrapped).
    extra: usize,
}

impl Cursor {
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn height(&self) -> usize {
        self.height
    }

    /// Moves among `len` rows; a page is the viewport height last given to
    /// [`Cursor::scroll_into_view`].
    pub fn move_by(&mut self, movement: Movement, len: usize) {
        let last = len.saturating_sub(1);
        self.selected = movement.step(self.selected, page_rows(self.height), last);
    }

    /// Selects position `pos`, clamped to the last of `len` rows.
    pub fn select(&mut self, pos: usize, len: usize) {
        self.selected = pos.min(len.saturating_sub(1));
    }

    /// Keeps the selection on a row after the rows changed to `len`.
    pub fn clamp(&mut self, len: usize) {
        self.select(self.selected, len);
    }

    /// Records the viewport height and scrolls as little as possible so the selection is inside
    /// it, never past the point where the last row is on the bottom line.
    pub fn scroll_into_view(&mut self, height: usize, len: usize) {
        self.scroll_tall_into_view(height, len, 1);
    }

    /// [`Cursor::scroll_into_view`] when the selected row is drawn `tall` screen rows high (its
    /// text wrapped) and every other row one: the whole selected row is kept in view.
    pub fn scroll_tall_into_view(&mut self, height: usize, len: usize, tall: usize) {
        self.height = height;
        let height = height.max(1);
        // Rows the selection's extra lines take from the window.
        let extra = tall.clamp(1, height) - 1;
        self.extra = extra;
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected + extra >= self.offset + height {
            self.offset = self.selected + extra + 1 - height;
        }
        self.offset = self.offset.min((len + extra).saturating_sub(height));
    }

    /// Scrolls up to `row` (above the selection) when it fits in one viewport with the
    /// selection, so context such as a tree node's parent stays on screen; else leaves the
    /// scroll alone. Call after [`Cursor::scroll_into_view`].
    pub fn reveal_above(&mut self, row: usize) {
        let height = self.height.max(1);
        let bottom = self.selected + self.extra;
        if row < self.offset && row <= self.selected && bottom < row + height {
            self.offset = row;
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// A selection drawn `tall` rows high is in view whole, the window is moved as little
        /// as possible, and no row is left empty below the end.
        #[test]
        fn a_tall_selection_is_kept_in_view_whole(
            len in 1usize..200,
            at in 0usize..200,
            height in 1usize..40,
            tall in 1usize..12,
            offset_from in 0usize..200,
        ) {
            let mut cursor = Cursor::default();
            cursor.select(offset_from, len);
            cursor.scroll_into_view(height, len);
            let before = cursor.offset();
            cursor.select(at, len);
            cursor.scroll_tall_into_view(height, len, tall);
            let (sel, after) = (cursor.selected(), cursor.offset());
            let extra = tall.min(height) - 1;
            prop_assert!(after <= sel, "{cursor:?}");
            prop_assert!(sel + extra < after + height, "the whole row shows: {cursor:?}");
            prop_assert!(after <= (len + extra).saturating_sub(height), "{cursor:?}");
            if before <= sel && sel + extra < before + height
                && before <= (len + extra).saturating_sub(height)
            {
                prop_assert_eq!(after, before, "already in view: not moved");
            }
        }
    }
}
