//! Before a run: claim the folder, clean up after a killed run, and learn what earlier runs did.
//!
//! A process counts as done only when its latest record says `complete`, covers what this run
//! asks for (a `--no-images` export is not complete for a run that wants images), and each of
//! its files is still there with the recorded size. Anything else is redone, reusing the files
//! that are still there (their checksums are checked again before reuse).

use std::collections::HashMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::layout::{self, JOURNAL, LOCK, MANIFEST};
use super::manifest::{self, FileRecord, ProcessState, Record};
use super::{ExportError, ExportOptions};

/// What an earlier run left for one process.
pub(crate) enum Prior {
    Complete,
    /// Files that can be reused if their checksum still matches.
    Partial(Vec<FileRecord>),
}

/// Held for the whole run; removes the lock file when dropped.
pub(crate) struct Lock {
    path: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

pub(crate) struct Prepared {
    pub lock: Lock,
    pub prior: HashMap<String, Prior>,
    pub warnings: Vec<String>,
}

/// Claims `opts.out` and reads what is there. Blocking: call from `spawn_blocking`.
pub(crate) fn prepare(opts: &ExportOptions) -> Result<Prepared, ExportError> {
    let dir = &opts.out;
    let io = |e| ExportError::io(dir, e);
    check_folder(dir)?;
    layout::make_dirs(dir).map_err(io)?;
    let lock = claim(dir)?;
    let mut warnings = Vec::new();
    let removed = layout::sweep_temp_files(dir).map_err(io)?;
    if removed > 0 {
        warnings.push(format!(
            "removed {removed} partly written files left by an interrupted run"
        ));
    }
    let manifest = match manifest::read_manifest(dir) {
        Ok(m) => m,
        Err(reason) => {
            warnings.push(format!(
                "manifest.json is damaged ({reason}); resuming from {JOURNAL}"
            ));
            None
        }
    };
    if let Some(records) = manifest.and_then(|m| m.processes)
        && !dir.join(JOURNAL).exists()
        && !records.is_empty()
    {
        seed_journal(dir, &records).map_err(io)?;
    }
    let mut prior = HashMap::new();
    let bad = manifest::read_journal(dir, |record| {
        let id = record.process_id.clone();
        prior.insert(id, classify(dir, record, opts));
    })
    .map_err(io)?;
    if bad > 0 {
        warnings.push(format!(
            "{bad} lines of {JOURNAL} could not be read (a run was killed while writing); those processes are exported again"
        ));
    }
    Ok(Prepared {
        lock,
        prior,
        warnings,
    })
}

/// An existing folder must be empty or an export: `--out ~` must not litter a home folder.
fn check_folder(dir: &Path) -> Result<(), ExportError> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(ExportError::io(dir, e)),
    };
    let mut names = entries
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned());
    let ours = |n: &str| n == MANIFEST || n == JOURNAL;
    let mut any = false;
    for name in names.by_ref() {
        if ours(&name) {
            return Ok(());
        }
        any |= name != LOCK && !layout::is_temp_name(&name);
    }
    if any {
        Err(ExportError::NotAnArchive { dir: dir.into() })
    } else {
        Ok(())
    }
}

/// Creates the lock file, taking over one left by a process that no longer runs.
fn claim(dir: &Path) -> Result<Lock, ExportError> {
    let path = dir.join(LOCK);
    for _ in 0..2 {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        match options.open(&path) {
            Ok(mut file) => {
                let _ = writeln!(file, "{}", std::process::id());
                return Ok(Lock { path });
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                let owner = fs::read_to_string(&path).unwrap_or_default();
                if !is_stale(owner.trim()) {
                    return Err(ExportError::Locked { dir: dir.into() });
                }
                let _ = fs::remove_file(&path);
            }
            Err(e) => return Err(ExportError::io(&path, e)),
        }
    }
    Err(ExportError::Locked { dir: dir.into() })
}

/// A lock whose process is gone (known only where `/proc` exists) or that holds no pid.
fn is_stale(owner: &str) -> bool {
    let Ok(pid) = owner.parse::<u32>() else {
        return true;
    };
    let proc = Path::new("/proc");
    proc.is_dir() && !proc.join(pid.to_string()).exists()
}

fn seed_journal(dir: &Path, records: &[Record]) -> io::Result<()> {
    let mut text = Vec::new();
    for r in records {
        serde_json::to_writer(&mut text, r).map_err(io::Error::other)?;
        text.push(b'\n');
    }
    layout::write_atomic(&dir.join(JOURNAL), &text)
}

fn classify(dir: &Path, record: Record, opts: &ExportOptions) -> Prior {
    let folder = dir.join(&record.folder);
    let total = record.files.len();
    let present: Vec<FileRecord> = record
        .files
        .into_iter()
        .filter(|f| {
            fs::metadata(folder.join(&f.path)).is_ok_and(|m| m.is_file() && m.len() == f.bytes)
        })
        .collect();
    let covers = (record.images || !opts.images) && (record.details || !opts.details);
    if record.state == ProcessState::Complete && covers && present.len() == total {
        Prior::Complete
    } else {
        Prior::Partial(present)
    }
}
