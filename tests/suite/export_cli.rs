//! `truora-tui export` as a command (`run_in_terminal`): plain progress lines when stdout is not
//! a terminal, the summary and per-process lines, exit codes, and a closed stdout.

use crate::export_support;

use std::process::{Command, Stdio};

use export_support::*;

fn truora_tui() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_truora-tui"));
    // No config file or key from the machine running the tests, and a home of this run's own
    // (the export writes its access log and anchors it in the review store there).
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let empty = HOME
        .get_or_init(|| tempfile::tempdir().expect("a temp home"))
        .path();
    cmd.env_remove("TRUORA_API_KEY")
        .env_remove("TRUORA_TUI_CONFIG")
        .env("XDG_CONFIG_HOME", empty)
        .env("HOME", empty);
    cmd
}

#[tokio::test]
async fn without_a_terminal_progress_is_plain_lines_then_the_summary() {
    let server = start(12).await;
    let gone = gone_processes(&server);
    server.shutdown().await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let output = truora_tui()
        .args(["--demo", "export", "--demo-processes", "12", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        !stdout.contains('\u{1b}') && !stdout.contains('\r'),
        "no bar: {stdout:?}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines.contains(&"export: 12 processes to export"),
        "{stdout}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("export: ") && l.contains("processes, ")),
        "a progress line: {stdout}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "{}: 12 processes exported, 0 already complete, 0 failed;",
            out.display()
        ))),
        "the summary: {stdout}"
    );
    // Files Truora no longer has are named on stderr and counted in the summary.
    for id in &gone {
        assert!(
            stderr.contains(&format!("truora-tui: warning: no longer at Truora: {id}: ")),
            "{stderr}"
        );
    }
    if !gone.is_empty() {
        assert!(stdout.contains("no longer exist at Truora"), "{stdout}");
    }

    // Run again: everything is complete; a foreign --out is a usage error.
    let again = truora_tui()
        .args(["--demo", "export", "--demo-processes", "12", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    let again = String::from_utf8(again.stdout).unwrap();
    assert!(again.contains("0 processes exported"), "{again}");
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("manifest.json"), b"{}").unwrap();
    let refused = truora_tui()
        .args(["--demo", "export", "--demo-processes", "12", "--out"])
        .arg(&foreign)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("is not the manifest of a truora-tui export"),
        "{stderr}"
    );
}

#[test]
fn a_closed_stdout_does_not_stop_or_crash_the_export() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let mut child = truora_tui()
        .args(["--demo", "export", "--demo-processes", "12", "--out"])
        .arg(&out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // `export … | head -0`: the reader is gone before the first line.
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(complete_ids(&out).len(), 12, "the export ran to its end");
}
