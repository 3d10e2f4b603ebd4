//! End to end: a review session in tmux with the access log on, then `truora-tui audit`, which
//! must list everything the session did, in order, and verify the chain.

use crate::e2e_support;

use std::process::Command;

use e2e_support::Tmux;

fn audit(t: &Tmux, extra: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_truora-tui"))
        .env("HOME", t.home.path())
        .env_remove("TRUORA_TUI_CONFIG")
        .env_remove("TRUORA_TUI_AUDIT_LOG")
        // The store the session anchored its log in (a demo session's own is another file).
        .env(
            "TRUORA_TUI_REVIEW_DB",
            t.home.path().join("reviews.sqlite3"),
        )
        .arg("audit")
        .arg("--audit-log")
        .arg(t.home.path().join("audit"))
        .args(extra)
        .output()
        .expect("the binary runs")
}

#[test]
fn a_sessions_actions_appear_in_the_access_log_in_order() {
    let t = Tmux::start(
        &[
            "--demo",
            "--image-protocol",
            "halfblocks",
            "--download-dir",
            "{home}/DL",
            "--audit-log",
            "{home}/audit",
            "--review-db",
            "{home}/reviews.sqlite3",
        ],
        200,
        60,
    );
    t.wait_for_text("320 processes");
    t.keys(&["n"]);
    t.wait_for("a failed process with its image drawn", |s| {
        s.contains("failed check") && s.matches(['▀', '▄']).count() > 200 && s.contains("px ·")
    });
    // Each overlay is seen closed before the next key: an escape followed at once by a key
    // reads as Alt and that key.
    t.keys(&["c"]);
    t.wait_for_text("compare · j/k next process");
    t.keys(&["Escape"]);
    t.wait_for("compare to close", |s| {
        !s.contains("compare · j/k next process")
    });
    t.keys(&["v"]);
    t.wait_for_text("raw JSON · ");
    t.keys(&["Escape"]);
    t.wait_for("the raw view to close", |s| !s.contains("raw JSON · "));
    t.keys(&["y"]);
    t.wait_for_text("copied ");
    t.keys(&["s"]);
    t.wait_for("the image saved", |s| {
        s.contains("saved ") && !s.contains("saving")
    });
    t.keys(&["q"]);
    t.wait_for("the program to exit", |_| t.exited());

    let out = audit(&t, &[]);
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let kinds: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split("  ").nth(3))
        .filter(|k| *k != "image_shown" && *k != "process_opened")
        .collect();
    assert_eq!(
        kinds,
        [
            "session_start",
            "compare_opened",
            "raw_view_opened",
            "id_copied",
            "image_saved",
            "session_end"
        ],
        "{text}"
    );
    // The process was opened before anything was done with it, and its image shown.
    let position = |kind: &str| text.lines().position(|l| l.contains(kind));
    assert!(
        position("process_opened") < position("compare_opened"),
        "{text}"
    );
    assert!(
        position("image_shown") < position("compare_opened"),
        "{text}"
    );
    assert!(text.contains("source=demo"), "{text}");
    assert!(
        text.contains("image_saved") && text.contains("/DL/"),
        "{text}"
    );
    // Every record of the session carries its id; the session's pid is in its start.
    let sessions: std::collections::HashSet<&str> =
        text.lines().filter_map(|l| l.split("  ").nth(2)).collect();
    assert_eq!(sessions.len(), 1, "{text}");

    let verified = audit(&t, &["--verify"]);
    assert!(verified.status.success(), "{verified:?}");
    assert!(String::from_utf8_lossy(&verified.stdout).starts_with("access log intact:"));
}

#[test]
fn the_demo_logs_nothing_unless_asked() {
    let t = Tmux::start(&["--demo", "--image-protocol", "off"], 80, 24);
    t.wait_for_text("320 processes");
    t.keys(&["q"]);
    t.wait_for("the program to exit", |_| t.exited());
    let data = t.home.path().join(".local/share/truora-tui/audit");
    assert!(!data.exists(), "{}", data.display());
}
