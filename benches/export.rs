//! Export throughput and memory (README "Performance"), against the demo server on loopback.
//!
//! 1. The workload: 500 processes, 20 ms added to every request, concurrency 16. The
//!    ideal is (requests actually made) × 20 ms / 16; the target is within 1.25× of it.
//! 2. The guide's workflow as a person scripts it: list, then each result, each validation's
//!    details and each image, one request at a time, writing each file. Target: export ≥ 10×
//!    faster.
//! 3. Peak RSS (VmHWM) of an export of 500 and of 5,000 processes, each in a child process of
//!    its own so the demo server's memory is not counted. Target: flat.
//!
//! Run: `cargo bench --bench export` (release). `EXPORT_BENCH_QUICK=1` measures the sequential
//! baseline on the first 100 processes and scales it, for a faster run.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use truora_tui::api::{Client, ClientOptions};
use truora_tui::config::ApiKey;
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
    runtime.block_on(throughput());
    println!();
    println!("| processes | peak RSS (VmHWM) of the export process | RSS before the export |");
    println!("|---|---|---|");
    for processes in [500, 5000] {
        let (before, peak) = runtime.block_on(rss(processes));
        println!(
            "| {processes} | {:.1} MiB | {:.1} MiB |",
            mib(peak),
            mib(before)
        );
    }
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
        summary.bytes as f64 / (1 << 20) as f64,
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

/// Runs an export of `processes` in a child process; returns its RSS before and at peak.
async fn rss(processes: usize) -> (u64, u64) {
    let server = DemoServer::start(DemoOptions {
        processes,
        latency: Duration::from_millis(1),
        ..DemoOptions::default()
    })
    .await
    .expect("demo server");
    let tmp = tempfile::tempdir().expect("temp dir");
    let exe = std::env::current_exe().expect("bench executable");
    let out = tmp.path().join("archive");
    let child = tokio::process::Command::from(Command::new(exe))
        .args([
            "--rss-child",
            server.identity_url().as_str(),
            server.validations_url().as_str(),
        ])
        .arg(&out)
        .output()
        .await
        .expect("child runs");
    server.shutdown().await;
    let text = String::from_utf8_lossy(&child.stdout);
    let mut numbers = text
        .split_whitespace()
        .filter_map(|w| w.parse::<u64>().ok());
    let (before, peak, exported) = (
        numbers.next().unwrap_or(0),
        numbers.next().unwrap_or(0),
        numbers.next().unwrap_or(0),
    );
    assert!(
        child.status.success() && exported > 0,
        "child failed: {}",
        String::from_utf8_lossy(&child.stderr)
    );
    (before, peak)
}

/// In the child: export from the parent's demo server, then print `VmRSS-before VmHWM exported`
/// in bytes.
fn rss_child(args: &[String]) {
    let [identity, validations, out, ..] = args else {
        panic!("usage: --rss-child IDENTITY_URL VALIDATIONS_URL OUT");
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
    let summary = runtime
        .block_on(truora_tui::export::run(
            client,
            export,
            Silent,
            Stop::never(),
        ))
        .expect("export");
    let peak = status_kib("VmHWM") * 1024;
    println!("{before} {peak} {}", summary.exported);
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
    bytes as f64 / (1 << 20) as f64
}
