//! The export's moving parts: a lister feeding a bounded channel, a bounded set of process tasks
//! draining it, and one driver that journals each finished process and reports progress.
//!
//! Only the driver writes the journal (on the blocking pool, each record synced), so records
//! never interleave. Stopping: the lister stops reading pages, queued processes are not started,
//! running ones give up at their next request (files being written are finished first) and are
//! journaled as `interrupted` with the files they wrote, then the manifest is written as for any
//! other end. A fatal error ends the run the same way and is returned with the summary.

use std::collections::HashMap;
use std::io;
use std::sync::Arc;
use std::time::Instant;

use tokio::sync::mpsc;
use tokio::task::JoinSet;

use crate::api::Client;

use super::context::Ctx;
use super::format::{self, Head, ListInfo, ProcessState, Record, RunState};
use super::manifest::{self, Journal};
use super::process::{self, Job, Outcome};
use super::progress::{Event, Progress, Tally};
use super::{Counts, ExportError, ExportOptions, ExportSummary, Stop};
use super::{list, request, resume};

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
    let lister = tokio::spawn(list::list(ctx.clone(), prepared.prior, tx));
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
