//! Every review request is answered exactly once on the desk's failure paths: a store that
//! cannot be opened or read, a thread that cannot start, a thread that dies. The thread is
//! started through [`Desk::start`], so a test decides when (or whether) it runs.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::mpsc::{UnboundedReceiver, unbounded_channel};

use super::{Body, Desk, DeskOptions, Unrecorded};
use crate::app::message::review::{ReviewNews, ReviewRequest};
use crate::app::review::Access;
use crate::app::{App, AppOptions, Message, RequestId};
use crate::review::{Decision, Store, Verdict};

fn options(path: &std::path::Path) -> DeskOptions {
    DeskOptions {
        poll_every: Duration::from_secs(3600),
        ..DeskOptions::new(path.to_path_buf(), "ana".into())
    }
}

fn decide(process: &str) -> ReviewRequest {
    ReviewRequest::Decide {
        process_id: process.into(),
        decision: Decision {
            verdict: Verdict::Escalate,
            reason: None,
        },
        truora_status: None,
        seen: None,
    }
}

/// A thread that runs the desk's body only once `gate` is opened (dropped or sent to), so
/// requests can be queued before it looks at its store.
fn gated(gate: mpsc::Receiver<()>) -> impl FnOnce(Body) -> std::io::Result<JoinHandle<Unrecorded>> {
    move |body| {
        Ok(std::thread::spawn(move || {
            let _ = gate.recv();
            body()
        }))
    }
}

/// Every message until the last sender is gone (the desk closed and dropped), the answers
/// counted by id.
fn everything(mut rx: UnboundedReceiver<Message>) -> (Vec<ReviewNews>, BTreeMap<u64, Vec<String>>) {
    let mut news = Vec::new();
    let mut answers: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    while let Some(message) = rx.blocking_recv() {
        match message {
            Message::Review(ReviewNews::Answer { id, result }) => {
                let said = match result {
                    Ok(_) => "recorded".to_owned(),
                    Err(why) => why.to_string(),
                };
                answers.entry(id.0).or_default().push(said);
            }
            Message::Review(other) => news.push(other),
            other => panic!("only review news expected, got {other:?}"),
        }
    }
    (news, answers)
}

/// A file that opens as a review store but whose events cannot be read: its `events` table
/// is gone (the desk used to stop there, and leave every request unanswered).
fn unreadable_store(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("no-events.sqlite3");
    drop(Store::open(&path).expect("a new store"));
    let conn = rusqlite::Connection::open(&path).expect("sqlite");
    conn.execute_batch("DROP TABLE events").expect("drop");
    drop(conn);
    let store = Store::open(&path).expect("it still opens");
    assert!(store.start_up("ana").is_err(), "but cannot be read");
    path
}

/// A file that is not a database at all: refused when opened.
fn foreign_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("not-a-db.sqlite3");
    std::fs::write(
        &path,
        b"this is not a database, just text that is long enough",
    )
    .unwrap();
    path
}

#[test]
fn a_store_that_fails_answers_every_request_queued_before_and_after() {
    let dir = tempfile::tempdir().unwrap();
    for path in [unreadable_store(dir.path()), foreign_file(dir.path())] {
        let (tx, rx) = unbounded_channel();
        let (open, gate) = mpsc::channel();
        let mut desk = Desk::start(options(&path), tx, gated(gate));
        // Queued before the thread has looked at the store.
        desk.ask(RequestId(1), decide("IDP1"));
        desk.ask(
            RequestId(2),
            ReviewRequest::Hold {
                process_id: Some("IDP1".into()),
            },
        );
        open.send(()).unwrap();
        // After it failed: the thread ends on its own.
        desk.wait_for_thread();
        desk.ask(RequestId(3), decide("IDP2"));
        drop(desk);

        let (news, answers) = everything(rx);
        let [ReviewNews::Failed { error }] = news.as_slice() else {
            panic!("{}: one failure, then answers: {news:?}", path.display());
        };
        assert!(error.contains(&*path.to_string_lossy()), "{error}");
        assert_eq!(
            answers.keys().copied().collect::<Vec<_>>(),
            [1, 2, 3],
            "{}: every request answered",
            path.display()
        );
        for (id, said) in &answers {
            assert_eq!(said.len(), 1, "request {id} answered once: {said:?}");
            assert_eq!(&said[0], error, "request {id} is told why");
        }
    }
}

#[test]
fn a_desk_whose_thread_cannot_start_says_so_and_answers_every_request() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, rx) = unbounded_channel();
    let desk = Desk::start(options(&dir.path().join("r.sqlite3")), tx, |_body| {
        Err(std::io::Error::other("no threads left"))
    });
    desk.ask(RequestId(1), decide("IDP1"));
    desk.poll_now();
    desk.retry_now();
    desk.ask(RequestId(2), ReviewRequest::Hold { process_id: None });
    assert!(desk.close().is_empty());

    let (news, answers) = everything(rx);
    let [ReviewNews::Failed { error }] = news.as_slice() else {
        panic!("the app is told the store is unavailable: {news:?}");
    };
    assert!(
        error.contains("could not start") && error.contains("no threads left"),
        "{error}"
    );
    assert_eq!(
        answers,
        BTreeMap::from([(1, vec![error.clone()]), (2, vec![error.clone()])])
    );
    assert!(
        !dir.path().join("r.sqlite3").exists(),
        "no store was touched"
    );

    // The browser goes on without marks, and says why.
    let mut app = App::new(AppOptions::default());
    app.handle_message(Message::Review(ReviewNews::Failed {
        error: error.clone(),
    }));
    assert_eq!(*app.review().access(), Access::Unavailable(error.clone()));
}

#[test]
fn a_thread_that_dies_answers_what_was_queued_and_what_comes_after() {
    let dir = tempfile::tempdir().unwrap();
    let (tx, rx) = unbounded_channel();
    let (die, gate) = mpsc::channel::<()>();
    let mut desk = Desk::start(options(&dir.path().join("r.sqlite3")), tx, move |body| {
        Ok(std::thread::spawn(move || {
            // Holds the body (and so the inbox's end) until it panics: what a bug in the
            // desk's thread does to the requests queued for it.
            let _body = body;
            let _ = gate.recv();
            panic!("a bug in the review desk");
        }))
    });
    desk.ask(RequestId(1), decide("IDP1"));
    drop(die);
    desk.wait_for_thread();
    desk.ask(RequestId(2), decide("IDP2"));
    drop(desk);

    let (news, answers) = everything(rx);
    assert!(news.is_empty(), "{news:?}");
    assert_eq!(answers.keys().copied().collect::<Vec<_>>(), [1, 2]);
    for said in answers.values() {
        assert_eq!(said.len(), 1);
        assert!(said[0].contains("stopped unexpectedly"), "{}", said[0]);
    }
}
