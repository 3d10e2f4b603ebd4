//! The thread that owns the store's connection. SQLite calls block (a busy file waits up to the
//! store's busy timeout), so they run on a thread of their own, never on the runtime's workers;
//! the connection never leaves it.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use super::event::{event_for, process_of};
use crate::app::Message;
use crate::app::RequestId as ReviewRequestId;
use crate::app::review_msg::{ReviewNews, ReviewRequest};
use crate::review::lease::{LEASE_TTL, LeaseOutcome};
use crate::review::store::{Cursor, Store};
use crate::review::{Event, Timestamp};

/// What the thread is asked to do.
pub(super) enum Input {
    Request(ReviewRequestId, ReviewRequest),
    /// Look for news now (tests drive the poll with this instead of waiting for the clock).
    Poll,
    /// Release the lease and stop.
    Close,
}

/// How the desk runs.
#[derive(Clone, Debug)]
pub struct DeskOptions {
    pub path: PathBuf,
    pub reviewer: String,
    /// How often the store is polled for other browsers' decisions and leases.
    pub poll_every: Duration,
}

impl DeskOptions {
    /// Polls every second: a colleague's decision shows within about that.
    pub fn new(path: PathBuf, reviewer: String) -> DeskOptions {
        DeskOptions {
            path,
            reviewer,
            poll_every: Duration::from_secs(1),
        }
    }
}

struct Desk {
    store: Store,
    reviewer: String,
    cursor: Cursor,
    data_version: Option<i64>,
    /// The processes others had open at the last poll, as last sent.
    taken: Vec<(String, String)>,
    /// The process this browser holds, and when its lease was last taken or renewed.
    held: Option<(String, Instant)>,
    messages: UnboundedSender<Message>,
}

pub(super) fn run(opts: DeskOptions, inputs: Receiver<Input>, messages: UnboundedSender<Message>) {
    let send = |news| {
        // The app is gone only when it is quitting.
        let _ = messages.send(Message::Review(news));
    };
    let store = match Store::open(&opts.path) {
        Ok(store) => store,
        Err(e) => {
            tracing::warn!("review store: {e}");
            send(ReviewNews::Failed {
                error: e.to_string(),
            });
            // Every request still gets its answer.
            for input in inputs {
                match input {
                    Input::Request(id, _) => send(ReviewNews::Answer {
                        id,
                        result: Err(e.to_string()),
                    }),
                    Input::Poll => {}
                    Input::Close => break,
                }
            }
            return;
        }
    };
    let mut desk = Desk {
        store,
        reviewer: opts.reviewer,
        cursor: Cursor::default(),
        data_version: None,
        taken: Vec::new(),
        held: None,
        messages: messages.clone(),
    };
    match desk.open() {
        Ok(news) => send(news),
        Err(error) => {
            send(ReviewNews::Failed { error });
            return;
        }
    }
    loop {
        match inputs.recv_timeout(opts.poll_every) {
            Ok(Input::Request(id, request)) => {
                // A burst of selection changes leases only the last process: the others are
                // answered without touching the file.
                let mut request = (id, request);
                let mut later = Vec::new();
                while let ReviewRequest::Hold { .. } = request.1 {
                    match inputs.try_recv() {
                        Ok(Input::Request(next_id, next)) => {
                            desk.answer(request.0, Ok(None));
                            request = (next_id, next);
                        }
                        Ok(other) => {
                            later.push(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                desk.handle(request.0, request.1);
                for input in later {
                    match input {
                        Input::Poll => desk.poll(),
                        Input::Close => return desk.close(),
                        Input::Request(id, r) => desk.handle(id, r),
                    }
                }
            }
            Ok(Input::Poll) | Err(RecvTimeoutError::Timeout) => desk.poll(),
            Ok(Input::Close) | Err(RecvTimeoutError::Disconnected) => return desk.close(),
        }
    }
}

impl Desk {
    fn open(&mut self) -> Result<ReviewNews, String> {
        // The cursor first: an event recorded in between is read twice, never missed (the app
        // ignores events it has).
        self.cursor = self.store.cursor().map_err(|e| e.to_string())?;
        self.data_version = self.store.data_version().ok();
        let events = self.store.all_events().map_err(|e| e.to_string())?;
        let writable = match self.store.read_only_reason() {
            None => Ok(()),
            Some(why) => Err(format!(
                "the review store {} is read-only ({why})",
                self.store.path().display()
            )),
        };
        Ok(ReviewNews::Opened {
            reviewer: self.reviewer.clone(),
            events,
            writable,
        })
    }

    fn answer(&self, id: ReviewRequestId, result: Result<Option<Event>, String>) {
        let _ = self
            .messages
            .send(Message::Review(ReviewNews::Answer { id, result }));
    }

    fn handle(&mut self, id: ReviewRequestId, request: ReviewRequest) {
        let result = match &request {
            ReviewRequest::Hold { process_id } => {
                self.hold(process_id.clone());
                Ok(None)
            }
            _ => self.record(&request),
        };
        self.answer(id, result);
    }

    /// Builds the event on the process's events as the file has them now, and records it.
    fn record(&mut self, request: &ReviewRequest) -> Result<Option<Event>, String> {
        let process = process_of(request).unwrap_or_default();
        let events = self.store.events_for(process).map_err(|e| e.to_string())?;
        let event = event_for(request, &events, &self.reviewer)?;
        if let Some(event) = &event {
            self.store.record(event).map_err(|e| e.to_string())?;
        }
        Ok(event)
    }

    /// Leases `process_id` (releasing the previous one); a read-only store leases nothing.
    fn hold(&mut self, process_id: Option<String>) {
        if self.store.read_only_reason().is_some() {
            return;
        }
        if let Some((old, _)) = self.held.take()
            && Some(&old) != process_id.as_ref()
            && let Err(e) = self.store.release_lease(&old, &self.reviewer)
        {
            tracing::warn!("review lease: {e}");
        }
        if let Some(id) = process_id {
            self.take(&id);
        }
    }

    fn take(&mut self, process_id: &str) {
        match self
            .store
            .take_lease(process_id, &self.reviewer, Timestamp::now(), LEASE_TTL)
        {
            Ok(LeaseOutcome::Taken { .. }) => {
                self.held = Some((process_id.to_owned(), Instant::now()));
            }
            // Someone else has it; the poll shows it as taken. Try again at the next renewal.
            Ok(LeaseOutcome::HeldBy(_)) => {
                self.held = Some((process_id.to_owned(), Instant::now()));
            }
            Err(e) => tracing::warn!("review lease: {e}"),
        }
    }

    /// News for the app: events recorded since the last poll (by anyone), and who has which
    /// process open; the held lease is renewed when a third of its life has passed.
    fn poll(&mut self) {
        if let Some((id, since)) = &self.held
            && since.elapsed() > LEASE_TTL / 3
        {
            let id = id.clone();
            self.take(&id);
        }
        let mut events = Vec::new();
        let version = self.store.data_version().ok();
        // Our own commits do not move `data_version`; they were answered already. Another
        // program's commit does, and only then is the event table read.
        if version.is_none() || version != self.data_version {
            self.data_version = version;
            match self.store.changes_since(self.cursor) {
                Ok((new, cursor)) => {
                    events = new;
                    self.cursor = cursor;
                }
                Err(e) => tracing::warn!("review store poll: {e}"),
            }
        }
        let mut taken: Vec<(String, String)> = match self
            .store
            .leases_of_others(&self.reviewer, Timestamp::now())
        {
            Ok(leases) => leases
                .into_iter()
                .map(|(process, lease)| (process, lease.reviewer))
                .collect(),
            Err(e) => {
                tracing::warn!("review leases: {e}");
                self.taken.clone()
            }
        };
        taken.sort();
        if events.is_empty() && taken == self.taken {
            return;
        }
        self.taken.clone_from(&taken);
        let _ = self
            .messages
            .send(Message::Review(ReviewNews::Changes { events, taken }));
    }

    fn close(mut self) {
        self.hold(None);
    }
}
