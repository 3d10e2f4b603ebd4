//! The review desk's runtime: a thread that owns the SQLite store, answers the app's review
//! requests (each exactly once, with its id), and polls the store about every second for what
//! other browsers on the same file recorded and which processes they have open. What cannot be
//! recorded for now (a busy store, a full disk) waits and is tried again (`writes.rs`). The app
//! stays pure: it asks `Job::Review` like any request and hears `Message::Review`.

mod event;
mod task;
mod writes;

use std::sync::mpsc;
use std::thread::JoinHandle;

use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

use crate::app::message::review::ReviewRequest;
use crate::app::{Job, Message, Request, RequestId};
pub use event::{event_for, process_of};
use task::Input;
pub use task::{DeskOptions, Unrecorded};

/// The running desk: send it requests, poll it (tests), close it (releases the lease).
pub struct Desk {
    inputs: mpsc::Sender<Input>,
    thread: Option<JoinHandle<Unrecorded>>,
}

impl Desk {
    /// Opens the store on a thread of its own; its news and answers go to `messages`.
    pub fn spawn(opts: DeskOptions, messages: UnboundedSender<Message>) -> Desk {
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("review-desk".into())
            .spawn(move || task::run(opts, rx, messages))
            .ok();
        if thread.is_none() {
            tracing::error!("could not start the review desk's thread");
        }
        Desk { inputs: tx, thread }
    }

    /// Hands a review request to the store's thread; its answer comes as a `Message::Review`.
    pub fn ask(&self, id: RequestId, request: ReviewRequest) {
        let _ = self.inputs.send(Input::Request(id, request));
    }

    /// Looks for news now, without waiting for the next tick (and tries again now what could not
    /// be recorded yet: see [`retry_now`](Self::retry_now)).
    pub fn poll_now(&self) {
        let _ = self.inputs.send(Input::Poll);
    }

    /// Tries once more what could not be recorded yet, releases this browser's lease, and waits
    /// for the thread to finish. Returns what was still not recorded, in a few words each (a
    /// note with its text), for the shell.
    pub fn close(mut self) -> Unrecorded {
        let _ = self.inputs.send(Input::Close);
        self.thread
            .take()
            .and_then(|thread| thread.join().ok())
            .unwrap_or_default()
    }

    /// Tries again, now, what could not be recorded yet, then looks for news: the same input as
    /// [`poll_now`](Self::poll_now), named for what a test of the retries means by it (tests
    /// drive the retries with this instead of waiting for the clock).
    pub fn retry_now(&self) {
        let _ = self.inputs.send(Input::Poll);
    }

    /// Sits between the terminal loop and the worker: review requests go to the desk, the rest
    /// to the worker. Returns the sender the loop sends every request to.
    pub fn route(&self, worker: UnboundedSender<Request>) -> UnboundedSender<Request> {
        let (tx, mut rx) = unbounded_channel::<Request>();
        let inputs = self.inputs.clone();
        tokio::spawn(async move {
            while let Some(request) = rx.recv().await {
                match request {
                    Request {
                        id,
                        job: Job::Review(review),
                    } => {
                        let _ = inputs.send(Input::Request(id, review));
                    }
                    other => {
                        let _ = worker.send(other);
                    }
                }
            }
        });
        tx
    }
}
