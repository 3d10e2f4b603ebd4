//! `--watch`: the list read again on an interval. The runtime owns the timer and sends
//! [`Message::WatchTick`](crate::app::Message::WatchTick); the app asks the worker for the newest
//! processes ([`Job::Watch`]), merges the answer, counts what is new until it is seen, announces
//! new failures, and backs off on errors (the runtime asks
//! [`App::watch_interval`](crate::app::App::watch_interval) when it sets the next tick).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use super::list::ListPane;
use super::list::ProcessList;
use super::message::{Command, Job, ListPage};
use super::outbox::Outbox;
use crate::api::ApiError;

/// Backing off doubles the interval up to this.
const MAX_BACKOFF: Duration = Duration::from_secs(600);

/// What watching knows between polls.
#[derive(Debug, Default)]
pub struct Watch {
    /// Processes added by a poll that the cursor has not rested on yet.
    unseen: HashSet<String>,
    /// Polls failed in a row; each doubles the interval.
    failures: u32,
}

impl Watch {
    /// How long until the next poll: the `--watch` interval (`every`), doubled per failed poll
    /// in a row (capped); `None` when not watching.
    pub fn interval(&self, every: Option<Duration>) -> Option<Duration> {
        let every = every?;
        let factor = 2u32.saturating_pow(self.failures.min(16));
        Some(every.saturating_mul(factor).min(MAX_BACKOFF.max(every)))
    }

    /// New processes not yet looked at, for the list's title.
    pub fn unseen(&self) -> usize {
        self.unseen.len()
    }

    /// Whether the last poll failed (the title shows a small mark; the error is in the log).
    pub fn failing(&self) -> bool {
        self.failures > 0
    }

    /// A tick of the runtime's timer: poll, unless not watching, the list is still loading or
    /// a poll is out.
    pub fn tick(&mut self, watching: bool, list: &ListPane, out: &mut Outbox) {
        let polling = out
            .requests
            .pending()
            .any(|(_, job)| matches!(job, Job::Watch { .. }));
        if !watching || list.loading.loading || polling {
            return;
        }
        let known: HashSet<String> = list.rows.visible_or_all_ids().into_iter().collect();
        out.ask(Job::Watch {
            known: Arc::new(known),
        });
    }

    /// A poll's answer, merged into the list. Returns the processes whose status changed: their
    /// cached results are stale. `bell`: ring it when a poll finds a new failure.
    pub fn answered(
        &mut self,
        result: Result<ListPage, ApiError>,
        list: &mut ProcessList,
        bell: bool,
        out: &mut Outbox,
    ) -> Vec<String> {
        let page = match result {
            Ok(page) => page,
            Err(error) => {
                self.failures = self.failures.saturating_add(1);
                tracing::warn!(%error, failures = self.failures, "watch poll failed; backing off");
                return Vec::new();
            }
        };
        self.failures = 0;
        let merged = list.merge_fresh(page.items);
        self.unseen.extend(merged.new.iter().cloned());
        self.seen(list);
        // The bell is the runtime's to ring: the app only says it wants one.
        if bell && !merged.failed.is_empty() {
            out.push(Command::Bell);
        }
        match merged.failed.len() {
            0 => {}
            1 => out.info(format!("new failure: {}", merged.failed[0])),
            n => out.info(format!("{n} new failures")),
        }
        merged.changed
    }

    /// The process under the cursor counts as seen.
    pub fn seen(&mut self, list: &ProcessList) {
        if self.unseen.is_empty() {
            return;
        }
        if let Some(id) = list.selected().and_then(|r| r.process_id.clone()) {
            self.unseen.remove(&id);
        }
    }
}
