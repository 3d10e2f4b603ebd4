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

/// Presses a verdict `key` until `done` shows: a verdict key acts only once its process's result
/// has been on screen a moment (a key pressed sooner is refused with why, and decides nothing),
/// so a script that decides as soon as the list shows presses again, as a person would.
fn decide(t: &Tmux, key: &str, what: &str, done: impl Fn(&str) -> bool) -> String {
    let start = std::time::Instant::now();
    loop {
        t.keys(&[key]);
        let screen = t.wait_for(what, |s| {
            done(s) || s.contains("has not been on screen yet")
        });
        if done(&screen) {
            return screen;
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "{key} was never taken for {what}:\n{screen}"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
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
    decide(&t, "d", "the first decision", |s| reviewed(s) == Some(1));
    decide(&t, "d", "the second decision", |s| reviewed(s) == Some(2));
    decide(&t, "a", "the reason picker", |s| {
        s.contains("why? digit chooses")
    });
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
    decide(&ana, "d", "ana's decision", |s| reviewed(s) == Some(1));
    let screen = bob.wait_for("ana's decision on bob's screen", |s| reviewed(s) == Some(1));
    assert!(
        screen.contains("› ✗"),
        "bob's selected row carries ana's mark:\n{screen}"
    );

    // Ana now has the second failure open: Bob sees it taken. Bob escalates the first one (his
    // decision on top of Ana's) and the advance skips the process Ana has open.
    bob.wait_for("ana's open process shown as taken", |s| s.contains('⊘'));
    let screen = decide(&bob, "!", "bob's escalation", |s| s.contains("┃  !"));
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

/// The pids of `pid` and everything it started, as `/proc` has them now.
fn family(pid: u32) -> Vec<u32> {
    let mut all = vec![pid];
    let mut at = 0;
    while at < all.len() {
        let p = all[at];
        at += 1;
        let children =
            std::fs::read_to_string(format!("/proc/{p}/task/{p}/children")).unwrap_or_default();
        all.extend(
            children
                .split_whitespace()
                .filter_map(|c| c.parse::<u32>().ok()),
        );
    }
    all
}

/// Whether `pid` has ended (gone, or a zombie nobody reaped yet).
fn ended(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|s| s.trim_start().starts_with('Z'))
    })
}

/// A browser whose terminal goes away (its tmux killed: SIGHUP, as when an SSH link drops)
/// releases its lease as it dies: the store holds no lease of it the moment it has ended (a
/// lease it merely stopped renewing would stand for up to 30 s more), and the colleague's
/// browser shows the process free at its next poll.
#[test]
fn a_browser_killed_with_its_tmux_releases_its_lease_at_once() {
    use truora_tui::review::{Holder, Store, Timestamp};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.sqlite3");
    let db_text = db.to_str().unwrap();
    let ana = browser_as(dir.path(), "ana", db_text);
    let bob = browser_as(dir.path(), "bob", db_text);
    ana.wait_for_text("320 processes");
    bob.wait_for_text("320 processes");
    // Ana opens the second process; Bob sees it taken.
    ana.keys(&["j"]);
    bob.wait_for("ana's open process shown as taken", |s| s.contains('⊘'));

    let pane: u32 = ana.pane_format("#{pane_pid}").parse().expect("a pid");
    let ana_pids = family(pane);
    drop(ana); // kills her tmux: the browser gets SIGHUP
    let start = std::time::Instant::now();
    while !ana_pids.iter().all(|&p| ended(p)) {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "ana's browser did not end"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let leases = Store::open(&db)
        .unwrap()
        .leases_of_others(&Holder::new("someone"), Timestamp::now())
        .unwrap();
    assert!(
        leases.values().flatten().all(|l| l.reviewer != "ana"),
        "ana's lease outlived her browser: {leases:?}"
    );
    bob.wait_for("the process free again on bob's screen", |s| {
        !s.contains('⊘')
    });
    bob.keys(&["q"]);
    bob.wait_for("bob's browser to exit", |_| bob.exited());
}

/// `kill` (SIGTERM) ends a browser the way `q` does: its lease is released before it exits.
#[test]
fn a_browser_ended_with_sigterm_releases_its_lease() {
    use truora_tui::review::{Holder, Store, Timestamp};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.sqlite3");
    let ana = browser_as(dir.path(), "ana", db.to_str().unwrap());
    ana.wait_for_text("320 processes");
    let held = || {
        Store::open(&db)
            .unwrap()
            .leases_of_others(&Holder::new("someone"), Timestamp::now())
            .unwrap()
            .values()
            .flatten()
            .any(|l| l.reviewer == "ana")
    };
    let start = std::time::Instant::now();
    while !held() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(30),
            "no lease taken"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let pane: u32 = ana.pane_format("#{pane_pid}").parse().expect("a pid");
    let browser = family(pane)
        .into_iter()
        .find(|p| {
            std::fs::read_to_string(format!("/proc/{p}/comm"))
                .is_ok_and(|c| c.trim() == "truora-tui")
        })
        .expect("the browser's process");
    let status = std::process::Command::new("kill")
        .args(["-TERM", &browser.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    ana.wait_for("the browser to exit", |_| ana.exited());
    assert!(!held(), "the lease outlived the browser");
}
