//! What can go wrong with the review store, in words that say what to do, and which failures pass
//! by themselves (a busy file, a full disk) so a decision waits and is tried again rather than
//! being dropped.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the review store {path} was written by a newer truora-tui (schema version {found}, this \
         one knows up to {supported}); it was left untouched: upgrade truora-tui, or choose \
         another file with --review-db"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "the review store {path} is not a readable SQLite database ({detail}); it was left \
         untouched: restore it from a backup, or choose another file with --review-db"
    )]
    Corrupt { path: PathBuf, detail: String },
    /// An SQLite database that is not a review store: another program's file, never changed.
    #[error(
        "{path} is not a review store: it is another program's SQLite database ({what}); it was \
         left untouched: give --review-db the path of a review store, or of a file that does not \
         exist yet (the store is created there)"
    )]
    Foreign { path: PathBuf, what: String },
    #[error("cannot open the review store {path}: {detail}")]
    Unavailable { path: PathBuf, detail: String },
    #[error("cannot record in the review store {path}: {why}")]
    ReadOnly { path: PathBuf, why: String },
    #[error(
        "there is no review store at {path} yet (the browser creates it with the first decision)"
    )]
    Missing { path: PathBuf },
    /// Recent events sit in the store's `-wal` file, which SQLite can read only through a `-shm`
    /// index it would have to create, in a folder that must not be written.
    #[error(
        "the review store {path} keeps recent events in {wal}, which SQLite can read only by \
         creating {shm} beside it, and the folder is read-only; nothing was changed: make the \
         folder writable for one run (chmod u+w {folder}), or copy the store and its -wal file \
         to a writable folder and open the copy with --review-db"
    )]
    WalUnreadable {
        path: PathBuf,
        wal: PathBuf,
        shm: PathBuf,
        folder: PathBuf,
    },
    /// Another program held the write lock for longer than the busy timeout.
    #[error(
        "the review store {path} is busy: another program has been writing to it for more than \
         {waited_secs} s (an import?)"
    )]
    Busy { path: PathBuf, waited_secs: u64 },
    /// SQLITE_FULL, or an I/O error on a file system with no room left.
    #[error("the disk holding the review store {path} is full ({detail}): free some space")]
    Full { path: PathBuf, detail: String },
    #[error("the review store {path} failed: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

impl StoreError {
    /// Whether trying again later may succeed without anyone changing the file: a busy store, a
    /// full disk, an I/O error. What is refused for what it is (read-only, corrupt, foreign,
    /// newer) is not.
    pub fn passes(&self) -> bool {
        match self {
            StoreError::Busy { .. } | StoreError::Full { .. } => true,
            StoreError::Sqlite { source, .. } => matches!(
                source.sqlite_error_code(),
                Some(rusqlite::ErrorCode::SystemIoFailure)
            ),
            _ => false,
        }
    }

    /// Whether the connection should be opened again before the next try: after an I/O error
    /// SQLite may keep the file in an error state for the connection that met it.
    pub fn needs_reopen(&self) -> bool {
        matches!(self, StoreError::Full { .. } | StoreError::Sqlite { .. }) && self.passes()
    }
}

/// An event the store holds but cannot read: left out of what is shown, and reported by id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unreadable {
    pub id: String,
    pub detail: String,
}

impl std::fmt::Display for Unreadable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let id = if self.id.is_empty() {
            "(no id)"
        } else {
            &self.id
        };
        // Both come from the file: no control character reaches the terminal.
        write!(
            f,
            "event {}: {}",
            crate::sanitize::terminal_text(id),
            crate::sanitize::terminal_text(&self.detail)
        )
    }
}
