//! The fetch task: `Request`s in, exactly one answer per request out.
//!
//! Each job runs as its own tokio task so the UI never waits on the network. Rules:
//! - every request is answered exactly once, with its id: done, failed or cancelled (see
//!   [`jobs`] for how an aborted or panicked task still answers);
//! - the newest selection wins: starting a result fetch aborts the result and image fetches of
//!   other processes still running and answers them cancelled (saves are never aborted);
//! - the same request is never in flight twice: a second request for a running job waits on it
//!   and gets the same answer under its own id;
//! - a refresh drops what the worker holds for the process, so it is fetched anew;
//! - an expired image link is refreshed by re-fetching the process result, then retried once,
//!   without the user noticing;
//! - decoding and encoding images runs on the blocking pool, never on the runtime's threads.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use ratatui_image::picker::Picker;
use tokio::sync::mpsc;

use crate::api::model::ProcessResult;
use crate::app::{Job, ListPage, Message, Request, RequestId};
use crate::images::{ByteCache, Limits};

mod images;
mod jobs;
mod people;
#[cfg(test)]
mod tests;

use crate::source::{Pages, Source};
use images::{fetch_image, save_one};
use jobs::{JobKey, Jobs, Joined};

/// What the worker needs besides its channels.
pub struct WorkerOptions {
    pub source: Source,
    /// `None` when images are off.
    pub picker: Option<Picker>,
    pub download_dir: PathBuf,
}

/// Starts the worker on the current runtime; send it requests, read their answers (and news)
/// from `messages`. Every request is answered exactly once.
pub fn spawn(
    opts: WorkerOptions,
    messages: mpsc::UnboundedSender<Message>,
) -> mpsc::UnboundedSender<Request> {
    let (tx, rx) = mpsc::unbounded_channel::<Request>();
    let jobs = Arc::new(Jobs::new(messages));
    if let Some(archive) = opts.source.local_archive() {
        people::spawn(archive.clone(), jobs.clone());
    }
    let shared = Arc::new(Shared {
        pages: tokio::sync::Mutex::new(Some(opts.source.pages())),
        source: opts.source,
        picker: opts.picker,
        download_dir: opts.download_dir,
        bytes: Mutex::new(ByteCache::default()),
        latest: Mutex::new(HashMap::new()),
        jobs: jobs.clone(),
        limits: Limits::default(),
        save_lane: tokio::sync::Mutex::new(()),
    });
    let worker = Worker {
        shared,
        jobs: jobs.clone(),
        selected: Mutex::new(None),
        prefetched: Mutex::new(None),
    };
    tokio::spawn(serve(rx, jobs, move |request| worker.handle(request)));
    tx
}

/// Hands each request to `handle` until the app is gone. Should `handle` panic (a bug), the
/// loop ends, but no request is left waiting: the one it was handling (unless a job took it,
/// which answers it) and those still queued are answered [`Message::WorkerStopped`] as the
/// unwinding drops the channel's end, closed first, so the runtime answers every later request
/// itself (`tui::Outbox`).
async fn serve(
    requests: mpsc::UnboundedReceiver<Request>,
    jobs: Arc<Jobs>,
    handle: impl Fn(Request),
) {
    let mut inbox = Inbox {
        requests,
        jobs,
        handling: None,
    };
    while let Some(request) = inbox.requests.recv().await {
        inbox.handling = Some(request.id);
        handle(request);
        inbox.handling = None;
    }
}

/// The worker's end of the request channel; see [`serve`].
struct Inbox {
    requests: mpsc::UnboundedReceiver<Request>,
    jobs: Arc<Jobs>,
    /// The request being handled: still set when handling it panicked.
    handling: Option<RequestId>,
}

impl Drop for Inbox {
    fn drop(&mut self) {
        if let Some(id) = self.handling.take()
            && !self.jobs.took(id)
        {
            self.jobs.send(Message::WorkerStopped { id });
        }
        // Closed first: nothing more can be queued, so what the drain finds is all there is.
        self.requests.close();
        while let Ok(Request { id, .. }) = self.requests.try_recv() {
            self.jobs.send(Message::WorkerStopped { id });
        }
    }
}

struct Shared {
    source: Source,
    pages: tokio::sync::Mutex<Option<Pages>>,
    picker: Option<Picker>,
    download_dir: PathBuf,
    bytes: Mutex<ByteCache>,
    /// The newest result per process, for fresh image links.
    latest: Mutex<HashMap<String, Arc<ProcessResult>>>,
    jobs: Arc<Jobs>,
    limits: Limits,
    /// Held by the save running now: saves go one after another, in the order asked, so two
    /// saves of one image get distinct names and a save-all downloads one file at a time.
    save_lane: tokio::sync::Mutex<()>,
}

impl Shared {
    /// News that answers no request (fresh links fetched on the worker's own account).
    fn send(&self, message: Message) {
        self.jobs.send(message);
    }

    fn remember(&self, process_id: &str, result: Arc<ProcessResult>) {
        let mut latest = lock(&self.latest);
        if latest.len() >= 64 && !latest.contains_key(process_id) {
            latest.clear();
        }
        latest.insert(process_id.to_owned(), result);
    }

    /// A refresh: drops the image bytes and the newest result kept for a process, so its next
    /// fetches go to the server.
    fn forget(&self, process_id: &str) {
        lock(&self.bytes).remove_process(process_id);
        lock(&self.latest).remove(process_id);
    }
}

struct Worker {
    shared: Arc<Shared>,
    jobs: Arc<Jobs>,
    /// The process of the newest result fetch (the reviewer's selection).
    selected: Mutex<Option<String>>,
    /// The review desk's look-ahead process, kept alive across selection changes.
    prefetched: Mutex<Option<String>>,
}

impl Worker {
    fn handle(&self, Request { id, job }: Request) {
        match job {
            Job::LoadPage => self.run(
                JobKey::Page(id),
                id,
                None,
                load_page(self.shared.clone()),
                |id, result| Message::Page { id, result },
            ),
            Job::Watch { known } => self.run(
                JobKey::Watch(id),
                id,
                None,
                watch_poll(self.shared.clone(), known),
                |id, result| Message::Watched { id, result },
            ),
            Job::FetchResult {
                process_id,
                refresh,
            } => {
                // A refresh drops the bytes and links kept for the process. A fetch of it already
                // running is joined: it is on the wire, so its answer is as fresh as a new one.
                if refresh {
                    self.shared.forget(&process_id);
                }
                // The newest selection wins: what runs for any other process is given up (but
                // the review desk's prefetch, which the reviewer is about to advance onto).
                *lock(&self.selected) = Some(process_id.clone());
                let prefetched = lock(&self.prefetched).clone();
                self.jobs
                    .cancel_all_but(&[Some(process_id.as_str()), prefetched.as_deref()]);
                self.run_result(id, process_id);
            }
            Job::FetchDetails { validation_id, .. } => {
                let fetch = fetch_details(self.shared.clone(), validation_id.clone());
                self.run(
                    JobKey::Details(validation_id),
                    id,
                    None,
                    fetch,
                    |id, result| Message::Details { id, result },
                );
            }
            Job::FetchImage {
                request,
                area,
                view,
            } => {
                let owner = request.key.process_id.clone();
                let key = JobKey::Image(request.key.clone(), area, view);
                let fetch = fetch_image(self.shared.clone(), request, area, view);
                self.run(key, id, Some(owner), fetch, |id, result| Message::Image {
                    id,
                    result,
                });
            }
            Job::Save { request } => {
                let save = save_one(self.shared.clone(), request);
                self.run(JobKey::Save(id), id, None, save, |id, result| {
                    Message::Saved { id, result }
                });
            }
            Job::Prefetch { process_id } => {
                // The review desk's look-ahead: it does not select. It survives selection changes
                // (see `FetchResult`) until a newer prefetch replaces it: then what ran for the
                // old one is given up, unless it is what the reviewer has open now.
                let old = lock(&self.prefetched).replace(process_id.clone());
                if old.as_ref().is_some_and(|o| *o != process_id) {
                    let selected = lock(&self.selected).clone();
                    self.jobs
                        .cancel_all_but(&[Some(process_id.as_str()), selected.as_deref()]);
                }
                self.run_result(id, process_id);
            }
            // Sent straight to the review desk's thread (`tui::Outbox`), never here.
            Job::Review(_) => self.jobs.send(Message::Cancelled { id }),
        }
    }

    /// A process's result, fetched for a selection or a prefetch alike: one job per process, so
    /// an advance onto a prefetched process joins the fetch already on the wire.
    fn run_result(&self, id: RequestId, process_id: String) {
        let fetch = fetch_result(self.shared.clone(), process_id.clone());
        self.run(
            JobKey::Result(process_id.clone()),
            id,
            Some(process_id),
            fetch,
            |id, result| Message::Result { id, result },
        );
    }

    /// Runs a job as its own task, or lets `id` wait on the same job already running. The
    /// task's ticket answers every waiting request once, whether the job ends, fails, is aborted
    /// or panics.
    fn run<T, Fut>(
        &self,
        key: JobKey,
        id: RequestId,
        owner: Option<String>,
        work: Fut,
        answer: fn(RequestId, T) -> Message,
    ) where
        T: Clone + Send + 'static,
        Fut: Future<Output = T> + Send + 'static,
    {
        let Joined::Start(ticket) = self.jobs.join(key, id, owner) else {
            return;
        };
        let (key, generation) = (ticket.key().clone(), ticket.generation());
        let handle = tokio::spawn(async move {
            let outcome = work.await;
            ticket.finish(|id| answer(id, outcome.clone()));
        });
        self.jobs.set_abort(&key, generation, handle.abort_handle());
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panicking task cannot leave these maps half-updated in a way that matters; keep going.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

async fn load_page(shared: Arc<Shared>) -> Result<ListPage, crate::api::ApiError> {
    let mut pages = shared.pages.lock().await;
    let Some(walker) = pages.as_mut() else {
        return Ok(ListPage::default());
    };
    match walker.next().await {
        Some(Ok(page)) => Ok(ListPage {
            items: page.items,
            more: walker.has_more(),
            skipped: page.skipped,
        }),
        Some(Err(error)) => Err(error),
        None => Ok(ListPage::default()),
    }
}

/// Most pages a watch poll reads before it gives up looking for a process it knows.
const WATCH_MAX_PAGES: usize = 20;

/// A `--watch` poll: the list from its first page, on a fresh walker (the loading one is left
/// alone). The API's list is newest first (docs/truora-api.md), so reading stops at the first
/// page holding a known process; an ids list has no such order and is read whole, which the log
/// says. An archive never changes: nothing is read.
async fn watch_poll(
    shared: Arc<Shared>,
    known: Arc<std::collections::HashSet<String>>,
) -> Result<ListPage, crate::api::ApiError> {
    if !shared.source.can_refresh() {
        return Ok(ListPage::default());
    }
    let mut pages = shared.source.pages();
    let ordered = pages.newest_first();
    if !ordered {
        tracing::info!("watch: this list is not newest first, so every page is read");
    }
    let mut items = Vec::new();
    let mut read = 0;
    while let Some(page) = pages.next().await {
        let page = page?;
        read += 1;
        let met_known = page
            .items
            .iter()
            .any(|p| p.process_id.as_ref().is_some_and(|id| known.contains(id)));
        items.extend(page.items);
        if ordered && met_known {
            break;
        }
        if ordered && read >= WATCH_MAX_PAGES {
            tracing::warn!(
                pages = read,
                "watch: no known process in the newest pages; stopped"
            );
            break;
        }
    }
    tracing::debug!(pages = read, rows = items.len(), "watch poll");
    Ok(ListPage {
        items,
        more: false,
        skipped: 0,
    })
}

/// Always from the source: the worker keeps no result cache of its own (the app does), so a
/// fetch that reaches the worker goes to the server.
async fn fetch_result(
    shared: Arc<Shared>,
    process_id: String,
) -> Result<Arc<ProcessResult>, crate::api::ApiError> {
    let result = Arc::new(shared.source.result(&process_id).await?.parsed);
    shared.remember(&process_id, result.clone());
    Ok(result)
}

async fn fetch_details(
    shared: Arc<Shared>,
    validation_id: String,
) -> Result<Arc<crate::api::model::ValidationDetails>, crate::api::ApiError> {
    Ok(Arc::new(
        shared.source.details(&validation_id).await?.parsed,
    ))
}
