//! Temp files: created beside their final name, renamed (or linked) into place, removed when
//! dropped unused; and the sweep that removes those a killed process left.

use std::ffi::{OsStr, OsString};
use std::fs::File;
use std::io::Write;
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use rustix::fs::{AtFlags, FileType};
use rustix::io::Errno;

use super::{FsError, PrivateDir, Walk};

/// Whether a name is one of our temp files (`.<name>.<pid>-<n>.part`).
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.') && name.ends_with(".part")
}

/// A hidden temp file (0600, created exclusively) in the folder of its final name. Dropped
/// without [`TempFile::commit`] (or after [`TempFile::link_new`]), it removes itself.
pub struct TempFile {
    /// The open file, for writers that stream into it.
    pub file: File,
    dir: PrivateDir,
    name: OsString,
    target: OsString,
    synced: bool,
    /// Renamed into place: nothing to remove.
    gone: bool,
}

impl TempFile {
    pub(super) fn create(dir: PrivateDir, target: &OsStr) -> Result<TempFile, FsError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        // A bounded part of the final name: the decoration must not push it past 255 bytes.
        let stem: String = target.to_string_lossy().chars().take(100).collect();
        let mut last = None;
        for _ in 0..100 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let name = OsString::from(format!(".{stem}.{}-{n}.part", std::process::id()));
            match dir.create_here(&name) {
                Ok(file) => {
                    return Ok(TempFile {
                        file,
                        dir,
                        name,
                        target: target.to_owned(),
                        synced: false,
                        gone: false,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
                Err(e) => return Err(e),
            }
        }
        Err(last.expect("tried at least once"))
    }

    /// Where the temp file is (for messages).
    pub fn path(&self) -> PathBuf {
        self.dir.path().join(&self.name)
    }

    /// Where it goes when committed.
    pub fn target(&self) -> PathBuf {
        self.dir.path().join(&self.target)
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), FsError> {
        self.file
            .write_all(bytes)
            .map_err(|e| FsError::io(self.target(), e))
    }

    fn sync_once(&mut self) -> Result<(), FsError> {
        if !self.synced {
            self.file
                .flush()
                .map_err(|e| FsError::io(self.target(), e))?;
            self.file
                .sync_all()
                .map_err(|e| FsError::io(self.target(), e))?;
            self.synced = true;
        }
        Ok(())
    }

    /// Syncs the file, renames it over its final name (replacing whatever is there, a link
    /// included, never following it), then syncs the folder (best effort).
    pub fn commit(mut self) -> Result<(), FsError> {
        self.sync_once()?;
        let fd = &*self.dir.fd;
        rustix::fs::renameat(fd, &self.name, fd, &self.target)
            .map_err(|e| FsError::io(self.target(), e))?;
        self.gone = true;
        let _ = self.dir.sync();
        Ok(())
    }

    /// Syncs the file and gives it the name `name` in its folder too, failing with
    /// `AlreadyExists` if that name is taken (by anything, a link included): unlike a rename,
    /// it never replaces a file. On file systems without hard links the name is claimed with an
    /// exclusive create and the temp file renamed over the claim. Returns the path.
    pub fn link_new(&mut self, name: &(impl AsRef<OsStr> + ?Sized)) -> Result<PathBuf, FsError> {
        let name = name.as_ref();
        self.sync_once()?;
        let path = self.dir.path().join(name);
        let fd = &*self.dir.fd;
        match rustix::fs::linkat(fd, &self.name, fd, name, AtFlags::empty()) {
            Ok(()) => {}
            Err(Errno::EXIST) => return Err(FsError::io(path, Errno::EXIST)),
            Err(_) => {
                self.dir.create_here(name)?;
                if let Err(e) = rustix::fs::renameat(fd, &self.name, fd, name) {
                    let _ = rustix::fs::unlinkat(fd, name, AtFlags::empty());
                    return Err(FsError::io(path, e));
                }
                self.gone = true;
            }
        }
        let _ = self.dir.sync();
        Ok(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.gone {
            let _ = rustix::fs::unlinkat(&*self.dir.fd, &self.name, AtFlags::empty());
        }
    }
}

/// See [`PrivateDir::sweep_temp_files`]. Folders that are links are skipped, not followed.
pub(super) fn sweep(dir: &PrivateDir, depth: usize) -> Result<usize, FsError> {
    let io = |e| FsError::io(dir.path(), e);
    let mut entries = rustix::fs::Dir::read_from(&*dir.fd).map_err(io)?;
    let mut removed = 0;
    let mut folders = Vec::new();
    while let Some(entry) = entries.read() {
        let entry = entry.map_err(io)?;
        let name = OsStr::from_bytes(entry.file_name().to_bytes());
        if name == "." || name == ".." {
            continue;
        }
        let kind = match entry.file_type() {
            FileType::Unknown => {
                match rustix::fs::statat(&*dir.fd, name, AtFlags::SYMLINK_NOFOLLOW) {
                    Ok(st) => FileType::from_raw_mode(st.st_mode),
                    Err(_) => continue,
                }
            }
            kind => kind,
        };
        if kind == FileType::RegularFile && name.to_str().is_some_and(is_temp_name) {
            match rustix::fs::unlinkat(&*dir.fd, name, AtFlags::empty()) {
                Ok(()) => removed += 1,
                Err(Errno::NOENT) => {}
                Err(e) => return Err(FsError::io(dir.path().join(name), e)),
            }
        } else if kind == FileType::Directory && depth > 0 {
            folders.push(name.to_owned());
        }
    }
    for name in folders {
        // A folder swapped for a link meanwhile, or removed, is skipped.
        if let Ok(child) = dir.child(&name, Walk::Read) {
            removed += sweep(&child, depth - 1)?;
        }
    }
    Ok(removed)
}
