//! `truora-tui show`: the text summary (pure, snapshot-tested) and the command end to end with
//! images off, live against the demo and offline against an archive.

use crate::export_support;

use std::process::Command;

use export_support::*;
use truora_tui::api::model::{ProcessResult, ValidationDetails};
use truora_tui::date::zone::DisplayZone;
use truora_tui::demo::DEMO_API_KEY;
use truora_tui::export::{Silent, Stop};
use truora_tui::sanitize::terminal_json;
use truora_tui::show::render_text;

/// Times as Truora sends them: the snapshots do not depend on the machine's zone.
fn utc() -> DisplayZone {
    DisplayZone::utc()
}

const SEED: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/seed_result.json"
));

#[test]
fn the_guides_sample_result() {
    let result = ProcessResult::from_slice(SEED).unwrap();
    insta::assert_snapshot!(render_text(&result, &[], &utc()));
}

#[tokio::test]
async fn a_demo_process_with_its_details() {
    let server = start(30).await;
    let client = client(&server, DEMO_API_KEY, 4);
    // A declined process with a document and a face validation, the common case for review.
    let id = server
        .process_ids()
        .into_iter()
        .find(|id| {
            let r = result_of(&server, id);
            r.is_failure()
                && r.validations.len() > 1
                && r.validations
                    .iter()
                    .any(|v| v.failing_checks().next().is_some())
        })
        .expect("a declined process");
    let result = client.process_result(&id).await.unwrap().parsed;
    let mut details: Vec<ValidationDetails> = Vec::new();
    for v in &result.validations {
        let vid = v.validation_id.as_deref().unwrap();
        details.push(client.validation_details(vid).await.unwrap().parsed);
    }
    insta::assert_snapshot!(render_text(&result, &details, &utc()));
    server.shutdown().await;
}

#[test]
fn server_text_cannot_drive_the_terminal() {
    let hostile = br#"{"process_id": "IDP\u001b]52;c;aGk=\u0007x", "status": "failure",
        "declined_reason": "\u009b31mred\u202e",
        "validations": [{"validation_id": "VLD1", "type": "document-validation\u001b[2J",
          "validation_status": "failure",
          "details": {"document_validations": {"g\u001b[H": [
            {"validation_name": "n\u0007", "result": "invalid", "message": "m\u001b[31m"}]}}}]}"#;
    let result = ProcessResult::from_slice(hostile).unwrap();
    let text = render_text(&result, &[], &utc());
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    assert!(!text.contains('\u{202e}') && !text.contains('\u{9b}'));
    assert!(text.contains("✗ g[H › n: invalid — \"m[31m\""), "{text}");
}

/// `show --json` to a terminal: the body through the one JSON rule of `sanitize`.
fn json_for_terminal(body: &[u8]) -> Vec<u8> {
    terminal_json(std::str::from_utf8(body).unwrap())
        .into_owned()
        .into_bytes()
}

#[test]
fn raw_json_for_a_terminal_escapes_c1_and_bidi_and_keeps_the_meaning() {
    let body = "{\"a\": \"x\u{9b}31m\u{202e}y\", \"b\": \"José\"}".as_bytes();
    let safe = json_for_terminal(body);
    let text = String::from_utf8(safe.clone()).unwrap();
    assert_eq!(text, "{\"a\": \"x\\u009b31m\\u202ey\", \"b\": \"José\"}");
    let before: serde_json::Value = serde_json::from_slice(body).unwrap();
    let after: serde_json::Value = serde_json::from_slice(&safe).unwrap();
    assert_eq!(before, after);
}

#[test]
fn raw_json_for_a_terminal_follows_the_sanitisers_rules() {
    // Invisible characters and separators the terminal sanitiser strips are escaped too; JSON
    // whitespace stays; characters outside the BMP pass.
    let body = "{\"a\":\n\t\"x\u{200b}y\u{2028}z\u{feff}\u{61c}\u{7f}😀\"}".as_bytes();
    let safe = json_for_terminal(body);
    let text = String::from_utf8(safe.clone()).unwrap();
    assert_eq!(
        text,
        "{\"a\":\n\t\"x\\u200by\\u2028z\\ufeff\\u061c\\u007f😀\"}"
    );
    let before: serde_json::Value = serde_json::from_slice(body).unwrap();
    let after: serde_json::Value = serde_json::from_slice(&safe).unwrap();
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_closed_stdout_ends_show_quietly() {
    let server = start(12).await;
    let id = server.process_ids()[2].clone();
    server.shutdown().await;
    for extra in [&[][..], &["--no-images"][..], &["--json"][..]] {
        let mut child = truora_tui()
            .args(["--demo", "show", "--demo-processes", "12", &id])
            .args(extra)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is written (`show … | head -0`).
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{extra:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

fn truora_tui() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_truora-tui"));
    // No config file or key from the machine running the tests, and a home of this run's own:
    // `show` writes its access log and anchors it in the review store there, which a fixed
    // folder would carry from one run (or one build) to the next.
    static HOME: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let empty = HOME
        .get_or_init(|| tempfile::tempdir().expect("a temp home"))
        .path();
    cmd.env_remove("TRUORA_API_KEY")
        .env_remove("TRUORA_TUI_CONFIG")
        .env("XDG_CONFIG_HOME", empty)
        .env("HOME", empty)
        .env("TZ", "UTC");
    cmd
}

#[tokio::test]
async fn show_prints_the_same_process_live_and_from_an_archive() {
    let server = start(12).await;
    let id = server.process_ids()[2].clone();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    export(&server, &out, Silent, Stop::never()).await;
    server.shutdown().await;

    let live = truora_tui()
        .args([
            "--demo",
            "show",
            "--demo-processes",
            "12",
            &id,
            "--no-images",
        ])
        .output()
        .unwrap();
    assert!(
        live.status.success(),
        "{}",
        String::from_utf8_lossy(&live.stderr)
    );
    let offline = truora_tui()
        .args(["show", "--archive"])
        .arg(&out)
        .args([&id, "--no-images"])
        .output()
        .unwrap();
    assert!(
        offline.status.success(),
        "{}",
        String::from_utf8_lossy(&offline.stderr)
    );
    // The archive's own problems (files gone at Truora) are the browser's to show, not show's.
    assert_eq!(String::from_utf8_lossy(&offline.stderr), "");
    let live = String::from_utf8(live.stdout).unwrap();
    assert_eq!(live, String::from_utf8(offline.stdout).unwrap());
    insta::assert_snapshot!(live);

    let json = truora_tui()
        .args(["show", "--archive"])
        .arg(&out)
        .args([&id, "--json"])
        .output()
        .unwrap();
    let folder = out.join(truora_tui::export::layout::id_name(&id));
    assert_eq!(
        json.stdout,
        std::fs::read(folder.join("result.json")).unwrap(),
        "raw bytes"
    );

    let unknown = truora_tui()
        .args(["show", "--archive"])
        .arg(&out)
        .args(["IDPunknown0000"])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&unknown.stderr);
    assert!(stderr.contains("is not in the archive"), "{stderr}");

    // A damaged manifest is said on stderr, with what was read instead; the process still shows.
    let manifest = out.join(truora_tui::export::format::MANIFEST);
    std::fs::write(&manifest, b"{\"format\": \"truora-tui-exp").unwrap();
    let damaged = truora_tui()
        .args(["show", "--archive"])
        .arg(&out)
        .args([&id, "--no-images"])
        .output()
        .unwrap();
    assert!(damaged.status.success());
    assert_eq!(String::from_utf8(damaged.stdout).unwrap(), live);
    let stderr = String::from_utf8_lossy(&damaged.stderr);
    assert!(
        stderr.lines().any(|l| l.starts_with("truora-tui: warning: manifest.json is damaged (")
            && l.contains("and was not used: the states and checksums of 12 processes come from progress.jsonl")),
        "{stderr}"
    );
}

#[test]
fn usage_errors_exit_2_with_a_clear_message() {
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "--demo", "export", "--out", "/tmp/x", "--status", "declined",
            ],
            "use failure, pending or success",
        ),
        (
            &[
                "--demo",
                "export",
                "--out",
                "/tmp/x",
                "--since",
                "yesterday",
            ],
            "YYYY-MM-DD",
        ),
        (
            &["--archive", "/tmp", "export", "--out", "/tmp/x"],
            "--archive is already an export",
        ),
        (
            &["show", "--archive", "/nonexistent-archive", "IDP1"],
            "not a folder",
        ),
        (
            &[
                "--demo",
                "export",
                "--ids-file",
                "/nonexistent.csv",
                "--out",
                "/tmp/x",
            ],
            "cannot read the ids file",
        ),
    ];
    for (args, expected) in cases {
        let output = truora_tui().args(*args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

/// `show` prints times in the user's zone (`TZ`, or `--time-zone` over it), each with its
/// abbreviation; `--json` and the export itself keep Truora's UTC bytes whatever the zone.
#[tokio::test]
async fn show_prints_local_times_and_json_and_exports_stay_utc() {
    let server = start(12).await;
    let id = server.process_ids()[2].clone();
    let created = result_of(&server, &id)
        .creation_date
        .expect("a creation date");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    server.shutdown().await;

    // The export, run under a non-UTC zone, writes what the API sent.
    let exported = truora_tui()
        .env("TZ", "America/Bogota")
        .args(["--demo", "export", "--demo-processes", "12", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        exported.status.success(),
        "{}",
        String::from_utf8_lossy(&exported.stderr)
    );
    let folder = out.join(truora_tui::export::layout::id_name(&id));
    let result_json = std::fs::read(folder.join("result.json")).unwrap();
    let stored: serde_json::Value = serde_json::from_slice(&result_json).unwrap();
    assert_eq!(stored["creation_date"], created.as_str(), "UTC as sent");

    let show = |zone_env: &str, extra: &[&str]| {
        let output = truora_tui()
            .env("TZ", zone_env)
            .args(["show", "--archive"])
            .arg(&out)
            .args([&id, "--no-images"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    let zone = |name: &str| DisplayZone::named(name, truora_tui::date::now()).unwrap();
    let style = truora_tui::date::zone::TimeStyle::Seconds;
    let in_bogota = zone("America/Bogota").show(&created, style).into_owned();
    assert!(in_bogota.ends_with(" -05"), "{in_bogota}");
    let text = show("America/Bogota", &[]);
    assert!(text.contains(&format!("created {in_bogota}")), "{text}");
    assert!(!text.contains(created.as_str()), "{text}");
    // The flag wins over TZ.
    let in_tokyo = zone("Asia/Tokyo").show(&created, style).into_owned();
    let text = show("America/Bogota", &["--time-zone", "Asia/Tokyo"]);
    assert!(text.contains(&format!("created {in_tokyo}")), "{text}");
    // A TZ this program cannot read: the system's zone and a warning, not a failure.
    let output = truora_tui()
        .env("TZ", "Mars/Olympus")
        .args(["show", "--archive"])
        .arg(&out)
        .args([&id, "--no-images"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("TZ environment variable \"Mars/Olympus\""),
        "{stderr}"
    );
    // An unknown zone the user asked for by flag is a usage error.
    let output = truora_tui()
        .args(["show", "--archive"])
        .arg(&out)
        .args([&id, "--time-zone", "Mars/Olympus"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));

    assert_eq!(
        show("America/Bogota", &["--json"]).as_bytes(),
        result_json,
        "--json prints the bytes as received"
    );
}
