//! An embedded fake of the Truora API, for `--demo`, the integration tests and the benches.
//!
//! Three loopback listeners share one state: the **identity** host (process list, process,
//! result), the **validations** host (one validation, with or without details) and an **images**
//! host standing in for S3 pre-signed links. Routes, auth, error bodies, paging and expiring links
//! follow `docs/truora-api.md`; where the real behaviour is unknown (the list's wrapper and
//! paging, some detail shapes) the choices are documented in the module that makes them.
//!
//! The data (320 processes by default) is synthetic and deterministic for a seed; the generator
//! guarantees every status, failure status, declined reason, validation type and shape quirk
//! appears, and every failure is explained by a failing validation or an invalid check. Knobs ([`DemoOptions`], [`Fault`], [`ProcessFault`],
//! [`DemoServer::advance_clock`]) let tests provoke latency, rate limits, server errors, broken
//! bodies, hangs and expired links without sleeping.
//!
//! Image links are signed afresh on every result/validation request, valid for
//! `link_lifetime` from the server's "now" (wall clock + [`DemoServer::advance_clock`]).
//!
//! The demo also has a review store of its own, seeded with a colleague's decisions on this data
//! ([`colleague`]), so the review desk's marks can be seen before deciding anything.

mod api;
mod arrivals;
mod assets;
mod catalog;
mod clock;
pub mod colleague;
mod details;
mod generate;
mod images;
mod links;
mod list;
mod model;
mod render;
mod reply;
mod rng;
mod server;
mod state;
mod validations;

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use colleague::seed_review_store;
use state::{Shared, lock};

/// The API key the demo accepts in `Truora-API-Key`. Not a secret: it only opens the demo.
pub const DEMO_API_KEY: &str = "demo-key-not-a-secret";

/// Knobs of the demo server. Everything but `processes` and `seed` can change at runtime
/// through [`DemoServer::set_options`].
#[derive(Clone, Debug)]
pub struct DemoOptions {
    /// How many synthetic processes to serve (default 320).
    pub processes: usize,
    /// Seed of the data and of the random faults (default fixed, so runs are reproducible).
    pub seed: u64,
    /// Processes per list page (default 50).
    pub page_size: usize,
    /// Added before answering any request on any host (default 0).
    pub latency: Duration,
    /// `X-Amz-Expires` of image links (default 900 s, as Truora's; capped at 7 days like S3).
    pub link_lifetime: Duration,
    /// Probability (0..1) that an authenticated API request answers 429 with `Retry-After: 1`.
    pub rate_429: f64,
    /// Probability (0..1) that an authenticated API request answers 500.
    pub rate_500: f64,
    /// A new process arrives every this long on the server's clock, some of them pending and
    /// finishing later (`--demo-arrivals`; default none).
    pub arrivals: Option<Duration>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        Self {
            processes: 320,
            seed: 0x7472_756f_7261_0001,
            page_size: 50,
            latency: Duration::ZERO,
            link_lifetime: Duration::from_secs(900),
            rate_429: 0.0,
            rate_500: 0.0,
            arrivals: None,
        }
    }
}

/// Which listener a request arrived on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DemoHost {
    Identity,
    Validations,
    Images,
}

/// A request as the demo received it (raw path and query, every header).
#[derive(Clone, Debug)]
pub struct RecordedRequest {
    pub host: DemoHost,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub headers: Vec<(String, String)>,
}

/// A scripted fault: each request on an API host (identity or validations) takes the next one
/// from a FIFO before normal handling. The images host never takes scripted faults.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer this status with Truora's error body (and `Retry-After` if given), before routing.
    Status {
        status: u16,
        retry_after: Option<u64>,
    },
    /// Handle normally, then replace the body with an HTML error page (status and
    /// `Content-Type: application/json` kept).
    Malformed,
    /// Handle normally, then send only the first half of the body (`Content-Length` matches).
    Truncated,
    /// Sleep this long, then handle normally (cut short if the server shuts down).
    Hang(Duration),
}

/// A process whose result endpoint always misbehaves (after routing and auth succeed).
#[derive(Clone, Debug)]
pub enum ProcessFault {
    Status(u16),
    Malformed,
    Truncated,
}

/// A running demo server: three listeners on 127.0.0.1.
pub struct DemoServer {
    shared: Arc<Shared>,
    identity: url::Url,
    validations: url::Url,
    images: url::Url,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

fn base_url(listener: &TcpListener) -> anyhow::Result<url::Url> {
    Ok(url::Url::parse(&format!(
        "http://{}/",
        listener.local_addr()?
    ))?)
}

impl DemoServer {
    /// Starts on three ephemeral loopback ports.
    pub async fn start(opts: DemoOptions) -> anyhow::Result<DemoServer> {
        Self::start_on(opts, 0).await
    }

    /// Starts with the identity host on `identity_port` (0 = ephemeral), the others ephemeral.
    pub async fn start_on(opts: DemoOptions, identity_port: u16) -> anyhow::Result<DemoServer> {
        let bind = |port: u16| TcpListener::bind(("127.0.0.1", port));
        let (id_l, val_l, img_l) = (bind(identity_port).await?, bind(0).await?, bind(0).await?);
        let (identity, validations, images) =
            (base_url(&id_l)?, base_url(&val_l)?, base_url(&img_l)?);
        let (stop, stop_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            data: std::sync::RwLock::new(generate::generate(opts.seed, opts.processes)),
            arrivals: Mutex::new(arrivals::Arrivals::default()),
            signer: links::Signer::new(opts.seed),
            identity_base: identity.to_string(),
            images_base: images.to_string(),
            fault_rng: Mutex::new(rng::SplitMix64::for_item(opts.seed, 0xFA17, 0)),
            opts: Mutex::new(opts),
            clock_offset: Mutex::new(Duration::ZERO),
            faults: Mutex::new(VecDeque::new()),
            process_faults: Mutex::new(HashMap::new()),
            requests: Mutex::new(Vec::new()),
            request_counter: AtomicU64::new(1),
            shutdown: stop_rx.clone(),
        });
        let tasks = vec![
            server::spawn(id_l, shared.clone(), DemoHost::Identity, stop_rx.clone()),
            server::spawn(
                val_l,
                shared.clone(),
                DemoHost::Validations,
                stop_rx.clone(),
            ),
            server::spawn(img_l, shared.clone(), DemoHost::Images, stop_rx),
        ];
        Ok(DemoServer {
            shared,
            identity,
            validations,
            images,
            stop,
            tasks,
        })
    }

    /// Base URL of the identity host, e.g. `http://127.0.0.1:PORT/`.
    pub fn identity_url(&self) -> url::Url {
        self.identity.clone()
    }

    pub fn validations_url(&self) -> url::Url {
        self.validations.clone()
    }

    /// Base URL of the fake S3 host the image links point at.
    pub fn images_url(&self) -> url::Url {
        self.images.clone()
    }

    /// Every request received on any host, in arrival order (kept until [`Self::clear_requests`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.shared.requests).clear();
    }

    /// Changes knobs at runtime. `processes` and `seed` are ignored here: the data is built at start.
    pub fn set_options(&self, f: impl FnOnce(&mut DemoOptions)) {
        f(&mut lock(&self.shared.opts));
    }

    /// Moves the server's "now" forward, e.g. past a link's expiry, without sleeping.
    pub fn advance_clock(&self, by: Duration) {
        let mut offset = lock(&self.shared.clock_offset);
        *offset = offset.saturating_add(by);
    }

    /// Queues a scripted fault for the next API-host request (FIFO).
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push_back(fault);
    }

    /// Makes `GET /v1/processes/{process_id}/result` misbehave (or behave again with `None`).
    pub fn set_process_fault(&self, process_id: &str, fault: Option<ProcessFault>) {
        let mut faults = lock(&self.shared.process_faults);
        match fault {
            Some(f) => faults.insert(process_id.to_string(), f),
            None => faults.remove(process_id),
        };
    }

    /// All process ids in list order (newest first).
    pub fn process_ids(&self) -> Vec<String> {
        self.shared
            .data()
            .processes
            .iter()
            .map(|p| p.id.clone())
            .collect()
    }

    /// What the result endpoint would answer now, links included and signed at the current
    /// server clock (they differ from an earlier answer only in `X-Amz-Date`/`X-Amz-Signature`).
    pub fn result_json(&self, process_id: &str) -> Option<serde_json::Value> {
        let data = self.shared.data();
        let ds = &*data;
        Some(render::result(
            ds,
            ds.process(process_id)?,
            &self.shared.links(),
        ))
    }

    /// The bytes an image link serves. `field` is the JSON field (`front_image`, `face_photo`,
    /// `signature_image_url`, …) or the file stem in the link (`signature_image`).
    pub fn image_bytes(
        &self,
        process_id: &str,
        validation_id: &str,
        field: &str,
    ) -> Option<Vec<u8>> {
        let data = self.shared.data();
        let (p, v) = data.validation(validation_id)?;
        if p.id != process_id {
            return None;
        }
        let stem = field.strip_suffix("_url").unwrap_or(field);
        let asset = v.files.iter().find(|f| f.field == stem)?.asset?;
        Some(assets::file(asset).0.to_vec())
    }

    /// Stops the listeners; in-flight hangs and latencies are cut short.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        for mut task in std::mem::take(&mut self.tasks) {
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}
