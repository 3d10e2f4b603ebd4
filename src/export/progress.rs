//! Telling the user (or a test) how the export is going.
//!
//! The export reports [`Event`]s with a [`Snapshot`] of its counters to a [`Progress`]; it never
//! prints. The command line picks [`Bar`] (indicatif) on a terminal and [`Lines`] (a plain line
//! every few seconds, for logs and CI) otherwise; tests pass a closure, which can also stop the
//! export at a chosen point.

use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Something that happened. Sent from many tasks at once: implementations must be quick.
#[derive(Clone, Copy, Debug)]
pub enum Event<'a> {
    /// A page of the list (or the ids file) added processes to export.
    Listed { added: u64 },
    /// The whole list is known: `total` processes (not sent when the list was cut short).
    ListDone { total: u64 },
    /// A process's result arrived; its details and images are fetched next.
    ResultFetched { process_id: &'a str },
    /// A file of a process was written.
    FileWritten { bytes: u64, image: bool },
    /// A process is done: exported now, already complete from an earlier run (`skipped`), or
    /// failed with `error`.
    ProcessDone {
        process_id: &'a str,
        skipped: bool,
        error: Option<&'a str>,
    },
    /// Something worth telling that does not stop the export.
    Warning(&'a str),
}

/// The export's counters at the time of an event.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// Processes to export, as far as the list has been read.
    pub total: u64,
    pub list_done: bool,
    /// Exported in this run.
    pub exported: u64,
    /// Already complete from an earlier run.
    pub skipped: u64,
    pub failed: u64,
    pub images: u64,
    pub files: u64,
    pub bytes: u64,
}

impl Snapshot {
    pub fn finished(&self) -> u64 {
        self.exported
            .saturating_add(self.skipped)
            .saturating_add(self.failed)
    }
}

pub trait Progress: Send + Sync + 'static {
    fn event(&self, event: Event<'_>, now: &Snapshot);
}

impl<F: Fn(Event<'_>, &Snapshot) + Send + Sync + 'static> Progress for F {
    fn event(&self, event: Event<'_>, now: &Snapshot) {
        self(event, now)
    }
}

/// Reports nothing.
pub struct Silent;

impl Progress for Silent {
    fn event(&self, _: Event<'_>, _: &Snapshot) {}
}

/// The live counters behind [`Snapshot`].
#[derive(Default)]
pub(crate) struct Tally {
    total: AtomicU64,
    list_done: AtomicBool,
    exported: AtomicU64,
    skipped: AtomicU64,
    failed: AtomicU64,
    images: AtomicU64,
    files: AtomicU64,
    bytes: AtomicU64,
}

impl Tally {
    /// Counts an event, then returns the counters including it.
    pub(crate) fn count(&self, event: &Event<'_>) -> Snapshot {
        let add = |c: &AtomicU64, n| {
            c.fetch_add(n, Ordering::Relaxed);
        };
        match *event {
            Event::Listed { added } => add(&self.total, added),
            Event::ListDone { total } => {
                self.total.store(total, Ordering::Relaxed);
                self.list_done.store(true, Ordering::Relaxed);
            }
            Event::FileWritten { bytes, image } => {
                add(&self.files, 1);
                add(&self.bytes, bytes);
                if image {
                    add(&self.images, 1);
                }
            }
            Event::ProcessDone { skipped: true, .. } => add(&self.skipped, 1),
            Event::ProcessDone { error: Some(_), .. } => add(&self.failed, 1),
            Event::ProcessDone { .. } => add(&self.exported, 1),
            Event::ResultFetched { .. } | Event::Warning(_) => {}
        }
        self.snapshot()
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        Snapshot {
            total: get(&self.total),
            list_done: self.list_done.load(Ordering::Relaxed),
            exported: get(&self.exported),
            skipped: get(&self.skipped),
            failed: get(&self.failed),
            images: get(&self.images),
            files: get(&self.files),
            bytes: get(&self.bytes),
        }
    }
}

/// One line of counters, shared by both reporters.
fn counters(s: &Snapshot) -> String {
    let mut line = format!("{} images, {}", s.images, HumanBytes(s.bytes));
    if s.skipped > 0 {
        line.push_str(&format!(", {} already done", s.skipped));
    }
    if s.failed > 0 {
        line.push_str(&format!(", {} failed", s.failed));
    }
    line
}

/// A progress bar on the terminal: processes done / total, images, bytes, failures and ETA.
/// Clones draw the same bar.
#[derive(Clone)]
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// Draws on stdout (the caller checked it is a terminal).
    pub fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stdout());
        bar.set_style(style(LISTING));
        bar.enable_steady_tick(Duration::from_millis(200));
        Bar { bar }
    }

    /// Leaves the bar where it stopped (an interrupted export is not shown as full).
    pub fn finish(&self) {
        self.bar.abandon();
    }
}

/// While the list is still being read the total is a lower bound and an ETA would mislead.
const LISTING: &str = "{spinner} {elapsed_precise} [{bar:30}] {pos}/{len}+ processes · {msg}";
const KNOWN: &str =
    "{spinner} {elapsed_precise} [{bar:30}] {pos}/{len} processes · {msg} · ETA {eta}";

fn style(template: &str) -> ProgressStyle {
    ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ")
}

impl Default for Bar {
    fn default() -> Self {
        Bar::new()
    }
}

impl Progress for Bar {
    fn event(&self, event: Event<'_>, now: &Snapshot) {
        match event {
            Event::Warning(text) => self
                .bar
                .println(format!("warning: {}", crate::sanitize::terminal_text(text))),
            Event::ListDone { .. } => self.bar.set_style(style(KNOWN)),
            _ => {}
        }
        self.bar.set_length(now.total.max(now.finished()));
        self.bar.set_position(now.finished());
        self.bar.set_message(counters(now));
    }
}

/// A plain line every `every` (and at the end of the list), for when stdout is not a terminal.
pub struct Lines<W: Write + Send + 'static> {
    out: Mutex<(W, Option<Instant>)>,
    every: Duration,
    started: Instant,
}

impl<W: Write + Send + 'static> Lines<W> {
    pub fn new(out: W, every: Duration) -> Self {
        Lines {
            out: Mutex::new((out, None)),
            every,
            started: Instant::now(),
        }
    }
}

impl<W: Write + Send + 'static> Progress for Lines<W> {
    fn event(&self, event: Event<'_>, now: &Snapshot) {
        let mut guard = self.out.lock().unwrap_or_else(|p| p.into_inner());
        let (out, last) = &mut *guard;
        let due = last.is_none_or(|t| t.elapsed() >= self.every);
        let text = match event {
            Event::Warning(text) => {
                Some(format!("warning: {}", crate::sanitize::terminal_text(text)))
            }
            Event::ListDone { total } => Some(format!("export: {total} processes to export")),
            _ if due => {
                let total = if now.list_done {
                    now.total.to_string()
                } else {
                    format!("{}+", now.total)
                };
                Some(format!(
                    "export: {}/{total} processes, {} ({}s)",
                    now.finished(),
                    counters(now),
                    self.started.elapsed().as_secs()
                ))
            }
            _ => None,
        };
        if let Some(text) = text {
            // Progress lines are best effort: a closed pipe must not stop the export.
            let _ = writeln!(out, "{text}");
            *last = Some(Instant::now());
        }
    }
}
