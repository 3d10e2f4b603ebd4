//! The access log end to end through its files: the writer's chain and rotation, every kind of
//! tampering `audit --verify` must name, a crash mid-record, two processes appending at once, the
//! background task, and the `audit` command's filters and exit codes.

use crate::skip_support;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use truora_tui::api::model::ImageKind;
use truora_tui::audit::cli::{self, AuditArgs};
use truora_tui::audit::verify::{self, Problem};
use truora_tui::audit::{AuditEvent, AuditLog, ProcessRef, Writer};

/// Unix time of an RFC 3339 text, as the injected clock.
fn at(text: &str) -> SystemTime {
    let secs = truora_tui::date::parse(text).expect("a test date");
    UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).expect("after 1970"))
}

fn opened(i: usize) -> AuditEvent {
    AuditEvent::ProcessOpened {
        process: ProcessRef::new(&format!("IDNTY{i:05}")),
    }
}

/// Writes `n` records one batch each, a minute apart from `start`.
fn write(dir: &Path, start: &str, n: usize) {
    let mut writer = Writer::new(dir, "test0001");
    let t0 = at(start);
    for i in 0..n {
        let time = t0 + Duration::from_secs(60 * i as u64);
        writer.append(&[(time, opened(i))]).expect("append");
    }
}

fn month(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("audit-{name}.jsonl"))
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("read")
        .lines()
        .map(str::to_owned)
        .collect()
}

fn put_lines(path: &Path, lines: &[String]) {
    let mut text = lines.join("\n");
    text.push('\n');
    std::fs::write(path, text).expect("write");
}

fn problem(dir: &Path) -> Problem {
    let report = verify::verify(dir).expect("readable");
    report.problem.expect("a broken chain")
}

/// `audit` with these args; (exit code, stdout, stderr).
fn audit(args: &AuditArgs) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run(args, &mut out, &mut err);
    let text = |v: Vec<u8>| String::from_utf8(v).expect("utf-8");
    (code, text(out), text(err))
}

fn verify_args(dir: &Path) -> AuditArgs {
    AuditArgs {
        dir: dir.to_path_buf(),
        verify: true,
        ..AuditArgs::default()
    }
}

#[test]
fn an_untouched_log_verifies_from_the_genesis() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "2026-11-01T10:00:00Z", 20);
    let report = verify::verify(dir.path()).expect("readable");
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.records, 20);
    assert_eq!(report.head.map(|(seq, _)| seq), Some(19));
    let (code, out, err) = audit(&verify_args(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("access log intact: 20 records in 1 files; head seq 19 hash "),
        "{out}"
    );
}

#[test]
fn an_edited_field_is_named_as_altered() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "2026-11-01T10:00:00Z", 10);
    let file = month(dir.path(), "2026-11");
    let mut all = lines(&file);
    all[4] = all[4].replace("IDNTY00004", "IDNTY99999");
    put_lines(&file, &all);
    let found = problem(dir.path());
    assert!(matches!(found, Problem::Altered { .. }), "{found:?}");
    assert_eq!((found.at().line, found.at().seq), (5, Some(4)));
    let (code, _, err) = audit(&verify_args(dir.path()));
    assert_eq!(code, 1);
    assert!(
        err.contains("audit-2026-11.jsonl:5 (seq 4): record altered"),
        "{err}"
    );
    assert!(err.contains("after 4 good records"), "{err}");
}

#[test]
fn a_deleted_line_is_named_as_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "2026-11-01T10:00:00Z", 10);
    let file = month(dir.path(), "2026-11");
    let mut all = lines(&file);
    all.remove(6);
    put_lines(&file, &all);
    let found = problem(dir.path());
    match &found {
        Problem::Removed {
            at,
            first,
            last,
            after_file,
        } => {
            assert_eq!((at.line, at.seq, *first, *last), (7, Some(7), 6, 6));
            assert_eq!(after_file, &None);
        }
        other => panic!("expected a removal, got {other:?}"),
    }
    assert!(
        found.to_string().contains("record seq 6 was removed"),
        "{found}"
    );
}

#[test]
fn the_oldest_records_cut_off_are_named_as_removed_from_the_genesis() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "2026-11-01T10:00:00Z", 10);
    let file = month(dir.path(), "2026-11");
    put_lines(&file, &lines(&file)[3..]);
    match problem(dir.path()) {
        Problem::Removed {
            at, first, last, ..
        } => {
            assert_eq!((at.line, first, last), (1, 0, 2));
        }
        other => panic!("expected a removal, got {other:?}"),
    }
}

#[test]
fn two_swapped_lines_are_named_as_reordered() {
    for (a, b) in [(3, 4), (2, 6), (8, 9)] {
        let dir = tempfile::tempdir().expect("temp dir");
        write(dir.path(), "2026-11-01T10:00:00Z", 10);
        let file = month(dir.path(), "2026-11");
        let mut all = lines(&file);
        all.swap(a, b);
        put_lines(&file, &all);
        let found = problem(dir.path());
        match &found {
            Problem::Reordered { at, expected_seq } => {
                assert_eq!(
                    (at.line, *expected_seq),
                    (a as u64 + 1, a as u64),
                    "swap {a},{b}"
                );
            }
            other => panic!("swap {a},{b}: expected reordered, got {other:?}"),
        }
    }
}

#[test]
fn an_inserted_line_is_named_as_inserted() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "2026-11-01T10:00:00Z", 10);
    let file = month(dir.path(), "2026-11");
    let original = lines(&file);
    // A copy of an earlier, genuine record (its own hash is right).
    let mut copied = original.clone();
    copied.insert(7, original[2].clone());
    put_lines(&file, &copied);
    let found = problem(dir.path());
    assert!(matches!(found, Problem::Inserted { .. }), "{found:?}");
    assert_eq!(found.at().line, 8);
    // A line written by hand.
    let mut forged = original.clone();
    forged.insert(5, r#"{"seq":5,"event":{"kind":"session_end"}}"#.to_owned());
    put_lines(&file, &forged);
    let found = problem(dir.path());
    assert!(matches!(found, Problem::Inserted { .. }), "{found:?}");
    assert_eq!(found.at().line, 6);
}

#[test]
fn rotation_chains_each_month_from_the_last_hash_of_the_one_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 23:57 … 00:03 across the month boundary.
    write(dir.path(), "2026-11-30T23:57:00Z", 7);
    let nov = lines(&month(dir.path(), "2026-11"));
    let dec = lines(&month(dir.path(), "2026-12"));
    assert_eq!((nov.len(), dec.len()), (3, 4));
    let last_nov: serde_json::Value = serde_json::from_str(&nov[2]).expect("json");
    let first_dec: serde_json::Value = serde_json::from_str(&dec[0]).expect("json");
    assert_eq!(first_dec["prev"], last_nov["hash"]);
    assert_eq!(first_dec["seq"], 3);
    let report = verify::verify(dir.path()).expect("readable");
    assert!(report.intact(), "{report:?}");
    assert_eq!((report.records, report.files.len()), (7, 2));
    // A clock that goes back writes into the newest month rather than reopen an older one.
    let mut writer = Writer::new(dir.path(), "test0002");
    writer
        .append(&[(at("2026-11-15T00:00:00Z"), opened(99))])
        .expect("append");
    assert_eq!(lines(&month(dir.path(), "2026-12")).len(), 5);
    assert!(verify::verify(dir.path()).expect("readable").intact());
}

#[test]
fn a_deleted_month_file_in_the_middle_breaks_the_chain_across_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut writer = Writer::new(dir.path(), "test0001");
    for (i, when) in [
        "2026-09-10T00:00:00Z",
        "2026-10-10T00:00:00Z",
        "2026-10-11T00:00:00Z",
        "2026-11-10T00:00:00Z",
    ]
    .into_iter()
    .enumerate()
    {
        writer.append(&[(at(when), opened(i))]).expect("append");
    }
    assert!(verify::verify(dir.path()).expect("readable").intact());
    std::fs::remove_file(month(dir.path(), "2026-10")).expect("remove");
    match problem(dir.path()) {
        Problem::Removed {
            at,
            first,
            last,
            after_file,
        } => {
            assert_eq!((first, last, at.line), (1, 2, 1));
            assert!(at.file.ends_with("audit-2026-11.jsonl"), "{at:?}");
            assert_eq!(after_file, Some(month(dir.path(), "2026-09")));
        }
        other => panic!("expected a removal, got {other:?}"),
    }
    let (code, _, err) = audit(&verify_args(dir.path()));
    assert_eq!(code, 1);
    assert!(err.contains("a month file deleted?"), "{err}");
}

#[test]
fn a_record_torn_by_a_crash_is_reported_as_such_and_cut_off_by_the_next_writer() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "2026-11-01T10:00:00Z", 5);
    let file = month(dir.path(), "2026-11");
    let text = std::fs::read_to_string(&file).expect("read");
    // The crash: the last record stops halfway.
    let cut = text.len() - 40;
    std::fs::write(&file, &text[..cut]).expect("truncate");
    let report = verify::verify(dir.path()).expect("readable");
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.records, 4);
    let (torn_at, bytes) = report.torn.clone().expect("torn");
    assert_eq!(
        (torn_at.line, bytes),
        (5, (cut - text[..cut].rfind('\n').unwrap() - 1) as u64)
    );
    let (code, out, err) = audit(&verify_args(dir.path()));
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("torn") && err.contains("not tampering"),
        "{err}"
    );
    assert!(out.contains("intact: 4 records"), "{out}");

    let mut writer = Writer::new(dir.path(), "test0002");
    writer
        .append(&[(at("2026-11-02T00:00:00Z"), opened(50))])
        .expect("append after the crash");
    let report = verify::verify(dir.path()).expect("readable");
    assert!(report.intact() && report.torn.is_none(), "{report:?}");
    assert_eq!(report.records, 6);
    let all = lines(&file);
    assert!(
        all[4].contains(r#""kind":"torn_tail_removed","bytes":"#),
        "{}",
        all[4]
    );
    assert!(all[5].contains("IDNTY00050"), "{}", all[5]);
}

/// Not a test on its own: the body of each child process in
/// `two_processes_appending_at_once_keep_one_chain`, which runs it by name among the ignored
/// tests. A normal run lists it as ignored, not as a pass.
#[test]
#[ignore = "a child process of two_processes_appending_at_once_keep_one_chain, which runs it"]
fn child_appender() {
    let Some(dir) = std::env::var_os("TRUORA_AUDIT_TEST_CHILD_DIR") else {
        skip_support::skip(
            "it appends only as a child of two_processes_appending_at_once_keep_one_chain; \
             run that test",
        );
        return;
    };
    let session = std::env::var("TRUORA_AUDIT_TEST_CHILD_SESSION").expect("session");
    let mut writer = Writer::new(PathBuf::from(dir), session);
    for i in 0..CHILD_RECORDS {
        writer
            .append(&[(SystemTime::now(), opened(i))])
            .expect("append");
    }
}

const CHILD_RECORDS: usize = 300;

#[test]
fn two_processes_appending_at_once_keep_one_chain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let exe = std::env::current_exe().expect("test binary");
    let children: Vec<_> = ["child001", "child002"]
        .into_iter()
        .map(|session| {
            std::process::Command::new(&exe)
                .args([
                    "audit_log::child_appender",
                    "--exact",
                    "--ignored",
                    "--test-threads=1",
                ])
                .env("TRUORA_AUDIT_TEST_CHILD_DIR", dir.path())
                .env("TRUORA_AUDIT_TEST_CHILD_SESSION", session)
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn a child")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().expect("wait").success());
    }
    let report = verify::verify(dir.path()).expect("readable");
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.records, 2 * CHILD_RECORDS as u64);
    let (code, out, _) = audit(&AuditArgs {
        dir: dir.path().to_path_buf(),
        ..AuditArgs::default()
    });
    assert_eq!(code, 0);
    for session in ["child001", "child002"] {
        let count = out.lines().filter(|l| l.contains(session)).count();
        assert_eq!(count, CHILD_RECORDS, "{session}");
    }
}

#[test]
fn the_background_task_writes_every_event_and_ends_the_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let warnings = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = warnings.clone();
        let log = AuditLog::start(
            dir.path().join("audit"),
            "sess0001".into(),
            Box::new(move |w| sink.lock().expect("lock").push(w)),
        );
        let sender = log.sender();
        for i in 0..1000 {
            sender.record(opened(i));
        }
        sender.record(AuditEvent::image_saved(
            "IDNTY1",
            ImageKind::FacePhoto,
            Path::new("/d/x.jpg"),
        ));
        sender.flush().await;
        log.finish().await;
        assert!(warnings.lock().expect("lock").is_empty());
    });
    let log_dir = dir.path().join("audit");
    let report = verify::verify(&log_dir).expect("readable");
    assert!(report.intact(), "{report:?}");
    assert_eq!(report.records, 1002);
    let (_, out, _) = audit(&AuditArgs {
        dir: log_dir.clone(),
        ..AuditArgs::default()
    });
    let last: Vec<&str> = out.lines().rev().take(2).collect();
    assert!(last[0].contains("session_end"), "{out}");
    assert!(
        last[1].contains("image_saved  process=IDNTY1 image=face_photo path=/d/x.jpg"),
        "{}",
        last[1]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode(&log_dir), 0o700);
        for (_, file) in truora_tui::audit::files::month_files(&log_dir).expect("list") {
            assert_eq!(mode(&file), 0o600);
        }
    }
}

#[test]
fn a_log_that_cannot_be_written_is_a_warning_and_recovers() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A file where the log folder should be.
    let blocked = dir.path().join("audit");
    std::fs::write(&blocked, "not a folder").expect("write");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let warnings = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    runtime.block_on(async {
        let sink = warnings.clone();
        let log = AuditLog::start(
            blocked.clone(),
            "sess0002".into(),
            Box::new(move |w| sink.lock().expect("lock").push(w)),
        );
        log.record(opened(1));
        log.sender().flush().await;
        log.record(opened(2));
        log.sender().flush().await;
        {
            let seen = warnings.lock().expect("lock");
            assert_eq!(seen.len(), 1, "one warning, not one per record: {seen:?}");
            assert!(
                seen[0].starts_with("access log: cannot write the access log"),
                "{}",
                seen[0]
            );
        }
        std::fs::remove_file(&blocked).expect("unblock");
        log.record(opened(3));
        log.sender().flush().await;
        assert!(warnings.lock().expect("lock")[1].contains("works again"));
        log.finish().await;
    });
    let report = verify::verify(&blocked).expect("readable");
    assert!(report.intact());
    // The held records are written once it works again, in order.
    assert_eq!(report.records, 4);
}

#[test]
fn audit_filters_by_date_and_process_and_refuses_a_bad_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "2026-10-31T23:58:00Z", 4);
    let args = |since: Option<&str>, process: Option<&str>| AuditArgs {
        dir: dir.path().to_path_buf(),
        since: since.map(str::to_owned),
        process: process.map(str::to_owned),
        verify: false,
        review_db: None,
    };
    let (code, out, _) = audit(&args(None, None));
    assert_eq!((code, out.lines().count()), (0, 4));
    assert!(
        out.lines().next().unwrap().starts_with(
            "2026-10-31T23:58:00.000Z  #0  test0001  process_opened  process=IDNTY00000"
        ),
        "{out}"
    );
    let (_, out, _) = audit(&args(Some("2026-11-01"), None));
    let seqs: Vec<&str> = out.lines().map(|l| l.split("  ").nth(1).unwrap()).collect();
    assert_eq!(seqs, ["#2", "#3"]);
    let (_, out, _) = audit(&args(None, Some("IDNTY00001")));
    assert_eq!(out.lines().count(), 1);
    assert!(out.contains("#1 "), "{out}");
    let (code, _, err) = audit(&args(Some("yesterday"), None));
    assert_eq!(code, 2);
    assert!(err.contains("--since \"yesterday\" is not a date"), "{err}");
    // With --verify and a filter: the matching records, then the verdict.
    let (code, out, _) = audit(&AuditArgs {
        verify: true,
        ..args(None, Some("IDNTY00003"))
    });
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2, "{out}");
}

#[test]
fn an_empty_or_missing_log_is_said_plainly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (code, out, _) = audit(&verify_args(&dir.path().join("none")));
    assert_eq!(code, 0);
    assert!(out.contains("no access log in"), "{out}");
}
