//! The decision chains of one process, and what they say: its [`Review`] ([`fold`]), its
//! history, whose decision stands, and what an undo records.
//!
//! Decisions form a chain through `supersedes`: each verdict replaces the decision that stood when
//! it was made, and a withdraw takes back the one it names, so what stood before it stands again
//! (undo walks back one step at a time). Walking a chain from its start and treating verdicts as
//! pushes and withdraws as pops gives the standing verdict. Two reviewers deciding at once from the
//! same state make two chain ends ("heads"); if their verdicts differ, that is a conflict, settled
//! by the next decision, which supersedes one head and `resolves` the others.

use std::collections::HashSet;
use std::sync::Arc;

use super::id::EventId;
use super::mark::{Mark, Review};
use super::model::{Event, EventKind, OverrideReason, Refusal, Verdict};
use crate::api::model::{OverrideEntry, Status};

/// The events of one process, sorted by id, with what refers to what worked out.
struct Chains<'a> {
    events: Vec<&'a Event>,
    retracted_notes: HashSet<EventId>,
    superseded: HashSet<EventId>,
    heads: Vec<&'a Event>,
}

impl<'a> Chains<'a> {
    fn new(events: impl IntoIterator<Item = &'a Event>) -> Self {
        let mut events: Vec<&Event> = events.into_iter().collect();
        events.sort_by_key(|e| e.id);
        events.dedup_by_key(|e| e.id);
        let find = |id: EventId| {
            events
                .binary_search_by_key(&id, |e| e.id)
                .ok()
                .map(|i| events[i])
        };
        let is_note = |id: Option<EventId>| {
            id.and_then(find)
                .is_some_and(|e| matches!(e.kind, EventKind::Note { .. }))
        };
        let mut retracted_notes = HashSet::new();
        let mut superseded = HashSet::new();
        for e in &events {
            match e.kind {
                EventKind::Note { .. } => continue,
                EventKind::Withdraw if is_note(e.supersedes) => {
                    retracted_notes.extend(e.supersedes);
                    continue;
                }
                _ => {}
            }
            superseded.extend(e.supersedes);
            superseded.extend(e.resolves.iter().copied());
        }
        let heads = events
            .iter()
            .copied()
            .filter(|e| e.is_decision() && !is_note(e.supersedes) && !superseded.contains(&e.id))
            .collect();
        Chains {
            retracted_notes,
            superseded,
            heads,
            events,
        }
    }

    fn find(&self, id: EventId) -> Option<&'a Event> {
        self.events
            .binary_search_by_key(&id, |e| e.id)
            .ok()
            .map(|i| self.events[i])
    }

    /// The verdict event standing at the end of the chain that ends in `head`.
    fn standing(&self, head: &'a Event) -> Option<&'a Event> {
        let mut path = vec![head];
        let mut at = head;
        while let Some(prev) = at.supersedes.and_then(|id| self.find(id)) {
            if path.len() > self.events.len() {
                break; // a cycle in foreign data: stop walking
            }
            path.push(prev);
            at = prev;
        }
        let mut stack: Vec<&Event> = Vec::new();
        for e in path.into_iter().rev() {
            match e.kind {
                EventKind::Verdict { .. } => stack.push(e),
                EventKind::Withdraw => {
                    stack.pop();
                }
                EventKind::Note { .. } => {}
            }
        }
        stack.pop()
    }
}

fn outcome(e: Option<&Event>) -> Option<(Verdict, Option<OverrideReason>)> {
    match e?.kind {
        EventKind::Verdict { verdict, reason } => Some((verdict, reason)),
        _ => None,
    }
}

/// The review of one process from its events (any order; duplicates ignored).
pub fn fold<'a>(events: impl IntoIterator<Item = &'a Event>) -> Review {
    let mut events = events.into_iter();
    let (first, second) = (events.next(), events.next());
    let Some(second) = second else {
        return first.map_or_else(Review::default, fold_one);
    };
    let chains = Chains::new(first.into_iter().chain([second]).chain(events));
    let mut review = Review::default();
    if let Some(last) = chains.events.last() {
        review.last_reviewer = Some(last.reviewer.as_str().into());
        review.last_at = Some(last.at);
    }
    review.notes = chains
        .events
        .iter()
        .filter(|e| {
            matches!(e.kind, EventKind::Note { .. }) && !chains.retracted_notes.contains(&e.id)
        })
        .count();
    let Some((&latest, others)) = chains.heads.split_last() else {
        return review;
    };
    let standing = chains.standing(latest);
    review.head = Some(latest.id);
    review.other_heads = others.iter().map(|e| e.id).collect();
    review.conflict = others
        .iter()
        .any(|h| outcome(chains.standing(h)) != outcome(standing));
    if let Some(s) = standing {
        if let Some((verdict, reason)) = outcome(Some(s)) {
            review.verdict = Some(verdict);
            review.reason = reason;
        }
        review.seen_status = s.truora_status.clone();
        review.decided_by = Some(s.reviewer.as_str().into());
        review.decided_at = Some(s.at);
    }
    review
}

/// The common case, one event: what [`fold`] would find, without its bookkeeping.
fn fold_one(e: &Event) -> Review {
    let reviewer: Arc<str> = e.reviewer.as_str().into();
    let mut review = Review {
        last_reviewer: Some(reviewer.clone()),
        last_at: Some(e.at),
        ..Review::default()
    };
    match e.kind {
        EventKind::Note { .. } => review.notes = 1,
        EventKind::Withdraw => review.head = Some(e.id),
        EventKind::Verdict { verdict, reason } => {
            review.head = Some(e.id);
            review.verdict = Some(verdict);
            review.reason = reason;
            review.seen_status = e.truora_status.clone();
            review.decided_by = Some(reviewer);
            review.decided_at = Some(e.at);
        }
    }
    review
}

/// The mark of one process: its events read against Truora's `current` status and, when loaded,
/// its override history.
pub fn derive<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    current: Option<&Status>,
    history: Option<&[OverrideEntry]>,
) -> Mark {
    fold(events).mark(current, history)
}

/// One event in a process's decision history, as the tree shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryLine {
    pub event: Event,
    /// A later decision replaced it (or, for a note, it was taken back).
    pub superseded: bool,
    /// It is the standing verdict.
    pub standing: bool,
}

/// The events of one process in order, each with whether it still stands.
pub fn history<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<HistoryLine> {
    let chains = Chains::new(events);
    let standing = chains.heads.last().and_then(|h| chains.standing(h));
    chains
        .events
        .iter()
        .map(|e| HistoryLine {
            event: (*e).clone(),
            superseded: chains.superseded.contains(&e.id) || chains.retracted_notes.contains(&e.id),
            standing: standing.is_some_and(|s| s.id == e.id),
        })
        .collect()
}

/// `reviewer`'s newest decision or note on this process that still stands (not replaced, not
/// taken back): what their undo (`u`) goes back to first.
pub fn latest_standing_of<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    reviewer: &str,
) -> Option<EventId> {
    let mut events = events.into_iter();
    let (first, second) = (events.next(), events.next());
    if let (Some(e), None) = (first, second) {
        // One event (most processes): what the walk below finds, without its bookkeeping. A
        // note stands; a verdict stands unless it names itself as replaced (foreign data).
        let stands = e.reviewer == reviewer
            && match e.kind {
                EventKind::Note { .. } => true,
                EventKind::Withdraw => false,
                EventKind::Verdict { .. } => {
                    e.supersedes != Some(e.id) && !e.resolves.contains(&e.id)
                }
            };
        return stands.then_some(e.id);
    }
    let chains = Chains::new(first.into_iter().chain(second).chain(events));
    chains
        .events
        .iter()
        .rev()
        .find(|e| {
            e.reviewer == reviewer
                && !matches!(e.kind, EventKind::Withdraw)
                && !chains.superseded.contains(&e.id)
                && !chains.retracted_notes.contains(&e.id)
        })
        .map(|e| e.id)
}

/// The verdict standing at each chain end, latest first: one entry normally, several when
/// reviewers decided at once (the sides of a conflict). `None` where a chain was withdrawn to
/// nothing.
pub fn standings<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<Option<Event>> {
    let chains = Chains::new(events);
    chains
        .heads
        .iter()
        .rev()
        .map(|h| chains.standing(h).cloned())
        .collect()
}

/// The event that undoes `reviewer`'s last decision or note on this process: a withdraw of it,
/// so whatever stood before stands again. Refused when there is nothing of theirs to undo, or
/// when someone else has decided on top of it.
pub fn undo<'a>(
    events: impl IntoIterator<Item = &'a Event>,
    reviewer: &str,
    status: Option<Status>,
) -> Result<Event, Refusal> {
    let chains = Chains::new(events);
    let head = chains.heads.last().copied();
    let standing = head.and_then(|h| chains.standing(h));
    let my_note = chains
        .events
        .iter()
        .filter(|e| e.reviewer == reviewer && matches!(e.kind, EventKind::Note { .. }))
        .rfind(|e| !chains.retracted_notes.contains(&e.id));
    let my_standing = standing.filter(|s| s.reviewer == reviewer);
    let process_id = chains.events.first().map_or("", |e| e.process_id.as_str());
    let withdraw = |target: EventId, resolves: Vec<EventId>| {
        let mut e = Event::new(process_id, EventKind::Withdraw, reviewer, status.clone());
        e.supersedes = Some(target);
        e.resolves = resolves;
        e
    };
    match (my_note, my_standing, head) {
        (Some(note), s, _) if s.is_none_or(|s| note.id > s.id) => Ok(withdraw(note.id, Vec::new())),
        (_, Some(_), Some(head)) => {
            let others = chains.heads.iter().rev().skip(1).map(|e| e.id).collect();
            Ok(withdraw(head.id, others))
        }
        _ => match standing {
            Some(s)
                if chains
                    .events
                    .iter()
                    .any(|e| e.reviewer == reviewer && e.is_decision()) =>
            {
                Err(Refusal::DecidedSince(s.reviewer.clone()))
            }
            _ => Err(Refusal::NothingToUndo),
        },
    }
}

#[cfg(test)]
#[path = "chains_tests.rs"]
mod tests;
