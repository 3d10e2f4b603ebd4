//! The rule that keeps a decision from replacing one its author never saw.
//!
//! A decision (a verdict, or a withdraw of one) is taken on the process's *head*: the latest
//! decision event standing at the end of its chain, as the reviewer's screen showed it. It names
//! that head in `supersedes` (and any other chain ends in `resolves`). If a colleague decided in
//! between, the head the store holds is another one: recording the decision anyway would replace
//! a decision its author did not see, so the store refuses it ([`HeadMoved`] says who decided
//! what, and when) and the reviewer chooses. Both stores apply this rule inside the transaction
//! that records the event, so two writers cannot both pass it.
//!
//! Notes, and withdraws of notes, are not decisions and are never refused by it. Imports bypass
//! it on purpose: decisions taken apart and merged later are a conflict to show (`≠`), not an
//! error.

use std::collections::HashSet;

use super::id::{EventId, Timestamp};
use super::model::{Event, EventKind, Verdict};

/// A decision was not recorded: the process's standing decision changed since its author saw it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeadMoved {
    pub process_id: String,
    /// The head now: what a decision asked again is taken on.
    pub head: EventId,
    /// Who made the head event, and when.
    pub reviewer: String,
    pub at: Timestamp,
    /// What it says: a verdict, or `None` for a withdraw (an undo).
    pub verdict: Option<Verdict>,
}

impl HeadMoved {
    /// `alice recorded fail` / `alice undid a decision`: what the colleague did, without when.
    pub fn what(&self) -> String {
        let who = crate::sanitize::terminal_text(&self.reviewer);
        match self.verdict {
            Some(v) => format!("{who} recorded {v}"),
            None => format!("{who} undid a decision"),
        }
    }
}

/// Whether `event` is a decision the head rule applies to: a verdict, or a withdraw of a
/// decision (not of a note), judged against the process's `events`.
pub fn is_guarded(event: &Event, events: &[Event]) -> bool {
    match event.kind {
        EventKind::Verdict { .. } => true,
        EventKind::Note { .. } => false,
        EventKind::Withdraw => !event.supersedes.is_some_and(|target| {
            events
                .iter()
                .any(|e| e.id == target && matches!(e.kind, EventKind::Note { .. }))
        }),
    }
}

/// `None` when `event` may be recorded on top of `events` (the process's events as the store
/// holds them now): it is no decision, or it names the head they end in and every other chain
/// end. Otherwise what stands there now.
pub fn check(event: &Event, events: &[Event]) -> Option<HeadMoved> {
    if !is_guarded(event, events) {
        return None;
    }
    let review = super::chains::fold(events);
    let resolved: HashSet<EventId> = event.resolves.iter().copied().collect();
    let fits =
        review.head == event.supersedes && review.other_heads.iter().all(|h| resolved.contains(h));
    if fits {
        return None;
    }
    moved(events, review.head?)
}

/// The [`HeadMoved`] of `events`' decision `head`.
fn moved(events: &[Event], head: EventId) -> Option<HeadMoved> {
    let e = events.iter().find(|e| e.id == head)?;
    Some(HeadMoved {
        process_id: e.process_id.clone(),
        head,
        reviewer: e.reviewer.clone(),
        at: e.at,
        verdict: match e.kind {
            EventKind::Verdict { verdict, .. } => Some(verdict),
            _ => None,
        },
    })
}

/// `None` when the head of `events` is `seen` (the head the reviewer's screen showed); else
/// what stands there now. A process with no decision takes any decision: nothing is replaced.
pub fn moved_since(events: &[Event], seen: Option<EventId>) -> Option<HeadMoved> {
    let head = super::chains::fold(events).head?;
    if Some(head) == seen {
        return None;
    }
    moved(events, head)
}

/// `2 s`, `3 min`, `2 h`, `4 days`: how long ago `at` was, at `now` (a clock behind: `0 s`).
pub fn age(at: Timestamp, now: Timestamp) -> String {
    let secs = (now.millis() - at.millis()).max(0) / 1000;
    match secs {
        0..60 => format!("{secs} s"),
        60..3_600 => format!("{} min", secs / 60),
        3_600..86_400 => format!("{} h", secs / 3_600),
        _ if secs < 2 * 86_400 => "1 day".into(),
        _ => format!("{} days", secs / 86_400),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Decision;

    fn verdict(process: &str, who: &str, v: Verdict, on: &[Event]) -> Event {
        crate::review::fold(on).decision_event(
            process,
            Decision {
                verdict: v,
                reason: None,
            },
            who,
            None,
        )
    }

    #[test]
    fn a_decision_on_the_head_passes_and_one_on_an_older_head_is_told_who_moved_it() {
        let first = verdict("P", "ana", Verdict::Fail, &[]);
        assert_eq!(check(&first, &[]), None, "nothing to replace");
        let events = vec![first.clone()];
        let on_head = verdict("P", "bob", Verdict::Pass, &events);
        assert_eq!(check(&on_head, &events), None);
        // Taken on nothing, while ana's fail stood: refused, naming it.
        let blind = verdict("P", "bob", Verdict::Pass, &[]);
        let moved = check(&blind, &events).expect("refused");
        assert_eq!(
            (moved.head, moved.reviewer.as_str(), moved.verdict),
            (first.id, "ana", Some(Verdict::Fail))
        );
        assert_eq!(moved.what(), "ana recorded fail");
        assert_eq!(moved_since(&events, None), Some(moved));
        assert_eq!(moved_since(&events, Some(first.id)), None);
    }

    #[test]
    fn notes_and_withdraws_of_notes_are_never_refused() {
        let fail = verdict("P", "ana", Verdict::Fail, &[]);
        let note = Event::new("P", EventKind::Note { text: "x".into() }, "bob", None);
        let events = vec![fail, note.clone()];
        let mut take_back = Event::new("P", EventKind::Withdraw, "bob", None);
        take_back.supersedes = Some(note.id);
        assert!(!is_guarded(&take_back, &events));
        assert_eq!(check(&take_back, &events), None);
        assert_eq!(check(&note, &events), None);
    }

    #[test]
    fn a_chain_end_left_out_of_resolves_is_refused() {
        let a = verdict("P", "ana", Verdict::Fail, &[]);
        let b = verdict("P", "bob", Verdict::Pass, &[]);
        let events = vec![a, b];
        let settles_both = verdict("P", "cy", Verdict::Pass, &events);
        assert_eq!(settles_both.resolves.len(), 1, "a conflict: two chain ends");
        assert_eq!(check(&settles_both, &events), None);
        let mut settles_one = settles_both;
        settles_one.resolves.clear();
        assert!(check(&settles_one, &events).is_some());
    }

    #[test]
    fn ages_read_as_a_person_says_them() {
        let at = Timestamp(1_000_000);
        let after = |ms: i64| Timestamp(1_000_000 + ms);
        assert_eq!(age(at, after(2_400)), "2 s");
        assert_eq!(age(at, after(-5_000)), "0 s");
        assert_eq!(age(at, after(185_000)), "3 min");
        assert_eq!(age(at, after(7_300_000)), "2 h");
        assert_eq!(age(at, after(90_000_000)), "1 day");
        assert_eq!(age(at, after(400_000_000)), "4 days");
    }
}
