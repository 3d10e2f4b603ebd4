//! The queue of what could not be recorded yet and when to try it again (`writes.rs` says how
//! it is tried; the thread's loop in `task.rs` waits on it).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::app::RequestId;
use crate::app::message::review::ReviewRequest;

/// The first pause after a failed try; it doubles up to [`RETRY_MOST`].
pub(super) const RETRY_FIRST: Duration = Duration::from_millis(500);
pub(super) const RETRY_MOST: Duration = Duration::from_secs(8);

#[derive(Debug, Default)]
pub(super) struct Waiting {
    pub(super) queue: VecDeque<(RequestId, ReviewRequest)>,
    /// When to try again, and the pause that led there.
    pub(super) next: Option<(Instant, Duration)>,
    /// Why the last try failed.
    pub(super) why: Option<String>,
    /// The connection met an I/O error: open the store again before the next try.
    pub(super) reopen: bool,
}

impl Waiting {
    pub(super) fn push(&mut self, id: RequestId, request: ReviewRequest) {
        self.queue.push_back((id, request));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// How long until the next try, when something waits for one.
    pub(super) fn due_in(&self) -> Option<Duration> {
        self.next
            .map(|(at, _)| at.saturating_duration_since(Instant::now()))
    }

    pub(super) fn due(&self) -> bool {
        self.next.is_some_and(|(at, _)| at <= Instant::now())
    }
}
