use super::*;
use crate::api::model::ProcessResult;
use crate::review::id::Timestamp;
use crate::review::mark::{OverrideState, truora_status_of};
use crate::review::model::Direction;
use crate::review::model::{Decision, Event, EventKind, OverrideReason as R, Verdict};

fn verdict(reviewer: &str, v: Verdict, reason: Option<R>, seen: Status) -> Event {
    Event::new(
        "P1",
        EventKind::Verdict { verdict: v, reason },
        reviewer,
        Some(seen),
    )
}

fn on(mut e: Event, parent: &Event) -> Event {
    e.supersedes = Some(parent.id);
    e
}

#[test]
fn no_events_is_unreviewed() {
    let r = fold(&[]);
    assert_eq!(r, Review::default());
    assert!(!r.is_reviewed());
}

#[test]
fn the_latest_decision_in_a_chain_stands() {
    let a = verdict("ana", Verdict::Fail, None, Status::Failure);
    let b = on(verdict("ana", Verdict::Escalate, None, Status::Failure), &a);
    let r = fold([&a, &b]);
    assert_eq!(r.verdict, Some(Verdict::Escalate));
    assert!(r.escalated() && r.is_reviewed() && !r.conflict);
    assert_eq!(r.head, Some(b.id));
    // Order of the input does not matter.
    assert_eq!(fold([&b, &a]), r);
}

#[test]
fn withdraw_walks_back_one_decision_at_a_time() {
    let a = verdict("ana", Verdict::Fail, None, Status::Failure);
    let b = on(verdict("ana", Verdict::Escalate, None, Status::Failure), &a);
    let mut events = vec![a.clone(), b];
    let u1 = undo(&events, "ana", Some(Status::Failure)).unwrap();
    events.push(u1);
    let r = fold(&events);
    assert_eq!(r.verdict, Some(Verdict::Fail));
    assert_eq!(r.decided_by.as_deref(), Some("ana"));
    let u2 = undo(&events, "ana", Some(Status::Failure)).unwrap();
    events.push(u2);
    assert_eq!(fold(&events).verdict, None);
    assert_eq!(
        undo(&events, "ana", Some(Status::Failure)),
        Err(Refusal::NothingToUndo)
    );
}

#[test]
fn undo_is_refused_when_someone_decided_on_top() {
    let a = verdict("ana", Verdict::Fail, None, Status::Failure);
    let b = on(verdict("ben", Verdict::Escalate, None, Status::Failure), &a);
    assert_eq!(
        undo([&a, &b], "ana", None),
        Err(Refusal::DecidedSince("ben".into()))
    );
    assert_eq!(undo([&a, &b], "cy", None), Err(Refusal::NothingToUndo));
}

#[test]
fn notes_are_counted_and_undo_takes_back_the_newest_note() {
    let v = verdict("ana", Verdict::Fail, None, Status::Failure);
    let n = Event::new(
        "P1",
        EventKind::Note {
            text: "blurry".into(),
        },
        "ana",
        None,
    );
    let mut events = vec![v, n.clone()];
    assert_eq!(fold(&events).notes, 1);
    let u = undo(&events, "ana", None).unwrap();
    assert_eq!(u.supersedes, Some(n.id));
    events.push(u);
    let r = fold(&events);
    assert_eq!((r.notes, r.verdict), (0, Some(Verdict::Fail)));
    let lines = history(&events);
    assert!(lines.iter().any(|l| l.event.id == n.id && l.superseded));
}

#[test]
fn concurrent_disagreeing_decisions_conflict_until_the_next_decision() {
    let a = verdict("ana", Verdict::Fail, None, Status::Failure);
    let b = verdict(
        "ben",
        Verdict::Pass,
        Some(R::RegularClient),
        Status::Failure,
    );
    let r = fold([&a, &b]);
    assert!(r.conflict);
    assert_eq!(r.verdict, Some(Verdict::Pass), "the latest head stands");
    assert_eq!(r.other_heads, vec![a.id]);
    let d = Decision::new(Verdict::Fail, None, Some(&Status::Failure)).unwrap();
    let c = r.decision_event("P1", d, "cy", Some(Status::Failure));
    assert_eq!((c.supersedes, c.resolves.clone()), (Some(b.id), vec![a.id]));
    let r = fold([&a, &b, &c]);
    assert!(!r.conflict);
    assert_eq!(r.verdict, Some(Verdict::Fail));
    assert!(r.other_heads.is_empty());
}

#[test]
fn concurrent_agreeing_decisions_do_not_conflict() {
    let a = verdict("ana", Verdict::Fail, None, Status::Failure);
    let b = verdict("ben", Verdict::Fail, None, Status::Failure);
    let r = fold([&a, &b]);
    assert!(!r.conflict);
    assert_eq!(r.other_heads.len(), 1);
}

fn entry(from: Status, to: Status) -> OverrideEntry {
    OverrideEntry {
        current_status: Some(from),
        override_status: Some(to),
        ..Default::default()
    }
}

#[test]
fn an_override_is_pending_until_truora_changes_then_applied_or_stale() {
    let a = verdict(
        "ana",
        Verdict::Pass,
        Some(R::RegularClient),
        Status::Failure,
    );
    let pending = derive([&a], Some(&Status::Failure), None);
    let om = pending.override_mark.unwrap();
    assert_eq!(om.direction, Direction::FailureToSuccess);
    assert_eq!(om.reason, Some(R::RegularClient));
    assert_eq!(om.state, OverrideState::Pending);
    assert_eq!(
        derive([&a], None, None).override_mark.unwrap().state,
        OverrideState::Pending
    );
    let applied_history = [entry(Status::Failure, Status::Success)];
    let applied = derive([&a], Some(&Status::Success), Some(&applied_history));
    assert_eq!(applied.override_mark.unwrap().state, OverrideState::Applied);
    // The list row alone (no history loaded) moving to the target counts as applied.
    let from_list = derive([&a], Some(&Status::Success), None);
    assert_eq!(
        from_list.override_mark.unwrap().state,
        OverrideState::Applied
    );
    // Success without any override in the loaded history: changed some other way.
    let no_override = derive([&a], Some(&Status::Success), Some(&[]));
    assert_eq!(
        no_override.override_mark.unwrap().state,
        OverrideState::Stale
    );
    let pending_now = derive([&a], Some(&Status::Pending), None);
    assert_eq!(
        pending_now.override_mark.unwrap().state,
        OverrideState::Stale
    );
    // Applied, then overridden back: the latest override points away from the verdict.
    let back = [
        entry(Status::Failure, Status::Success),
        entry(Status::Success, Status::Failure),
    ];
    let reverted = derive([&a], Some(&Status::Failure), Some(&back));
    assert_eq!(
        reverted.override_mark.unwrap().state,
        OverrideState::Pending
    );
}

#[test]
fn an_agreeing_verdict_is_outdated_when_truora_changes() {
    let a = verdict("ana", Verdict::Fail, None, Status::Failure);
    let m = derive([&a], Some(&Status::Failure), None);
    assert!(m.override_mark.is_none() && !m.outdated);
    assert!(derive([&a], Some(&Status::Success), None).outdated);
    let e = verdict("ana", Verdict::Escalate, None, Status::Failure);
    assert!(!derive([&e], Some(&Status::Success), None).outdated);
}

#[test]
fn truoras_status_includes_overrides() {
    let mut r = ProcessResult {
        status: Some(Status::Failure),
        ..Default::default()
    };
    assert_eq!(truora_status_of(&r), Some(Status::Failure));
    r.override_status = Some(Status::Success);
    assert_eq!(truora_status_of(&r), Some(Status::Success));
    r.override_history = vec![
        entry(Status::Failure, Status::Success),
        entry(Status::Success, Status::Failure),
    ];
    assert_eq!(truora_status_of(&r), Some(Status::Failure));
}

#[test]
fn foreign_cycles_do_not_hang() {
    let mut a = verdict("ana", Verdict::Fail, None, Status::Failure);
    let mut b = verdict("ben", Verdict::Pass, Some(R::Other), Status::Failure);
    a.supersedes = Some(b.id);
    b.supersedes = Some(a.id);
    let r = fold([&a, &b]);
    assert_eq!(r.head, None, "both superseded: no head");
    let _ = history([&a, &b]);
}

#[test]
fn the_one_event_shortcut_agrees_with_the_full_fold() {
    let mut lone_withdraw = Event::new("P1", EventKind::Withdraw, "ana", None);
    lone_withdraw.supersedes = Some(EventId::generate(Timestamp(1)));
    let singles = [
        verdict("ana", Verdict::Pass, Some(R::Other), Status::Failure),
        verdict("ana", Verdict::Escalate, None, Status::Pending),
        Event::new("P1", EventKind::Note { text: "n".into() }, "ana", None),
        lone_withdraw,
    ];
    for e in &singles {
        // A duplicate takes the full path (it is deduplicated there).
        assert_eq!(fold([e]), fold([e, e]), "{e:?}");
    }
}
