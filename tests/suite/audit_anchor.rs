//! The access log's head anchored in the review store: every forgery a hash chain alone lets
//! through (each test first shows the chain alone calling the forged log intact), caught by
//! `audit --verify` with the store; a crash between writing and anchoring said as a crash; a store
//! that cannot take the anchor leaving records that are written but not vouched for.
//!
//! Everything goes through the real writer, the real store file and `audit::cli::run`.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use truora_tui::audit::cli::{self, AuditArgs};
use truora_tui::audit::record;
use truora_tui::audit::{AnchorFailure, AuditEvent, AuditLog, ProcessRef, Writer};
use truora_tui::review::Store;
use truora_tui::review::Timestamp;
use truora_tui::review::anchor::{LogKey, NewHead};

fn at(text: &str) -> SystemTime {
    let secs = truora_tui::date::parse(text).expect("a test date");
    UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).expect("after 1970"))
}

fn opened(i: usize) -> AuditEvent {
    AuditEvent::ProcessOpened {
        process: ProcessRef::new(&format!("IDNTY{i:05}")),
    }
}

/// A log folder and a store in a temp dir.
struct Fixture {
    _tmp: tempfile::TempDir,
    log: PathBuf,
    db: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().expect("temp dir");
        let log = tmp.path().join("audit");
        let db = tmp.path().join("reviews.sqlite3");
        Fixture { _tmp: tmp, log, db }
    }

    fn writer(&self, session: &str) -> Writer {
        Writer::anchored(&self.log, session, &self.db)
    }

    /// A session as the browser writes one: start, `n` processes opened (a batch each), end.
    fn session(&self, session: &str, first: usize, n: usize) {
        let mut writer = self.writer(session);
        let t0 = at("2026-11-01T10:00:00Z") + Duration::from_secs(60 * first as u64);
        let start = AuditEvent::SessionStart {
            reviewer: None,
            os_user: None,
            host: None,
            source: truora_tui::audit::SourceKind::Live,
            key: None,
            pid: 1,
        };
        writer.append(&[(t0, start)]).expect("append");
        for i in 0..n {
            let time = t0 + Duration::from_secs(i as u64 + 1);
            writer.append(&[(time, opened(first + i))]).expect("append");
        }
        let end = t0 + Duration::from_secs(n as u64 + 1);
        writer
            .append(&[(end, AuditEvent::SessionEnd)])
            .expect("append");
    }

    fn file(&self) -> PathBuf {
        self.log.join("audit-2026-11.jsonl")
    }

    /// Every line of every month file, oldest first.
    fn lines(&self) -> Vec<String> {
        let files = truora_tui::audit::files::month_files(&self.log).expect("list");
        files
            .iter()
            .flat_map(|(_, path)| {
                let text = std::fs::read_to_string(path).expect("read");
                text.lines().map(str::to_owned).collect::<Vec<_>>()
            })
            .collect()
    }

    fn put_lines(&self, lines: &[String]) {
        let mut text = lines.join("\n");
        text.push('\n');
        std::fs::write(self.file(), text).expect("write");
    }

    /// `audit --verify` against the store; (exit code, stdout, stderr).
    fn verify(&self) -> (u8, String, String) {
        run(&self.log, Some(&self.db))
    }

    /// `audit --verify` of the chain alone: what today's check says (the blind spot).
    fn chain_alone(&self) -> u8 {
        run(&self.log, None).0
    }
}

fn run(log: &Path, db: Option<&Path>) -> (u8, String, String) {
    let args = AuditArgs {
        dir: log.to_path_buf(),
        verify: true,
        review_db: db.map(Path::to_path_buf),
        ..AuditArgs::default()
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run(&args, &mut out, &mut err);
    let text = |v: Vec<u8>| String::from_utf8(v).expect("utf-8");
    (code, text(out), text(err))
}

/// The `(seq, hash)` of a line.
fn link(line: &str) -> (u64, [u8; 32]) {
    let link = record::link(line.as_bytes()).expect("a record line");
    (link.seq, link.stored)
}

#[test]
fn an_untouched_anchored_log_verifies_and_names_the_head_it_was_checked_against() {
    let f = Fixture::new();
    f.session("sess0001", 0, 5);
    f.session("sess0002", 5, 3);
    let (code, out, err) = f.verify();
    assert_eq!(code, 0, "{out}{err}");
    let last = link(f.lines().last().expect("lines"));
    assert_eq!(last.0, 11);
    assert!(out.starts_with("access log intact: 12 records"), "{out}");
    let anchored = format!(
        "anchored in the review store {}: seq 11 hash {} (written ",
        f.db.display(),
        truora_tui::audit::event::hex(&last.1)
    );
    assert!(out.contains(&anchored), "{out}");
    assert!(out.contains("by session sess0002)"), "{out}");
    assert_eq!(err, "");
}

#[test]
fn deleting_the_last_record_is_caught() {
    let f = Fixture::new();
    f.session("sess0001", 0, 5);
    let mut lines = f.lines();
    lines.pop();
    f.put_lines(&lines);
    assert_eq!(f.chain_alone(), 0, "the chain alone calls it intact");
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(
        err.contains("records were cut off the end of the log")
            && err.contains("the log ends at seq 5; seq 6 is missing"),
        "{err}"
    );
}

#[test]
fn deleting_the_last_session_is_caught() {
    let f = Fixture::new();
    f.session("sess0001", 0, 3);
    f.session("sess0002", 3, 4);
    let lines: Vec<String> = f
        .lines()
        .into_iter()
        .filter(|l| !l.contains("sess0002"))
        .collect();
    assert_eq!(lines.len(), 5);
    f.put_lines(&lines);
    assert_eq!(f.chain_alone(), 0, "the chain alone calls it intact");
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(err.contains("seq 5 to 10 are missing"), "{err}");
    assert!(err.contains("by session sess0002"), "{err}");
}

#[test]
fn a_last_line_cut_half_way_is_tampering_not_a_crash() {
    let f = Fixture::new();
    f.session("sess0001", 0, 4);
    let text = std::fs::read_to_string(f.file()).expect("read");
    std::fs::write(f.file(), &text[..text.len() - 60]).expect("cut");
    let (code, _, err) = run(&f.log, None);
    assert_eq!(code, 0, "the chain alone calls it a crash: {err}");
    assert!(err.contains("not tampering"), "{err}");
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(
        err.contains("seq 5 is missing") && err.contains("stops half-way"),
        "{err}"
    );
    assert!(err.contains("not a crash"), "{err}");
}

#[test]
fn half_a_line_appended_by_hand_is_not_taken_for_a_crash() {
    let f = Fixture::new();
    f.session("sess0001", 0, 2);
    let mut text = std::fs::read_to_string(f.file()).expect("read");
    text.push_str(r#"{"seq":4,"time":"2026-11-01T10:09:00.000Z","#);
    std::fs::write(f.file(), text).expect("write");
    let (code, _, err) = run(&f.log, None);
    assert_eq!(code, 0, "the chain alone calls it a crash: {err}");
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(
        err.contains("partial line") && err.contains("not a crash of truora-tui's writer"),
        "{err}"
    );
}

#[test]
fn a_record_appended_with_a_correct_hash_is_caught() {
    let f = Fixture::new();
    f.session("sess0001", 0, 3);
    let (seq, hash) = link(f.lines().last().expect("lines"));
    let (line, _) = record::encode(
        seq + 1,
        at("2026-11-01T11:00:00Z"),
        "sess0001",
        &opened(77),
        &hash,
    );
    let mut lines = f.lines();
    lines.push(line.trim_end().to_owned());
    f.put_lines(&lines);
    assert_eq!(f.chain_alone(), 0, "the chain alone calls it intact");
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(
        err.contains("record seq 5 is not vouched for by the review store")
            && err.contains("appended by something else"),
        "{err}"
    );
}

#[test]
fn a_tail_rewritten_with_a_recomputed_chain_is_caught() {
    let f = Fixture::new();
    f.session("sess0001", 0, 6);
    let lines = f.lines();
    // From seq 3 on: other processes, every hash recomputed, the same number of records.
    let (_, mut prev) = link(&lines[2]);
    let mut forged: Vec<String> = lines[..3].to_vec();
    for (i, original) in lines[3..].iter().enumerate() {
        let seq = 3 + i as u64;
        let rec = record::parse(original.as_bytes()).expect("a record");
        let event = match rec.event {
            AuditEvent::ProcessOpened { .. } => opened(900 + i),
            other => other,
        };
        let time = at("2026-11-01T10:00:00Z") + Duration::from_secs(seq);
        let (line, hash) = record::encode(seq, time, &rec.session, &event, &prev);
        forged.push(line.trim_end().to_owned());
        prev = hash;
    }
    f.put_lines(&forged);
    assert_eq!(f.chain_alone(), 0, "the chain alone calls it intact");
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(
        err.contains("the log was rewritten: record seq 3 has hash"),
        "{err}"
    );
}

#[test]
fn a_deleted_log_folder_is_caught() {
    let f = Fixture::new();
    f.session("sess0001", 0, 3);
    std::fs::remove_dir_all(&f.log).expect("delete");
    let (code, out, _) = run(&f.log, None);
    assert_eq!(code, 0, "the chain alone sees nothing wrong: {out}");
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(
        err.contains(&format!("the access log in {} is gone", f.log.display()))
            && err.contains("seq 4 hash"),
        "{err}"
    );
}

#[test]
fn a_deleted_file_and_a_new_log_started_in_its_place_are_caught() {
    let f = Fixture::new();
    f.session("sess0001", 0, 3);
    std::fs::remove_file(f.file()).expect("delete");
    // The folder is left (with its lock file): still gone.
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(err.contains("is gone"), "{err}");
    // A new session starts a new log at seq 0, which verifies as a chain.
    f.session("sess0002", 10, 2);
    assert_eq!(f.chain_alone(), 0, "the chain alone calls it intact");
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(
        err.contains("is not the one the review store") && err.contains("started again"),
        "{err}"
    );
}

#[test]
fn a_moved_log_still_verifies_where_it_is_now() {
    let f = Fixture::new();
    f.session("sess0001", 0, 3);
    let moved = f.log.with_file_name("moved");
    std::fs::rename(&f.log, &moved).expect("move");
    let (code, out, err) = run(&moved, Some(&f.db));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("anchored in the review store"), "{out}");
    // Where it was, it is missing: the store says so, and says where to look.
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(err.contains("is gone") && err.contains("moved"), "{err}");
}

#[test]
fn records_of_an_unanchored_log_are_vouched_for_once_a_session_anchors_it() {
    let f = Fixture::new();
    let mut old = Writer::new(&f.log, "legacy01");
    for i in 0..3 {
        old.append(&[(at("2026-11-01T09:00:00Z"), opened(i))])
            .expect("append");
    }
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(
        err.contains("there is no review store at"),
        "no store yet: {err}"
    );
    Store::open(&f.db).expect("create the store");
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(
        err.contains("records seq 0 to 2 are not vouched for")
            && err.contains("it anchors no record of this log"),
        "{err}"
    );
    f.session("sess0001", 3, 1);
    let (code, out, err) = f.verify();
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn a_crash_after_announcing_a_batch_is_a_crash_not_tampering() {
    let f = Fixture::new();
    f.session("sess0001", 0, 2);
    let (seq, hash) = link(f.lines().last().expect("lines"));
    let first_hash = link(&f.lines()[0]).1;
    let dir = std::fs::canonicalize(&f.log).expect("dir");
    let dir = dir.to_string_lossy();
    let log = LogKey {
        dir: &dir,
        first_hash,
    };
    let (line, next_hash) = record::encode(
        seq + 1,
        at("2026-11-01T12:00:00Z"),
        "sess0002",
        &opened(50),
        &hash,
    );
    let head = NewHead {
        first_seq: seq + 1,
        seq: seq + 1,
        hash: next_hash,
        session: "sess0002",
        at: Timestamp::now(),
    };
    // The writer announced the batch, then stopped before writing it.
    let mut store = Store::open(&f.db).expect("store");
    let _announced = store.announce_head(&log, &head).expect("announce");
    let (code, out, err) = f.verify();
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("was never written whole") && err.contains("not tampering"),
        "{err}"
    );
    // It stopped half-way through the line.
    let mut text = std::fs::read_to_string(f.file()).expect("read");
    text.push_str(&line[..line.len() / 2]);
    std::fs::write(f.file(), &text).expect("write");
    let (code, out, err) = f.verify();
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("its last line is torn"), "{err}");
    // It stopped after writing the line, before marking it written.
    text.push_str(&line[line.len() / 2..]);
    std::fs::write(f.file(), &text).expect("write");
    let (code, out, err) = f.verify();
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.contains("exactly as announced"), "{err}");
    // The next session carries on, and the log verifies plainly again.
    f.session("sess0003", 60, 1);
    let (code, out, err) = f.verify();
    assert_eq!((code, err.as_str()), (0, ""), "{out}");
}

#[test]
fn a_store_that_cannot_be_written_leaves_records_written_and_not_vouched_for() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    f.session("sess0001", 0, 1);
    std::fs::set_permissions(&f.db, std::fs::Permissions::from_mode(0o400)).expect("chmod");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let warnings = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    runtime.block_on(async {
        let sink = warnings.clone();
        let log = AuditLog::start_writer(
            f.writer("sess0002"),
            Box::new(move |w| sink.lock().expect("lock").push(w)),
        );
        for i in 0..3 {
            log.record(opened(10 + i));
            log.sender().flush().await;
        }
        log.finish().await;
    });
    let seen = warnings.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1, "one warning, not one per batch: {seen:?}");
    assert!(
        seen[0].contains("the head is not anchored in the review store")
            && seen[0].contains("read-only"),
        "{}",
        seen[0]
    );
    let lines = f.lines();
    let said: Vec<&String> = lines
        .iter()
        .filter(|l| l.contains("anchor_unavailable"))
        .collect();
    assert_eq!(said.len(), 1, "said once in the log: {lines:?}");
    let rec = record::parse(said[0].as_bytes()).expect("a record");
    assert_eq!(
        rec.event,
        AuditEvent::AnchorUnavailable {
            store: f.db.to_string_lossy().into_owned(),
            reason: AnchorFailure::ReadOnly
        }
    );
    assert_eq!(
        lines.len(),
        3 + 1 + 3 + 1,
        "every record written: {lines:?}"
    );
    let (code, _, err) = f.verify();
    assert_eq!(code, 1);
    assert!(
        err.contains("records seq 3 to 7 are not vouched for")
            && err.contains("could not anchor them")
            && err.contains("(read_only)"),
        "{err}"
    );
    // Writable again: the next batch anchors, and vouches for everything before it.
    std::fs::set_permissions(&f.db, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    f.session("sess0003", 20, 1);
    let (code, out, err) = f.verify();
    assert_eq!(code, 0, "{out}{err}");
}
