//! Before a run: claim the folder, clean up after a killed run, and learn what earlier runs did.
//!
//! - A folder is used only when it is new, empty, or an export: its `manifest.json` must carry
//!   our `format` and a version we read (a journal of our records vouches for a damaged
//!   manifest). Anything else is refused untouched, so `--out ~` cannot overwrite a stranger's
//!   `manifest.json`.
//! - The run holds an advisory lock on `.truora-tui-export.lock` for its whole life; the kernel
//!   releases it however the process ends (Ctrl-C twice, SIGTERM, a dropped SSH session, kill).
//! - A resumed run must ask for the same processes as the earlier one ([`super::request`]).
//! - Records are checked before they are trusted: a record whose folder is not its process's
//!   folder, or that names a file outside it, is dropped (and said), and its process redone.
//!
//! A process counts as done only when its latest record says `complete`, covers what this run
//! asks for (a `--no-images` export is not complete for a run that wants images), each of its
//! files is still there with the recorded size, and it was not `pending` when exported (a
//! pending process changes; so does one whose status in the list is not the recorded one, see
//! [`Prior::reuse`]). Anything else is redone, reusing the files that are still there (their
//! checksums, and for images their links, are checked again before reuse).

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

use super::layout::{self, JOURNAL, LOCK, MANIFEST};
use super::manifest::{self, FileKind, FileRecord, Head, Journal, ProcessState, Record};
use super::{ExportError, ExportOptions};
use crate::fsx::{FsError, PrivateDir};

/// What an earlier run left for one process.
pub(crate) struct Prior {
    /// Complete, and every file still there.
    complete: bool,
    /// The process's status when it was exported (from its result).
    status: Option<String>,
    /// Files still there with their recorded size (checksums are checked before reuse).
    files: Vec<FileRecord>,
}

impl Prior {
    /// Whether files of it are still in its folder (so the folder is its, see `list`).
    pub fn holds_files(&self) -> bool {
        !self.files.is_empty()
    }

    /// What this run does with the process, given its status in the list now (`None` when
    /// unknown, as with an ids file): `None` to skip it, else the files it may reuse. A process
    /// that was pending when exported, or whose status changed since, is exported again; its
    /// images are reused when their links still point to the same objects, its result and
    /// details are fetched anew.
    pub fn reuse(self, status_now: Option<&str>) -> Option<Vec<FileRecord>> {
        let before = self.status.as_deref();
        let changed =
            matches!((before, status_now), (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b));
        let pending = before.is_some_and(|s| s.eq_ignore_ascii_case("pending"));
        if self.complete && !changed && !pending {
            return None;
        }
        let mut files = self.files;
        if changed || pending {
            files.retain(|f| f.kind == FileKind::Image);
        }
        Some(files)
    }
}

/// Held for the whole run: an advisory lock on the lock file, released by the kernel when the
/// process ends however it ends. Dropping it removes the file, then unlocks.
pub(crate) struct Lock {
    root: PrivateDir,
    _file: Option<File>,
}

impl Drop for Lock {
    fn drop(&mut self) {
        if self._file.is_some() {
            let _ = self.root.remove_file(LOCK);
        }
    }
}

pub(crate) struct Prepared {
    /// `--out`, opened once: every file of the run is written from it (see [`crate::fsx`]).
    pub root: PrivateDir,
    pub lock: Lock,
    pub journal: Journal,
    pub prior: HashMap<String, Prior>,
    pub warnings: Vec<String>,
}

/// Claims `opts.out`, reads what is there, writes `head` as the manifest and opens the journal.
/// Every error here is a refusal of `--out` (exit 2, see [`ExportError::exit_code`]).
/// Blocking: call from `spawn_blocking`.
pub(crate) fn prepare(opts: &ExportOptions, head: &Head) -> Result<Prepared, ExportError> {
    let dir = &opts.out;
    let io = |e: io::Error| ExportError::unusable(dir, e);
    let mut warnings = Vec::new();
    check_folder(dir)?;
    let root = PrivateDir::create_root(dir).map_err(|e| ExportError::unusable(dir, e))?;
    let lock = claim(&root, &mut warnings)?;
    let manifest = match manifest::read_manifest(dir) {
        Ok(m) => m,
        Err(reason) => {
            warnings.push(format!(
                "{MANIFEST} is damaged ({reason}); resuming from {JOURNAL} (the options of the earlier run cannot be checked)"
            ));
            None
        }
    };
    if let Some(m) = &manifest {
        if let Some(reason) = manifest::foreign_reason(&m.head) {
            return Err(ExportError::NotOurs {
                path: dir.join(MANIFEST),
                reason,
            });
        }
        let differences = super::request::differences(&m.head.request, &head.request);
        if !differences.is_empty() {
            return Err(ExportError::Mismatch {
                dir: dir.clone(),
                differences,
            });
        }
    }
    if let Err(e) = root.make_private() {
        warnings.push(format!("{e}; others may be able to read the export"));
    }
    // The archive's depth: top, process folders, their `validations` and `images`.
    let removed = root
        .sweep_temp_files(2)
        .map_err(|e| ExportError::unusable(dir, e))?;
    if removed > 0 {
        warnings.push(format!(
            "removed {removed} partly written files left by an interrupted run"
        ));
    }
    if let Some(records) = manifest.and_then(|m| m.processes)
        && !dir.join(JOURNAL).exists()
        && !records.is_empty()
    {
        seed_journal(&root, &records).map_err(|e| ExportError::unusable(dir, e))?;
    }
    let mut prior = HashMap::new();
    let mut untrusted = 0usize;
    // Opened (refusing a link in its place) before it is read, and before the manifest is
    // rewritten without its records: a refused journal must leave the manifest as it was.
    let journal = Journal::open(dir).map_err(|e| ExportError::unusable(dir.join(JOURNAL), e))?;
    let bad = manifest::read_journal(dir, |record| {
        let id = record.process_id.clone();
        if is_trustworthy(&record) {
            prior.insert(id, classify(dir, record, opts));
        } else {
            untrusted += 1;
            prior.remove(&id);
        }
    })
    .map_err(io)?;
    if bad > 0 {
        warnings.push(format!(
            "{bad} lines of {JOURNAL} could not be read (a run was killed while writing); those processes are exported again"
        ));
    }
    if untrusted > 0 {
        warnings.push(format!(
            "{untrusted} records of {JOURNAL} name a folder that is not their process's, or a file outside it (the file was edited); ignored, and those processes are exported again"
        ));
    }
    manifest::write_head(dir, head).map_err(|e| ExportError::unusable(dir.join(MANIFEST), e))?;
    Ok(Prepared {
        root,
        lock,
        journal,
        prior,
        warnings,
    })
}

/// An existing folder must be empty or an export: `--out ~` must not litter a home folder, and
/// a `manifest.json` that is not ours is never overwritten.
fn check_folder(dir: &Path) -> Result<(), ExportError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(ExportError::unusable(dir, e)),
    };
    let names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let has = |n: &str| names.iter().any(|name| name == n);
    let journal_ours = || manifest::journal_is_ours(dir).map_err(|e| ExportError::unusable(dir, e));
    if has(MANIFEST) {
        let path = dir.join(MANIFEST);
        return match manifest::read_manifest(dir) {
            Ok(Some(m)) => match manifest::foreign_reason(&m.head) {
                None => Ok(()),
                Some(reason) => Err(ExportError::NotOurs { path, reason }),
            },
            Ok(None) => Ok(()),
            // A damaged manifest of ours is vouched for by a journal of our records.
            Err(_) if has(JOURNAL) && journal_ours()? => Ok(()),
            Err(reason) => Err(ExportError::NotOurs {
                path,
                reason: format!("it is not the JSON of an export ({reason})"),
            }),
        };
    }
    if has(JOURNAL) {
        return if journal_ours()? {
            Ok(())
        } else {
            Err(ExportError::NotOurs {
                path: dir.join(JOURNAL),
                reason: "its lines are not records of an export".into(),
            })
        };
    }
    if names
        .iter()
        .any(|name| name != LOCK && !layout::is_temp_name(name))
    {
        Err(ExportError::NotAnArchive { dir: dir.into() })
    } else {
        Ok(())
    }
}

/// Takes the advisory lock on the lock file (creating it 0600, never through a link). A lock
/// file left by a run that ended is not locked by anyone, so it is simply taken over.
fn claim(root: &PrivateDir, warnings: &mut Vec<String>) -> Result<Lock, ExportError> {
    let dir = root.path();
    let path = dir.join(LOCK);
    for _ in 0..3 {
        let mut file = root
            .open_rw(LOCK)
            .map_err(|e| ExportError::unusable(dir, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                return Err(ExportError::Locked { dir: dir.into() });
            }
            Err(fs::TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {
                warnings.push(format!(
                    "the file system of {} cannot lock files: make sure no other export writes to this folder",
                    dir.display()
                ));
                return Ok(Lock {
                    root: root.clone(),
                    _file: None,
                });
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(ExportError::unusable(dir, FsError::Io { path, source: e }));
            }
        }
        // The run that held it may have removed the file between our open and our lock: a lock
        // on a removed file guards nothing, so open the name again.
        if !root.names(LOCK, &file) {
            continue;
        }
        let _ = file.set_len(0);
        let _ = writeln!(file, "{}", std::process::id());
        return Ok(Lock {
            root: root.clone(),
            _file: Some(file),
        });
    }
    Err(ExportError::Locked { dir: dir.into() })
}

fn seed_journal(root: &PrivateDir, records: &[Record]) -> Result<(), FsError> {
    let mut text = Vec::new();
    for r in records {
        serde_json::to_writer(&mut text, r)
            .map_err(|e| FsError::io(root.path().join(JOURNAL), io::Error::other(e)))?;
        text.push(b'\n');
    }
    root.write_atomic(JOURNAL, &text)
}

/// A record may be used only if it points into its own process's folder.
fn is_trustworthy(record: &Record) -> bool {
    record.folder == layout::id_name(&record.process_id)
        && record
            .files
            .iter()
            .all(|f| layout::is_safe_relative(&f.path))
}

fn classify(dir: &Path, record: Record, opts: &ExportOptions) -> Prior {
    let folder = dir.join(&record.folder);
    let total = record.files.len();
    let present: Vec<FileRecord> = record
        .files
        .into_iter()
        .filter(|f| {
            fs::symlink_metadata(folder.join(&f.path))
                .is_ok_and(|m| m.is_file() && m.len() == f.bytes)
        })
        .collect();
    let covers = (record.images || !opts.images) && (record.details || !opts.details);
    Prior {
        complete: record.state == ProcessState::Complete && covers && present.len() == total,
        status: record
            .summary
            .get("status")
            .and_then(|s| s.as_str())
            .map(str::to_owned),
        files: present,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prior(complete: bool, status: &str) -> Prior {
        let file = |kind, path: &str| FileRecord {
            path: path.into(),
            kind,
            validation_id: None,
            field: None,
            link: None,
            bytes: 1,
            sha256: String::new(),
        };
        Prior {
            complete,
            status: Some(status.into()),
            files: vec![
                file(FileKind::Result, "result.json"),
                file(FileKind::Details, "validations/V.json"),
                file(FileKind::Image, "images/a.jpg"),
            ],
        }
    }

    #[test]
    fn a_complete_process_is_skipped_unless_it_was_pending_or_changed() {
        assert!(prior(true, "success").reuse(Some("success")).is_none());
        assert!(prior(true, "success").reuse(None).is_none());
        let pending = prior(true, "pending").reuse(None).expect("redone");
        assert_eq!(pending.len(), 1, "only images are reused: {pending:?}");
        let changed = prior(true, "failure")
            .reuse(Some("success"))
            .expect("redone");
        assert_eq!(changed[0].kind, FileKind::Image);
        assert_eq!(
            prior(false, "failure")
                .reuse(Some("failure"))
                .unwrap()
                .len(),
            3
        );
    }

    #[test]
    fn records_pointing_elsewhere_are_not_trusted() {
        let mut r = Record {
            process_id: "IDP1".into(),
            folder: "IDP1".into(),
            state: ProcessState::Complete,
            error: None,
            finished_at: String::new(),
            images: true,
            details: true,
            summary: Default::default(),
            files: Vec::new(),
            missing: Vec::new(),
        };
        assert!(is_trustworthy(&r));
        r.folder = "IDP2".into();
        assert!(!is_trustworthy(&r), "another process's folder");
        r.folder = "IDP1".into();
        r.files = prior(true, "x").files;
        assert!(is_trustworthy(&r));
        r.files[0].path = "../../etc/passwd".into();
        assert!(!is_trustworthy(&r), "a file outside the folder");
    }
}
