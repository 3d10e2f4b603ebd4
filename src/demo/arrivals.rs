//! `--demo-arrivals SECS`: the demo's list grows while it is watched, so `--watch` can be tried
//! and tested with no account.
//!
//! Every SECS on the server's clock (wall clock plus [`super::DemoServer::advance_clock`]) a new
//! process arrives at the top of the list. Half of them arrive pending and finish two intervals
//! later: every other one of those ends declined, so a watcher sees new failures; the rest end as
//! the generator's odds say. Arrivals are caught up when a request comes in, not by a timer:
//! nobody can see the list change without asking for it, and a test that advances the clock sees
//! the arrivals on its next request without sleeping.

use std::sync::{PoisonError, RwLock};

use super::DemoOptions;
use super::catalog::DECLINED_REASONS;
use super::generate::{Arrival, build_process};
use super::model::{Dataset, Process};

/// At most this many processes arrive in one catch-up (a clock advanced by a year).
const MAX_PER_CATCH_UP: usize = 1_000;
/// And at most this many in a server's life, so a forgotten demo does not grow without bound.
const MAX_ARRIVALS: usize = 100_000;
/// Any scenario number past the generator's fixed ones plays a random scenario.
const RANDOM_SCENARIO: usize = usize::MAX / 2;

/// What has arrived so far and what is still running.
#[derive(Default)]
pub(crate) struct Arrivals {
    /// When the next process arrives; set by the first catch-up after arrivals are turned on.
    next_at: Option<i64>,
    made: usize,
    running: Vec<Running>,
}

/// A pending arrival and what it becomes when it finishes.
struct Running {
    id: String,
    finish_at: i64,
    done: Process,
}

impl Arrivals {
    /// Brings `data` up to the server's `now`: finishes what is due, then adds what has arrived.
    pub(crate) fn catch_up(&mut self, data: &RwLock<Dataset>, opts: &DemoOptions, now: i64) {
        let Some(every) = opts.arrivals else { return };
        let every = i64::try_from(every.as_secs().max(1)).unwrap_or(i64::MAX);
        let state = self;
        let next_at = *state.next_at.get_or_insert(now.saturating_add(every));
        let due = |r: &Running| r.finish_at <= now;
        if next_at > now && !state.running.iter().any(due) {
            return;
        }
        let mut data = data.write().unwrap_or_else(PoisonError::into_inner);

        let (finished, running): (Vec<Running>, Vec<Running>) = std::mem::take(&mut state.running)
            .into_iter()
            .partition(due);
        state.running = running;
        for Running { id, mut done, .. } in finished {
            if let Some(&at) = data.by_id.get(&id) {
                done.created = data.processes[at].created;
                data.processes[at] = done;
            }
        }

        let mut made_now = 0;
        while state.next_at.is_some_and(|t| t <= now)
            && made_now < MAX_PER_CATCH_UP
            && state.made < MAX_ARRIVALS
        {
            let scheduled = state.next_at.unwrap_or(now);
            state.next_at = Some(scheduled.saturating_add(every));
            let n = state.made;
            state.made += 1;
            made_now += 1;
            // Newest first: an arrival is never older than the top of the list.
            let created = data
                .processes
                .first()
                .map_or(scheduled, |p| scheduled.max(p.created + 1));
            let index = opts.processes + n;
            let pending = n.is_multiple_of(2);
            let scenario = if n.is_multiple_of(4) {
                (n / 4) % DECLINED_REASONS.len()
            } else {
                RANDOM_SCENARIO
            };
            let arrival = |pending| Arrival {
                created,
                scenario,
                pending,
            };
            let mut process = build_process(opts.seed, index, index + 1, Some(arrival(pending)));
            if pending {
                let mut done = build_process(opts.seed, index, index + 1, Some(arrival(false)));
                done.id = process.id.clone();
                state.running.push(Running {
                    id: process.id.clone(),
                    finish_at: created.saturating_add(every.saturating_mul(2)),
                    done,
                });
            }
            process.updated = process.updated.max(created);
            data.processes.insert(0, process);
        }
        data.reindex();
    }
}
