//! State shared by the three listeners: data, knobs, fault queues, request log, clock.
//!
//! Std mutexes are fine here: no lock is held across an `.await`, and every lock recovers from
//! poisoning so one panicking test thread cannot wedge the server.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard};
use std::time::Duration;

use tokio::sync::watch;

use super::arrivals::Arrivals;
use super::links::{Links, Signer};
use super::model::Dataset;
use super::rng::SplitMix64;
use super::{DemoOptions, Fault, ProcessFault, RecordedRequest};

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

pub(crate) struct Shared {
    /// Grows only with `--demo-arrivals`; read-locked per request, never across an `.await`.
    pub data: RwLock<Dataset>,
    pub arrivals: Mutex<Arrivals>,
    pub signer: Signer,
    pub identity_base: String,
    pub images_base: String,
    pub opts: Mutex<DemoOptions>,
    pub clock_offset: Mutex<Duration>,
    pub faults: Mutex<VecDeque<Fault>>,
    pub process_faults: Mutex<HashMap<String, ProcessFault>>,
    pub requests: Mutex<Vec<RecordedRequest>>,
    /// Draws for `rate_429` / `rate_500`, seeded so a sequential run is reproducible.
    pub fault_rng: Mutex<SplitMix64>,
    pub request_counter: AtomicU64,
    pub shutdown: watch::Receiver<bool>,
}

impl Shared {
    pub(crate) fn data(&self) -> RwLockReadGuard<'_, Dataset> {
        self.data.read().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn options(&self) -> DemoOptions {
        lock(&self.opts).clone()
    }

    /// Brings the list up to the server's "now" (`--demo-arrivals`): called as a request comes
    /// in, so nobody sees the list change without asking and no timer runs.
    pub(crate) fn catch_up_arrivals(&self) {
        let opts = self.options();
        let now = self.now();
        lock(&self.arrivals).catch_up(&self.data, &opts, now);
    }

    /// The server's "now" in Unix seconds: wall clock plus `advance_clock`.
    pub(crate) fn now(&self) -> i64 {
        super::clock::now_with_offset(*lock(&self.clock_offset))
    }

    pub(crate) fn links(&self) -> Links<'_> {
        Links {
            images_base: &self.images_base,
            identity_base: &self.identity_base,
            signer: &self.signer,
            now: self.now(),
            lifetime: self.options().link_lifetime.as_secs(),
        }
    }

    pub(crate) fn next_request_id(&self) -> u64 {
        self.request_counter.fetch_add(1, Ordering::Relaxed)
    }

    /// Sleeps `d`, or less if the server shuts down meanwhile (so a `Hang` never blocks shutdown).
    pub(crate) async fn sleep(&self, d: Duration) {
        if d.is_zero() {
            return;
        }
        let mut rx = self.shutdown.clone();
        tokio::select! {
            _ = tokio::time::sleep(d) => {}
            _ = rx.wait_for(|stop| *stop) => {}
        }
    }

    pub(crate) fn pop_fault(&self) -> Option<Fault> {
        lock(&self.faults).pop_front()
    }

    pub(crate) fn process_fault(&self, id: &str) -> Option<ProcessFault> {
        lock(&self.process_faults).get(id).cloned()
    }

    /// Rolls the `rate_429` / `rate_500` dice: two draws per authenticated API request, always,
    /// so the sequence depends only on the number of requests.
    pub(crate) fn roll_rate_fault(&self) -> Option<u16> {
        let opts = self.options();
        let (a, b) = {
            let mut rng = lock(&self.fault_rng);
            (rng.unit(), rng.unit())
        };
        if a < opts.rate_429 {
            Some(429)
        } else if b < opts.rate_500 {
            Some(500)
        } else {
            None
        }
    }
}
