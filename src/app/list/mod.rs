//! The process list: every loaded row, and the visible subset as indices.
//!
//! Built for 100,000 rows: rows are never cloned after arrival, the visible set is a `Vec<u32>`
//! recomputed only when the filter, status filter or sort changes, and a page arriving is merged
//! in O(n) (O(page) when pages arrive in sort order, the common case). Sorting compares a
//! precomputed integer date key, not strings.

use super::cursor::{Cursor, Movement};
use crate::api::model::{ProcessSummary, Status};

mod arrivals;
pub mod columns;
mod fill;
mod pane;
mod people;
pub use arrivals::Merged;
pub use pane::{ListPane, Loading};
pub use people::{PersonAt, fold};

use columns::ContentWidths;

/// Which statuses are shown; cycles all → failure → pending → success.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    #[default]
    All,
    Failure,
    Pending,
    Success,
}

impl StatusFilter {
    pub fn next(self) -> StatusFilter {
        match self {
            StatusFilter::All => StatusFilter::Failure,
            StatusFilter::Failure => StatusFilter::Pending,
            StatusFilter::Pending => StatusFilter::Success,
            StatusFilter::Success => StatusFilter::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::Failure => "failure",
            StatusFilter::Pending => "pending",
            StatusFilter::Success => "success",
        }
    }

    fn admits(self, status: Option<&Status>) -> bool {
        match self {
            StatusFilter::All => true,
            StatusFilter::Failure => status == Some(&Status::Failure),
            StatusFilter::Pending => status == Some(&Status::Pending),
            StatusFilter::Success => status == Some(&Status::Success),
        }
    }
}

/// The list's order; `o` cycles newest first → oldest first → by reason. Rows without a date
/// sort as the oldest, ties keep arrival order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortOrder {
    /// By creation date, the latest first.
    #[default]
    NewestFirst,
    /// By age: the process waiting longest first, as a queue is worked.
    OldestFirst,
    /// By reason in words (so the same failures sit together), newest first within one; rows
    /// without a reason last.
    Reason,
}

impl SortOrder {
    pub fn label(self) -> &'static str {
        match self {
            SortOrder::NewestFirst => "newest first",
            SortOrder::OldestFirst => "oldest first",
            SortOrder::Reason => "by reason",
        }
    }

    pub fn next(self) -> SortOrder {
        match self {
            SortOrder::NewestFirst => SortOrder::OldestFirst,
            SortOrder::OldestFirst => SortOrder::Reason,
            SortOrder::Reason => SortOrder::NewestFirst,
        }
    }
}

/// What the list sorts on, smaller first: (no reason, the reason in words, date, arrival).
type OrderKey<'a> = (bool, &'a str, u64, u32);

/// A further filter on rows, set by the app (the review desk's unreviewed / escalated / …
/// filter): the list only asks it, so it needs to know nothing of reviews.
pub trait RowGate: std::fmt::Debug + Send {
    fn admits(&self, row: &ProcessSummary) -> bool;
}

#[derive(Debug, Default)]
pub struct ProcessList {
    rows: Vec<ProcessSummary>,
    date_keys: Vec<u64>,
    visible: Vec<u32>,
    /// Position in `visible`; meaningless when `visible` is empty.
    cursor: Cursor,
    /// The filter as typed, for the title and for editing it again.
    query: String,
    /// `query` lower-cased: what rows are matched against.
    needle: String,
    /// `needle` folded as people's names are (see [`fold`]).
    folded_needle: String,
    status: StatusFilter,
    sort: SortOrder,
    gate: Option<Box<dyn RowGate>>,
    /// Each row's person once known, by row index (shorter than `rows` until the last is set).
    people: Vec<Option<Box<people::RowPerson>>>,
    people_known: usize,
    /// People that arrived before their row's page.
    pending_people: std::collections::HashMap<String, crate::api::model::Person>,
    /// The widest value of each column over every row, for the list's layout.
    content: ContentWidths,
}

impl ProcessList {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn visible_len(&self) -> usize {
        self.visible.len()
    }

    /// Indices into the loaded rows, in display order.
    pub fn visible(&self) -> &[u32] {
        &self.visible
    }

    pub fn row(&self, index: u32) -> Option<&ProcessSummary> {
        self.rows.get(index as usize)
    }

    pub fn cursor(&self) -> Option<usize> {
        (!self.visible.is_empty()).then_some(self.cursor.selected())
    }

    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    pub fn selected_index(&self) -> Option<u32> {
        self.visible.get(self.cursor.selected()).copied()
    }

    pub fn selected(&self) -> Option<&ProcessSummary> {
        self.selected_index().and_then(|i| self.row(i))
    }

    /// The filter as the user typed it (matching ignores case).
    pub fn filter(&self) -> &str {
        &self.query
    }

    pub fn status_filter(&self) -> StatusFilter {
        self.status
    }

    pub fn sort(&self) -> SortOrder {
        self.sort
    }

    /// The widest value of each column over every loaded row.
    pub fn content_widths(&self) -> &ContentWidths {
        &self.content
    }

    /// The rows drawn in a window of `height` rows from position `offset`: (position, row).
    pub fn window_from(
        &self,
        offset: usize,
        height: usize,
    ) -> impl Iterator<Item = (usize, &ProcessSummary)> {
        let end = offset.saturating_add(height).min(self.visible.len());
        let start = offset.min(end);
        self.visible[start..end]
            .iter()
            .enumerate()
            .filter_map(move |(i, &r)| Some((start + i, self.rows.get(r as usize)?)))
    }

    /// Adds a page. Rows that pass the filters are merged into the visible set in sort order.
    pub fn push_page(&mut self, items: Vec<ProcessSummary>) {
        let first_new = self.rows.len();
        for item in items {
            self.date_keys.push(date_key(item.creation_date.as_deref()));
            self.content.add_row(&item);
            self.rows.push(item);
        }
        self.take_pending_people(first_new);
        let selected = self.selected_index();
        let mut fresh: Vec<u32> = (first_new..self.rows.len())
            .filter(|&i| self.admits(i))
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        fresh.sort_by_key(|&i| self.order_key(i));
        let in_order = match (self.visible.last(), fresh.first()) {
            (Some(&last), Some(&first)) => self.order_key(last) <= self.order_key(first),
            _ => true,
        };
        if in_order {
            self.visible.extend(fresh);
        } else {
            let old = std::mem::take(&mut self.visible);
            self.visible = merge(old, fresh, |i| self.order_key(i));
        }
        self.reselect(selected);
    }

    /// Sets the text filter (matched case-insensitively against process id, user id, declined
    /// reason (its code and its words), failure status and country, and with accents folded against the person's name
    /// and document number). Typing one more character only narrows the current visible set
    /// instead of rescanning every row.
    pub fn set_filter(&mut self, typed: &str) {
        self.query = typed.to_owned();
        let text = typed.to_lowercase();
        if text == self.needle {
            return;
        }
        let selected = self.selected_index();
        let narrows = text.starts_with(self.needle.as_str());
        self.folded_needle = fold(&text);
        self.needle = text;
        if narrows {
            let mut visible = std::mem::take(&mut self.visible);
            visible.retain(|&i| self.admits(i as usize));
            self.visible = visible;
        } else {
            self.recompute();
        }
        self.reselect_or_first(selected);
    }

    pub fn cycle_status_filter(&mut self) {
        let selected = self.selected_index();
        self.status = self.status.next();
        self.recompute();
        self.reselect_or_first(selected);
    }

    /// Replaces the row gate (`None`: every row passes it) and recomputes the visible set.
    pub fn set_gate(&mut self, gate: Option<Box<dyn RowGate>>) {
        let selected = self.selected_index();
        self.gate = gate;
        self.recompute();
        self.reselect_or_first(selected);
    }

    /// Puts the cursor on visible position `pos` (clamped).
    pub fn select_position(&mut self, pos: usize) {
        self.cursor.select(pos, self.visible.len());
    }

    /// The next order: newest first → oldest first → by reason → newest first.
    pub fn toggle_sort(&mut self) {
        let selected = self.selected_index();
        self.sort = self.sort.next();
        self.recompute();
        self.reselect(selected);
    }

    /// Moves the cursor; a page is the height last given to [`ProcessList::scroll_into_view`].
    pub fn move_selection(&mut self, movement: Movement) {
        self.cursor.move_by(movement, self.visible.len());
    }

    /// Moves to the next (or previous) failed process, wrapping; false when there is none.
    pub fn jump_failed(&mut self, forward: bool) -> bool {
        let n = self.visible.len();
        let at = self.cursor.selected();
        let is_failed = |pos: usize| {
            self.row(self.visible[pos])
                .is_some_and(|r| r.status == Some(Status::Failure))
        };
        let found = (1..=n)
            .map(|step| {
                if forward {
                    (at + step) % n
                } else {
                    (at + n * 2 - step) % n
                }
            })
            .find(|&pos| is_failed(pos));
        if let Some(pos) = found {
            self.cursor.select(pos, n);
        }
        found.is_some()
    }

    /// Scrolls as little as possible so the cursor is inside a window of `height` rows.
    pub fn scroll_into_view(&mut self, height: usize) {
        self.cursor.scroll_into_view(height, self.visible.len());
    }

    fn admits(&self, i: usize) -> bool {
        let Some(row) = self.rows.get(i) else {
            return false;
        };
        self.status.admits(row.status.as_ref())
            && (matches_text(row, &self.needle) || self.person_matches(i))
            && self.gate.as_ref().is_none_or(|g| g.admits(row))
    }

    /// Sort key: smaller comes first.
    fn order_key(&self, i: u32) -> OrderKey<'_> {
        let date = self.date_keys.get(i as usize).copied().unwrap_or(0);
        match self.sort {
            SortOrder::NewestFirst => (false, "", u64::MAX - date, i),
            SortOrder::OldestFirst => (false, "", date, i),
            SortOrder::Reason => {
                let reason = self.rows.get(i as usize).and_then(columns::reason);
                let words = reason.map_or("", crate::api::model::reasons::label);
                (reason.is_none(), words, u64::MAX - date, i)
            }
        }
    }

    fn recompute(&mut self) {
        let mut visible: Vec<u32> = (0..self.rows.len())
            .filter(|&i| self.admits(i))
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        visible.sort_unstable_by_key(|&i| self.order_key(i));
        self.visible = visible;
    }

    /// Puts the cursor back on `selected` if it is still visible, else keeps its position: a row
    /// that changed under the cursor leaves it among its neighbours.
    fn reselect(&mut self, selected: Option<u32>) {
        match self.position_of(selected) {
            Some(pos) => self.cursor.select(pos, self.visible.len()),
            None => self.cursor.clamp(self.visible.len()),
        }
    }

    /// After the user changed a filter: back on `selected` if it still matches, else on the
    /// first match (the position it had means nothing in the new set of rows).
    fn reselect_or_first(&mut self, selected: Option<u32>) {
        let pos = self.position_of(selected).unwrap_or(0);
        self.cursor.select(pos, self.visible.len());
    }

    fn position_of(&self, selected: Option<u32>) -> Option<usize> {
        selected.and_then(|s| self.visible.iter().position(|&i| i == s))
    }
}

fn merge<K: Ord>(a: Vec<u32>, b: Vec<u32>, key: impl Fn(u32) -> K) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some(&x), Some(&y)) => key(x) <= key(y),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        out.extend(if take_a { a.next() } else { b.next() });
    }
    out
}

/// `2024-03-05T10:20:30Z` → 20240305102030: the first 14 digits, zero-padded, so ISO dates of any
/// precision compare as integers. Dates with fewer than 8 digits are unknown (0).
fn date_key(date: Option<&str>) -> u64 {
    let Some(date) = date else { return 0 };
    let digits: Vec<u64> = date
        .chars()
        .take(26)
        .filter_map(|c| c.to_digit(10).map(u64::from))
        .take(14)
        .collect();
    if digits.len() < 8 {
        return 0;
    }
    let value = digits.iter().fold(0u64, |acc, d| acc * 10 + d);
    value * 10u64.pow(14 - digits.len() as u32)
}

fn matches_text(row: &ProcessSummary, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    // The reason as the column shows it (in words or short) as well as Truora's code.
    let words = row
        .declined_reason
        .as_deref()
        .and_then(crate::api::model::reasons::known);
    let fields = [
        row.process_id.as_deref(),
        row.client_user_id.as_deref(),
        row.declined_reason.as_deref(),
        words.map(|r| r.label),
        words.map(|r| r.short),
        row.failure_status.as_ref().map(|f| f.as_str()),
        row.country.as_deref(),
    ];
    fields.into_iter().flatten().any(|f| contains_ci(f, needle))
}

/// Case-insensitive substring test against an already lower-cased needle, without allocating
/// when both are ASCII (ids and reason codes are).
pub(crate) fn contains_ci(haystack: &str, needle_lower: &str) -> bool {
    if haystack.is_ascii() && needle_lower.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle_lower.as_bytes());
        return n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    haystack.to_lowercase().contains(needle_lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_keys_compare_across_precisions() {
        assert_eq!(date_key(Some("2018-02-10T09:30Z")), 20180210093000);
        assert!(
            date_key(Some("2006-01-02T15:04:04.000000Z")) < date_key(Some("2018-02-10T09:30Z"))
        );
        assert_eq!(date_key(Some("soon")), 0);
        assert_eq!(date_key(None), 0);
    }

    #[test]
    fn case_insensitive_match() {
        assert!(contains_ci("IDPabc", "idpa"));
        assert!(contains_ci("José", "josé"));
        assert!(!contains_ci("abc", "abcd"));
    }
}
