//! What a reviewer can say about a process, and the rule for when that needs an override reason.
//!
//! Truora lets a permitted account change a *completed* process's final status in its dashboard,
//! Failure → Success or Success → Failure, with a reason from a fixed list per direction; a pending
//! process cannot be overridden. A verdict that disagrees with Truora is such an override, so it
//! needs one of those reasons; one that agrees needs none.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::id::{EventId, Timestamp};
use crate::api::model::Status;

/// A reviewer's verdict on a process. Named in event files by [`wire_name`](Self::wire_name),
/// which serde's names match (`model_tests.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
    /// Needs a second look (by someone else, or later).
    Escalate,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Pass, Verdict::Fail, Verdict::Escalate];

    /// The name in event files, exports and on the command line.
    pub fn wire_name(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::Escalate => "escalate",
        }
    }

    pub fn from_wire(text: &str) -> Option<Self> {
        Verdict::ALL.into_iter().find(|v| v.wire_name() == text)
    }

    /// The Truora status this verdict asks for; `None` for escalate.
    pub fn wanted_status(self) -> Option<Status> {
        match self {
            Verdict::Pass => Some(Status::Success),
            Verdict::Fail => Some(Status::Failure),
            Verdict::Escalate => None,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_name())
    }
}

/// Which way an override changes Truora's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    FailureToSuccess,
    SuccessToFailure,
}

impl Direction {
    /// `failure→success`, as the CSV export and the screen write it.
    pub fn label(self) -> &'static str {
        match self {
            Direction::FailureToSuccess => "failure→success",
            Direction::SuccessToFailure => "success→failure",
        }
    }

    pub fn from_status(self) -> Status {
        match self {
            Direction::FailureToSuccess => Status::Failure,
            Direction::SuccessToFailure => Status::Success,
        }
    }

    pub fn to_status(self) -> Status {
        match self {
            Direction::FailureToSuccess => Status::Success,
            Direction::SuccessToFailure => Status::Failure,
        }
    }

    /// The override a verdict on a process with Truora status `seen` amounts to, if any.
    pub fn of(verdict: Verdict, seen: Option<&Status>) -> Option<Direction> {
        match (verdict, seen?) {
            (Verdict::Pass, Status::Failure) => Some(Direction::FailureToSuccess),
            (Verdict::Fail, Status::Success) => Some(Direction::SuccessToFailure),
            _ => None,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Truora's override reasons (its dashboard's fixed list); which ones apply depends on the direction.
/// Named in event files by [`wire_name`](Self::wire_name), which serde's names match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OverrideReason {
    RegularClient,
    InPersonCustomer,
    MeetsAllRequirements,
    ManipulatedDocument,
    ManipulatedPhoto,
    InternalReasons,
    Other,
}

const TO_SUCCESS: [OverrideReason; 4] = [
    OverrideReason::RegularClient,
    OverrideReason::InPersonCustomer,
    OverrideReason::MeetsAllRequirements,
    OverrideReason::Other,
];
const TO_FAILURE: [OverrideReason; 4] = [
    OverrideReason::ManipulatedDocument,
    OverrideReason::ManipulatedPhoto,
    OverrideReason::InternalReasons,
    OverrideReason::Other,
];

impl OverrideReason {
    pub const ALL: [OverrideReason; 7] = [
        OverrideReason::RegularClient,
        OverrideReason::InPersonCustomer,
        OverrideReason::MeetsAllRequirements,
        OverrideReason::ManipulatedDocument,
        OverrideReason::ManipulatedPhoto,
        OverrideReason::InternalReasons,
        OverrideReason::Other,
    ];

    /// Truora's name (`reason_category` in `override_status_history`).
    pub fn wire_name(self) -> &'static str {
        match self {
            OverrideReason::RegularClient => "regular_client",
            OverrideReason::InPersonCustomer => "in_person_customer",
            OverrideReason::MeetsAllRequirements => "meets_all_requirements",
            OverrideReason::ManipulatedDocument => "manipulated_document",
            OverrideReason::ManipulatedPhoto => "manipulated_photo",
            OverrideReason::InternalReasons => "internal_reasons",
            OverrideReason::Other => "other",
        }
    }

    /// How the reason picker and the tree say it.
    pub fn label(self) -> &'static str {
        match self {
            OverrideReason::RegularClient => "Regular client",
            OverrideReason::InPersonCustomer => "In-person customer",
            OverrideReason::MeetsAllRequirements => "Meets all requirements",
            OverrideReason::ManipulatedDocument => "Manipulated document",
            OverrideReason::ManipulatedPhoto => "Manipulated photo",
            OverrideReason::InternalReasons => "Internal reasons",
            OverrideReason::Other => "Other",
        }
    }

    pub fn from_wire(text: &str) -> Option<Self> {
        OverrideReason::ALL
            .into_iter()
            .find(|r| r.wire_name() == text)
    }

    /// The reasons Truora offers for an override in `direction`, in its dashboard's order (the
    /// picker numbers them 1…4).
    pub fn for_direction(direction: Direction) -> &'static [OverrideReason] {
        match direction {
            Direction::FailureToSuccess => &TO_SUCCESS,
            Direction::SuccessToFailure => &TO_FAILURE,
        }
    }

    pub fn fits(self, direction: Direction) -> bool {
        OverrideReason::for_direction(direction).contains(&self)
    }
}

impl fmt::Display for OverrideReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_name())
    }
}

/// What an event says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// A verdict; `reason` is set exactly when the verdict is an override.
    Verdict {
        verdict: Verdict,
        reason: Option<OverrideReason>,
    },
    /// Takes back the decision (or note) named by the event's `supersedes`.
    Withdraw,
    Note {
        text: String,
    },
}

impl EventKind {
    pub fn wire_name(&self) -> &'static str {
        match self {
            EventKind::Verdict { .. } => "verdict",
            EventKind::Withdraw => "withdraw",
            EventKind::Note { .. } => "note",
        }
    }
}

/// One decision or note. Events are never rewritten; the state of a process is derived from them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub id: EventId,
    pub process_id: String,
    pub kind: EventKind,
    pub reviewer: String,
    pub at: Timestamp,
    /// Truora's status as the reviewer saw it when deciding (`None`: not known then).
    pub truora_status: Option<Status>,
    /// The decision this one replaces: the process's current decision when this one was made.
    pub supersedes: Option<EventId>,
    /// Further decisions this one settles: when two reviewers decided at once (a conflict), the
    /// next decision replaces all of them, the latest through `supersedes`, the others here.
    /// Empty almost always.
    pub resolves: Vec<EventId>,
}

impl Event {
    /// A new event made now by `reviewer`.
    pub fn new(
        process_id: &str,
        kind: EventKind,
        reviewer: &str,
        truora_status: Option<Status>,
    ) -> Self {
        let at = Timestamp::now();
        Event {
            id: EventId::generate(at),
            process_id: process_id.to_string(),
            kind,
            reviewer: reviewer.to_string(),
            at,
            truora_status,
            supersedes: None,
            resolves: Vec::new(),
        }
    }

    pub fn is_decision(&self) -> bool {
        !matches!(self.kind, EventKind::Note { .. })
    }
}

/// Whether a verdict needs an override reason.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReasonNeed {
    /// The verdict agrees with Truora (or is escalate): no reason.
    None,
    /// The verdict is an override in this direction: pick one of
    /// [`OverrideReason::for_direction`].
    Required(Direction),
}

/// Why a decision cannot be recorded; the text says what to do instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error(
        "a pending process cannot be overridden (Truora allows it only once the process is \
         completed); escalate it or add a note instead"
    )]
    Pending,
    #[error(
        "Truora's status of this process is {0}; pass or fail needs success or failure (escalate \
         or add a note instead)"
    )]
    StatusNotDecidable(String),
    #[error("this verdict overrides Truora ({0}): choose a reason")]
    ReasonRequired(Direction),
    #[error("{reason} is not a reason Truora accepts for {direction}")]
    ReasonDoesNotFit {
        reason: OverrideReason,
        direction: Direction,
    },
    #[error("this verdict agrees with Truora, so it takes no override reason")]
    ReasonNotExpected,
    #[error("a note cannot be empty")]
    EmptyNote,
    #[error("nothing of yours to undo on this process")]
    NothingToUndo,
    #[error("{0} has decided on this process since your last decision; decide again instead")]
    DecidedSince(String),
}

/// Whether `verdict` may be given on a process whose Truora status is `status`, and whether it
/// then needs an override reason.
pub fn decide(verdict: Verdict, status: Option<&Status>) -> Result<ReasonNeed, Refusal> {
    if verdict == Verdict::Escalate {
        return Ok(ReasonNeed::None);
    }
    match status {
        Some(Status::Pending) => Err(Refusal::Pending),
        Some(Status::Success | Status::Failure) => {
            Ok(Direction::of(verdict, status).map_or(ReasonNeed::None, ReasonNeed::Required))
        }
        Some(Status::Unknown(text)) => Err(Refusal::StatusNotDecidable(format!("{text:?}"))),
        None => Err(Refusal::StatusNotDecidable("not known".into())),
    }
}

/// A complete verdict, checked: the verdict with its reason (exactly when it is an override).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub verdict: Verdict,
    pub reason: Option<OverrideReason>,
}

impl Decision {
    /// Checks `verdict` + `reason` against Truora's `status` (see [`decide`]).
    pub fn new(
        verdict: Verdict,
        reason: Option<OverrideReason>,
        status: Option<&Status>,
    ) -> Result<Self, Refusal> {
        match (decide(verdict, status)?, reason) {
            (ReasonNeed::None, None) => Ok(Decision { verdict, reason }),
            (ReasonNeed::None, Some(_)) => Err(Refusal::ReasonNotExpected),
            (ReasonNeed::Required(direction), None) => Err(Refusal::ReasonRequired(direction)),
            (ReasonNeed::Required(direction), Some(r)) if !r.fits(direction) => {
                Err(Refusal::ReasonDoesNotFit {
                    reason: r,
                    direction,
                })
            }
            (ReasonNeed::Required(_), Some(_)) => Ok(Decision { verdict, reason }),
        }
    }

    pub fn kind(self) -> EventKind {
        EventKind::Verdict {
            verdict: self.verdict,
            reason: self.reason,
        }
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
