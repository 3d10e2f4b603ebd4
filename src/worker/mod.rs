//! The fetch task: `Command`s in, `Message`s out.
//!
//! Each fetch runs as its own tokio task so the UI never waits on the network. Rules:
//! - the newest selection wins: starting a result fetch aborts the result and image fetches of
//!   other processes still running (saves are never aborted);
//! - the same request is never in flight twice;
//! - an expired image link is refreshed by re-fetching the process result, then retried once,
//!   without the user noticing;
//! - decoding and encoding images runs on the blocking pool, never on the runtime's threads.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use ratatui_image::picker::Picker;
use tokio::sync::mpsc;
use tokio::task::AbortHandle;

use crate::api::model::ProcessResult;
use crate::app::{CellSize, Command, ImageKey, Message};
use crate::images::{ByteCache, Limits};

mod images;

use crate::source::{Pages, Source};
pub use images::find_link;
use images::{fetch_image, save_all};

/// What the worker needs besides its channels.
pub struct WorkerOptions {
    pub source: Source,
    /// `None` when images are off.
    pub picker: Option<Picker>,
    pub download_dir: PathBuf,
}

/// Starts the worker on the current runtime; send it commands, read messages from `messages`.
pub fn spawn(
    opts: WorkerOptions,
    messages: mpsc::UnboundedSender<Message>,
) -> mpsc::UnboundedSender<Command> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Command>();
    let shared = Arc::new(Shared {
        pages: tokio::sync::Mutex::new(Some(opts.source.pages())),
        source: opts.source,
        picker: opts.picker,
        download_dir: opts.download_dir,
        bytes: Mutex::new(ByteCache::default()),
        latest: Mutex::new(HashMap::new()),
        messages,
        limits: Limits::default(),
        active: AtomicUsize::new(0),
    });
    tokio::spawn(async move {
        let mut worker = Worker {
            shared,
            selected: None,
            prefetched: None,
            by_process: HashMap::new(),
            running: Arc::new(Mutex::new(HashMap::new())),
            next_generation: 0,
        };
        while let Some(command) = rx.recv().await {
            worker.handle(command);
        }
    });
    tx
}

struct Shared {
    source: Source,
    pages: tokio::sync::Mutex<Option<Pages>>,
    picker: Option<Picker>,
    download_dir: PathBuf,
    bytes: Mutex<ByteCache>,
    /// The newest result per process, for fresh image links.
    latest: Mutex<HashMap<String, Arc<ProcessResult>>>,
    messages: mpsc::UnboundedSender<Message>,
    limits: Limits,
    /// Tasks in flight.
    active: AtomicUsize,
}

impl Shared {
    fn send(&self, message: Message) {
        // The receiver is gone only when the app is quitting; nothing left to tell.
        let _ = self.messages.send(message);
    }

    /// Reports the worker's tasks in flight (fetches, decodes, saves); 0 means the app's pending
    /// requests are all answered or dropped.
    fn busy(&self) {
        self.send(Message::Busy {
            in_flight: self.active.load(Ordering::Relaxed),
        });
    }

    fn remember(&self, process_id: &str, result: Arc<ProcessResult>) {
        let mut latest = lock(&self.latest);
        if latest.len() >= 64 && !latest.contains_key(process_id) {
            latest.clear();
        }
        latest.insert(process_id.to_owned(), result);
    }
}

/// Tasks in flight, by what they fetch.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Job {
    Page,
    Result(String),
    Details(String),
    Image(ImageKey, CellSize),
}

/// An abortable task and the job it runs.
struct Running {
    job: Job,
    generation: u64,
    handle: AbortHandle,
}

struct Worker {
    shared: Arc<Shared>,
    selected: Option<String>,
    /// The review desk's look-ahead process, kept alive across selection changes.
    prefetched: Option<String>,
    /// Abortable tasks per process (results and previews, not saves).
    by_process: HashMap<String, Vec<Running>>,
    /// Jobs in flight, each with the generation of the task running it: an aborted task's
    /// late clean-up must not forget a newer task for the same job.
    running: Arc<Mutex<HashMap<Job, u64>>>,
    next_generation: u64,
}

impl Worker {
    fn handle(&mut self, command: Command) {
        match command {
            Command::LoadPage => self.run(Job::Page, None, load_page),
            Command::FetchResult {
                process_id,
                refresh,
            } => {
                let id = process_id.clone();
                // Start the new fetch before aborting the old ones, so the count of tasks in
                // flight never touches 0 in between (the app reads 0 as "nothing pending").
                self.run(
                    Job::Result(process_id.clone()),
                    Some(process_id.clone()),
                    move |s| fetch_result(s, id, refresh),
                );
                self.select(&process_id);
            }
            Command::Prefetch { process_id } => {
                // The review desk's look-ahead (the next unreviewed process): fetched like a
                // selection's result, but it does not select, so the process on screen keeps
                // its fetches; see `prefetch` for how long it lives.
                self.prefetch(&process_id);
                let id = process_id.clone();
                self.run(
                    Job::Result(process_id.clone()),
                    Some(process_id),
                    move |s| fetch_result(s, id, false),
                );
            }
            Command::FetchDetails { validation_id, .. } => {
                let id = validation_id.clone();
                self.run(Job::Details(validation_id), None, move |s| {
                    fetch_details(s, id)
                });
            }
            Command::FetchImage { request, area } => {
                let owner = request.key.process_id.clone();
                let job = Job::Image(request.key.clone(), area);
                self.run(job, Some(owner), move |s| fetch_image(s, request, area));
            }
            Command::Save { requests } => {
                let guard = JobGuard::new(self.shared.clone(), self.running.clone(), None);
                let fut = save_all(self.shared.clone(), requests);
                tokio::spawn(async move {
                    let _guard = guard;
                    fut.await;
                });
            }
            // Carried out by the runtime on the terminal; the review desk has its own task.
            Command::Copy(_) | Command::Quit | Command::Review { .. } => {}
        }
    }

    /// The newest selection wins: abort what runs for any other process (but the prefetch).
    fn select(&mut self, process_id: &str) {
        if self.selected.as_deref() == Some(process_id) {
            return;
        }
        self.selected = Some(process_id.to_owned());
        let keep = [Some(process_id.to_owned()), self.prefetched.clone()];
        self.abort_all_but(&keep);
    }

    /// A prefetch survives selection changes (the reviewer advancing onto it must find its
    /// fetches still running, not restarted) until a newer prefetch replaces it: then its
    /// tasks are aborted unless it is the selection.
    fn prefetch(&mut self, process_id: &str) {
        if self.prefetched.as_deref() == Some(process_id) {
            return;
        }
        self.prefetched = Some(process_id.to_owned());
        // Every other owner's tasks were aborted by `select` already, so this drops exactly
        // the old prefetch (unless it is the selection).
        let keep = [Some(process_id.to_owned()), self.selected.clone()];
        self.abort_all_but(&keep);
    }

    fn abort_all_but(&mut self, keep: &[Option<String>]) {
        let running = &self.running;
        self.by_process.retain(|owner, tasks| {
            if keep.iter().any(|k| k.as_deref() == Some(owner.as_str())) {
                return true;
            }
            let mut jobs = lock(running);
            for task in tasks.iter() {
                task.handle.abort();
                // Forget the job now, not when the runtime gets round to dropping the task: a
                // quick A → B → A must be able to fetch A again at once.
                if jobs.get(&task.job) == Some(&task.generation) {
                    jobs.remove(&task.job);
                }
            }
            false
        });
    }

    fn run<F, Fut>(&mut self, job: Job, owner: Option<String>, make: F)
    where
        F: FnOnce(Arc<Shared>) -> Fut,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let generation = self.next_generation;
        {
            let mut jobs = lock(&self.running);
            if jobs.contains_key(&job) {
                return;
            }
            self.next_generation += 1;
            jobs.insert(job.clone(), generation);
        }
        let guard = JobGuard::new(
            self.shared.clone(),
            self.running.clone(),
            Some((job.clone(), generation)),
        );
        let fut = make(self.shared.clone());
        let handle = tokio::spawn(async move {
            // Dropped when the task ends or is aborted: the job can run again, and the app
            // hears how much is still in flight.
            let _guard = guard;
            fut.await;
        });
        if let Some(owner) = owner {
            let tasks = self.by_process.entry(owner).or_default();
            tasks.retain(|t| !t.handle.is_finished());
            tasks.push(Running {
                job,
                generation,
                handle: handle.abort_handle(),
            });
        }
    }
}

/// Counts a task as in flight for as long as it lives, aborted or not.
struct JobGuard {
    shared: Arc<Shared>,
    running: Arc<Mutex<HashMap<Job, u64>>>,
    job: Option<(Job, u64)>,
}

impl JobGuard {
    fn new(
        shared: Arc<Shared>,
        running: Arc<Mutex<HashMap<Job, u64>>>,
        job: Option<(Job, u64)>,
    ) -> Self {
        shared.active.fetch_add(1, Ordering::Relaxed);
        shared.busy();
        JobGuard {
            shared,
            running,
            job,
        }
    }
}

impl Drop for JobGuard {
    fn drop(&mut self) {
        if let Some((job, generation)) = &self.job {
            let mut jobs = lock(&self.running);
            if jobs.get(job) == Some(generation) {
                jobs.remove(job);
            }
        }
        self.shared.active.fetch_sub(1, Ordering::Relaxed);
        self.shared.busy();
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking task cannot leave these maps half-updated in a way that matters; keep going.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn load_page(shared: Arc<Shared>) {
    let mut pages = shared.pages.lock().await;
    let Some(walker) = pages.as_mut() else {
        return;
    };
    match walker.next().await {
        Some(Ok(page)) => {
            let more = walker.has_more();
            shared.send(Message::Page {
                items: page.items,
                more,
                skipped: page.skipped,
            });
        }
        Some(Err(error)) => shared.send(Message::PageFailed { error }),
        None => shared.send(Message::Page {
            items: Vec::new(),
            more: false,
            skipped: 0,
        }),
    }
}

async fn fetch_result(shared: Arc<Shared>, process_id: String, _refresh: bool) {
    // The worker keeps no result cache of its own (the app does), so every fetch is fresh.
    match shared.source.result(&process_id).await {
        Ok(fetched) => {
            let result = Arc::new(fetched.parsed);
            shared.remember(&process_id, result.clone());
            shared.send(Message::Result { process_id, result });
        }
        Err(error) => shared.send(Message::ResultFailed { process_id, error }),
    }
}

async fn fetch_details(shared: Arc<Shared>, validation_id: String) {
    match shared.source.details(&validation_id).await {
        Ok(fetched) => shared.send(Message::Details {
            validation_id,
            details: Arc::new(fetched.parsed),
        }),
        Err(error) => shared.send(Message::DetailsFailed {
            validation_id,
            error,
        }),
    }
}
