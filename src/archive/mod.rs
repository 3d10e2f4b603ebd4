//! Reading an export back, offline: `truora-tui --archive DIR` and `show --archive`.
//!
//! The archive is read the way the export wrote it (see [`crate::export::manifest`]; the types
//! are shared with the export in [`crate::export::format`]): the manifest's records, the
//! journal's on top, then any process folder neither mentions (a run stopped mid-process) found
//! by scanning. A damaged or foreign manifest is not used and a manifest still `running` is not
//! trusted; both are said, with what was used instead ([`books`]). With no bookkeeping at all, every folder holding a
//! `result.json` is a process and its images are matched by their save names. The list comes
//! from `processes.jsonl` when present, else from what was found. Whatever is missing is said,
//! once at open ([`Archive::problems`]) and again by the lookup that needs it, with what to do.
//!
//! Every file is checked against its recorded SHA-256 when read, and every path from the
//! bookkeeping is checked to stay inside the archive. Files are read through [`crate::fsx`] from
//! the folder opened once: only regular files, never through a link below it (a process folder
//! that links to a copy elsewhere is refused, with its name, not taken for the process), and
//! without blocking (a FIFO in place of a file is refused at once instead of hanging `show`).

mod books;
mod scan;
mod view;

use view::{count, missing};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::api::model::{ProcessResult, ProcessSummary, ValidationDetails};
use crate::export::format::{FileKind, FileRecord, Head, Missing, ProcessState, Record};
use crate::export::layout;
use crate::fsx::{FsError, PrivateDir};

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("{} is not a folder: give --archive the folder an export wrote", dir.display())]
    NotAFolder { dir: PathBuf },
    #[error(
        "{} holds no export (no manifest.json, progress.jsonl or process folders): check the path given to --archive",
        dir.display()
    )]
    Empty { dir: PathBuf },
    #[error("{what} is not in the archive{why}; {advice}")]
    Missing {
        what: String,
        why: String,
        advice: String,
    },
    #[error("{what} in the archive is damaged ({reason}); re-run the export to fetch it again")]
    Damaged { what: String, reason: String },
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file or folder of the archive is a link, a FIFO, a socket or a device: it is not read.
    #[error("{0}")]
    Refused(FsError),
}

impl ArchiveError {
    /// A failed read of `path`: a refusal of [`crate::fsx`] in its own words (it names the file),
    /// anything else with the path.
    fn reading(path: PathBuf, e: std::io::Error) -> ArchiveError {
        match FsError::from_io(e) {
            Ok(refusal) => ArchiveError::Refused(refusal),
            Err(source) => ArchiveError::Io { path, source },
        }
    }
}

/// What the archive holds for one process.
#[derive(Clone, Debug)]
struct Entry {
    folder: String,
    /// `None`: found on disk with no record (the export stopped while writing it).
    state: Option<ProcessState>,
    error: Option<String>,
    images_asked: bool,
    details_asked: bool,
    files: Vec<FileRecord>,
    missing: Vec<Missing>,
    summary: serde_json::Map<String, serde_json::Value>,
}

impl Entry {
    fn from_record(r: Record) -> Entry {
        Entry {
            folder: r.folder,
            state: Some(r.state),
            error: r.error,
            images_asked: r.images,
            details_asked: r.details,
            files: r.files,
            missing: r.missing,
            summary: r.summary,
        }
    }
}

/// An export opened for reading.
pub struct Archive {
    dir: PathBuf,
    /// `dir`, opened once: every file is read from it.
    root: PrivateDir,
    head: Option<Head>,
    list: Vec<ProcessSummary>,
    entries: HashMap<String, Entry>,
    /// Validation id → process id, for details looked up by validation alone.
    validations: HashMap<String, String>,
    problems: Vec<String>,
    /// How many of the first `problems` are about the bookkeeping itself.
    bookkeeping: usize,
}

impl Archive {
    /// Opens `dir`, tolerating a missing or damaged manifest. Fails only when `dir` is not a
    /// folder or holds nothing an export writes.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Archive, ArchiveError> {
        let dir = dir.into();
        if !dir.is_dir() {
            return Err(ArchiveError::NotAFolder { dir });
        }
        let root = PrivateDir::open_root(&dir).map_err(ArchiveError::Refused)?;
        let mut books = books::read(&dir)?;
        let mut rejected = Vec::new();
        let mut order = Vec::new();
        let mut entries = HashMap::new();
        for r in std::mem::take(&mut books.records) {
            let unsafe_folder = !layout::is_safe_relative(&r.folder) || r.folder.contains('/');
            if unsafe_folder || !layout::is_folder_of(&r.folder, &r.process_id) {
                rejected.push(format!(
                    "the record of {} names {}; ignored",
                    crate::api::client::short(&r.process_id),
                    if unsafe_folder {
                        "an unsafe folder"
                    } else {
                        "a folder that is not its own"
                    }
                ));
                continue;
            }
            if !entries.contains_key(&r.process_id) {
                order.push(r.process_id.clone());
            }
            entries.insert(r.process_id.clone(), Entry::from_record(r));
        }
        let mut scan = scan::unrecorded(&root, &entries);
        let scanned = std::mem::take(&mut scan.found);
        if books.head.is_none() && entries.is_empty() && scanned.is_empty() {
            return Err(ArchiveError::Empty { dir });
        }
        let mut problems = books.problems(&dir, entries.len(), scanned.len());
        problems.append(&mut rejected);
        problems.append(&mut scan.refused);
        let head = books.head.take();
        if !scanned.is_empty() {
            problems.push(if entries.is_empty() {
                format!(
                    "no usable manifest or journal: {} found by scanning folders; images matched by their names",
                    count(scanned.len(), "process", "processes")
                )
            } else {
                format!(
                    "{} only partly written (the export stopped while writing them)",
                    count(scanned.len(), "process", "processes")
                )
            });
        }
        let bookkeeping = problems.len();
        for (id, entry) in scanned {
            order.push(id.clone());
            entries.insert(id, entry);
        }
        let mut archive = Archive {
            list: Vec::new(),
            validations: HashMap::new(),
            dir,
            root,
            head,
            entries,
            problems,
            bookkeeping,
        };
        archive.index_validations();
        archive.build_list(order);
        archive.describe();
        Ok(archive)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The processes, in list order (newest first, as the API listed them).
    pub fn processes(&self) -> &[ProcessSummary] {
        &self.list
    }

    /// What is missing or damaged, one line each, for the status bar or stderr.
    pub fn problems(&self) -> &[String] {
        &self.problems
    }

    /// The first of [`Archive::problems`]: what of the bookkeeping could not be taken at its word
    /// (a damaged or foreign manifest, one still `running`, unreadable journal lines, records
    /// pointing elsewhere), each with what was used instead.
    pub fn bookkeeping_warnings(&self) -> &[String] {
        &self.problems[..self.bookkeeping]
    }

    /// What the export was asked (status/dates/ids, images, details), if the manifest says.
    pub fn head(&self) -> Option<&Head> {
        self.head.as_ref()
    }

    /// Keeps only these processes, in this order (`--archive` with `--ids-file`); ids the
    /// archive lacks stay listed and say so when opened.
    pub fn retain_ids(&mut self, ids: &[String]) {
        let mut by_id: HashMap<String, ProcessSummary> = std::mem::take(&mut self.list)
            .into_iter()
            .filter_map(|s| Some((s.process_id.clone()?, s)))
            .collect();
        self.list = ids
            .iter()
            .map(|id| {
                by_id.remove(id).unwrap_or_else(|| ProcessSummary {
                    process_id: Some(id.clone()),
                    ..ProcessSummary::default()
                })
            })
            .collect();
        let absent = ids
            .iter()
            .filter(|id| !self.entries.contains_key(*id))
            .count();
        if absent > 0 {
            self.problems.push(format!(
                "{} of the ids file not in the archive",
                count(absent, "id", "ids")
            ));
        }
    }

    /// The result as exported: the bytes of `result.json` and their parse.
    pub fn result(&self, process_id: &str) -> Result<(Vec<u8>, ProcessResult), ArchiveError> {
        let what = format!("process {}", crate::api::client::short(process_id));
        let entry = self.entry(process_id, &what)?;
        let file = entry
            .files
            .iter()
            .find(|f| f.kind == FileKind::Result)
            .ok_or_else(|| missing(&what, entry, FileKind::Result, None, None))?;
        let bytes = self.read(entry, file, &what)?;
        let parsed = ProcessResult::from_slice(&bytes).map_err(|e| ArchiveError::Damaged {
            what: what.clone(),
            reason: e.to_string(),
        })?;
        Ok((bytes, parsed))
    }

    /// A validation's details (`show_details=true`) as exported.
    pub fn details(
        &self,
        validation_id: &str,
    ) -> Result<(Vec<u8>, ValidationDetails), ArchiveError> {
        let what = format!(
            "details of validation {}",
            crate::api::client::short(validation_id)
        );
        let owner = self.validations.get(validation_id);
        let entry = owner.and_then(|p| self.entries.get(p));
        let file = entry.and_then(|e| {
            e.files.iter().find(|f| {
                f.kind == FileKind::Details && f.validation_id.as_deref() == Some(validation_id)
            })
        });
        let (Some(entry), Some(file)) = (entry, file) else {
            return Err(match entry {
                Some(entry) => missing(&what, entry, FileKind::Details, Some(validation_id), None),
                None => ArchiveError::Missing {
                    what,
                    why: String::new(),
                    advice: "its process is not in the archive; re-run the export".into(),
                },
            });
        };
        let bytes = self.read(entry, file, &what)?;
        let parsed = ValidationDetails::from_slice(&bytes).map_err(|e| ArchiveError::Damaged {
            what: what.clone(),
            reason: e.to_string(),
        })?;
        Ok((bytes, parsed))
    }

    /// An image's bytes by its key (`validation_id` is the validation's key within the result,
    /// `ProcessResult::validation_key`, as in the browser's `ImageKey`); `link` (any link to the
    /// same object, signature or not) finds files the key does not, e.g. a details link to an
    /// image the result also had.
    pub fn image(
        &self,
        process_id: &str,
        validation_id: &str,
        field: &str,
        link: Option<&str>,
    ) -> Result<Vec<u8>, ArchiveError> {
        let what = format!(
            "image {field} of process {}",
            crate::api::client::short(process_id)
        );
        let entry = self.entry(process_id, &what)?;
        let object = link.map(layout::without_query);
        let file = entry
            .files
            .iter()
            .filter(|f| f.kind == FileKind::Image)
            .find(|f| {
                f.validation_id.as_deref() == Some(validation_id)
                    && f.field.as_deref() == Some(field)
            })
            .or_else(|| {
                let object = object.as_deref()?;
                entry
                    .files
                    .iter()
                    .find(|f| f.kind == FileKind::Image && f.link.as_deref() == Some(object))
            })
            .ok_or_else(|| {
                missing(
                    &what,
                    entry,
                    FileKind::Image,
                    Some(validation_id),
                    Some(field),
                )
            })?;
        self.read(entry, file, &what)
    }

    fn entry(&self, process_id: &str, what: &str) -> Result<&Entry, ArchiveError> {
        self.entries
            .get(process_id)
            .ok_or_else(|| ArchiveError::Missing {
                what: what.to_owned(),
                why: " (the export did not reach it)".into(),
                advice: "re-run the export to resume it".into(),
            })
    }

    /// Reads a file of an entry, checking its path and checksum.
    fn read(&self, entry: &Entry, file: &FileRecord, what: &str) -> Result<Vec<u8>, ArchiveError> {
        if !layout::is_safe_relative(&file.path) {
            return Err(ArchiveError::Damaged {
                what: what.to_owned(),
                reason: "its recorded path leaves its folder".into(),
            });
        }
        let rel = Path::new(&entry.folder).join(&file.path);
        let bytes = self.root.read(&rel).map_err(|e| match e {
            e if e.kind() == std::io::ErrorKind::NotFound => ArchiveError::Missing {
                what: what.to_owned(),
                why: format!(" ({} was deleted)", self.dir.join(&rel).display()),
                advice: "re-run the export to fetch it again".into(),
            },
            FsError::Io { path, source } => ArchiveError::Io { path, source },
            refusal => ArchiveError::Refused(refusal),
        })?;
        if !file.sha256.is_empty() && layout::sha256_hex(&bytes) != file.sha256 {
            return Err(ArchiveError::Damaged {
                what: what.to_owned(),
                reason: "its SHA-256 differs from the manifest".into(),
            });
        }
        Ok(bytes)
    }

    fn index_validations(&mut self) {
        for (id, entry) in &self.entries {
            for f in entry.files.iter().filter(|f| f.kind == FileKind::Details) {
                if let Some(v) = &f.validation_id {
                    self.validations.insert(v.clone(), id.clone());
                }
            }
            for m in entry.missing.iter().filter(|m| m.kind == FileKind::Details) {
                if let Some(v) = &m.validation_id {
                    self.validations
                        .entry(v.clone())
                        .or_insert_with(|| id.clone());
                }
            }
        }
    }
}
