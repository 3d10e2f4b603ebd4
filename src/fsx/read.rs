//! Reading below a root: regular files only, reached without following a link on the way and
//! opened without blocking. A FIFO in place of a file would hang an ordinary `open` until
//! someone writes to it (forever); a link in place of a process's folder or file would make a
//! copy kept elsewhere pass for the real one. Both are refused at once, with the path.

use std::fs::File;
use std::path::Path;

use rustix::fs::{AtFlags, FileType, Mode, OFlags};

use super::{FsError, PrivateDir, Walk};

impl PrivateDir {
    /// Opens the regular file `rel` for reading (see the module docs). The descriptor is made
    /// blocking again for the caller.
    pub fn open_file(&self, rel: impl AsRef<Path>) -> Result<File, FsError> {
        let (dir, name) = self.parent_of(rel.as_ref(), Walk::Read)?;
        let (fd, _) = dir.open_plain(name, OFlags::RDONLY, Mode::empty())?;
        let path = || dir.path.join(name);
        let flags = rustix::fs::fcntl_getfl(&fd).map_err(|e| FsError::io(path(), e))?;
        rustix::fs::fcntl_setfl(&fd, flags.difference(OFlags::NONBLOCK))
            .map_err(|e| FsError::io(path(), e))?;
        Ok(File::from(fd))
    }

    /// Reads the regular file `rel` whole (see [`PrivateDir::open_file`]).
    pub fn read(&self, rel: impl AsRef<Path>) -> Result<Vec<u8>, FsError> {
        let rel = rel.as_ref();
        let mut file = self.open_file(rel)?;
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut file, &mut bytes)
            .map_err(|e| FsError::io(self.path.join(rel), e))?;
        Ok(bytes)
    }

    /// The size of the regular file `rel`, without opening it; a link on the way or in its
    /// place, or anything but a regular file, is an error naming it (missing: `NotFound`).
    pub fn file_len(&self, rel: impl AsRef<Path>) -> Result<u64, FsError> {
        let (dir, name) = self.parent_of(rel.as_ref(), Walk::Read)?;
        let path = dir.path.join(name);
        let stat = rustix::fs::statat(&*dir.fd, name, AtFlags::SYMLINK_NOFOLLOW)
            .map_err(|e| FsError::io(&path, e))?;
        match FileType::from_raw_mode(stat.st_mode) {
            FileType::RegularFile => Ok(u64::try_from(stat.st_size).unwrap_or(0)),
            FileType::Symlink => Err(FsError::Link {
                path,
                root: self.root.to_path_buf(),
            }),
            kind => Err(FsError::NotAPlainFile {
                path,
                what: kind_name(kind),
            }),
        }
    }
}

/// What a thing that is not a regular file is, for [`FsError::NotAPlainFile`].
pub(super) fn kind_name(kind: FileType) -> &'static str {
    match kind {
        FileType::Fifo => "a FIFO",
        FileType::Socket => "a socket",
        FileType::CharacterDevice | FileType::BlockDevice => "a device",
        FileType::Directory => "a folder",
        FileType::Symlink => "a symbolic link",
        _ => "not a regular file",
    }
}
