//! The review desk's runtime: a thread that owns the SQLite store, answers the app's review
//! requests (each exactly once, with its id), and polls the store about every second for what
//! other browsers on the same file recorded and which processes they have open. What cannot be
//! recorded for now (a busy store, a full disk) waits and is tried again (`writes.rs`). The app
//! stays pure: it asks `Job::Review` like any request and hears `Message::Review`.
//!
//! Every request is answered, however the desk fares: a store that cannot be opened, a thread
//! that cannot start or that dies answer each request with why (`inbox.rs`), and the app is told
//! the store is unavailable (`ReviewNews::Failed`), so browsing goes on without marks.

mod event;
mod inbox;
mod input;
mod task;
#[cfg(test)]
mod tests;
mod waiting;
mod writes;

use std::sync::Arc;
use std::thread::JoinHandle;

use tokio::sync::mpsc::UnboundedSender;

use crate::app::message::review::{ReviewNews, ReviewRequest};
use crate::app::{Message, RequestId};
pub use event::{event_for, process_of};
use inbox::Inbox;
use input::Input;
pub use task::{DeskOptions, Unrecorded};

/// What the desk's thread runs.
type Body = Box<dyn FnOnce() -> Unrecorded + Send>;

/// The running desk: send it requests, poll it (tests), close it (releases the lease).
pub struct Desk {
    inbox: Arc<Inbox>,
    thread: Option<JoinHandle<Unrecorded>>,
}

impl Desk {
    /// Opens the store on a thread of its own; its news and answers go to `messages`.
    pub fn spawn(opts: DeskOptions, messages: UnboundedSender<Message>) -> Desk {
        Desk::start(opts, messages, |body| {
            std::thread::Builder::new()
                .name("review-desk".into())
                .spawn(body)
        })
    }

    /// [`spawn`](Self::spawn), with the way a thread is started given (tests start none).
    pub(crate) fn start(
        opts: DeskOptions,
        messages: UnboundedSender<Message>,
        spawn: impl FnOnce(Body) -> std::io::Result<JoinHandle<Unrecorded>>,
    ) -> Desk {
        let (inbox, inputs) = Inbox::open(messages.clone());
        let news = messages.clone();
        let body: Body = Box::new(move || task::run(opts, inputs, news));
        match spawn(body) {
            Ok(thread) => Desk {
                inbox,
                thread: Some(thread),
            },
            Err(e) => {
                // Said like a store that cannot be opened: the app browses without marks, and
                // every review request is answered with this.
                let why = format!(
                    "the review desk could not start ({e}): decisions and notes cannot be \
                     recorded; restart the browser to try again"
                );
                tracing::error!("{why}");
                inbox.stop(why.clone());
                let _ = messages.send(Message::Review(ReviewNews::Failed { error: why }));
                Desk {
                    inbox,
                    thread: None,
                }
            }
        }
    }

    /// Hands a review request to the store's thread; its answer comes as a `Message::Review`
    /// (at once, failed, when the thread has stopped).
    pub fn ask(&self, id: RequestId, request: ReviewRequest) {
        self.inbox.ask(id, request);
    }

    /// Looks for news now, without waiting for the next tick (and tries again now what could not
    /// be recorded yet: see [`retry_now`](Self::retry_now)).
    pub fn poll_now(&self) {
        self.inbox.send(Input::Poll);
    }

    /// Tries once more what could not be recorded yet, releases this browser's lease, and waits
    /// for the thread to finish. Returns what was still not recorded, in a few words each (a
    /// note with its text), for the shell.
    pub fn close(mut self) -> Unrecorded {
        self.inbox.send(Input::Close);
        self.thread
            .take()
            .and_then(|thread| thread.join().ok())
            .unwrap_or_default()
    }

    /// Tries again, now, what could not be recorded yet, then looks for news: the same input as
    /// [`poll_now`](Self::poll_now), named for what a test of the retries means by it (tests
    /// drive the retries with this instead of waiting for the clock).
    pub fn retry_now(&self) {
        self.inbox.send(Input::Poll);
    }
}

#[cfg(test)]
impl Desk {
    /// Waits for a thread that ends on its own (its store failed, it panicked).
    fn wait_for_thread(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Desk {
    /// A desk dropped without [`close`](Self::close) ends its thread all the same (it sees its
    /// inputs end, tries what waits once more and releases the lease), without waiting for it.
    fn drop(&mut self) {
        if self.thread.is_some() {
            self.inbox.stop(task::CLOSED.into());
        }
    }
}
