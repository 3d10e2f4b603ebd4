//! Finding processes no record mentions: folders with a `result.json` written by a run that was
//! stopped (or killed) before it journaled them, or a whole archive whose bookkeeping is gone.
//!
//! Without a record there are no checksums and no image keys, so files are matched the way the
//! export named them: details by `validations/<validation id>.json`, images by their save name
//! `<validation type>-<field>` (any extension), both recomputed from the result.
//!
//! Only what the export could have written is taken: folders and regular files reached without
//! a link. A link in place of a process folder or of its `result.json` (a copy kept elsewhere),
//! or a FIFO there, is named in the archive's problems and not read.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use crate::api::model::ProcessResult;
use crate::export::format::{self, FileKind, FileRecord};
use crate::export::layout::{self, IMAGES, RESULT};
use crate::fsx::{FsError, PrivateDir};

use super::Entry;

/// What scanning found: processes by id, and what it refused to read (one line each).
pub(super) struct Scan {
    pub found: Vec<(String, Entry)>,
    pub refused: Vec<String>,
}

/// Processes in folders no record claims (`claimed`), by process id; ids `known` from records
/// are passed over.
pub(super) fn unrecorded(
    root: &PrivateDir,
    claimed: &dyn Fn(&str) -> bool,
    known: &dyn Fn(&str) -> bool,
) -> Scan {
    let mut scan = Scan {
        found: Vec::new(),
        refused: Vec::new(),
    };
    let Ok(read) = fs::read_dir(root.path()) else {
        return scan;
    };
    let mut folders = Vec::new();
    for entry in read.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !layout::is_safe_relative(&name) || claimed(&name) {
            continue;
        }
        // The entry's own type: a link is not followed to see what it points to.
        match entry.file_type() {
            Ok(t) if t.is_dir() => folders.push(name),
            Ok(t) if t.is_symlink() => scan.refused.push(format!(
                "{} is a symbolic link, which an export never writes: not read (move it away)",
                root.path().join(&name).display()
            )),
            _ => {}
        }
    }
    folders.sort();
    let mut ids = HashSet::new();
    for folder in folders {
        let (id, entry) = match scan_folder(root, folder) {
            Ok(Some(found)) => found,
            Ok(None) => continue,
            Err(refusal) => {
                scan.refused.push(format!("{refusal}; not read"));
                continue;
            }
        };
        if known(&id) || !ids.insert(id.clone()) {
            continue;
        }
        scan.found.push((id, entry));
    }
    scan
}

/// The process in `folder`: `None` when it holds no `result.json`, an error when that is not a
/// regular file (a link, a FIFO). Scanned again whenever the process is opened.
pub(super) fn scan_folder(
    root: &PrivateDir,
    folder: String,
) -> Result<Option<(String, Entry)>, FsError> {
    let base = Path::new(&folder);
    let bytes = match root.read(base.join(RESULT)) {
        Ok(bytes) => bytes,
        Err(FsError::Io { .. }) => return Ok(None),
        Err(refusal) => return Err(refusal),
    };
    let len = |path: &str| root.file_len(base.join(path));
    let file = |path: String, kind, validation_id: Option<String>, field: Option<String>| {
        let size = len(&path).unwrap_or(0);
        FileRecord {
            path,
            kind,
            validation_id,
            field,
            link: None,
            bytes: size,
            // No record, nothing to check against.
            sha256: String::new(),
        }
    };
    let mut files = vec![file(RESULT.into(), FileKind::Result, None, None)];
    let Ok(result) = ProcessResult::from_slice(&bytes) else {
        // Listed under its folder's name; opening it reports the damaged result.
        return Ok(Some((
            folder.clone(),
            entry(folder, files, Default::default()),
        )));
    };
    let id = result.process_id.clone().unwrap_or_else(|| folder.clone());
    for v in &result.validations {
        let Some(vid) = &v.validation_id else {
            continue;
        };
        let path = layout::details_path(vid);
        if len(&path).is_ok() {
            files.push(file(path, FileKind::Details, Some(vid.clone()), None));
        }
    }
    // Names only: each image is read (through `root`, refusing links) when it is shown.
    let images = root.path().join(&folder).join(IMAGES);
    let on_disk = if fs::symlink_metadata(&images).is_ok_and(|m| m.is_dir()) {
        image_names(&images)
    } else {
        HashMap::new()
    };
    for s in layout::image_stems(&result) {
        if let Some(name) = on_disk.get(&s.stem) {
            let path = format!("{IMAGES}/{name}");
            files.push(file(
                path,
                FileKind::Image,
                Some(s.validation_id),
                Some(s.field),
            ));
        }
    }
    let summary = format::summary(&result);
    Ok(Some((id, entry(folder, files, summary))))
}

/// Image file names in a folder by stem (`document-validation-front_image` → `….jpg`).
fn image_names(dir: &Path) -> HashMap<String, String> {
    let Ok(read) = fs::read_dir(dir) else {
        return HashMap::new();
    };
    read.filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !layout::is_temp_name(n) && !n.starts_with('.'))
        .filter_map(|n| Some((n.rsplit_once('.')?.0.to_owned(), n)))
        .collect()
}

fn entry(
    folder: String,
    files: Vec<FileRecord>,
    summary: serde_json::Map<String, serde_json::Value>,
) -> Entry {
    Entry {
        folder,
        state: None,
        error: None,
        images_asked: true,
        details_asked: true,
        files,
        missing: Vec::new(),
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_matched_by_stem_whatever_their_extension() {
        let tmp = tempfile::tempdir().unwrap();
        for name in ["a-front_image.jpg", "a-face_photo.png", ".a-x.jpg.1-0.part"] {
            fs::write(tmp.path().join(name), b"x").unwrap();
        }
        let names = image_names(tmp.path());
        assert_eq!(names.len(), 2);
        assert_eq!(names["a-front_image"], "a-front_image.jpg");
    }
}
