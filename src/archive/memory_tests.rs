//! What an open archive costs in memory, measured in a child process (this test binary run
//! again on one ignored test) so that no other test's memory is counted: opening an archive of
//! 20,000 processes and reading its whole list, a page at a time as the browser does, must not
//! grow the process by more than a kilobyte per process. Keeping the records (file lists,
//! checksums, links, list fields) took about six.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use super::Archive;
use crate::export::format::{
    FORMAT, FORMAT_VERSION, FileKind, FileRecord, Head, MANIFEST, PROCESSES, ProcessState, Record,
    RunState,
};

const PROCESSES_N: usize = 20_000;
const CHILD: &str = "TRUORA_TUI_ARCHIVE_MEMORY_CHILD";

fn record(i: usize) -> Record {
    let id = format!("IDP{i:032x}");
    let file = |path: String, kind, validation: Option<String>, field: Option<&str>| FileRecord {
        link: field.map(|f| format!("https://images.example/{id}/{f}.jpg")),
        path,
        kind,
        validation_id: validation,
        field: field.map(str::to_owned),
        bytes: 12_345,
        sha256: "ab".repeat(32),
    };
    let (v1, v2) = (format!("VLD{i:032x}a"), format!("VLD{i:032x}b"));
    let summary = serde_json::json!({
        "process_id": id, "account_id": format!("ACC{:032x}", 42), "flow_id": format!("IPF{:032x}", i % 7),
        "client_user_id": format!("user-{i}"), "status": "failure", "creation_date": "2026-01-01T10:00:00Z",
        "failure_status": "declined", "declined_reason": "similarity_threshold_not_passed", "country": "CO",
    });
    Record {
        folder: id.clone(),
        state: ProcessState::Complete,
        error: None,
        finished_at: "2026-01-01T10:00:00Z".into(),
        images: true,
        details: true,
        summary: summary.as_object().cloned().unwrap_or_default(),
        files: vec![
            file("result.json".into(), FileKind::Result, None, None),
            file(
                format!("validations/{v1}.json"),
                FileKind::Details,
                Some(v1.clone()),
                None,
            ),
            file(
                format!("validations/{v2}.json"),
                FileKind::Details,
                Some(v2.clone()),
                None,
            ),
            file(
                "images/document-validation-front_image.jpg".into(),
                FileKind::Image,
                Some(v1.clone()),
                Some("front_image"),
            ),
            file(
                "images/document-validation-reverse_image.jpg".into(),
                FileKind::Image,
                Some(v1),
                Some("reverse_image"),
            ),
            file(
                "images/face-recognition-face_photo.jpg".into(),
                FileKind::Image,
                Some(v2),
                Some("face_photo"),
            ),
        ],
        missing: Vec::new(),
        process_id: id,
    }
}

/// An archive as an export's end writes it: the manifest with every record, and the list.
fn write_archive(dir: &Path) {
    let head = Head {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        state: RunState::Complete,
        ..Head::default()
    };
    let mut manifest = std::io::BufWriter::new(std::fs::File::create(dir.join(MANIFEST)).unwrap());
    let mut list = std::io::BufWriter::new(std::fs::File::create(dir.join(PROCESSES)).unwrap());
    let text = serde_json::to_string_pretty(&head).unwrap();
    write!(
        manifest,
        "{},\n  \"processes\": [",
        text.trim_end().trim_end_matches('}').trim_end()
    )
    .unwrap();
    for i in 0..PROCESSES_N {
        let r = record(i);
        let comma = if i == 0 { "" } else { "," };
        write!(
            manifest,
            "{comma}\n    {}",
            serde_json::to_string(&r).unwrap()
        )
        .unwrap();
        writeln!(list, "{}", serde_json::Value::Object(r.summary)).unwrap();
    }
    write!(manifest, "\n  ]\n}}\n").unwrap();
    manifest.flush().unwrap();
    list.flush().unwrap();
}

/// Resident memory now and at its peak, in KiB.
fn rss() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = |field: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    (kib("VmRSS"), kib("VmHWM"))
}

#[test]
fn an_open_archive_keeps_a_few_dozen_bytes_per_process_not_its_records() {
    if !Path::new("/proc/self/status").exists() {
        return; // Linux only: the figure comes from /proc.
    }
    let tmp = tempfile::tempdir().unwrap();
    write_archive(tmp.path());
    let out = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "archive::memory_tests::child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, tmp.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let figures = text
        .lines()
        // The harness prints the test's name on the same line first.
        .find_map(|l| l.split_once("archive memory: ").map(|(_, figures)| figures))
        .unwrap_or_else(|| {
            panic!(
                "the child said: {text}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let n: Vec<u64> = figures
        .split_whitespace()
        .map(|w| w.parse().unwrap())
        .collect();
    let (before, peak, rows) = (n[0], n[1], n[2]);
    assert_eq!(rows, PROCESSES_N as u64);
    let grown_kib = peak.saturating_sub(before);
    assert!(
        grown_kib < PROCESSES_N as u64,
        "opening and listing {PROCESSES_N} processes grew the process by {grown_kib} KiB"
    );
}

/// The child: opens the archive the parent wrote and reads the list a page at a time.
#[test]
#[ignore = "run by an_open_archive_keeps_a_few_dozen_bytes_per_process_not_its_records"]
fn child() {
    let Some(dir) = std::env::var_os(CHILD) else {
        return;
    };
    let (before, _) = rss();
    let archive = Archive::open(dir).unwrap();
    let mut rows = 0;
    while rows < archive.len() {
        let page = archive.rows(rows, 500);
        assert!(page.iter().all(|r| r.status.is_some()));
        rows += page.len();
    }
    let (_, peak) = rss();
    println!("archive memory: {before} {peak} {rows}");
}
