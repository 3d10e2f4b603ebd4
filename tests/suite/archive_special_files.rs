//! An archive is read only through regular files reached without a link: a FIFO planted as
//! `manifest.json`, `progress.jsonl` or a `result.json` is refused at once with its name (by a
//! resumed `export` and by `show --archive`), and a process folder or file that is a link to a
//! copy kept elsewhere is neither taken as complete on resume nor read by `--archive`.
//!
//! The FIFO cases run the real binary with a deadline: if a reader blocks on a FIFO the child is
//! killed and the test fails, instead of hanging the suite.

use crate::export_support;

use std::os::unix::fs::{FileTypeExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use export_support::*;
use truora_tui::archive::{Archive, ArchiveError};
use truora_tui::export::format::{FileKind, ProcessState, Record};
use truora_tui::export::{Silent, Stop, layout};

/// Long enough for a slow build machine to finish a three-process export; a reader blocked on a
/// FIFO never finishes.
const DEADLINE: Duration = Duration::from_secs(90);

fn truora_tui(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_truora-tui"));
    cmd.env_remove("TRUORA_API_KEY")
        .env_remove("TRUORA_TUI_CONFIG")
        .env_remove("TRUORA_TUI_AUDIT_LOG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Runs `cmd` to its end, or kills it at the deadline and fails.
fn within_deadline(mut cmd: Command, what: &str) -> Output {
    let child = cmd.spawn().unwrap();
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()));
    match rx.recv_timeout(DEADLINE) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("{what}: still running after {DEADLINE:?}: it blocked (on a FIFO?)");
        }
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `--demo export --demo-processes 3 --out OUT` (a resume when OUT holds an export).
fn export_cmd(home: &Path, out: &Path) -> Command {
    let mut cmd = truora_tui(home);
    cmd.args(["--demo", "export", "--demo-processes", "3", "--out"])
        .arg(out);
    cmd
}

fn show_cmd(home: &Path, archive: &Path, id: &str) -> Command {
    let mut cmd = truora_tui(home);
    cmd.args(["show", "--archive"])
        .arg(archive)
        .args([id, "--no-images"]);
    cmd
}

fn mkfifo(path: &Path) {
    let _ = std::fs::remove_file(path);
    let made = Command::new("mkfifo").arg(path).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo {}", path.display());
}

/// A fresh three-process archive written by the binary, and its complete processes.
fn fresh_archive(home: &Path, name: &str) -> (PathBuf, Vec<Record>) {
    let out = home.join(name);
    let done = within_deadline(export_cmd(home, &out), "the first export");
    assert_eq!(done.status.code(), Some(0), "{}", text(&done.stderr));
    let complete = records(&out)
        .into_iter()
        .filter(|r| r.state == ProcessState::Complete)
        .collect::<Vec<_>>();
    assert!(!complete.is_empty());
    (out, complete)
}

#[track_caller]
fn assert_names(what: &str, output: &Output, path: &Path) {
    let said = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(
        said.contains(&path.display().to_string()) && said.contains("a FIFO"),
        "{what}: names {} as a FIFO: {said}",
        path.display()
    );
}

#[test]
fn a_fifo_as_manifest_json_is_refused_on_resume_and_passed_over_by_show() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let (out, complete) = fresh_archive(home, "archive");
    let manifest = out.join(layout::MANIFEST);
    mkfifo(&manifest);

    let resumed = within_deadline(export_cmd(home, &out), "export resume");
    assert_eq!(resumed.status.code(), Some(2), "{resumed:?}");
    assert_names("export resume", &resumed, &manifest);
    assert!(
        std::fs::symlink_metadata(&manifest)
            .unwrap()
            .file_type()
            .is_fifo(),
        "left where it is"
    );

    // The archive is read from its journal; the manifest is named as not used.
    let id = &complete[0].process_id;
    let shown = within_deadline(show_cmd(home, &out, id), "show --archive");
    assert_eq!(shown.status.code(), Some(0), "{}", text(&shown.stderr));
    assert!(text(&shown.stdout).contains(id.as_str()));
    assert_names("show --archive", &shown, &manifest);
}

#[test]
fn a_fifo_as_the_journal_is_refused_by_resume_and_by_show() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let (out, complete) = fresh_archive(home, "archive");
    let journal = out.join(layout::JOURNAL);
    mkfifo(&journal);
    let id = &complete[0].process_id;

    let shown = within_deadline(show_cmd(home, &out, id), "show --archive");
    assert_ne!(shown.status.code(), Some(0), "{shown:?}");
    assert_names("show --archive", &shown, &journal);
    let resumed = within_deadline(export_cmd(home, &out), "export resume");
    assert_eq!(resumed.status.code(), Some(2), "{resumed:?}");
    assert_names("export resume", &resumed, &journal);

    // Without a manifest the journal is what says the folder is an export: read first.
    std::fs::remove_file(out.join(layout::MANIFEST)).unwrap();
    let resumed = within_deadline(export_cmd(home, &out), "export resume, journal alone");
    assert_eq!(resumed.status.code(), Some(2), "{resumed:?}");
    assert_names("export resume, journal alone", &resumed, &journal);
}

#[test]
fn a_fifo_as_a_result_is_refused_by_show_and_redone_by_resume() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let (out, complete) = fresh_archive(home, "archive");
    let process = &complete[0];
    let result = out.join(&process.folder).join(layout::RESULT);
    mkfifo(&result);

    let shown = within_deadline(show_cmd(home, &out, &process.process_id), "show --archive");
    assert_eq!(shown.status.code(), Some(1), "{shown:?}");
    assert_names("show --archive", &shown, &result);

    // Resume: not taken as the process's result; said, and the process exported again.
    let resumed = within_deadline(export_cmd(home, &out), "export resume");
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed.stderr));
    assert_names("export resume", &resumed, &result);
    assert!(std::fs::symlink_metadata(&result).unwrap().is_file());
    let shown = within_deadline(
        show_cmd(home, &out, &process.process_id),
        "show --archive after the resume",
    );
    assert_eq!(shown.status.code(), Some(0), "{}", text(&shown.stderr));
}

/// Moves `path` to `outside` (a copy the archive's owner no longer controls) and leaves a link
/// to it in its place.
fn replace_with_link(path: &Path, outside: &Path) -> PathBuf {
    let name = path.file_name().unwrap();
    let copy = outside.join(format!(
        "{}-{}",
        path.parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy(),
        name.to_string_lossy()
    ));
    std::fs::rename(path, &copy).unwrap();
    symlink(&copy, path).unwrap();
    copy
}

/// Three settled processes with images (none pending or gone, so a resume would skip them).
fn settled_with_images(server: &truora_tui::demo::DemoServer, out: &Path) -> Vec<Record> {
    let pending = pending_processes(server);
    let gone = gone_processes(server);
    let chosen: Vec<Record> = records(out)
        .into_iter()
        .filter(|r| r.state == ProcessState::Complete)
        .filter(|r| !pending.contains(&r.process_id) && !gone.contains(&r.process_id))
        .filter(|r| r.files.iter().any(|f| f.kind == FileKind::Image))
        .take(3)
        .collect();
    assert_eq!(
        chosen.len(),
        3,
        "the demo has settled processes with images"
    );
    chosen
}

#[tokio::test]
async fn linked_process_folders_and_files_are_not_taken_as_complete_on_resume() {
    let server = start(12).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    export(&server, &out, Silent, Stop::never()).await;
    let [a, b, c] = <[Record; 3]>::try_from(settled_with_images(&server, &out)).unwrap();
    // a: its whole folder; b: its images folder; c: its result.json.
    let a_link = out.join(&a.folder);
    let b_link = out.join(&b.folder).join(layout::IMAGES);
    let c_link = out.join(&c.folder).join(layout::RESULT);
    for link in [&a_link, &b_link, &c_link] {
        replace_with_link(link, &outside);
    }
    let before = all_files(&outside);

    server.clear_requests();
    let summary = export(&server, &out, Silent, Stop::never()).await;
    for link in [&a_link, &b_link, &c_link] {
        assert!(
            summary.warnings.iter().any(|w| w
                .contains(&format!("{} is a symbolic link", link.display()))
                && w.contains("exported again")),
            "{} is named: {:?}",
            link.display(),
            summary.warnings
        );
    }
    // None is skipped as complete. A linked folder is refused again before the process is
    // fetched (it fails, the link named); a linked file is replaced by the process's own.
    let redone_anyway = pending_processes(&server).len() as u64;
    assert_eq!(
        summary.counts.skipped,
        12 - 3 - redone_anyway,
        "the others are complete (but those exported while pending)"
    );
    for (r, link) in [(&a, &a_link), (&b, &b_link)] {
        let error = summary
            .failed
            .iter()
            .find(|(id, _)| *id == r.process_id)
            .map(|(_, e)| e.as_str());
        assert!(
            error.is_some_and(|e| e.contains(&format!("{} is a symbolic link", link.display()))),
            "{}: {:?}",
            r.process_id,
            summary.failed
        );
    }
    assert_eq!(summary.failed.len(), 2, "{:?}", summary.failed);
    assert!(result_requests(&server.requests()).contains(&c.process_id));
    assert!(std::fs::symlink_metadata(&c_link).unwrap().is_file());
    assert_eq!(all_files(&outside), before, "nothing outside was written");
    server.shutdown().await;
}

#[tokio::test]
async fn the_archive_reader_refuses_linked_process_folders_and_files_by_name() {
    let server = start(12).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let outside = tmp.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    export(&server, &out, Silent, Stop::never()).await;
    let [a, b, c] = <[Record; 3]>::try_from(settled_with_images(&server, &out)).unwrap();
    server.shutdown().await;
    let a_link = out.join(&a.folder);
    let b_link = out.join(&b.folder).join(layout::IMAGES);
    let c_link = out.join(&c.folder).join(layout::RESULT);
    for link in [&a_link, &b_link, &c_link] {
        replace_with_link(link, &outside);
    }

    let archive = Archive::open(&out).unwrap();
    let refused = |outcome: Result<Vec<u8>, ArchiveError>, link: &Path| {
        let err = outcome.expect_err("read through a link");
        assert!(matches!(err, ArchiveError::Refused(_)), "{err:?}");
        assert!(
            err.to_string()
                .contains(&format!("{} is a symbolic link", link.display())),
            "{err}"
        );
    };
    refused(archive.result(&a.process_id).map(|(b, _)| b), &a_link);
    refused(archive.result(&c.process_id).map(|(b, _)| b), &c_link);
    let image = b.files.iter().find(|f| f.kind == FileKind::Image).unwrap();
    refused(
        archive.image(
            &b.process_id,
            image.validation_id.as_deref().unwrap(),
            image.field.as_deref().unwrap(),
            None,
        ),
        &b_link,
    );
    assert!(
        archive.result(&b.process_id).is_ok(),
        "its result is its own"
    );

    // `show --archive` says the same, with the link's name.
    let home = tmp.path().join("home");
    let shown = within_deadline(show_cmd(&home, &out, &a.process_id), "show --archive");
    assert_eq!(shown.status.code(), Some(1), "{shown:?}");
    assert!(
        text(&shown.stderr).contains(&format!("{} is a symbolic link", a_link.display())),
        "{}",
        text(&shown.stderr)
    );

    // With no bookkeeping, a linked folder found by scanning is named, not read.
    std::fs::remove_file(out.join(layout::MANIFEST)).unwrap();
    std::fs::remove_file(out.join(layout::JOURNAL)).unwrap();
    let scanned = Archive::open(&out).unwrap();
    assert!(
        scanned
            .problems()
            .iter()
            .any(|p| p.contains(&format!("{} is a symbolic link", a_link.display()))),
        "{:?}",
        scanned.problems()
    );
    assert!(
        matches!(
            scanned.result(&a.process_id),
            Err(ArchiveError::Missing { .. })
        ),
        "the linked copy is not taken for the process"
    );
    assert!(
        scanned
            .problems()
            .iter()
            .any(|p| p.contains(&format!("{} is a symbolic link", c_link.display()))),
        "{:?}",
        scanned.problems()
    );
}
