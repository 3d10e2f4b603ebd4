//! The producer side of the export: the process list (or the ids file) read page by page,
//! filtered, written to `processes.jsonl` as received, and handed to the driver through a
//! bounded channel, so listing runs only a little ahead of exporting.

use std::collections::{HashMap, HashSet};
use std::io::{BufWriter, Write};
use std::sync::Arc;

use tokio::sync::mpsc;

use super::layout::{PROCESSES, TempFile};
use super::manifest::ListInfo;
use super::pipeline::Ctx;
use super::process::Job;
use super::progress::Event;
use super::resume::Prior;

/// Reads the list (or the ids), writes `processes.jsonl`, and sends each process not already
/// complete to the driver.
pub(crate) async fn list(
    ctx: Arc<Ctx>,
    mut prior: HashMap<String, Prior>,
    tx: mpsc::Sender<Job>,
) -> ListInfo {
    let mut info = ListInfo::default();
    let target = ctx.dir.join(PROCESSES);
    let temp = match TempFile::create(&target) {
        Ok(t) => t,
        Err(e) => {
            info.error = Some(format!("cannot write {}: {e}", target.display()));
            return info;
        }
    };
    let mut out = BufWriter::new(&temp.file);
    let mut seen = HashSet::new();
    let mut write_error = None;
    let mut offer = |id: String, raw: &serde_json::Value, info: &mut ListInfo| -> Option<Job> {
        if !seen.insert(id.clone()) {
            return None;
        }
        let mut line = serde_json::to_vec(raw).unwrap_or_default();
        line.push(b'\n');
        if let Err(e) = out.write_all(&line) {
            write_error.get_or_insert(e.to_string());
        }
        info.items += 1;
        match prior.remove(&id) {
            Some(Prior::Complete) => {
                ctx.report(Event::Listed { added: 1 });
                ctx.report(Event::ProcessDone {
                    process_id: &id,
                    skipped: true,
                    error: None,
                });
                None
            }
            Some(Prior::Partial(reuse)) => Some(Job {
                process_id: id,
                reuse,
            }),
            None => Some(Job {
                process_id: id,
                reuse: Vec::new(),
            }),
        }
    };
    let mut jobs = Vec::new();
    if let Some(ids) = &ctx.opts.ids {
        info.complete = true;
        for chunk in ids.ids.chunks(64) {
            for id in chunk {
                let raw = serde_json::json!({ "process_id": id });
                jobs.extend(offer(id.clone(), &raw, &mut info));
            }
            if !send(&ctx, &tx, &mut jobs).await {
                info.complete = false;
                break;
            }
        }
    } else {
        let mut pages = ctx.client.pages();
        loop {
            let page = tokio::select! {
                page = pages.next() => page,
                () = ctx.stop.stopped() => break,
            };
            match page {
                None => {
                    info.complete = true;
                    break;
                }
                Some(Err(e)) => {
                    info.error = Some(e.to_string());
                    break;
                }
                Some(Ok(page)) => {
                    info.not_processes += page.skipped as u64;
                    for (item, raw) in page.items.iter().zip(&page.raw_items) {
                        let Some(id) = item.process_id.clone().filter(|s| !s.is_empty()) else {
                            info.not_processes += 1;
                            continue;
                        };
                        if ctx.opts.filter.verdict(item) != super::Verdict::Keep {
                            info.filtered_out += 1;
                            continue;
                        }
                        jobs.extend(offer(id, raw, &mut info));
                    }
                }
            }
            if !send(&ctx, &tx, &mut jobs).await {
                break;
            }
        }
    }
    send(&ctx, &tx, &mut jobs).await;
    if info.complete {
        ctx.report(Event::ListDone { total: info.items });
    }
    let flushed = out
        .into_inner()
        .map(|_| ())
        .map_err(|e| e.into_error().to_string());
    if let Some(e) = write_error.or(flushed.err()) {
        info.error
            .get_or_insert(format!("cannot write {PROCESSES}: {e}"));
    } else if info.complete || !target.exists() {
        // A partial list replaces no complete one from an earlier run.
        if let Err(e) = temp.commit(&target) {
            info.error
                .get_or_insert(format!("cannot write {PROCESSES}: {e}"));
        }
    }
    info
}

/// Hands queued jobs to the driver; `false` once stopped.
async fn send(ctx: &Ctx, tx: &mpsc::Sender<Job>, jobs: &mut Vec<Job>) -> bool {
    if !jobs.is_empty() {
        ctx.report(Event::Listed {
            added: jobs.len() as u64,
        });
    }
    for job in jobs.drain(..) {
        let sent = tokio::select! {
            sent = tx.send(job) => sent.is_ok(),
            () = ctx.stop.stopped() => false,
        };
        if !sent {
            return false;
        }
    }
    !ctx.stop.is_stopped()
}
