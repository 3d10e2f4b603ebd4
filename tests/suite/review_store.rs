//! The review store against real files and real processes: migrations, several writers, `kill -9`
//! in the middle of a stream of decisions, and the files it must not touch (newer, corrupt,
//! read-only).
//!
//! The writers are this test binary itself, started again with `--ignored --exact
//! review_store::child_writer` and told what to do through environment variables; they print each
//! event id only after `record` returned, so the parent knows exactly what was acknowledged.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use truora_tui::api::model::Status;
use truora_tui::review::schema::MIGRATIONS;
use truora_tui::review::{
    Decision, Event, EventKind, Holder, Lease, LeaseOutcome, OverrideReason, Store, StoreError,
    Timestamp, Verdict,
};

const CHILD_DB: &str = "REVIEW_TEST_CHILD_DB";
const CHILD_REVIEWER: &str = "REVIEW_TEST_CHILD_REVIEWER";
const CHILD_COUNT: &str = "REVIEW_TEST_CHILD_COUNT";

fn verdict(process: &str, reviewer: &str, v: Verdict) -> Event {
    let status = Status::Failure;
    let reason = (v == Verdict::Pass).then_some(OverrideReason::RegularClient);
    let d = Decision::new(v, reason, Some(&status)).expect("valid decision");
    Event::new(process, d.kind(), reviewer, Some(status))
}

/// The writer run as a child process; does nothing in a normal test run (it is ignored).
#[test]
#[ignore = "run by the other tests as a child process"]
fn child_writer() {
    let Ok(db) = std::env::var(CHILD_DB) else {
        return;
    };
    let reviewer = std::env::var(CHILD_REVIEWER).expect("reviewer");
    let count: usize = std::env::var(CHILD_COUNT).map_or(usize::MAX, |c| c.parse().unwrap());
    let mut store = Store::open(Path::new(&db)).expect("child opens the store");
    let mut out = std::io::stdout().lock();
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    let mut go = String::new();
    std::io::stdin().read_line(&mut go).unwrap();
    for i in 0..count {
        let e = verdict(&format!("P{}", i % 50), &reviewer, Verdict::Fail);
        store.record(&e).expect("record");
        writeln!(out, "{}", e.id).unwrap();
        out.flush().unwrap();
    }
}

fn spawn_writer(
    db: &Path,
    reviewer: &str,
    count: Option<usize>,
) -> (Child, BufReader<std::process::ChildStdout>) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--ignored",
        "--exact",
        "review_store::child_writer",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD_DB, db)
    .env(CHILD_REVIEWER, reviewer)
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if let Some(n) = count {
        cmd.env(CHILD_COUNT, n.to_string());
    }
    let mut child = cmd.spawn().expect("spawn the writer");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    // The harness prints its own lines first; wait for ours.
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "the writer ended before it was ready"
        );
        if line.trim_end().ends_with("ready") {
            break;
        }
    }
    (child, out)
}

fn go(child: &mut Child) {
    child.stdin.as_mut().unwrap().write_all(b"go\n").unwrap();
}

/// The event ids a writer acknowledged (26-character lines).
fn acknowledged(out: BufReader<std::process::ChildStdout>) -> Vec<String> {
    out.lines()
        .map_while(Result::ok)
        .filter(|l| l.len() == 26 && l.bytes().all(|b| b.is_ascii_alphanumeric()))
        .collect()
}

fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reviews.sqlite3");
    (dir, path)
}

#[test]
fn two_processes_writing_at_once_lose_nothing() {
    let (_dir, db) = temp();
    Store::open(&db).unwrap();
    let (mut a, a_out) = spawn_writer(&db, "ana", Some(150));
    let (mut b, b_out) = spawn_writer(&db, "ben", Some(150));
    go(&mut a);
    go(&mut b);
    let acked: Vec<String> = [acknowledged(a_out), acknowledged(b_out)].concat();
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    assert_eq!(acked.len(), 300);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let ids: std::collections::HashSet<String> = store
        .all_events()
        .unwrap()
        .iter()
        .map(|e| e.id.to_string())
        .collect();
    assert_eq!(ids.len(), 300);
    assert!(acked.iter().all(|id| ids.contains(id)));
}

#[test]
fn kill_9_mid_stream_keeps_every_acknowledged_decision() {
    let (_dir, db) = temp();
    let (mut child, mut out) = spawn_writer(&db, "ana", None);
    go(&mut child);
    let mut seen = Vec::new();
    let mut line = String::new();
    while seen.len() < 40 {
        line.clear();
        assert!(
            out.read_line(&mut line).unwrap() > 0,
            "writer stopped early"
        );
        seen.push(line.trim().to_string());
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    seen.extend(acknowledged(out));
    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    for id in &seen {
        let id = id.parse().unwrap();
        assert!(store.contains(id).unwrap(), "acknowledged {id} was lost");
    }
}

#[test]
fn a_new_store_is_private_and_current() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("nested/state/reviews.sqlite3");
    let mut store = Store::open(&db).unwrap();
    store.record(&verdict("P1", "ana", Verdict::Fail)).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(db.parent().unwrap()), 0o700);
    assert_eq!(mode(&db), 0o600);
    for side in ["-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{side}", db.display()));
        assert_eq!(mode(&p), 0o600, "{side}");
    }
    let version: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, MIGRATIONS.len() as i64);
}

#[test]
fn a_version_1_store_is_migrated_and_keeps_its_events() {
    let (_dir, db) = temp();
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute(
            "INSERT INTO events (id, process_id, kind, verdict, reviewer, at_ms, truora_status)
             VALUES ('01HZZZZZZZZZZZZZZZZZZZZZZZ', 'P9', 'verdict', 'fail', 'old', 1, 'failure')",
            [],
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
    }
    let mut store = Store::open(&db).unwrap();
    let events = store.events_for("P9").unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].reviewer, "old");
    let (reviews, _) = store.reviews().unwrap();
    assert_eq!(reviews["P9"].verdict, Some(Verdict::Fail));
    // The leases of versions 2 and 3 work.
    let now = Timestamp::now();
    let got = store
        .take_lease(
            "P9",
            &Holder::new("ana"),
            now,
            std::time::Duration::from_secs(60),
        )
        .unwrap();
    assert!(matches!(got, LeaseOutcome::Taken { .. }));
}

/// A version-2 store (leases by reviewer name) moves to version 3 (leases by session): its
/// events stay, and a lease an older build left there belongs to no session of this one, so it
/// shows as taken, even to a browser with the same reviewer name, until it expires.
#[test]
fn a_version_2_store_is_migrated_and_its_old_leases_are_others() {
    let (_dir, db) = temp();
    let now = Timestamp::now();
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.execute_batch(MIGRATIONS[1]).unwrap();
        conn.execute(
            "INSERT INTO events (id, process_id, kind, verdict, reviewer, at_ms, truora_status)
             VALUES ('01HZZZZZZZZZZZZZZZZZZZZZZZ', 'P9', 'verdict', 'fail', 'old', 1, 'failure')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO leases (process_id, reviewer, expires_ms) VALUES ('P9', 'ana', ?1)",
            [now.0 + 60_000],
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
    }
    // Read-only, it is read as version 2: the old lease is another browser's.
    let old = Store::open_read_only(&db).unwrap();
    let ana = Holder::new("ana");
    assert_eq!(
        old.taken_by("P9", &ana, now).unwrap().unwrap().reviewer,
        "ana"
    );
    assert!(old.leases_of_others(&ana, now).unwrap().contains_key("P9"));
    drop(old);
    let mut store = Store::open(&db).unwrap();
    let version: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, MIGRATIONS.len() as i64);
    assert_eq!(store.events_for("P9").unwrap().len(), 1);
    assert_eq!(
        store.taken_by("P9", &ana, now).unwrap().unwrap().reviewer,
        "ana"
    );
    let ttl = std::time::Duration::from_secs(60);
    assert!(matches!(
        store.take_lease("P9", &ana, now, ttl).unwrap(),
        LeaseOutcome::HeldBy(_)
    ));
    // Once it lapses, the new session takes it, and it is no longer shown to itself.
    let later = Timestamp(now.0 + 61_000);
    assert!(matches!(
        store.take_lease("P9", &ana, later, ttl).unwrap(),
        LeaseOutcome::Taken { .. }
    ));
    assert!(store.taken_by("P9", &ana, later).unwrap().is_none());
    assert!(store.leases_of_others(&ana, later).unwrap().is_empty());
}

#[test]
fn a_store_from_a_newer_version_is_refused_untouched() {
    let (_dir, db) = temp();
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    let before = std::fs::read(&db).unwrap();
    let err = Store::open(&db).err().expect("refused");
    assert!(matches!(err, StoreError::Newer { found: 99, .. }), "{err}");
    assert!(err.to_string().contains(&db.display().to_string()));
    assert!(err.to_string().contains("newer"));
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(!PathBuf::from(format!("{}-wal", db.display())).exists());
}

#[test]
fn a_corrupt_file_is_reported_with_its_path_and_left_alone() {
    let (_dir, db) = temp();
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&db, &garbage).unwrap();
    for result in [Store::open(&db), Store::open_read_only(&db)] {
        let err = result.err().expect("refused");
        assert!(matches!(err, StoreError::Corrupt { .. }), "{err}");
        assert!(err.to_string().contains(&db.display().to_string()));
    }
    assert_eq!(std::fs::read(&db).unwrap(), garbage);
}

#[test]
fn a_read_only_store_can_be_browsed_but_not_written() {
    let (_dir, db) = temp();
    let e = verdict("P1", "ana", Verdict::Fail);
    Store::open(&db).unwrap().record(&e).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o400)).unwrap();
    let mut store = Store::open(&db).unwrap();
    assert!(store.read_only_reason().unwrap().contains("read-only"));
    let (reviews, _) = store.reviews().unwrap();
    assert_eq!(reviews["P1"].verdict, Some(Verdict::Fail));
    let err = store
        .record(&verdict("P2", "ana", Verdict::Fail))
        .unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }));
    assert!(err.to_string().contains("chmod u+w"), "{err}");
    assert!(
        store
            .take_lease(
                "P1",
                &Holder::new("ana"),
                Timestamp::now(),
                std::time::Duration::from_secs(9)
            )
            .is_err()
    );
    assert!(
        store
            .leases_of_others(&Holder::new("ana"), Timestamp::now())
            .unwrap()
            .is_empty()
    );
    drop(store);
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(Store::open(&db).unwrap().all_events().unwrap(), vec![e]);
}

#[test]
fn a_missing_store_opened_to_read_says_so() {
    let (_dir, db) = temp();
    let err = Store::open_read_only(&db).err().unwrap();
    assert!(matches!(err, StoreError::Missing { .. }));
    assert!(!db.exists());
}

#[test]
fn a_second_browser_sees_new_decisions_through_changes_since() {
    let (_dir, db) = temp();
    let mut mine = Store::open(&db).unwrap();
    let theirs = Store::open(&db).unwrap();
    let (_, cursor) = theirs.reviews().unwrap();
    let version = theirs.data_version().unwrap();
    let (nothing, same) = theirs.changes_since(cursor).unwrap();
    assert!(nothing.is_empty());
    assert_eq!(same, cursor);
    let e = verdict("P1", "ana", Verdict::Escalate);
    mine.record(&e).unwrap();
    assert_ne!(theirs.data_version().unwrap(), version);
    let (new, next) = theirs.changes_since(cursor).unwrap();
    assert_eq!(new, vec![e]);
    assert!(next > cursor);
    assert!(theirs.changes_since(next).unwrap().0.is_empty());
}

#[test]
fn leases_show_every_reviewer_who_has_a_process_open_until_they_expire() {
    let (_dir, db) = temp();
    let mut ana_store = Store::open(&db).unwrap();
    let mut ben_store = Store::open(&db).unwrap();
    let (ana, ben) = (Holder::new("ana"), Holder::new("ben"));
    let ttl = std::time::Duration::from_secs(180);
    let now = Timestamp(1_800_000_000_000);
    assert!(matches!(
        ana_store.take_lease("P1", &ana, now, ttl).unwrap(),
        LeaseOutcome::Taken { .. }
    ));
    // Ben opens it too: his lease is taken as well, and he is told ana has it.
    match ben_store.take_lease("P1", &ben, now, ttl).unwrap() {
        LeaseOutcome::HeldBy(l) => assert_eq!(l.reviewer, "ana"),
        other @ LeaseOutcome::Taken { .. } => panic!("expected held by ana, got {other:?}"),
    }
    let reviewers = |store: &Store, me: &Holder, at: Timestamp| -> Vec<String> {
        store
            .leases_of_others(me, at)
            .unwrap()
            .remove("P1")
            .unwrap_or_default()
            .into_iter()
            .map(|l| l.reviewer)
            .collect()
    };
    // Each sees the other: not only the first to open it is shown.
    assert_eq!(reviewers(&ben_store, &ben, now), ["ana"]);
    assert_eq!(reviewers(&ana_store, &ana, now), ["ben"]);
    assert_eq!(
        ben_store
            .taken_by("P1", &ben, now)
            .unwrap()
            .unwrap()
            .reviewer,
        "ana"
    );
    // Renewing extends ana's lease past ben's, which lapses alone.
    let later = Timestamp(now.0 + 170_000);
    assert!(matches!(
        ana_store.take_lease("P1", &ana, later, ttl).unwrap(),
        LeaseOutcome::HeldBy(_)
    ));
    let after_first = Timestamp(now.0 + 200_000);
    assert_eq!(reviewers(&ben_store, &ben, after_first), ["ana"]);
    assert!(reviewers(&ana_store, &ana, after_first).is_empty());
    let expired = Timestamp(later.0 + 181_000);
    assert!(matches!(
        ben_store.take_lease("P1", &ben, expired, ttl).unwrap(),
        LeaseOutcome::Taken { .. }
    ));
    // Ana's release leaves ben's lease alone; ben's own release ends it.
    ana_store.release_lease("P1", &ana).unwrap();
    assert!(ana_store.taken_by("P1", &ana, expired).unwrap().is_some());
    ben_store.release_lease("P1", &ben).unwrap();
    assert!(ana_store.taken_by("P1", &ana, expired).unwrap().is_none());
}

/// Two browsers of one account carry one reviewer name: each still sees the other's lease
/// (sessions differ), and neither sees its own.
#[test]
fn leases_keep_two_sessions_of_one_reviewer_name_apart() {
    let (_dir, db) = temp();
    let mut first = Store::open(&db).unwrap();
    let mut second = Store::open(&db).unwrap();
    let (a, b) = (Holder::new("ops"), Holder::new("ops"));
    assert_ne!(a.session, b.session);
    let ttl = std::time::Duration::from_secs(180);
    let now = Timestamp(1_800_000_000_000);
    assert!(matches!(
        first.take_lease("P1", &a, now, ttl).unwrap(),
        LeaseOutcome::Taken { .. }
    ));
    assert!(matches!(
        second.take_lease("P1", &b, now, ttl).unwrap(),
        LeaseOutcome::HeldBy(Lease { ref reviewer, .. }) if reviewer == "ops"
    ));
    assert!(second.leases_of_others(&b, now).unwrap().contains_key("P1"));
    assert!(second.taken_by("P1", &b, now).unwrap().is_some());
    // The first sees the second too (both have it open), never itself.
    assert_eq!(first.leases_of_others(&a, now).unwrap()["P1"].len(), 1);
    // The second session's release does not end the first's lease, and the first no longer
    // sees the second.
    second.release_lease("P1", &b).unwrap();
    assert!(second.taken_by("P1", &b, now).unwrap().is_some());
    assert!(first.leases_of_others(&a, now).unwrap().is_empty());
    assert!(first.taken_by("P1", &a, now).unwrap().is_none());
}

#[test]
fn reviews_fold_every_process() {
    let (_dir, db) = temp();
    let mut store = Store::open(&db).unwrap();
    let first = verdict("P1", "ana", Verdict::Fail);
    store.record(&first).unwrap();
    let mut second = verdict("P1", "ana", Verdict::Pass);
    second.supersedes = Some(first.id);
    store.record(&second).unwrap();
    store
        .record(&Event::new(
            "P2",
            EventKind::Note {
                text: "look again".into(),
            },
            "ben",
            None,
        ))
        .unwrap();
    let (reviews, _) = store.reviews().unwrap();
    assert_eq!(reviews.len(), 2);
    assert_eq!(reviews["P1"].verdict, Some(Verdict::Pass));
    assert_eq!(reviews["P1"].reason, Some(OverrideReason::RegularClient));
    assert_eq!((reviews["P2"].verdict, reviews["P2"].notes), (None, 1));
    // Recording the same event twice is refused, never duplicated.
    assert!(store.record(&first).is_err());
    assert_eq!(store.merge(&[first, second]).unwrap(), 0);
}

#[test]
fn an_existing_loose_store_is_tightened_to_0600() {
    let (_dir, db) = temp();
    Store::open(&db).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    Store::open(&db).unwrap();
    let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

/// Every file in `dir`, with its bytes and mode: what "left untouched" compares.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, u32)> {
    let mut all: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap_or_default(),
                meta.permissions().mode() & 0o777,
            )
        })
        .collect();
    all.sort();
    all
}

fn application_id(db: &Path) -> i32 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap()
}

/// A browser's history (WAL, its own tables), a GeoPackage (its own application id), and a file
/// with an `events` table of someone else's: each is refused with what it is, byte for byte as
/// it was, no `-wal` or `-shm` left beside it, its mode unchanged. It used to be migrated: our
/// tables added, `user_version` 0 → 3, journal mode changed, and `reviews list` called it empty.
#[test]
fn another_programs_database_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("places.sqlite");
    {
        let conn = rusqlite::Connection::open(&history).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        conn.execute_batch(
            "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT);
             CREATE TABLE moz_bookmarks (id INTEGER PRIMARY KEY, fk INTEGER);
             INSERT INTO moz_places (url) VALUES ('https://example.com');",
        )
        .unwrap();
    }
    let geo = dir.path().join("map.gpkg");
    {
        let conn = rusqlite::Connection::open(&geo).unwrap();
        conn.pragma_update(None, "application_id", 0x4750_4b47)
            .unwrap();
        conn.execute_batch("CREATE TABLE gpkg_contents (table_name TEXT);")
            .unwrap();
    }
    let lookalike = dir.path().join("calendar.db");
    {
        let conn = rusqlite::Connection::open(&lookalike).unwrap();
        conn.execute_batch("CREATE TABLE events (id INTEGER PRIMARY KEY, title TEXT);")
            .unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
    }
    let before = snapshot(dir.path());
    for (file, says) in [
        (&history, "moz_bookmarks, moz_places"),
        (&geo, "application id 0x47504b47 \"GPKG\""),
        (&lookalike, "user version 2, tables: events"),
    ] {
        for result in [Store::open(file), Store::open_read_only(file)] {
            let err = result.err().expect("refused");
            assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
            let text = err.to_string();
            assert!(text.contains("is not a review store"), "{text}");
            assert!(text.contains(says), "{text}");
            assert!(text.contains("left untouched"), "{text}");
        }
        let mut out = Vec::new();
        let err = truora_tui::review::cli::list(file, &Default::default(), &mut out).unwrap_err();
        assert!(err.to_string().contains("is not a review store"), "{err}");
    }
    assert_eq!(
        snapshot(dir.path()),
        before,
        "nothing changed, nothing added"
    );
}

/// A store written before the application id existed (id 0, our tables, version 3 or older) is
/// ours: opened to record, it gets the id (and the current schema), its events kept; opened to
/// read, it is read as it is. A new store carries the id from the start.
#[test]
fn our_older_store_without_the_id_is_adopted_and_a_new_one_has_it() {
    use truora_tui::review::schema::APPLICATION_ID;
    let (_dir, db) = temp();
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        for step in MIGRATIONS.iter().take(3) {
            conn.execute_batch(step).unwrap();
        }
        conn.execute(
            "INSERT INTO events (id, process_id, kind, verdict, reviewer, at_ms, truora_status)
             VALUES ('01HZZZZZZZZZZZZZZZZZZZZZZZ', 'P9', 'verdict', 'fail', 'old', 1, 'failure')",
            [],
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 3).unwrap();
    }
    assert_eq!(application_id(&db), 0);
    let read = Store::open_read_only(&db).unwrap();
    assert_eq!(read.events_for("P9").unwrap().len(), 1);
    drop(read);
    assert_eq!(application_id(&db), 0, "reading changes nothing");
    let store = Store::open(&db).unwrap();
    assert_eq!(store.events_for("P9").unwrap().len(), 1);
    drop(store);
    assert_eq!(application_id(&db), APPLICATION_ID);

    let (_dir, fresh) = temp();
    Store::open(&fresh).unwrap();
    assert_eq!(application_id(&fresh), APPLICATION_ID);
    // An empty file, or an SQLite database with nothing in it, is ours to fill.
    let (_dir, empty) = temp();
    rusqlite::Connection::open(&empty)
        .unwrap()
        .execute_batch("PRAGMA journal_mode = WAL; VACUUM;")
        .unwrap();
    Store::open(&empty).unwrap();
    assert_eq!(application_id(&empty), APPLICATION_ID);
}

/// Runs `f` with `dir` read-only (0555), then makes it writable again (for the clean-up).
fn with_read_only_folder<T>(dir: &Path, f: impl FnOnce() -> T) -> T {
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    result.unwrap_or_else(|p| std::panic::resume_unwind(p))
}

/// A store in a read-only folder is read (the marks, `reviews list`), recording says why it
/// cannot, and nothing is written beside it: no `-wal`, no `-shm`. It used to fail to open at
/// all ("attempt to write a readonly database"); as root, SQLite wrote its files into the folder
/// the user had made read-only.
#[test]
fn a_store_in_a_read_only_folder_is_read_without_writing_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let db = folder.join("reviews.sqlite3");
    let e = verdict("P1", "ana", Verdict::Fail);
    Store::open(&db).unwrap().record(&e).unwrap();
    let before = snapshot(&folder);
    assert_eq!(before.len(), 1, "a closed store is one file: {before:?}");
    with_read_only_folder(&folder, || {
        let mut store = Store::open(&db).unwrap();
        assert!(
            store
                .read_only_reason()
                .unwrap()
                .contains("folder is read-only")
        );
        let (start, _) = store.start_up("ana").unwrap();
        assert_eq!(start.marks["P1"].verdict(), Some(Verdict::Fail));
        assert_eq!(store.all_events().unwrap(), vec![e.clone()]);
        let err = store
            .record(&verdict("P2", "ana", Verdict::Fail))
            .unwrap_err();
        assert!(err.to_string().contains("folder is read-only"), "{err}");
        drop(store);
        let mut out = Vec::new();
        truora_tui::review::cli::list(&db, &Default::default(), &mut out).unwrap();
        assert!(String::from_utf8(out).unwrap().contains("P1"));
        assert_eq!(snapshot(&folder), before, "nothing written beside it");
    });
}

/// Events still in the log (a browser has the store open) are read from a read-only folder
/// too, through the log's index. A log without its index cannot be read there: that is said,
/// with what to do, rather than the store read without those events.
#[test]
fn events_in_the_log_of_a_read_only_folder_are_read_or_the_reason_said() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("shared");
    let db = folder.join("reviews.sqlite3");
    let mut writer = Store::open(&db).unwrap();
    let e = verdict("P1", "ana", Verdict::Fail);
    writer.record(&e).unwrap();
    // A copy of the store and its log alone, as a backup tool might take it.
    let copy_folder = dir.path().join("copy");
    std::fs::create_dir(&copy_folder).unwrap();
    let copy = copy_folder.join("reviews.sqlite3");
    std::fs::copy(&db, &copy).unwrap();
    std::fs::copy(
        format!("{}-wal", db.display()),
        format!("{}-wal", copy.display()),
    )
    .unwrap();
    with_read_only_folder(&folder, || {
        let store = Store::open_read_only(&db).unwrap();
        assert_eq!(store.all_events().unwrap(), vec![e.clone()]);
    });
    drop(writer);
    let before = snapshot(&copy_folder);
    with_read_only_folder(&copy_folder, || {
        let err = Store::open_read_only(&copy).err().expect("refused");
        assert!(matches!(err, StoreError::WalUnreadable { .. }), "{err}");
        let text = err.to_string();
        assert!(
            text.contains("-wal") && text.contains("chmod u+w"),
            "{text}"
        );
        assert_eq!(snapshot(&copy_folder), before);
    });
    // Made writable, it reads every event.
    let store = Store::open_read_only(&copy).unwrap();
    assert_eq!(store.all_events().unwrap(), vec![e]);
}

/// SQLITE_FULL is said as a full disk, and the same store records again once there is room:
/// here the file is capped (`max_page_count`, SQLite's own "database or disk is full") and room
/// is made by deleting rows another program left, whose pages SQLite then reuses.
#[test]
fn a_full_disk_is_said_as_such_and_recording_resumes_when_there_is_room() {
    use truora_tui::review::Tuning;
    let (_dir, db) = temp();
    Store::open(&db).unwrap();
    let pages = fill_leases(&db);
    let mut store = Store::open_tuned(
        &db,
        Tuning {
            max_pages: Some(pages),
            ..Tuning::default()
        },
    )
    .unwrap();
    let mut recorded = 0;
    let err = loop {
        let e = big_note(recorded);
        match store.record(&e) {
            Ok(()) => recorded += 1,
            Err(err) => break err,
        }
        assert!(recorded < 100, "the cap was never reached");
    };
    assert!(matches!(err, StoreError::Full { .. }), "{err}");
    assert!(err.to_string().contains("is full"), "{err}");
    assert!(err.passes(), "a full disk passes once there is room");
    free_leases(&db);
    let e = big_note(recorded);
    store
        .record(&e)
        .expect("room again, same store, no restart");
    assert!(store.contains(e.id).unwrap());
}

/// Another program holding the write lock past the busy timeout makes a write fail as busy (a
/// failure that passes), and the same store writes once it is free.
#[test]
fn a_busy_store_says_so_and_writes_once_free() {
    use truora_tui::review::Tuning;
    let (_dir, db) = temp();
    let mut store = Store::open_tuned(
        &db,
        Tuning {
            busy_timeout: std::time::Duration::from_millis(20),
            ..Tuning::default()
        },
    )
    .unwrap();
    let blocker = rusqlite::Connection::open(&db).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let e = verdict("P1", "ana", Verdict::Fail);
    let err = store.record(&e).unwrap_err();
    assert!(matches!(err, StoreError::Busy { .. }), "{err}");
    assert!(err.passes() && err.to_string().contains("is busy"), "{err}");
    blocker.execute_batch("COMMIT").unwrap();
    store.record(&e).unwrap();
}

/// Fills the leases table with rows of another program (about 60 pages); returns the file's
/// page count.
pub fn fill_leases(db: &Path) -> u64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    for i in 0..120 {
        conn.execute(
            "INSERT INTO leases (process_id, reviewer, expires_ms) VALUES (?1, 'x', 0)",
            [format!("{i:04}{}", "x".repeat(2000))],
        )
        .unwrap();
    }
    conn.query_row("PRAGMA page_count", [], |r| r.get::<_, i64>(0))
        .unwrap()
        .try_into()
        .unwrap()
}

pub fn free_leases(db: &Path) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute("DELETE FROM leases", [])
        .unwrap();
}

fn big_note(i: usize) -> Event {
    Event::new(
        &format!("P{i}"),
        EventKind::Note {
            text: format!("{i} {}", "n".repeat(1500)),
        },
        "ana",
        None,
    )
}

/// The browser's review desk and its access log's anchoring open the same new store at the same
/// moment: the first creates its tables and id in one transaction, and the second, looking at
/// the file before opening it for writing, must not take the half-written file for another
/// program's database (seen once in CI: "is not a review store: … application id 0, tables:
/// audit_heads, …"). Two threads released together by a barrier, many times over.
#[test]
fn two_openers_of_a_new_store_at_once_both_find_it_theirs() {
    use std::sync::{Arc, Barrier};
    const OPENERS: usize = 6;
    for round in 0..300 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.sqlite3");
        let barrier = Arc::new(Barrier::new(OPENERS));
        let openers: Vec<_> = (0..OPENERS)
            .map(|_| {
                let (barrier, path) = (Arc::clone(&barrier), path.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).map(|_| ()).map_err(|e| e.to_string())
                })
            })
            .collect();
        for opener in openers {
            if let Err(e) = opener.join().unwrap() {
                panic!("round {round}: {e}");
            }
        }
    }
}
