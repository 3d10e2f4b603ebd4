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
//! What counts as done, and what is kept of each record, is in [`super::prior`]. Memory: the
//! manifest and the journal are streamed, never held, so resuming 20,000 processes costs about
//! what exporting them afresh does (README "Performance").

use std::collections::HashMap;
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::Path;

use super::format::{Head, JOURNAL, MANIFEST, Record};
use super::layout::{self, LOCK};
use super::manifest::{self, Journal, ManifestError};
use super::prior::{self, Prior};
use super::{ExportError, ExportOptions};
use crate::fsx::{FsError, PrivateDir};

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
    // The head only: the records are streamed into the journal below, if it needs them.
    let manifest = match manifest::stream_manifest(dir, None) {
        Ok(m) => m,
        Err(ManifestError::Unreadable(e)) => return Err(ExportError::unusable(dir, e)),
        Err(reason) => {
            warnings.push(format!(
                "{MANIFEST} is damaged ({reason}); resuming from {JOURNAL} (the options of the earlier run cannot be checked)"
            ));
            None
        }
    };
    if let Some((before, _)) = &manifest {
        if let Some(reason) = super::format::foreign_reason(before) {
            return Err(ExportError::NotOurs {
                path: dir.join(MANIFEST),
                reason,
            });
        }
        let differences = super::request::differences(&before.request, &head.request);
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
    if let Some((_, true)) = manifest
        && !dir.join(JOURNAL).exists()
    {
        seed_journal(&root).map_err(|e| ExportError::unusable(dir, e))?;
    }
    let mut prior = HashMap::new();
    let mut untrusted = 0usize;
    // Per process, a link or a FIFO met where its latest record's files should be.
    let mut refused: HashMap<String, FsError> = HashMap::new();
    // Opened (refusing a link in its place) before it is read, and before the manifest is
    // rewritten without its records: a refused journal must leave the manifest as it was.
    let journal = Journal::open(dir).map_err(|e| ExportError::unusable(dir.join(JOURNAL), e))?;
    let bad = manifest::read_journal(dir, |at, record| {
        refused.remove(&record.process_id);
        if prior::is_trustworthy(&record) {
            let id = record.process_id.clone();
            let (kept, refusal) = prior::classify(&root, at, record, opts);
            if let Some(e) = refusal {
                refused.insert(id.clone(), e);
            }
            prior.insert(id, kept);
        } else {
            untrusted += 1;
            prior.remove(&record.process_id);
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
    warnings.extend(say_refused(refused));
    manifest::write_head(dir, head).map_err(|e| ExportError::unusable(dir.join(MANIFEST), e))?;
    Ok(Prepared {
        root,
        lock,
        journal,
        prior,
        warnings,
    })
}

/// The lines for processes whose files were refused (a link or a FIFO in their place): each
/// names the path, the first few in full, then a count.
fn say_refused(refused: HashMap<String, FsError>) -> Vec<String> {
    const NAMED: usize = 5;
    let mut refused: Vec<(String, FsError)> = refused.into_iter().collect();
    refused.sort_by(|a, b| a.0.cmp(&b.0));
    let mut lines: Vec<String> = refused
        .iter()
        .take(NAMED)
        .map(|(id, e)| {
            format!(
                "{e}; the files of process {} there are not trusted, and it is exported again",
                crate::api::client::short(id)
            )
        })
        .collect();
    if refused.len() > NAMED {
        lines.push(format!(
            "{} more processes whose folder or files are links or not regular files are exported again",
            refused.len() - NAMED
        ));
    }
    lines
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
        return match manifest::stream_manifest(dir, None) {
            Ok(Some((head, _))) => match super::format::foreign_reason(&head) {
                None => Ok(()),
                Some(reason) => Err(ExportError::NotOurs { path, reason }),
            },
            Ok(None) => Ok(()),
            // A FIFO, a link or a device in its place: refused, and left where it is.
            Err(ManifestError::Unreadable(e)) => Err(ExportError::unusable(dir, e)),
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

/// Writes the manifest's records as the journal (a journal lost or deleted since the last
/// run), streaming them: one record in memory at a time.
fn seed_journal(root: &PrivateDir) -> Result<(), FsError> {
    let dir = root.path();
    let failed = |e: io::Error| FsError::io(dir.join(JOURNAL), e);
    let temp = root.temp_file(JOURNAL)?;
    let mut out = BufWriter::new(&temp.file);
    let (mut written, mut failure) = (0usize, None);
    let mut each = |r: Record| {
        let line = serde_json::to_writer(&mut out, &r)
            .map_err(io::Error::other)
            .and_then(|()| out.write_all(b"\n"));
        match line {
            Ok(()) => written += 1,
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    };
    // Read moments ago: a manifest damaged in between seeds nothing, and the run goes on
    // from the folders' files as when there is no bookkeeping.
    if manifest::stream_manifest(dir, Some(&mut each)).is_err() {
        return Ok(());
    }
    if let Some(e) = failure {
        return Err(failed(e));
    }
    out.flush().map_err(failed)?;
    drop(out);
    if written > 0 {
        temp.commit()?;
    }
    Ok(())
}
