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
use crate::review::lease::{Holder, LEASE_TTL, LeaseOutcome};
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
    /// This browser's session: what its leases are held by (colleagues on one account share a
    /// reviewer name, never a session).
    holder: Holder,
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
        holder: Holder::new(&opts.reviewer),
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
    /// Every process's mark (news sent now), then what `Opened` says. The app never holds a
    /// process's events in part: it gets them all when it holds the process, before an answer
    /// on it, and whenever someone records on it.
    fn open(&mut self) -> Result<ReviewNews, String> {
        // Marks current to a cursor; an event recorded after it comes with the first poll.
        self.data_version = self.store.data_version().ok();
        let (marks, cursor) = self
            .store
            .start_up(&self.reviewer)
            .map_err(|e| e.to_string())?;
        self.cursor = cursor;
        let _ = self
            .messages
            .send(Message::Review(ReviewNews::Marks(marks)));
        let writable = match self.store.read_only_reason() {
            None => Ok(()),
            Some(why) => Err(format!(
                "the review store {} is read-only ({why})",
                self.store.path().display()
            )),
        };
        Ok(ReviewNews::Opened {
            reviewer: self.reviewer.clone(),
            events: Vec::new(),
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
                if let Some(id) = process_id {
                    self.send_events(id);
                }
                self.hold(process_id.clone());
                Ok(None)
            }
            _ => self.record(&request),
        };
        self.answer(id, result);
    }

    /// All the events of `process_id`, for the app (none: nothing to say).
    fn send_events(&self, process_id: &str) {
        match self.store.events_for(process_id) {
            Ok(events) if events.is_empty() => {}
            Ok(events) => {
                let _ = self
                    .messages
                    .send(Message::Review(ReviewNews::Loaded { events }));
            }
            Err(e) => tracing::warn!("review store: {e}"),
        }
    }

    /// Builds the event on the process's events as the file has them now, and records it. The
    /// app gets those events first, so the answer's event lands on all of them.
    fn record(&mut self, request: &ReviewRequest) -> Result<Option<Event>, String> {
        let process = process_of(request).unwrap_or_default();
        let events = self.store.events_for(process).map_err(|e| e.to_string())?;
        if !events.is_empty() {
            let _ = self.messages.send(Message::Review(ReviewNews::Loaded {
                events: events.clone(),
            }));
        }
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
            && let Err(e) = self.store.release_lease(&old, &self.holder)
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
            .take_lease(process_id, &self.holder, Timestamp::now(), LEASE_TTL)
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
            match self.complete_changes() {
                Ok((all, cursor)) => {
                    events = all;
                    self.cursor = cursor;
                }
                Err(e) => tracing::warn!("review store poll: {e}"),
            }
        }
        let mut taken: Vec<(String, String)> =
            match self.store.leases_of_others(&self.holder, Timestamp::now()) {
                Ok(leases) => leases
                    .into_iter()
                    .map(|(process, lease)| {
                        // Colleagues on one account share a name: say it is not this browser.
                        let who = if lease.reviewer == self.reviewer {
                            format!("{} (another session)", lease.reviewer)
                        } else {
                            lease.reviewer
                        };
                        (process, who)
                    })
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

    /// Every event of each process with an event since the cursor (the app never holds a
    /// process's events in part), and the next cursor.
    fn complete_changes(&self) -> Result<(Vec<Event>, Cursor), crate::review::StoreError> {
        let (new, cursor) = self.store.changes_since(self.cursor)?;
        let mut processes: Vec<&str> = new.iter().map(|e| e.process_id.as_str()).collect();
        processes.sort_unstable();
        processes.dedup();
        let mut all = Vec::with_capacity(new.len());
        for process in processes {
            all.extend(self.store.events_for(process)?);
        }
        Ok((all, cursor))
    }

    fn close(mut self) {
        self.hold(None);
    }
}
