//! Turning a review request into the event to record, on the latest events of its process: the
//! one rule the desk's task and the tests' stand-in both follow.

use crate::app::message::NotRecorded;
use crate::app::message::review::ReviewRequest;
use crate::review::{Event, EventKind, HeadMoved};

/// The event `request` records, made by `reviewer` on top of `events` (the process's events as
/// the store has them now); `Ok(None)` for requests that record nothing (leases); `Err` says why
/// the store refuses (e.g. nothing of yours to undo, or a decision taken on a head that moved).
pub fn event_for(
    request: &ReviewRequest,
    events: &[Event],
    reviewer: &str,
) -> Result<Option<Event>, NotRecorded> {
    match request {
        ReviewRequest::Decide {
            process_id,
            decision,
            truora_status,
            seen,
        } => {
            if let Some(moved) = crate::review::head::moved_since(events, *seen) {
                return Err(superseded(moved));
            }
            let review = crate::review::fold(events);
            Ok(Some(review.decision_event(
                process_id,
                *decision,
                reviewer,
                truora_status.clone(),
            )))
        }
        ReviewRequest::Note {
            process_id,
            text,
            truora_status,
        } => {
            let text = text.trim();
            if text.is_empty() {
                return Err(crate::review::Refusal::EmptyNote.into());
            }
            Ok(Some(Event::new(
                process_id,
                EventKind::Note {
                    text: text.to_owned(),
                },
                reviewer,
                truora_status.clone(),
            )))
        }
        ReviewRequest::Undo {
            process_id: _,
            truora_status,
        } => crate::review::undo(events, reviewer, truora_status.clone())
            .map(Some)
            .map_err(NotRecorded::from),
        ReviewRequest::Hold { .. } => Ok(None),
    }
}

/// The answer to a decision taken on a head that is no longer the process's.
pub fn superseded(moved: HeadMoved) -> NotRecorded {
    let ago = crate::review::head::age(moved.at, crate::review::Timestamp::now());
    NotRecorded::Superseded { moved, ago }
}

/// The process a request is about (leases aside).
pub fn process_of(request: &ReviewRequest) -> Option<&str> {
    match request {
        ReviewRequest::Decide { process_id, .. }
        | ReviewRequest::Note { process_id, .. }
        | ReviewRequest::Undo { process_id, .. } => Some(process_id),
        ReviewRequest::Hold { .. } => None,
    }
}
