//! The way requests reach the desk's thread, built so that none can go unanswered.
//!
//! While the thread runs, requests queue for it. However it ends — its store refused, the
//! browser closing, a panic — the thread's end ([`Inputs`]) is dropped, which stops the inbox
//! and answers every request still queued with why; from then on the inbox answers each new
//! request itself, at once, with the same why. Both happen under one lock, so a request is
//! either queued before the stop (and drained) or refused after it: none falls in between.
//! A thread that never started stops the inbox the same way ([`Inbox::stop`]).

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::sync::mpsc::UnboundedSender;

use super::input::Input;
use crate::app::message::review::{ReviewNews, ReviewRequest};
use crate::app::{Message, NotRecorded, RequestId};

/// Why the thread stopped when nothing better is known: it panicked (the log has the panic).
pub(super) const STOPPED: &str = "the review desk stopped unexpectedly (the log says why): decisions and \
                       notes cannot be recorded until the browser is restarted";

/// Shared by the app's side ([`super::Desk`]) and the thread's ([`Inputs`]).
pub(super) struct Inbox {
    state: Mutex<State>,
    messages: UnboundedSender<Message>,
}

enum State {
    Open(Sender<Input>),
    /// Every request is answered here with this.
    Stopped(String),
}

impl Inbox {
    /// An open inbox, and the thread's end of it.
    pub(super) fn open(messages: UnboundedSender<Message>) -> (Arc<Inbox>, Inputs) {
        let (tx, rx) = mpsc::channel();
        let inbox = Arc::new(Inbox {
            state: Mutex::new(State::Open(tx)),
            messages,
        });
        let inputs = Inputs {
            inbox: inbox.clone(),
            receiver: rx,
            why: STOPPED.to_owned(),
        };
        (inbox, inputs)
    }

    /// Queues a request for the thread, or answers it now (failed, with why) when the thread
    /// has stopped.
    pub(super) fn ask(&self, id: RequestId, request: ReviewRequest) {
        let why = {
            let state = self.lock();
            match &*state {
                State::Open(tx) => match tx.send(Input::Request(id, request)) {
                    Ok(()) => return,
                    // The thread's end is gone without stopping the inbox: only a thread that
                    // never ran drops it so, and its starter stops the inbox right after.
                    Err(_) => STOPPED.to_owned(),
                },
                State::Stopped(why) => why.clone(),
            }
        };
        answer(&self.messages, id, why);
    }

    /// Passes on an input that asks for no answer (a poll, closing); dropped once stopped.
    pub(super) fn send(&self, input: Input) {
        if let State::Open(tx) = &*self.lock() {
            let _ = tx.send(input);
        }
    }

    /// From now on every request is answered here, with `why` (the last stop names the
    /// reason). The thread, if it runs, sees its inputs end.
    pub(super) fn stop(&self, why: String) {
        *self.lock() = State::Stopped(why);
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // The state is one assignment at a time: a panic cannot leave it half-made.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn answer(messages: &UnboundedSender<Message>, id: RequestId, why: String) {
    // The app is gone only when it is quitting: nobody left to answer.
    let _ = messages.send(Message::Review(ReviewNews::Answer {
        id,
        result: Err(NotRecorded::Store(why)),
    }));
}

/// The thread's end of the inbox. Dropping it — however the thread ends — stops the inbox and
/// answers what is still queued, with [`why`](Self::set_why).
pub(super) struct Inputs {
    inbox: Arc<Inbox>,
    receiver: Receiver<Input>,
    why: String,
}

impl Inputs {
    /// What requests queued after this are answered with (the thread's last word before it
    /// returns; a panic leaves the default, which says so).
    pub(super) fn set_why(&mut self, why: String) {
        self.why = why;
    }

    pub(super) fn recv_timeout(&self, wait: Duration) -> Result<Input, RecvTimeoutError> {
        self.receiver.recv_timeout(wait)
    }

    pub(super) fn try_recv(&self) -> Result<Input, TryRecvError> {
        self.receiver.try_recv()
    }
}

impl Drop for Inputs {
    fn drop(&mut self) {
        let why = std::mem::take(&mut self.why);
        // Stopped first: nothing more can be queued, so what the drain finds is all there is.
        self.inbox.stop(why.clone());
        while let Ok(input) = self.receiver.try_recv() {
            if let Input::Request(id, _) = input {
                answer(&self.inbox.messages, id, why.clone());
            }
        }
    }
}
