//! The flag matrix, through the real binary: each option in each position either takes effect,
//! seen in what is printed, in a file or on screen, or exits 2 naming it. Most cells need no
//! terminal (a refusal comes before anything starts; `show`, `export`, `reviews` and `audit`
//! print); the browser's cells run in tmux. The library's walk (`src/cli/tests/walk.rs`) covers
//! every option in every position; this covers what each one does.

use crate::e2e_support;
use crate::export_support;
use crate::privacy_support;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use e2e_support::Tmux;
use export_support::{result_of, start};
use privacy_support::{DEMO_PERSONAL_KEYS, assert_nothing_personal, collect, contains_word};
use truora_tui::demo::DEMO_API_KEY;
use truora_tui::review::{Event, EventKind};

/// A private home for one test: config, data and state folders inside it, nothing from the
/// machine's environment, and it is the current folder (relative paths land in it).
struct Home(tempfile::TempDir);

impl Home {
    fn new() -> Home {
        Home(tempfile::tempdir().expect("a temp dir"))
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    fn command(&self) -> Command {
        let home = self.path();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_truora-tui"));
        for var in [
            "TRUORA_API_KEY",
            "TRUORA_TUI_CONFIG",
            "TRUORA_TUI_REVIEW_DB",
            "TRUORA_TUI_AUDIT_LOG",
            "TRUORA_TUI_DOWNLOAD_DIR",
            "TRUORA_IDENTITY_BASE_URL",
            "TRUORA_VALIDATIONS_BASE_URL",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("TZ", "UTC")
            .current_dir(home)
            .stdin(Stdio::null());
        cmd
    }

    /// Runs `truora-tui ARGS`; `{home}` in an argument stands for the home folder.
    fn run(&self, args: &[&str]) -> Output {
        let home = self.path().to_string_lossy().into_owned();
        let args: Vec<String> = args.iter().map(|a| a.replace("{home}", &home)).collect();
        self.command()
            .args(&args)
            .output()
            .expect("the binary runs")
    }

    /// Runs it and expects exit 0; returns standard output.
    fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// Runs it and expects exit 2 with `flag` named on standard error; returns it.
    fn refused(&self, args: &[&str], flag: &str) -> String {
        let out = self.run(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(flag),
            "{args:?} does not name {flag}: {stderr}"
        );
        stderr
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `command` with `option` inserted before its name, right after it, and at the end.
fn positions<'a>(command: &[&'a str], option: &[&'a str]) -> Vec<Vec<&'a str>> {
    let mut lines: Vec<Vec<&str>> = [0, 1, command.len()]
        .into_iter()
        .map(|at| {
            let mut line = command.to_vec();
            line.splice(at..at, option.iter().copied());
            line
        })
        .collect();
    lines.dedup();
    lines
}

/// A demo process of `--demo-processes 12` whose person has a name, and its personal values.
async fn a_person() -> (String, BTreeSet<String>) {
    let server = start(12).await;
    let id = server
        .process_ids()
        .into_iter()
        .find(|id| result_of(&server, id).first_name.is_some())
        .expect("a process with a read document");
    let mut personal = BTreeSet::new();
    collect(
        &server.result_json(&id).expect("its result"),
        DEMO_PERSONAL_KEYS,
        &mut personal,
    );
    server.shutdown().await;
    (id, personal)
}

#[tokio::test]
async fn private_masks_show_in_every_position_and_is_refused_where_it_cannot_apply() {
    let home = Home::new();
    let (id, personal) = a_person().await;
    let id = id.as_str();
    let show = [
        "--demo",
        "show",
        "--demo-processes",
        "12",
        id,
        "--no-images",
    ];
    let plain = home.ok(&show);
    let shown = personal.iter().filter(|p| contains_word(&plain, p)).count();
    assert!(
        shown >= 2,
        "without --private the person is printed: {plain}"
    );
    for line in [
        &[
            "--private",
            "--demo",
            "show",
            "--demo-processes",
            "12",
            id,
            "--no-images",
        ][..],
        &[
            "--demo",
            "--private",
            "show",
            "--demo-processes",
            "12",
            id,
            "--no-images",
        ],
        &[
            "--demo",
            "show",
            "--private",
            "--demo-processes",
            "12",
            id,
            "--no-images",
        ],
        &[
            "--demo",
            "show",
            "--demo-processes",
            "12",
            id,
            "--no-images",
            "--private",
        ],
        &[
            "show",
            "--demo",
            "--demo-processes",
            "12",
            id,
            "--json",
            "--private",
        ],
    ] {
        let out = home.ok(line);
        assert!(out.contains(id), "{line:?}: {out}");
        assert_nothing_personal(&out, &personal, &format!("{line:?}"));
    }
    let never = home.path().join("never");
    for command in [
        &["export", "--out", "never"][..],
        &["reviews", "list"],
        &["reviews", "export"],
        &["audit"],
        &["demo-server"],
    ] {
        for line in positions(command, &["--private"]) {
            home.refused(&line, "--private");
        }
    }
    assert!(!never.exists(), "a refused export wrote nothing");
}

#[tokio::test]
async fn time_zone_changes_what_show_prints_and_is_refused_elsewhere() {
    let home = Home::new();
    let (id, _) = a_person().await;
    let id = id.as_str();
    let utc = home.ok(&[
        "--demo",
        "show",
        "--demo-processes",
        "12",
        id,
        "--no-images",
    ]);
    assert!(utc.contains(" UTC") && !utc.contains(" JST"), "{utc}");
    for line in positions(
        &[
            "show",
            "--demo",
            "--demo-processes",
            "12",
            id,
            "--no-images",
        ],
        &["--time-zone", "Asia/Tokyo"],
    ) {
        let out = home.ok(&line);
        assert!(
            out.contains(" JST") && !out.contains(" UTC"),
            "{line:?}: {out}"
        );
    }
    for command in [
        &["export", "--demo", "--out", "never"][..],
        &["reviews", "list"],
        &["audit"],
        &["demo-server"],
    ] {
        for line in positions(command, &["--time-zone", "Asia/Tokyo"]) {
            home.refused(&line, "--time-zone");
        }
    }
}

#[test]
fn config_is_read_by_every_command_but_the_demo_server() {
    let home = Home::new();
    // A file that is not there: each command that reads the config stops, naming it.
    for command in [
        &["--demo"][..],
        &["browse", "--demo"],
        &["show", "--demo", "IDP1"],
        &["export", "--demo", "--out", "never"],
        &["reviews", "list"],
        &["reviews", "export", "--demo"],
        &["audit", "--verify"],
    ] {
        for line in positions(command, &["--config", "missing.toml"]) {
            let stderr = home.refused(&line, "missing.toml");
            assert!(stderr.contains("--config"), "{line:?}: {stderr}");
        }
    }
    for line in positions(&["demo-server"], &["--config", "missing.toml"]) {
        home.refused(&line, "--config");
    }
}

/// One JSONL event: a note on `process`, as another reviewer's export would hold it.
fn event_file(home: &Home, name: &str, process: &str) -> String {
    let event = Event::new(
        process,
        EventKind::Note {
            text: format!("note on {process}"),
        },
        "matrix",
        None,
    );
    let line = truora_tui::review::wire::to_json(&event).to_string();
    std::fs::write(home.path().join(name), format!("{line}\n")).expect("write the events");
    name.to_owned()
}

/// The "done when": on a machine where no browser ever ran, `reviews export --demo`
/// exports the colleague's seeded decisions (in every position `--demo` may take).
#[test]
fn reviews_export_demo_exports_the_seeded_decisions_with_no_browser_ever_run() {
    for line in positions(&["reviews", "export"], &["--demo"]) {
        let home = Home::new();
        let csv = home.ok(&line);
        let rows = csv.lines().skip(1).count();
        assert!(rows >= 8, "{line:?}: {rows} rows\n{csv}");
        assert!(csv.contains("demo-colleague"), "{line:?}: {csv}");
        assert!(
            !home.path().join("data/truora-tui/reviews.sqlite3").exists(),
            "the real store is not touched"
        );
    }
}

#[test]
fn reviews_demo_is_the_demos_store_in_every_position() {
    let home = Home::new();
    let real = event_file(&home, "real.jsonl", "IDPrealstore");
    let demo = event_file(&home, "demo.jsonl", "IDPdemostore");
    home.ok(&["reviews", "import", &real]);
    home.ok(&["reviews", "--demo", "import", &demo]);
    let data = home.path().join("data/truora-tui");
    assert!(data.join("reviews.sqlite3").exists());
    assert!(data.join("demo-reviews.sqlite3").exists());
    for line in positions(&["reviews", "export", "--format", "jsonl"], &["--demo"]) {
        let out = home.ok(&line);
        assert!(
            out.contains("IDPdemostore") && !out.contains("IDPrealstore"),
            "{line:?}: {out}"
        );
    }
    let out = home.ok(&["reviews", "export", "--format", "jsonl"]);
    assert!(
        out.contains("IDPrealstore") && !out.contains("IDPdemostore"),
        "{out}"
    );
    for line in positions(&["reviews", "list"], &["--demo"]) {
        assert!(home.ok(&line).contains("IDPdemostore"), "{line:?}");
    }
    for line in positions(&["demo-server"], &["--demo"]) {
        home.refused(&line, "--demo");
    }
}

#[test]
fn review_db_is_the_store_in_every_position_and_a_bare_name_is_the_current_folders() {
    let home = Home::new();
    let events = event_file(&home, "events.jsonl", "IDPchosenstore");
    // A bare relative name, by flag and by the environment: before, the store could not be
    // written ("is not a plain path inside …").
    home.ok(&["reviews", "--review-db", "rel.sqlite3", "import", &events]);
    assert!(home.path().join("rel.sqlite3").exists());
    let out = home
        .command()
        .env("TRUORA_TUI_REVIEW_DB", "env.sqlite3")
        .args(["reviews", "import", &events])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(home.path().join("env.sqlite3").exists());
    for line in positions(
        &["reviews", "export", "--format", "jsonl"],
        &["--review-db", "rel.sqlite3"],
    ) {
        assert!(home.ok(&line).contains("IDPchosenstore"), "{line:?}");
    }
    assert!(!home.path().join("data/truora-tui/reviews.sqlite3").exists());
    for line in positions(&["demo-server"], &["--review-db", "r.sqlite3"]) {
        home.refused(&line, "--review-db");
    }
}

/// Every path option takes a bare name as the current folder's (`--review-db` above; the config
/// file's own paths are its folder's, tested in `src/config/tests/relative.rs`).
#[tokio::test]
async fn bare_relative_paths_are_the_current_folders() {
    let home = Home::new();
    let (id, _) = a_person().await;
    std::fs::write(home.path().join("ids.txt"), format!("{id}\n")).expect("writes");
    std::fs::write(
        home.path().join("zone.toml"),
        "time_zone = \"Asia/Tokyo\"\n",
    )
    .expect("writes");
    let out = home.ok(&[
        "--demo",
        "export",
        "--demo-processes",
        "12",
        "--ids-file",
        "ids.txt",
        "--no-images",
        "--out",
        "arch",
        "--audit-log",
        "log",
    ]);
    assert!(out.contains("1 processes exported"), "{out}");
    assert!(home.path().join("arch/manifest.json").exists());
    assert!(std::fs::read_dir(home.path().join("log")).is_ok_and(|d| d.count() > 0));
    let shown = home.ok(&[
        "show",
        "--archive",
        "arch",
        &id,
        "--no-images",
        "--config",
        "zone.toml",
    ]);
    assert!(
        shown.contains(&format!("Process {id}")) && shown.contains(" JST"),
        "{shown}"
    );
    let events = event_file(&home, "events.jsonl", "IDPrelative");
    home.ok(&["reviews", "import", &events]);
    home.ok(&["reviews", "export", "--out", "decisions.csv"]);
    let csv = std::fs::read_to_string(home.path().join("decisions.csv")).expect("the export");
    assert!(!csv.is_empty());
}

#[test]
fn audit_log_is_where_export_writes_and_audit_reads() {
    let home = Home::new();
    for n in 0..3 {
        let out = format!("archive{n}");
        let log = format!("log{n}");
        let export = [
            "export",
            "--demo",
            "--demo-processes",
            "2",
            "--no-images",
            "--out",
            &out,
        ];
        let line = positions(&export, &["--audit-log", log.as_str()]).swap_remove(n);
        home.ok(&line);
        let written = std::fs::read_dir(home.path().join(&log)).map_or(0, Iterator::count);
        assert!(written > 0, "{line:?}: nothing in {log}");
        // `audit` reads the same folder, the option before or after its name.
        for audit in positions(&["audit"], &["--audit-log", log.as_str()]) {
            let printed = home.ok(&audit);
            assert!(printed.contains("export"), "{audit:?}: {printed}");
        }
    }
    for command in [&["reviews", "list"][..], &["demo-server"]] {
        for line in positions(command, &["--audit-log", "log"]) {
            home.refused(&line, "--audit-log");
        }
    }
}

/// `audit --verify` in `log` against the store `anchor` (none: the config's), its exit code.
fn verify(home: &Home, log: &str, extra: &[&str]) -> Output {
    let mut line = vec!["audit", "--verify", "--audit-log", log];
    line.extend_from_slice(extra);
    home.run(&line)
}

/// `--audit-log` and `--review-db` reach `show`, `export` and `audit` in every position: the
/// records go to the folder named, their head is anchored in the store named, and `audit
/// --verify` vouches for them against that store only; `--demo` does the same with the demo's
/// own store.
#[tokio::test]
async fn the_access_log_and_its_anchor_go_where_show_export_and_audit_say() {
    let home = Home::new();
    let (id, _) = a_person().await;
    let show = [
        "show",
        "--demo",
        &id,
        "--no-images",
        "--demo-processes",
        "12",
    ];
    for line in positions(
        &show,
        &["--audit-log", "showlog", "--review-db", "a.sqlite3"],
    ) {
        home.ok(&line);
    }
    let printed = home.ok(&["audit", "--audit-log", "showlog", "--process", &id]);
    assert_eq!(
        printed.matches("process_opened").count(),
        3,
        "one per run: {printed}"
    );
    assert!(home.path().join("a.sqlite3").exists(), "the anchor's store");
    for line in positions(
        &["audit", "--verify"],
        &["--audit-log", "showlog", "--review-db", "a.sqlite3"],
    ) {
        let out = home.run(&line);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{line:?}: {}",
            text(&out.stdout)
        );
    }
    // Against another store the same log is not vouched for.
    let elsewhere = verify(&home, "showlog", &[]);
    assert_eq!(
        elsewhere.status.code(),
        Some(1),
        "{}",
        text(&elsewhere.stdout)
    );

    let export = [
        "export",
        "--demo",
        "--demo-processes",
        "2",
        "--no-images",
        "--out",
        "arch",
    ];
    for (n, line) in positions(&export, &["--review-db", "b.sqlite3"])
        .into_iter()
        .enumerate()
    {
        let mut line = line;
        let out = format!("arch{n}");
        *line.iter_mut().find(|a| **a == "arch").expect("--out") = &out;
        line.extend(["--audit-log", "exportlog"]);
        home.ok(&line);
    }
    let out = verify(&home, "exportlog", &["--review-db", "b.sqlite3"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    let out = verify(&home, "exportlog", &["--review-db", "a.sqlite3"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));

    // --demo: a demo session anchors in the demo's own store, which `audit --demo` reads.
    home.ok(&[
        "--demo",
        "show",
        &id,
        "--no-images",
        "--demo-processes",
        "12",
        "--audit-log",
        "demolog",
    ]);
    for line in positions(
        &["audit", "--verify", "--audit-log", "demolog"],
        &["--demo"],
    ) {
        let out = home.run(&line);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{line:?}: {}",
            text(&out.stdout)
        );
    }
    let out = verify(&home, "demolog", &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));

    // With no place given (`audit = true` turns the demo's log on), the demo logs in a folder
    // of its own, which `audit --demo` reads against the demo's store.
    std::fs::write(home.path().join("on.toml"), "audit = true\n").expect("writes");
    home.ok(&[
        "--demo",
        "show",
        &id,
        "--no-images",
        "--demo-processes",
        "12",
        "--config",
        "on.toml",
    ]);
    let data = home.path().join("data/truora-tui");
    assert!(data.join("demo-audit").is_dir());
    assert!(
        !data.join("audit").exists(),
        "the live log's folder is not the demo's"
    );
    let out = home.run(&["audit", "--demo", "--verify", "--config", "on.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_urls_point_show_and_export_at_another_server() {
    let server = start(12).await;
    let id = server.process_ids()[3].clone();
    let identity = server.identity_url().to_string();
    let validations = server.validations_url().to_string();
    let home = Home::new();
    let lines: Vec<Vec<String>> = {
        let urls = [
            "--identity-url".to_owned(),
            identity.clone(),
            "--validations-url".to_owned(),
            validations.clone(),
        ];
        let show = ["show".to_owned(), id.clone(), "--no-images".to_owned()];
        let export = ["export", "--no-images", "--out", "live"].map(String::from);
        vec![
            [&urls[..], &show].concat(),
            [&show[..], &urls].concat(),
            [&urls[..2], &export, &urls[2..]].concat(),
        ]
    };
    for line in lines {
        let mut cmd = home.command();
        cmd.env("TRUORA_API_KEY", DEMO_API_KEY).args(&line);
        let out = tokio::task::spawn_blocking(move || cmd.output().expect("runs"))
            .await
            .expect("joins");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{line:?}: {}",
            text(&out.stderr)
        );
        let stdout = text(&out.stdout);
        if line.contains(&"show".to_owned()) {
            assert!(
                stdout.contains(&format!("Process {id}")),
                "{line:?}: {stdout}"
            );
        } else {
            assert!(
                stdout.contains("12 processes exported"),
                "{line:?}: {stdout}"
            );
        }
    }
    server.shutdown().await;
    for command in [&["reviews", "list"][..], &["audit"], &["demo-server"]] {
        for line in positions(command, &["--identity-url", "http://127.0.0.1:9/"]) {
            home.refused(&line, "--identity-url");
        }
        for line in positions(command, &["--validations-url", "http://127.0.0.1:9/"]) {
            home.refused(&line, "--validations-url");
        }
    }
}

#[tokio::test]
async fn demo_knobs_take_effect_after_their_command_and_need_the_demo() {
    let home = Home::new();
    let out = home.ok(&[
        "--demo",
        "export",
        "--demo-processes",
        "3",
        "--demo-page-size",
        "2",
        "--no-images",
        "--out",
        "three",
    ]);
    assert!(out.contains("3 processes exported"), "{out}");
    // Show sees only the processes the knob makes: the 10th of 12 is not among 3.
    let server = start(12).await;
    let tenth = server.process_ids()[9].clone();
    server.shutdown().await;
    home.ok(&[
        "--demo",
        "show",
        "--demo-processes",
        "12",
        &tenth,
        "--no-images",
    ]);
    let out = home.run(&[
        "--demo",
        "show",
        "--demo-processes",
        "3",
        &tenth,
        "--no-images",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    // Without --demo, before the command, or where it cannot be seen: exit 2, named.
    for (line, flag) in [
        (
            &["show", "IDP1", "--demo-processes", "3"][..],
            "--demo-processes",
        ),
        (
            &["export", "--out", "never", "--demo-latency-ms", "5"],
            "--demo-latency-ms",
        ),
        (
            &["--demo-link-lifetime-secs", "9"],
            "--demo-link-lifetime-secs",
        ),
        (
            &[
                "--demo",
                "--demo-processes",
                "3",
                "export",
                "--out",
                "never",
            ],
            "--demo-processes",
        ),
        (
            &["--demo", "show", "IDP1", "--demo-page-size", "2"],
            "--demo-page-size",
        ),
        (
            &["--demo", "show", "IDP1", "--demo-arrivals", "2"],
            "--demo-arrivals",
        ),
        (
            &["--demo", "export", "--out", "never", "--demo-arrivals", "2"],
            "--demo-arrivals",
        ),
    ] {
        home.refused(line, flag);
    }
    assert!(!home.path().join("never").exists());
}

/// What `demo-server ARGS` serves: the number of processes on its list's first page.
fn demo_server_first_page(args: &[&str]) -> usize {
    let home = Home::new();
    let mut child = home
        .command()
        .arg("demo-server")
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut stdout = child.stdout.take().expect("its output");
    let mut printed = Vec::new();
    let mut byte = [0u8; 1];
    // Up to the line naming the identity URL.
    while !text(&printed).contains("identity:") || !printed.ends_with(b"\n") {
        assert_eq!(
            stdout.read(&mut byte).expect("reads"),
            1,
            "{}",
            text(&printed)
        );
        printed.push(byte[0]);
    }
    let printed = text(&printed);
    let url = printed.split("identity:").nth(1).expect("a URL").trim();
    let authority = url.trim_start_matches("http://").trim_end_matches('/');
    let mut conn = std::net::TcpStream::connect(authority).expect("connects");
    write!(
        conn,
        "GET /v1/processes/ HTTP/1.1\r\nHost: {authority}\r\nTruora-API-Key: {DEMO_API_KEY}\r\n\
         Connection: close\r\n\r\n"
    )
    .expect("asks");
    let mut answer = String::new();
    conn.read_to_string(&mut answer).expect("an answer");
    child.kill().expect("stops");
    child.wait().expect("waited");
    answer.matches("\"process_id\"").count()
}

#[test]
fn the_demo_servers_knobs_need_no_demo_flag() {
    let default = demo_server_first_page(&[]);
    assert!(default > 2, "{default}");
    assert_eq!(demo_server_first_page(&["--demo-page-size", "2"]), 2);
    assert_eq!(demo_server_first_page(&["--demo-processes", "1"]), 1);
}

#[test]
fn browser_options_go_to_the_browser_and_nowhere_else() {
    let home = Home::new();
    // Checked before the terminal is taken: each reached the browser.
    let stderr = home.refused(
        &["--demo", "--ids-file", "no-such-ids.txt"],
        "no-such-ids.txt",
    );
    assert!(stderr.contains("cannot read the ids file"), "{stderr}");
    let stderr = home.refused(
        &["browse", "--archive", "no-such-archive"],
        "no-such-archive",
    );
    assert!(stderr.contains("not a folder"), "{stderr}");
    // An archive does not change: --watch on it would do nothing.
    home.ok(&[
        "--demo",
        "export",
        "--demo-processes",
        "2",
        "--no-images",
        "--out",
        "arch",
    ]);
    for line in [
        &["--archive", "arch", "--watch", "5"][..],
        &["browse", "--watch", "--archive", "arch"],
    ] {
        home.refused(line, "--watch");
    }
    // --watch with no value before a command: the command is not its value.
    for command in ["export", "show", "reviews", "audit", "demo-server"] {
        let stderr = home.refused(&["--watch", command], "--watch");
        assert!(
            stderr.contains(&format!("--watch does not apply to `{command}`")),
            "{command}: {stderr}"
        );
    }
    let stderr = home.refused(&["--watch", "browse", "--demo"], "--watch");
    assert!(stderr.contains("`truora-tui browse --watch …`"), "{stderr}");
    // Before a command, or after one that lacks them: refused by name.
    for option in [
        &["--archive", "arch"][..],
        &["--ids-file", "ids.txt"],
        &["--download-dir", "saved"],
        &["--image-protocol", "off"],
        &["--watch", "5"],
        &["--demo-arrivals", "3"],
    ] {
        for command in [
            &["export", "--demo", "--out", "never"][..],
            &["show", "--demo", "IDP1"],
            &["reviews", "list"],
            &["audit"],
            &["demo-server"],
        ] {
            for line in positions(command, option) {
                if line[0] == option[0] || !command_has(&line, option[0]) {
                    home.refused(&line, option[0]);
                }
            }
        }
    }
    assert!(!home.path().join("never").exists());
}

/// Whether the command in `line` declares `flag` itself (show --archive, export --ids-file,
/// demo-server --demo-arrivals): after its name it is that command's option.
fn command_has(line: &[&str], flag: &str) -> bool {
    matches!(
        (line[0], flag),
        ("show", "--archive") | ("export", "--ids-file") | ("demo-server", "--demo-arrivals")
    )
}

#[test]
fn private_and_the_browsers_options_reach_the_browser_in_every_position() {
    // The README's form and the others: each started with privacy off.
    for args in [
        &[
            "--demo",
            "--private",
            "--demo-processes",
            "7",
            "--image-protocol",
            "off",
        ][..],
        &[
            "--private",
            "--demo",
            "--demo-processes",
            "7",
            "--image-protocol",
            "off",
        ],
        &[
            "--private",
            "browse",
            "--demo",
            "--demo-processes",
            "7",
            "--image-protocol",
            "off",
        ],
    ] {
        let t = Tmux::start(args, 120, 30);
        t.wait_for(&format!("{args:?}: seven processes, masked"), |s| {
            s.contains("7 processes") && s.contains("◼ PRIVATE")
        });
        t.keys(&["q"]);
        t.wait_for("the program to exit", |_| t.exited());
    }
    // The global options after `browse`, and the browser's own: the zone in the list's header,
    // the access log in the folder given, new processes found by --watch.
    let t = Tmux::start(
        &[
            "browse",
            "--demo",
            "--time-zone",
            "Asia/Tokyo",
            "--audit-log",
            "{home}/log",
            "--demo-processes",
            "7",
            "--demo-arrivals",
            "1",
            "--watch",
            "5",
            "--image-protocol",
            "off",
        ],
        120,
        30,
    );
    let screen = t.wait_for("the list in Tokyo's time", |s| {
        s.contains(" processes") && s.contains("date JST")
    });
    assert!(screen.contains("◻ private off"), "{screen}");
    t.wait_for("--watch to find the arrivals", |s| s.contains(" new"));
    t.keys(&["q"]);
    t.wait_for("the program to exit", |_| t.exited());
    let log = t.home.path().join("log");
    assert!(
        std::fs::read_dir(&log).is_ok_and(|d| d.count() > 0),
        "nothing in {}",
        log.display()
    );
}
