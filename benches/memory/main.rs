//! Memory of the browser (README "Performance", "Memory"): what it holds is bounded by what it
//! shows, not by the size of the data behind it.
//!
//! 1. `--archive` of 100,000 processes: an archive is made from a real export of the demo (see
//!    [`archive`]), then opened in a child process exactly as the browser opens it, without a
//!    terminal: the archive as a source, the worker (which lists it and reads every person in
//!    the background), the app drawn on a 200×60 test backend. Reported: resident memory (VmRSS)
//!    and its peak (VmHWM) once the archive is open, once every row is listed with its person,
//!    and after opening 300 processes one after another. Target: ≤ 150 MB.
//! 2. A running browser while 1.2 M events are imported into its review store (see [`desk`]):
//!    the app's memory before and after. Target: what it holds grows by one compact mark per
//!    process at most, not with the events.
//!
//! Each measurement runs in a child process of its own, so neither the making of the data nor
//! the other measurement is counted. Run: `cargo bench --bench memory` (release).
//! `MEMORY_BENCH_PROCESSES` (default 100,000) and `MEMORY_BENCH_EVENTS` (default 1,200,000)
//! change the sizes; `MEMORY_BENCH_ONLY=archive|desk` runs one part.

mod archive;
mod desk;

use std::process::{Command, Stdio};
use std::time::Instant;

use crossterm::event::{KeyEvent, KeyEventKind, KeyEventState};
use truora_tui::api::ApiKey;
use truora_tui::api::{Client, ClientOptions};
use truora_tui::app::App;
use truora_tui::demo::{DEMO_API_KEY, DemoServer};
use truora_tui::keymap::Key;

const OPENS: usize = 300;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--archive-child") {
        let [dir, processes, people, opens, ..] = &args[i + 1..] else {
            panic!("usage: --archive-child DIR PROCESSES PEOPLE OPENS");
        };
        archive::child(
            dir.as_ref(),
            processes.parse().expect("number"),
            people.parse().expect("number"),
            opens.parse().expect("number"),
        );
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--desk-child") {
        let [store, processes, ..] = &args[i + 1..] else {
            panic!("usage: --desk-child STORE PROCESSES");
        };
        desk::child(store.as_ref(), processes.parse().expect("number"));
        return;
    }
    let number = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.replace(['_', ','], "").parse().ok())
            .unwrap_or(default)
    };
    let processes = number("MEMORY_BENCH_PROCESSES", 100_000);
    let events = number("MEMORY_BENCH_EVENTS", 1_200_000);
    let only = std::env::var("MEMORY_BENCH_ONLY").unwrap_or_default();
    if only.is_empty() || only == "archive" {
        run_archive(processes);
    }
    if only.is_empty() || only == "desk" {
        run_desk(processes, events);
    }
}

fn run_archive(processes: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let made = runtime.block_on(archive::make(processes));
    drop(runtime);
    let output = Command::new(std::env::current_exe().expect("bench executable"))
        .arg("--archive-child")
        .arg(&made.dir)
        .args([processes, made.people, OPENS].map(|n| n.to_string()))
        .output()
        .expect("child runs");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the child failed: {text}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let o = archive::parse(&text);
    println!();
    println!(
        "`--archive` of {processes} processes ({} with a person; {:.0} MiB of results and \
         details on disk), opened as the browser opens it:",
        made.people,
        mib(made.bytes_on_disk)
    );
    println!("| moment | VmRSS | VmHWM (peak so far) |");
    println!("|---|---|---|");
    for (what, r) in [
        ("before opening", &o.before),
        ("archive opened (bookkeeping read)", &o.archive_open),
        (
            "every row listed and every person read (the list usable throughout)",
            &o.listed,
        ),
        ("after opening processes one after another", &o.browsed),
    ] {
        println!(
            "| {what} | {:.1} MiB | {:.1} MiB |",
            mib(r.now),
            mib(r.peak)
        );
    }
    println!(
        "({} processes opened after; from the start: archive open {:.2} s, every row listed \
         {:.1} s, every person read {:.1} s; target: peak ≤ 150 MB)",
        o.opened_results, o.seconds_open, o.seconds_to_list, o.seconds_to_people
    );
}

fn run_desk(processes: usize, events: usize) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let file = tmp.path().join("events.jsonl");
    let store = tmp.path().join("reviews.sqlite3");
    let started = Instant::now();
    let bytes = desk::write_events(&file, processes, events);
    println!(
        "\nwrote {events} events about {processes} processes ({:.0} MiB of JSONL) in {:.1?}",
        mib(bytes),
        started.elapsed()
    );
    // A store with the schema in place and nothing in it: the browser opens it empty.
    drop(truora_tui::review::Store::open(&store).expect("store"));
    let mut child = Command::new(std::env::current_exe().expect("bench executable"))
        .arg("--desk-child")
        .arg(&store)
        .arg(processes.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("child runs");
    let mut out = std::io::BufReader::new(child.stdout.take().expect("stdout"));
    let mut ready = String::new();
    std::io::BufRead::read_line(&mut out, &mut ready).expect("child says ready");
    assert!(ready.starts_with("ready"), "the child said {ready:?}");
    let started = Instant::now();
    let report =
        truora_tui::review::cli::import(&store, &file, &mut std::io::sink()).expect("import");
    let import_seconds = started.elapsed().as_secs_f64();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "done {}", reviewed(&store)).expect("tell the child");
    }
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut out, &mut rest).expect("child output");
    assert!(
        child.wait().expect("child ends").success(),
        "the child failed: {rest}"
    );
    let w = desk::parse(&rest);
    println!(
        "imported {} events in {import_seconds:.1} s while the browser ran (its desk polling \
         every second); every mark in the app {:.1} s after the import ended",
        report.added, w.seconds_after_import
    );
    println!("| the browser (app + desk), {processes} processes listed | VmRSS | VmHWM |");
    println!("|---|---|---|");
    println!(
        "| store open, before the import | {:.1} MiB | {:.1} MiB |",
        mib(w.ready.now),
        mib(w.ready.peak)
    );
    println!(
        "| after the import, every mark shown | {:.1} MiB | {:.1} MiB |",
        mib(w.after.now),
        mib(w.after.peak)
    );
}

/// How many processes of the store have a standing verdict: what the child waits to see in the
/// app's `reviewed N` count.
fn reviewed(store: &std::path::Path) -> usize {
    let (reviews, _) = truora_tui::review::Store::open_read_only(store)
        .expect("store")
        .reviews()
        .expect("reviews");
    reviews.values().filter(|r| r.verdict.is_some()).count()
}

/// Resident memory now and at its peak, in bytes (`/proc/self/status`, Linux).
pub struct Rss {
    pub now: u64,
    pub peak: u64,
}

pub fn rss() -> Rss {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = |field: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
            .and_then(|v| v.split_whitespace().next()?.parse().ok())
            .unwrap_or(0)
    };
    Rss {
        now: kib("VmRSS") * 1024,
        peak: kib("VmHWM") * 1024,
    }
}

pub fn mib(bytes: u64) -> f64 {
    bytes as f64 / f64::from(1 << 20)
}

pub fn client(server: &DemoServer) -> Client {
    let mut opts = ClientOptions::new(
        server.identity_url(),
        server.validations_url(),
        ApiKey::new(DEMO_API_KEY.to_owned()),
    );
    opts.concurrency = 8;
    Client::new(opts).expect("client")
}

pub fn key(spelling: &str) -> KeyEvent {
    let k = Key::parse(spelling).expect("key parses");
    KeyEvent {
        code: k.code,
        modifiers: k.mods,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    }
}

/// One frame on a 200×60 test backend, as the browser draws after news.
pub fn draw(app: &App) {
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(200, 60)).expect("terminal");
    terminal
        .draw(|f| truora_tui::ui::draw(app, f))
        .expect("draw");
}
