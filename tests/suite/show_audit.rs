//! `show` writes the access log like the browser: through the real binary, live from the demo and
//! from an archive exported in the test, to a pipe, to a file (`--json`), and in a terminal (tmux)
//! where its images are drawn; then `audit` lists those records and `audit --verify` vouches for
//! them through the review store the runs anchored in.

use crate::e2e_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use e2e_support::Tmux;

const PROCESSES: &str = "4";

fn truora_tui(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_truora-tui"));
    cmd.env_remove("TRUORA_API_KEY")
        .env_remove("TRUORA_TUI_CONFIG")
        .env_remove("TRUORA_TUI_AUDIT_LOG")
        .env_remove("TRUORA_TUI_REVIEW_DB")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"));
    cmd
}

/// Exports the demo's processes into `home/archive`; returns the archive and the id of the
/// process with the most images, and how many it has.
fn export(home: &Path) -> (PathBuf, String, usize) {
    let archive = home.join("archive");
    let out = truora_tui(home)
        .args(["export", "--demo", "--demo-processes", PROCESSES, "--out"])
        .arg(&archive)
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{out:?}");
    let (id, images) = std::fs::read_dir(&archive)
        .expect("archive")
        .filter_map(|e| {
            let entry = e.ok()?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let images = std::fs::read_dir(entry.path().join("images")).ok()?.count();
            name.starts_with("IDP").then_some((name, images))
        })
        .max_by_key(|(_, images)| *images)
        .expect("a process with images");
    (archive, id, images)
}

/// `show` with these arguments, logging into `home/audit` anchored in `home/reviews.sqlite3`.
fn show(home: &Path, args: &[&str], stdout: Stdio) -> Output {
    truora_tui(home)
        .arg("show")
        .args(args)
        .arg("--audit-log")
        .arg(home.join("audit"))
        .arg("--review-db")
        .arg(home.join("reviews.sqlite3"))
        .stdout(stdout)
        .output()
        .expect("the binary runs")
}

/// `audit` over `home/audit` with the same review store; (exit code, stdout, stderr).
fn audit(home: &Path, extra: &[&str]) -> (i32, String, String) {
    let out = truora_tui(home)
        .env("TRUORA_TUI_REVIEW_DB", home.join("reviews.sqlite3"))
        .arg("audit")
        .arg("--audit-log")
        .arg(home.join("audit"))
        .args(extra)
        .output()
        .expect("the binary runs");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("utf-8");
    (
        out.status.code().unwrap_or(-1),
        text(out.stdout),
        text(out.stderr),
    )
}

/// The event names and their fields, one string per record (`process_opened process=IDP…`).
fn records(listing: &str) -> Vec<String> {
    listing
        .lines()
        .map(|l| l.splitn(4, "  ").nth(3).unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn show_records_what_it_printed_live_archived_piped_and_saved() {
    let home = tempfile::tempdir().expect("temp dir");
    let home = home.path();
    let (archive, id, _) = export(home);

    let piped = show(
        home,
        &["--demo", "--demo-processes", PROCESSES, &id],
        Stdio::piped(),
    );
    assert!(piped.status.success(), "{piped:?}");
    let saved_to = home.join("result.json");
    let file = std::fs::File::create(&saved_to).expect("create");
    let saved = show(
        home,
        &["--demo", "--demo-processes", PROCESSES, "--json", &id],
        Stdio::from(file),
    );
    assert!(saved.status.success(), "{saved:?}");
    let archived = show(
        home,
        &["--archive", &archive.to_string_lossy(), &id],
        Stdio::null(),
    );
    assert!(archived.status.success(), "{archived:?}");

    let (code, listing, err) = audit(home, &[]);
    assert_eq!(code, 0, "{err}");
    let saved_path = std::fs::canonicalize(&saved_to).expect("saved");
    let expected = [
        "session_start".to_owned(),
        format!("process_opened  process={id}"),
        format!("output_redirected  process={id} to=pipe"),
        "session_end".to_owned(),
        "session_start".to_owned(),
        format!("process_opened  process={id}"),
        format!("raw_view_opened  process={id} view=result"),
        format!(
            "output_redirected  process={id} to=file path={}",
            saved_path.display()
        ),
        "session_end".to_owned(),
        "session_start".to_owned(),
        format!("process_opened  process={id}"),
        format!("output_redirected  process={id} to=device"),
        "session_end".to_owned(),
    ];
    let got: Vec<String> = records(&listing)
        .into_iter()
        .map(|r| {
            if r.starts_with("session_start") {
                "session_start".to_owned()
            } else {
                r
            }
        })
        .collect();
    assert_eq!(got, expected, "{listing}");
    let sources: Vec<&str> = listing
        .lines()
        .filter(|l| l.contains("session_start"))
        .filter_map(|l| l.split("source=").nth(1)?.split(' ').next())
        .collect();
    assert_eq!(sources, ["demo", "demo", "archive"], "{listing}");
    // The JSON went where the record says, and nothing personal went into the log.
    assert!(
        std::fs::read_to_string(&saved_to)
            .expect("read")
            .contains(&id)
    );
    assert!(!listing.contains("PERSONA"), "{listing}");

    let (code, out, err) = audit(home, &["--verify"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("access log intact: 13 records")
            && out.contains("anchored in the review store"),
        "{out}"
    );
}

#[test]
fn show_in_a_terminal_records_each_image_it_draws() {
    let exported = tempfile::tempdir().expect("temp dir");
    let (_, id, images) = export(exported.path());
    assert!(images >= 3, "{id} has {images} images");
    let t = Tmux::start(
        &[
            "show",
            "--demo",
            "--demo-processes",
            PROCESSES,
            "--width",
            "8",
            "--audit-log",
            "{home}/audit",
            "--review-db",
            "{home}/reviews.sqlite3",
            &id,
        ],
        120,
        50,
    );
    t.wait_for("show to exit", |_| t.exited());
    let home = t.home.path();
    let (code, listing, err) = audit(home, &[]);
    assert_eq!(code, 0, "{err}");
    let shown: Vec<String> = records(&listing)
        .into_iter()
        .filter(|r| r.starts_with("image_shown"))
        .collect();
    assert_eq!(shown.len(), images, "one record per image drawn: {listing}");
    for kind in ["document_front", "face_photo"] {
        assert!(
            shown.contains(&format!("image_shown  process={id} image={kind}")),
            "{kind}: {listing}"
        );
    }
    // In a terminal the output is the screen: nothing says it was redirected.
    assert!(!listing.contains("output_redirected"), "{listing}");
    let (code, out, err) = audit(home, &["--verify"]);
    assert_eq!(code, 0, "{out}{err}");
}
