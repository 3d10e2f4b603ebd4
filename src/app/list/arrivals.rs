//! Merging a watch poll (`--watch`) into the list: the newest processes read again are either new
//! (added at their sorted place) or known (their status may have changed, e.g. a pending process
//! that failed). The cursor stays on the process being looked at either way. A child of `list` so
//! it can keep the visible set sorted in place, like `fill.rs`.

use std::collections::HashMap;

use super::{ProcessList, date_key};
use crate::api::model::{ProcessSummary, Status};

/// What one poll changed, for the title's "N new", the status bar and the result cache.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Merged {
    /// Processes the list did not have, now added.
    pub new: Vec<String>,
    /// Known processes whose status changed: their cached results are stale.
    pub changed: Vec<String>,
    /// Of both, those that are failures now: what the status bar announces.
    pub failed: Vec<String>,
}

impl ProcessList {
    /// Every loaded process id, whatever the filters: what a watch poll already knows.
    pub fn visible_or_all_ids(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter_map(|r| r.process_id.clone())
            .collect()
    }

    /// Whether a row of `process_id` is loaded (any filter).
    pub fn knows(&self, process_id: &str) -> bool {
        self.rows
            .iter()
            .any(|r| r.process_id.as_deref() == Some(process_id))
    }

    /// Merges freshly read summaries: unknown processes are added in sort order, known ones
    /// take the fresh status fields (status, failure status, reasons) when their status
    /// changed. Rows without a process id are ignored: nothing could match them later.
    pub fn merge_fresh(&mut self, fresh: Vec<ProcessSummary>) -> Merged {
        let by_id: HashMap<&str, u32> = self
            .rows
            .iter()
            .enumerate()
            .filter_map(|(i, r)| Some((r.process_id.as_deref()?, u32::try_from(i).ok()?)))
            .collect();
        let mut merged = Merged::default();
        let mut updates = Vec::new();
        let mut added = Vec::new();
        for item in fresh {
            let Some(id) = item.process_id.clone() else {
                continue;
            };
            match by_id.get(id.as_str()) {
                Some(&i) => {
                    let old = self.rows.get(i as usize).and_then(|r| r.status.clone());
                    if item.status.is_some() && item.status != old {
                        updates.push((i, item));
                    }
                }
                None if added
                    .iter()
                    .any(|a: &ProcessSummary| a.process_id.as_deref() == Some(id.as_str())) => {}
                None => added.push(item),
            }
        }
        let failing = |s: &ProcessSummary| s.status.as_ref().is_some_and(Status::is_failure);
        for (i, item) in updates {
            if let Some(id) = item.process_id.clone() {
                if failing(&item) {
                    merged.failed.push(id.clone());
                }
                merged.changed.push(id);
            }
            self.update_row(i, item);
        }
        for item in &added {
            if let Some(id) = &item.process_id {
                if failing(item) {
                    merged.failed.push(id.clone());
                }
                merged.new.push(id.clone());
            }
        }
        if !added.is_empty() {
            self.push_page(added);
        }
        merged
    }

    /// Takes the fresh status fields of row `i` and moves it to its place under the filters.
    fn update_row(&mut self, i: u32, fresh: ProcessSummary) {
        let Some(row) = self.rows.get_mut(i as usize) else {
            return;
        };
        row.status = fresh.status;
        row.failure_status = fresh.failure_status;
        row.declined_reason = fresh.declined_reason;
        row.expired_reason = fresh.expired_reason;
        if fresh.creation_date.is_some() {
            row.creation_date = fresh.creation_date;
        }
        let key = date_key(row.creation_date.as_deref());
        if let Some(k) = self.date_keys.get_mut(i as usize) {
            *k = key;
        }
        let selected = self.selected_index();
        self.visible.retain(|&v| v != i);
        if self.admits(i as usize) {
            let key = self.order_key(i);
            let at = self.visible.partition_point(|&v| self.order_key(v) < key);
            self.visible.insert(at, i);
        }
        self.reselect(selected);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::list::StatusFilter;

    fn row(id: &str, status: Status, day: u32) -> ProcessSummary {
        ProcessSummary {
            process_id: Some(id.to_owned()),
            status: Some(status),
            creation_date: Some(format!("2026-03-{day:02}T00:00:00Z")),
            ..ProcessSummary::default()
        }
    }

    fn ids(list: &ProcessList) -> Vec<String> {
        list.visible()
            .iter()
            .filter_map(|&i| list.row(i)?.process_id.clone())
            .collect()
    }

    #[test]
    fn new_rows_land_in_order_and_the_cursor_keeps_its_process() {
        let mut list = ProcessList::default();
        list.push_page(vec![
            row("c", Status::Success, 3),
            row("b", Status::Pending, 2),
            row("a", Status::Success, 1),
        ]);
        list.move_selection(crate::app::cursor::Movement::Down);
        assert_eq!(
            list.selected().and_then(|r| r.process_id.as_deref()),
            Some("b")
        );

        let merged = list.merge_fresh(vec![
            row("e", Status::Failure, 5),
            row("d", Status::Success, 4),
            row("c", Status::Success, 3),
        ]);
        assert_eq!(merged.new, ["e", "d"]);
        assert!(merged.changed.is_empty());
        assert_eq!(merged.failed, ["e"]);
        assert_eq!(ids(&list), ["e", "d", "c", "b", "a"]);
        assert_eq!(
            list.selected().and_then(|r| r.process_id.as_deref()),
            Some("b")
        );

        // The same poll again changes nothing.
        let again = list.merge_fresh(vec![row("e", Status::Failure, 5)]);
        assert_eq!(again, Merged::default());
        assert_eq!(list.len(), 5);
    }

    #[test]
    fn a_pending_process_that_failed_is_updated_and_refiltered() {
        let mut list = ProcessList::default();
        list.push_page(vec![
            row("c", Status::Pending, 3),
            row("b", Status::Failure, 2),
            row("a", Status::Success, 1),
        ]);
        while list.status_filter() != StatusFilter::Failure {
            list.cycle_status_filter();
        }
        assert_eq!(ids(&list), ["b"]);

        let mut failed = row("c", Status::Failure, 3);
        failed.declined_reason = Some("document_expired".into());
        let merged = list.merge_fresh(vec![failed, row("b", Status::Failure, 2)]);
        assert_eq!(merged.changed, ["c"]);
        assert_eq!(merged.failed, ["c"]);
        assert!(merged.new.is_empty());
        assert_eq!(ids(&list), ["c", "b"], "the failure now passes the filter");
        assert_eq!(
            list.selected().and_then(|r| r.process_id.as_deref()),
            Some("b")
        );
        let c = list.visible()[0];
        assert_eq!(
            list.row(c).and_then(|r| r.declined_reason.as_deref()),
            Some("document_expired")
        );
        assert!(list.knows("a") && !list.knows("z"));
    }
}
