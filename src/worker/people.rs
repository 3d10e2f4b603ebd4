//! An archive's people, read in the background: every result is local, so every row can show
//! (and the filter find) who its process is about without being opened. The reading runs on
//! its own thread, in list order, and sends batches as it goes: the list is usable from the
//! first page on, however big the archive, and the rows fill in as the reading goes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::jobs::Jobs;
use crate::api::model::Person;
use crate::app::Message;
use crate::app::list::PersonAt;
use crate::archive::Archive;

/// People per batch, and the longest a found person waits to be sent: few messages on a big
/// archive, rows filling in visibly on a small one.
const BATCH: usize = 512;
const BATCH_WAIT: Duration = Duration::from_millis(150);

/// Starts reading. It stops early when the app is gone (its message channel closed).
pub(super) fn spawn(archive: Arc<Archive>, jobs: Arc<Jobs>) {
    let started = std::thread::Builder::new()
        .name("archive-people".into())
        .spawn(move || read(&archive, &jobs));
    if let Err(e) = started {
        tracing::warn!("cannot start reading the archive's people: {e}");
    }
}

fn read(archive: &Archive, jobs: &Jobs) {
    let started = Instant::now();
    let mut batch = Vec::new();
    let mut since = Instant::now();
    let mut found = 0usize;
    for row in 0..archive.len() {
        if jobs.closed() {
            return;
        }
        let Some(id) = archive.row_id(row) else {
            continue;
        };
        // A missing or damaged result is said when its process is opened; here it names nobody.
        let Ok((_, result)) = archive.result(id) else {
            continue;
        };
        if let Some(person) = Person::of(&result) {
            batch.push(PersonAt {
                row,
                process_id: id.to_owned(),
                person,
            });
            found += 1;
        }
        if batch.len() >= BATCH || (!batch.is_empty() && since.elapsed() >= BATCH_WAIT) {
            jobs.send(Message::People(std::mem::take(&mut batch)));
            since = Instant::now();
        }
    }
    if !batch.is_empty() {
        jobs.send(Message::People(batch));
    }
    tracing::info!(
        people = found,
        processes = archive.len(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "read the archive's people"
    );
}
