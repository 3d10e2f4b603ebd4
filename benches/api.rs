//! Foundation figures (README "Performance"): time to the first page of the process list against
//! the demo server on loopback, above its injected latency; and result parsing throughput for
//! Truora's published sample on one core.
//!
//! Run: `cargo bench --bench api`

use std::time::{Duration, Instant};

use truora_tui::api::ApiKey;
use truora_tui::api::model::ProcessResult;
use truora_tui::api::{Client, ClientOptions};
use truora_tui::demo::{DEMO_API_KEY, DemoOptions, DemoServer};

const SEED: &[u8] = include_bytes!("../tests/fixtures/seed_result.json");

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    println!("| measure | median | p95 | target |");
    println!("|---|---|---|---|");
    for latency_ms in [0u64, 20] {
        let samples = runtime.block_on(first_page(Duration::from_millis(latency_ms)));
        let (median, p95) = stats(samples);
        println!(
            "| first page of the list, injected latency {latency_ms} ms | {:.2} ms (+{:.2}) | {:.2} ms | ≤ latency + 10 ms |",
            ms(median),
            ms(median) - latency_ms as f64,
            ms(p95)
        );
    }
    let rate = parse_rate();
    println!("| parse the seed's result (one core) | {rate:.0} results/s | | ≥ 20,000 results/s |");
}

/// Each sample: a new client (cold connection), list's first page parsed.
async fn first_page(latency: Duration) -> Vec<Duration> {
    let server = DemoServer::start(DemoOptions {
        latency,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server");
    let mut samples = Vec::new();
    for _ in 0..30 {
        let opts = ClientOptions::new(
            server.identity_url(),
            server.validations_url(),
            ApiKey::new(DEMO_API_KEY.to_owned()),
        );
        let client = Client::new(opts).expect("client");
        let start = Instant::now();
        let page = client
            .pages()
            .next()
            .await
            .expect("a page")
            .expect("page ok");
        samples.push(start.elapsed());
        assert!(!page.items.is_empty());
    }
    server.shutdown().await;
    samples
}

fn parse_rate() -> f64 {
    // Warm up, then count parses in about one second on this thread.
    for _ in 0..1000 {
        std::hint::black_box(ProcessResult::from_slice(SEED).expect("seed parses"));
    }
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < Duration::from_secs(1) {
        for _ in 0..500 {
            std::hint::black_box(
                ProcessResult::from_slice(std::hint::black_box(SEED)).expect("parses"),
            );
        }
        n += 500;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn stats(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let p = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    (p(0.5), p(0.95))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
