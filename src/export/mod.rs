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

mod access_log;
mod context;
mod counts;
mod files;
pub mod format;
pub mod layout;
mod list;
pub mod manifest;
mod options;
mod pipeline;
mod prior;
mod process;
pub mod progress;
mod request;
mod resume;
mod terminal;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::api::{ApiError, Client};
use crate::fsx::FsError;

pub use counts::Counts;
pub use options::{ExportOptions, Filter, IdsInput, UsageError, Verdict};
pub use progress::{Event, Progress, Silent, Snapshot};
pub use terminal::{report, run_in_terminal};

/// Exports into `opts.out` until done or `stop` fires. Errors are only those that prevent the
/// export as a whole (the folder cannot be used) or end it early (a refused key, a full disk:
/// [`ExportError::Stopped`], which carries the summary of what was done); per-process failures
/// are in the summary.
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
    /// The folder has a `manifest.json` (or `progress.jsonl`) that this version did not write.
    #[error(
        "{} is not the manifest of a truora-tui export ({reason}); it was left untouched: choose an empty or new folder for --out",
        path.display()
    )]
    NotOurs { path: PathBuf, reason: String },
    /// The folder holds an export of other processes than this run asks for.
    #[error(
        "{} holds an export made with other options ({}): run the same command as before to resume it, or choose a new --out for this export",
        dir.display(), differences.join("; ")
    )]
    Mismatch {
        dir: PathBuf,
        differences: Vec<String>,
    },
    /// The run ended but its final manifest could not be written (a full disk): the manifest
    /// still says `running`, and the journal holds what each process became.
    #[error(
        "cannot write the final {} ({source}), so it still says the export is running: what became of each process is in {} (the next run and --archive read it from there); free some space and run the same command again to rewrite the manifest",
        path.display(), format::JOURNAL
    )]
    ManifestNotWritten {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "another export is writing to {}; wait for it to end (the lock is released when it exits, however it exits)",
        dir.display()
    )]
    Locked { dir: PathBuf },
    /// `--out` cannot be used: it is not a folder, cannot be created or written (permissions, a
    /// read-only file system), or holds a link where the export keeps its own files.
    #[error("{}", unusable_text(source))]
    Unusable { source: FsError },
    /// An error every later request would repeat (a refused key): the export stopped.
    #[error("{0}")]
    Fatal(ApiError),
    /// An error that ended a run under way (`error`), with what the run did before it.
    #[error("{error}")]
    Stopped {
        error: Box<ExportError>,
        summary: Box<ExportSummary>,
    },
}

/// What to say when `--out` cannot be used.
fn unusable_text(source: &FsError) -> String {
    match source {
        // Said of the path itself when it is there, else of the file on its way.
        FsError::NotAFolder { path } if path.symlink_metadata().is_ok() => format!(
            "{} is not a folder: choose a folder for --out (a missing one is created)",
            path.display()
        ),
        FsError::NotAFolder { path } => format!(
            "{} cannot be created: part of its path is a file, not a folder; choose another --out",
            path.display()
        ),
        FsError::Io { path, source } => format!(
            "cannot use {} for the export ({source}): check its permissions and free space, or choose another --out",
            path.display()
        ),
        other => format!("{other} (in --out)"),
    }
}

/// Turns what `--out` failed with into the [`FsError`] of [`ExportError::Unusable`].
pub(crate) trait OutProblem {
    fn at(self, path: PathBuf) -> FsError;
}

impl OutProblem for std::io::Error {
    fn at(self, path: PathBuf) -> FsError {
        // A refusal of the private-files module that travelled as an `io::Error` keeps its own
        // words (it names the file, not the folder).
        let e = match FsError::from_io(self) {
            Ok(refusal) => return refusal,
            Err(e) => e,
        };
        if e.kind() == std::io::ErrorKind::NotADirectory {
            FsError::NotAFolder { path }
        } else {
            FsError::Io { path, source: e }
        }
    }
}

impl OutProblem for FsError {
    fn at(self, _: PathBuf) -> FsError {
        self
    }
}

impl ExportError {
    /// The exit code of `truora-tui export` for this error, the one place it is decided:
    /// 2 when the export could not start because of what the command line asked (flags, or a
    /// `--out` that is refused: not a folder, not writable, not an export, an export of other
    /// processes, or one another export is writing); 1 when a run under way had to stop (a
    /// refused key, a full disk). A finished run's code is [`ExportSummary::exit_code`].
    pub fn exit_code(&self) -> u8 {
        match self {
            ExportError::Usage(_)
            | ExportError::NotAnArchive { .. }
            | ExportError::NotOurs { .. }
            | ExportError::Mismatch { .. }
            | ExportError::Locked { .. }
            | ExportError::Unusable { .. } => 2,
            ExportError::Io { .. }
            | ExportError::ManifestNotWritten { .. }
            | ExportError::Fatal(_) => 1,
            ExportError::Stopped { error, .. } => error.exit_code(),
        }
    }

    /// `--out` (or a path in it) cannot be used: see [`ExportError::Unusable`].
    pub(crate) fn unusable(path: impl Into<PathBuf>, problem: impl OutProblem) -> Self {
        ExportError::Unusable {
            source: problem.at(path.into()),
        }
    }

    /// What a run did before the error ended it (only for [`ExportError::Stopped`]).
    pub fn summary(&self) -> Option<&ExportSummary> {
        match self {
            ExportError::Stopped { summary, .. } => Some(summary),
            _ => None,
        }
    }

    /// The error itself, without the summary a run wrapped it in.
    pub fn cause(&self) -> &ExportError {
        match self {
            ExportError::Stopped { error, .. } => error.cause(),
            other => other,
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
    /// What the run did (`counts.listed`: processes in scope, as far as the list was read).
    pub counts: Counts,
    /// Process id and error, for each process that failed in this run (`counts.failed` of them).
    pub failed: Vec<(String, String)>,
    /// Process id and what Truora no longer keeps (an image host 404), for each file of a
    /// process exported in this run that no run can fetch. Those processes count as exported.
    pub missing: Vec<(String, String)>,
    pub filtered_out: u64,
    /// List items left out because `--since`/`--until` was given and they have no readable
    /// `creation_date`.
    pub undated: u64,
    /// List items that were not processes (no `process_id`).
    pub not_processes: u64,
    /// The list could not be read to its end.
    pub list_error: Option<String>,
    /// Stopped by the caller: some processes were not reached.
    pub interrupted: bool,
    /// The final `manifest.json` was written; if not (a full disk), it still says `running`
    /// and `progress.jsonl` is where the per-process truth is.
    pub manifest_written: bool,
    pub warnings: Vec<String>,
    pub elapsed: Duration,
}

impl ExportSummary {
    /// 0 when everything was exported (files Truora no longer keeps aside), 1 when something
    /// failed that a re-run may fetch, 130 when interrupted.
    pub fn exit_code(&self) -> u8 {
        if self.interrupted {
            130
        } else if !self.failed.is_empty() || self.list_error.is_some() {
            1
        } else {
            0
        }
    }

    /// Where the per-process states are: the manifest, or the journal when the manifest could
    /// not be written.
    fn bookkeeping(&self) -> String {
        if self.manifest_written {
            format::MANIFEST.to_owned()
        } else {
            format!(
                "{} ({} could not be written)",
                format::JOURNAL,
                format::MANIFEST
            )
        }
    }

    /// The closing lines for the terminal.
    pub fn render(&self) -> String {
        use indicatif::HumanBytes;
        let mut out = format!(
            "{}: {} processes exported, {} already complete, {} failed; {} images, {} files, {} in {:.1}s\n",
            self.out.display(),
            self.counts.exported,
            self.counts.skipped,
            self.counts.failed,
            self.counts.images,
            self.counts.files,
            HumanBytes(self.counts.bytes),
            self.elapsed.as_secs_f64(),
        );
        if self.filtered_out > 0 {
            out.push_str(&format!(
                "{} list items left out by --status/--since/--until\n",
                self.filtered_out
            ));
        }
        if self.undated > 0 {
            out.push_str(&format!(
                "warning: {} list items have no readable creation_date, so --since/--until left them out; export them with --ids-file if you need them\n",
                self.undated
            ));
        }
        if !self.missing.is_empty() {
            let processes: std::collections::HashSet<&str> =
                self.missing.iter().map(|(id, _)| id.as_str()).collect();
            out.push_str(&format!(
                "warning: {} files of {} processes no longer exist at Truora (the image host answered 404); they are listed above and in {}, and no re-run can fetch them\n",
                self.missing.len(),
                processes.len(),
                self.bookkeeping()
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
                self.counts.not_reached()
            ));
        } else if !self.failed.is_empty() {
            out.push_str(&format!(
                "failed processes are listed above and in {}; run the same command again to retry them\n",
                self.bookkeeping()
            ));
        }
        out
    }
}
