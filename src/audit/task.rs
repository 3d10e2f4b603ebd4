//! The background writer: the UI hands events to a channel and never waits for the disk.
//!
//! One blocking task per session takes everything queued, appends it as one batch (one lock,
//! one write, one fsync) and goes back to waiting. A batch that cannot be written is kept and
//! tried again with the next one (up to [`MAX_PENDING`] records), and the failure is reported
//! once through the warning callback — the status bar in the browser, stderr for `export` —
//! and once more when writing works again. Nothing here panics or ends the program.

use std::path::PathBuf;
use std::time::SystemTime;

use tokio::sync::{mpsc, oneshot};

use super::anchoring::AnchorOutcome;
use super::event::AuditEvent;
use super::writer::Writer;

/// Records kept in memory while the log cannot be written; older ones are dropped beyond it
/// (and the warning says how many).
pub const MAX_PENDING: usize = 10_000;

/// Where warnings about the log go; called from the background task.
pub type WarningSink = Box<dyn Fn(String) + Send + 'static>;

// Nearly every job is a record, so boxing it would only add an allocation per event.
#[allow(clippy::large_enum_variant)]
enum Job {
    Record(SystemTime, AuditEvent),
    Flush(oneshot::Sender<()>),
    /// Write what is queued and stop, even while other senders are still alive.
    Close,
}

/// A cheap, cloneable handle to record events; a disabled log records nothing.
#[derive(Clone, Debug, Default)]
pub struct AuditSender {
    tx: Option<mpsc::UnboundedSender<Job>>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Job::Record(_, event) => write!(f, "Record({})", event.name()),
            Job::Flush(_) => f.write_str("Flush"),
            Job::Close => f.write_str("Close"),
        }
    }
}

impl AuditSender {
    /// A sender that drops everything (the log is off).
    pub fn disabled() -> AuditSender {
        AuditSender { tx: None }
    }

    pub fn is_enabled(&self) -> bool {
        self.tx.is_some()
    }

    /// Queues an event, stamped now. Never blocks.
    pub fn record(&self, event: AuditEvent) {
        self.record_at(SystemTime::now(), event);
    }

    /// Queues an event with the time it happened.
    pub fn record_at(&self, time: SystemTime, event: AuditEvent) {
        if let Some(tx) = &self.tx {
            // A closed channel means the log was finished; late events have nowhere to go.
            let _ = tx.send(Job::Record(time, event));
        }
    }

    /// Resolves once everything queued before it has been written (or has failed).
    pub async fn flush(&self) {
        if let Some(tx) = &self.tx {
            let (done, wait) = oneshot::channel();
            if tx.send(Job::Flush(done)).is_ok() {
                let _ = wait.await;
            }
        }
    }
}

/// The session's log: its sender and the task writing it.
pub struct AuditLog {
    sender: AuditSender,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl AuditLog {
    /// A log that records nothing.
    pub fn disabled() -> AuditLog {
        AuditLog {
            sender: AuditSender::disabled(),
            task: None,
        }
    }

    /// Starts the writer task for the log in `dir`, anchored nowhere (tests and benches of the
    /// chain alone; sessions anchor, see [`AuditLog::start_writer`]). Needs a tokio runtime.
    pub fn start(dir: PathBuf, session: String, warn: WarningSink) -> AuditLog {
        AuditLog::start_writer(Writer::new(dir, session), warn)
    }

    /// Starts the task writing through `writer`. Needs a tokio runtime.
    pub fn start_writer(writer: Writer, warn: WarningSink) -> AuditLog {
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::task::spawn_blocking(move || write_loop(writer, rx, warn));
        AuditLog {
            sender: AuditSender { tx: Some(tx) },
            task: Some(task),
        }
    }

    pub fn sender(&self) -> AuditSender {
        self.sender.clone()
    }

    pub fn record(&self, event: AuditEvent) {
        self.sender.record(event);
    }

    /// Records the session's end, writes everything queued and stops the task. Events sent
    /// after this through other senders are dropped.
    pub async fn finish(mut self) {
        self.sender.record(AuditEvent::SessionEnd);
        if let Some(tx) = self.sender.tx.take() {
            let _ = tx.send(Job::Close);
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Warns once when the head stops being anchored, and once when it is again.
fn say_anchoring(writer: &Writer, outcome: &AnchorOutcome, failing: &mut bool, warn: &WarningSink) {
    let store = writer
        .store()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    match outcome {
        AnchorOutcome::NotAnchored(failure) if !std::mem::replace(failing, true) => {
            tracing::warn!("access log: not anchored: {}", failure.detail);
            warn(format!(
                "access log: the head is not anchored in the review store {store}: {}; records \
                 are still written, and `audit --verify` reports them as not vouched for",
                failure.detail
            ));
        }
        AnchorOutcome::Anchored if std::mem::take(failing) => warn(format!(
            "access log: anchoring in the review store {store} works again; the records written \
             meanwhile are vouched for by the new head"
        )),
        _ => {}
    }
}

fn write_loop(mut writer: Writer, mut rx: mpsc::UnboundedReceiver<Job>, warn: WarningSink) {
    let mut pending: Vec<(SystemTime, AuditEvent)> = Vec::new();
    let mut dropped = 0usize;
    let mut failing = false;
    let mut anchor_failing = false;
    let mut closing = false;
    while let Some(first) = rx.blocking_recv() {
        let mut acks = Vec::new();
        let mut next = Some(first);
        while let Some(job) = next.take() {
            match job {
                Job::Record(time, event) => pending.push((time, event)),
                Job::Flush(done) => acks.push(done),
                Job::Close => closing = true,
            }
            if !closing {
                next = rx.try_recv().ok();
            }
        }
        if !pending.is_empty() {
            match writer.append(&pending) {
                Ok(outcome) => {
                    pending.clear();
                    say_anchoring(&writer, &outcome, &mut anchor_failing, &warn);
                    if std::mem::take(&mut failing) {
                        warn(format!(
                            "access log: writing to {} works again; the records held meanwhile are written{}",
                            writer.dir().display(),
                            match dropped {
                                0 => String::new(),
                                n => format!(" ({n} were dropped while it failed)"),
                            }
                        ));
                        dropped = 0;
                    }
                }
                Err(e) => {
                    tracing::warn!("access log: {e}");
                    if pending.len() > MAX_PENDING {
                        let excess = pending.len() - MAX_PENDING;
                        pending.drain(..excess);
                        dropped += excess;
                    }
                    if !std::mem::replace(&mut failing, true) {
                        warn(format!(
                            "access log: {e}; records are held and retried (check the folder or set --audit-log)"
                        ));
                    }
                }
            }
        }
        for done in acks {
            let _ = done.send(());
        }
        if closing {
            break;
        }
    }
    if !pending.is_empty() {
        warn(format!(
            "access log: {} records could not be written to {}",
            pending.len(),
            writer.dir().display()
        ));
    }
}
