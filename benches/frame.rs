//! Frame cost with 100,000 processes loaded: time per keystroke (update + draw) on a 200×60
//! `TestBackend`, and bytes written to a real terminal backend per keystroke.
//!
//! Run with `cargo bench --bench frame` (needs `[[bench]] name = "frame" harness = false`). Until
//! that entry exists the same code runs under the test harness, in release:
//! `cargo test --release --bench frame -- --ignored --nocapture`.
//!
//! Bytes are counted through `CrosstermBackend` over a counting writer, after a first full draw:
//! ratatui writes only the cells that changed, so this is what an SSH link carries per key.

#[path = "../tests/suite/app_support/mod.rs"]
mod support;

use std::hint::black_box;
use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::backend::{CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use serde_json::json;
use truora_tui::api::model::ProcessSummary;
use truora_tui::app::{App, Message};

const ROWS: usize = 100_000;
const PRESSES: usize = 1_000;
const SIZE: (u16, u16) = (200, 60);
const COUNTRIES: [&str; 4] = ["CO", "MX", "BR", "PE"];

/// Deterministic synthetic rows: ids, users, dates (newest first), a third of them failed.
fn rows() -> Vec<ProcessSummary> {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let reasons = [
        "blurry_image",
        "document_has_expired",
        "similarity_threshold_not_passed",
        "invalid_curp",
    ];
    (0..ROWS)
        .map(|i| {
            let r = next();
            let status = ["success", "failure", "pending"][(r % 3) as usize];
            let minutes = ROWS - i;
            let v = json!({
                "process_id": format!("IDP{:016x}{:016x}", r, next()),
                "client_user_id": format!("user-{}", r % 100_000),
                // Real ids are 35 characters; the list's memory is mostly these strings.
                "flow_id": format!("IPF{:032x}", u128::from(r % 7)),
                "account_id": format!("ACC{:032x}", 42u128),
                "time_to_live": "120",
                "status": status,
                "creation_date": format!("2024-{:02}-{:02}T{:02}:{:02}:00Z",
                    1 + minutes / 40_000, 1 + (minutes / 1440) % 28, (minutes / 60) % 24, minutes % 60),
                "declined_reason": if status == "failure" { reasons[(r % 4) as usize] } else { "" },
                "failure_status": if status == "failure" { "declined" } else { "" },
                "country": COUNTRIES[(r % 4) as usize],
            });
            ProcessSummary::from_object(v.as_object().expect("object"))
        })
        .collect()
}

fn loaded_app() -> App {
    let mut app = support::app();
    app.start();
    app.handle_message(Message::Resize {
        width: SIZE.0,
        height: SIZE.1,
    });
    let mut all = rows();
    while !all.is_empty() {
        let rest = all.split_off(all.len().min(1_000));
        let page = std::mem::replace(&mut all, rest);
        app.handle_message(support::page_message(&app, page, !all.is_empty()));
    }
    app
}

fn selected_id(app: &App) -> String {
    app.list()
        .selected()
        .and_then(|r| r.process_id.clone())
        .unwrap_or_default()
}

/// Caches a result for the next `n` processes from the cursor down, alternating the rich sample
/// and Truora's seed sample so that every move draws a different tree.
fn cache_results(app: &mut App, n: usize) {
    let start = app.list().cursor().unwrap_or(0);
    for pos in start..start + n {
        let Some(row) = app
            .list()
            .visible()
            .get(pos)
            .and_then(|&i| app.list().row(i))
        else {
            break;
        };
        let id = row.process_id.clone().unwrap_or_default();
        let result = if pos % 2 == 0 {
            support::rich(&id)
        } else {
            support::seed()
        };
        // Delivered as news rather than answers: only the drawing is measured here.
        app.handle_message(Message::FreshResult {
            process_id: id,
            result,
        });
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// How long `keys` take to handle, one after the other (update only, no drawing).
fn time_keys(app: &mut App, keys: &[&str]) -> Duration {
    let t = Instant::now();
    for k in keys {
        app.handle_key(support::key(k));
    }
    t.elapsed()
}

/// Median and p99 of (handle_key + draw) over `presses` presses of `key`.
fn time_presses(app: &mut App, key: &str, presses: usize) -> (Duration, Duration) {
    let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("terminal");
    terminal
        .draw(|f| truora_tui::ui::draw(app, f))
        .expect("draw");
    let mut times = Vec::with_capacity(presses);
    for _ in 0..presses {
        let t = Instant::now();
        black_box(app.handle_key(support::key(key)));
        terminal
            .draw(|f| truora_tui::ui::draw(app, f))
            .expect("draw");
        times.push(t.elapsed());
    }
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.99))
}

/// Counts what would be written to the terminal.
#[derive(Clone, Default)]
struct Counter(Arc<std::sync::atomic::AtomicUsize>);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .fetch_add(buf.len(), std::sync::atomic::Ordering::Relaxed);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Median and max bytes written per press of `key`, after a first full draw.
fn bytes_per_press(app: &mut App, key: &str, presses: usize) -> (usize, usize) {
    let counter = Counter::default();
    let backend = CrosstermBackend::new(counter.clone());
    let viewport = Viewport::Fixed(Rect::new(0, 0, SIZE.0, SIZE.1));
    let mut terminal =
        Terminal::with_options(backend, TerminalOptions { viewport }).expect("terminal");
    terminal
        .draw(|f| truora_tui::ui::draw(app, f))
        .expect("draw");
    let mut sizes = Vec::with_capacity(presses);
    for _ in 0..presses {
        let before = counter.0.load(std::sync::atomic::Ordering::Relaxed);
        app.handle_key(support::key(key));
        terminal
            .draw(|f| truora_tui::ui::draw(app, f))
            .expect("draw");
        sizes.push(counter.0.load(std::sync::atomic::Ordering::Relaxed) - before);
    }
    sizes.sort_unstable();
    (sizes[sizes.len() / 2], sizes[sizes.len() - 1])
}

fn run() {
    let t = Instant::now();
    let mut app = loaded_app();
    let load = t.elapsed();
    assert_eq!(app.list().len(), ROWS);
    println!(
        "loaded {ROWS} processes in {} pages of 1,000: {load:.2?}",
        ROWS / 1_000
    );
    println!(
        "resident memory with them listed: {} (peak {})",
        proc_status("VmRSS:"),
        proc_status("VmHWM:")
    );
    println!();
    println!(
        "{:<52} {:>10} {:>10}",
        "per keystroke, 200×60", "median", "p99"
    );

    let (median, p99) = time_presses(&mut app, "j", PRESSES);
    println!(
        "{:<52} {:>10.2?} {:>10.2?}",
        "list j ×1000 (result not cached) + draw", median, p99
    );

    // The result cache holds 256: cache 250 ahead of the cursor and walk through them.
    cache_results(&mut app, 251);
    let (median, p99) = time_presses(&mut app, "j", 250);
    println!(
        "{:<52} {:>10.2?} {:>10.2?}",
        "list j ×250 (result cached: new tree) + draw", median, p99
    );

    app.handle_key(support::key("tab"));
    app.handle_key(support::key("e"));
    app.handle_key(support::key("g"));
    let rows = match app.view() {
        truora_tui::app::ResultView::Ready { tree, .. } => tree.visible().len(),
        _ => 0,
    };
    let (median, p99) = time_presses(&mut app, "j", rows.saturating_sub(1).max(1));
    let label = format!("tree j ×{} (expanded tree) + draw", rows.saturating_sub(1));
    println!("{:<52} {:>10.2?} {:>10.2?}", label, median, p99);

    // The review desk open with a fifth of the processes decided (some escalated, some with
    // notes), the mark column drawn and `reviewed N of M` in the title.
    let mut marked = loaded_app();
    open_review_with_marks(&mut marked, ROWS / 5);
    marked.handle_key(support::key("g"));
    let (median, p99) = time_presses(&mut marked, "j", PRESSES);
    println!(
        "{:<52} {:>10.2?} {:>10.2?}",
        "list j ×1000 with marks shown (20,000 decided) + draw", median, p99
    );
    println!(
        "{:<52} {:>10.2?}",
        "status filter cycled 4× with marks (recount each)",
        time_keys(&mut marked, &["f", "f", "f", "f"])
    );
    // The review filter through its five settings back to all: each takes its snapshot of the
    // marks, filters the rows and recounts.
    let mut slowest = Duration::ZERO;
    let t = Instant::now();
    for _ in 0..5 {
        let one = Instant::now();
        marked.handle_key(support::key("F"));
        slowest = slowest.max(one.elapsed());
    }
    println!(
        "{:<52} {:>10.2?} {:>10.2?}",
        "review filter cycled 5× with marks (total, slowest)",
        t.elapsed(),
        slowest
    );

    let mut filter = loaded_app();
    println!(
        "{:<52} {:>10.2?}",
        "filter: 5 keystrokes + esc over 100,000 rows",
        time_keys(&mut filter, &["/", "i", "d", "p", "a", "enter", "esc"])
    );

    // An archive: every row's person known, read in the background and sent in batches.
    let mut people = loaded_app();
    let t = Instant::now();
    let batches = add_people(&mut people);
    println!(
        "{:<52} {:>10.2?}",
        format!("people of 100,000 rows applied ({batches} batches)"),
        t.elapsed()
    );
    people.handle_key(support::key("g"));
    let (median, p99) = time_presses(&mut people, "j", PRESSES);
    println!(
        "{:<52} {:>10.2?} {:>10.2?}",
        "list j ×1000 with names and numbers shown + draw", median, p99
    );
    println!(
        "{:<52} {:>10.2?}",
        "filter by name: 5 keystrokes + esc, 100,000 people",
        time_keys(&mut people, &["/", "n", "u", "n", "e", "z", "enter", "esc"])
    );

    println!();
    println!(
        "{:<52} {:>10} {:>10}",
        "bytes written per keystroke (crossterm)", "median", "max"
    );
    let row = |label: &str, (median, max): (usize, usize)| {
        println!("{label:<52} {median:>10} {max:>10}");
    };
    let mut app = loaded_app();
    app.handle_key(support::key("g"));
    row(
        "list j in view, result not cached (tree: loading…)",
        bytes_per_press(&mut app, "j", 40),
    );
    row(
        "list j at the bottom edge: the list scrolls a row",
        bytes_per_press(&mut app, "j", 100),
    );

    app.handle_key(support::key("g"));
    cache_results(&mut app, 41);
    row(
        "list j in view, result cached (another tree drawn)",
        bytes_per_press(&mut app, "j", 40),
    );

    let id = selected_id(&app);
    app.handle_message(Message::FreshResult {
        process_id: id.clone(),
        result: support::rich(&id),
    });
    for k in ["tab", "e", "g"] {
        app.handle_key(support::key(k));
    }
    row(
        "tree j in view, same process",
        bytes_per_press(&mut app, "j", 25),
    );
    row(
        "tree j at the bottom edge: the tree scrolls a row",
        bytes_per_press(&mut app, "j", 20),
    );
}

/// Gives every row a person (names with accents, 10-digit numbers) as an archive's background
/// reading does, in batches of 512; returns the number of batches.
fn add_people(app: &mut App) -> usize {
    use truora_tui::api::model::Person;
    use truora_tui::app::list::PersonAt;
    let names = [
        "María José Núñez",
        "Ana Pérez",
        "Juan Gómez",
        "Lucía Fernández",
    ];
    let all: Vec<PersonAt> = (0..app.list().len())
        .filter_map(|row| {
            let id = app
                .list()
                .row(u32::try_from(row).ok()?)?
                .process_id
                .clone()?;
            Some(PersonAt {
                row,
                process_id: id,
                person: Person {
                    name: Some(format!("{} {row}", names[row % names.len()])),
                    document_number: Some(format!("{:010}", row * 7919)),
                },
            })
        })
        .collect();
    let mut batches = 0;
    for batch in all.chunks(512) {
        app.handle_message(Message::People(batch.to_vec()));
        batches += 1;
    }
    batches
}

/// Opens the review desk (as its store would at start-up) with a decision on every
/// `ROWS / decided`-th process: verdicts cycling pass / fail / escalate, every seventh a note.
fn open_review_with_marks(app: &mut App, decided: usize) {
    use truora_tui::app::message::review::ReviewNews;
    use truora_tui::review::{Event, EventId, EventKind, Timestamp, Verdict};
    let step = ROWS / decided;
    let ids: Vec<String> = app
        .list()
        .visible()
        .iter()
        .step_by(step)
        .filter_map(|&i| app.list().row(i)?.process_id.clone())
        .collect();
    let events = ids
        .into_iter()
        .enumerate()
        .map(|(n, process_id)| Event {
            id: EventId(n as u128 + 1),
            process_id,
            kind: if n % 7 == 0 {
                EventKind::Note {
                    text: "look again".into(),
                }
            } else {
                EventKind::Verdict {
                    verdict: [Verdict::Pass, Verdict::Fail, Verdict::Escalate][n % 3],
                    reason: None,
                }
            },
            reviewer: "bench".into(),
            at: Timestamp(1_764_496_800_000 + n as i64),
            truora_status: None,
            supersedes: None,
            resolves: Vec::new(),
        })
        .collect();
    app.handle_message(Message::Review(ReviewNews::Opened {
        reviewer: "bench".into(),
        events,
        writable: Ok(()),
    }));
}

/// A line of `/proc/self/status` (Linux), e.g. `VmRSS:` → `123456 kB`.
fn proc_status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l[field.len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "n/a".into())
}

/// Interleaved rounds of privacy off and on, so that a shared machine's load falls on both.
const PRIVACY_ROUNDS: usize = 5;

/// Median (key + draw) of `presses` presses of `key` after `reset`, privacy off and on, in
/// interleaved rounds; the medians are over every press of every round.
fn off_and_on(app: &mut App, reset: &str, key: &str, presses: usize) -> (Duration, Duration) {
    let mut times = [Vec::new(), Vec::new()];
    for _ in 0..PRIVACY_ROUNDS {
        for private in [false, true] {
            app.set_private(private);
            app.handle_key(support::key(reset));
            let mut terminal = Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("terminal");
            terminal
                .draw(|f| truora_tui::ui::draw(app, f))
                .expect("draw");
            for _ in 0..presses {
                let t = Instant::now();
                black_box(app.handle_key(support::key(key)));
                terminal
                    .draw(|f| truora_tui::ui::draw(app, f))
                    .expect("draw");
                times[usize::from(private)].push(t.elapsed());
            }
        }
    }
    app.set_private(false);
    let [mut off, mut on] = times;
    off.sort();
    on.sort();
    (percentile(&off, 0.5), percentile(&on, 0.5))
}

/// What privacy mode costs per frame (issue 10: ≤ 10 %), on the frames a reviewer sees: the
/// list walking through cached results (a new masked tree each press), the expanded tree, the
/// raw view of a whole result and compare's header stepping through processes.
fn privacy_overhead() {
    println!();
    println!(
        "{:<52} {:>10} {:>10} {:>8}",
        "privacy mode, per keystroke (median)", "off", "on", "on/off"
    );
    let row = |label: &str, (off, on): (Duration, Duration)| {
        let ratio = on.as_secs_f64() / off.as_secs_f64().max(1e-9);
        println!("{label:<52} {off:>10.2?} {on:>10.2?} {ratio:>8.3}");
    };
    let mut app = loaded_app();
    app.handle_key(support::key("g"));
    cache_results(&mut app, 251);
    row(
        "list j ×250 (result cached: new tree) + draw",
        off_and_on(&mut app, "g", "j", 250),
    );

    for k in ["g", "tab", "e"] {
        app.handle_key(support::key(k));
    }
    let rows = match app.view() {
        truora_tui::app::ResultView::Ready { tree, .. } => tree.visible().len(),
        _ => 0,
    };
    let presses = rows.saturating_sub(1).max(1);
    row(
        &format!("tree j ×{presses} (expanded tree) + draw"),
        off_and_on(&mut app, "g", "j", presses),
    );

    app.handle_key(support::key("g"));
    app.handle_key(support::key("v"));
    let lines = match app.overlay() {
        truora_tui::app::overlays::Overlay::Raw(view) => view.lines.len(),
        _ => 0,
    };
    let presses = lines.clamp(1, 100);
    row(
        &format!("raw view j ×{presses} (whole result, {lines} lines) + draw"),
        off_and_on(&mut app, "g", "j", presses),
    );

    // Where a new result's cost goes: finding its personal values (once per result shown).
    for (label, result) in [
        ("rich sample", support::rich("IDP0")),
        ("Truora's seed sample", support::seed()),
    ] {
        let mut times: Vec<Duration> = (0..1_000)
            .map(|_| {
                let t = Instant::now();
                black_box(truora_tui::privacy::Known::from_json(black_box(
                    &result.raw,
                )));
                t.elapsed()
            })
            .collect();
        times.sort();
        println!(
            "{:<52} {:>10.2?} {:>10.2?}",
            format!("personal values of the {label} (once per result)"),
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }

    app.handle_key(support::key("esc"));
    app.handle_key(support::key("c"));
    assert_eq!(
        *app.overlay(),
        truora_tui::app::overlays::Overlay::Compare,
        "compare opens on a cached result"
    );
    row(
        "compare j ×250 (header of each cached result) + draw",
        off_and_on(&mut app, "g", "j", 250),
    );
}

fn main() {
    run();
    privacy_overhead();
}

#[test]
#[ignore = "a benchmark: cargo test --release --bench frame -- --ignored --nocapture"]
fn frame() {
    run();
    privacy_overhead();
}
