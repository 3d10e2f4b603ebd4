//! The demo's own review store is seeded with a colleague's decisions, so that every kind of mark
//! can be seen at once: by the browser on a fresh `--demo`, and by `reviews --demo` with no
//! browser ever run.

use crate::e2e_support;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use e2e_support::Tmux;
use truora_tui::api::model::ProcessResult;
use truora_tui::config::{self, ENV_REVIEW_DB, Overrides};
use truora_tui::demo::colleague::{
    DEMO_COLLEAGUE, DEMO_NOTE, DEMO_SECOND_OPINION, colleague_decisions, seed_store,
};
use truora_tui::demo::{DemoOptions, DemoServer, seed_review_store};
use truora_tui::review::cli::{self as commands, ExportArgs};
use truora_tui::review::{OverrideState, Store, Verdict, truora_status_of};

/// What a newcomer should be able to find in the seeded store, counted.
#[derive(Debug, Default, PartialEq, Eq)]
struct Seen {
    applied: usize,
    stale: usize,
    outdated: usize,
    to_apply: usize,
    conflicts: usize,
    escalated_with_a_note: usize,
}

#[tokio::test]
async fn the_seed_shows_every_mark_against_what_the_demo_server_answers() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo-reviews.sqlite3");
    let added = seed_store(&path).unwrap();
    assert_eq!(added, colleague_decisions(&DemoOptions::default()).len());
    let store = Store::open(&path).unwrap();
    let (reviews, _) = store.reviews().unwrap();
    let mut seen = Seen::default();
    for (id, review) in &reviews {
        // Judged the way the browser judges a process once its result is loaded.
        let result = ProcessResult::from_value(server.result_json(id).unwrap()).unwrap();
        let mark = review.mark(
            truora_status_of(&result).as_ref(),
            Some(&result.override_history),
        );
        if mark.conflict {
            seen.conflicts += 1;
            let who: Vec<String> = store
                .events_for(id)
                .unwrap()
                .into_iter()
                .map(|e| e.reviewer)
                .collect();
            assert!(
                who.contains(&DEMO_COLLEAGUE.to_owned())
                    && who.contains(&DEMO_SECOND_OPINION.to_owned()),
                "{id}: two colleagues disagree: {who:?}"
            );
            continue;
        }
        assert_eq!(review.decided_by.as_deref(), Some(DEMO_COLLEAGUE), "{id}");
        match (mark.verdict, mark.override_mark.map(|o| o.state)) {
            (_, Some(OverrideState::Applied)) => seen.applied += 1,
            (_, Some(OverrideState::Stale)) => seen.stale += 1,
            (_, Some(OverrideState::Pending)) => seen.to_apply += 1,
            (Some(Verdict::Escalate), None) if mark.notes == 1 => {
                seen.escalated_with_a_note += 1;
            }
            (_, None) if mark.outdated => seen.outdated += 1,
            other => panic!("{id}: a seeded decision that shows nothing: {other:?}"),
        }
    }
    assert_eq!(
        seen,
        Seen {
            applied: 3,
            stale: 1,
            outdated: 1,
            to_apply: 1,
            conflicts: 1,
            escalated_with_a_note: 1,
        }
    );
    server.shutdown().await;
}

#[test]
fn the_store_is_seeded_once_and_seeding_at_once_adds_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo-reviews.sqlite3");
    assert!(seed_store(&path).unwrap() > 0);
    assert_eq!(seed_store(&path).unwrap(), 0, "seeded once");
    // Two programs that both found the store empty add the same events: one copy stays.
    let mut store = Store::open(&path).unwrap();
    let again = colleague_decisions(&DemoOptions::default());
    assert_eq!(store.merge(&again).unwrap(), 0, "the same ids");
}

/// What `truora-tui reviews --demo export` does, with the store chosen the way the command
/// chooses it: the demo's own file beside the configured one, seeded with no browser ever run.
#[test]
fn the_demo_store_named_by_the_config_is_seeded_and_exported() {
    let dir = tempfile::tempdir().unwrap();
    let empty_config = dir.path().join("config.toml");
    std::fs::write(&empty_config, "").unwrap();
    let env: HashMap<String, String> = HashMap::from([(
        ENV_REVIEW_DB.to_owned(),
        dir.path().join("reviews.sqlite3").display().to_string(),
    )]);
    let demo = Overrides {
        config_path: Some(empty_config.clone()),
        demo: true,
        demo_data: true,
        ..Overrides::default()
    };
    let config = config::load(&demo, &env).unwrap().config;
    assert_eq!(config.review_db, dir.path().join("demo-reviews.sqlite3"));
    assert_eq!(seed_review_store(&config).unwrap(), 10);
    let mut csv = Vec::new();
    commands::export(&config.review_db, &ExportArgs::default(), &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let rows: BTreeMap<&str, &str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(','))
        .collect();
    assert_eq!(rows.len(), 8, "{csv}");
    assert!(
        csv.contains(DEMO_COLLEAGUE) && csv.contains("regular_client"),
        "{csv}"
    );
    assert!(csv.contains(DEMO_NOTE), "{csv}");

    // The real store (no demo) is never seeded.
    let real = Overrides {
        config_path: Some(empty_config),
        demo: true,
        ..Overrides::default()
    };
    let config = config::load(&real, &env).unwrap().config;
    assert_eq!(seed_review_store(&config).unwrap(), 0);
    assert!(!Path::new(&config.review_db).exists(), "not even created");
}

/// `reviewed N of 320` from the list title, if shown.
fn reviewed(screen: &str) -> Option<usize> {
    let title = screen.lines().next()?;
    let (_, after) = title.split_once("reviewed ")?;
    after.split(' ').next()?.parse().ok()
}

/// The list's `mark` column (five cells after the border and the cursor) of every process row.
fn marks(screen: &str) -> String {
    screen
        .lines()
        .filter(|l| l.contains("IDP"))
        .map(|l| l.chars().skip(3).take(5).collect::<String>())
        .collect::<Vec<_>>()
        .join("|")
}

#[test]
fn a_fresh_demo_shows_the_colleagues_marks() {
    // No --review-db: the demo's own store in the session's fresh home, as a newcomer has it.
    let t = Tmux::start(&["--demo", "--image-protocol", "off"], 200, 50);
    t.wait_for("the whole list, with the seeded marks", |s| {
        s.contains("320 processes") && reviewed(s) == Some(8)
    });
    // Only what was reviewed: every seeded row on one screen.
    t.keys(&["F", "F"]);
    let screen = t.wait_for("the reviewed filter", |s| s.contains("reviewed 8 of 8"));
    let shown = marks(&screen);
    for (mark, what) in [
        ("≠", "the conflict"),
        ("→", "an override to apply"),
        ("!", "the escalation"),
        ("✎", "its note"),
    ] {
        assert!(
            shown.contains(mark),
            "{what} ({mark}) is marked: {shown}\n{screen}"
        );
    }
    // Applied and stale overrides, and outdated verdicts, are judged against a loaded result:
    // walk the rows once.
    for row in 2..=8 {
        t.keys(&["j"]);
        // The selection and its loading state change in one step: a screen on row `row` that
        // is not loading shows that row's result.
        t.wait_for(&format!("row {row}'s result"), |s| {
            s.contains(&format!(" {row}/8 ")) && !s.contains("loading result…")
        });
    }
    let screen = t.wait_for("applied marks", |s| marks(s).matches('=').count() == 3);
    assert_eq!(
        marks(&screen).matches('~').count(),
        2,
        "the stale override and the outdated verdict: {screen}"
    );
    t.keys(&["q"]);
    t.wait_for("the program to exit", |_| t.exited());
}
