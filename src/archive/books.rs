//! Reading an archive's bookkeeping (`manifest.json`, then `progress.jsonl` on top) and saying
//! plainly when it cannot be taken at its word: a damaged or foreign manifest is not used, and a
//! manifest still in state `running` is explained rather than trusted, each with what was used
//! instead.

use std::fs::TryLockError;
use std::path::Path;

use crate::export::format::{self, Head, JOURNAL, MANIFEST, Record, RunState};
use crate::export::layout::LOCK;
use crate::export::manifest::{self, ManifestError};

use super::ArchiveError;
use super::view::count;

/// What the bookkeeping holds, before the records are checked.
pub(super) struct Books {
    pub head: Option<Head>,
    /// The manifest's records, then the journal's (later ones win).
    pub records: Vec<Record>,
    /// How many of `records` came from the journal.
    pub journaled: usize,
    /// Why the manifest was not used, if it was there but was not.
    pub unused_manifest: Option<String>,
    /// Journal lines that were not records.
    pub bad_lines: usize,
}

pub(super) fn read(dir: &Path) -> Result<Books, ArchiveError> {
    let mut records = Vec::new();
    let mut unused_manifest = None;
    let head = match manifest::stream_manifest(dir, Some(&mut |r| records.push(r))) {
        Ok(Some((head, _))) => match format::foreign_reason(&head) {
            None => Some(head),
            Some(reason) => {
                // Not ours: neither its head nor its records say anything about this archive.
                records.clear();
                unused_manifest = Some(format!("is not the manifest of an export ({reason})"));
                None
            }
        },
        Ok(None) => None,
        Err(ManifestError::Unreadable(e)) => {
            unused_manifest = Some(format!("was not read ({e})"));
            None
        }
        Err(ManifestError::Damaged(reason)) => {
            records.clear();
            unused_manifest = Some(format!("is damaged ({reason})"));
            None
        }
    };
    let from_manifest = records.len();
    let bad_lines = manifest::read_journal(dir, |_, r| records.push(r))
        .map_err(|e| ArchiveError::reading(dir.join(JOURNAL), e))?;
    Ok(Books {
        journaled: records.len() - from_manifest,
        head,
        records,
        unused_manifest,
        bad_lines,
    })
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
