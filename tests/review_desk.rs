//! The review desk's thread against a real SQLite file: answers, news between two browsers on
//! one store, leases, a read-only store and a store that cannot be opened. The poll is driven by
//! `poll_now` (the tick is set to an hour), so nothing waits on a clock.

#[cfg(unix)]
mod skip_support;

use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use truora_tui::api::model::Status;
use truora_tui::app::review_msg::{ReviewNews, ReviewRequest};
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
    (start, reviewer, writable)
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
            ReviewNews::Answer { id, result } => return (loaded, id, result),
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

    // Bob's next poll brings both.
    bob.poll_now();
    let ReviewNews::Changes { events, taken } = next(&mut bob_rx) else {
        panic!("changes");
    };
    assert_eq!(events, vec![event.clone()]);
    assert_eq!(taken, vec![("IDP1".to_owned(), "ana".to_owned())]);

    // Bob decides on top: his event supersedes Ana's (built on the file's events, not his view).
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
    let test = "a_read_only_store_is_browsed_and_says_why_it_cannot_record";
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

    // The second browser moves onto IDP1, which the first holds: it takes nothing there, and
    // its lease on IDP2 is gone.
    ask(&second, 2, hold("IDP1"));
    answer(&mut second_rx).2.expect("answered");
    first.poll_now();
    let ReviewNews::Changes { taken, .. } = next(&mut first_rx) else {
        panic!("changes");
    };
    assert!(taken.is_empty(), "{taken:?}");

    // The first closes: its lease goes, the second sees nothing taken.
    first.close();
    second.poll_now();
    let ReviewNews::Changes { taken, .. } = next(&mut second_rx) else {
        panic!("changes");
    };
    assert!(taken.is_empty());
    second.close();
}
