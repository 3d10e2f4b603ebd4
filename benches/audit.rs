//! The access log's figures (README "Access log"):
//!
//! 1. Logging 10,000 records through the real path: the session's background task, as the
//!    browser uses it (events queued without waiting, batched, locked, written, fsynced), into a
//!    temp folder. Target ≤ 1 s from the first event to the last record on disk.
//! 2. The worst case for comparison: 1,000 appends of one record each (one lock, write and fsync
//!    per record), as when events trickle in one at a time.
//! 3. `audit --verify` of 1,000,000 records across 12 month files. Target ≤ 5 s.
//!
//! 1 and 2 again with the head anchored in a review store (a SQLite commit announcing each batch
//! before it is written, another marking it written after), and 3 through `audit::cli` against
//! the store that anchored the million (100 batches): what anchoring costs.
//!
//! Run: `cargo bench --bench audit` (release).

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use truora_tui::api::model::ImageKind;
use truora_tui::audit::cli::{self, AuditArgs};
use truora_tui::audit::{AuditEvent, AuditLog, ProcessRef, Writer, verify};

/// A mix of what a review session records.
fn event(i: usize) -> AuditEvent {
    let process = ProcessRef::new(&format!("IDNTY{i:016x}"));
    match i % 4 {
        0 => AuditEvent::ProcessOpened { process },
        1 => AuditEvent::ImageShown {
            process,
            image: ImageKind::DocumentFront.into(),
        },
        2 => AuditEvent::CompareOpened { process },
        _ => AuditEvent::image_saved(
            process.as_str(),
            ImageKind::FacePhoto,
            Path::new("/home/reviewer/Downloads/truora-tui/IDNTY/face-recognition-face_photo.jpg"),
        ),
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("reviews.sqlite3");

    for anchored in [false, true] {
        let what = if anchored { ", anchored" } else { "" };
        let log_dir = dir.path().join(format!("task-{anchored}"));
        let elapsed = runtime.block_on(async {
            let started = Instant::now();
            let writer = writer(&log_dir, "bench001", anchored.then_some(store.as_path()));
            let log = AuditLog::start_writer(writer, Box::new(|w| eprintln!("{w}")));
            for i in 0..10_000 {
                log.record(event(i));
            }
            log.finish().await;
            started.elapsed()
        });
        let report = verify::verify(&log_dir).expect("readable");
        assert!(report.intact() && report.records == 10_001, "{report:?}");
        let bytes = dir_bytes(&log_dir);
        println!(
            "log 10,000 records through the background task{what}: {:.0} ms ({:.1} µs/record, {} bytes/record)",
            ms(elapsed),
            elapsed.as_secs_f64() * 1e6 / 10_000.0,
            bytes / 10_001
        );

        let single_dir = dir.path().join(format!("single-{anchored}"));
        let mut writer = writer(&single_dir, "bench002", anchored.then_some(store.as_path()));
        let started = Instant::now();
        for i in 0..1_000 {
            writer
                .append(&[(SystemTime::now(), event(i))])
                .expect("append");
        }
        let elapsed = started.elapsed();
        println!(
            "1,000 appends of one record each (lock, write, fsync each{what}): {:.0} ms ({:.2} ms/record)",
            ms(elapsed),
            ms(elapsed) / 1_000.0
        );
    }

    let big_dir = dir.path().join("million");
    let mut writer = Writer::anchored(&big_dir, "bench003", &store);
    let t0 = UNIX_EPOCH + Duration::from_secs(1_767_225_600); // 2026-01-01
    let step = Duration::from_secs(365 * 86_400 / 1_000_000);
    let generated = Instant::now();
    let mut batch = Vec::with_capacity(10_000);
    for i in 0..1_000_000u32 {
        batch.push((t0 + step * i, event(i as usize)));
        if batch.len() == 10_000 {
            writer.append(&batch).expect("append");
            batch.clear();
        }
    }
    let bytes = dir_bytes(&big_dir);
    println!(
        "(wrote 1,000,000 records, {:.0} MB in {} files, in {:.1} s)",
        bytes as f64 / 1e6,
        verify::verify(&big_dir).map(|r| r.files.len()).unwrap_or(0),
        generated.elapsed().as_secs_f64()
    );
    for anchored in [false, true] {
        let mut runs = Vec::new();
        for _ in 0..3 {
            let started = Instant::now();
            if anchored {
                let args = AuditArgs {
                    dir: big_dir.clone(),
                    verify: true,
                    review_db: Some(store.clone()),
                    ..AuditArgs::default()
                };
                let (mut out, mut err) = (Vec::new(), Vec::new());
                let code = cli::run(&args, &mut out, &mut err);
                runs.push(started.elapsed());
                assert_eq!(code, 0, "{}", String::from_utf8_lossy(&err));
            } else {
                let report = verify::verify(&big_dir).expect("readable");
                runs.push(started.elapsed());
                assert!(report.intact() && report.records == 1_000_000, "{report:?}");
            }
        }
        runs.sort();
        println!(
            "audit --verify of 1,000,000 records{}: median {:.2} s (runs {:.2} / {:.2} / {:.2} s)",
            if anchored {
                ", against the store's 100 heads"
            } else {
                ", the chain alone"
            },
            runs[1].as_secs_f64(),
            runs[0].as_secs_f64(),
            runs[1].as_secs_f64(),
            runs[2].as_secs_f64()
        );
    }
}

fn writer(dir: &Path, session: &str, store: Option<&Path>) -> Writer {
    match store {
        Some(store) => Writer::anchored(dir, session, store),
        None => Writer::new(dir, session),
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok()?.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}
