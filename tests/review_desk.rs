//! The review desk's thread against a real SQLite file: answers, news between two browsers on
//! one store, leases, a read-only store and a store that cannot be opened. The poll is driven by
//! `poll_now` (the tick is set to an hour), so nothing waits on a clock.

use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};
use truora_tui::api::model::Status;
use truora_tui::app::review_msg::{ReviewNews, ReviewRequest};
use truora_tui::app::{Message, RequestId};
use truora_tui::review::{Decision, EventKind, Verdict};
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
    let ReviewNews::Opened {
        reviewer,
        events,
        writable,
    } = next(&mut ana_rx)
    else {
        panic!("opened first");
    };
    assert_eq!(
        (reviewer.as_str(), events.len(), writable),
        ("ana", 0, Ok(()))
    );
    let (bob, mut bob_rx) = start(&path, "bob");
    assert!(matches!(next(&mut bob_rx), ReviewNews::Opened { .. }));

    // Ana decides and holds IDP1; the answer carries the recorded event.
    ask(&ana, 1, fail("IDP1"));
    let ReviewNews::Answer { id, result } = next(&mut ana_rx) else {
        panic!("an answer");
    };
    assert_eq!(id, RequestId(1));
    let event = result.expect("recorded").expect("an event");
    assert_eq!(event.reviewer, "ana");
    ask(
        &ana,
        2,
        ReviewRequest::Hold {
            process_id: Some("IDP1".into()),
        },
    );
    assert!(matches!(
        next(&mut ana_rx),
        ReviewNews::Answer {
            id: RequestId(2),
            result: Ok(None)
        }
    ));

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
    let ReviewNews::Answer { result, .. } = next(&mut bob_rx) else {
        panic!("an answer");
    };
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
    let ReviewNews::Answer { result, .. } = next(&mut ana_rx) else {
        panic!("an answer");
    };
    assert!(result.unwrap_err().contains("bob has decided"));

    // Ana closes: her lease goes with her.
    ana.close();
    bob.poll_now();
    let ReviewNews::Changes { taken, .. } = next(&mut bob_rx) else {
        panic!("changes");
    };
    assert!(taken.is_empty());
    bob.close();

    // A relaunch finds everything.
    let (again, mut rx) = start(&path, "ana");
    let ReviewNews::Opened { events, .. } = next(&mut rx) else {
        panic!("opened");
    };
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
    next(&mut rx);
    ask(
        &desk,
        1,
        ReviewRequest::Note {
            process_id: "IDP9".into(),
            text: "call the user".into(),
            truora_status: None,
        },
    );
    let ReviewNews::Answer { result, .. } = next(&mut rx) else {
        panic!()
    };
    let note = result.unwrap().unwrap();
    ask(
        &desk,
        2,
        ReviewRequest::Undo {
            process_id: "IDP9".into(),
            truora_status: None,
        },
    );
    let ReviewNews::Answer { result, .. } = next(&mut rx) else {
        panic!()
    };
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
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.sqlite3");
    let (desk, mut rx) = start(&path, "ana");
    next(&mut rx);
    ask(&desk, 1, fail("IDP1"));
    next(&mut rx);
    desk.close();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
    if nix_is_root() {
        return; // root writes anyway; nothing to check
    }
    let (desk, mut rx) = start(&path, "ana");
    let ReviewNews::Opened {
        events, writable, ..
    } = next(&mut rx)
    else {
        panic!("opened");
    };
    assert_eq!(events.len(), 1, "the marks are there");
    assert!(writable.unwrap_err().contains("read-only"));
    ask(&desk, 2, fail("IDP2"));
    let ReviewNews::Answer { result, .. } = next(&mut rx) else {
        panic!()
    };
    assert!(result.is_err());
    desk.close();
}

#[cfg(unix)]
fn nix_is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
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
