//! The team store's events against a real PostgreSQL: what an SQLite store holds, moved in by the
//! store's owner, reads back exactly as SQLite reads it (same ids, fields, order, and so the same
//! marks); a reviewer's own events carry the server's name for them; a row that cannot be read is
//! passed over and named, as in SQLite.

use truora_tui::api::model::Status;
use truora_tui::review::pg::{self, events, setup};
use truora_tui::review::{Decision, Event, EventKind, OverrideReason, Store, Verdict, fold};

use crate::pg_support::Cluster;

const DB: &str = "team";

/// No `PG*` variables, no password file: the URL says everything.
fn no_vars(_: &str) -> Option<String> {
    None
}

fn client(url: &str) -> postgres::Client {
    let (info, _) = pg::conninfo::resolve(url, &no_vars).expect("url");
    pg::connect(&info).unwrap_or_else(|e| panic!("{e}"))
}

fn decided(process: &str, reviewer: &str, v: Verdict) -> Event {
    let status = Status::Failure;
    let reason = (v == Verdict::Pass).then_some(OverrideReason::RegularClient);
    let d = Decision::new(v, reason, Some(&status)).expect("valid decision");
    Event::new(process, d.kind(), reviewer, Some(status))
}

/// Events of two reviewers: decisions, a replacement, a withdrawal, a note with odd text.
fn history() -> Vec<Event> {
    let first = decided("IDV-a", "alice", Verdict::Fail);
    let mut replaced = decided("IDV-a", "bob", Verdict::Pass);
    replaced.supersedes = Some(first.id);
    let mut resolving = decided("IDV-a", "alice", Verdict::Escalate);
    resolving.resolves = vec![first.id, replaced.id];
    let withdrawn = Event::new("IDV-b", EventKind::Withdraw, "bob", None);
    let note = Event::new(
        "IDV-b",
        EventKind::Note {
            text: "line one\nline two, ünïcödé, 'quotes'".into(),
        },
        "alice",
        Some(Status::Success),
    );
    vec![first, replaced, resolving, withdrawn, note]
}

#[test]
fn what_sqlite_holds_moved_in_reads_back_as_sqlite_reads_it() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.create_db(DB);
    let mut admin = cluster.admin(DB);
    setup::setup(&mut admin, "test").expect("setup");

    let dir = tempfile::tempdir().expect("temp dir");
    let mut local = Store::open(&dir.path().join("r.sqlite3")).expect("sqlite store");
    for e in history() {
        local.record(&e).expect("record");
    }
    let from_sqlite = local.all_events().expect("sqlite events");

    for e in &from_sqlite {
        assert!(events::insert_as_recorded(&mut admin, "test", e).expect("insert"));
    }
    // Twice is once: ids are kept and a known id is left alone.
    for e in &from_sqlite {
        assert!(!events::insert_as_recorded(&mut admin, "test", e).expect("again"));
    }
    let (from_pg, unreadable) = events::all_events(&mut admin, "test").expect("pg events");
    assert!(unreadable.is_empty(), "{unreadable:?}");
    assert_eq!(from_pg, from_sqlite);
    let by = |list: &[Event], p: &str| {
        fold(
            &list
                .iter()
                .filter(|e| e.process_id == p)
                .cloned()
                .collect::<Vec<_>>(),
        )
    };
    for process in ["IDV-a", "IDV-b"] {
        assert_eq!(
            by(&from_pg, process),
            by(&from_sqlite, process),
            "{process}"
        );
    }
}

#[test]
fn a_reviewers_event_carries_the_servers_name_and_only_the_owner_keeps_anothers() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.create_db(DB);
    setup::setup(&mut cluster.admin(DB), "test").expect("setup");
    cluster.create_login("alice", "alice-pw", &["truora_reviewer"]);
    let mut alice = client(&cluster.url("alice", "alice-pw", DB));

    // The client says "mallory"; the server records alice.
    let e = decided("IDV-a", "mallory", Verdict::Fail);
    assert!(events::insert(&mut alice, "alice@team", &e).expect("insert"));
    let (read, _) = events::all_events(&mut alice, "alice@team").expect("read");
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].reviewer, "alice");
    assert_eq!(read[0].id, e.id);

    let other = decided("IDV-b", "bob", Verdict::Fail);
    let err = events::insert_as_recorded(&mut alice, "alice@team", &other)
        .expect_err("alice records as bob");
    assert!(
        err.to_string().contains("may not record an event as bob"),
        "{err}"
    );
}

#[test]
fn a_row_that_cannot_be_read_is_passed_over_and_named() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.create_db(DB);
    let mut admin = cluster.admin(DB);
    setup::setup(&mut admin, "test").expect("setup");
    let good = decided("IDV-a", "alice", Verdict::Fail);
    events::insert_as_recorded(&mut admin, "test", &good).expect("insert");
    admin
        .batch_execute(
            "INSERT INTO truora_review.events (id, process_id, kind, verdict, reviewer, at_ms)
             VALUES ('01ZZZZZZZZZZZZZZZZZZZZZZZZ', 'IDV-b', 'verdict', 'maybe', 'bob', 1)",
        )
        .expect("a bad row");
    let (read, unreadable) = events::all_events(&mut admin, "test").expect("read");
    assert_eq!(read, [good]);
    assert_eq!(unreadable.len(), 1);
    assert_eq!(unreadable[0].id, "01ZZZZZZZZZZZZZZZZZZZZZZZZ");
    assert!(
        unreadable[0]
            .detail
            .contains("\"maybe\" is not pass, fail or escalate")
    );
}
