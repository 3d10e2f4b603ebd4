//! The current state of one process: its [`Review`] (what its events say, worked out in
//! [`chains`](super::chains)) and its [`Mark`] (the review read against Truora's current status:
//! the override it asks for and where that stands).

use std::sync::Arc;

use super::id::{EventId, Timestamp};
use super::model::{Decision, Direction, Event, OverrideReason, Verdict};
use crate::api::model::{OverrideEntry, ProcessResult, Status};

/// What the events of one process say, before looking at Truora's current status.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Review {
    /// The standing verdict (of the latest head when heads disagree).
    pub verdict: Option<Verdict>,
    pub reason: Option<OverrideReason>,
    /// Truora's status when the standing verdict was given.
    pub seen_status: Option<Status>,
    /// Who gave the standing verdict, and when. Names are shared, not copied: a store holds
    /// few reviewers and the command line's load makes a review for every process.
    pub decided_by: Option<Arc<str>>,
    pub decided_at: Option<Timestamp>,
    /// The latest decision event (a new decision supersedes it).
    pub head: Option<EventId>,
    /// Other chain ends (a new decision resolves them); empty unless reviewers decided at once.
    pub other_heads: Vec<EventId>,
    /// Chain ends disagree: two reviewers decided differently without seeing each other.
    pub conflict: bool,
    /// Notes not taken back.
    pub notes: usize,
    /// The latest event of any kind: who touched the process last, and when.
    pub last_reviewer: Option<Arc<str>>,
    pub last_at: Option<Timestamp>,
}

/// Where an override that a verdict asks for stands in Truora.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OverrideState {
    /// Still to be applied in Truora's dashboard.
    Pending,
    /// Truora's status now says what the verdict asked for.
    Applied,
    /// Truora's status changed some other way since the decision: look again.
    Stale,
}

impl OverrideState {
    pub fn label(self) -> &'static str {
        match self {
            OverrideState::Pending => "pending",
            OverrideState::Applied => "applied",
            OverrideState::Stale => "stale",
        }
    }
}

/// An override the standing verdict asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OverrideMark {
    pub direction: Direction,
    pub reason: Option<OverrideReason>,
    pub state: OverrideState,
}

/// A process's review in the light of Truora's current status: what the list, the tree's heading
/// and the filters need, and no more. Small on purpose (56 bytes, where the whole [`Review`] is
/// 160): the start-up load makes one for each of 100,000 processes, and writing that many large
/// values at random places in a map was most of the load (README "Review desk").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mark {
    /// The standing verdict (of the latest head when heads disagree).
    pub verdict: Option<Verdict>,
    pub reason: Option<OverrideReason>,
    /// Truora's status when the standing verdict was given.
    pub seen_status: Option<Status>,
    /// Who gave the standing verdict.
    pub decided_by: Option<Arc<str>>,
    /// Notes not taken back.
    pub notes: u32,
    /// Chain ends disagree: two reviewers decided differently without seeing each other.
    pub conflict: bool,
    pub override_mark: Option<OverrideMark>,
    /// Truora's status changed since a verdict that agreed with it.
    pub outdated: bool,
}

// Kept small: growing it shows straight away in the start-up load's figure.
const _: () = assert!(std::mem::size_of::<Mark>() <= 56);

impl Mark {
    pub fn verdict(&self) -> Option<Verdict> {
        self.verdict
    }

    pub fn escalated(&self) -> bool {
        self.verdict == Some(Verdict::Escalate)
    }

    /// Has a standing verdict (escalate counts: the reviewer has dealt with it for now).
    pub fn is_reviewed(&self) -> bool {
        self.verdict.is_some()
    }

    /// The same review read against Truora's `current` status and, when loaded, its override
    /// history (a process known from the start-up load whose result has now arrived).
    pub fn relook(&self, current: Option<&Status>, history: Option<&[OverrideEntry]>) -> Mark {
        self.clone().read_against(current, history)
    }

    /// With the override and `outdated` worked out from the verdict and what Truora says now.
    pub(super) fn read_against(
        mut self,
        current: Option<&Status>,
        history: Option<&[OverrideEntry]>,
    ) -> Mark {
        self.override_mark = self.verdict.and_then(|verdict| {
            override_of(
                verdict,
                self.reason,
                self.seen_status.as_ref(),
                current,
                history,
            )
        });
        self.outdated = self.override_mark.is_none()
            && matches!(self.verdict, Some(Verdict::Pass | Verdict::Fail))
            && current.is_some_and(|c| Some(c) != self.seen_status.as_ref());
        self
    }
}

/// The override a standing `verdict` given when Truora said `seen` asks for, and where it stands,
/// given Truora's `current` status and, when the full result is loaded, its
/// `override_status_history`.
fn override_of(
    verdict: Verdict,
    reason: Option<OverrideReason>,
    seen: Option<&Status>,
    current: Option<&Status>,
    history: Option<&[OverrideEntry]>,
) -> Option<OverrideMark> {
    let direction = Direction::of(verdict, seen)?;
    let target = direction.to_status();
    let history_says_target = history
        .and_then(<[OverrideEntry]>::last)
        .is_some_and(|e| e.override_status.as_ref() == Some(&target));
    let state = if history_says_target {
        OverrideState::Applied
    } else if current == Some(&target) {
        // Moved to the target: applied, unless the loaded history shows no override did it.
        if history.is_some_and(|h| !h.iter().any(|e| e.override_status == Some(target.clone()))) {
            OverrideState::Stale
        } else {
            OverrideState::Applied
        }
    } else if current.is_none() || current == seen {
        OverrideState::Pending
    } else {
        OverrideState::Stale
    };
    Some(OverrideMark {
        direction,
        reason,
        state,
    })
}

impl Review {
    /// Has a standing verdict (escalate counts: the reviewer has dealt with it for now).
    pub fn is_reviewed(&self) -> bool {
        self.verdict.is_some()
    }

    pub fn escalated(&self) -> bool {
        self.verdict == Some(Verdict::Escalate)
    }

    /// The override the standing verdict asks for and where it stands (see [`Mark::relook`]).
    pub fn override_mark(
        &self,
        current: Option<&Status>,
        history: Option<&[OverrideEntry]>,
    ) -> Option<OverrideMark> {
        override_of(
            self.verdict?,
            self.reason,
            self.seen_status.as_ref(),
            current,
            history,
        )
    }

    /// The review as the list shows it, given Truora's `current` status (and history if loaded).
    pub fn mark(&self, current: Option<&Status>, history: Option<&[OverrideEntry]>) -> Mark {
        self.clone().into_mark(current, history)
    }

    /// [`mark`](Self::mark) without copying the review (the start-up load makes 100,000).
    pub fn into_mark(self, current: Option<&Status>, history: Option<&[OverrideEntry]>) -> Mark {
        Mark {
            verdict: self.verdict,
            reason: self.reason,
            seen_status: self.seen_status,
            decided_by: self.decided_by,
            notes: u32::try_from(self.notes).unwrap_or(u32::MAX),
            conflict: self.conflict,
            override_mark: None,
            outdated: false,
        }
        .read_against(current, history)
    }

    /// The event that records `decision` on top of this review (superseding the current decision
    /// and settling any conflict).
    pub fn decision_event(
        &self,
        process_id: &str,
        decision: Decision,
        reviewer: &str,
        status: Option<Status>,
    ) -> Event {
        self.follow_up(Event::new(process_id, decision.kind(), reviewer, status))
    }

    fn follow_up(&self, mut event: Event) -> Event {
        event.supersedes = self.head;
        event.resolves = self.other_heads.clone();
        event
    }
}

/// Truora's status of a loaded process, overrides included: the latest override's new status,
/// else `override_status`, else `status` (the demo, like the documented payloads, keeps the
/// original `status` and records overrides beside it).
pub fn truora_status_of(result: &ProcessResult) -> Option<Status> {
    result
        .override_history
        .last()
        .and_then(|e| e.override_status.clone())
        .or_else(|| result.override_status.clone())
        .or_else(|| result.status.clone())
}
