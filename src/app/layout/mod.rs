//! Where everything goes on screen, as pure geometry: no drawing, no state.
//!
//! The app needs the layout as much as the ui does (how many rows a page is, which row a click
//! lands on, at which cell size to ask for images), so it lives here and the ui draws into it.
//! Terminals can be huge (a 4K screen at a small font is well over 1,000 columns), so every
//! proportion is computed in `u32` and every sum saturates.

mod compact;

pub use compact::{list_row_chrome, list_shape, panes_for};

use ratatui::layout::Rect;

/// The smallest terminal the browser draws in.
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// The narrowest the tree and preview column gets beside the list; a terminal without this
/// much room next to the list's essential columns gets the compact layout.
pub const TREE_MIN: u16 = 40;
/// Below this many columns the layout is compact whatever the list holds.
pub const COMPACT_BELOW: u16 = 120;
/// The share of a wide terminal the tree keeps at least: the list takes only what its content
/// wants, up to the rest (at 150 columns that still holds the id, status, reason and name).
const TREE_SHARE: u16 = 42;

/// What the layout needs to know of the list (see `app::list::columns`): how wide its rows want to
/// be, how wide they must be, and on a compact screen which pane is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListShape {
    /// Cells, borders included, to show every column whole.
    pub wanted: u16,
    /// Cells, borders included, without which the whole id, the status, the date and the
    /// reason do not fit.
    pub essential: u16,
    /// Compact layout: the process (tree and preview) is shown instead of the list.
    pub process_shown: bool,
}

impl Default for ListShape {
    /// A list of 35-character ids with the usual columns.
    fn default() -> ListShape {
        ListShape {
            wanted: 120,
            essential: 81,
            process_shown: false,
        }
    }
}

/// Where everything goes for a terminal of a given size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Panes {
    pub too_small: bool,
    /// One pane at a time (a terminal too narrow for the list's essential columns beside the
    /// tree): the list full width, or the process bar, tree and preview; panes not shown are
    /// empty rectangles.
    pub compact: bool,
    /// Compact layout, process shown: one row naming the process (id, status, reason, person).
    pub process_bar: Rect,
    /// List, tree and preview together; the compare and raw views cover it.
    pub body: Rect,
    pub list: Rect,
    pub tree: Rect,
    pub preview: Rect,
    /// Inside the preview: the image, and the info line under it.
    pub preview_image: Rect,
    pub preview_info: Rect,
    /// Two rows: messages, then key hints.
    pub status: Rect,
    /// The compare view: two header lines, then two image cells with a label row under each
    /// (indented two columns for the marker of the side the keys act on).
    pub compare_header: Rect,
    pub compare_images: [Rect; 2],
    pub compare_labels: [Rect; 2],
}

impl Panes {
    /// Process rows the list shows (its header row excluded).
    pub fn list_rows(&self) -> usize {
        usize::from(inner(self.list).height.saturating_sub(1))
    }

    pub fn tree_rows(&self) -> usize {
        usize::from(inner(self.tree).height)
    }

    pub fn raw_rows(&self) -> usize {
        usize::from(inner(self.body).height)
    }
}

/// The area inside a one-cell border.
pub fn inner(area: Rect) -> Rect {
    Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    }
}

/// `percent` % of `length`, rounded down. In `u32` because `length * percent` overflows `u16`
/// from 1,093 cells on; the result is at most `length`, so it always fits back.
fn share(length: u16, percent: u16) -> u16 {
    let part = u32::from(length) * u32::from(percent.min(100)) / 100;
    u16::try_from(part).unwrap_or(length)
}

/// The layout with images on: see [`layout_for`].
pub fn layout(area: Rect) -> Panes {
    layout_for(area, true)
}

/// The layout for a typical list: see [`layout_with`].
pub fn layout_for(area: Rect, images: bool) -> Panes {
    layout_with(area, images, ListShape::default())
}

/// Rows the preview keeps when images are off: a border around one line of facts.
const PREVIEW_WITHOUT_IMAGES: u16 = 3;

/// The layout: the list on the left as wide as its content wants (the tree keeps 42 % at
/// least), the tree top right, the image preview bottom right, two status rows at the bottom.
/// A terminal too narrow for the list's essential columns beside [`TREE_MIN`] columns of tree
/// shows one pane at a time ([`Panes::compact`]): the list full width, or a bar naming the
/// process above the tree and the preview, full width. With `images` off the preview shrinks
/// to one line of facts and the tree takes the room. Below 80×24 nothing but a notice is drawn.
pub fn layout_with(area: Rect, images: bool, shape: ListShape) -> Panes {
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return Panes {
            too_small: true,
            ..Panes::default()
        };
    }
    let body = Rect {
        height: area.height - 2,
        ..area
    };
    let status = Rect {
        y: area.y.saturating_add(body.height),
        height: 2,
        ..area
    };
    // Fixed, not from the content, so the layout does not flip when a row learns its person.
    let compact = area.width < shape.essential.saturating_add(TREE_MIN).max(COMPACT_BELOW);
    let (list, right, process_bar) = if compact && shape.process_shown {
        let bar = Rect { height: 1, ..body };
        let rest = Rect {
            y: body.y.saturating_add(1),
            height: body.height - 1,
            ..body
        };
        (Rect::default(), rest, bar)
    } else if compact {
        (body, Rect::default(), Rect::default())
    } else {
        let tree_w = share(area.width, TREE_SHARE).max(TREE_MIN);
        let list_w = shape
            .wanted
            .min(area.width - tree_w)
            .max(shape.essential)
            .min(area.width - TREE_MIN);
        let list = Rect {
            width: list_w,
            ..body
        };
        let right = Rect {
            x: area.x.saturating_add(list_w),
            width: area.width - list_w,
            ..body
        };
        (list, right, Rect::default())
    };
    let tree_h = if images {
        share(right.height, 55)
    } else {
        right.height.saturating_sub(PREVIEW_WITHOUT_IMAGES)
    };
    let tree = Rect {
        height: tree_h,
        ..right
    };
    let preview = Rect {
        y: right.y.saturating_add(tree_h),
        height: right.height - tree_h,
        ..right
    };
    // A hidden preview (compact layout) has nothing inside.
    let p = if preview.is_empty() {
        preview
    } else {
        inner(preview)
    };
    // Without images the one line shows the facts, drawn where the image would be.
    let info_rows = u16::from(images);
    let preview_image = Rect {
        height: p.height.saturating_sub(info_rows),
        ..p
    };
    let preview_info = Rect {
        y: p.y.saturating_add(preview_image.height),
        height: p.height.min(info_rows),
        ..p
    };

    let c = inner(body);
    let compare_header = Rect {
        height: c.height.min(2),
        ..c
    };
    let half = c.width / 2;
    let cell_h = c.height.saturating_sub(3);
    let left = Rect {
        y: c.y.saturating_add(2),
        width: half.saturating_sub(1),
        height: cell_h,
        ..c
    };
    let right_img = Rect {
        x: c.x.saturating_add(half).saturating_add(1),
        width: c.width.saturating_sub(half).saturating_sub(1),
        ..left
    };
    // Two columns before each label hold the active side's marker.
    let label = |r: Rect| Rect {
        x: r.x.saturating_add(2),
        y: r.y.saturating_add(r.height),
        width: r.width.saturating_sub(2),
        height: 1,
    };
    Panes {
        too_small: false,
        compact,
        process_bar,
        body,
        list,
        tree,
        preview,
        preview_image,
        preview_info,
        status,
        compare_header,
        compare_images: [left, right_img],
        compare_labels: [label(left), label(right_img)],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_do_not_overflow_on_huge_terminals() {
        assert_eq!(share(u16::MAX, 60), 39_321);
        assert_eq!(share(1_100, 55), 605);
        assert_eq!(share(0, 45), 0);
        let p = layout(Rect::new(0, 0, u16::MAX, u16::MAX));
        assert!(!p.too_small);
        assert_eq!(p.list.width + p.tree.width, u16::MAX);
        assert_eq!(p.tree.height + p.preview.height, p.body.height);
    }

    #[test]
    fn without_images_the_preview_is_one_line() {
        let p = layout_for(Rect::new(0, 0, 130, 30), false);
        assert_eq!(p.preview.height, 3);
        assert_eq!((p.preview_image.height, p.preview_info.height), (1, 0));
        assert_eq!(p.tree.height + p.preview.height, p.body.height);
        assert!(layout(Rect::new(0, 0, 130, 30)).preview.height > 10);
    }

    #[test]
    fn narrow_terminals_show_one_pane_at_a_time() {
        let area = Rect::new(0, 0, 80, 24);
        let list = layout_with(area, true, ListShape::default());
        assert!(list.compact);
        assert_eq!(list.list, list.body);
        assert_eq!((list.tree_rows(), list.preview.height), (0, 0));
        let process = layout_with(
            area,
            true,
            ListShape {
                process_shown: true,
                ..ListShape::default()
            },
        );
        assert_eq!(process.list_rows(), 0);
        assert_eq!(process.process_bar, Rect::new(0, 0, 80, 1));
        assert_eq!(process.tree.y, 1);
        assert_eq!(process.tree.width, 80);
        assert_eq!(
            process.tree.height + process.preview.height,
            process.body.height - 1
        );
    }

    #[test]
    fn the_list_takes_what_it_wants_and_the_tree_keeps_its_share() {
        let area = Rect::new(0, 0, 200, 60);
        let shape = |wanted| ListShape {
            wanted,
            essential: 75,
            process_shown: false,
        };
        assert_eq!(layout_with(area, true, shape(90)).list.width, 90);
        assert_eq!(layout_with(area, true, shape(300)).tree.width, 84);
        // Never below the essential columns, never leaving the tree under its minimum.
        assert_eq!(layout_with(area, true, shape(10)).list.width, 75);
        let narrow = layout_with(Rect::new(0, 0, 120, 30), true, shape(300));
        assert!(!narrow.compact && narrow.list.width == 75 && narrow.tree.width == 45);
    }
}
