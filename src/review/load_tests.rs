//! The fast loads against folding every process's stored events the slow way: the same reviews,
//! the same marks, the same standing events, over hand-made cases and many generated streams.

use super::*;
use crate::api::model::Status;
use crate::review::{Decision, OverrideReason, Verdict};

fn verdict(process: &str, reviewer: &str, v: Verdict, status: Status) -> Event {
    let reason = match v {
        Verdict::Pass if status != Status::Success => Some(OverrideReason::RegularClient),
        _ => None,
    };
    let d = Decision::new(v, reason, Some(&status)).expect("valid decision");
    Event::new(process, d.kind(), reviewer, Some(status))
}

/// Loading all at once gives, for every process, what folding its stored events gives:
/// chains, withdraws, notes taken back, conflicts and their settling, unknown statuses.
#[test]
fn every_review_is_the_fold_of_its_events() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("r.sqlite3")).unwrap();
    let odd = Status::parse("under_review_by_a_human");
    let a1 = verdict("A", "ana", Verdict::Fail, Status::Failure);
    let mut a2 = verdict("A", "bo", Verdict::Escalate, odd.clone());
    a2.supersedes = Some(a1.id);
    let note = Event::new("B", EventKind::Note { text: "x".into() }, "ana", None);
    let mut unnote = Event::new("B", EventKind::Withdraw, "ana", None);
    unnote.supersedes = Some(note.id);
    let c1 = verdict("C", "ana", Verdict::Fail, Status::Failure);
    let c2 = verdict("C", "bo", Verdict::Escalate, Status::Failure);
    let d1 = verdict("D", "cy", Verdict::Escalate, odd);
    let mut d2 = verdict("D", "cy", Verdict::Fail, Status::Failure);
    d2.supersedes = Some(d1.id);
    let mut d3 = Event::new("D", EventKind::Withdraw, "cy", None);
    d3.supersedes = Some(d2.id);
    let e1 = verdict("E", "ana", Verdict::Fail, Status::Failure);
    let e2 = verdict("E", "bo", Verdict::Pass, Status::Failure);
    let mut e3 = verdict("E", "cy", Verdict::Escalate, Status::Failure);
    e3.supersedes = Some(e2.id);
    e3.resolves = vec![e1.id];
    let single = Event::new("F", EventKind::Note { text: "y".into() }, "dee", None);
    // Recorded out of process order, as several reviewers would.
    for e in [
        &c1, &a1, &note, &d1, &e1, &c2, &a2, &e2, &unnote, &d2, &single, &e3, &d3,
    ] {
        store.record(e).unwrap();
    }
    let (reviews, cursor) = store.reviews().unwrap();
    assert_eq!(cursor, store.cursor().unwrap());
    assert_eq!(reviews.len(), 6);
    for process in ["A", "B", "C", "D", "E", "F"] {
        let expected = fold(&store.events_for(process).unwrap());
        assert_eq!(reviews[process], expected, "process {process}");
    }
    assert!(reviews["C"].conflict);
    assert!(!reviews["E"].conflict);
    assert_eq!(reviews["D"].verdict, Some(Verdict::Escalate));
    assert_eq!(reviews["B"].notes, 0);
}

/// A store that may only be read loads in two halves as in one: the second connection is opened
/// read-only, like the store's own.
#[test]
fn a_read_only_store_loads_in_two_halves_as_in_one() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite3");
    let mut store = Store::open(&path).unwrap();
    for i in 0..40 {
        let mut e = verdict(
            &format!("P{}", i % 15),
            "me",
            Verdict::Fail,
            Status::Failure,
        );
        e.supersedes = store
            .events_for(&e.process_id)
            .unwrap()
            .last()
            .map(|l| l.id);
        store.record(&e).unwrap();
    }
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    let store = Store::open(&path).unwrap();
    assert!(store.read_only_reason().is_some());
    let cursor = store.cursor().unwrap();
    let (one, two) = (
        start_up_split_from(&store, cursor.0, "me", i64::MAX).unwrap(),
        start_up_split_from(&store, cursor.0, "me", 1).unwrap(),
    );
    assert_eq!(one.marks.len(), 15);
    assert!(one.marks.iter().eq(two.marks.iter()));
    assert_eq!(one.mine, two.mine);
}

/// A row that cannot be read is passed over and noted with its id and what is wrong, in plain
/// words; every other process keeps its review (one bad row used to fail the whole load).
#[test]
fn a_bad_row_is_passed_over_and_noted_with_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("r.sqlite3")).unwrap();
    let bad = verdict("A", "ana", Verdict::Fail, Status::Failure);
    let good = verdict("B", "ana", Verdict::Fail, Status::Failure);
    store.record(&bad).unwrap();
    store.record(&good).unwrap();
    store
        .conn()
        .execute(
            "UPDATE events SET verdict = 'maybe' WHERE id = ?1",
            [bad.id.to_string()],
        )
        .unwrap();
    let (reviews, _) = store.reviews().unwrap();
    assert_eq!(reviews.keys().collect::<Vec<_>>(), vec!["B"]);
    let noted = store.unreadable();
    assert_eq!(noted.len(), 1);
    assert_eq!(noted[0].id, bad.id.to_string());
    assert_eq!(
        noted[0].detail,
        "its verdict \"maybe\" is not pass, fail or escalate"
    );
    // Reading it as a full event says the same.
    assert_eq!(store.events_for("A").unwrap(), vec![]);
    assert_eq!(store.unreadable(), noted);
}

/// The same in the half read on the second connection: its other rows are kept, and what is
/// noted is the row's fault, not the connection's.
#[test]
fn a_bad_row_in_the_second_half_is_passed_over_and_noted() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("r.sqlite3")).unwrap();
    let events: Vec<Event> = (0..6)
        .map(|i| verdict(&format!("P{i}"), "ana", Verdict::Fail, Status::Failure))
        .collect();
    for e in &events {
        store.record(e).unwrap();
    }
    store
        .conn()
        .execute("UPDATE events SET kind = 'shrug' WHERE seq = 5", [])
        .unwrap();
    let cursor = store.cursor().unwrap();
    let start = start_up_split_from(&store, cursor.0, "ana", 1).unwrap();
    assert_eq!(start.marks.len(), 5);
    assert!(!start.marks.contains_key("P4"));
    assert_eq!(start.mine.len(), 5, "where `u` goes, the bad row aside");
    let noted = store.unreadable();
    assert_eq!(noted.len(), 1);
    assert_eq!(noted[0].id, events[4].id.to_string());
    assert!(noted[0].detail.contains("\"shrug\""), "{noted:?}");
}

/// A small deterministic generator (xorshift): the same streams every run.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len())]
    }
}

const REVIEWERS: [&str; 3] = ["me", "bo", "cy"];

/// One step of a reviewer on `process`, made as the browser makes it (on the events it has seen,
/// which may be stale: that is how conflicts arise), or, now and then, as foreign data might be.
fn step(dice: &mut Dice, process: &str, seen: &[Event], all: &[Event]) -> Option<Event> {
    let reviewer = *dice.pick(&REVIEWERS);
    let statuses = [
        Some(Status::Failure),
        Some(Status::Success),
        Some(Status::Pending),
        Some(Status::parse("under_review_by_a_human")),
        None,
    ];
    let status = dice.pick(&statuses).clone();
    match dice.below(10) {
        0..=3 => {
            let verdict = *dice.pick(&Verdict::ALL);
            let reason = crate::review::Direction::of(verdict, status.as_ref())
                .map(|d| *dice.pick(OverrideReason::for_direction(d)));
            let d = Decision { verdict, reason };
            Some(fold(seen).decision_event(process, d, reviewer, status))
        }
        4 | 5 => Some(Event::new(
            process,
            EventKind::Note { text: "n".into() },
            reviewer,
            status,
        )),
        6 | 7 => crate::review::undo(seen, reviewer, status).ok(),
        8 => {
            // An override's history: a verdict on what Truora said then, decided on again later.
            let verdict = if status == Some(Status::Success) {
                Verdict::Fail
            } else {
                Verdict::Escalate
            };
            let reason = (verdict == Verdict::Fail).then_some(OverrideReason::InternalReasons);
            let d = Decision { verdict, reason };
            Some(fold(seen).decision_event(process, d, reviewer, status))
        }
        _ => {
            // Foreign data: a withdraw or verdict naming an event of another process, a missing
            // one, or itself.
            let kind = if dice.below(2) == 0 {
                EventKind::Withdraw
            } else {
                EventKind::Verdict {
                    verdict: Verdict::Escalate,
                    reason: None,
                }
            };
            let mut e = Event::new(process, kind, reviewer, status);
            e.supersedes = match dice.below(3) {
                0 if !all.is_empty() => Some(dice.pick(all).id),
                1 => Some(EventId(7)),
                _ => Some(e.id),
            };
            if dice.below(4) == 0 {
                e.resolves = vec![e.id];
            }
            Some(e)
        }
    }
}

/// Many generated streams (decisions on stale views, so conflicts and their settling; undo of
/// decisions and notes; overrides decided again; unknown statuses; references to missing,
/// foreign and self events), recorded in an order that mixes processes: the start-up marks,
/// the standing events and the command line's reviews are exactly what folding each process's
/// stored events gives.
#[test]
fn the_fast_loads_equal_the_slow_fold_over_generated_streams() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("r.sqlite3")).unwrap();
    let mut dice = Dice(0x2545_f491_4f6c_dd1d);
    let mut all: Vec<Event> = Vec::new();
    for stream in 0..400 {
        let processes: Vec<String> = (0..1 + dice.below(4))
            .map(|p| format!("P{stream}-{p}"))
            .collect();
        for _ in 0..dice.below(14) {
            let process = dice.pick(&processes).clone();
            let mine: Vec<Event> = all
                .iter()
                .filter(|e| e.process_id == process)
                .cloned()
                .collect();
            // A reviewer sees all of it, or misses the latest few (a colleague's, unseen).
            let seen = &mine[..mine.len() - dice.below(3).min(mine.len())];
            if let Some(e) = step(&mut dice, &process, seen, &all) {
                all.push(e);
            }
        }
    }
    // Recorded in a shuffled order, as several browsers and imports would.
    let mut order = all.clone();
    for i in (1..order.len()).rev() {
        order.swap(i, dice.below(i + 1));
    }
    store.merge(&order).unwrap();

    let (start, cursor) = store.start_up("me").unwrap();
    let (reviews, _) = store.reviews().unwrap();
    // Read in two halves at once, as large stores are, with processes whose events fall in both.
    let split = start_up_split_from(&store, cursor.0, "me", 1).unwrap();
    assert_eq!(
        (split.marks.len(), &split.mine),
        (start.marks.len(), &start.mine)
    );
    assert!(split.marks.iter().eq(start.marks.iter()));
    assert!(
        reviews_split_from(&store, cursor.0, 1)
            .unwrap()
            .iter()
            .eq(reviews.iter())
    );
    let mut processes: Vec<&str> = all.iter().map(|e| e.process_id.as_str()).collect();
    processes.sort_unstable();
    processes.dedup();
    assert!(processes.len() > 500, "{}", processes.len());
    assert_eq!(
        (start.marks.len(), reviews.len()),
        (processes.len(), processes.len())
    );
    let mut mine = Vec::new();
    let (mut conflicts, mut several, mut withdrawn) = (0, 0, 0);
    for process in processes {
        let events = store.events_for(process).unwrap();
        let slow = fold(&events);
        assert_eq!(reviews[process], slow, "{process}: {events:#?}");
        assert_eq!(start.marks[process], slow.mark(None, None), "{process}");
        // The slow way, as the browser used to find what `u` takes back: my newest decision or
        // note whose history line is not replaced.
        let slow_mine = crate::review::history(&events)
            .into_iter()
            .rev()
            .find(|l| {
                l.event.reviewer == "me"
                    && !matches!(l.event.kind, EventKind::Withdraw)
                    && !l.superseded
            })
            .map(|l| l.event.id);
        assert_eq!(latest_standing_of(&events, "me"), slow_mine, "{process}");
        if let Some(id) = slow_mine {
            mine.push((id, process.to_owned()));
        }
        conflicts += usize::from(slow.conflict);
        several += usize::from(events.len() > 1);
        withdrawn += usize::from(slow.head.is_some() && slow.verdict.is_none());
    }
    mine.sort_unstable();
    let mut loaded: Vec<(EventId, String)> = start
        .mine
        .iter()
        .map(|(id, process)| (id, process.to_owned()))
        .collect();
    loaded.sort_unstable();
    assert_eq!(loaded, mine);
    assert_eq!(
        start.mine.newest(|_| true),
        mine.iter().max().map(|(id, p)| (*id, p.as_str()))
    );
    // The streams reach the cases that matter.
    assert!(
        conflicts > 5 && several > 100 && withdrawn > 5,
        "{conflicts} {several} {withdrawn}"
    );
}
