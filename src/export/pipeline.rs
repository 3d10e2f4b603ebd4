//! The export's moving parts: a lister feeding a bounded channel, a bounded set of process tasks
//! draining it, and one driver that journals each finished process and reports progress.
//!
//! Only the driver writes the journal (on the blocking pool, each record synced), so records
//! never interleave. Stopping: the lister stops reading pages, queued processes are not started,
//! running ones give up at their next request (files being written are finished first) and are
//! journaled as `interrupted` with the files they wrote, then the manifest is written as for any
//! other end. A fatal error ends the run the same way and is returned with the summary.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::api::{ApiError, Client};

use super::format::{self, Head, ListInfo, ProcessState, Record, RunState};
use super::manifest::{self, Journal};
use super::process::{self, Job, Outcome};
use super::progress::{Event, Progress, Snapshot, Tally};
use super::{Counts, ExportError, ExportOptions, ExportSummary, Stop, StopHandle};
use super::{request, resume};
use crate::fsx::{FsError, PrivateDir};

/// What every process task shares.
pub(crate) struct Ctx {
    pub client: Client,
    pub dir: PathBuf,
    /// `dir`, opened once: every file is written from it, never through a link below it.
    pub root: PrivateDir,
    pub opts: ExportOptions,
    /// Fires on the caller's stop and on a fatal error.
    pub stop: Stop,
    fatal_stop: StopHandle,
    reporter: Arc<dyn Progress>,
    tally: Tally,
}

/// Why a step of a process did not produce its file.
pub(crate) enum Fail {
    Stopped,
    Api(ApiError),
    /// The image host has no such object (404): deleted at Truora, a re-run will not help.
    Gone {
        what: String,
    },
    /// An empty body, or bytes in no image format behind a picture link.
    NotAPicture {
        what: String,
        detail: String,
    },
    /// A re-signed link points to another object than the result the files were planned from.
    Changed {
        what: String,
    },
    /// Two ids of the export map to one folder name; `owner` has it.
    FolderTaken {
        folder: String,
        owner: String,
    },
    Io {
        path: PathBuf,
        source: io::Error,
    },
    /// A link, or a folder of another user, where a folder or file of the process should be.
    Refused(FsError),
}

impl From<FsError> for Fail {
    fn from(e: FsError) -> Fail {
        match e {
            FsError::Io { path, source } => Fail::Io { path, source },
            other => Fail::Refused(other),
        }
    }
}

impl fmt::Display for Fail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fail::Stopped => f.write_str("stopped before it was fetched"),
            Fail::Api(e) => write!(f, "{e}"),
            Fail::Gone { what } => write!(
                f,
                "{what}: the image host has no such file (404): Truora no longer keeps it, so re-running the export will not fetch it"
            ),
            Fail::NotAPicture { what, detail } => write!(
                f,
                "{what}: the image host sent {detail}, not a picture; run the export again to retry it"
            ),
            Fail::Changed { what } => write!(
                f,
                "{what}: the process changed while it was exported (its new result links another file); run the export again"
            ),
            Fail::FolderTaken { folder, owner } => write!(
                f,
                "its folder name {folder} is already used by process {} (two ids map to one name), so it was not exported; please report it",
                crate::api::client::short(owner)
            ),
            Fail::Io { path, source } => write!(
                f,
                "cannot write {}: {source}; check free space and permissions of the --out folder",
                path.display()
            ),
            Fail::Refused(e) => write!(f, "{e}"),
        }
    }
}

impl Ctx {
    pub fn report(&self, event: Event<'_>) -> Snapshot {
        let now = self.tally.count(&event);
        self.reporter.event(event, &now);
        now
    }

    /// One API call that gives up when the export is stopped. A rate-limited call (the client
    /// already retried it) is tried again after a growing pause, a few more rounds.
    pub async fn call<T, F, Fut>(&self, mut f: F) -> Result<T, Fail>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let mut round = 0;
        loop {
            let outcome = tokio::select! {
                outcome = f() => outcome,
                () = self.stop.stopped() => return Err(Fail::Stopped),
            };
            match outcome {
                Err(ApiError::RateLimited { .. }) if round < self.opts.rate_limit_rounds => {
                    round += 1;
                    let pause = self.opts.rate_limit_pause.saturating_mul(round);
                    tokio::select! {
                        () = tokio::time::sleep(pause) => {}
                        () = self.stop.stopped() => return Err(Fail::Stopped),
                    }
                }
                Err(e) => return Err(Fail::Api(e)),
                Ok(v) => return Ok(v),
            }
        }
    }
}

pub(crate) async fn run(
    client: Client,
    opts: ExportOptions,
    reporter: Arc<dyn Progress>,
    stop: Stop,
) -> Result<ExportSummary, ExportError> {
    let started = Instant::now();
    let dir = opts.out.clone();
    let mut head = head(&opts);
    let (prep_opts, prep_head) = (opts.clone(), head.clone());
    let prepared = tokio::task::spawn_blocking(move || resume::prepare(&prep_opts, &prep_head))
        .await
        .map_err(|e| ExportError::io(&dir, io::Error::other(e.to_string())))??;
    let mut journal = Some(prepared.journal);
    let (fatal_stop, inner_stop) = Stop::new();
    let forward = {
        let (user, inner) = (stop.clone(), fatal_stop.clone());
        tokio::spawn(async move {
            user.stopped().await;
            inner.stop();
        })
    };
    let ctx = Arc::new(Ctx {
        client,
        dir: dir.clone(),
        root: prepared.root.clone(),
        stop: inner_stop,
        fatal_stop,
        reporter,
        tally: Tally::default(),
        opts,
    });
    for warning in &prepared.warnings {
        ctx.report(Event::Warning(warning));
    }

    let (tx, mut rx) = mpsc::channel::<Job>(ctx.opts.concurrency.max(1) * 4);
    let lister = tokio::spawn(super::list::list(ctx.clone(), prepared.prior, tx));
    let max_tasks = ctx.opts.concurrency.max(1) * 2;
    let mut tasks = JoinSet::new();
    let mut ids = HashMap::new();
    let mut failed = Vec::new();
    let mut missing = Vec::new();
    let mut fatal: Option<ExportError> = None;
    let mut open = true;
    loop {
        tokio::select! {
            biased;
            Some(joined) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                let (task_id, outcome) = match joined {
                    Ok((task_id, outcome)) => (task_id, Ok(outcome)),
                    Err(e) => (e.id(), Err(e)),
                };
                let process_id: String = ids.remove(&task_id).unwrap_or_default();
                let outcome = match outcome {
                    Ok(outcome) => outcome,
                    Err(e) => {
                        // A bug, not the server: not journaled, so the next run tries again.
                        let error = format!("internal error ({e}); please report it");
                        ctx.report(Event::ProcessDone { process_id: &process_id, skipped: false, error: Some(&error) });
                        failed.push((process_id, error));
                        continue;
                    }
                };
                let Outcome::Done { record, fatal: this_fatal } = outcome else { continue };
                let record = match append(&mut journal, record).await {
                    Ok(record) => record,
                    Err(e) => {
                        fatal.get_or_insert(ExportError::io(dir.join(format::JOURNAL), e));
                        stop_all(&ctx);
                        continue;
                    }
                };
                match record.state {
                    // Not done: journaled only so the next run reuses what it wrote.
                    ProcessState::Interrupted => {}
                    ProcessState::Failed => {
                        let error = record.error.clone().unwrap_or_else(|| "failed".into());
                        ctx.report(Event::ProcessDone { process_id: &process_id, skipped: false, error: Some(&error) });
                        failed.push((process_id, error));
                    }
                    ProcessState::Complete => {
                        let gone = record.missing.iter().filter(|m| m.permanent);
                        missing.extend(gone.map(|m| (process_id.clone(), m.error.clone())));
                        ctx.report(Event::ProcessDone { process_id: &process_id, skipped: false, error: None });
                    }
                }
                if let Some(e) = this_fatal {
                    fatal.get_or_insert(e);
                    stop_all(&ctx);
                }
            }
            job = rx.recv(), if open && tasks.len() < max_tasks => match job {
                Some(_) if ctx.stop.is_stopped() => {}
                Some(job) => {
                    let id = job.process_id.clone();
                    let handle = tasks.spawn(process::export(ctx.clone(), job));
                    ids.insert(handle.id(), id);
                }
                None => open = false,
            },
            else => break,
        }
    }
    drop(journal);
    forward.abort();
    let listed = lister.await.unwrap_or_else(|e| ListInfo {
        error: Some(format!("the list reader stopped: {e}")),
        ..ListInfo::default()
    });
    let interrupted = ctx.stop.is_stopped() && fatal.is_none();
    head.state = if interrupted {
        RunState::Interrupted
    } else if !failed.is_empty() || listed.error.is_some() || fatal.is_some() {
        RunState::Incomplete
    } else {
        RunState::Complete
    };
    head.updated_at = crate::date::iso(crate::date::now());
    head.list = listed.clone();
    let finish_dir = dir.clone();
    let mut final_head = head.clone();
    let finished =
        tokio::task::spawn_blocking(move || manifest::finish(&finish_dir, &mut final_head))
            .await
            .unwrap_or_else(|e| {
                Err(io::Error::other(format!(
                    "the manifest writer stopped ({e})"
                )))
            });
    let manifest_written = finished.is_ok();
    if let Err(source) = finished {
        fatal.get_or_insert(ExportError::ManifestNotWritten {
            path: dir.join(format::MANIFEST),
            source,
        });
    }
    drop(prepared.lock);
    let summary = ExportSummary {
        out: dir,
        counts: Counts {
            listed: listed.items,
            ..ctx.tally.snapshot().counts
        },
        failed,
        missing,
        filtered_out: listed.filtered_out,
        undated: listed.undated,
        not_processes: listed.not_processes,
        list_error: listed.error,
        interrupted,
        manifest_written,
        warnings: prepared.warnings,
        elapsed: started.elapsed(),
    };
    match fatal {
        Some(error) => Err(ExportError::Stopped {
            error: Box::new(error),
            summary: Box::new(summary),
        }),
        None => Ok(summary),
    }
}

/// Appends a record to the journal on the blocking pool (the append is synced to disk).
async fn append(journal: &mut Option<Journal>, record: Box<Record>) -> io::Result<Box<Record>> {
    let mut j = journal
        .take()
        .ok_or_else(|| io::Error::other("the journal could not be written earlier"))?;
    let (j, record, written) = tokio::task::spawn_blocking(move || {
        let written = j.append(&record);
        (j, record, written)
    })
    .await
    .map_err(|e| io::Error::other(format!("the journal writer stopped ({e})")))?;
    *journal = Some(j);
    written.map(|()| record)
}

/// A fatal error stops the export the way Ctrl-C does, but is returned as the error.
fn stop_all(ctx: &Ctx) {
    ctx.fatal_stop.stop();
}

fn head(opts: &ExportOptions) -> Head {
    let now = crate::date::iso(crate::date::now());
    Head {
        format: format::FORMAT.into(),
        format_version: format::FORMAT_VERSION,
        tool: env!("CARGO_PKG_NAME").into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        request: request::from_options(opts),
        state: RunState::Running,
        started_at: now.clone(),
        updated_at: now,
        list: ListInfo::default(),
        counts: Default::default(),
        journal: format::JOURNAL.into(),
    }
}
