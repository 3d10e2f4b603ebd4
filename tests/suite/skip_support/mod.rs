//! Tests whose real component is missing (an `sshd`, a way for root to drop the privileges that
//! ignore file modes) test nothing, and must not pass as if they had: they say so where people
//! look, and fail where the component must be there.
//!
//! - Outside CI a skip is written to the terminal as `SKIPPED <test>: <why>`, straight to the
//!   standard error (the test harness hides what a passing test prints with `eprintln!`; a write
//!   to the stream itself is not captured, so it shows in a plain `cargo test`).
//! - Under CI (`CI` set, as CI services and `.ci/run` do) the same call fails the test: there the
//!   component is installed, and a test that cannot run is a broken CI.

#![allow(dead_code)]

use std::io::Write;

/// Whether this is a CI run: `CI` set to anything but empty, `0` or `false`.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !matches!(v.trim(), "" | "0" | "false" | "FALSE" | "False"))
}

/// The calling test cannot run: `why` says what is missing and how to get it. Fails the test
/// under CI; otherwise reports the skip on the terminal, and the caller returns.
pub fn skip(why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    assert!(
        !in_ci(),
        "{test} cannot run under CI=true: {why} (CI must provide it; .ci/run installs it)"
    );
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {why}");
}

/// Runs the calling test again in a child process that cannot ignore file modes (as root:
/// `setpriv` drops the capabilities that let it; otherwise as is) with `TRUORA_TUI_TEST_CHILD`
/// set, and checks that the child ran it and passed. `None` when the test is that child.
pub fn in_unprivileged_child(test: &str) -> Option<()> {
    if std::env::var_os("TRUORA_TUI_TEST_CHILD").is_some() {
        return None;
    }
    let exe = std::env::current_exe().unwrap();
    let mut cmd = if rustix::process::geteuid().is_root() {
        let mut cmd = std::process::Command::new("setpriv");
        cmd.args([
            "--bounding-set",
            "-dac_override,-dac_read_search,-fowner",
            "--",
        ]);
        cmd.arg(&exe);
        cmd
    } else {
        std::process::Command::new(&exe)
    };
    let output = cmd
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env("TRUORA_TUI_TEST_CHILD", "1")
        .output();
    match output {
        Ok(o) => {
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&o.stdout),
                String::from_utf8_lossy(&o.stderr)
            );
            assert!(o.status.success(), "{text}");
            assert!(text.contains("1 passed"), "the child ran the test: {text}");
        }
        Err(e) => skip(&format!(
            "cannot drop the privileges that ignore file modes (setpriv, util-linux: {e})"
        )),
    }
    Some(())
}
