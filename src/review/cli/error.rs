//! What the `reviews` commands fail with, and the exit code each failure means.

use std::path::{Path, PathBuf};

use crate::fsx::FsError;
use crate::review::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ReviewsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
    /// `--out` names a file that is there already, and `--force` was not given.
    #[error(
        "{} already exists: give --force to replace it, or choose another --out",
        path.display()
    )]
    OutExists { path: PathBuf },
    /// `--out` could not be written (a link in its place below the folder, permissions, space).
    #[error("cannot write --out: {0}")]
    Out(FsError),
    /// Lines `reviews import` refused: the first, and every other one.
    #[error("{}", refused_text(.path, .line, .detail, .more))]
    BadLine {
        path: PathBuf,
        line: usize,
        detail: String,
        more: Vec<crate::review::import::Refused>,
    },
    #[error("--since {0:?} is not a date (use YYYY-MM-DD or an RFC 3339 time)")]
    BadSince(String),
    /// The store failed part-way through `import` (busy for long, the disk full).
    #[error(
        "{0}; the batches added before that stay: import the file again to add the rest \
         (importing twice changes nothing)"
    )]
    Stopped(StoreError),
    /// Events that another program put in the store, with other content, while `import` ran:
    /// the stored ones were kept, everything else imported.
    #[error(
        "{}: {} event(s) appeared in the store with other content while importing; the stored \
         ones were kept, everything else was imported:{}",
        .path.display(),
        .lines.len(),
        .lines.iter().map(|r| format!("\n  {r}")).collect::<String>()
    )]
    Kept {
        path: PathBuf,
        lines: Vec<crate::review::import::Refused>,
    },
    /// Events the store holds but cannot read: everything else was written, these were left
    /// out, and the command exits 1 so a script notices.
    #[error("{}", unreadable_text(.path, .events))]
    Unreadable {
        path: PathBuf,
        events: Vec<crate::review::Unreadable>,
    },
}

fn unreadable_text(path: &Path, events: &[crate::review::Unreadable]) -> String {
    let list: String = events.iter().map(|e| format!("\n  {e}")).collect();
    format!(
        "the review store {} holds {} event(s) that cannot be read; they were left out, the \
         rest is above:{list}\ntruora-tui did not write them: restore the store from a backup, \
         or delete those rows with sqlite3",
        path.display(),
        events.len()
    )
}

/// `FILE, line 3: why; nothing was imported …`, every other refused line on a line of its own.
fn refused_text(
    path: &Path,
    line: &usize,
    detail: &str,
    more: &[crate::review::import::Refused],
) -> String {
    let others: String = more.iter().map(|r| format!("\n  {r}")).collect();
    let which = if more.is_empty() {
        "the line"
    } else {
        "these lines"
    };
    format!(
        "{}, line {line}: {detail}{others}\nnothing was imported: fix or remove {which} and \
         import again",
        path.display()
    )
}

impl ReviewsError {
    /// A mistake in the command line (exit 2), as opposed to a store or a disk failing (exit 1).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            ReviewsError::BadSince(_) | ReviewsError::OutExists { .. }
        )
    }
}
