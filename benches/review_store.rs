//! The review store's two figures (README "Review desk"):
//! 1. loading the marks of 100,000 processes with 100,000 events at start-up (open the file, read
//!    every event, in two halves at once on two connections, and make each process's mark), as
//!    the desk's thread does; then the same
//!    through the desk's thread until the app holds every mark. Target ≤ 100 ms. Every run's
//!    result is kept until the end, as the browser keeps its marks: freeing one run's 100,000
//!    small allocations would otherwise bill the next run for the allocator's clean-up.
//! 2. recording one decision, durably (WAL, synchronous=FULL: a commit waits for the disk).
//!    Target ≤ 5 ms median.
//!
//! Run: `cargo bench --bench review_store` (release). The store lives in a temporary folder on
//! the same disk as the system's temp dir (`TMPDIR` chooses another). For profiling:
//! `REVIEW_BENCH_PARTS=1` also prints the CPU time of a raw scan and of the slow way (every row
//! read as an event, sorted, folded);
//! `REVIEW_BENCH_LOADS_ONLY=1` stops after 20 more loads (for `perf record`).

use std::time::{Duration, Instant};

#[path = "../tests/suite/app_support/mod.rs"]
mod support;

use truora_tui::api::model::Status;
use truora_tui::app::Message;
use truora_tui::app::message::review::ReviewNews;
use truora_tui::review::{Decision, Event, OverrideReason, Store, Verdict};
use truora_tui::reviewdesk::{Desk, DeskOptions};

const PROCESSES: usize = 100_000;
const RECORDS: usize = 300;
const RUNS: usize = 9;

fn event(i: usize) -> Event {
    let (verdict, reason, seen) = match i % 4 {
        0 => (
            Verdict::Pass,
            Some(OverrideReason::RegularClient),
            Status::Failure,
        ),
        1 => (Verdict::Fail, None, Status::Failure),
        2 => (Verdict::Escalate, None, Status::Pending),
        _ => (
            Verdict::Fail,
            Some(OverrideReason::ManipulatedPhoto),
            Status::Success,
        ),
    };
    let d = Decision::new(verdict, reason, Some(&seen)).expect("valid");
    Event::new(&format!("IDP{i:032x}"), d.kind(), "bench", Some(seen))
}

/// CPU time this thread has run, in nanoseconds (`/proc/thread-self/schedstat`): unlike wall
/// time, it does not grow when other programs share the cores.
fn cpu_now() -> Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(Duration::ZERO, Duration::from_nanos)
}

/// CPU time of the whole process, every thread (ended ones too) together, from `/proc/self/stat`
/// in clock ticks of 10 ms (Linux's `USER_HZ`): coarse, so only read around many runs.
fn process_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or("", |(_, rest)| rest)
        .split_whitespace()
        .collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 11 and 12 after the name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("reviews.sqlite3");
    let events: Vec<Event> = (0..PROCESSES).map(event).collect();
    Store::open(&path)
        .expect("open")
        .merge(&events)
        .expect("fill");
    drop(events);

    if std::env::var_os("REVIEW_BENCH_PARTS").is_some() {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for _ in 0..3 {
            let c = cpu_now();
            let mut stmt = conn.prepare("SELECT id, process_id, kind, verdict, reason, NULL, reviewer, at_ms, truora_status, supersedes, resolves FROM events").unwrap();
            let mut rows = stmt.query([]).unwrap();
            let mut n = 0;
            while let Some(r) = rows.next().unwrap() {
                n += r.get_ref(1).unwrap().as_str().unwrap().len();
            }
            eprintln!("raw scan cpu {:?} ({n})", cpu_now() - c);
        }
        for _ in 0..3 {
            let t = Instant::now();
            let store = Store::open(&path).expect("open");
            let open = t.elapsed();
            let t = cpu_now();
            let mut ev = store.all_events().expect("events");
            let n = ev.len();
            let read = cpu_now() - t;
            let t = cpu_now();
            ev.sort_unstable_by(|a, b| a.process_id.cmp(&b.process_id).then(a.id.cmp(&b.id)));
            eprintln!("sort cpu {:?}", cpu_now() - t);
            let t = cpu_now();
            let mut m = std::collections::HashMap::new();
            for g in ev.chunk_by(|a, b| a.process_id == b.process_id) {
                m.insert(g[0].process_id.clone(), truora_tui::review::fold(g));
            }
            eprintln!("fold+insert cpu {:?}", cpu_now() - t);
            let t = Instant::now();
            let _ = store.cursor();
            eprintln!(
                "open {open:?} read {n} events {read:?} cursor {:?}",
                t.elapsed()
            );
        }
    }
    // What the desk's thread does at start-up: open the store, load every mark.
    let mut loads = Vec::new();
    let mut load_cpu = Vec::new();
    let mut kept = Vec::new();
    let all_cpu = process_cpu();
    for _ in 0..RUNS {
        let started = Instant::now();
        let cpu = cpu_now();
        let store = Store::open(&path).expect("open");
        let (start, _) = store.start_up("bench").expect("start-up");
        loads.push(started.elapsed());
        load_cpu.push(cpu_now() - cpu);
        assert_eq!(start.marks.len(), PROCESSES);
        assert_eq!(start.mine.len(), PROCESSES);
        kept.push(start);
    }
    let all_cpu = (process_cpu() - all_cpu) / RUNS as u32;
    loads.sort();
    load_cpu.sort();
    if std::env::var_os("REVIEW_BENCH_LOADS_ONLY").is_some() {
        for _ in 0..20 {
            let store = Store::open(&path).expect("open");
            kept.push(store.start_up("bench").expect("start-up").0);
        }
        return;
    }
    // The same through the browser's pieces: the desk's thread opens the store and sends the
    // marks, the app takes them (on the UI thread: `app` below).
    let mut startups = Vec::new();
    let mut app_takes = Vec::new();
    let mut apps = Vec::new();
    for _ in 0..RUNS {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let opts = DeskOptions {
            poll_every: Duration::from_secs(3600),
            ..DeskOptions::new(path.clone(), "bench".into())
        };
        let mut app = support::app();
        let started = Instant::now();
        let desk = Desk::spawn(opts, tx);
        let mut taking = Duration::ZERO;
        loop {
            let news = rx.blocking_recv().expect("news");
            let opened = matches!(news, Message::Review(ReviewNews::Opened { .. }));
            let t = Instant::now();
            app.handle_message(news);
            taking += t.elapsed();
            if opened {
                break;
            }
        }
        startups.push(started.elapsed());
        app_takes.push(taking);
        let first = format!("IDP{:032x}", 1);
        assert!(app.review().mark(&first).is_some_and(|m| m.is_reviewed()));
        desk.close();
        apps.push(app);
    }
    startups.sort();
    app_takes.sort();
    // The command line's load (`reviews list|stats|export`): every review, no marks.
    let mut cli_loads = Vec::new();
    let mut cli_kept = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let store = Store::open(&path).expect("open");
        let (reviews, _) = store.reviews().expect("reviews");
        cli_loads.push(started.elapsed());
        assert_eq!(reviews.len(), PROCESSES);
        cli_kept.push(reviews);
    }
    cli_loads.sort();
    drop((kept, apps, cli_kept));

    let mut store = Store::open(&path).expect("open");
    let mut records = Vec::new();
    for i in 0..RECORDS {
        let e = event(PROCESSES + i);
        let started = Instant::now();
        // As the browser records: checked against the process's head in the same transaction.
        assert_eq!(
            store.record_on_head(&e).expect("record"),
            truora_tui::review::Recorded::Done
        );
        records.push(started.elapsed());
    }
    records.sort();

    let started = Instant::now();
    for _ in 0..1000 {
        store.data_version().expect("poll");
    }
    let poll = started.elapsed() / 1000;

    println!("| figure | median | p95 / max | target |");
    println!("|---|---|---|---|");
    println!(
        "| start-up: open the store and load every mark ({PROCESSES} processes, {PROCESSES} events), {RUNS} runs, wall | {} | max {} | ≤ 100 ms |",
        ms(percentile(&loads, 0.5)),
        ms(loads[loads.len() - 1])
    );
    println!(
        "| the same, CPU time of the thread that loads (it reads the first half of the rows) | {} | max {} | |",
        ms(percentile(&load_cpu, 0.5)),
        ms(load_cpu[load_cpu.len() - 1])
    );
    println!(
        "| the same, CPU time of both reading threads together, mean (10 ms ticks over {RUNS} runs) | {} | | |",
        ms(all_cpu)
    );
    println!(
        "| the same through the desk's thread until the app has every mark, wall | {} | max {} | |",
        ms(percentile(&startups, 0.5)),
        ms(startups[startups.len() - 1])
    );
    println!(
        "| of which the app taking the news (UI thread) | {} | max {} | |",
        ms(percentile(&app_takes, 0.5)),
        ms(app_takes[app_takes.len() - 1])
    );
    println!(
        "| the command line's load of every review (`reviews list/stats/export`), wall | {} | max {} | |",
        ms(percentile(&cli_loads, 0.5)),
        ms(cli_loads[cli_loads.len() - 1])
    );
    println!(
        "| record one decision (durable commit), {RECORDS} runs | {} | {} | ≤ 5 ms median |",
        ms(percentile(&records, 0.5)),
        ms(percentile(&records, 0.95))
    );
    println!(
        "| poll for other reviewers' changes (`data_version`), nothing new | {} | | |",
        ms(poll)
    );
}
