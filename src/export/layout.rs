//! Where each file of an archive goes, and how it gets there.
//!
//! ```text
//! DIR/manifest.json                      what was asked, counts, per-process state and checksums
//! DIR/progress.jsonl                     the journal: one line per finished process (see manifest)
//! DIR/processes.jsonl                    list items as received (ids mode: {"process_id": …})
//! DIR/<process>/result.json              the result, byte for byte
//! DIR/<process>/validations/<id>.json    show_details=true, byte for byte
//! DIR/<process>/images/<save name>       `<validation type>-<field>.<ext>`, as the browser saves
//! ```
//!
//! Every name is sanitised ([`file_component`]); a process or validation id that does not survive
//! sanitising unchanged (or contains a dot, so `manifest.json` cannot be a process) gets 16 hex
//! digits of a hash of the id appended. A hostile server could still send an id that equals
//! another id's hashed name, so the export also checks that no two ids of a run share a folder.
//! Every file is written through [`crate::fsx`] from the `--out` folder opened once: whole or not
//! at all (a hidden `.<name>.<pid>-<n>.part` file, synced, renamed into place, the folder
//! synced), 0600 in 0700 folders, and never through a link planted below `--out` (a process
//! whose folder, or a folder in it, is a link fails naming it). A killed run can leave `.part`
//! files behind; the next run sweeps them before it starts.

use std::fs;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::api::model::{ImageKind, ProcessResult};
use crate::sanitize::file_component;

pub use super::format::{JOURNAL, MANIFEST, PROCESSES};
pub const RESULT: &str = "result.json";
pub const VALIDATIONS: &str = "validations";
pub const IMAGES: &str = "images";
pub const LOCK: &str = ".truora-tui-export.lock";

/// The folder (or file stem) for a server id: the id itself when it is already a safe name,
/// else its sanitised form plus `-` and 16 hex digits of its SHA-256.
pub fn id_name(id: &str) -> String {
    hashed_name(id, 8)
}

fn hashed_name(id: &str, hash_bytes: usize) -> String {
    let clean = file_component(id);
    if clean == id && !id.contains('.') {
        return clean;
    }
    let digest = Sha256::digest(id.as_bytes());
    let hash: String = digest[..hash_bytes]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let stem: String = clean.chars().take(100).collect();
    format!("{stem}-{hash}")
}

/// Whether `folder` is the folder of `id`: [`id_name`], or the 8-hex-digit name of archives
/// written before the hash grew to 16 (still read, never written).
pub fn is_folder_of(folder: &str, id: &str) -> bool {
    folder == id_name(id) || folder == hashed_name(id, 4)
}

/// `validations/<id name>.json`, relative to the process folder.
pub fn details_path(validation_id: &str) -> String {
    format!("{VALIDATIONS}/{}.json", id_name(validation_id))
}

/// One image link of a result and the stem of its file name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageStem {
    /// The validation's key within the result ([`ProcessResult::validation_key`]: its id, or
    /// `id#index` when two validations share the id, or `#index` when it has none), as in the
    /// browser's `ImageKey`.
    pub validation_id: String,
    pub field: String,
    /// `<validation type>-<field>`, sanitised, with `-1`, `-2`… for repeats in the process.
    pub stem: String,
    /// The link, as the result has it (signed).
    pub link: String,
    pub kind: ImageKind,
}

/// The image files of a result, in order: the browser's save name without its extension (which
/// comes from the bytes), made unique within the process in a fixed order so a re-run and the
/// archive reader arrive at the same names.
pub fn image_stems(result: &ProcessResult) -> Vec<ImageStem> {
    let mut used = std::collections::HashSet::new();
    let mut out = Vec::new();
    for v in &result.validations {
        let validation_id = result.validation_key(v);
        for link in &v.images {
            let base = bounded(format!(
                "{}-{}",
                file_component(v.type_name()),
                file_component(&link.field)
            ));
            let mut stem = base.clone();
            let mut n = 1;
            while !used.insert(stem.clone()) {
                stem = format!("{base}-{n}");
                n += 1;
            }
            out.push(ImageStem {
                validation_id: validation_id.clone(),
                field: link.field.clone(),
                stem,
                link: link.url.clone(),
                kind: link.kind,
            });
        }
    }
    out
}

/// Longest image stem kept as is: with a copy number, an extension and the temp file's
/// decoration the name stays well under the 255 bytes file systems allow.
const MAX_STEM: usize = 160;

/// A stem cut to [`MAX_STEM`] bytes, with a hash of the whole so long names stay distinct.
fn bounded(stem: String) -> String {
    if stem.len() <= MAX_STEM {
        return stem;
    }
    let digest = Sha256::digest(stem.as_bytes());
    let hash: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    // Sanitised stems are ASCII, so any byte index is a char boundary.
    format!("{}-{hash}", &stem[..MAX_STEM - 9])
}

/// A relative path from an archive's bookkeeping, checked before use: plain components only,
/// none hidden, none `..`, so a tampered manifest cannot point outside the archive.
pub fn is_safe_relative(path: &str) -> bool {
    !path.is_empty()
        && path
            .split('/')
            .all(|c| !c.is_empty() && !c.starts_with('.') && file_component(c) == c)
}

/// `scheme://host/path` of a link: the object, without the signature in its query.
pub fn without_query(link: &str) -> String {
    match url::Url::parse(link) {
        Ok(mut u) => {
            u.set_query(None);
            u.set_fragment(None);
            u.to_string()
        }
        Err(_) => link.split(['?', '#']).next().unwrap_or_default().to_owned(),
    }
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a name is one of the temp files [`crate::fsx`] writes through.
pub use crate::fsx::is_temp_name;

/// Temp files anywhere in the archive (for tests and `--check`-style assertions).
pub fn temp_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if is_temp_name(&entry.file_name().to_string_lossy()) {
                found.push(path);
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_ids_are_their_own_names_and_others_get_a_hash() {
        assert_eq!(id_name("IDP0123abc"), "IDP0123abc");
        assert_eq!(id_name("VLD_x-1"), "VLD_x-1");
        let a = id_name("IDP/a");
        let b = id_name("IDP_a");
        assert!(
            a.starts_with("IDP_a-") && a.len() == "IDP_a-".len() + 16,
            "{a}"
        );
        assert!(is_folder_of(&a, "IDP/a"));
        assert!(
            is_folder_of(&a[..a.len() - 8], "IDP/a"),
            "the 8-digit name of old archives"
        );
        assert!(!is_folder_of("IDP_a", "IDP/a"));
        assert!(is_folder_of("IDP0123abc", "IDP0123abc"));
        assert_ne!(a, b);
        assert_ne!(id_name("IDP:a"), a, "same sanitised form, different hash");
        assert!(id_name("manifest.json").starts_with("manifest.json-"));
        assert!(!id_name("..").starts_with('.'));
        let long = "x".repeat(300);
        assert!(id_name(&long).len() <= 120);
        assert_ne!(id_name(&long), id_name(&format!("{long}y")));
        let stem = bounded("a".repeat(300));
        assert_eq!(stem.len(), MAX_STEM);
        assert_ne!(stem, bounded(format!("{}b", "a".repeat(300))));
        assert_eq!(bounded("short".into()), "short");
    }
}
