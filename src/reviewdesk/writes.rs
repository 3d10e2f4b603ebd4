//! What the desk could not record yet, and trying it again.
//!
//! A decision, note or undo that meets a busy store (another program holding the write lock for
//! longer than the busy timeout) or a full disk is not answered with the error and forgotten: it
//! stays in a queue with everything asked after it (order matters: an undo takes back the
//! decision before it), the app is told it is delayed and why ([`ReviewNews::Delayed`]), and the
//! queue is tried again after 0.5 s, then 1, 2, 4 and every 8 s, on every new request, and when
//! asked (`Input::Poll`). Each request is answered once: when it is recorded, or refused for good
//! (read-only, nothing to undo). After an I/O error the store is opened again before the next
//! try (SQLite may keep a connection that met one in an error state), so space freed on the disk
//! is used without a restart. What is still waiting when the desk closes is tried once more,
//! then answered as not recorded and handed back for the shell.

use std::time::Instant;

use super::event::{event_for, process_of, superseded};
use super::task::{Desk, Unrecorded};
use super::waiting::{RETRY_FIRST, RETRY_MOST};
use crate::app::Message;
use crate::app::message::NotRecorded;
use crate::app::message::review::{ReviewNews, ReviewRequest, describe};
use crate::review::{Event, Recorded, StoreError};

/// Why a request was not recorded.
enum Failure {
    /// For good: answered with this.
    Refused(NotRecorded),
    /// For now: it waits.
    Later(StoreError),
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        if e.passes() {
            Failure::Later(e)
        } else {
            Failure::Refused(NotRecorded::Store(e.to_string()))
        }
    }
}

impl Desk {
    /// Records what waits, in order, until all is answered or the store fails for now.
    pub(super) fn flush(&mut self) {
        if self.waiting.reopen {
            match self.store.reopen() {
                Ok(store) => {
                    self.store = store;
                    self.waiting.reopen = false;
                }
                Err(e) if e.passes() => return self.later(e),
                Err(e) => tracing::warn!("review store: opening it again failed: {e}"),
            }
        }
        while let Some((id, request)) = self.waiting.queue.front().cloned() {
            match self.record(&request) {
                Ok(event) => {
                    self.waiting.queue.pop_front();
                    self.answer(id, Ok(event));
                }
                Err(Failure::Refused(why)) => {
                    self.waiting.queue.pop_front();
                    self.answer(id, Err(why));
                }
                Err(Failure::Later(e)) => return self.later(e),
            }
        }
        self.waiting.next = None;
        self.waiting.why = None;
    }

    /// The queue could not be recorded for now: tell the app, and when to try again.
    fn later(&mut self, e: StoreError) {
        tracing::warn!("review store: not recorded yet, trying again: {e}");
        self.waiting.reopen |= e.needs_reopen();
        let pause = self
            .waiting
            .next
            .map_or(RETRY_FIRST, |(_, pause)| (pause * 2).min(RETRY_MOST));
        self.waiting.next = Some((Instant::now() + pause, pause));
        let why = e.to_string();
        self.waiting.why = Some(why.clone());
        let ids = self.waiting.queue.iter().map(|(id, _)| *id).collect();
        let _ = self
            .messages
            .send(Message::Review(ReviewNews::Delayed { ids, why }));
    }

    /// Builds the event on the process's events as the file has them now, and records it. The
    /// app gets those events first, so the answer's event lands on all of them.
    fn record(&mut self, request: &ReviewRequest) -> Result<Option<Event>, Failure> {
        let process = process_of(request).unwrap_or_default();
        let events = self.store.events_for(process)?;
        if !events.is_empty() {
            let _ = self.messages.send(Message::Review(ReviewNews::Loaded {
                events: events.clone(),
            }));
        }
        let event = event_for(request, &events, &self.reviewer).map_err(Failure::Refused)?;
        if let Some(event) = &event
            && let Recorded::HeadMoved(moved) = self.store.record_on_head(event)?
        {
            // Another browser recorded between the read above and the write: the app gets the
            // events as they are now, so the mark on screen shows what stands.
            self.send_events(process);
            return Err(Failure::Refused(superseded(moved)));
        }
        Ok(event)
    }

    /// Answers what still waits as not recorded, and says what it was (a note with its text,
    /// so nothing typed is lost).
    pub(super) fn give_up(&mut self) -> Unrecorded {
        let why = self
            .waiting
            .why
            .take()
            .unwrap_or_else(|| "the browser was closed first".into());
        let mut lost = Vec::new();
        while let Some((id, request)) = self.waiting.queue.pop_front() {
            self.answer(id, Err(NotRecorded::GaveUp(why.clone())));
            let text = match &request {
                ReviewRequest::Note { text, .. } => {
                    format!(": \"{}\"", crate::sanitize::terminal_text(text))
                }
                _ => String::new(),
            };
            lost.push(format!("{}{text} ({why})", describe(&request)));
        }
        lost
    }
}

impl Drop for Desk {
    /// The thread panicked with requests waiting ([`Desk::close`] answers them otherwise): each
    /// is still answered, as not recorded, with why.
    fn drop(&mut self) {
        if self.waiting.is_empty() {
            return;
        }
        self.waiting.why = Some(super::inbox::STOPPED.into());
        let lost = self.give_up();
        // How many, not what: a note's text stays out of the log.
        tracing::error!(
            "the review desk stopped with {} request(s) not recorded",
            lost.len()
        );
    }
}
