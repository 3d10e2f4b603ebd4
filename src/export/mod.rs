//! `truora-tui export`: every process (or those of an ids file) into a folder, for audits and for
//! browsing offline with `--archive`.
//!
//! It automates the guide's workflow (list → each result → each validation's details → each
//! image) and does it fast and safely:
//! - requests run concurrently over the client's pooled connections, up to its limit; each
//!   process's images are fetched right after the result that signed them, and an expired link
//!   is re-signed by fetching the result again (once per process however many links expired);
//! - a 429 closes the client's shared gate, so the whole export slows down; rate-limited requests
//!   are then tried again a few more rounds before a process counts as failed;
//! - it streams: list pages feed a bounded channel, a bounded set of process tasks drains it,
//!   and each file is written as soon as it arrives, so memory does not grow with the archive;
//! - it is resumable and safe to stop: see [`layout`] (atomic files) and [`manifest`] (journal).
//!
//! The library entry point is [`run`]; the command line adds Ctrl-C and a progress display.

pub mod date;
pub mod layout;
mod list;
pub mod manifest;
mod options;
mod pipeline;
mod process;
pub mod progress;
mod resume;
mod terminal;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::api::{ApiError, Client};

pub use options::{ExportOptions, Filter, IdsInput, UsageError, Verdict};
pub(crate) use process::summary as record_summary;
pub use progress::{Event, Progress, Silent, Snapshot};
pub use terminal::run_in_terminal;

/// Exports into `opts.out` until done or `stop` fires. Errors are only those that prevent the
/// export as a whole (the folder cannot be used); per-process failures are in the summary.
pub async fn run(
    client: Client,
    opts: ExportOptions,
    reporter: impl Progress,
    stop: Stop,
) -> Result<ExportSummary, ExportError> {
    opts.validate()?;
    pipeline::run(client, opts, Arc::new(reporter), stop).await
}

/// Tells a running export to stop: no new request starts, files being written are finished,
/// the manifest is written, and [`run`] returns with `interrupted` set.
#[derive(Clone)]
pub struct StopHandle(Arc<watch::Sender<bool>>);

impl StopHandle {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

/// The receiving side of [`StopHandle`].
#[derive(Clone)]
pub struct Stop(watch::Receiver<bool>);

impl Stop {
    pub fn new() -> (StopHandle, Stop) {
        let (tx, rx) = watch::channel(false);
        (StopHandle(Arc::new(tx)), Stop(rx))
    }

    /// A signal that never fires.
    pub fn never() -> Stop {
        Stop::new().1
    }

    pub fn is_stopped(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once stopped (never, if every handle was dropped without stopping).
    pub async fn stopped(&self) {
        let mut rx = self.0.clone();
        if rx.wait_for(|s| *s).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Usage(#[from] UsageError),
    #[error("cannot write the export in {}: {source}; check the folder or choose another --out", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{} is not empty and holds no export (no manifest.json): choose an empty or new folder for --out",
        dir.display()
    )]
    NotAnArchive { dir: PathBuf },
    #[error(
        "another export is writing to {} (lock file {}); wait for it to end, or delete the lock file if none is running",
        dir.display(), layout::LOCK
    )]
    Locked { dir: PathBuf },
    /// An error every later request would repeat (a refused key): the export stopped.
    #[error("{0}")]
    Fatal(ApiError),
}

impl ExportError {
    pub fn exit_code(&self) -> u8 {
        match self {
            ExportError::Usage(_) => 2,
            _ => 1,
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        ExportError::Io {
            path: path.into(),
            source,
        }
    }
}

/// How an export went.
#[derive(Clone, Debug, Default)]
pub struct ExportSummary {
    pub out: PathBuf,
    /// Processes in scope (after filters), as far as the list was read.
    pub listed: u64,
    pub exported: u64,
    /// Already complete from an earlier run.
    pub skipped: u64,
    /// Process id and error, for each process that failed in this run.
    pub failed: Vec<(String, String)>,
    pub images: u64,
    pub files: u64,
    pub bytes: u64,
    pub filtered_out: u64,
    /// List items that were not processes (no `process_id`).
    pub not_processes: u64,
    /// The list could not be read to its end.
    pub list_error: Option<String>,
    /// Stopped by the caller: some processes were not reached.
    pub interrupted: bool,
    pub warnings: Vec<String>,
    pub elapsed: Duration,
}

impl ExportSummary {
    /// 0 when everything was exported, 1 when something failed, 130 when interrupted.
    pub fn exit_code(&self) -> u8 {
        if self.interrupted {
            130
        } else if !self.failed.is_empty() || self.list_error.is_some() {
            1
        } else {
            0
        }
    }

    /// Processes neither exported, skipped nor failed (only after an interruption).
    pub fn not_reached(&self) -> u64 {
        let done = self.exported + self.skipped + self.failed.len() as u64;
        self.listed.saturating_sub(done)
    }

    /// The closing lines for the terminal.
    pub fn render(&self) -> String {
        use indicatif::HumanBytes;
        let mut out = format!(
            "{}: {} processes exported, {} already complete, {} failed; {} images, {} files, {} in {:.1}s\n",
            self.out.display(),
            self.exported,
            self.skipped,
            self.failed.len(),
            self.images,
            self.files,
            HumanBytes(self.bytes),
            self.elapsed.as_secs_f64(),
        );
        if self.filtered_out > 0 {
            out.push_str(&format!(
                "{} list items left out by --status/--since/--until\n",
                self.filtered_out
            ));
        }
        if self.not_processes > 0 {
            out.push_str(&format!(
                "{} list entries were not processes (no process_id)\n",
                self.not_processes
            ));
        }
        if let Some(e) = &self.list_error {
            out.push_str(&format!("the list could not be read to its end: {e}\n"));
        }
        if self.interrupted {
            out.push_str(&format!(
                "interrupted: {} processes not reached; run the same command again to resume\n",
                self.not_reached()
            ));
        } else if !self.failed.is_empty() {
            out.push_str("failed processes are listed above and in manifest.json; run the same command again to retry them\n");
        }
        out
    }
}
