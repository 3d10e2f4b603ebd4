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
mod index;
#[cfg(test)]
mod memory_tests;
mod open;
mod records;
mod scan;
mod view;

use view::missing;

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::api::model::{ProcessResult, ProcessSummary, ValidationDetails};
use crate::export::format::{FileKind, FileRecord, Head, Missing, ProcessState, Record};
use crate::export::layout;
use crate::fsx::{FsError, PrivateDir};
use index::{Ids, Place, Validations};

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

/// What the archive holds for one process: its record, read again from disk (or its folder
/// scanned again) when the process is opened, and dropped after.
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

/// One row of the list: a process (by its key in [`Ids`]) and where its list fields come from.
#[derive(Clone, Copy, Debug)]
struct Row {
    key: u32,
    from: RowFrom,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum RowFrom {
    /// Its line of `processes.jsonl` (the record's list fields when the line has no status).
    Line(index::Span),
    /// The list fields of its record (a process the list file does not name).
    Record,
    /// Its id alone (an id named twice by an ids file, the second time).
    Bare,
}

/// An export opened for reading. What it keeps in memory is small and fixed per process (its
/// id, where its record and its list line are: see [`index`]); the records, the list's fields
/// and the files are read from disk when asked for, through handles opened once.
pub struct Archive {
    dir: PathBuf,
    /// `dir`, opened once: every file is read from it.
    root: PrivateDir,
    head: Option<Head>,
    /// Every process the archive knows (exported, listed, or named by an ids file).
    ids: Ids,
    /// The list, in order.
    rows: Vec<Row>,
    /// Validation id → process, for details looked up by validation alone.
    validations: Validations,
    /// The folders of the processes found by scanning, for [`Place::Scanned`].
    scanned: Vec<String>,
    /// The bookkeeping files as they were when the archive was opened (see [`records`]).
    manifest: Option<File>,
    journal: Option<File>,
    list: Option<File>,
    problems: Vec<String>,
    /// How many of the first `problems` are about the bookkeeping itself.
    bookkeeping: usize,
}

impl Archive {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many rows the list has.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The process id of row `row`.
    pub fn row_id(&self, row: usize) -> Option<&str> {
        self.rows.get(row).map(|r| self.ids.id(r.key))
    }

    /// Up to `n` rows from `start`, in list order (newest first, as the API listed them), each
    /// read from disk: its line of `processes.jsonl`, or the list fields of its record.
    pub fn rows(&self, start: usize, n: usize) -> Vec<ProcessSummary> {
        self.rows
            .iter()
            .skip(start)
            .take(n)
            .map(|row| self.summary(row))
            .collect()
    }

    /// Every row (see [`Archive::rows`]).
    pub fn processes(&self) -> Vec<ProcessSummary> {
        self.rows(0, self.rows.len())
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

    /// The result as exported: the bytes of `result.json` and their parse.
    pub fn result(&self, process_id: &str) -> Result<(Vec<u8>, ProcessResult), ArchiveError> {
        let what = format!("process {}", crate::api::client::short(process_id));
        let entry = self.entry(process_id, &what)?;
        let file = entry
            .files
            .iter()
            .find(|f| f.kind == FileKind::Result)
            .ok_or_else(|| missing(&what, &entry, FileKind::Result, None, None))?;
        let bytes = self.read(&entry, file, &what)?;
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
        let (entry, file) = self.owner_of(validation_id, &what)?;
        let Some(file) = file else {
            return Err(missing(
                &what,
                &entry,
                FileKind::Details,
                Some(validation_id),
                None,
            ));
        };
        let bytes = self.read(&entry, &file, &what)?;
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
                    &entry,
                    FileKind::Image,
                    Some(validation_id),
                    Some(field),
                )
            })?;
        self.read(&entry, file, &what)
    }

    /// The entry of an exported process, its record read again (or its folder scanned again).
    fn entry(&self, process_id: &str, what: &str) -> Result<Entry, ArchiveError> {
        let not_reached = || ArchiveError::Missing {
            what: what.to_owned(),
            why: " (the export did not reach it)".into(),
            advice: "re-run the export to resume it".into(),
        };
        let (_, slot) = self.ids.exported(process_id).ok_or_else(not_reached)?;
        self.entry_at(slot.place, process_id)
            .map_err(|reason| ArchiveError::Damaged {
                what: what.to_owned(),
                reason,
            })?
            .ok_or_else(not_reached)
    }

    /// The entry at `place`; `Ok(None)` when the place holds nothing exported, `Err` why the
    /// record can no longer be read there.
    fn entry_at(&self, place: Place, process_id: &str) -> Result<Option<Entry>, String> {
        let (book, file, span) = match place {
            Place::Absent => return Ok(None),
            Place::Manifest(span) => (layout::MANIFEST, &self.manifest, span),
            Place::Journal(span) => (layout::JOURNAL, &self.journal, span),
            Place::Scanned(folder) => {
                let folder = self.scanned[folder as usize].clone();
                return match scan::scan_folder(&self.root, folder) {
                    Ok(Some((id, entry))) if id == process_id => Ok(Some(entry)),
                    Ok(_) => Err("its folder changed since the archive was opened".into()),
                    Err(refusal) => Err(refusal.to_string()),
                };
            }
        };
        let file = file.as_ref().ok_or("its bookkeeping file is gone")?;
        records::record_at(file, span, process_id)
            .map(|r| Some(Entry::from_record(r)))
            .map_err(|e| format!("its record in {book} cannot be read again: {e}"))
    }

    /// The process whose record names `validation_id` (a details file first, else details
    /// recorded as missing), with its details file if it has one.
    fn owner_of(
        &self,
        validation_id: &str,
        what: &str,
    ) -> Result<(Entry, Option<FileRecord>), ArchiveError> {
        let mut recorded_missing = None;
        for key in self.validations.candidates(validation_id) {
            let process_id = self.ids.id(key);
            let place = self.ids.slot(key).place;
            let Ok(Some(entry)) = self.entry_at(place, process_id) else {
                continue;
            };
            let names =
                |kind, v: Option<&str>| kind == FileKind::Details && v == Some(validation_id);
            if let Some(file) = entry
                .files
                .iter()
                .find(|f| names(f.kind, f.validation_id.as_deref()))
            {
                let file = file.clone();
                return Ok((entry, Some(file)));
            }
            let listed = entry
                .missing
                .iter()
                .any(|m| names(m.kind, m.validation_id.as_deref()));
            if listed && recorded_missing.is_none() {
                recorded_missing = Some(entry);
            }
        }
        recorded_missing
            .map(|entry| (entry, None))
            .ok_or_else(|| ArchiveError::Missing {
                what: what.to_owned(),
                why: String::new(),
                advice: "its process is not in the archive; re-run the export".into(),
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
}
