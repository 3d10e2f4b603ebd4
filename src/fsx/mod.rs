//! Private files: 0700 folders, 0600 files, exclusive creates, atomic writes, and never a
//! symbolic link followed below the folder the user named.
//!
//! Every writer of identity data goes through here (the browser's `s`/`S` save, the export, the
//! log; the review store and the access log will too), so the rules live in one place:
//!
//! - **A root, opened once.** [`PrivateDir::open_root`]/[`PrivateDir::create_root`] open the
//!   folder the user named (`--out`, `download_dir`). It may itself be a link: the user chose
//!   it. Everything below it is reached from its descriptor with `openat(…, O_NOFOLLOW)`, one
//!   component at a time, so a link planted below it — in place of a folder or a file — is never
//!   followed: the operation fails with [`FsError::Link`] naming the path, and nothing outside
//!   the root is read or written. Relative paths are plain names only (`..`, absolute paths and
//!   empty names are refused).
//! - **Folders are 0700.** Folders made here are created 0700. An existing folder below the root
//!   that others can read or write is tightened to 0700 through its own descriptor (so it is the
//!   folder that was checked) before anything is written into it; one that belongs to another
//!   user is refused ([`FsError::NotOurs`]): they could loosen it again. The root keeps the mode
//!   the user gave it unless the caller asks for [`PrivateDir::make_private`].
//! - **Files are 0600**, created with `O_EXCL` ([`PrivateDir::create_new`]), or opened without
//!   following a link and refused when they are not a plain file of their own (a FIFO, a device,
//!   a file with other hard links: appending to one would write into someone else's file).
//! - **Reading is as careful** ([`PrivateDir::open_file`], [`PrivateDir::read`],
//!   [`PrivateDir::file_len`]): only regular files, reached without following a link, opened
//!   without blocking, so a FIFO planted in place of a file is refused at once rather than
//!   waited on forever, and a link cannot make a copy from elsewhere pass for the real file.
//! - **Whole or not at all.** [`PrivateDir::write_atomic`]: bytes go to a hidden temp file
//!   (`.<name>.<pid>-<n>.part`, 0600, exclusive), are synced, renamed over the name (a rename
//!   replaces a link, never follows it), then the folder is synced so the new name survives a
//!   power cut (best effort: a file system that cannot sync folders loses nothing already
//!   written). A temp file that is dropped unused removes itself; a killed process can leave
//!   one behind, which [`PrivateDir::sweep_temp_files`] removes before the next run.
//!
//! For a single file of the tool's own (the review store, the access log, the log file), see
//! [`open_private_file`]: its folder is created 0700 (and tightened when loose), the file 0600.
//!
//! Unix only (Linux and macOS): the guarantees rest on `openat`, `O_NOFOLLOW` and `fchmod`,
//! through `rustix`.

mod error;
mod file;
mod read;
mod temp;
#[cfg(test)]
mod tests;

use std::ffi::OsStr;
use std::fs::File;
use std::os::fd::OwnedFd;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use rustix::fs::{AtFlags, FileType, Mode, OFlags};
use rustix::io::Errno;

pub use error::FsError;
pub use file::{Access, open_private_file};
pub use temp::{TempFile, is_temp_name};

/// An open folder: the root the user named, or a folder below it reached without following
/// links. Cheap to clone (the descriptor is shared); every path it hands out is below `path`.
#[derive(Clone, Debug)]
pub struct PrivateDir {
    fd: Arc<OwnedFd>,
    /// Where it is, for messages and for callers that hand paths to others.
    path: PathBuf,
    /// The folder the user named, for messages about links below it.
    root: Arc<Path>,
}

const DIR_FLAGS: OFlags = OFlags::RDONLY
    .union(OFlags::DIRECTORY)
    .union(OFlags::NOFOLLOW)
    .union(OFlags::CLOEXEC);

impl PrivateDir {
    /// Opens the folder the user named. A link there is followed (the user chose it); its mode
    /// is left as it is. Fails if it is missing or not a folder.
    pub fn open_root(path: &Path) -> Result<PrivateDir, FsError> {
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(path, flags, Mode::empty()).map_err(|e| match e {
            Errno::NOTDIR => FsError::NotAFolder { path: path.into() },
            e => FsError::io(path, e),
        })?;
        Ok(PrivateDir {
            fd: Arc::new(fd),
            path: path.into(),
            root: path.into(),
        })
    }

    /// [`PrivateDir::open_root`], creating the folder and its missing parents 0700 first.
    /// Folders that exist keep their mode.
    pub fn create_root(path: &Path) -> Result<PrivateDir, FsError> {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        match builder.create(path) {
            Ok(()) => {}
            // Something not a folder is there: `open_root` says what.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
                return Err(FsError::NotAFolder { path: path.into() });
            }
            Err(e) => return Err(FsError::io(path, e)),
        }
        PrivateDir::open_root(path)
    }

    /// Where this folder is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes this folder 0700 (for a root the user named; folders below are tightened anyway).
    pub fn make_private(&self) -> Result<(), FsError> {
        rustix::fs::fchmod(&*self.fd, Mode::from_raw_mode(0o700)).map_err(|e| FsError::NotPrivate {
            path: self.path.clone(),
            source: e.into(),
        })
    }

    /// The folder `rel` below this one, created 0700 where missing, tightened to 0700 where
    /// others can read it; no link followed.
    pub fn make_dir(&self, rel: impl AsRef<Path>) -> Result<PrivateDir, FsError> {
        let parts = self.parts(rel.as_ref())?;
        self.walk(&parts, Walk::Create)
    }

    /// The existing folder `rel` below this one, as it is (for reading); no link followed.
    pub fn open_dir(&self, rel: impl AsRef<Path>) -> Result<PrivateDir, FsError> {
        let parts = self.parts(rel.as_ref())?;
        self.walk(&parts, Walk::Read)
    }

    /// Checks that no component of `rel` that exists is a link or something not a folder, and
    /// makes those that exist private as [`PrivateDir::make_dir`] would; a missing component
    /// ends the check (it will be created when written to). For a caller that must fail before
    /// it starts (an export process), and whose files may stay where they are (reused files
    /// in a folder others could read are made private too).
    pub fn check_dir(&self, rel: impl AsRef<Path>) -> Result<(), FsError> {
        let parts = self.parts(rel.as_ref())?;
        let mut dir = self.clone();
        for part in parts {
            dir = match dir.child(part, Walk::Secure) {
                Ok(child) => child,
                Err(FsError::Io { source, .. })
                    if source.kind() == std::io::ErrorKind::NotFound =>
                {
                    return Ok(());
                }
                Err(e) => return Err(e),
            };
        }
        Ok(())
    }

    /// Creates the file `rel` 0600, failing if the name exists (a link there included); parent
    /// folders as in [`PrivateDir::make_dir`].
    pub fn create_new(&self, rel: impl AsRef<Path>) -> Result<File, FsError> {
        let (dir, name) = self.parent_of(rel.as_ref(), Walk::Create)?;
        dir.create_here(name)
    }

    /// Writes `bytes` as `rel`, whole or not at all (see the module docs). Blocking, and runs to
    /// completion once started: call it from `spawn_blocking`.
    pub fn write_atomic(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<(), FsError> {
        let mut temp = self.temp_file(rel)?;
        temp.write_all(bytes)?;
        temp.commit()
    }

    /// A temp file that [`TempFile::commit`] renames to `rel`; parent folders as in
    /// [`PrivateDir::make_dir`].
    pub fn temp_file(&self, rel: impl AsRef<Path>) -> Result<TempFile, FsError> {
        let (dir, name) = self.parent_of(rel.as_ref(), Walk::Create)?;
        TempFile::create(dir, name)
    }

    /// Opens `rel` for appending, creating it 0600; an existing file is tightened to 0600.
    pub fn open_append(&self, rel: impl AsRef<Path>) -> Result<File, FsError> {
        let (dir, name) = self.parent_of(rel.as_ref(), Walk::Create)?;
        dir.open_here(name, Access::Append)
    }

    /// Opens `rel` for reading and writing, creating it 0600 (a lock file, a store).
    pub fn open_rw(&self, rel: impl AsRef<Path>) -> Result<File, FsError> {
        let (dir, name) = self.parent_of(rel.as_ref(), Walk::Create)?;
        dir.open_here(name, Access::ReadWrite)
    }

    /// Removes the file `rel` (a link there is removed, not followed). Missing is fine.
    pub fn remove_file(&self, rel: impl AsRef<Path>) -> Result<(), FsError> {
        let (dir, name) = self.parent_of(rel.as_ref(), Walk::Read)?;
        match rustix::fs::unlinkat(&*dir.fd, name, AtFlags::empty()) {
            Ok(()) | Err(Errno::NOENT) => Ok(()),
            Err(e) => Err(FsError::io(dir.path.join(name), e)),
        }
    }

    /// Whether the name `rel` is still the open `file` (a lock taken on a file that was
    /// removed meanwhile guards nothing).
    pub fn names(&self, rel: impl AsRef<Path>, file: &File) -> bool {
        let Ok((dir, name)) = self.parent_of(rel.as_ref(), Walk::Read) else {
            return false;
        };
        match (
            rustix::fs::fstat(file),
            rustix::fs::statat(&*dir.fd, name, AtFlags::SYMLINK_NOFOLLOW),
        ) {
            (Ok(a), Ok(b)) => a.st_dev == b.st_dev && a.st_ino == b.st_ino,
            _ => false,
        }
    }

    /// Syncs this folder, making names created or renamed in it durable. Best effort callers
    /// ignore the error: some file systems cannot sync folders.
    pub fn sync(&self) -> Result<(), FsError> {
        rustix::fs::fsync(&*self.fd).map_err(|e| FsError::io(&self.path, e))
    }

    /// Removes temp files ([`is_temp_name`]) in this folder and in folders below it down to
    /// `depth` levels, never following a link. Returns how many were removed.
    pub fn sweep_temp_files(&self, depth: usize) -> Result<usize, FsError> {
        temp::sweep(self, depth)
    }

    /// The plain components of `rel`, or [`FsError::Outside`].
    fn parts<'a>(&self, rel: &'a Path) -> Result<Vec<&'a OsStr>, FsError> {
        let mut parts = Vec::new();
        for component in rel.components() {
            match component {
                Component::Normal(name) => parts.push(name),
                _ => return Err(self.outside(rel)),
            }
        }
        if parts.is_empty() {
            return Err(self.outside(rel));
        }
        Ok(parts)
    }

    fn outside(&self, rel: &Path) -> FsError {
        FsError::Outside {
            path: self.path.join(rel),
            root: self.root.to_path_buf(),
        }
    }

    /// The folder holding `rel` and the file's name.
    fn parent_of<'a>(&self, rel: &'a Path, how: Walk) -> Result<(PrivateDir, &'a OsStr), FsError> {
        let parts = self.parts(rel)?;
        let (name, folders) = parts.split_last().expect("parts are never empty");
        let dir = if folders.is_empty() {
            self.clone()
        } else {
            self.walk(folders, how)?
        };
        Ok((dir, name))
    }

    fn walk(&self, parts: &[&OsStr], how: Walk) -> Result<PrivateDir, FsError> {
        let mut dir = self.clone();
        for part in parts {
            dir = dir.child(part, how)?;
        }
        Ok(dir)
    }

    /// The folder `name` in this one: opened without following a link, created when asked,
    /// checked and tightened when it will be written into.
    fn child(&self, name: &OsStr, how: Walk) -> Result<PrivateDir, FsError> {
        let path = self.path.join(name);
        let mut created = false;
        let fd = loop {
            match rustix::fs::openat(&*self.fd, name, DIR_FLAGS, Mode::empty()) {
                Ok(fd) => break fd,
                Err(Errno::NOENT) if how == Walk::Create && !created => {
                    match rustix::fs::mkdirat(&*self.fd, name, Mode::from_raw_mode(0o700)) {
                        Ok(()) | Err(Errno::EXIST) => created = true,
                        Err(e) => return Err(FsError::io(path, e)),
                    }
                }
                Err(e) => return Err(self.diagnose(name, e)),
            }
        };
        if how != Walk::Read {
            secure_dir(&fd, &path)?;
        }
        Ok(PrivateDir {
            fd: Arc::new(fd),
            path,
            root: self.root.clone(),
        })
    }

    /// Why opening `name` here failed: a link and a non-folder get their own errors.
    fn diagnose(&self, name: &OsStr, errno: Errno) -> FsError {
        let path = self.path.join(name);
        if errno == Errno::NOENT {
            return FsError::io(path, errno);
        }
        match rustix::fs::statat(&*self.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
            Ok(st) if FileType::from_raw_mode(st.st_mode) == FileType::Symlink => FsError::Link {
                path,
                root: self.root.to_path_buf(),
            },
            Ok(st)
                if errno == Errno::NOTDIR
                    && FileType::from_raw_mode(st.st_mode) != FileType::Directory =>
            {
                FsError::NotAFolder { path }
            }
            Ok(st)
                if !matches!(
                    FileType::from_raw_mode(st.st_mode),
                    FileType::RegularFile | FileType::Directory
                ) =>
            {
                FsError::NotAPlainFile {
                    path,
                    what: read::kind_name(FileType::from_raw_mode(st.st_mode)),
                }
            }
            _ => FsError::io(path, errno),
        }
    }

    fn create_here(&self, name: &OsStr) -> Result<File, FsError> {
        let flags =
            OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::NOFOLLOW | OFlags::CLOEXEC;
        rustix::fs::openat(&*self.fd, name, flags, Mode::from_raw_mode(0o600))
            .map(File::from)
            .map_err(|e| FsError::io(self.path.join(name), e))
    }

    /// Opens `name` here without following a link (and without blocking on a FIFO), and
    /// refuses anything but a regular file. Returns the descriptor and what `fstat` said.
    fn open_plain(
        &self,
        name: &OsStr,
        flags: OFlags,
        mode: Mode,
    ) -> Result<(OwnedFd, rustix::fs::Stat), FsError> {
        let flags = flags | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
        let fd =
            rustix::fs::openat(&*self.fd, name, flags, mode).map_err(|e| self.diagnose(name, e))?;
        let path = || self.path.join(name);
        let stat = rustix::fs::fstat(&fd).map_err(|e| FsError::io(path(), e))?;
        let kind = FileType::from_raw_mode(stat.st_mode);
        if kind != FileType::RegularFile {
            return Err(FsError::NotAPlainFile {
                path: path(),
                what: read::kind_name(kind),
            });
        }
        Ok((fd, stat))
    }

    fn open_here(&self, name: &OsStr, access: Access) -> Result<File, FsError> {
        file::open_in(self, name, access)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Walk {
    /// Folders are created where missing, and checked and tightened: they will be written into.
    Create,
    /// Folders are opened, checked and tightened, not created.
    Secure,
    /// Folders are only opened (no link followed): for reading and removing.
    Read,
}

/// A folder we are about to write into must be ours and private: one of another user is
/// refused, one others can read is made 0700 through its descriptor.
fn secure_dir(fd: &OwnedFd, path: &Path) -> Result<(), FsError> {
    let stat = rustix::fs::fstat(fd).map_err(|e| FsError::io(path, e))?;
    let me = rustix::process::geteuid().as_raw();
    if stat.st_uid != me {
        return Err(FsError::NotOurs {
            path: path.into(),
            uid: stat.st_uid,
        });
    }
    if stat.st_mode & 0o077 != 0 {
        rustix::fs::fchmod(fd, Mode::from_raw_mode(0o700)).map_err(|e| FsError::NotPrivate {
            path: path.into(),
            source: e.into(),
        })?;
        tracing::warn!(
            "made {} private (it was readable by others)",
            path.display()
        );
    }
    Ok(())
}
