//! Telling the user (or a test) how the export is going.
//!
//! The export reports [`Event`]s with a [`Snapshot`] of its counters to a [`Progress`]; it never
//! prints. The command line picks [`Bar`] (indicatif) on a terminal and [`Lines`] (a plain line
//! every few seconds, for logs and CI) otherwise; tests pass a closure, which can also stop the
//! export at a chosen point.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::Counts;

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
    pub counts: Counts,
    /// The whole list has been read: `counts.listed` is the total, not a lower bound.
    pub list_done: bool,
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

/// The live counters behind [`Snapshot`]. One lock around one [`Counts`]: events come per
/// file and per process, so it is never contended for long, and every snapshot is consistent.
#[derive(Default)]
pub(crate) struct Tally(Mutex<Snapshot>);

impl Tally {
    /// Counts an event, then returns the counters including it.
    pub(crate) fn count(&self, event: &Event<'_>) -> Snapshot {
        let mut guard = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let now: &mut Snapshot = &mut guard;
        let counts = &mut now.counts;
        let add = |c: &mut u64, n| *c = c.saturating_add(n);
        match *event {
            Event::Listed { added } => add(&mut counts.listed, added),
            Event::ListDone { total } => {
                counts.listed = total;
                now.list_done = true;
            }
            Event::FileWritten { bytes, image } => {
                add(&mut counts.files, 1);
                add(&mut counts.bytes, bytes);
                if image {
                    add(&mut counts.images, 1);
                }
            }
            Event::ProcessDone { skipped: true, .. } => add(&mut counts.skipped, 1),
            Event::ProcessDone { error: Some(_), .. } => add(&mut counts.failed, 1),
            Event::ProcessDone { .. } => add(&mut counts.exported, 1),
            Event::ResultFetched { .. } | Event::Warning(_) => {}
        }
        *now
    }

    pub(crate) fn snapshot(&self) -> Snapshot {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One line of counters, shared by both reporters.
fn counters(s: &Counts) -> String {
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
        let counts = &now.counts;
        self.bar.set_length(counts.listed.max(counts.finished()));
        self.bar.set_position(counts.finished());
        self.bar.set_message(counters(counts));
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
                let counts = &now.counts;
                let total = if now.list_done {
                    counts.listed.to_string()
                } else {
                    format!("{}+", counts.listed)
                };
                Some(format!(
                    "export: {}/{total} processes, {} ({}s)",
                    counts.finished(),
                    counters(counts),
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
