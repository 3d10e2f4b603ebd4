//! Two reviewers deciding the same process at once (issue 18, "Safe concurrency"): a decision
//! carries the head it was taken on, and the store records it only if that head still stands,
//! in one transaction; otherwise it is refused with who decided what, and when, and nothing is
//! recorded. Nothing is replaced that its author did not see. Decisions taken apart and merged
//! by an import are still a conflict (`≠`), as before.

use std::sync::{Arc, Barrier};
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use truora_tui::api::model::Status;
use truora_tui::app::message::review::{ReviewNews, ReviewRequest};
use truora_tui::app::{Message, NotRecorded, RequestId};
use truora_tui::review::cli::{self, ExportArgs, ExportFormat, ListArgs};
use truora_tui::review::{Decision, Event, EventId, Recorded, Store, Verdict, fold};
use truora_tui::reviewdesk::{Desk, DeskOptions};

fn start(path: &std::path::Path, reviewer: &str) -> (Desk, UnboundedReceiver<Message>) {
    let (tx, mut rx) = unbounded_channel();
    let opts = DeskOptions {
        poll_every: Duration::from_secs(3600),
        ..DeskOptions::new(path.to_path_buf(), reviewer.into())
    };
    let desk = Desk::spawn(opts, tx);
    // The start-up news: the marks, then opened.
    for _ in 0..2 {
        assert!(matches!(
            rx.blocking_recv(),
            Some(Message::Review(
                ReviewNews::Marks(_) | ReviewNews::Opened { .. }
            ))
        ));
    }
    (desk, rx)
}

/// The next answer, with the events the desk sent before it.
fn answer(rx: &mut UnboundedReceiver<Message>) -> (Vec<Event>, Result<Option<Event>, NotRecorded>) {
    let mut loaded = Vec::new();
    loop {
        match rx.blocking_recv() {
            Some(Message::Review(ReviewNews::Loaded { events })) => loaded = events,
            Some(Message::Review(ReviewNews::Answer { result, .. })) => return (loaded, result),
            other => panic!("expected an answer, got {other:?}"),
        }
    }
}

fn decide(process: &str, verdict: Verdict, seen: Option<EventId>) -> ReviewRequest {
    ReviewRequest::Decide {
        process_id: process.into(),
        decision: Decision {
            verdict,
            reason: None,
        },
        truora_status: Some(Status::Failure),
        seen,
    }
}

/// The complaint: two browsers decide the same process within a second; the second
/// used to replace the first silently (built on the file's events, not on what its reviewer
/// saw). Now the second is told who decided what, sees it, and replaces it only when asked.
#[test]
fn the_second_of_two_browsers_deciding_at_once_is_told_and_replaces_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews.sqlite3");
    let (alice, mut alice_rx) = start(&path, "alice");
    let (bob, mut bob_rx) = start(&path, "bob");

    // Both have IDP1 on screen, undecided. Alice is first.
    alice.ask(RequestId(1), decide("IDP1", Verdict::Fail, None));
    let hers = answer(&mut alice_rx).1.unwrap().expect("recorded");
    bob.ask(RequestId(1), decide("IDP1", Verdict::Escalate, None));
    let (loaded, result) = answer(&mut bob_rx);
    let Err(NotRecorded::Superseded { moved, ago }) = result else {
        panic!("refused, naming alice's decision: {result:?}");
    };
    assert_eq!(
        (moved.head, moved.reviewer.as_str(), moved.verdict),
        (hers.id, "alice", Some(Verdict::Fail))
    );
    assert!(ago.ends_with(" s"), "{ago}");
    let said = NotRecorded::Superseded {
        moved: moved.clone(),
        ago,
    }
    .to_string();
    assert!(said.starts_with("alice recorded fail "), "{said}");
    assert_eq!(loaded, vec![hers.clone()], "bob's screen gets what stands");
    assert_eq!(
        Store::open(&path).unwrap().all_events().unwrap(),
        vec![hers.clone()],
        "nothing of bob's recorded, nothing of alice's replaced"
    );

    // Bob, having seen it, replaces it: asked again on the head he now has.
    bob.ask(
        RequestId(2),
        decide("IDP1", Verdict::Escalate, Some(moved.head)),
    );
    let his = answer(&mut bob_rx).1.unwrap().expect("recorded");
    assert_eq!(his.supersedes, Some(hers.id));
    alice.close();
    bob.close();
}

/// Two writers (two connections, two threads) decide the same processes on the same head, let
/// go at the same moment by a barrier: for every process exactly one is recorded, the other is
/// told whose decision stands, and every event is one of the winners.
#[test]
fn two_writers_on_one_head_exactly_one_wins_and_the_other_is_told() {
    const PROCESSES: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews.sqlite3");
    drop(Store::open(&path).unwrap());
    let barrier = Arc::new(Barrier::new(2));
    let writer = |who: &'static str, verdict: Verdict| {
        let (path, barrier) = (path.clone(), barrier.clone());
        std::thread::spawn(move || {
            let mut store = Store::open(&path).unwrap();
            let mut outcomes = Vec::new();
            for i in 0..PROCESSES {
                let process = format!("IDP{i}");
                let event = fold(&[]).decision_event(
                    &process,
                    Decision {
                        verdict,
                        reason: None,
                    },
                    who,
                    Some(Status::Failure),
                );
                barrier.wait();
                let outcome = store.record_on_head(&event).expect("no store error");
                outcomes.push((event, outcome));
            }
            outcomes
        })
    };
    let ana = writer("ana", Verdict::Fail);
    let ben = writer("ben", Verdict::Escalate);
    let (ana, ben) = (ana.join().unwrap(), ben.join().unwrap());
    let stored = Store::open(&path).unwrap().all_events().unwrap();
    let mut winners = Vec::new();
    for ((a, a_says), (b, b_says)) in ana.into_iter().zip(ben) {
        let (won, lost_says) = match (&a_says, &b_says) {
            (Recorded::Done, Recorded::HeadMoved(_)) => (a, b_says),
            (Recorded::HeadMoved(_), Recorded::Done) => (b, a_says),
            other => panic!("exactly one of two must win on {}: {other:?}", a.process_id),
        };
        let Recorded::HeadMoved(moved) = lost_says else {
            unreachable!()
        };
        assert_eq!(
            (moved.head, moved.reviewer.as_str()),
            (won.id, won.reviewer.as_str())
        );
        winners.push(won);
    }
    winners.sort_by_key(|e| e.id);
    assert_eq!(
        stored, winners,
        "the winners, all of them, and nothing else"
    );
}

/// Decisions taken on two stores apart and merged by `reviews import` never met the head rule:
/// they are a conflict, marked `≠`, and the CSV and `reviews list --conflicts` say so alike.
#[test]
fn an_imported_conflict_is_still_marked_and_the_csv_and_list_agree() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.sqlite3");
    let b = dir.path().join("b.sqlite3");
    for (path, who, verdict) in [(&a, "ana", Verdict::Fail), (&b, "ben", Verdict::Escalate)] {
        let mut store = Store::open(path).unwrap();
        for process in ["IDP1", "IDP2"] {
            let verdict = if process == "IDP2" {
                Verdict::Fail
            } else {
                verdict
            };
            let e = fold(&[]).decision_event(
                process,
                Decision {
                    verdict,
                    reason: None,
                },
                who,
                Some(Status::Failure),
            );
            assert_eq!(store.record_on_head(&e).unwrap(), Recorded::Done);
        }
    }
    let export = |db: &std::path::Path, format| {
        let mut out = Vec::new();
        let args = ExportArgs {
            format,
            ..ExportArgs::default()
        };
        cli::export(db, &args, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let file = dir.path().join("a.jsonl");
    std::fs::write(&file, export(&a, ExportFormat::Jsonl)).unwrap();
    let report = cli::import(&b, &file, &mut Vec::new()).unwrap();
    assert_eq!(report.conflicts, vec!["IDP1".to_string()]);

    let marks = Store::open(&b).unwrap().reviews().unwrap().0;
    assert!(marks["IDP1"].conflict && !marks["IDP2"].conflict);
    let mark = marks["IDP1"].mark(None, None);
    assert_eq!(truora_tui::app::review::badge(Some(&mark), false)[3], '≠');

    let csv = export(&b, ExportFormat::Csv);
    let in_conflict: Vec<&str> = csv
        .split("\r\n")
        .skip(1)
        .filter(|l| !l.is_empty())
        .filter(|l| l.rsplit(',').next() == Some("yes"))
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    let mut listed = Vec::new();
    let args = ListArgs {
        conflicts: true,
        verdicts: vec![],
    };
    cli::list(&b, &args, &mut listed).unwrap();
    let listed = String::from_utf8(listed).unwrap();
    let listed: Vec<&str> = listed
        .lines()
        .filter(|l| l.contains("CONFLICT"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(in_conflict, vec!["IDP1"], "{csv}");
    assert_eq!(listed, in_conflict);
}

/// Every browser that has a process open is shown, not only the first to open it.
#[test]
fn every_browser_that_has_a_process_open_is_shown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews.sqlite3");
    let hold = ReviewRequest::Hold {
        process_id: Some("IDP1".into()),
    };
    let mut desks = Vec::new();
    for who in ["ana", "bob", "cy"] {
        let (desk, mut rx) = start(&path, who);
        desk.ask(RequestId(1), hold.clone());
        assert!(matches!(answer(&mut rx).1, Ok(None)));
        desks.push((desk, rx));
    }
    let (cy, cy_rx) = &mut desks[2];
    cy.poll_now();
    let Some(Message::Review(ReviewNews::Changes { taken, .. })) = cy_rx.blocking_recv() else {
        panic!("changes");
    };
    assert_eq!(taken, vec![("IDP1".to_owned(), "ana, bob".to_owned())]);
    for (desk, _) in desks {
        desk.close();
    }
}
