//! Saving an image into `download_dir/<process id>/`, safely.
//!
//! The rules, and why:
//! - names come from sanitised server text ([`file_component`]) and the extension from the bytes,
//!   so a hostile process id or field can neither escape the folder nor pose as another type;
//! - folders are 0700 and files 0600: these are faces and identity documents;
//! - an existing file is never overwritten: a second save becomes `name-1.jpg`, `name-2.jpg`;
//! - a file appears whole or not at all: bytes go to a hidden temp file (created exclusively),
//!   are synced, then hard-linked to the first free name (`link` fails if the name exists, which
//!   `rename` would not) and the temp file removed. Whatever fails, the temp file is removed;
//! - nothing is written through a link: `download_dir` itself may be one (the user chose it),
//!   but a link in place of `<download_dir>/<process>/` is refused with an error naming it, and a
//!   process folder others can read is made 0700 first. All of this is [`crate::fsx`].

use std::io;
use std::path::{Path, PathBuf};

use super::sniff::{extension, sniff};
use crate::fsx::{FsError, PrivateDir, TempFile};
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
    /// A link, a file of another user, or a folder others can read that could not be made
    /// private, where the save would write: refused, nothing written.
    #[error("{0} (in download_dir)")]
    Refused(FsError),
    #[error("could not save {}: {source}", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

impl From<FsError> for SaveError {
    fn from(e: FsError) -> Self {
        match e {
            FsError::Io { path, source } => SaveError::from_io(&path, source),
            FsError::NotAFolder { path } => SaveError::NotAFolder { path },
            other => SaveError::Refused(other),
        }
    }
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
    let root = PrivateDir::create_root(download_dir)?;
    let folder = root.make_dir(file_component(process_id))?;
    let mut temp = folder.temp_file(&name)?;
    temp.write_all(bytes)?;
    publish(&mut temp, &name, max_copies)
}

/// Gives the temp file its final name: the first of `name`, `name-1`, ... that is free. The
/// temp file itself goes when it is dropped.
fn publish(temp: &mut TempFile, name: &str, max_copies: u32) -> Result<PathBuf, SaveError> {
    for n in 0..max_copies {
        match temp.link_new(&numbered(name, n)) {
            Ok(path) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(SaveError::TooManyCopies {
        path: temp.target(),
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

#[cfg(test)]
mod tests {
    use std::fs;

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
        let root = PrivateDir::open_root(tmp.path()).unwrap();
        let mut temp = root.temp_file("x.jpg").unwrap();
        temp.write_all(b"data").unwrap();
        assert_eq!(entries(tmp.path()).len(), 1);
        let err = publish(&mut temp, &"x".repeat(300), 5).unwrap_err();
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
