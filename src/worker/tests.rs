//! The worker's loop when it dies: every request it had, or had queued, is still answered.

use std::sync::Arc;

use tokio::sync::mpsc;

use super::jobs::{JobKey, Jobs, Joined};
use super::serve;
use crate::app::{Job, Message, Request, RequestId};

fn request(id: u64) -> Request {
    Request {
        id: RequestId(id),
        job: Job::LoadPage,
    }
}

/// `(id, stopped)` of each answer sent so far: `stopped` for `WorkerStopped`.
fn answered(rx: &mut mpsc::UnboundedReceiver<Message>) -> Vec<(u64, bool)> {
    std::iter::from_fn(|| rx.try_recv().ok())
        .map(|m| {
            let stopped = matches!(m, Message::WorkerStopped { .. });
            (m.answers().expect("an answer").0, stopped)
        })
        .collect()
}

#[tokio::test]
async fn a_worker_that_panics_answers_what_it_had_and_what_was_queued() {
    let (messages, mut rx) = mpsc::unbounded_channel();
    let jobs = Arc::new(Jobs::new(messages));
    let (requests, inbox) = mpsc::unbounded_channel();
    for id in 1..=4 {
        requests.send(request(id)).unwrap();
    }
    let held = jobs.clone();
    let task = tokio::spawn(serve(inbox, jobs, move |r: Request| match r.id.0 {
        // A job that runs on: it answers its request itself, later.
        1 => {
            let Joined::Start(ticket) = held.join(JobKey::Page(r.id), r.id, None) else {
                panic!("a new job");
            };
            std::mem::forget(ticket);
        }
        // A bug met before any job took the request.
        2 => panic!("a bug in the worker"),
        _ => unreachable!("the loop has ended"),
    }));
    assert!(task.await.expect_err("the loop died").is_panic());
    assert_eq!(
        answered(&mut rx),
        [(2, true), (3, true), (4, true)],
        "the request being handled and those queued; not the one its job answers"
    );
    // The channel is closed: the runtime answers what it cannot send (`tui::Outbox`).
    assert!(requests.send(request(5)).is_err());
}

#[tokio::test]
async fn a_worker_whose_app_is_gone_ends_without_answers() {
    let (messages, mut rx) = mpsc::unbounded_channel();
    let (requests, inbox) = mpsc::unbounded_channel::<Request>();
    drop(requests);
    serve(inbox, Arc::new(Jobs::new(messages)), |_| {
        unreachable!("nothing to handle")
    })
    .await;
    assert!(answered(&mut rx).is_empty());
}
