//! The store's file: where it may be written, creating it privately, its SQLite companions, and
//! telling what SQLite's errors mean for the user (corrupt, read-only, busy, disk full).

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::connect::Tuning;
use super::error::StoreError;

pub(super) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    classify_waited(path, e, Tuning::default().busy_timeout)
}

/// [`classify`], for a connection whose busy timeout is `waited` (said in the busy message).
pub(super) fn classify_waited(path: &Path, e: rusqlite::Error, waited: Duration) -> StoreError {
    let no_room = matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::SystemIoFailure)
    ) && no_room_beside(path);
    classify_with(path, e, waited, no_room)
}

/// The meaning of an SQLite error; `no_room` says whether the file system holding the store has
/// run out of space (SQLite reports a write that found no room as SQLITE_FULL, but growing its
/// `-shm` index or syncing can fail as a plain I/O error: that is a full disk too).
pub(super) fn classify_with(
    path: &Path,
    e: rusqlite::Error,
    waited: Duration,
    no_room: bool,
) -> StoreError {
    use rusqlite::ErrorCode::{
        DatabaseBusy, DatabaseCorrupt, DatabaseLocked, DiskFull, NotADatabase, ReadOnly,
        SystemIoFailure,
    };
    let path = path.to_path_buf();
    match e.sqlite_error_code() {
        Some(DatabaseCorrupt | NotADatabase) => StoreError::Corrupt {
            path,
            detail: e.to_string(),
        },
        Some(ReadOnly) => StoreError::ReadOnly {
            path,
            why: e.to_string(),
        },
        Some(DatabaseBusy | DatabaseLocked) => StoreError::Busy {
            path,
            waited_secs: waited.as_secs().max(1),
        },
        Some(DiskFull) => StoreError::Full {
            path,
            detail: e.to_string(),
        },
        Some(SystemIoFailure) if no_room => StoreError::Full {
            path,
            detail: format!("{e}: no space left on the file system"),
        },
        _ => StoreError::Sqlite { path, source: e },
    }
}

/// Less free space than this beside the store is a full disk: SQLite needs a few pages for the
/// WAL and 32 KiB for each step of its `-shm` index.
const ROOM_NEEDED: u64 = 1 << 20;

/// Whether the file system holding `path` has (for this user) less than [`ROOM_NEEDED`] free.
fn no_room_beside(path: &Path) -> bool {
    let folder = folder_of(path);
    rustix::fs::statvfs(folder).is_ok_and(|s| s.f_bavail.saturating_mul(s.f_frsize) < ROOM_NEEDED)
}

pub(super) fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

pub(super) fn sql(path: &Path, source: rusqlite::Error) -> StoreError {
    StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

pub(super) fn unavailable(path: &Path, e: &dyn std::fmt::Display) -> StoreError {
    StoreError::Unavailable {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

pub(super) fn is_read_only_error(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::PermissionDenied)
    )
}

/// Why the store at `path` must not be written, if it must not: a file or folder without write
/// permission (honoured even for root: taking the write bit away is how a user says "hands off").
pub(super) fn unwritable(path: &Path) -> Option<String> {
    if folder_is_read_only(path) {
        return Some(
            "its folder is read-only (SQLite needs to write its journal beside the file)".into(),
        );
    }
    let meta = std::fs::metadata(path).ok()?;
    if meta.permissions().readonly() {
        return Some(format!(
            "the file is read-only (chmod u+w {} to decide)",
            path.display()
        ));
    }
    match std::fs::OpenOptions::new().append(true).open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Some(format!("you may not write the file ({e})"))
        }
        Err(e) if e.raw_os_error() == Some(30) => {
            Some(format!("the file system is read-only ({e})"))
        }
        _ => None,
    }
}

/// Whether the folder holding `path` must not be written: no write bit, or (for anyone but
/// root, whom the permission bits do not stop) no write access.
pub(super) fn folder_is_read_only(path: &Path) -> bool {
    let folder = folder_of(path);
    // A folder that does not exist yet is created, private, with the store.
    std::fs::metadata(folder).is_ok_and(|m| {
        m.permissions().readonly()
            || rustix::fs::access(folder, rustix::fs::Access::WRITE_OK).is_err()
    })
}

/// SQLite's companions of the store: its write-ahead log and the log's shared-memory index.
pub(super) struct Companions {
    pub wal: PathBuf,
    pub shm: PathBuf,
}

impl Companions {
    pub fn of(path: &Path) -> Companions {
        let with = |suffix: &str| {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            PathBuf::from(name)
        };
        Companions {
            wal: with("-wal"),
            shm: with("-shm"),
        }
    }

    /// Whether the log holds anything (a missing or empty log holds nothing).
    pub fn wal_holds_frames(&self) -> bool {
        std::fs::metadata(&self.wal).is_ok_and(|m| m.len() > 0)
    }

    /// Whether some connection has (or had, and did not clean up after) the store open in WAL
    /// mode: it keeps the index file while it does.
    pub fn index_exists(&self) -> bool {
        std::fs::symlink_metadata(&self.shm).is_ok()
    }
}

/// Creates the store's folder (0700, when missing) and an empty file (0600) if they do not
/// exist, and takes group and other permissions off an existing file: through the private-files
/// module, so a link planted at the store's name is refused rather than followed. SQLite gives
/// its `-wal` and `-shm` companions the main file's mode.
pub fn create_private(path: &Path) -> Result<(), crate::fsx::FsError> {
    crate::fsx::open_private_file(path, crate::fsx::Access::ReadWrite).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::ffi;

    fn failure(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(ffi::Error::new(code), None)
    }

    #[test]
    fn a_full_disk_is_said_as_a_full_disk_whichever_way_sqlite_reports_it() {
        let path = Path::new("/data/reviews.sqlite3");
        let wait = Duration::from_secs(5);
        let full = classify_with(path, failure(ffi::SQLITE_FULL), wait, false);
        assert!(matches!(full, StoreError::Full { .. }), "{full}");
        assert!(full.to_string().contains("disk holding the review store"));
        // Growing the -shm index on a full disk is an I/O error to SQLite.
        let shm = classify_with(path, failure(ffi::SQLITE_IOERR_SHMSIZE), wait, true);
        assert!(matches!(shm, StoreError::Full { .. }), "{shm}");
        assert!(shm.to_string().contains("full"), "{shm}");
        // An I/O error with room to spare stays an I/O error, and passes (tried again).
        let io = classify_with(path, failure(ffi::SQLITE_IOERR_WRITE), wait, false);
        assert!(matches!(io, StoreError::Sqlite { .. }), "{io}");
        for e in [&full, &shm, &io] {
            assert!(e.passes() && e.needs_reopen(), "{e}");
        }
    }

    #[test]
    fn a_busy_store_passes_and_says_how_long_it_waited() {
        let path = Path::new("r.sqlite3");
        let busy = classify_with(
            path,
            failure(ffi::SQLITE_BUSY),
            Duration::from_secs(5),
            false,
        );
        assert!(busy.passes() && !busy.needs_reopen());
        assert!(busy.to_string().contains("more than 5 s"), "{busy}");
        let corrupt = classify_with(
            path,
            failure(ffi::SQLITE_NOTADB),
            Duration::from_secs(5),
            false,
        );
        assert!(!corrupt.passes());
    }
}
