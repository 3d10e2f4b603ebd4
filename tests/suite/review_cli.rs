//! `reviews export | import | list | stats` end to end, on real store files.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use truora_tui::api::model::Status;
use truora_tui::review::cli::{self, ExportArgs, ExportFormat, ListArgs, ReviewsError};
use truora_tui::review::{
    Decision, Event, EventKind, OverrideReason, Review, Store, Verdict, fold, undo,
};

fn decide(
    store: &mut Store,
    process: &str,
    who: &str,
    v: Verdict,
    reason: Option<OverrideReason>,
    seen: Status,
) -> Event {
    let events = store.events_for(process).unwrap();
    let d = Decision::new(v, reason, Some(&seen)).unwrap();
    let e = fold(&events).decision_event(process, d, who, Some(seen));
    store.record(&e).unwrap();
    e
}

fn note(store: &mut Store, process: &str, who: &str, text: &str) {
    let e = Event::new(process, EventKind::Note { text: text.into() }, who, None);
    store.record(&e).unwrap();
}

/// A store with a bit of everything: overrides both ways, an agreeing verdict, an escalation,
/// an undone decision, awkward notes.
fn sample(dir: &Path) -> PathBuf {
    let db = dir.join("a.sqlite3");
    let mut s = Store::open(&db).unwrap();
    decide(
        &mut s,
        "IDP1",
        "ana",
        Verdict::Pass,
        Some(OverrideReason::RegularClient),
        Status::Failure,
    );
    decide(
        &mut s,
        "IDP2",
        "ana",
        Verdict::Fail,
        Some(OverrideReason::ManipulatedPhoto),
        Status::Success,
    );
    decide(&mut s, "IDP3", "ana", Verdict::Fail, None, Status::Failure);
    decide(
        &mut s,
        "IDP4",
        "ana",
        Verdict::Escalate,
        None,
        Status::Pending,
    );
    decide(&mut s, "IDP5", "ana", Verdict::Fail, None, Status::Failure);
    let u = undo(&s.events_for("IDP5").unwrap(), "ana", Some(Status::Failure)).unwrap();
    s.record(&u).unwrap();
    note(&mut s, "IDP1", "ana", "=HYPERLINK(\"http://x\",\"click\")");
    note(
        &mut s,
        "IDP3",
        "ana",
        "said \"no\", twice\nsecond line — ñandú",
    );
    db
}

fn reviews_of(db: &Path) -> std::collections::HashMap<String, Review> {
    Store::open(db)
        .unwrap()
        .reviews()
        .unwrap()
        .0
        .into_iter()
        .collect()
}

fn run_export(db: &Path, format: ExportFormat) -> String {
    let mut out = Vec::new();
    let args = ExportArgs {
        format,
        ..ExportArgs::default()
    };
    cli::export(db, &args, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn export_then_import_into_a_fresh_store_gives_the_same_state() {
    let dir = tempfile::tempdir().unwrap();
    let a = sample(dir.path());
    let file = dir.path().join("a.jsonl");
    std::fs::write(&file, run_export(&a, ExportFormat::Jsonl)).unwrap();
    let b = dir.path().join("fresh/b.sqlite3");
    let mut out = Vec::new();
    let report = cli::import(&b, &file, &mut out).unwrap();
    assert_eq!(report.added, report.read);
    assert!(report.conflicts.is_empty());
    assert_eq!(reviews_of(&b), reviews_of(&a));
    assert_eq!(
        Store::open(&b).unwrap().all_events().unwrap(),
        Store::open(&a).unwrap().all_events().unwrap()
    );
    assert_eq!(
        run_export(&b, ExportFormat::Csv),
        run_export(&a, ExportFormat::Csv)
    );
}

#[test]
fn importing_twice_changes_nothing_and_conflicts_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let ana = dir.path().join("ana.sqlite3");
    let ben = dir.path().join("ben.sqlite3");
    let mut a = Store::open(&ana).unwrap();
    let mut b = Store::open(&ben).unwrap();
    decide(
        &mut a,
        "IDP1",
        "ana",
        Verdict::Pass,
        Some(OverrideReason::InPersonCustomer),
        Status::Failure,
    );
    decide(&mut b, "IDP1", "ben", Verdict::Fail, None, Status::Failure);
    decide(&mut a, "IDP2", "ana", Verdict::Fail, None, Status::Failure);
    decide(&mut b, "IDP2", "ben", Verdict::Fail, None, Status::Failure);
    drop((a, b));
    let file = dir.path().join("ana.jsonl");
    std::fs::write(&file, run_export(&ana, ExportFormat::Jsonl)).unwrap();

    let mut out = Vec::new();
    let first = cli::import(&ben, &file, &mut out).unwrap();
    assert_eq!((first.read, first.added), (2, 2));
    assert_eq!(first.conflicts, vec!["IDP1".to_string()], "IDP2 agrees");
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("conflict: IDP1:"), "{text}");
    assert!(
        text.contains("ana pass (in_person_customer)") && text.contains("ben fail"),
        "{text}"
    );
    let after_first = Store::open(&ben).unwrap().all_events().unwrap();

    let second = cli::import(&ben, &file, &mut Vec::new()).unwrap();
    assert_eq!(second.added, 0);
    assert_eq!(
        Store::open(&ben).unwrap().all_events().unwrap(),
        after_first
    );

    let mut listed = Vec::new();
    let args = ListArgs {
        conflicts: true,
        verdicts: vec![],
    };
    cli::list(&ben, &args, &mut listed).unwrap();
    let listed = String::from_utf8(listed).unwrap();
    assert!(
        listed.contains("IDP1") && listed.contains("CONFLICT"),
        "{listed}"
    );
    assert!(!listed.contains("IDP2"), "{listed}");

    // The next decision settles it.
    let mut b = Store::open(&ben).unwrap();
    decide(&mut b, "IDP1", "ben", Verdict::Fail, None, Status::Failure);
    assert!(!b.reviews().unwrap().0["IDP1"].conflict);
}

#[test]
fn a_bad_line_imports_nothing_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let a = sample(dir.path());
    let mut jsonl = run_export(&a, ExportFormat::Jsonl);
    jsonl.push_str("{\"id\":\"nope\"}\n");
    let file = dir.path().join("bad.jsonl");
    std::fs::write(&file, &jsonl).unwrap();
    let b = dir.path().join("b.sqlite3");
    let err = cli::import(&b, &file, &mut Vec::new()).unwrap_err();
    let lines = jsonl.lines().count();
    assert!(
        matches!(err, ReviewsError::BadLine { line, .. } if line == lines),
        "{err}"
    );
    assert!(err.to_string().contains("nothing was imported"));
    assert!(!b.exists(), "the store is not even created");
}

#[test]
fn the_csv_is_safe_for_spreadsheets_and_says_what_to_apply() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample(dir.path());
    let csv = run_export(&db, ExportFormat::Csv);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "process_id,truora_status,verdict,override,reason,note,reviewer,time,conflict"
    );
    let row = |id: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(id))
            .copied()
            .unwrap_or_else(|| panic!("{id} in {csv}"))
    };
    let p1 = row("IDP1,");
    assert!(
        p1.starts_with("IDP1,failure,pass,failure→success,regular_client,"),
        "{p1}"
    );
    assert!(
        p1.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"click\"\")\",ana,"),
        "{p1}"
    );
    assert!(row("IDP2,").starts_with("IDP2,success,fail,success→failure,manipulated_photo,"));
    assert!(
        row("IDP3,").contains(",\"said \"\"no\"\", twice\nsecond line — ñandú\",ana,"),
        "{csv}"
    );
    assert!(row("IDP4,").starts_with("IDP4,pending,escalate,,,"));
    // IDP5 was decided then undone: it has events but no verdict.
    assert!(row("IDP5,").starts_with("IDP5,,,,,"));

    let mut only = Vec::new();
    let args = ExportArgs {
        verdicts: vec![Verdict::Pass],
        ..ExportArgs::default()
    };
    cli::export(&db, &args, &mut only).unwrap();
    let only = String::from_utf8(only).unwrap();
    assert_eq!(only.matches("\r\n").count(), 2, "header and IDP1: {only}");

    let out = dir.path().join("out/overrides.csv");
    std::fs::create_dir(out.parent().unwrap()).unwrap();
    let args = ExportArgs {
        out: Some(out.clone()),
        ..ExportArgs::default()
    };
    cli::export(&db, &args, &mut Vec::new()).unwrap();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), csv);
    assert_eq!(
        std::fs::metadata(&out).unwrap().permissions().mode() & 0o777,
        0o600
    );
}

#[test]
fn since_filters_and_a_bad_date_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample(dir.path());
    let future = ExportArgs {
        since: Some("2999-01-01".into()),
        ..ExportArgs::default()
    };
    let mut out = Vec::new();
    cli::export(&db, &future, &mut out).unwrap();
    assert_eq!(String::from_utf8(out).unwrap().matches("\r\n").count(), 1);
    let bad = ExportArgs {
        since: Some("last week".into()),
        ..ExportArgs::default()
    };
    assert!(matches!(
        cli::export(&db, &bad, &mut Vec::new()),
        Err(ReviewsError::BadSince(_))
    ));
}

#[test]
fn stats_and_list_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample(dir.path());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_truora-tui"))
            .args(args)
            .arg("--review-db")
            .arg(&db)
            .env_remove("TRUORA_TUI_CONFIG")
            .output()
            .unwrap()
    };
    let stats = run(&["reviews", "stats"]);
    let text = String::from_utf8_lossy(&stats.stdout);
    assert!(
        stats.status.success(),
        "{text} {}",
        String::from_utf8_lossy(&stats.stderr)
    );
    assert!(text.contains("processes    5 with events"), "{text}");
    assert!(text.contains("1 pass, 2 fail, 1 escalate"), "{text}");
    assert!(
        text.contains("1 failure→success, 1 success→failure"),
        "{text}"
    );
    let list = run(&["reviews", "list", "--verdict", "escalate"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.contains("IDP4") && !text.contains("IDP1"), "{text}");
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_truora-tui"))
        .args(["reviews", "stats", "--review-db"])
        .arg(dir.path().join("none.sqlite3"))
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no review store"));
}

/// `reviews export --out FILE`: a new file is written 0600; an existing one (a link included) is
/// refused with exit 2 and its name, untouched, unless `--force`, which replaces it atomically
/// (a link is replaced, never written through). A bare name is a file in the current folder.
#[test]
fn export_out_never_overwrites_without_force() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = sample(dir.path());
    let export = |out: &str, force: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_truora-tui"));
        cmd.current_dir(dir.path())
            .env_remove("TRUORA_TUI_CONFIG")
            .args(["reviews", "export", "--out", out])
            .arg("--review-db")
            .arg(&db);
        if force {
            cmd.arg("--force");
        }
        cmd.output().unwrap()
    };
    let csv = run_export(&db, ExportFormat::Csv);
    let files = |d: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };

    let fresh = export("new.csv", false);
    assert_eq!(fresh.status.code(), Some(0), "{fresh:?}");
    let new = dir.path().join("new.csv");
    assert_eq!(std::fs::read_to_string(&new).unwrap(), csv);
    let mode = std::fs::metadata(&new).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let before = files(dir.path());
    let kept = dir.path().join("kept.csv");
    std::fs::write(&kept, b"yesterday's export").unwrap();
    let refused = export(kept.to_str().unwrap(), false);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains(&format!("{} already exists", kept.display()))
            && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&kept).unwrap(), b"yesterday's export");

    let forced = export(kept.to_str().unwrap(), true);
    assert_eq!(forced.status.code(), Some(0), "{forced:?}");
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), csv);
    let mut expected = before.clone();
    expected.push("kept.csv".into());
    expected.sort();
    assert_eq!(files(dir.path()), expected, "no temp file left behind");

    // A link in the file's place is a file that exists; --force replaces the link itself.
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("theirs.csv");
    std::fs::write(&target, b"someone else's").unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert_eq!(export("link.csv", false).status.code(), Some(2));
    assert_eq!(export("link.csv", true).status.code(), Some(0));
    assert_eq!(std::fs::read(&target).unwrap(), b"someone else's");
    assert!(!std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&link).unwrap(), csv);

    // --force alone is a usage error: it says what it would replace.
    let mut alone = std::process::Command::new(env!("CARGO_BIN_EXE_truora-tui"));
    alone
        .env_remove("TRUORA_TUI_CONFIG")
        .args(["reviews", "export", "--force", "--review-db"])
        .arg(&db);
    assert_eq!(alone.output().unwrap().status.code(), Some(2));
}

/// One JSON line of an event.
fn line(e: &Event) -> String {
    truora_tui::review::wire::to_json(e).to_string()
}

fn note_event(process: &str, who: &str, text: &str) -> Event {
    Event::new(process, EventKind::Note { text: text.into() }, who, None)
}

/// A hostile or broken file: a 50 KB note, a decision dated 9999, one that replaces itself, a
/// reviewer name carrying an escape sequence, a process id with a C1 control, one id twice with
/// other content. Every such line is named with its number and why, and nothing is imported;
/// the good lines around them go in once the file is fixed.
#[test]
fn import_refuses_what_breaks_the_limits_and_names_every_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = note_event("IDP1", "ana", "fine");
    let big = note_event("IDP2", "ana", &"x".repeat(50_000));
    let mut future = note_event("IDP3", "ana", "later");
    future.at = truora_tui::review::Timestamp::parse("9999-12-31T00:00:00Z").unwrap();
    let mut itself = note_event("IDP4", "ana", "loop");
    itself.supersedes = Some(itself.id);
    let escape = note_event("IDP5", "ana\u{1b}]0;owned\u{7}", "hi");
    let c1 = note_event("IDP\u{9b}6", "ana", "hi");
    let twin = note_event("IDP7", "ana", "first");
    let mut other_twin = twin.clone();
    other_twin.kind = EventKind::Note {
        text: "second".into(),
    };
    let lines = [
        line(&good),
        line(&big),
        line(&future),
        line(&itself),
        line(&escape),
        line(&c1),
        line(&twin),
        line(&other_twin),
    ];
    let file = dir.path().join("hostile.jsonl");
    std::fs::write(&file, lines.join("\n")).unwrap();
    let db = dir.path().join("b.sqlite3");
    Store::open(&db).unwrap();
    let err = cli::import(&db, &file, &mut Vec::new()).unwrap_err();
    let ReviewsError::BadLine {
        line: first, more, ..
    } = &err
    else {
        panic!("{err}");
    };
    let refused: Vec<usize> = std::iter::once(*first)
        .chain(more.iter().map(|r| r.line))
        .collect();
    assert_eq!(refused, vec![2, 3, 4, 5, 6, 8], "{err}");
    let text = err.to_string();
    for says in [
        "line 2: the note is 50000 bytes long (at most 16384",
        "line 3: `at` 9999-12-31T00:00:00.000Z is in the future",
        "line 4: `supersedes` names the event itself",
        "line 5: `reviewer` holds the control character U+001B",
        "line 6: `process_id` holds the control character U+009B",
        "line 8: event",
        "is on line 7 too, with other content",
        "nothing was imported",
    ] {
        assert!(text.contains(says), "{says}: {text}");
    }
    assert!(!text.contains('\u{1b}'), "no escape reaches the terminal");
    assert!(Store::open(&db).unwrap().all_events().unwrap().is_empty());

    // Fixed (the bad lines removed), it imports.
    std::fs::write(&file, [line(&good), line(&twin)].join("\n")).unwrap();
    let report = cli::import(&db, &file, &mut Vec::new()).unwrap();
    assert_eq!((report.read, report.added), (2, 2));
}

/// An event whose id the store holds with other content is refused, named, and the stored one
/// kept (it used to be dropped without a word); one the store holds as it is imports as
/// nothing, so importing twice changes nothing.
#[test]
fn a_duplicate_id_with_other_content_is_reported_and_an_identical_one_is_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.sqlite3");
    let stored = note_event("IDP1", "ana", "as stored");
    Store::open(&db).unwrap().record(&stored).unwrap();
    let mut changed = stored.clone();
    changed.kind = EventKind::Note {
        text: "rewritten".into(),
    };
    let new = note_event("IDP2", "ana", "new");
    let file = dir.path().join("in.jsonl");
    std::fs::write(&file, [line(&new), line(&changed)].join("\n")).unwrap();
    let err = cli::import(&db, &file, &mut Vec::new()).unwrap_err();
    assert!(
        matches!(&err, ReviewsError::BadLine { line: 2, more, .. } if more.is_empty()),
        "{err}"
    );
    assert!(err.to_string().contains("other content"), "{err}");
    assert_eq!(
        Store::open(&db).unwrap().all_events().unwrap(),
        vec![stored.clone()]
    );

    std::fs::write(&file, [line(&new), line(&stored)].join("\n")).unwrap();
    let mut out = Vec::new();
    let report = cli::import(&db, &file, &mut out).unwrap();
    assert_eq!((report.read, report.added), (2, 1));
    assert!(
        String::from_utf8(out)
            .unwrap()
            .contains("(1 already there)")
    );
}

/// The import writes in short transactions: between two batches another program (a browser
/// recording a decision) gets the lock at once, and sees the first batch already in. It used to
/// hold the lock for the whole import.
#[test]
fn import_writes_in_short_transactions_a_browser_records_between_them() {
    use std::io::Read;
    use truora_tui::review::import::{BATCH, add};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let events: Vec<Event> = (0..BATCH + 10)
        .map(|i| note_event(&format!("IDP{i}"), "ana", "n"))
        .collect();
    let text: String = events.iter().map(|e| line(e) + "\n").collect();

    /// Hands out the file a line at a time and, once the first batch has been read and added
    /// (the reader is asked for the line after it), records as another program would, with no
    /// patience at all for a lock.
    struct Meanwhile {
        lines: std::collections::VecDeque<Vec<u8>>,
        handed: usize,
        db: PathBuf,
        seen: Option<(usize, bool)>,
    }
    impl Read for Meanwhile {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.handed == BATCH + 1 && self.seen.is_none() {
                let browser = rusqlite::Connection::open(&self.db).unwrap();
                let before: i64 = browser
                    .query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))
                    .unwrap();
                let before = usize::try_from(before).unwrap();
                let wrote = browser
                    .execute(
                        "INSERT INTO leases (process_id, reviewer, expires_ms) VALUES ('IDPx', 'bob', 1)",
                        [],
                    )
                    .is_ok();
                self.seen = Some((before, wrote));
            }
            let Some(line) = self.lines.pop_front() else {
                return Ok(0);
            };
            self.handed += 1;
            buf[..line.len()].copy_from_slice(&line);
            Ok(line.len())
        }
    }
    let mut reader = Meanwhile {
        lines: text
            .lines()
            .map(|l| format!("{l}\n").into_bytes())
            .collect(),
        handed: 0,
        db: db.clone(),
        seen: None,
    };
    let added = add(
        std::io::BufReader::with_capacity(1 << 16, &mut reader),
        &mut store,
    )
    .unwrap();
    assert_eq!(added.added, BATCH + 10);
    let (before, wrote) = reader
        .seen
        .expect("the reader was asked past the first batch");
    assert_eq!(
        before, BATCH,
        "the first batch was committed before the second began"
    );
    assert!(wrote, "another program could write between two batches");
}

/// A store holding an event it cannot read (written by something else, `kind = 'bogus'`):
/// `list`, `stats` and `export` still show the rest, then name the event by id in plain words
/// and fail, so a script notices. It used to fail before printing anything, with a
/// Debug-formatted message.
#[test]
fn an_unreadable_event_is_named_and_the_rest_still_listed() {
    let dir = tempfile::tempdir().unwrap();
    let db = sample(dir.path());
    let bad = Store::open(&db).unwrap().events_for("IDP3").unwrap()[0].clone();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute(
            "UPDATE events SET kind = 'bogus' WHERE id = ?1",
            [bad.id.to_string()],
        )
        .unwrap();
    let mut out = Vec::new();
    let err = cli::list(&db, &ListArgs::default(), &mut out).unwrap_err();
    let listed = String::from_utf8(out).unwrap();
    assert!(
        listed.contains("IDP1") && listed.contains("IDP4"),
        "{listed}"
    );
    let text = err.to_string();
    assert!(text.contains(&bad.id.to_string()), "{text}");
    assert!(
        text.contains("its kind \"bogus\" is not verdict, withdraw or note"),
        "{text}"
    );
    assert!(!text.contains("Some("), "{text}");
    let mut out = Vec::new();
    assert!(cli::stats(&db, &mut out).is_err());
    assert!(String::from_utf8(out).unwrap().contains("processes"));
    let mut out = Vec::new();
    assert!(cli::export(&db, &ExportArgs::default(), &mut out).is_err());
    assert!(String::from_utf8(out).unwrap().contains("IDP1"));

    // Through the binary: the rest on stdout, the event on stderr, exit 1.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_truora-tui"))
        .args(["reviews", "list", "--review-db"])
        .arg(&db)
        .env_remove("TRUORA_TUI_CONFIG")
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stdout).contains("IDP1"));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains(&bad.id.to_string()), "{stderr}");
}

/// An event that reaches the store with other content after the check (another program wrote
/// it meanwhile) is not overwritten and not dropped without a word: the add reports its line.
#[test]
fn an_event_that_appeared_meanwhile_with_other_content_is_kept_and_reported() {
    use truora_tui::review::import::add;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("b.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let theirs = note_event("IDP1", "ana", "theirs");
    store.record(&theirs).unwrap();
    let mut ours = theirs.clone();
    ours.kind = EventKind::Note {
        text: "ours".into(),
    };
    let new = note_event("IDP2", "ana", "new");
    let text = format!("{}\n{}\n", line(&new), line(&ours));
    let added = add(std::io::Cursor::new(text), &mut store).unwrap();
    assert_eq!((added.read, added.added), (2, 1));
    assert_eq!(added.differing.len(), 1);
    assert_eq!(added.differing[0].line, 2);
    assert!(added.differing[0].why.contains("kept"));
    assert_eq!(store.events_for("IDP1").unwrap(), vec![theirs]);
}
