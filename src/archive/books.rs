//! Reading an archive's bookkeeping (`manifest.json`, then `progress.jsonl` on top) and saying
//! plainly when it cannot be taken at its word: a damaged or foreign manifest is not used, and a
//! manifest still in state `running` is explained rather than trusted, each with what was used
//! instead. Records are not kept: each goes to the archive's index as it is read.

use std::fs::{File, TryLockError};
use std::path::Path;

use crate::export::format::{self, Head, JOURNAL, MANIFEST, Record, RunState};
use crate::export::layout::LOCK;
use crate::export::manifest::{self, ManifestError};
use crate::fsx::{FsError, PrivateDir};

use super::ArchiveError;
use super::index::Span;
use super::records;
use super::view::count;

/// What the bookkeeping holds, besides its records (each handed over as it is read).
pub(super) struct Books {
    pub head: Option<Head>,
    /// How many records came from the journal.
    pub journaled: usize,
    /// Why the manifest was not used, if it was there but was not.
    pub unused_manifest: Option<String>,
    /// Journal lines that were not records.
    pub bad_lines: usize,
}

/// The manifest as read: its head, its handle (kept to read records again), or why it is not
/// used. Its records went to `each`; when it is not used, whatever they built must be dropped.
pub(super) struct ManifestBook {
    pub head: Option<Head>,
    pub file: Option<File>,
    pub unused: Option<String>,
}

pub(super) fn manifest(root: &PrivateDir, each: &mut dyn FnMut(Span, Record)) -> ManifestBook {
    let unused = |why: String| ManifestBook {
        head: None,
        file: None,
        unused: Some(why),
    };
    let file = match root.open_file(MANIFEST) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return ManifestBook {
                head: None,
                file: None,
                unused: None,
            };
        }
        Err(e) => return unused(format!("was not read ({e})")),
    };
    let read = file
        .try_clone()
        .map_err(|source| {
            ManifestError::Unreadable(FsError::Io {
                path: root.path().join(MANIFEST),
                source,
            })
        })
        .and_then(|reading| records::manifest(reading, each));
    match read {
        Ok((head, _)) => match format::foreign_reason(&head) {
            None => ManifestBook {
                head: Some(head),
                file: Some(file),
                unused: None,
            },
            // Not ours: neither its head nor its records say anything about this archive.
            Some(reason) => unused(format!("is not the manifest of an export ({reason})")),
        },
        Err(ManifestError::Unreadable(e)) => unused(format!("was not read ({e})")),
        Err(ManifestError::Damaged(reason)) => unused(format!("is damaged ({reason})")),
    }
}

/// The journal's records, each handed to `each` as it is read; the handle is kept to read them
/// again. Returns the handle (none when there is no journal) and how many lines were not
/// records.
pub(super) fn journal(
    dir: &Path,
    root: &PrivateDir,
    each: &mut dyn FnMut(Span, Record),
) -> Result<(Option<File>, usize), ArchiveError> {
    let file = match root.open_file(JOURNAL) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((None, 0)),
        Err(e) => return Err(ArchiveError::reading(dir.join(JOURNAL), e.into())),
    };
    let reading = file
        .try_clone()
        .map_err(|e| ArchiveError::reading(dir.join(JOURNAL), e))?;
    let bad =
        records::journal(reading, each).map_err(|e| ArchiveError::reading(dir.join(JOURNAL), e))?;
    Ok((Some(file), bad))
}

impl Books {
    /// The lines for [`super::Archive::problems`] about the bookkeeping itself, once the records
    /// have been checked (`processes` usable records) and the folders scanned (`scanned`
    /// processes no record mentions).
    pub fn problems(&self, dir: &Path, processes: usize, scanned: usize) -> Vec<String> {
        let mut lines = Vec::new();
        if let Some(why) = &self.unused_manifest {
            let instead = if self.journaled > 0 {
                format!(
                    "the states and checksums of {} come from {JOURNAL}",
                    count(processes, "process", "processes")
                )
            } else if scanned > 0 {
                format!("{JOURNAL} has no records either (see below)")
            } else {
                "nothing else describes the archive".to_owned()
            };
            lines.push(format!(
                "{MANIFEST} {why} and was not used: {instead}; what the export was asked (filters, --no-images, --no-details) is unknown"
            ));
        }
        if self.bad_lines > 0 {
            lines.push(format!(
                "{} of {JOURNAL} could not be read (cut short by a kill, or edited); those processes are shown from what else was found",
                count(self.bad_lines, "line", "lines")
            ));
        }
        match self.head.as_ref().map(|h| h.state) {
            Some(RunState::Running) if export_holds(dir) => lines.push(format!(
                "an export is writing to this archive right now ({MANIFEST} says running): {} finished so far are shown, from {JOURNAL}; open it again when the export has ended",
                count(self.journaled, "process", "processes")
            )),
            Some(RunState::Running) => lines.push(format!(
                "{MANIFEST} still says the export is running, but no export is: it was stopped or crashed, or could not write its end (a full disk); the state of each process comes from {JOURNAL} ({}), not from the manifest; run the export again to finish the archive",
                count(self.journaled, "record", "records")
            )),
            Some(RunState::Unknown) => lines.push(format!(
                "{MANIFEST} has no state this version knows (written by a newer truora-tui?); the state of each process comes from its records"
            )),
            _ => {}
        }
        lines
    }
}

/// Whether an export holds the archive's lock now (it takes it exclusively for its whole run).
/// Asked with a shared lock on a read-only handle, so the archive is not written to; a lock
/// file that is not a regular file (a FIFO) is no export's.
fn export_holds(dir: &Path) -> bool {
    let Ok(file) = manifest::open_book(dir, LOCK) else {
        return false;
    };
    matches!(file.try_lock_shared(), Err(TryLockError::WouldBlock))
}
