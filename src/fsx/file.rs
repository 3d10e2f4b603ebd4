//! Opening one private file in place (a journal, a lock, a log, a store), and the helper for a
//! single file of the tool's own at a path the user chose.

use std::ffi::OsStr;
use std::fs::File;
use std::path::Path;

use rustix::fs::{Mode, OFlags};

use super::{FsError, PrivateDir};

/// How a private file is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Writes go to the end (a journal, a log).
    Append,
    /// Writes go to the end, and the file can be read (a hash-chained log reads its last record).
    ReadAppend,
    /// Read and write anywhere (a lock file, a store).
    ReadWrite,
}

/// Opens (creating 0600) the single file at `path`, for a file of the tool's own such as the
/// review store, the access log or the log file. Its folder is created 0700 with any missing
/// parents; a folder that already exists keeps its mode, since the user may have pointed the
/// file into a shared folder (`--review-db /tmp/x.sqlite3` must not make `/tmp` private): the
/// file itself is what is kept private. The folder may be a link, the file may not. An existing
/// file is tightened to 0600 and must be a plain file with no other hard link.
///
/// A store that opens the file by name itself (SQLite) calls this first, so the file exists
/// private before the store creates its companions (`-wal`, `-shm`), which SQLite gives the
/// mode of the main file.
pub fn open_private_file(path: &Path, access: Access) -> Result<File, FsError> {
    // A bare name would make the current folder private: the file needs a folder of its own.
    let (Some(parent), Some(name)) = (
        path.parent().filter(|p| !p.as_os_str().is_empty()),
        path.file_name(),
    ) else {
        return Err(FsError::Outside {
            path: path.into(),
            root: path.into(),
        });
    };
    let dir = PrivateDir::create_root(parent)?;
    open_in(&dir, name, access)
}

/// Opens `name` in `dir` without following a link, creating it 0600; checks that it is a plain
/// file of its own (no other hard link: appending to one would write into another's file) and
/// tightens it to 0600. The open does not block on a FIFO; the file is made blocking again.
pub(super) fn open_in(dir: &PrivateDir, name: &OsStr, access: Access) -> Result<File, FsError> {
    let path = dir.path().join(name);
    let flags = match access {
        Access::Append => OFlags::WRONLY | OFlags::APPEND,
        Access::ReadAppend => OFlags::RDWR | OFlags::APPEND,
        Access::ReadWrite => OFlags::RDWR,
    };
    let (fd, stat) = dir.open_plain(name, flags | OFlags::CREATE, Mode::from_raw_mode(0o600))?;
    if stat.st_nlink > 1 {
        return Err(FsError::NotAPlainFile {
            path,
            what: "it has other hard links",
        });
    }
    if stat.st_mode & 0o077 != 0 {
        rustix::fs::fchmod(&fd, Mode::from_raw_mode(0o600)).map_err(|e| FsError::NotPrivate {
            path: path.clone(),
            source: e.into(),
        })?;
    }
    // Blocking again, for the callers that read or write it as usual.
    let flags = rustix::fs::fcntl_getfl(&fd).map_err(|e| FsError::io(&path, e))?;
    rustix::fs::fcntl_setfl(&fd, flags.difference(OFlags::NONBLOCK))
        .map_err(|e| FsError::io(&path, e))?;
    Ok(File::from(fd))
}
