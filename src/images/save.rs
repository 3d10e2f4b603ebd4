//! Saving an image into `download_dir/<process id>/`, safely.
//!
//! The rules, and why:
//! - names come from sanitised server text ([`file_component`]) and the extension from the bytes,
//!   so a hostile process id or field can neither escape the folder nor pose as another type;
//! - folders are 0700 and files 0600: these are faces and identity documents;
//! - names say what the tree says: `<process id>-<label>.<ext>` ([`save_name`]);
//! - an image whose bytes are already in the process folder (saved before, under this name or
//!   another: `S` twice, or two links to one photo) is not written again: the answer names the
//!   file that holds them ([`SaveOutcome::Identical`]);
//! - an existing file is never overwritten: a second save of other bytes becomes `name-1.jpg`;
//! - a file appears whole or not at all: bytes go to a hidden temp file (created exclusively),
//!   are synced, then hard-linked to the first free name (`link` fails if the name exists, which
//!   `rename` would not) and the temp file removed. Whatever fails, the temp file is removed;
//! - nothing is written through a link: `download_dir` itself may be one (the user chose it),
//!   but a link in place of `<download_dir>/<process>/` is refused with an error naming it, and a
//!   process folder others can read is made 0700 first. All of this is [`crate::fsx`].

use std::io;
use std::path::{Path, PathBuf};

use super::sniff::{extension, sniff};
use crate::api::model::{ImageKind, ImageLink};
use crate::fsx::{FsError, PrivateDir, TempFile, is_temp_name};
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

/// What a save did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SaveOutcome {
    /// The bytes were written to this new file.
    Written(PathBuf),
    /// This file in the process folder already holds exactly these bytes: nothing was written.
    Identical(PathBuf),
}

impl SaveOutcome {
    pub fn path(&self) -> &Path {
        match self {
            SaveOutcome::Written(path) | SaveOutcome::Identical(path) => path,
        }
    }
}

/// `<process id>-<label>.<ext>`: `IDP123-document-front.jpg`, `IDP123-face-photo.png`. The label
/// is the one the tree shows ([`ImageKind::label`]), so a file says what the screen said and
/// keeps saying it once copied out of its folder; links the tree only calls a file add what
/// tells them apart (`IDP123-input-file-0.jpg`, `IDP123-document-file-signed-document-url.pdf`).
/// Each part sanitised, the extension sniffed from the bytes (`bin` when unknown).
/// Deterministic: the same image always gets the same name.
pub fn save_name(process_id: &str, link: &ImageLink, bytes: &[u8]) -> String {
    let ext = extension(sniff(bytes).unwrap_or_default());
    let label = slug(link.kind.label());
    let label = match link.kind {
        ImageKind::InputFile => match link.field.rsplit_once('-') {
            Some((_, index)) if index.bytes().all(|b| b.is_ascii_digit()) => {
                format!("{label}-{index}")
            }
            _ => format!("{label}-{}", slug(&link.field)),
        },
        ImageKind::Document | ImageKind::Other => format!("{label}-{}", slug(&link.field)),
        _ => label,
    };
    format!("{}-{label}.{ext}", file_component(process_id))
}

/// Lower-case ASCII letters and digits, every other run of characters one `-`: `face photo
/// (watermarked)` → `face-photo-watermarked`. Never empty.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let trimmed = out.trim_end_matches('-');
    if trimmed.is_empty() {
        "file".to_owned()
    } else {
        trimmed.chars().take(60).collect()
    }
}

/// Writes `bytes` as `download_dir/<sanitised process_id>/<name>` (or `name-1.ext`, ... if taken)
/// unless a file in that folder already holds the same bytes. `name` is expected from
/// [`save_name`]; anything else is sanitised. Creates missing folders 0700; never overwrites;
/// leaves no partial or temp file.
pub fn save(
    download_dir: &Path,
    process_id: &str,
    name: &str,
    bytes: &[u8],
) -> Result<SaveOutcome, SaveError> {
    save_with(download_dir, process_id, name, bytes, MAX_COPIES)
}

fn save_with(
    download_dir: &Path,
    process_id: &str,
    name: &str,
    bytes: &[u8],
    max_copies: u32,
) -> Result<SaveOutcome, SaveError> {
    let name = if is_safe_name(name) {
        name.to_owned()
    } else {
        file_component(name)
    };
    let root = PrivateDir::create_root(download_dir)?;
    let folder = root.make_dir(file_component(process_id))?;
    if let Some(same) = holding(&folder, &name, bytes) {
        return Ok(SaveOutcome::Identical(folder.path().join(same)));
    }
    let mut temp = folder.temp_file(&name)?;
    temp.write_all(bytes)?;
    publish(&mut temp, &name, max_copies).map(SaveOutcome::Written)
}

/// The name of a plain file in `folder` holding exactly `bytes` (`name` itself first), if any.
/// Only files of the same length are read, through the folder (never following a link); a
/// file that cannot be read is simply not a match. A process folder holds a handful of files.
fn holding(folder: &PrivateDir, name: &str, bytes: &[u8]) -> Option<String> {
    let len = u64::try_from(bytes.len()).ok()?;
    let mut candidates: Vec<String> = std::fs::read_dir(folder.path())
        .ok()?
        .filter_map(Result::ok)
        .filter(|entry| {
            // `DirEntry` metadata does not follow links: a link is not a plain file here.
            entry.file_type().is_ok_and(|t| t.is_file())
                && entry.metadata().is_ok_and(|m| m.len() == len)
        })
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|file| !is_temp_name(file))
        .collect();
    candidates.sort_by_key(|file| (file != name, file.clone()));
    candidates
        .into_iter()
        .find(|file| folder.read(file).is_ok_and(|held| held == bytes))
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
        for n in 0..3u8 {
            save_with(tmp.path(), "IDP1", "x.jpg", &[b'd', n], 3).unwrap();
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
        let saved = save(tmp.path(), "IDP1", "../../escape.jpg", b"x").unwrap();
        assert_eq!(
            saved.path().parent(),
            Some(tmp.path().join("IDP1").as_path())
        );
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
