//! Part 2 of the memory bench: a browser running while 1.2 M events are imported into its review
//! store. The child is the browser without a terminal (the app, and the desk's thread polling the
//! store every second, as `truora-tui` runs them; the list's pages and results answered by the
//! child itself, since no source is needed to show marks); the parent imports with
//! `reviews import`'s own code, a JSONL file of 1.2 M events, once the child says it is ready.

use std::io::{BufRead, BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use serde_json::json;
use tokio::sync::mpsc;
use truora_tui::api::model::{ProcessSummary, Status};
use truora_tui::app::message::review::ReviewNews;
use truora_tui::app::review::Access;
use truora_tui::app::{App, AppOptions, Command, Job, ListPage, Message};
use truora_tui::review::{Decision, Event, EventId, EventKind, OverrideReason, Timestamp, Verdict};
use truora_tui::reviewdesk::{Desk, DeskOptions};

use super::{Rss, rss};

const PAGE: usize = 1_000;
const REVIEWERS: [&str; 4] = ["bench", "ana", "luis", "marta"];

pub fn process_id(i: usize) -> String {
    format!("IDP{i:032x}")
}

/// Writes `events` events about `processes` processes as `reviews export --format jsonl` would:
/// in time order, processes interleaved, each decision superseding the one that stood, some
/// withdrawn, some notes, a tenth by this browser's reviewer. Returns how many bytes.
pub fn write_events(path: &Path, processes: usize, events: usize) -> u64 {
    let mut out = BufWriter::new(std::fs::File::create(path).expect("events file"));
    let mut heads: Vec<Vec<EventId>> = vec![Vec::new(); processes];
    let mut seed: u64 = 0x005e_ed0f_ca5e;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    // Thirty days ago, a millisecond apart: well inside what an import accepts.
    let start = Timestamp::now().millis() - 30 * 24 * 3600 * 1000;
    let mut bytes = 0u64;
    for n in 0..events {
        let r = next();
        let p = (r % processes as u64) as usize;
        let at = Timestamp(start + n as i64);
        let reviewer = REVIEWERS[(r >> 20) as usize % 10 % REVIEWERS.len()];
        let seen =
            [Status::Failure, Status::Success, Status::Pending][(r >> 24) as usize % 3].clone();
        let chain = &mut heads[p];
        let kind = match (r >> 28) % 20 {
            0..=3 => EventKind::Note {
                text: format!("looked at the document again ({n})"),
            },
            4..=5 if !chain.is_empty() => EventKind::Withdraw,
            _ => {
                let verdict =
                    [Verdict::Pass, Verdict::Fail, Verdict::Escalate][(r >> 32) as usize % 3];
                let reason = [
                    OverrideReason::RegularClient,
                    OverrideReason::ManipulatedPhoto,
                ];
                let decision = Decision::new(verdict, None, Some(&seen))
                    .or_else(|_| Decision::new(verdict, Some(reason[0]), Some(&seen)))
                    .or_else(|_| Decision::new(verdict, Some(reason[1]), Some(&seen)))
                    .unwrap_or(Decision {
                        verdict: Verdict::Escalate,
                        reason: None,
                    });
                decision.kind()
            }
        };
        let mut event = Event {
            id: EventId::generate(at),
            process_id: process_id(p),
            kind,
            reviewer: reviewer.to_owned(),
            at,
            truora_status: Some(seen),
            supersedes: None,
            resolves: Vec::new(),
        };
        match event.kind {
            EventKind::Note { .. } => {}
            EventKind::Withdraw => event.supersedes = chain.pop(),
            EventKind::Verdict { .. } => {
                event.supersedes = chain.last().copied();
                chain.push(event.id);
            }
        }
        let line = truora_tui::review::wire::to_json(&event).to_string();
        bytes += line.len() as u64 + 1;
        writeln!(out, "{line}").expect("write");
    }
    out.flush().expect("flush");
    bytes
}

/// What the child measured.
pub struct Watched {
    pub ready: Rss,
    pub after: Rss,
    pub seconds_after_import: f64,
}

/// In the child: the browser on `store` with `processes` rows listed. Prints `ready` with its
/// memory once the store is open; runs until the parent says the import is done (`done N` on
/// stdin) and the app counts the N processes with a verdict as reviewed; then prints the figures.
pub fn child(store: &Path, processes: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let desk = Desk::spawn(
            DeskOptions::new(store.to_path_buf(), "bench".into()),
            tx.clone(),
        );
        let mut app = App::new(AppOptions::default());
        let mut pending = app.handle_message(Message::Resize {
            width: 200,
            height: 60,
        });
        pending.extend(app.start());
        let mut listed = 0;
        // The runtime's dispatch, with the list's pages answered here.
        let mut dispatch = |pending: &mut Vec<Command>, app: &mut App| {
            while !pending.is_empty() {
                for c in std::mem::take(pending) {
                    let Command::Request(r) = c else { continue };
                    match r.job {
                        Job::Review(request) => desk.ask(r.id, request),
                        Job::LoadPage => {
                            let items = (listed..(listed + PAGE).min(processes)).map(row).collect();
                            listed = (listed + PAGE).min(processes);
                            pending.extend(app.handle_message(Message::Page {
                                id: r.id,
                                result: Ok(ListPage {
                                    items,
                                    more: listed < processes,
                                    skipped: 0,
                                }),
                            }));
                        }
                        // Results and images stay on their way, as over a slow link: no
                        // source is needed to show marks.
                        _ => {}
                    }
                }
            }
        };
        dispatch(&mut pending, &mut app);
        while *app.review().access() != Access::Writable || app.list().len() < processes {
            let message = rx.recv().await.expect("the desk runs");
            pending.extend(app.handle_message(message));
            dispatch(&mut pending, &mut app);
        }
        super::draw(&app);
        let ready = rss();
        println!("ready {} {}", ready.now, ready.peak);
        std::io::stdout().flush().expect("flush");

        let (done_tx, mut done_rx) = mpsc::unbounded_channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = std::io::stdin().lock().read_line(&mut line);
            let reviewed: usize = line
                .trim()
                .strip_prefix("done ")
                .and_then(|n| n.parse().ok())
                .expect("done N");
            let _ = done_tx.send(reviewed);
        });
        let mut done: Option<(Instant, usize)> = None;
        loop {
            tokio::select! {
                Some(message) = rx.recv() => {
                    let changes = matches!(message, Message::Review(ReviewNews::Changes { .. }));
                    pending.extend(app.handle_message(message));
                    dispatch(&mut pending, &mut app);
                    if changes {
                        super::draw(&app);
                    }
                }
                Some(reviewed) = done_rx.recv(), if done.is_none() => {
                    done = Some((Instant::now(), reviewed));
                    desk.poll_now();
                }
            }
            if done.is_some_and(|(_, reviewed)| app.review().counts().reviewed >= reviewed) {
                break;
            }
        }
        super::draw(&app);
        let after = rss();
        let seconds = done.map_or(0.0, |(d, _)| d.elapsed().as_secs_f64());
        println!(
            "{} {} {} {} {seconds}",
            ready.now, ready.peak, after.now, after.peak
        );
        drop(desk);
    });
}

fn row(i: usize) -> ProcessSummary {
    let status = ["success", "failure", "pending"][i % 3];
    let v = json!({
        "process_id": process_id(i),
        "status": status,
        "creation_date": format!("2024-{:02}-{:02}T{:02}:{:02}:00Z", 1 + i / 40_000 % 12, 1 + i / 1440 % 28, i / 60 % 24, i % 60),
        "flow_id": format!("IPF{:032x}", i % 7),
        "client_user_id": format!("user-{i}"),
        "country": "CO",
    });
    ProcessSummary::from_object(v.as_object().expect("object"))
}

/// Reads the last line the child printed.
pub fn parse(text: &str) -> Watched {
    let n: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(n.len(), 5, "the child printed: {text}");
    Watched {
        ready: Rss {
            now: n[0] as u64,
            peak: n[1] as u64,
        },
        after: Rss {
            now: n[2] as u64,
            peak: n[3] as u64,
        },
        seconds_after_import: n[4],
    }
}
