//! Saving an image into `download_dir/<process id>/`, safely.
//!
//! The rules, and why:
//! - names come from sanitised server text ([`file_component`]) and the extension from the bytes,
//!   so a hostile process id or field can neither escape the folder nor pose as another type;
//! - folders are 0700 and files 0600: these are faces and identity documents;
//! - an existing file is never overwritten: a second save becomes `name-1.jpg`, `name-2.jpg`;
//! - a file appears whole or not at all: bytes go to a hidden temp file (created exclusively),
//!   are synced, then hard-linked to the first free name (`link` fails if the name exists, which
//!   `rename` would not) and the temp file removed. Whatever fails, the temp file is removed.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::sniff::{extension, sniff};
use crate::sanitize::file_component;

/// How many numbered copies are tried before giving up.
const MAX_COPIES: u32 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("disk full while saving {}: free space or change download_dir", .path.display())]
    DiskFull { path: PathBuf },
    #[error("permission denied creating {}: check download_dir", .path.display())]
    PermissionDenied { path: PathBuf },
    #[error("read-only file system at {}: change download_dir", .path.display())]
    ReadOnly { path: PathBuf },
    #[error("{} is not a folder: change download_dir", .path.display())]
    NotAFolder { path: PathBuf },
    #[error("{} and {copies} numbered copies already exist: move some away", .path.display())]
    TooManyCopies { path: PathBuf, copies: u32 },
    #[error("refusing to save outside download_dir: {}", .path.display())]
    OutsideDownloadDir { path: PathBuf },
    #[error("could not save {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl SaveError {
    fn from_io(path: &Path, source: io::Error) -> Self {
        let path = path.to_path_buf();
        match source.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
                SaveError::DiskFull { path }
            }
            io::ErrorKind::PermissionDenied => SaveError::PermissionDenied { path },
            io::ErrorKind::ReadOnlyFilesystem => SaveError::ReadOnly { path },
            io::ErrorKind::NotADirectory => SaveError::NotAFolder { path },
            _ => SaveError::Io { path, source },
        }
    }
}

/// `<validation type>-<field>.<ext>`, each part sanitised, the extension sniffed from the bytes
/// (`bin` when unknown). Deterministic, so the export archive uses the same names.
pub fn save_name(validation_type: &str, field: &str, bytes: &[u8]) -> String {
    let ext = extension(sniff(bytes).unwrap_or_default());
    format!(
        "{}-{}.{ext}",
        file_component(validation_type),
        file_component(field)
    )
}

/// Writes `bytes` as `download_dir/<sanitised process_id>/<name>` (or `name-1.ext`, ... if taken)
/// and returns the path written. `name` is expected from [`save_name`]; anything else is
/// sanitised. Creates missing folders 0700; never overwrites; leaves no partial or temp file.
pub fn save(
    download_dir: &Path,
    process_id: &str,
    name: &str,
    bytes: &[u8],
) -> Result<PathBuf, SaveError> {
    save_with(download_dir, process_id, name, bytes, MAX_COPIES)
}

fn save_with(
    download_dir: &Path,
    process_id: &str,
    name: &str,
    bytes: &[u8],
    max_copies: u32,
) -> Result<PathBuf, SaveError> {
    let name = if is_safe_name(name) {
        name.to_owned()
    } else {
        file_component(name)
    };
    make_folder(download_dir, true)?;
    let folder = download_dir.join(file_component(process_id));
    make_folder(&folder, false)?;
    check_inside(download_dir, &folder)?;

    let wanted = folder.join(&name);
    let temp = TempFile::create(&folder).map_err(|e| SaveError::from_io(&wanted, e))?;
    temp.write(bytes)
        .map_err(|e| SaveError::from_io(&wanted, e))?;
    let path = publish(&temp.path, &folder, &name, max_copies)?;
    // Make the new directory entry durable too; failure here loses nothing already written.
    let _ = File::open(&folder).and_then(|dir| dir.sync_all());
    Ok(path)
}

/// Gives the synced temp file its final name: the first of `name`, `name-1`, ... that is free.
fn publish(temp: &Path, folder: &Path, name: &str, max_copies: u32) -> Result<PathBuf, SaveError> {
    for n in 0..max_copies {
        let candidate = folder.join(numbered(name, n));
        match fs::hard_link(temp, &candidate) {
            Ok(()) => return Ok(candidate),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            // Some file systems (FAT, some network mounts) have no hard links: claim the name
            // with an exclusive create, then move the temp file over our own empty claim.
            Err(_) => match claim(&candidate) {
                Ok(()) => {
                    return fs::rename(temp, &candidate)
                        .map(|()| candidate.clone())
                        .map_err(|e| {
                            let _ = fs::remove_file(&candidate);
                            SaveError::from_io(&candidate, e)
                        });
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(SaveError::from_io(&candidate, e)),
            },
        }
    }
    Err(SaveError::TooManyCopies {
        path: folder.join(name),
        copies: max_copies.saturating_sub(1),
    })
}

/// `name` for copy 0, then `stem-n.ext`.
fn numbered(name: &str, n: u32) -> String {
    if n == 0 {
        return name.to_owned();
    }
    match name.rfind('.') {
        Some(dot) if dot > 0 => format!("{}-{n}{}", &name[..dot], &name[dot..]),
        _ => format!("{name}-{n}"),
    }
}

/// What [`save_name`] produces: plain ASCII, not hidden, short enough for a suffix.
fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 245
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Creates `path` 0700 if missing (with its parents when `parents`); an existing folder is left
/// as it is (its mode is the user's choice).
fn make_folder(path: &Path, parents: bool) -> Result<(), SaveError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(parents);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            Err(SaveError::NotAFolder { path: path.into() })
        }
        Err(e) => Err(SaveError::from_io(path, e)),
    }
}

/// Belt and braces over [`file_component`]: the process folder, symlinks resolved, must sit
/// directly in the download folder.
fn check_inside(download_dir: &Path, folder: &Path) -> Result<(), SaveError> {
    let root = download_dir
        .canonicalize()
        .map_err(|e| SaveError::from_io(download_dir, e))?;
    let real = folder
        .canonicalize()
        .map_err(|e| SaveError::from_io(folder, e))?;
    if real.parent() == Some(root.as_path()) {
        Ok(())
    } else {
        Err(SaveError::OutsideDownloadDir { path: real })
    }
}

/// A hidden temp file, created exclusively and 0600, removed when dropped: after a successful
/// save only the hard link remains, after a failure nothing does.
struct TempFile {
    path: PathBuf,
    file: File,
}

impl TempFile {
    fn create(folder: &Path) -> io::Result<TempFile> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        for _ in 0..100 {
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = folder.join(format!(".truora-tui-{}-{n}.part", std::process::id()));
            match exclusive(&path) {
                Ok(file) => return Ok(TempFile { path, file }),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
        Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "no free temp file name",
        ))
    }

    fn write(&self, bytes: &[u8]) -> io::Result<()> {
        let mut file = &self.file;
        file.write_all(bytes)?;
        file.sync_all()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Opens a new file 0600, failing if the name exists (O_EXCL, so no race with another saver).
fn exclusive(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Reserves `path` as an empty file, for file systems without hard links.
fn claim(path: &Path) -> io::Result<()> {
    exclusive(path).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn numbered_copies_keep_the_extension() {
        assert_eq!(numbered("a-b.jpg", 0), "a-b.jpg");
        assert_eq!(numbered("a-b.jpg", 2), "a-b-2.jpg");
        assert_eq!(numbered("noext", 1), "noext-1");
        assert_eq!(numbered("a.b.png", 1), "a.b-1.png");
    }

    #[test]
    fn running_out_of_names_leaves_no_temp_file() {
        let tmp = tempfile::tempdir().unwrap();
        for _ in 0..3 {
            save_with(tmp.path(), "IDP1", "x.jpg", b"data", 3).unwrap();
        }
        let err = save_with(tmp.path(), "IDP1", "x.jpg", b"more", 3).unwrap_err();
        assert!(
            matches!(err, SaveError::TooManyCopies { copies: 2, .. }),
            "{err}"
        );
        assert_eq!(
            entries(&tmp.path().join("IDP1")),
            ["x-1.jpg", "x-2.jpg", "x.jpg"]
        );
    }

    #[test]
    fn unsafe_names_are_sanitised() {
        assert!(is_safe_name("document-validation-front_image.jpg"));
        for name in ["", ".hidden", "../x", "a/b", "é.jpg"] {
            assert!(!is_safe_name(name), "{name:?}");
        }
        let tmp = tempfile::tempdir().unwrap();
        let path = save(tmp.path(), "IDP1", "../../escape.jpg", b"x").unwrap();
        assert_eq!(path.parent(), Some(tmp.path().join("IDP1").as_path()));
    }

    #[test]
    fn a_failure_after_writing_removes_the_temp_file() {
        // A name too long for the file system makes both link and claim fail (ENAMETOOLONG):
        // a failure that happens after the bytes were written, even when running as root.
        let tmp = tempfile::tempdir().unwrap();
        let temp = TempFile::create(tmp.path()).unwrap();
        temp.write(b"data").unwrap();
        assert_eq!(entries(tmp.path()).len(), 1);
        let err = publish(&temp.path, tmp.path(), &"x".repeat(300), 5).unwrap_err();
        assert!(matches!(err, SaveError::Io { .. }), "{err:?}");
        drop(temp);
        assert!(entries(tmp.path()).is_empty());
    }

    #[test]
    fn io_errors_say_what_to_do() {
        let path = Path::new("/dl/IDP1/a.jpg");
        let full = SaveError::from_io(path, io::ErrorKind::StorageFull.into());
        assert_eq!(
            full.to_string(),
            "disk full while saving /dl/IDP1/a.jpg: free space or change download_dir"
        );
        let denied = SaveError::from_io(path, io::ErrorKind::PermissionDenied.into());
        assert_eq!(
            denied.to_string(),
            "permission denied creating /dl/IDP1/a.jpg: check download_dir"
        );
        let read_only = SaveError::from_io(path, io::ErrorKind::ReadOnlyFilesystem.into());
        assert!(read_only.to_string().starts_with("read-only file system"));
    }
}
