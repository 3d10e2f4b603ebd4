//! Filling list rows from fetched results: the list endpoint may send bare process ids (and an
//! ids file gives nothing else), so a row learns its status, date and reason only when its
//! result arrives. A child of `list` so it can keep the visible set sorted in place.

use super::{ProcessList, date_key};
use crate::api::model::ProcessSummary;

impl ProcessList {
    /// Fills the rows of `process_id` with what a fetched result says, field by field, where the
    /// row has nothing (the list may send bare ids, and an ids file gives nothing else); what
    /// the list sent is never overwritten. A filled row takes its place under the current filter
    /// and sort (it may appear, or move), and the cursor stays on the selected process.
    /// Returns whether any row changed.
    pub fn fill_missing(&mut self, process_id: &str, from: &ProcessSummary) -> bool {
        let changed: Vec<u32> = self
            .rows
            .iter_mut()
            .enumerate()
            .filter(|(_, row)| row.process_id.as_deref() == Some(process_id))
            .filter_map(|(i, row)| fill_row(row, from).then_some(i))
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        if changed.is_empty() {
            return false;
        }
        let selected = self.selected_index();
        for &i in &changed {
            let Some(row) = self.rows.get(i as usize) else {
                continue;
            };
            let key = date_key(row.creation_date.as_deref());
            self.content.add_row(row);
            if let Some(k) = self.date_keys.get_mut(i as usize) {
                *k = key;
            }
            // Out of the visible set, then back in at its sorted place if it passes the filters.
            self.visible.retain(|&v| v != i);
            if self.admits(i as usize) {
                let key = self.order_key(i);
                let at = self.visible.partition_point(|&v| self.order_key(v) < key);
                self.visible.insert(at, i);
            }
        }
        self.reselect(selected);
        true
    }
}

/// Copies into `row` every field it lacks (absent or blank) that `from` has. The process id is
/// what matched, so it is left alone; so are the unknown fields kept for the raw view.
fn fill_row(row: &mut ProcessSummary, from: &ProcessSummary) -> bool {
    fn text(to: &mut Option<String>, from: &Option<String>) -> bool {
        let missing = to.as_deref().is_none_or(|t| t.trim().is_empty());
        let offered = from.as_deref().is_some_and(|f| !f.trim().is_empty());
        if missing && offered {
            to.clone_from(from);
        }
        missing && offered
    }
    fn value<T: Clone>(to: &mut Option<T>, from: &Option<T>) -> bool {
        let fill = to.is_none() && from.is_some();
        if fill {
            to.clone_from(from);
        }
        fill
    }
    // Every field is tried: no short-circuit.
    [
        text(&mut row.account_id, &from.account_id),
        text(&mut row.flow_id, &from.flow_id),
        text(&mut row.client_user_id, &from.client_user_id),
        value(&mut row.status, &from.status),
        text(&mut row.creation_date, &from.creation_date),
        value(&mut row.failure_status, &from.failure_status),
        text(&mut row.declined_reason, &from.declined_reason),
        text(&mut row.expired_reason, &from.expired_reason),
        text(&mut row.country, &from.country),
        text(&mut row.time_to_live, &from.time_to_live),
    ]
    .contains(&true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Status;
    use crate::app::list::StatusFilter;

    /// Filling rows one by one keeps exactly the set and order a full recompute would give.
    #[test]
    fn filled_rows_land_where_a_recompute_puts_them() {
        let bare = |id: &str| ProcessSummary {
            process_id: Some(id.to_owned()),
            ..ProcessSummary::default()
        };
        let full = |status, date: &str| ProcessSummary {
            status: Some(status),
            creation_date: Some(date.to_owned()),
            ..ProcessSummary::default()
        };
        let ids = ["a", "b", "c", "d", "e", "f"];
        let fills = [
            ("c", full(Status::Failure, "2024-03-02T00:00:00Z")),
            ("a", full(Status::Success, "2024-03-05T00:00:00Z")),
            ("f", full(Status::Failure, "2024-03-01T00:00:00Z")),
            ("d", full(Status::Failure, "2024-03-02T00:00:00Z")),
        ];
        for (filter, status, oldest) in [
            ("", StatusFilter::All, false),
            ("", StatusFilter::Failure, false),
            ("", StatusFilter::Failure, true),
            ("c", StatusFilter::All, true),
        ] {
            let mut list = ProcessList::default();
            list.push_page(ids.iter().map(|id| bare(id)).collect());
            while list.status_filter() != status {
                list.cycle_status_filter();
            }
            if oldest {
                list.toggle_sort();
            }
            list.set_filter(filter);
            for (id, from) in &fills {
                let selected = list.selected().and_then(|r| r.process_id.clone());
                assert!(list.fill_missing(id, from));
                assert!(
                    !list.fill_missing(id, from),
                    "a second time changes nothing"
                );
                let filled = list.visible.clone();
                list.recompute();
                assert_eq!(filled, list.visible, "{filter:?} {status:?} after {id}");
                if selected.is_some() {
                    let now = list.selected().and_then(|r| r.process_id.clone());
                    assert_eq!(now, selected, "the cursor stays on its process");
                }
            }
        }
    }
}
