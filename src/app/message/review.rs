//! What the app asks of the review desk's store, and what comes back.
//!
//! A request is a `Job::Review` under a `RequestId` like any other, and gets exactly one
//! [`ReviewNews::Answer`] with that id and a `Result`; the store's own news (its contents at start, what others decided since, who has
//! which process open) comes unasked. The app never makes events itself: the desk builds each
//! one on the store's latest events of the process, stamps it with the time and the reviewer,
//! and records it only if what stands there is what this browser saw (`seen`): nothing is
//! replaced that its author did not see (`review::head`).

use super::error::{NotRecorded, ReadOnly};
use super::id::RequestId;
use crate::api::model::Status;
use crate::review::{Decision, Event, EventId};

/// A request to the review desk.
#[derive(Clone, Debug, PartialEq)]
pub enum ReviewRequest {
    /// Records a verdict already checked against Truora's status (`review::decide`), taken on
    /// `seen`: the head of the process's decisions as the screen showed it (`None`: no
    /// decision). Refused if another stands there now ([`NotRecorded::Superseded`]).
    Decide {
        process_id: String,
        decision: Decision,
        truora_status: Option<Status>,
        seen: Option<EventId>,
    },
    Note {
        process_id: String,
        text: String,
        truora_status: Option<Status>,
    },
    /// Withdraws my last decision or note on the process (`review::undo`).
    Undo {
        process_id: String,
        truora_status: Option<Status>,
    },
    /// The process this browser has open: leased (and renewed while open) so other reviewers
    /// see it taken; the previous one is released. `None` releases.
    Hold { process_id: Option<String> },
}

/// News from the review desk.
#[derive(Debug)]
pub enum ReviewNews {
    /// The answer to one request: the event recorded (none for `Hold`), or why not.
    Answer {
        id: RequestId,
        result: Result<Option<Event>, NotRecorded>,
    },
    /// Sent just before `Opened`: every process's mark and this reviewer's standing decisions
    /// and notes (where `u` goes), without the events: a process's events come when it is held
    /// ([`ReviewNews::Loaded`]), so start-up does not copy 100,000 events.
    Marks(crate::review::StartUp),
    /// The store opened: who this reviewer is, whether decisions can be recorded (`Err` says why
    /// not: a read-only file, another version's schema, …), and the events to start from (the
    /// desk sends none: its `Marks` came first).
    Opened {
        reviewer: String,
        events: Vec<Event>,
        writable: Result<(), ReadOnly>,
    },
    /// All the events of some processes: the one held (its history for the tree), or one about
    /// to be recorded on (what the answer's event is added to).
    Loaded { events: Vec<Event> },
    /// Since the last news: all the events of the process this browser shows, if someone
    /// recorded on it (this browser included, harmlessly), and the processes other browsers
    /// have open now, with who has them. Every other process recorded on comes as a
    /// [`ReviewNews::Remarked`], after this.
    Changes {
        events: Vec<Event>,
        taken: Vec<(String, String)>,
    },
    /// The new marks of processes someone recorded on since the last news, other than the one
    /// shown: their events are not sent, so an import of a million events costs the app a mark
    /// per process, not the events. Much news at once comes in several of these, a page of the
    /// store's events each.
    Remarked(Vec<Remark>),
    /// Requests the store could not record yet (busy, disk full): the desk keeps them, in
    /// order, tries again with growing pauses, and answers each once it is recorded or refused
    /// for good. Not an answer: each still gets its one `Answer`.
    Delayed { ids: Vec<RequestId>, why: String },
    /// Events the store holds but cannot read: left out of the marks, named by id.
    Unreadable(Vec<crate::review::Unreadable>),
    /// The store cannot be used at all; browsing goes on without marks.
    Failed { error: String },
}

/// A process's review as the desk derived it from all its events, for a process whose events the
/// app is not sent: its mark, read against no loaded result (the app reads it against the
/// result it has, as it does the start-up marks), and this reviewer's newest decision or note on
/// it that still stands (where `u` goes).
#[derive(Clone, Debug, PartialEq)]
pub struct Remark {
    pub process_id: String,
    pub mark: crate::review::Mark,
    pub mine: Option<crate::review::EventId>,
}

/// A request in a few words, ids made safe for the terminal: `fail (override: regular client)
/// on IDP1`, `note on IDP1`, `undo on IDP1`, `lease`.
pub fn describe(request: &ReviewRequest) -> String {
    use crate::sanitize::terminal_text;
    match request {
        ReviewRequest::Decide {
            process_id,
            decision,
            ..
        } => match decision.reason {
            Some(r) => format!(
                "{} (override: {}) on {}",
                decision.verdict,
                r.label(),
                terminal_text(process_id)
            ),
            None => format!("{} on {}", decision.verdict, terminal_text(process_id)),
        },
        ReviewRequest::Note { process_id, .. } => format!("note on {}", terminal_text(process_id)),
        ReviewRequest::Undo { process_id, .. } => format!("undo on {}", terminal_text(process_id)),
        ReviewRequest::Hold { .. } => "lease".to_string(),
    }
}
