//! What every task of a run shares ([`Ctx`]: the client, the folder, the options, the stop
//! signal, the progress counters) and why a step of a process fails ([`Fail`]).

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use crate::api::{ApiError, Client};
use crate::fsx::{FsError, PrivateDir};

use super::progress::{Event, Progress, Snapshot, Tally};
use super::{ExportOptions, Stop, StopHandle};

/// What every process task shares.
pub(crate) struct Ctx {
    pub client: Client,
    pub dir: PathBuf,
    /// `dir`, opened once: every file is written from it, never through a link below it.
    pub root: PrivateDir,
    pub opts: ExportOptions,
    /// Fires on the caller's stop and on a fatal error.
    pub stop: Stop,
    /// Stops the run on a fatal error (the driver's, through the pipeline).
    pub(super) fatal_stop: StopHandle,
    pub(super) reporter: Arc<dyn Progress>,
    pub(super) tally: Tally,
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
