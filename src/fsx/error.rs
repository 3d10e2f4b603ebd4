//! What can go wrong with a private file, said with the path and what to do.

use std::io;
use std::path::{Path, PathBuf};

/// One error type for every private-file operation. Each variant names the path it is about;
/// callers add which setting or flag chose the folder (`download_dir`, `--out`).
#[derive(Debug, thiserror::Error)]
pub enum FsError {
    /// A symbolic link where a folder or file of ours should be, below the folder the user named.
    #[error(
        "{} is a symbolic link; truora-tui never follows links inside {}: move the link away and try again",
        path.display(), root.display()
    )]
    Link { path: PathBuf, root: PathBuf },
    #[error("{} is not a folder: move it away or choose another folder", path.display())]
    NotAFolder { path: PathBuf },
    /// A FIFO, a socket, a device, or a file with other hard links, where a plain file of ours
    /// should be.
    #[error("{} is not a plain file of its own ({what}): move it away and try again", path.display())]
    NotAPlainFile { path: PathBuf, what: &'static str },
    /// A folder below the root that belongs to someone else: they could read what goes in it.
    #[error(
        "{} belongs to another user (uid {uid}), so files written into it would not be private: move it away and try again",
        path.display()
    )]
    NotOurs { path: PathBuf, uid: u32 },
    /// Others can read it and it could not be made private.
    #[error(
        "{} can be read by others and could not be made private (chmod: {source}): fix its permissions or move it away",
        path.display()
    )]
    NotPrivate {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A relative path that is not a plain path below the root (`..`, absolute, empty).
    #[error("{} is not a plain path inside {}", path.display(), root.display())]
    Outside { path: PathBuf, root: PathBuf },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl FsError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: impl Into<io::Error>) -> FsError {
        FsError::Io {
            path: path.into(),
            source: source.into(),
        }
    }

    /// The path the error is about.
    pub fn path(&self) -> &Path {
        match self {
            FsError::Link { path, .. }
            | FsError::NotAFolder { path }
            | FsError::NotAPlainFile { path, .. }
            | FsError::NotOurs { path, .. }
            | FsError::NotPrivate { path, .. }
            | FsError::Outside { path, .. }
            | FsError::Io { path, .. } => path,
        }
    }

    /// The kind of the underlying system error (`Other` for the refusals of this module), so
    /// callers can tell a full disk or a taken name from the rest.
    pub fn kind(&self) -> io::ErrorKind {
        match self {
            FsError::Io { source, .. } => source.kind(),
            FsError::NotAFolder { .. } => io::ErrorKind::NotADirectory,
            _ => io::ErrorKind::Other,
        }
    }

    /// A refusal to follow a link or to use a folder that is not private: the place was
    /// tampered with, as opposed to the disk or the permissions failing.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            FsError::Link { .. }
                | FsError::NotAPlainFile { .. }
                | FsError::NotOurs { .. }
                | FsError::Outside { .. }
        )
    }
}

impl FsError {
    /// The error back out of an `io::Error` it was turned into (see the `From` below), so a
    /// caller can say it in its own words; any other `io::Error` is handed back.
    pub fn from_io(e: io::Error) -> Result<FsError, io::Error> {
        if !e.get_ref().is_some_and(|inner| inner.is::<FsError>()) {
            return Err(e);
        }
        let kind = e.kind();
        match e.into_inner().map(|inner| inner.downcast::<FsError>()) {
            Some(Ok(fs)) => Ok(*fs),
            Some(Err(other)) => Err(io::Error::new(kind, other)),
            None => Err(kind.into()),
        }
    }
}

/// For code that speaks `io::Result`: the message (with its path) is kept, and so is the kind.
impl From<FsError> for io::Error {
    fn from(e: FsError) -> io::Error {
        io::Error::new(e.kind(), e)
    }
}
