//! End to end: the review desk in the real binary on the demo, in tmux. Every browser gets its
//! own store file under a temporary folder (never the user's data dir); the team test shares one.

use crate::e2e_support;

use e2e_support::Tmux;

/// `reviewed N of` from the list title, if shown.
fn reviewed(screen: &str) -> Option<usize> {
    let title = screen.lines().next()?;
    let (_, after) = title.split_once("reviewed ")?;
    after.split(' ').next()?.parse().ok()
}

fn browser(db: &str) -> Tmux {
    Tmux::start(
        &["--demo", "--image-protocol", "off", "--review-db", db],
        200,
        50,
    )
}

/// A browser whose decisions are signed `reviewer` (set in a config file of its own).
fn browser_as(dir: &std::path::Path, reviewer: &str, db: &str) -> Tmux {
    let config = dir.join(format!("{reviewer}.toml"));
    std::fs::write(&config, format!("reviewer = \"{reviewer}\"\n")).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let config = config.to_str().unwrap().to_owned();
    Tmux::start(
        &[
            "--demo",
            "--image-protocol",
            "off",
            "--review-db",
            db,
            "--config",
            &config,
        ],
        200,
        50,
    )
}

#[test]
fn decisions_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("reviews.sqlite3");
    let db = db.to_str().unwrap();
    let t = browser(db);
    t.wait_for_text("320 processes");
    // Failures only: `d` agrees with Truora (one key), `a` overrides it (a reason: one digit).
    t.keys(&["f"]);
    t.wait_for("the failure filter", |s| s.contains("failure only"));
    t.keys(&["d"]);
    t.wait_for("the first decision", |s| reviewed(s) == Some(1));
    t.keys(&["d"]);
    t.wait_for("the second decision", |s| reviewed(s) == Some(2));
    t.keys(&["a"]);
    t.wait_for_text("why? digit chooses");
    t.keys(&["1"]);
    let screen = t.wait_for("the override", |s| reviewed(s) == Some(3));
    assert!(
        screen.contains("✓→"),
        "an override to apply is marked:\n{screen}"
    );
    assert!(
        screen.lines().next().is_some_and(|l| l.contains(" 4/")),
        "the cursor moved on after each decision:\n{screen}"
    );
    t.keys(&["q"]);
    t.wait_for("the program to exit", |_| t.exited());
    drop(t);

    let again = browser(db);
    again.wait_for_text("320 processes");
    again.keys(&["f"]);
    let screen = again.wait_for("the marks after a restart", |s| {
        s.contains("failure only") && reviewed(s) == Some(3)
    });
    assert!(
        screen.contains("┃› ✗") && screen.contains("┃  ✗"),
        "{screen}"
    );
    assert!(screen.contains("✓→"), "{screen}");
    again.keys(&["q"]);
    again.wait_for("the program to exit", |_| again.exited());
}

#[test]
fn two_browsers_on_one_store_see_each_others_decisions_and_open_processes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.sqlite3");
    let db = db.to_str().unwrap();
    let ana = browser_as(dir.path(), "ana", db);
    let bob = browser_as(dir.path(), "bob", db);
    ana.wait_for_text("320 processes");
    bob.wait_for_text("320 processes");
    ana.keys(&["f"]);
    bob.keys(&["f"]);
    ana.wait_for("ana's failure filter", |s| s.contains("failure only"));
    bob.wait_for("bob's failure filter", |s| s.contains("failure only"));

    // Ana decides on the first failure; Bob sees it without doing anything.
    ana.keys(&["d"]);
    ana.wait_for("ana's decision", |s| reviewed(s) == Some(1));
    let screen = bob.wait_for("ana's decision on bob's screen", |s| reviewed(s) == Some(1));
    assert!(
        screen.contains("› ✗"),
        "bob's selected row carries ana's mark:\n{screen}"
    );

    // Ana now has the second failure open: Bob sees it taken. Bob escalates the first one (his
    // decision on top of Ana's) and the advance skips the process Ana has open.
    bob.wait_for("ana's open process shown as taken", |s| s.contains('⊘'));
    bob.keys(&["!"]);
    let screen = bob.wait_for("bob's escalation", |s| s.contains("┃  !"));
    assert!(
        screen.lines().next().is_some_and(|l| l.contains(" 3/")),
        "bob skipped the process ana has open:\n{screen}"
    );
    ana.wait_for("bob's escalation on ana's screen", |s| s.contains("┃  !"));

    ana.keys(&["q"]);
    bob.keys(&["q"]);
    ana.wait_for("ana's browser to exit", |_| ana.exited());
    bob.wait_for("bob's browser to exit", |_| bob.exited());
}
