//! The review desk's thread against a real SQLite file: answers, news between two browsers on
//! one store, leases, a read-only store and a store that cannot be opened. The poll is driven by
//! `poll_now` (the tick is set to an hour), so nothing waits on a clock.

#[cfg(unix)]
use crate::skip_support;

use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use truora_tui::api::model::Status;
use truora_tui::app::message::review::{ReviewNews, ReviewRequest};
use truora_tui::app::{Message, RequestId};
use truora_tui::review::{Decision, Event, EventKind, StartUp, Verdict};
use truora_tui::reviewdesk::{Desk, DeskOptions};

fn start(path: &std::path::Path, reviewer: &str) -> (Desk, UnboundedReceiver<Message>) {
    let (tx, rx) = unbounded_channel();
    let opts = DeskOptions {
        poll_every: Duration::from_secs(3600),
        ..DeskOptions::new(path.to_path_buf(), reviewer.into())
    };
    (Desk::spawn(opts, tx), rx)
}

fn next(rx: &mut UnboundedReceiver<Message>) -> ReviewNews {
    match rx.blocking_recv() {
        Some(Message::Review(news)) => news,
        other => panic!("expected review news, got {other:?}"),
    }
}

/// The start-up news: every mark (`Marks`), then `Opened`.
fn opened(rx: &mut UnboundedReceiver<Message>) -> (StartUp, String, Result<(), String>) {
    let ReviewNews::Marks(start) = next(rx) else {
        panic!("the marks first");
    };
    let ReviewNews::Opened {
        reviewer,
        events,
        writable,
    } = next(rx)
    else {
        panic!("then opened");
    };
    assert!(events.is_empty(), "the desk sends marks, not events");
    (start, reviewer, writable.map_err(|e| e.to_string()))
}

/// The answer to the next request, with the process's events the desk sent before it (the app
/// adds the answer's event to all of them, never to a part).
fn answer(
    rx: &mut UnboundedReceiver<Message>,
) -> (Vec<Event>, RequestId, Result<Option<Event>, String>) {
    let mut loaded = Vec::new();
    loop {
        match next(rx) {
            ReviewNews::Loaded { events } => loaded.extend(events),
            ReviewNews::Answer { id, result } => {
                return (loaded, id, result.map_err(|e| e.to_string()));
            }
            other => panic!("expected an answer, got {other:?}"),
        }
    }
}

fn ask(desk: &Desk, id: u64, request: ReviewRequest) {
    desk.ask(RequestId(id), request);
}

fn fail(process: &str) -> ReviewRequest {
    ReviewRequest::Decide {
        process_id: process.into(),
        decision: Decision {
            verdict: Verdict::Fail,
            reason: None,
        },
        truora_status: Some(Status::Failure),
        seen: None,
    }
}

#[test]
fn two_browsers_on_one_store_see_each_others_decisions_and_leases() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews.sqlite3");
    let (ana, mut ana_rx) = start(&path, "ana");
    let (start_up, reviewer, writable) = opened(&mut ana_rx);
    assert_eq!(
        (reviewer.as_str(), start_up.marks.len(), writable),
        ("ana", 0, Ok(()))
    );
    let (bob, mut bob_rx) = start(&path, "bob");
    opened(&mut bob_rx).2.expect("writable");

    // Ana decides and holds IDP1; the answer carries the recorded event.
    ask(&ana, 1, fail("IDP1"));
    let (loaded, id, result) = answer(&mut ana_rx);
    assert_eq!((loaded, id), (vec![], RequestId(1)));
    let event = result.expect("recorded").expect("an event");
    assert_eq!(event.reviewer, "ana");
    ask(
        &ana,
        2,
        ReviewRequest::Hold {
            process_id: Some("IDP1".into()),
        },
    );
    // Holding a process brings its events (its history), then the answer.
    assert_eq!(
        answer(&mut ana_rx),
        (vec![event.clone()], RequestId(2), Ok(None))
    );

    // Bob's next poll brings both: who has IDP1 open, and its new mark. Bob shows no process,
    // so no events come: a mark per process recorded on, whatever the number of events.
    bob.poll_now();
    let ReviewNews::Changes { events, taken } = next(&mut bob_rx) else {
        panic!("changes");
    };
    assert!(events.is_empty(), "{events:?}");
    assert_eq!(taken, vec![("IDP1".to_owned(), "ana".to_owned())]);
    let ReviewNews::Remarked(marks) = next(&mut bob_rx) else {
        panic!("the new mark");
    };
    assert_eq!(marks.len(), 1);
    assert_eq!(marks[0].process_id, "IDP1");
    assert_eq!(marks[0].mark.verdict(), Some(Verdict::Fail));
    assert_eq!(marks[0].mark.decided_by.as_deref(), Some("ana"));
    assert_eq!(marks[0].mine, None, "nothing of Bob's stands there");

    // Bob decides on top of the fail his screen shows (its head): his event supersedes Ana's.
    ask(
        &bob,
        1,
        ReviewRequest::Decide {
            process_id: "IDP1".into(),
            decision: Decision {
                verdict: Verdict::Escalate,
                reason: None,
            },
            truora_status: Some(Status::Failure),
            seen: Some(event.id),
        },
    );
    let (loaded, _, result) = answer(&mut bob_rx);
    assert_eq!(loaded, vec![event.clone()], "what Bob's event lands on");
    let bobs = result.unwrap().unwrap();
    assert_eq!(bobs.supersedes, Some(event.id));

    // Ana's undo is refused: Bob decided since.
    ana.poll_now();
    let ReviewNews::Changes { events, .. } = next(&mut ana_rx) else {
        panic!("changes");
    };
    // (Ana's own event may come again: the app ignores events it has.)
    assert_eq!(events.last(), Some(&bobs));
    ask(
        &ana,
        3,
        ReviewRequest::Undo {
            process_id: "IDP1".into(),
            truora_status: Some(Status::Failure),
        },
    );
    let (_, _, result) = answer(&mut ana_rx);
    assert!(result.unwrap_err().contains("bob has decided"));

    // Ana closes: her lease goes with her.
    ana.close();
    bob.poll_now();
    let ReviewNews::Changes { taken, .. } = next(&mut bob_rx) else {
        panic!("changes");
    };
    assert!(taken.is_empty());
    bob.close();

    // A relaunch finds the mark at once, and the history when the process is held.
    let (again, mut rx) = start(&path, "ana");
    let (start_up, _, _) = opened(&mut rx);
    assert_eq!(start_up.marks["IDP1"].verdict(), Some(Verdict::Escalate));
    assert_eq!(start_up.marks["IDP1"].decided_by.as_deref(), Some("bob"));
    // Bob's escalate stands on top of Ana's fail: nothing of hers stands for `u`.
    assert!(start_up.mine.is_empty());
    ask(
        &again,
        1,
        ReviewRequest::Hold {
            process_id: Some("IDP1".into()),
        },
    );
    let (events, _, _) = answer(&mut rx);
    assert_eq!(events.len(), 2);
    assert!(matches!(
        events[1].kind,
        EventKind::Verdict {
            verdict: Verdict::Escalate,
            ..
        }
    ));
    again.close();
}

#[test]
fn a_note_and_an_undo_are_recorded_and_answered() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite3");
    let (desk, mut rx) = start(&path, "ana");
    opened(&mut rx).2.expect("writable");
    ask(
        &desk,
        1,
        ReviewRequest::Note {
            process_id: "IDP9".into(),
            text: "call the user".into(),
            truora_status: None,
        },
    );
    let (_, _, result) = answer(&mut rx);
    let note = result.unwrap().unwrap();
    ask(
        &desk,
        2,
        ReviewRequest::Undo {
            process_id: "IDP9".into(),
            truora_status: None,
        },
    );
    let (loaded, _, result) = answer(&mut rx);
    assert_eq!(loaded, vec![note.clone()]);
    let undo = result.unwrap().unwrap();
    assert_eq!(
        (undo.kind, undo.supersedes),
        (EventKind::Withdraw, Some(note.id))
    );
    desk.close();
}

#[cfg(unix)]
#[test]
fn a_read_only_store_is_browsed_and_says_why_it_cannot_record() {
    // Root ignores file modes: the check runs where they apply (see `skip_support`).
    let test = "review_desk::a_read_only_store_is_browsed_and_says_why_it_cannot_record";
    if skip_support::in_unprivileged_child(test).is_some() {
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite3");
    let (desk, mut rx) = start(&path, "ana");
    opened(&mut rx).2.expect("writable");
    ask(&desk, 1, fail("IDP1"));
    answer(&mut rx).2.expect("answered");
    desk.close();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    let (desk, mut rx) = start(&path, "ana");
    let (start_up, _, writable) = opened(&mut rx);
    assert_eq!(start_up.marks.len(), 1, "the marks are there");
    assert_eq!(start_up.mine.len(), 1, "and where `u` would go");
    assert!(writable.unwrap_err().contains("read-only"));
    // Holding a process still brings its history (no lease is taken).
    ask(
        &desk,
        1,
        ReviewRequest::Hold {
            process_id: Some("IDP1".into()),
        },
    );
    assert_eq!(answer(&mut rx).0.len(), 1);
    ask(&desk, 2, fail("IDP2"));
    let (_, _, result) = answer(&mut rx);
    assert!(result.is_err());
    desk.close();
}

#[test]
fn a_store_that_cannot_be_opened_fails_and_still_answers_every_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-a-db.sqlite3");
    std::fs::write(
        &path,
        b"this is not a database, just text that is long enough",
    )
    .unwrap();
    let (desk, mut rx) = start(&path, "ana");
    let ReviewNews::Failed { error } = next(&mut rx) else {
        panic!("failed");
    };
    assert!(error.contains("not-a-db.sqlite3"), "{error}");
    ask(&desk, 7, fail("IDP1"));
    assert!(matches!(
        next(&mut rx),
        ReviewNews::Answer {
            id: RequestId(7),
            result: Err(_)
        }
    ));
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"this is not a database, just text that is long enough",
        "left untouched"
    );
    desk.close();
}

/// Colleagues on one account run two browsers with the same reviewer name: each sees the
/// process the other has open as taken (named as another session), never its own, and the
/// lease ends with the browser that held it.
#[test]
fn two_browsers_with_the_same_reviewer_name_see_each_others_leases() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews.sqlite3");
    let (first, mut first_rx) = start(&path, "ops");
    opened(&mut first_rx).2.expect("writable");
    let (second, mut second_rx) = start(&path, "ops");
    opened(&mut second_rx).2.expect("writable");
    let hold = |process: &str| ReviewRequest::Hold {
        process_id: Some(process.into()),
    };
    ask(&first, 1, hold("IDP1"));
    answer(&mut first_rx).2.expect("answered");
    ask(&second, 1, hold("IDP2"));
    answer(&mut second_rx).2.expect("answered");

    second.poll_now();
    let ReviewNews::Changes { taken, .. } = next(&mut second_rx) else {
        panic!("changes");
    };
    assert_eq!(
        taken,
        vec![("IDP1".to_owned(), "ops (another session)".to_owned())]
    );
    first.poll_now();
    let ReviewNews::Changes { taken, .. } = next(&mut first_rx) else {
        panic!("changes");
    };
    assert_eq!(
        taken,
        vec![("IDP2".to_owned(), "ops (another session)".to_owned())]
    );

    // The second browser moves onto IDP1, which the first holds: it holds it too (each sees
    // the other there), and its lease on IDP2 is gone.
    ask(&second, 2, hold("IDP1"));
    answer(&mut second_rx).2.expect("answered");
    first.poll_now();
    let ReviewNews::Changes { taken, .. } = next(&mut first_rx) else {
        panic!("changes");
    };
    assert_eq!(
        taken,
        vec![("IDP1".to_owned(), "ops (another session)".to_owned())]
    );

    // The first closes: its lease goes, the second sees nothing taken.
    first.close();
    second.poll_now();
    let ReviewNews::Changes { taken, .. } = next(&mut second_rx) else {
        panic!("changes");
    };
    assert!(taken.is_empty());
    second.close();
}

/// A desk whose store gives up on a lock after 20 ms (and, with `max_pages`, cannot grow past
/// that many pages).
fn start_tuned(
    path: &std::path::Path,
    reviewer: &str,
    max_pages: Option<u64>,
) -> (Desk, UnboundedReceiver<Message>) {
    let (tx, rx) = unbounded_channel();
    let opts = DeskOptions {
        poll_every: Duration::from_secs(3600),
        tuning: truora_tui::review::Tuning {
            busy_timeout: Duration::from_millis(20),
            max_pages,
        },
        ..DeskOptions::new(path.to_path_buf(), reviewer.into())
    };
    (Desk::spawn(opts, tx), rx)
}

/// The next news that is not a process's events (`Loaded` comes before each try).
fn next_but_loaded(rx: &mut UnboundedReceiver<Message>) -> ReviewNews {
    loop {
        match next(rx) {
            ReviewNews::Loaded { .. } => {}
            other => return other,
        }
    }
}

/// The next word that `ids` wait. The desk also tries again on its own clock, so an earlier
/// notice (fewer ids waited then) may still be in the channel: it is passed over.
fn delayed_for(rx: &mut UnboundedReceiver<Message>, ids: &[u64]) -> String {
    let wanted: Vec<RequestId> = ids.iter().map(|&i| RequestId(i)).collect();
    loop {
        match next_but_loaded(rx) {
            ReviewNews::Delayed { ids, why } if ids == wanted => return why,
            ReviewNews::Delayed { ids, .. } if ids.len() < wanted.len() => {}
            other => panic!("expected {wanted:?} to wait, got {other:?}"),
        }
    }
}

/// The next answer, past any notice that requests still wait (sent by the desk's own retries
/// before the store was freed).
fn answer_after_waiting(
    rx: &mut UnboundedReceiver<Message>,
) -> (RequestId, Result<Option<Event>, String>) {
    loop {
        match next_but_loaded(rx) {
            ReviewNews::Delayed { .. } => {}
            ReviewNews::Answer { id, result } => return (id, result.map_err(|e| e.to_string())),
            other => panic!("expected an answer, got {other:?}"),
        }
    }
}

/// Another program holds the write lock (a long import) past the busy timeout: the decision is
/// not answered with "database is locked" and forgotten; the app hears it waits and why, the
/// undo asked after it waits behind it, and both are recorded, in order, once the store is
/// free, each answered once.
#[test]
fn a_decision_that_meets_a_busy_store_waits_and_is_recorded_once_it_is_free() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite3");
    let (desk, mut rx) = start_tuned(&path, "ana", None);
    opened(&mut rx).2.expect("writable");
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();

    ask(&desk, 1, fail("IDP1"));
    let why = delayed_for(&mut rx, &[1]);
    assert!(why.contains("is busy"), "{why}");
    ask(
        &desk,
        2,
        ReviewRequest::Undo {
            process_id: "IDP1".into(),
            truora_status: Some(Status::Failure),
        },
    );
    delayed_for(&mut rx, &[1, 2]);
    // Still busy: tried again, still waiting (no answer came in between: news is in order).
    desk.retry_now();
    delayed_for(&mut rx, &[1, 2]);
    // The reviewer moves on meanwhile: the lease waits behind the decisions.
    ask(
        &desk,
        3,
        ReviewRequest::Hold {
            process_id: Some("IDP2".into()),
        },
    );
    assert_eq!(answer_after_waiting(&mut rx), (RequestId(3), Ok(None)));

    blocker.execute_batch("COMMIT").unwrap();
    desk.retry_now();
    let (id, result) = answer_after_waiting(&mut rx);
    let decision = result.expect("recorded").expect("an event");
    assert_eq!(id, RequestId(1));
    let (id, result) = answer_after_waiting(&mut rx);
    assert_eq!(id, RequestId(2));
    let undo = result.expect("recorded").expect("an event");
    assert_eq!(
        undo.supersedes,
        Some(decision.id),
        "the undo took back that decision"
    );
    // Once they are in, the lease follows the selection (asked and answered after that try,
    // so the store has it when this answer comes).
    ask(&desk, 4, fail("IDP5"));
    assert_eq!(answer_after_waiting(&mut rx).0, RequestId(4));
    let others = truora_tui::review::Store::open_read_only(&path)
        .unwrap()
        .leases_of_others(
            &truora_tui::review::Holder::new("bob"),
            truora_tui::review::Timestamp::now(),
        )
        .unwrap();
    assert!(others.contains_key("IDP2"), "{others:?}");
    desk.close();
    let stored = truora_tui::review::Store::open(&path)
        .unwrap()
        .events_for("IDP1")
        .unwrap();
    assert_eq!(stored, vec![decision, undo]);
}

/// The disk fills up (here: the file reaches its page cap, SQLite's own "database or disk is
/// full"): the note is said to wait on a full disk, kept, and recorded once room is made,
/// without restarting the browser.
#[test]
fn a_full_disk_keeps_the_note_and_records_it_once_there_is_room() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite3");
    truora_tui::review::Store::open(&path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    for i in 0..120 {
        conn.execute(
            "INSERT INTO leases (process_id, reviewer, expires_ms) VALUES (?1, 'x', 0)",
            [format!("{i:04}{}", "x".repeat(2000))],
        )
        .unwrap();
    }
    let pages: i64 = conn
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    let pages = u64::try_from(pages).unwrap();
    let (desk, mut rx) = start_tuned(&path, "ana", Some(pages));
    opened(&mut rx).2.expect("writable");
    let mut n = 0;
    let (ids, why) = loop {
        n += 1;
        assert!(n < 100, "the cap was never reached");
        ask(
            &desk,
            n,
            ReviewRequest::Note {
                process_id: format!("IDP{n}"),
                text: format!("{n} {}", "n".repeat(1500)),
                truora_status: None,
            },
        );
        match next_but_loaded(&mut rx) {
            ReviewNews::Answer { result, .. } => {
                result.expect("recorded while there was room");
            }
            ReviewNews::Delayed { ids, why } => break (ids, why),
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(ids, vec![RequestId(n)]);
    assert!(why.contains("disk") && why.contains("full"), "{why}");
    conn.execute("DELETE FROM leases", []).unwrap();
    desk.retry_now();
    let (id, result) = answer_after_waiting(&mut rx);
    assert_eq!(id, RequestId(n));
    let note = result.expect("recorded").expect("an event");
    assert!(matches!(note.kind, EventKind::Note { .. }));
    desk.close();
}

/// A store that cannot be opened for now (busy while it is created) is tried again, and once it
/// opens the marks come as at any start; it used to stay failed until the browser restarted.
#[test]
fn a_store_busy_at_start_is_opened_once_it_is_free() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite3");
    std::fs::File::create(&path).unwrap();
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let (desk, mut rx) = start_tuned(&path, "ana", None);
    let ReviewNews::Failed { error } = next(&mut rx) else {
        panic!("failed, for now");
    };
    assert!(
        error.contains("busy") && error.contains("trying again"),
        "{error}"
    );
    blocker.execute_batch("ROLLBACK").unwrap();
    desk.retry_now();
    // Asked at once: a desk that had given up answers it with its error instead of opening.
    ask(
        &desk,
        1,
        ReviewRequest::Hold {
            process_id: Some("IDP1".into()),
        },
    );
    // (Its own clock may have tried, and failed, once more before the lock was released.)
    let start_up = loop {
        match next(&mut rx) {
            ReviewNews::Failed { .. } => {}
            ReviewNews::Marks(start_up) => break start_up,
            other => panic!("expected the marks, got {other:?}"),
        }
    };
    let ReviewNews::Opened { writable, .. } = next(&mut rx) else {
        panic!("then opened");
    };
    assert!(start_up.marks.is_empty());
    writable.expect("writable");
    assert_eq!(answer(&mut rx).1, RequestId(1));
    desk.close();
}

/// Events the store cannot read (written by something else) are passed over: every other mark
/// is there, and the app is told which events were left out. One such row used to leave the
/// browser with no marks at all.
#[test]
fn unreadable_events_are_named_and_the_other_marks_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite3");
    let (desk, mut rx) = start(&path, "ana");
    opened(&mut rx).2.expect("writable");
    ask(&desk, 1, fail("IDP1"));
    answer(&mut rx).2.expect("recorded");
    ask(&desk, 2, fail("IDP2"));
    let bad = answer(&mut rx).2.unwrap().unwrap();
    desk.close();
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE events SET kind = 'bogus' WHERE id = ?1",
            [bad.id.to_string()],
        )
        .unwrap();
    let (desk, mut rx) = start(&path, "ana");
    let ReviewNews::Marks(start_up) = next(&mut rx) else {
        panic!("the marks first");
    };
    assert_eq!(start_up.marks.keys().collect::<Vec<_>>(), vec!["IDP1"]);
    let ReviewNews::Unreadable(events) = next(&mut rx) else {
        panic!("then what was left out");
    };
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].id, bad.id.to_string());
    assert!(
        events[0]
            .to_string()
            .contains("kind \"bogus\" is not verdict"),
        "{}",
        events[0]
    );
    assert!(matches!(next(&mut rx), ReviewNews::Opened { .. }));
    desk.close();
}

/// Closing with a note still waiting (the store busy) tries it once more, answers it as not
/// recorded, and hands it back with its text, for the shell.
#[test]
fn closing_with_a_note_not_recorded_hands_it_back_with_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite3");
    let (desk, mut rx) = start_tuned(&path, "ana", None);
    opened(&mut rx).2.expect("writable");
    let blocker = rusqlite::Connection::open(&path).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    ask(
        &desk,
        1,
        ReviewRequest::Note {
            process_id: "IDP1".into(),
            text: "call the user back".into(),
            truora_status: None,
        },
    );
    delayed_for(&mut rx, &[1]);
    let lost = desk.close();
    assert_eq!(lost.len(), 1, "{lost:?}");
    assert!(
        lost[0].starts_with("note on IDP1: \"call the user back\"") && lost[0].contains("busy"),
        "{}",
        lost[0]
    );
    // (The last try says it waits once more, then the answer comes.)
    let (id, result) = answer_after_waiting(&mut rx);
    assert_eq!(id, RequestId(1));
    assert!(result.unwrap_err().contains("not recorded"));
    blocker.execute_batch("ROLLBACK").unwrap();
}

/// Another program imports 24,000 events on 6,000 processes while a browser runs and shows one
/// of them: the browser hears every other process's new mark (and where `u` goes on it), a page
/// of the store's events (5,000) at a time, and the events of the one it shows; never the
/// events of the rest. (It used to be sent every event of every process recorded on, and kept them: a million
/// imported events grew a browser by 600 MB.)
#[test]
fn an_import_brings_a_mark_per_process_a_page_at_a_time_not_their_events() {
    use std::collections::{HashMap, HashSet};
    use truora_tui::review::{EventId, OverrideReason, Store, Timestamp, latest_standing_of};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews.sqlite3");
    let (ana, mut rx) = start(&path, "ana");
    opened(&mut rx).2.expect("writable");
    let shown = "IDP0000";
    ask(
        &ana,
        1,
        ReviewRequest::Hold {
            process_id: Some(shown.into()),
        },
    );
    answer(&mut rx).2.expect("held");

    // Bob fails each, Ana notes it, Ana passes it over Bob (an override), Bob escalates over
    // Ana: in time order, the processes interleaved, as `reviews export` writes them.
    let base = Timestamp::now().millis() - 1_000_000;
    let processes = 6_000;
    let mut events = Vec::new();
    let mut heads: HashMap<usize, EventId> = HashMap::new();
    for round in 0..4 {
        for p in 0..processes {
            let at = Timestamp(base + (round * processes + p) as i64);
            let decided = |verdict, reason| {
                Decision::new(verdict, reason, Some(&Status::Failure))
                    .unwrap()
                    .kind()
            };
            let kind = match round {
                0 => decided(Verdict::Fail, None),
                1 => EventKind::Note {
                    text: format!("seen ({p})"),
                },
                2 => decided(Verdict::Pass, Some(OverrideReason::RegularClient)),
                _ => decided(Verdict::Escalate, None),
            };
            let reviewer = if round == 0 || round == 3 {
                "bob"
            } else {
                "ana"
            };
            let mut event =
                Event::new(&format!("IDP{p:04}"), kind, reviewer, Some(Status::Failure));
            event.at = at;
            event.id = EventId::generate(at);
            if round != 1 {
                event.supersedes = heads.insert(p, event.id);
            }
            events.push(event);
        }
    }
    Store::open(&path).unwrap().merge(&events).unwrap();

    ana.poll_now();
    let (mut shown_events, mut marks, mut pages) = (HashSet::new(), HashMap::new(), 0);
    while marks.len() < processes - 1 {
        match next(&mut rx) {
            ReviewNews::Changes { events, .. } => {
                assert!(events.iter().all(|e| e.process_id == shown), "{events:?}");
                shown_events.extend(events.into_iter().map(|e| e.id));
            }
            ReviewNews::Remarked(page) => {
                pages += 1;
                assert!(page.len() <= 5_000, "{} marks at once", page.len());
                for m in page {
                    marks.insert(m.process_id.clone(), m);
                }
            }
            other => panic!("expected news of the import, got {other:?}"),
        }
    }
    assert!(pages >= 2, "a page at a time: {pages} page(s)");
    assert_eq!(shown_events.len(), 4, "all the events of the process shown");
    assert!(!marks.contains_key(shown));
    let store = Store::open_read_only(&path).unwrap();
    let (reviews, _) = store.reviews().unwrap();
    for (process, news) in &marks {
        assert_eq!(news.mark, reviews[process].mark(None, None), "{process}");
        let events = store.events_for(process).unwrap();
        assert_eq!(news.mine, latest_standing_of(&events, "ana"), "{process}");
    }
    let sample = &marks["IDP5999"];
    assert_eq!(sample.mark.verdict(), Some(Verdict::Escalate));
    assert_eq!(
        (sample.mark.notes, sample.mine.is_some()),
        (1, true),
        "Ana's note stands"
    );
    ana.close();
}
