//! Export throughput and memory (README "Performance"), against the demo server on loopback.
//!
//! 1. The workload: 500 processes, 20 ms added to every request, concurrency 16. The
//!    ideal is (requests actually made) × 20 ms / 16; the target is within 1.25× of it.
//! 2. The guide's workflow as a person scripts it: list, then each result, each validation's
//!    details and each image, one request at a time, writing each file. Target: export ≥ 10×
//!    faster.
//! 3. Peak RSS (VmHWM) of an export of 500 and of 5,000 processes, each in a child process of
//!    its own so the demo server's memory is not counted. Target: flat.
//! 4. Peak RSS of a fresh export of 20,000 processes, then of resuming it (every process already
//!    complete: the resume reads the whole journal and checks every file, and skips them all).
//!    Target: the resume ≤ 1.5× the fresh run. `--no-images` by default so the 20,000-process
//!    run fits a shared 2-core machine (≈ 60,000 files instead of ≈ 120,000);
//!    `EXPORT_BENCH_RESUME_IMAGES=1` exports the images too.
//!
//! Run: `cargo bench --bench export` (release). `EXPORT_BENCH_QUICK=1` measures the sequential
//! baseline on the first 100 processes and scales it, for a faster run;
//! `EXPORT_BENCH_ONLY_RESUME=1` runs only measure 4.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use truora_tui::api::ApiKey;
use truora_tui::api::{Client, ClientOptions};
use truora_tui::demo::{DEMO_API_KEY, DemoHost, DemoOptions, DemoServer};
use truora_tui::export::{ExportOptions, Silent, Stop};

const LATENCY: Duration = Duration::from_millis(20);
const CONCURRENCY: usize = 16;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--rss-child") {
        rss_child(&args[i + 1..]);
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    if std::env::var_os("EXPORT_BENCH_ONLY_RESUME").is_none() {
        runtime.block_on(throughput());
        println!();
        println!("| processes | peak RSS (VmHWM) of the export process | RSS before the export |");
        println!("|---|---|---|");
        for processes in [500, 5000] {
            let run = runtime.block_on(rss(processes));
            println!(
                "| {processes} | {:.1} MiB | {:.1} MiB |",
                mib(run.peak),
                mib(run.before)
            );
        }
        println!();
    }
    runtime.block_on(resume_rss(20_000));
}

fn client(server: &DemoServer, concurrency: usize) -> Client {
    let mut opts = ClientOptions::new(
        server.identity_url(),
        server.validations_url(),
        ApiKey::new(DEMO_API_KEY.to_owned()),
    );
    opts.concurrency = concurrency;
    Client::new(opts).expect("client")
}

async fn throughput() {
    let server = DemoServer::start(DemoOptions {
        processes: 500,
        latency: LATENCY,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server");
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut opts = ExportOptions::new(tmp.path().join("archive"));
    opts.concurrency = CONCURRENCY;
    server.clear_requests();
    let start = Instant::now();
    let summary =
        truora_tui::export::run(client(&server, CONCURRENCY), opts, Silent, Stop::never())
            .await
            .expect("export");
    let export_time = start.elapsed();
    let requests = server.requests();
    let count = |host| requests.iter().filter(|r| r.host == host).count();
    let (identity, validations, images) = (
        count(DemoHost::Identity),
        count(DemoHost::Validations),
        count(DemoHost::Images),
    );
    let total = requests.len();
    let ideal = LATENCY.mul_f64(total as f64 / CONCURRENCY as f64);

    let quick = std::env::var_os("EXPORT_BENCH_QUICK").is_some();
    let sample = if quick { 100 } else { 500 };
    let sequential_dir = tmp.path().join("sequential");
    let start = Instant::now();
    let sequential_requests = sequential(&server, &sequential_dir, sample).await;
    let sequential_time = start.elapsed().mul_f64(500.0 / sample as f64);
    server.shutdown().await;

    let per = |n: usize| n as f64 / 500.0;
    println!(
        "workload: 500 processes, {} ms per request; per process {:.2} validation details and {:.2} images; {} requests in all ({identity} identity incl. {} list pages, {validations} validations, {images} images); {} processes failed, {} images recorded as gone (deleted at the server), {:.1} MiB written",
        LATENCY.as_millis(),
        per(validations),
        per(images),
        total,
        500usize.div_ceil(50),
        summary.failed.len(),
        summary.missing.len(),
        summary.counts.bytes as f64 / f64::from(1 << 20),
    );
    println!();
    println!("| run | wall time | vs ideal | requests |");
    println!("|---|---|---|---|");
    println!(
        "| ideal: requests × latency / {CONCURRENCY} | {:.2} s | 1.00× | {total} |",
        ideal.as_secs_f64()
    );
    println!(
        "| `export`, concurrency {CONCURRENCY} | {:.2} s | {:.2}× (target ≤ 1.25×) | {total} |",
        export_time.as_secs_f64(),
        export_time.as_secs_f64() / ideal.as_secs_f64()
    );
    println!(
        "| the guide's workflow, one request at a time{} | {:.1} s | {:.1}× slower than `export` (target ≥ 10×) | {} |",
        if quick {
            " (100 processes, scaled ×5)"
        } else {
            ""
        },
        sequential_time.as_secs_f64(),
        sequential_time.as_secs_f64() / export_time.as_secs_f64(),
        sequential_requests,
    );
}

/// The guide's loop: list → each result → each validation's details → each image, one at a
/// time, each file written as it arrives. Returns the requests made.
async fn sequential(server: &DemoServer, dir: &Path, limit: usize) -> usize {
    let client = client(server, 1);
    std::fs::create_dir_all(dir).expect("dir");
    let mut ids = Vec::new();
    let mut requests = 0;
    let mut pages = client.pages();
    while let Some(page) = pages.next().await {
        requests += 1;
        let page = page.expect("page");
        ids.extend(page.items.into_iter().filter_map(|p| p.process_id));
        if ids.len() >= limit {
            break;
        }
    }
    for id in ids.into_iter().take(limit) {
        let folder = dir.join(&id);
        std::fs::create_dir_all(&folder).expect("dir");
        requests += 1;
        let Ok(result) = client.process_result(&id).await else {
            continue;
        };
        std::fs::write(folder.join("result.json"), &result.body).expect("write");
        for v in &result.parsed.validations {
            if let Some(vid) = &v.validation_id {
                requests += 1;
                if let Ok(d) = client.validation_details(vid).await {
                    std::fs::write(folder.join(format!("{vid}.json")), &d.body).expect("write");
                }
            }
            for link in &v.images {
                requests += 1;
                if let Ok(bytes) = client.download(&link.url, "image").await {
                    let name = format!("{}-{}", v.index, link.field);
                    std::fs::write(folder.join(name), bytes).expect("write");
                }
            }
        }
    }
    requests
}

async fn demo(processes: usize) -> DemoServer {
    DemoServer::start(DemoOptions {
        processes,
        latency: Duration::from_millis(1),
        ..DemoOptions::default()
    })
    .await
    .expect("demo server")
}

/// Runs an export of `processes` in a child process.
async fn rss(processes: usize) -> ChildRun {
    let server = demo(processes).await;
    let tmp = tempfile::tempdir().expect("temp dir");
    let run = child_export(&server, &tmp.path().join("archive"), true).await;
    server.shutdown().await;
    assert!(run.exported > 0, "nothing exported");
    run
}

/// Measure 4: a fresh export of `processes`, then a resume of it, each in its own child.
async fn resume_rss(processes: usize) {
    let images = std::env::var_os("EXPORT_BENCH_RESUME_IMAGES").is_some();
    let server = demo(processes).await;
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = tmp.path().join("archive");
    let fresh = child_export(&server, &out, images).await;
    let journal = std::fs::metadata(out.join("progress.jsonl")).map_or(0, |m| m.len());
    let manifest = std::fs::metadata(out.join("manifest.json")).map_or(0, |m| m.len());
    let resume = child_export(&server, &out, images).await;
    server.shutdown().await;
    assert_eq!(fresh.skipped, 0);
    assert!(resume.skipped > 0, "the resume skipped nothing");
    println!(
        "resume: {processes} processes{}; manifest.json {:.1} MiB, progress.jsonl {:.1} MiB; the resume skipped {} and redid {} (the pending ones)",
        if images {
            ", with images"
        } else {
            ", --no-images"
        },
        mib(manifest),
        mib(journal),
        resume.skipped,
        resume.exported,
    );
    println!();
    println!("| run | peak RSS (VmHWM) | wall time |");
    println!("|---|---|---|");
    println!(
        "| fresh export of {processes} | {:.1} MiB | {:.1} s |",
        mib(fresh.peak),
        fresh.seconds
    );
    println!(
        "| resume of it | {:.1} MiB ({:.2}× the fresh run; target ≤ 1.5×) | {:.1} s |",
        mib(resume.peak),
        resume.peak as f64 / fresh.peak as f64,
        resume.seconds
    );
}

/// What a child export printed: RSS before and at peak (bytes), processes exported and skipped,
/// wall time.
struct ChildRun {
    before: u64,
    peak: u64,
    exported: u64,
    skipped: u64,
    seconds: f64,
}

/// Runs an export into `out` in a child process (so the demo server's memory is not counted).
async fn child_export(server: &DemoServer, out: &Path, images: bool) -> ChildRun {
    let exe = std::env::current_exe().expect("bench executable");
    let start = Instant::now();
    let child = tokio::process::Command::from(Command::new(exe))
        .args([
            "--rss-child",
            server.identity_url().as_str(),
            server.validations_url().as_str(),
        ])
        .arg(out)
        .arg(if images { "images" } else { "no-images" })
        .output()
        .await
        .expect("child runs");
    let seconds = start.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&child.stdout);
    let numbers: Vec<u64> = text
        .split_whitespace()
        .filter_map(|w| w.parse::<u64>().ok())
        .collect();
    assert!(
        child.status.success() && numbers.len() == 4,
        "child failed: {text}\n{}",
        String::from_utf8_lossy(&child.stderr)
    );
    ChildRun {
        before: numbers[0],
        peak: numbers[1],
        exported: numbers[2],
        skipped: numbers[3],
        seconds,
    }
}

/// In the child: export from the parent's demo server, then print
/// `VmRSS-before VmHWM exported skipped` (bytes, bytes, processes, processes).
fn rss_child(args: &[String]) {
    let [identity, validations, out, images, ..] = args else {
        panic!("usage: --rss-child IDENTITY_URL VALIDATIONS_URL OUT images|no-images");
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let before = status_kib("VmRSS") * 1024;
    let mut opts = ClientOptions::new(
        identity.parse().expect("url"),
        validations.parse().expect("url"),
        ApiKey::new(DEMO_API_KEY.to_owned()),
    );
    opts.concurrency = CONCURRENCY;
    let client = Client::new(opts).expect("client");
    let mut export = ExportOptions::new(out);
    export.concurrency = CONCURRENCY;
    export.images = images == "images";
    let summary = runtime
        .block_on(truora_tui::export::run(
            client,
            export,
            Silent,
            Stop::never(),
        ))
        .expect("export");
    let peak = status_kib("VmHWM") * 1024;
    println!(
        "{before} {peak} {} {}",
        summary.counts.exported, summary.counts.skipped
    );
}

fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn mib(bytes: u64) -> f64 {
    bytes as f64 / f64::from(1 << 20)
}
