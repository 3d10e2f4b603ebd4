//! The thread that owns the store's connection. SQLite calls block (a busy file waits up to the
//! store's busy timeout), so they run on a thread of their own, never on the runtime's workers;
//! the connection never leaves it.

use std::path::PathBuf;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;

use super::inbox::Inputs;
pub(super) use super::input::Input;
use super::waiting::{RETRY_FIRST, RETRY_MOST, Waiting};
use crate::app::Message;
use crate::app::RequestId as ReviewRequestId;
use crate::app::message::review::{Remark, ReviewNews, ReviewRequest};
use crate::app::message::{NotRecorded, ReadOnly};
use crate::review::lease::{Holder, LEASE_TTL, LeaseOutcome};
use crate::review::store::{Cursor, Store};
use crate::review::{Event, Timestamp, Tuning};

/// How the desk runs.
#[derive(Clone, Debug)]
pub struct DeskOptions {
    pub path: PathBuf,
    pub reviewer: String,
    /// How often the store is polled for other browsers' decisions and leases.
    pub poll_every: Duration,
    /// The store's busy timeout and size cap (tests shorten the one and set the other).
    pub tuning: Tuning,
}

impl DeskOptions {
    /// Polls every second: a colleague's decision shows within about that.
    pub fn new(path: PathBuf, reviewer: String) -> DeskOptions {
        DeskOptions {
            path,
            reviewer,
            poll_every: Duration::from_secs(1),
            tuning: Tuning::default(),
        }
    }
}

pub(super) struct Desk {
    pub(super) store: Store,
    pub(super) reviewer: String,
    /// This browser's session: what its leases are held by (colleagues on one account share a
    /// reviewer name, never a session).
    holder: Holder,
    cursor: Cursor,
    data_version: Option<i64>,
    /// The processes others had open at the last poll, as last sent.
    taken: Vec<(String, String)>,
    /// The process this browser holds, and when its lease was last taken or renewed.
    held: Option<(String, Instant)>,
    pub(super) messages: UnboundedSender<Message>,
    /// What could not be recorded yet, tried again in order (`writes.rs`).
    pub(super) waiting: Waiting,
    /// How many unreadable events the app has been told of.
    unreadable_told: usize,
    /// The selection asked while decisions waited for the store: leased once they are through.
    lease_later: Option<Option<String>>,
    /// The process the app shows (its last `Hold`, leased or not): news of it brings its
    /// events, news of any other only its mark.
    shown: Option<String>,
    /// The last poll read a page and more is waiting: the next poll comes at once.
    behind: bool,
}

/// New events read at most per poll (see [`Desk::changes`]).
const PAGE: usize = 5_000;

/// What a poll read.
#[derive(Default)]
struct Page {
    cursor: Cursor,
    /// A page was read and more is waiting.
    more: bool,
    shown: Vec<Event>,
    marks: Vec<Remark>,
}

/// What a desk that ended left unrecorded, in a few words each (for the shell, once the
/// terminal is back).
pub type Unrecorded = Vec<String>;

/// What requests that come after the desk closed are answered with.
pub(super) const CLOSED: &str = "the review desk is closed: the browser is quitting";

/// The thread's life. However it returns (or panics), dropping `inputs` answers every request
/// still queued, and every later one, with the why set here (`inbox.rs`).
pub(super) fn run(
    opts: DeskOptions,
    mut inputs: Inputs,
    messages: UnboundedSender<Message>,
) -> Unrecorded {
    let send = |news| {
        // The app is gone only when it is quitting.
        let _ = messages.send(Message::Review(news));
    };
    let store = match open(&opts, &inputs, &send) {
        Ok(store) => store,
        Err(why) => {
            inputs.set_why(why);
            return Vec::new();
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
        waiting: Waiting::default(),
        unreadable_told: 0,
        lease_later: None,
        shown: None,
        behind: false,
    };
    match desk.open() {
        Ok(news) => send(news),
        Err(error) => {
            send(ReviewNews::Failed {
                error: error.clone(),
            });
            inputs.set_why(error);
            return Vec::new();
        }
    }
    loop {
        // The next poll, or the next try of what waits, whichever comes first; at once while a
        // large change is read a page at a time (requests are still taken between pages).
        let wait = desk
            .waiting
            .due_in()
            .map_or(opts.poll_every, |due| due.min(opts.poll_every));
        let wait = if desk.behind { Duration::ZERO } else { wait };
        match inputs.recv_timeout(wait) {
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
                        Input::Poll => desk.poll_and_retry(),
                        Input::Close => {
                            inputs.set_why(CLOSED.into());
                            return desk.close();
                        }
                        Input::Request(id, r) => desk.handle(id, r),
                    }
                }
            }
            // Asked: look and try again now, whatever the pause.
            Ok(Input::Poll) => desk.poll_and_retry(),
            Err(RecvTimeoutError::Timeout) => {
                if desk.waiting.due() {
                    desk.flush();
                }
                desk.poll();
            }
            Ok(Input::Close) | Err(RecvTimeoutError::Disconnected) => {
                inputs.set_why(CLOSED.into());
                return desk.close();
            }
        }
    }
}

/// Opens the store. A store that cannot be opened for now (busy, disk full) is tried again
/// with growing pauses, and when asked ([`Input::Poll`]); meanwhile every request is answered
/// with why. One refused for what it is (another program's file, a newer version, corrupt) is
/// not tried again: `Err` says why, and the thread ends (its inbox answers every request with
/// that). `Err` too when the desk is closed meanwhile.
fn open(opts: &DeskOptions, inputs: &Inputs, send: &dyn Fn(ReviewNews)) -> Result<Store, String> {
    let mut pause = RETRY_FIRST;
    loop {
        let error = match Store::open_tuned(&opts.path, opts.tuning) {
            Ok(store) => return Ok(store),
            Err(e) => e,
        };
        tracing::warn!("review store: {error}");
        if !error.passes() {
            let error = error.to_string();
            send(ReviewNews::Failed {
                error: error.clone(),
            });
            return Err(error);
        }
        let error = format!("{error} (trying again)");
        send(ReviewNews::Failed {
            error: error.clone(),
        });
        let deadline = Instant::now() + pause;
        loop {
            let input =
                match inputs.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                    Ok(input) => input,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return Err(CLOSED.into()),
                };
            match input {
                // Every request still gets its answer.
                Input::Request(id, _) => send(ReviewNews::Answer {
                    id,
                    result: Err(NotRecorded::Store(error.clone())),
                }),
                Input::Poll => break,
                Input::Close => return Err(CLOSED.into()),
            }
        }
        pause = (pause * 2).min(RETRY_MOST);
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
        self.report_unreadable();
        let writable = match self.store.read_only_reason() {
            None => Ok(()),
            Some(why) => Err(ReadOnly::new(self.store.path(), why)),
        };
        Ok(ReviewNews::Opened {
            reviewer: self.reviewer.clone(),
            events: Vec::new(),
            writable,
        })
    }

    /// Tells the app of events the store cannot read, when there are more than it was told of.
    fn report_unreadable(&mut self) {
        let all = self.store.unreadable();
        if all.len() > self.unreadable_told {
            self.unreadable_told = all.len();
            let _ = self
                .messages
                .send(Message::Review(ReviewNews::Unreadable(all)));
        }
    }

    pub(super) fn answer(&self, id: ReviewRequestId, result: Result<Option<Event>, NotRecorded>) {
        let _ = self
            .messages
            .send(Message::Review(ReviewNews::Answer { id, result }));
    }

    /// A lease is taken at once (and answered); anything to record joins the queue behind
    /// what waits already, and the queue is tried now.
    fn handle(&mut self, id: ReviewRequestId, request: ReviewRequest) {
        match &request {
            ReviewRequest::Hold { process_id } => {
                self.shown.clone_from(process_id);
                if let Some(id) = process_id {
                    self.send_events(id);
                }
                self.hold(process_id.clone());
                self.answer(id, Ok(None));
            }
            _ => {
                self.waiting.push(id, request);
                self.flush();
            }
        }
    }

    /// `Input::Poll`: what waits is tried now, whatever its pause, then the usual poll.
    fn poll_and_retry(&mut self) {
        if !self.waiting.is_empty() {
            self.flush();
        }
        self.poll();
    }

    /// All the events of `process_id`, for the app (none: nothing to say).
    pub(super) fn send_events(&self, process_id: &str) {
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

    /// Leases `process_id` (releasing the previous one); a read-only store leases nothing.
    /// While decisions wait for the store, the lease waits too (what was decided goes first;
    /// each lease write would wait out the busy timeout): the first poll after them moves it.
    fn hold(&mut self, process_id: Option<String>) {
        if self.store.read_only_reason().is_some() {
            return;
        }
        if !self.waiting.is_empty() {
            self.lease_later = Some(process_id);
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
            // Ours, and someone else has it open too: the poll shows them.
            Ok(LeaseOutcome::HeldBy(_)) => {
                self.held = Some((process_id.to_owned(), Instant::now()));
            }
            Err(e) => tracing::warn!("review lease: {e}"),
        }
    }

    /// News for the app: events recorded since the last poll (by anyone), and who has which
    /// process open; the held lease is renewed when a third of its life has passed.
    fn poll(&mut self) {
        if self.waiting.is_empty()
            && let Some(selection) = self.lease_later.take()
        {
            self.hold(selection);
        }
        if let Some((id, since)) = &self.held
            && since.elapsed() > LEASE_TTL / 3
            && self.waiting.is_empty()
        {
            let id = id.clone();
            self.take(&id);
        }
        let mut page = Page::default();
        let version = self.store.data_version().ok();
        // Our own commits do not move `data_version`; they were answered already. Another
        // program's commit does, and only then is the event table read (or while a page of it
        // is still to read).
        if version.is_none() || version != self.data_version || self.behind {
            self.data_version = version;
            match self.changes() {
                Ok(read) => {
                    self.cursor = read.cursor;
                    self.behind = read.more;
                    page = read;
                }
                Err(e) => {
                    // Tried again at the next tick, not at once.
                    self.behind = false;
                    tracing::warn!("review store poll: {e}");
                }
            }
            self.report_unreadable();
        }
        let mut taken: Vec<(String, String)> =
            match self.store.leases_of_others(&self.holder, Timestamp::now()) {
                Ok(leases) => leases
                    .into_iter()
                    .map(|(process, holders)| {
                        // Colleagues on one account share a name: say it is not this browser.
                        let who: Vec<String> = holders
                            .into_iter()
                            .map(|lease| {
                                if lease.reviewer == self.reviewer {
                                    format!("{} (another session)", lease.reviewer)
                                } else {
                                    lease.reviewer
                                }
                            })
                            .collect();
                        (process, who.join(", "))
                    })
                    .collect(),
                Err(e) => {
                    tracing::warn!("review leases: {e}");
                    self.taken.clone()
                }
            };
        taken.sort();
        if !page.shown.is_empty() || taken != self.taken {
            self.taken.clone_from(&taken);
            let _ = self.messages.send(Message::Review(ReviewNews::Changes {
                events: page.shown,
                taken,
            }));
        }
        if !page.marks.is_empty() {
            let _ = self
                .messages
                .send(Message::Review(ReviewNews::Remarked(page.marks)));
        }
    }

    /// A page of what arrived since the cursor: every event of the process the app shows (the
    /// app never holds a process's events in part), and the mark of each other process (with
    /// where `u` goes on it), derived from all its events. At most [`PAGE`] new events are read
    /// at a time, so an import of a million events is read a page per turn of the loop, between
    /// requests, and never held at once.
    fn changes(&self) -> Result<Page, crate::review::StoreError> {
        let (new, cursor) = self.store.changes_page(self.cursor, PAGE)?;
        let mut processes: Vec<&str> = new.iter().map(|e| e.process_id.as_str()).collect();
        processes.sort_unstable();
        processes.dedup();
        let mut page = Page {
            cursor,
            more: self.store.cursor()? > cursor,
            ..Page::default()
        };
        for process in processes {
            let events = self.store.events_for(process)?;
            if self.shown.as_deref() == Some(process) {
                page.shown = events;
                continue;
            }
            page.marks.push(Remark {
                process_id: process.to_owned(),
                mark: crate::review::derive(&events, None, None),
                mine: crate::review::latest_standing_of(&events, &self.reviewer),
            });
        }
        Ok(page)
    }

    /// Tries once more what waits, releases the lease, and answers what still could not be
    /// recorded (the app is gone, or leaving): returned, for the shell.
    fn close(mut self) -> Unrecorded {
        if !self.waiting.is_empty() {
            self.flush();
        }
        self.hold(None);
        self.give_up()
    }
}
