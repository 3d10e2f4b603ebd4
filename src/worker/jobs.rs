//! The table of jobs in flight, and the one rule that makes every request answered exactly once:
//! whoever takes a job's entry out of the table answers all the requests waiting on it.
//!
//! Three things can take an entry: the task finishing (done or failed answers), the worker
//! aborting the task for a newer selection (cancelled answers), or the task's [`Ticket`] being
//! dropped without finishing, when the task panicked or was aborted (cancelled answers). Taking
//! happens under one lock and each entry is taken once, so no request goes unanswered and none is
//! answered twice.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use super::lock;
use crate::app::{Message, RequestId};
use crate::images::{CellSize, ImageKey};

/// What a job does, for "the same request is never in flight twice": a second request for a key
/// already running waits on the running job and gets its answer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum JobKey {
    /// Pages are never shared: each request is for the next page.
    Page(RequestId),
    Result(String),
    Details(String),
    Image(ImageKey, CellSize, crate::images::ImageView),
    /// Saves are never shared: each writes its own file.
    Save(RequestId),
    /// A `--watch` poll; the app never has two out.
    Watch(RequestId),
}

struct Entry {
    generation: u64,
    /// The requests this job answers, first asker first.
    waiters: Vec<RequestId>,
    /// The process the job belongs to, when a newer selection should abort it.
    owner: Option<String>,
    abort: Option<AbortHandle>,
}

pub(super) struct Jobs {
    entries: Mutex<HashMap<JobKey, Entry>>,
    next_generation: AtomicU64,
    /// The newest request id a job took ([`join`](Self::join)): ids grow, so every id up to
    /// it has been taken by a job (or answered at once) and is that job's to answer.
    newest_taken: AtomicU64,
    messages: mpsc::UnboundedSender<Message>,
}

/// How a job was joined: started (the caller must run it) or already running.
pub(super) enum Joined {
    Start(Ticket),
    Waiting,
}

impl Jobs {
    pub(super) fn new(messages: mpsc::UnboundedSender<Message>) -> Jobs {
        Jobs {
            entries: Mutex::new(HashMap::new()),
            next_generation: AtomicU64::new(0),
            newest_taken: AtomicU64::new(0),
            messages,
        }
    }

    pub(super) fn send(&self, message: Message) {
        // The receiver is gone only when the app is quitting; nothing left to tell.
        let _ = self.messages.send(message);
    }

    /// The app is gone (quitting): background readers stop.
    pub(super) fn closed(&self) -> bool {
        self.messages.is_closed()
    }

    /// Adds `id` to the job running for `key`, or registers a new job and hands back the ticket
    /// that will answer it.
    pub(super) fn join(
        self: &std::sync::Arc<Self>,
        key: JobKey,
        id: RequestId,
        owner: Option<String>,
    ) -> Joined {
        let mut entries = lock(&self.entries);
        self.newest_taken.fetch_max(id.0, Ordering::Relaxed);
        if let Some(entry) = entries.get_mut(&key) {
            entry.waiters.push(id);
            return Joined::Waiting;
        }
        let generation = self.next_generation.fetch_add(1, Ordering::Relaxed);
        entries.insert(
            key.clone(),
            Entry {
                generation,
                waiters: vec![id],
                owner,
                abort: None,
            },
        );
        Joined::Start(Ticket {
            jobs: self.clone(),
            key,
            generation,
            finished: false,
        })
    }

    /// Whether a job took `id` (so it answers it, or has): false for a request the worker was
    /// handling when it panicked, before any job took it.
    pub(super) fn took(&self, id: RequestId) -> bool {
        self.newest_taken.load(Ordering::Relaxed) >= id.0
    }

    /// Remembers how to abort the task running a ticket's job.
    pub(super) fn set_abort(&self, key: &JobKey, generation: u64, handle: AbortHandle) {
        if let Some(entry) = lock(&self.entries).get_mut(key)
            && entry.generation == generation
        {
            entry.abort = Some(handle);
        }
    }

    /// The newest selection wins: aborts every job that belongs to a process not in `keep` (the
    /// selection, and the review desk's prefetch) and answers its requests cancelled. Jobs
    /// without an owner (pages, details, saves) are left alone.
    pub(super) fn cancel_all_but(&self, keep: &[Option<&str>]) {
        let taken: Vec<Entry> = {
            let mut entries = lock(&self.entries);
            let doomed: Vec<JobKey> = entries
                .iter()
                .filter(|(_, e)| e.owner.as_deref().is_some_and(|o| !keep.contains(&Some(o))))
                .map(|(k, _)| k.clone())
                .collect();
            doomed.iter().filter_map(|k| entries.remove(k)).collect()
        };
        for entry in taken {
            if let Some(handle) = &entry.abort {
                handle.abort();
            }
            for id in entry.waiters {
                self.send(Message::Cancelled { id });
            }
        }
    }

    /// Takes the entry of this generation of `key`, if it is still there.
    fn take(&self, key: &JobKey, generation: u64) -> Option<Vec<RequestId>> {
        let mut entries = lock(&self.entries);
        if entries.get(key)?.generation != generation {
            return None;
        }
        entries.remove(key).map(|e| e.waiters)
    }
}

/// The right and the duty to answer one job's requests. Finishing answers them with the job's
/// outcome; dropping it unfinished (the task was aborted or panicked) answers them cancelled.
pub(super) struct Ticket {
    jobs: std::sync::Arc<Jobs>,
    key: JobKey,
    generation: u64,
    finished: bool,
}

impl Ticket {
    pub(super) fn key(&self) -> &JobKey {
        &self.key
    }

    pub(super) fn generation(&self) -> u64 {
        self.generation
    }

    /// Answers every request waiting on the job, each with its own id. Nothing is sent when the
    /// job was already cancelled (its requests have had their answer).
    pub(super) fn finish(mut self, answer: impl Fn(RequestId) -> Message) {
        self.finished = true;
        for id in self
            .jobs
            .take(&self.key, self.generation)
            .unwrap_or_default()
        {
            self.jobs.send(answer(id));
        }
    }
}

impl Drop for Ticket {
    fn drop(&mut self) {
        if self.finished {
            return;
        }
        for id in self
            .jobs
            .take(&self.key, self.generation)
            .unwrap_or_default()
        {
            self.jobs.send(Message::Cancelled { id });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn jobs() -> (Arc<Jobs>, mpsc::UnboundedReceiver<Message>) {
        let (tx, rx) = mpsc::unbounded_channel();
        (Arc::new(Jobs::new(tx)), rx)
    }

    fn answered(rx: &mut mpsc::UnboundedReceiver<Message>) -> Vec<(RequestId, bool)> {
        std::iter::from_fn(|| rx.try_recv().ok())
            .map(|m| {
                let cancelled = matches!(m, Message::Cancelled { .. });
                (m.answers().expect("an answer"), cancelled)
            })
            .collect()
    }

    #[test]
    fn a_job_answers_everyone_waiting_on_it_once() {
        let (jobs, mut rx) = jobs();
        let key = JobKey::Result("P".into());
        let Joined::Start(ticket) = jobs.join(key.clone(), RequestId(1), Some("P".into())) else {
            panic!("the first request starts the job");
        };
        assert!(matches!(
            jobs.join(key, RequestId(2), Some("P".into())),
            Joined::Waiting
        ));
        ticket.finish(|id| Message::Cancelled { id });
        assert_eq!(
            answered(&mut rx),
            [(RequestId(1), true), (RequestId(2), true)]
        );
    }

    #[test]
    fn a_cancelled_job_is_not_answered_again_when_its_task_ends() {
        let (jobs, mut rx) = jobs();
        let Joined::Start(old) =
            jobs.join(JobKey::Result("A".into()), RequestId(1), Some("A".into()))
        else {
            panic!()
        };
        let Joined::Start(kept) =
            jobs.join(JobKey::Result("B".into()), RequestId(2), Some("B".into()))
        else {
            panic!()
        };
        let Joined::Start(unowned) = jobs.join(JobKey::Save(RequestId(3)), RequestId(3), None)
        else {
            panic!()
        };
        jobs.cancel_all_but(&[Some("B")]);
        assert_eq!(answered(&mut rx), [(RequestId(1), true)]);
        // The aborted task finishing (or being dropped) later sends nothing more.
        old.finish(|id| Message::Cancelled { id });
        assert!(answered(&mut rx).is_empty());
        // A new request for A is a new job, not confused with the cancelled one.
        let Joined::Start(again) = jobs.join(JobKey::Result("A".into()), RequestId(4), None) else {
            panic!("the cancelled job left the table")
        };
        drop((kept, unowned, again));
        let mut rest = answered(&mut rx);
        rest.sort();
        assert_eq!(
            rest,
            [
                (RequestId(2), true),
                (RequestId(3), true),
                (RequestId(4), true)
            ],
            "dropped tickets answer cancelled"
        );
    }

    #[tokio::test]
    async fn a_task_that_panics_still_answers_cancelled() {
        let (jobs, mut rx) = jobs();
        let Joined::Start(ticket) = jobs.join(JobKey::Details("V".into()), RequestId(7), None)
        else {
            panic!()
        };
        let task = tokio::spawn(async move {
            let _ticket = ticket;
            panic!("a bug in a fetch");
        });
        assert!(task.await.is_err());
        assert_eq!(answered(&mut rx), [(RequestId(7), true)]);
    }
}
