//! Every refusal of `--out` exits 2 (README, "Export"), with a message naming the folder:
//! a file, a folder that cannot be written, one that holds something else, a foreign manifest,
//! an export of other processes, one another export is writing, and links planted where the
//! export keeps its own files.
//!
//! Write protection as root: root ignores file modes, so those runs drop the capabilities that
//! let it (`setpriv --bounding-set -dac_override,…`): still uid 0, but the modes apply. Without
//! `setpriv` they cannot run: they say `SKIPPED`, and fail under `CI=true`
//! (`tests/suite/skip_support`).
#![cfg(unix)]

use crate::export_support;
use crate::skip_support;

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::process::{Command, Output};

use export_support::*;

const DROPPED: &str = "-dac_override,-dac_read_search,-fowner";

fn command(unprivileged: bool) -> Command {
    let binary = env!("CARGO_BIN_EXE_truora-tui");
    let mut cmd = if unprivileged && rustix::process::geteuid().is_root() {
        let mut cmd = Command::new("setpriv");
        cmd.args(["--bounding-set", DROPPED, "--", binary]);
        cmd
    } else {
        Command::new(binary)
    };
    // No config file or key from the machine running the tests.
    let empty = std::env::temp_dir().join("truora-tui-export-out-test-no-config");
    cmd.env_remove("TRUORA_API_KEY")
        .env_remove("TRUORA_TUI_CONFIG")
        .env("XDG_CONFIG_HOME", &empty)
        .env("HOME", &empty);
    cmd
}

/// Whether modes can be made to apply to this process's children (see the module docs).
fn modes_apply() -> bool {
    if !rustix::process::geteuid().is_root() {
        return true;
    }
    let works = Command::new("setpriv")
        .args(["--bounding-set", DROPPED, "--", "true"])
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        skip_support::skip(
            "running as root without a working setpriv to drop the privileges that ignore file \
             modes (util-linux)",
        );
    }
    works
}

fn export(out: &Path, extra: &[&str], unprivileged: bool) -> Output {
    command(unprivileged)
        .args(["--demo", "export", "--demo-processes", "2", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .unwrap()
}

/// Exit 2, and stderr contains `wanted`.
fn refused(output: &Output, wanted: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(wanted), "wanted {wanted:?} in {stderr}");
}

#[test]
fn a_file_is_not_an_out_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("file");
    fs::write(&file, b"mine").unwrap();
    refused(
        &export(&file, &[], false),
        &format!(
            "{} is not a folder: choose a folder for --out",
            file.display()
        ),
    );
    let below = file.join("archive");
    refused(
        &export(&below, &[], false),
        "part of its path is a file, not a folder",
    );
    assert_eq!(fs::read(&file).unwrap(), b"mine");
}

#[test]
fn a_write_protected_out_or_parent_is_refused() {
    if !modes_apply() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let locked = tmp.path().join("read-only");
    fs::create_dir(&locked).unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o500)).unwrap();
    refused(
        &export(&locked, &[], true),
        &format!("cannot use {}", locked.display()),
    );
    let below = locked.join("archive");
    refused(
        &export(&below, &[], true),
        &format!("cannot use {}", below.display()),
    );
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o700)).unwrap();
    assert_eq!(fs::read_dir(&locked).unwrap().count(), 0, "nothing written");
    // The same folder, writable, is fine: the refusals above were the permissions.
    assert_eq!(export(&below, &[], true).status.code(), Some(0));
}

#[test]
fn a_folder_holding_something_else_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let busy = tmp.path().join("busy");
    fs::create_dir(&busy).unwrap();
    fs::write(busy.join("notes.txt"), b"x").unwrap();
    refused(&export(&busy, &[], false), "holds no export");
    let foreign = tmp.path().join("foreign");
    fs::create_dir(&foreign).unwrap();
    fs::write(foreign.join("manifest.json"), b"{}").unwrap();
    refused(
        &export(&foreign, &[], false),
        "is not the manifest of a truora-tui export",
    );
    assert_eq!(fs::read(foreign.join("manifest.json")).unwrap(), b"{}");
}

#[test]
fn an_export_of_other_processes_or_one_being_written_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    assert_eq!(export(&out, &[], false).status.code(), Some(0));
    refused(
        &export(&out, &["--no-images"], false),
        "holds an export made with other options",
    );
    // Another export holds the lock.
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(out.join(".truora-tui-export.lock"))
        .unwrap();
    file.try_lock().unwrap();
    refused(&export(&out, &[], false), "another export is writing to");
    drop(file);
    assert_eq!(export(&out, &[], false).status.code(), Some(0));
}

#[test]
fn links_in_place_of_the_lock_or_the_journal_are_refused_and_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    assert_eq!(export(&out, &[], false).status.code(), Some(0));
    let outside = tmp.path().join("outside");
    fs::create_dir(&outside).unwrap();
    fs::write(outside.join("theirs"), b"theirs").unwrap();
    for name in [".truora-tui-export.lock", "progress.jsonl"] {
        let planted = out.join(name);
        let _ = fs::remove_file(&planted);
        symlink(outside.join("theirs"), &planted).unwrap();
        refused(
            &export(&out, &[], false),
            &format!("{} is a symbolic link", planted.display()),
        );
        assert_eq!(
            fs::read(outside.join("theirs")).unwrap(),
            b"theirs",
            "{name}"
        );
        assert_eq!(fs::read_dir(&outside).unwrap().count(), 1, "{name}");
        fs::remove_file(&planted).unwrap();
    }
    assert_eq!(complete_ids(&out).len(), 2);
}
