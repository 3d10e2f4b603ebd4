//! Finding processes no record mentions: folders with a `result.json` written by a run that was
//! stopped (or killed) before it journaled them, or a whole archive whose bookkeeping is gone.
//!
//! Without a record there are no checksums and no image keys, so files are matched the way the
//! export named them: details by `validations/<validation id>.json`, images by their save name
//! `<validation type>-<field>` (any extension), both recomputed from the result.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use crate::api::model::ProcessResult;
use crate::export::format::{self, FileKind, FileRecord};
use crate::export::layout::{self, IMAGES, RESULT};

use super::Entry;

/// Processes in folders no entry claims, by process id.
pub(super) fn unrecorded(dir: &Path, entries: &HashMap<String, Entry>) -> Vec<(String, Entry)> {
    let claimed: HashSet<&str> = entries.values().map(|e| e.folder.as_str()).collect();
    let Ok(read) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut folders: Vec<String> = read
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| layout::is_safe_relative(name) && !claimed.contains(name.as_str()))
        .collect();
    folders.sort();
    let mut found = Vec::new();
    let mut ids = HashSet::new();
    for folder in folders {
        let Some((id, entry)) = scan_folder(dir, folder) else {
            continue;
        };
        if entries.contains_key(&id) || !ids.insert(id.clone()) {
            continue;
        }
        found.push((id, entry));
    }
    found
}

fn scan_folder(dir: &Path, folder: String) -> Option<(String, Entry)> {
    let base = dir.join(&folder);
    let bytes = fs::read(base.join(RESULT)).ok()?;
    let file = |path: String, kind, validation_id: Option<String>, field: Option<String>| {
        let size = fs::metadata(base.join(&path)).map_or(0, |m| m.len());
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
        return Some((folder.clone(), entry(folder, files, Default::default())));
    };
    let id = result.process_id.clone().unwrap_or_else(|| folder.clone());
    for v in &result.validations {
        let Some(vid) = &v.validation_id else {
            continue;
        };
        let path = layout::details_path(vid);
        if base.join(&path).is_file() {
            files.push(file(path, FileKind::Details, Some(vid.clone()), None));
        }
    }
    let on_disk = image_names(&base.join(IMAGES));
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
    Some((id, entry(folder, files, summary)))
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
