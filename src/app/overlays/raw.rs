//! The raw JSON view's state: a node's JSON pretty-printed into sanitised lines, scrolled down
//! and, when long lines are not wrapped, sideways.
//!
//! Long lines (a signed URL, a long message) wrap by default, so everything can be read without
//! a key; `w` turns wrapping off, cutting each line at the pane's edge with `…` and letting
//! `h`/`l` scroll sideways, as `less -S` does. Either way nothing is cut silently. How many rows
//! the text takes depends on the pane's width and on privacy mode (masked text is wrapped as it
//! is drawn, masked), so every scroll takes the [`Viewport`] and the lines as shown, and the ui
//! draws the rows [`RawView::wrapped`] gives it: one layout for both.

use std::borrow::Cow;

use serde_json::Value;

use crate::app::cache::Lru;
use crate::app::cursor::{Movement, page_rows, scrolling};
use crate::app::outbox::Outbox;
use crate::app::tree::build::DetailsState;
use crate::app::tree::{RawSource, ResultView};
use crate::keymap::Action;
use crate::privacy::Known;
use crate::sanitize::terminal_text;
use crate::wrap;

/// The mark that starts a wrapped line's continuation rows.
pub const CONTINUATION: &str = "↪ ";

/// The text area the raw view is drawn in, inside its border.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Viewport {
    pub width: usize,
    pub rows: usize,
}

/// A pretty-printed JSON sub-tree, already split into sanitised lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawView {
    pub title: String,
    /// Where the value sits in its document (RFC 6901): privacy mode masks by the keys on it.
    pub pointer: String,
    pub lines: Vec<String>,
    /// The first row drawn: a wrapped row while wrapping, a line otherwise.
    pub scroll: usize,
    /// Long lines wrap (the default); off, they are cut with `…` and scroll sideways.
    pub wrap: bool,
    /// Cells scrolled to the right while not wrapping.
    pub column: usize,
    /// In privacy mode, `lines` masked with the process's personal values (as many lines, so
    /// scrolling is the same): masked once when the view opens or privacy turns on, not on
    /// every frame — a result's JSON is parsed whole to mask it, since a line's personal key
    /// may sit lines above it.
    pub masked: Option<Vec<String>>,
}

/// One screen row of wrapped text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrappedRow {
    /// The line (0-based) the row belongs to.
    pub line: usize,
    /// A continuation row: drawn after `indent` spaces and [`CONTINUATION`].
    pub continued: bool,
    pub indent: usize,
    pub text: String,
}

impl RawView {
    /// The value at `pointer` in `root`, pretty-printed with every field, known or not.
    pub fn new(title: String, root: &Value, pointer: &str) -> RawView {
        let lines = match root.pointer(pointer) {
            Some(v) => serde_json::to_string_pretty(v)
                .unwrap_or_else(|e| format!("(cannot print: {e})"))
                .lines()
                // serde_json escapes C0 controls but not C1 controls or bidi overrides.
                .map(|l| terminal_text(l).into_owned())
                .collect(),
            None => vec![format!("(nothing at {pointer:?} in the raw JSON)")],
        };
        RawView {
            title: terminal_text(&title).into_owned(),
            pointer: pointer.to_owned(),
            lines,
            scroll: 0,
            wrap: true,
            column: 0,
            masked: None,
        }
    }

    /// Masks the view for privacy mode with the process's `known` values, or unmasks it.
    pub fn set_private(&mut self, known: Option<&Known>) {
        self.masked = known.map(|k| k.mask_raw_view(&self.pointer, &self.lines));
    }

    /// The lines as drawn: masked as a whole in privacy mode (a value's personal key may be
    /// lines above it), before any wrapping.
    pub fn shown(&self, private: bool) -> Cow<'_, [String]> {
        match (&self.masked, private) {
            (_, false) => Cow::Borrowed(&self.lines),
            (Some(masked), true) => Cow::Borrowed(masked),
            // Never the unmasked lines in privacy mode, even if masking on open was missed.
            (None, true) => Cow::Owned(crate::privacy::mask_raw_view(&self.pointer, &self.lines)),
        }
    }

    /// Every screen row of `lines` wrapped to `width` cells, in order.
    pub fn wrapped(lines: &[String], width: usize) -> Vec<WrappedRow> {
        let mut out = Vec::with_capacity(lines.len());
        for (n, line) in lines.iter().enumerate() {
            let indent = continuation_indent(line, width);
            let rest = width.saturating_sub(indent + wrap::width(CONTINUATION));
            for (i, row) in wrap::wrap(&[(line.as_str(), ())], width, rest)
                .into_iter()
                .enumerate()
            {
                out.push(WrappedRow {
                    line: n,
                    continued: i > 0,
                    indent,
                    text: row.into_iter().map(|(t, ())| t).collect(),
                });
            }
        }
        out
    }

    /// The rows the text takes: wrapped rows while wrapping, lines otherwise.
    fn row_count(&self, lines: &[String], width: usize) -> usize {
        if self.wrap {
            Self::wrapped(lines, width).len()
        } else {
            lines.len()
        }
    }

    /// Scrolls down or up, never past the point where the last row is on the bottom line, so
    /// `G` shows the real end however many rows the lines wrap into.
    pub fn scroll(&mut self, movement: Movement, view: Viewport, lines: &[String]) {
        let rows = view.rows.max(1);
        let max = self.row_count(lines, view.width).saturating_sub(rows);
        self.scroll = movement.step(self.scroll.min(max), page_rows(rows), max);
    }

    /// Scrolls sideways half a view at a time (as `less` does), while not wrapping; the furthest
    /// is where the longest line's end is at the right edge. False while wrapping: there is
    /// nothing hidden to the side.
    pub fn pan(&mut self, right: bool, view: Viewport, lines: &[String]) -> bool {
        if self.wrap {
            return false;
        }
        let longest = lines.iter().map(|l| wrap::width(l)).max().unwrap_or(0);
        let max = longest.saturating_sub(view.width);
        let step = (view.width / 2).max(1);
        self.column = if right {
            self.column.saturating_add(step)
        } else {
            self.column.saturating_sub(step)
        }
        .min(max);
        true
    }

    /// Turns wrapping on or off, keeping the line at the top of the view where it is.
    pub fn toggle_wrap(&mut self, view: Viewport, lines: &[String]) {
        let top = self.top_line(lines, view.width);
        self.wrap = !self.wrap;
        self.column = 0;
        self.scroll = if self.wrap {
            Self::wrapped(lines, view.width)
                .iter()
                .position(|r| r.line == top)
                .unwrap_or(0)
        } else {
            top
        };
        self.scroll(Movement::To(self.scroll), view, lines);
    }

    /// The line at the top of the view.
    fn top_line(&self, lines: &[String], width: usize) -> usize {
        if self.wrap {
            Self::wrapped(lines, width)
                .get(self.scroll)
                .map_or(0, |r| r.line)
        } else {
            self.scroll
        }
    }

    /// The first row to draw: the scroll position, pulled back when the view grew (a resize, a
    /// wider terminal wrapping into fewer rows) so no row is left empty below the end.
    pub fn first_row(&self, lines: &[String], view: Viewport) -> usize {
        let max = self
            .row_count(lines, view.width)
            .saturating_sub(view.rows.max(1));
        self.scroll.min(max)
    }

    /// The lines (1-based, first and last) on screen, for the title; `(0, 0)` with no lines.
    pub fn lines_shown(&self, lines: &[String], view: Viewport) -> (usize, usize) {
        let first = self.first_row(lines, view);
        if lines.is_empty() {
            return (0, 0);
        }
        if !self.wrap {
            let last = (first + view.rows).min(lines.len());
            return (first + 1, last);
        }
        let rows = Self::wrapped(lines, view.width);
        let shown = rows.get(first..(first + view.rows).min(rows.len()));
        let top = shown.and_then(|r| r.first()).map_or(0, |r| r.line);
        let bottom = shown.and_then(|r| r.last()).map_or(top, |r| r.line);
        (top + 1, bottom + 1)
    }
}

impl RawView {
    /// Keys in the raw JSON view: scrolling down (wrapped rows counted), sideways while lines
    /// are cut, and `w` between the two. `view`: the text area; `private`: privacy mode (the
    /// lines are measured as drawn); `wrap_key`: the key that toggles wrapping, for the hint.
    pub fn key(
        &mut self,
        action: Action,
        view: Viewport,
        private: bool,
        wrap_key: &str,
        out: &mut Outbox,
    ) {
        // Masked in privacy mode before anything is measured: masked text wraps as drawn.
        let lines = self.shown(private).into_owned();
        let movement = match action {
            Action::Wrap => {
                self.toggle_wrap(view, &lines);
                return;
            }
            Action::Left | Action::Right => {
                if !self.pan(action == Action::Right, view, &lines) {
                    out.info(format!(
                        "long lines are wrapped: nothing to scroll sideways ({wrap_key} cuts them instead)"
                    ));
                }
                return;
            }
            _ => match scrolling(action) {
                Some(movement) => movement,
                None => return,
            },
        };
        self.scroll(movement, view, &lines);
    }
}

/// `v`: the raw JSON of the node under the tree cursor, or of the whole result (`whole`: the
/// list has the focus); `Err` says why there is nothing to show.
pub fn open(
    view: &ResultView,
    details: &Lru<String, DetailsState>,
    whole: bool,
) -> Result<RawView, &'static str> {
    let ResultView::Ready {
        result,
        tree,
        process_id,
    } = view
    else {
        return Err("the result is not loaded yet");
    };
    let node = (!whole).then(|| tree.cursor_node()).flatten();
    let (source, pointer) = node
        .map_or(Some((RawSource::Result, String::new())), |n| {
            n.raw
                .as_ref()
                .map(|r| (r.source.clone(), r.pointer.clone()))
        })
        .ok_or("this row has no JSON of its own")?;
    match &source {
        RawSource::Result => {
            let title = format!("{} {pointer}", terminal_text(process_id));
            Ok(RawView::new(title, &result.raw, &pointer))
        }
        RawSource::Details(id) => match details.peek(id) {
            Some(DetailsState::Ready(d)) => {
                let title = format!("validation {} {pointer}", terminal_text(id));
                Ok(RawView::new(title, &d.raw, &pointer))
            }
            _ => Err("the details are not loaded yet (enter fetches them)"),
        },
    }
}

/// Spaces before a continuation's mark: the line's own indent, so a wrapped value stays under
/// its key, unless that leaves less than half the row for text.
fn continuation_indent(line: &str, width: usize) -> usize {
    let indent = line.len() - line.trim_start_matches(' ').len();
    if indent + wrap::width(CONTINUATION) <= width / 2 {
        indent
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// Ten strings of 200 letters: at 78 cells each line `  "a…a",` (205 cells) takes a first
    /// row of 78 and continuations of 74 (indent 2, `↪ ` 2): three rows. With the brackets, 32.
    fn long_lines() -> RawView {
        let value = json!(vec!["a".repeat(200); 10]);
        RawView::new("t".into(), &value, "")
    }

    const VIEW: Viewport = Viewport {
        width: 78,
        rows: 20,
    };

    #[test]
    fn wrapped_rows_are_counted_for_scrolling() {
        let mut raw = long_lines();
        let lines = raw.lines.clone();
        assert_eq!(lines.len(), 12);
        let rows = RawView::wrapped(&lines, VIEW.width);
        assert_eq!(rows.len(), 32);
        assert_eq!((rows[1].continued, rows[2].continued), (false, true));
        assert_eq!(rows[2].indent, 2);
        raw.scroll(Movement::Bottom, VIEW, &lines);
        assert_eq!(raw.scroll, 12, "the last row on the bottom line");
        raw.scroll(Movement::Down, VIEW, &lines);
        assert_eq!(raw.scroll, 12, "no scrolling past the end");
        assert_eq!(raw.lines_shown(&lines, VIEW), (5, 12));
        raw.scroll(Movement::PageUp, VIEW, &lines);
        assert_eq!(raw.scroll, 0);
    }

    #[test]
    fn unwrapped_lines_scroll_sideways_up_to_the_longest_end() {
        let mut raw = long_lines();
        let lines = raw.lines.clone();
        assert!(
            !raw.pan(true, VIEW, &lines),
            "nothing to pan while wrapping"
        );
        raw.toggle_wrap(VIEW, &lines);
        assert!(!raw.wrap);
        raw.scroll(Movement::Bottom, VIEW, &lines);
        assert_eq!(raw.scroll, 0, "twelve lines fit in twenty rows");
        assert!(raw.pan(true, VIEW, &lines));
        assert_eq!(raw.column, 39);
        for _ in 0..10 {
            raw.pan(true, VIEW, &lines);
        }
        assert_eq!(
            raw.column,
            205 - 78,
            "the longest line's end at the right edge"
        );
        raw.pan(false, VIEW, &lines);
        assert_eq!(raw.column, 205 - 78 - 39);
        raw.toggle_wrap(VIEW, &lines);
        assert_eq!((raw.wrap, raw.column), (true, 0));
    }

    #[test]
    fn toggling_wrap_keeps_the_top_line() {
        let mut raw = long_lines();
        let lines = raw.lines.clone();
        let view = Viewport { width: 78, rows: 5 };
        raw.scroll(Movement::To(7), view, &lines);
        // Rows: `[`, then three per line: row 7 is the first of the fourth line (index 3).
        assert_eq!(raw.lines_shown(&lines, view).0, 4);
        raw.toggle_wrap(view, &lines);
        assert_eq!(raw.scroll, 3, "unwrapped, the fourth line is on top");
        raw.toggle_wrap(view, &lines);
        assert_eq!(
            raw.scroll, 7,
            "wrapped again, on the fourth line's first row"
        );
    }

    #[test]
    fn a_view_that_grew_draws_from_a_row_that_leaves_none_empty() {
        let mut raw = long_lines();
        let lines = raw.lines.clone();
        raw.scroll(Movement::Bottom, VIEW, &lines);
        let wide = Viewport {
            width: 300,
            rows: 20,
        };
        assert_eq!(
            raw.first_row(&lines, wide),
            0,
            "unwrapped at 300 cells: 12 rows"
        );
    }
}
