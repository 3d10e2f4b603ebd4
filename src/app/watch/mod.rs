//! `--watch`: the list read again on an interval. The runtime owns the timer and sends
//! [`Message::WatchTick`]; the app asks the worker for the newest processes ([`Job::Watch`]),
//! merges the answer, counts what is new until it is seen, announces new failures, and backs
//! off on errors (the runtime asks [`App::watch_interval`] when it sets the next tick).

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use super::message::{Job, ListPage};
use super::{App, Command};
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

impl App {
    /// How long until the next poll: the `--watch` interval, doubled per failed poll in a row
    /// (capped); `None` when not watching.
    pub fn watch_interval(&self) -> Option<Duration> {
        let every = self.opts.watch?;
        let factor = 2u32.saturating_pow(self.watch.failures.min(16));
        Some(every.saturating_mul(factor).min(MAX_BACKOFF.max(every)))
    }

    /// New processes not yet looked at, for the list's title.
    pub fn watch_unseen(&self) -> usize {
        self.watch.unseen.len()
    }

    /// Whether the last poll failed (the title shows a small mark; the error is in the log).
    pub fn watch_failing(&self) -> bool {
        self.watch.failures > 0
    }

    /// A tick of the runtime's timer: poll, unless the list is still loading or a poll is out.
    pub(super) fn watch_tick(&mut self) {
        let polling = self
            .out
            .requests
            .pending()
            .any(|(_, job)| matches!(job, Job::Watch { .. }));
        if self.opts.watch.is_none() || self.loading.loading || polling {
            return;
        }
        let known: HashSet<String> = self.list.visible_or_all_ids().into_iter().collect();
        self.out.ask(Job::Watch {
            known: Arc::new(known),
        });
    }

    /// A poll's answer: merged into the list; changed processes lose their cached result.
    pub(super) fn watch_answered(&mut self, result: Result<ListPage, ApiError>) {
        let page = match result {
            Ok(page) => page,
            Err(error) => {
                self.watch.failures = self.watch.failures.saturating_add(1);
                tracing::warn!(%error, failures = self.watch.failures, "watch poll failed; backing off");
                return;
            }
        };
        self.watch.failures = 0;
        let merged = self.list.merge_fresh(page.items);
        for id in &merged.changed {
            self.results.remove(id);
        }
        self.watch.unseen.extend(merged.new.iter().cloned());
        self.watch_seen();
        // The bell is the runtime's to ring: the app only says it wants one.
        if self.opts.watch_bell && !merged.failed.is_empty() {
            self.out.push(Command::Bell);
        }
        match merged.failed.len() {
            0 => {}
            1 => self
                .out
                .status
                .info(format!("new failure: {}", merged.failed[0])),
            n => self.out.status.info(format!("{n} new failures")),
        }
    }

    /// The process under the cursor counts as seen.
    pub(super) fn watch_seen(&mut self) {
        if self.watch.unseen.is_empty() {
            return;
        }
        if let Some(id) = self.list.selected().and_then(|r| r.process_id.clone()) {
            self.watch.unseen.remove(&id);
        }
    }
}
