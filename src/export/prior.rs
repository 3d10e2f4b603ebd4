//! What an earlier run left for each process, kept small because it is kept for every process
//! of the archive while the run goes.
//!
//! A process counts as done only when its latest record says `complete`, covers what this run
//! asks for (a `--no-images` export is not complete for a run that wants images), each of its
//! files is still there with the recorded size, and it was not `pending` when exported (a
//! pending process changes; so does one whose status in the list is not the recorded one, see
//! [`Prior::reuse`]). Anything else is redone, reusing the files that are still there (their
//! checksums, and for images their links, are checked again before reuse).
//!
//! Memory: per process a few flags, its status and the offset of its record in the journal;
//! the file list only of a process that will surely be redone. A complete process whose status
//! changed since reads its files back from its journal line.
//!
//! A file counts as still there only if it is a regular file reached from `--out` without a
//! link ([`PrivateDir::file_len`]): a process folder (or its `images`, or a file) replaced by a
//! link to a copy kept elsewhere, or by a FIFO, is not taken for the process's own; the refusal
//! is returned so the run can say it, and the process is redone (where the link is refused
//! again, by name).

use std::path::Path;

use super::ExportOptions;
use super::format::{FileKind, FileRecord, ProcessState, Record};
use super::layout;
use super::manifest;
use crate::fsx::{FsError, PrivateDir};

/// What an earlier run left for one process: kept for every process of the archive, so small.
pub(crate) struct Prior {
    /// Complete, and every file still there.
    complete: bool,
    /// Some of its files are still in its folder (so the folder is its, see `list`).
    holds_files: bool,
    /// The process's status when it was exported (from its result).
    status: Option<Box<str>>,
    /// The files still there with their recorded size, for a process that is redone whatever
    /// the list says now (not complete, or pending); `None` for a complete one, whose files are
    /// read back from the journal at `at` only if its status changed since.
    files: Option<Vec<FileRecord>>,
    /// Where its record starts in the journal.
    at: u64,
}

impl Prior {
    /// Whether files of it are still in its folder (so the folder is its, see `list`).
    pub fn holds_files(&self) -> bool {
        self.holds_files
    }

    /// What this run does with the process, given its status in the list now (`None` when
    /// unknown, as with an ids file): `None` to skip it, else the files it may reuse. A process
    /// that was pending when exported, or whose status changed since, is exported again; its
    /// images are reused when their links still point to the same objects, its result and
    /// details are fetched anew. `root` is the archive, to read a complete process's files back
    /// from the journal (one line, only when its status changed).
    pub fn reuse(self, status_now: Option<&str>, root: &PrivateDir) -> Option<Vec<FileRecord>> {
        let before = self.status.as_deref();
        let changed =
            matches!((before, status_now), (Some(a), Some(b)) if !a.eq_ignore_ascii_case(b));
        let pending = before.is_some_and(|s| s.eq_ignore_ascii_case("pending"));
        if self.complete && !changed && !pending {
            return None;
        }
        let mut files = match self.files {
            Some(files) => files,
            // Read back as at the start of the run; a journal that cannot be read now only
            // costs the reuse: the files are fetched again.
            None => manifest::read_record_at(root.path(), self.at)
                .ok()
                .flatten()
                .filter(is_trustworthy)
                .map(|r| present_files(root, r.folder.as_str(), r.files).0)
                .unwrap_or_default(),
        };
        if changed || pending {
            files.retain(|f| f.kind == FileKind::Image);
        }
        Some(files)
    }
}

/// A record may be used only if it points into its own process's folder.
pub(super) fn is_trustworthy(record: &Record) -> bool {
    record.folder == layout::id_name(&record.process_id)
        && record
            .files
            .iter()
            .all(|f| layout::is_safe_relative(&f.path))
}

/// What to keep of a (trusted) record: its files are checked on disk now, and kept only when
/// the process will be redone whatever the list says. Also the first refusal met (a link or a
/// FIFO where its folder or a file should be), for the run to say.
pub(super) fn classify(
    root: &PrivateDir,
    at: u64,
    record: Record,
    opts: &ExportOptions,
) -> (Prior, Option<FsError>) {
    let total = record.files.len();
    let (present, refused) = present_files(root, &record.folder, record.files);
    let covers = (record.images || !opts.images) && (record.details || !opts.details);
    let complete = record.state == ProcessState::Complete && covers && present.len() == total;
    let status: Option<Box<str>> = record
        .summary
        .get("status")
        .and_then(|s| s.as_str())
        .map(Into::into);
    let pending = status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case("pending"));
    let prior = Prior {
        complete,
        holds_files: !present.is_empty(),
        status,
        files: (!complete || pending).then_some(present),
        at,
    };
    (prior, refused)
}

/// The files of a record still in `folder` with their recorded size, as regular files reached
/// without a link; and the first refusal (a link or a FIFO on the way or in place).
fn present_files(
    root: &PrivateDir,
    folder: &str,
    files: Vec<FileRecord>,
) -> (Vec<FileRecord>, Option<FsError>) {
    let mut refused = None;
    let present = files
        .into_iter()
        .filter(|f| match root.file_len(Path::new(folder).join(&f.path)) {
            Ok(len) => len == f.bytes,
            Err(e) if e.is_refusal() => {
                refused.get_or_insert(e);
                false
            }
            Err(_) => false,
        })
        .collect();
    (present, refused)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::export::format::JOURNAL;

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
            holds_files: true,
            status: Some(status.into()),
            files: Some(vec![
                file(FileKind::Result, "result.json"),
                file(FileKind::Details, "validations/V.json"),
                file(FileKind::Image, "images/a.jpg"),
            ]),
            at: 0,
        }
    }

    /// An empty archive: the tests that use it never read from it.
    fn nowhere() -> (tempfile::TempDir, PrivateDir) {
        let tmp = tempfile::tempdir().unwrap();
        let root = PrivateDir::open_root(tmp.path()).unwrap();
        (tmp, root)
    }

    #[test]
    fn a_complete_process_is_skipped_unless_it_was_pending_or_changed() {
        let (_tmp, nowhere) = nowhere();
        let nowhere = || &nowhere;
        assert!(
            prior(true, "success")
                .reuse(Some("success"), nowhere())
                .is_none()
        );
        assert!(prior(true, "success").reuse(None, nowhere()).is_none());
        let pending = prior(true, "pending")
            .reuse(None, nowhere())
            .expect("redone");
        assert_eq!(pending.len(), 1, "only images are reused: {pending:?}");
        let changed = prior(true, "failure")
            .reuse(Some("success"), nowhere())
            .expect("redone");
        assert_eq!(changed[0].kind, FileKind::Image);
        assert_eq!(
            prior(false, "failure")
                .reuse(Some("failure"), nowhere())
                .unwrap()
                .len(),
            3
        );
    }

    /// A complete process keeps no file list in memory; if its status changed, its images are
    /// read back from its journal line, and only those still on disk are offered for reuse.
    #[test]
    fn a_complete_process_reads_its_files_back_from_the_journal_when_redone() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let opts = ExportOptions::new(dir);
        let mut record = record("IDP1");
        record.summary.insert("status".into(), "success".into());
        record.files = prior(true, "x").files.unwrap();
        for f in &record.files {
            let path = dir.join("IDP1").join(&f.path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, b"x").unwrap();
        }
        let mut other = record.clone();
        other.process_id = "IDP0".into();
        other.folder = "IDP0".into();
        let mut text = serde_json::to_vec(&other).unwrap();
        text.push(b'\n');
        let at = text.len() as u64;
        text.extend(serde_json::to_vec(&record).unwrap());
        text.push(b'\n');
        fs::write(dir.join(JOURNAL), text).unwrap();

        let root = PrivateDir::open_root(dir).unwrap();
        let (kept, refused) = classify(&root, at, record, &opts);
        assert!(refused.is_none());
        assert!(kept.complete && kept.holds_files && kept.files.is_none());
        let files = kept.reuse(Some("failure"), &root).expect("redone");
        assert_eq!(files.len(), 1, "{files:?}");
        assert_eq!(files[0].path, "images/a.jpg");

        // An image deleted since is not offered.
        let mut record = record_from_journal(dir, at);
        record.files.truncate(3);
        fs::remove_file(dir.join("IDP1/images/a.jpg")).unwrap();
        let (kept, _) = classify(&root, at, record, &opts);
        assert!(!kept.complete, "a file is gone");
        assert!(kept.reuse(Some("success"), &root).unwrap().len() == 2);
    }

    fn record_from_journal(dir: &Path, at: u64) -> Record {
        manifest::read_record_at(dir, at)
            .unwrap()
            .expect("a record")
    }

    fn record(id: &str) -> Record {
        Record {
            process_id: id.into(),
            folder: id.into(),
            state: ProcessState::Complete,
            error: None,
            finished_at: String::new(),
            images: true,
            details: true,
            summary: Default::default(),
            files: Vec::new(),
            missing: Vec::new(),
        }
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
        r.files = prior(true, "x").files.unwrap();
        assert!(is_trustworthy(&r));
        r.files[0].path = "../../etc/passwd".into();
        assert!(!is_trustworthy(&r), "a file outside the folder");
    }
}
