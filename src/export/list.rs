//! The producer side of the export: the process list (or the ids file) read page by page,
//! filtered, written to `processes.jsonl` as received, and handed to the driver through a
//! bounded channel, so listing runs only a little ahead of exporting.
//!
//! It also makes sure no two processes share a folder: a process whose id maps to a folder name
//! another process of the archive already has is handed over marked, and fails without touching
//! the folder.

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::api::model::ProcessSummary;

use super::context::Ctx;
use super::format::ListInfo;
use super::layout::{self, PROCESSES};
use super::prior::Prior;
use super::process::Job;
use super::progress::Event;
use crate::fsx::{PrivateDir, TempFile};

/// Reads the list (or the ids), writes `processes.jsonl`, and sends each process not already
/// complete to the driver.
pub(crate) async fn list(
    ctx: Arc<Ctx>,
    prior: HashMap<String, Prior>,
    tx: mpsc::Sender<Job>,
) -> ListInfo {
    let out = match JsonLines::create(ctx.root.clone()).await {
        Ok(out) => out,
        Err(e) => {
            return ListInfo {
                error: Some(format!("cannot write {PROCESSES}: {e}")),
                ..ListInfo::default()
            };
        }
    };
    // Processes of earlier runs keep the folders they wrote to.
    let hashed = prior
        .iter()
        .filter(|(_, p)| p.holds_files())
        .filter_map(|(id, _)| {
            let folder = layout::id_name(id);
            (folder != *id).then(|| (folder, id.clone()))
        })
        .collect();
    let mut lister = Lister {
        ctx: &ctx,
        prior,
        seen: HashSet::new(),
        lost: HashSet::new(),
        hashed,
        out,
        info: ListInfo::default(),
        jobs: Vec::new(),
    };
    if let Some(ids) = &ctx.opts.ids {
        lister.info.complete = true;
        for chunk in ids.ids.chunks(64) {
            for id in chunk {
                let raw = serde_json::json!({ "process_id": id });
                lister.offer(id.clone(), &raw, None);
            }
            if !lister.send(&tx).await {
                lister.info.complete = false;
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
                    lister.info.complete = true;
                    break;
                }
                Some(Err(e)) => {
                    lister.info.error = Some(e.to_string());
                    break;
                }
                Some(Ok(page)) => {
                    lister.info.not_processes += page.skipped as u64;
                    for (item, raw) in page.items.iter().zip(&page.raw_items) {
                        lister.item(item, raw);
                    }
                }
            }
            if !lister.send(&tx).await {
                break;
            }
        }
    }
    lister.send(&tx).await;
    let Lister { mut info, out, .. } = lister;
    if info.complete {
        ctx.report(Event::ListDone { total: info.items });
    }
    if info.undated > 0 {
        ctx.report(Event::Warning(&format!(
            "{} list items have no readable creation_date, so --since/--until left them out",
            info.undated
        )));
    }
    if let Err(e) = out.finish(info.complete).await {
        info.error
            .get_or_insert(format!("cannot write {PROCESSES}: {e}"));
    }
    info
}

struct Lister<'a> {
    ctx: &'a Ctx,
    prior: HashMap<String, Prior>,
    seen: HashSet<String>,
    /// Folder → id, for ids whose folder is not the id itself (hashed names). An id that is a
    /// safe name is its own folder, so `seen` and `prior` say who has those: real Truora ids
    /// need no entry here, and memory stays flat.
    hashed: HashMap<String, String>,
    /// Ids of this run that did not get their folder (another id has it).
    lost: HashSet<String>,
    out: JsonLines,
    info: ListInfo,
    /// Jobs of the current page, not yet handed over.
    jobs: Vec<Job>,
}

impl Lister<'_> {
    /// One list item: filtered, then offered.
    fn item(&mut self, item: &ProcessSummary, raw: &serde_json::Value) {
        let Some(id) = item.process_id.clone().filter(|s| !s.is_empty()) else {
            self.info.not_processes += 1;
            return;
        };
        match self.ctx.opts.filter.verdict(item) {
            super::Verdict::Keep => {
                let status = item.status.as_ref().map(|s| s.as_str().to_owned());
                self.offer(id, raw, status.as_deref());
            }
            super::Verdict::Drop => self.info.filtered_out += 1,
            super::Verdict::NoDate => self.info.undated += 1,
        }
    }

    /// A process in scope: recorded in `processes.jsonl`, skipped if an earlier run completed
    /// it (and its status is unchanged), else queued with what it may reuse.
    fn offer(&mut self, id: String, raw: &serde_json::Value, status_now: Option<&str>) {
        if !self.seen.insert(id.clone()) {
            return;
        }
        self.out.push(raw);
        self.info.items += 1;
        let taken = self.folder_owner(&id);
        if taken.is_some() {
            self.lost.insert(id.clone());
            self.jobs.push(Job {
                process_id: id,
                reuse: Vec::new(),
                folder_taken_by: taken,
            });
            return;
        }
        let reuse = match self
            .prior
            .remove(&id)
            .map(|p| p.reuse(status_now, &self.ctx.root))
        {
            Some(None) => {
                self.ctx.report(Event::Listed { added: 1 });
                self.ctx.report(Event::ProcessDone {
                    process_id: &id,
                    skipped: true,
                    error: None,
                });
                return;
            }
            Some(Some(reuse)) => reuse,
            None => Vec::new(),
        };
        self.jobs.push(Job {
            process_id: id,
            reuse,
            folder_taken_by: None,
        });
    }

    /// Another process that already has `id`'s folder (first come, first served; processes of
    /// earlier runs first), if any; else `id` has it now.
    fn folder_owner(&mut self, id: &str) -> Option<String> {
        let folder = layout::id_name(id);
        if folder == id {
            // Its own name: taken only by an id whose hashed name it is.
            return self.hashed.get(id).filter(|owner| *owner != id).cloned();
        }
        let has_it = |other: &String| {
            (self.seen.contains(other) && !self.lost.contains(other))
                || self.prior.get(other).is_some_and(Prior::holds_files)
        };
        let owned_by_safe_id = layout::id_name(&folder) == folder && has_it(&folder);
        if owned_by_safe_id {
            return Some(folder);
        }
        match self.hashed.get(&folder) {
            Some(owner) if owner != id => Some(owner.clone()),
            Some(_) => None,
            None => {
                self.hashed.insert(folder, id.to_owned());
                None
            }
        }
    }

    /// Writes the page's lines and hands its jobs to the driver; `false` once stopped.
    async fn send(&mut self, tx: &mpsc::Sender<Job>) -> bool {
        if let Err(e) = self.out.flush().await {
            self.info
                .error
                .get_or_insert(format!("cannot write {PROCESSES}: {e}"));
        }
        if !self.jobs.is_empty() {
            self.ctx.report(Event::Listed {
                added: self.jobs.len() as u64,
            });
        }
        for job in self.jobs.drain(..) {
            let sent = tokio::select! {
                sent = tx.send(job) => sent.is_ok(),
                () = self.ctx.stop.stopped() => false,
            };
            if !sent {
                return false;
            }
        }
        !self.ctx.stop.is_stopped()
    }
}

/// `processes.jsonl` being written: lines gather in memory and go to a temp file on the blocking
/// pool once per page; the temp file replaces the old list only when the list was read whole (or
/// there was none).
struct JsonLines {
    root: PrivateDir,
    temp: Option<TempFile>,
    buffer: Vec<u8>,
    error: Option<String>,
}

impl JsonLines {
    async fn create(root: PrivateDir) -> io::Result<JsonLines> {
        let dir = root.clone();
        let temp = blocking(move || Ok(dir.temp_file(PROCESSES)?)).await?;
        Ok(JsonLines {
            root,
            temp: Some(temp),
            buffer: Vec::new(),
            error: None,
        })
    }

    fn push(&mut self, raw: &serde_json::Value) {
        if serde_json::to_writer(&mut self.buffer, raw).is_ok() {
            self.buffer.push(b'\n');
        }
    }

    async fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() || self.error.is_some() {
            return Ok(());
        }
        let Some(temp) = self.temp.take() else {
            return Ok(());
        };
        let bytes = std::mem::take(&mut self.buffer);
        let (temp, written) = blocking(move || {
            let written = (&temp.file).write_all(&bytes);
            Ok((temp, written))
        })
        .await?;
        self.temp = Some(temp);
        written.inspect_err(|e| {
            self.error.get_or_insert(e.to_string());
        })
    }

    /// Commits the file if `complete` or when there was no list yet: a partial list replaces no
    /// complete one from an earlier run.
    async fn finish(mut self, complete: bool) -> Result<(), String> {
        self.flush().await.map_err(|e| e.to_string())?;
        if let Some(e) = self.error {
            return Err(e);
        }
        let (Some(temp), root) = (self.temp.take(), self.root) else {
            return Ok(());
        };
        blocking(move || {
            if complete || !root.path().join(PROCESSES).exists() {
                temp.commit()?;
            }
            Ok(())
        })
        .await
        .map_err(|e| e.to_string())
    }
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> io::Result<T> + Send + 'static,
) -> io::Result<T> {
    tokio::task::spawn_blocking(f)
        .await
        .unwrap_or_else(|e| Err(io::Error::other(format!("the writer stopped ({e})"))))
}
