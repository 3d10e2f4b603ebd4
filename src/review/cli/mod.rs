//! `truora-tui reviews export | import | list | stats`: the review store from the shell.
//!
//! Each command is a function of the store's path, its arguments and a writer, so tests run them
//! without a process; `main` only parses flags and maps the error to an exit code.
//!
//! Everything printed may come from another reviewer's imported log (notes, reviewer names,
//! process ids, statuses), so every output is neutralised by [`crate::sanitize`]: the CSV's
//! cells for terminals and spreadsheets (`review/csv.rs`), the JSONL with every terminal control
//! escaped ([`terminal_json`](crate::sanitize::terminal_json): the same JSON to a reader), the
//! lines of `list`, `stats` and `import` with terminal controls removed
//! ([`terminal_text`](crate::sanitize::terminal_text)).
//!
//! One file per command: [`export`](mod@export), [`import`](mod@import), `list` and `stats`
//! ([`read`]); what they fail with in [`error`].

mod error;
mod export;
mod import;
mod read;

use std::collections::BTreeMap;

pub use error::ReviewsError;
pub use export::{CSV_HEADER, ExportArgs, ExportFormat, export};
pub use import::{ImportReport, import};
pub use read::{ListArgs, list, stats};

use crate::review::chains::fold;
use crate::review::mark::Review;
use crate::review::model::{Event, Verdict};
use crate::review::store::{Store, StoreError};

/// One process's events and what they add up to.
struct Process {
    id: String,
    events: Vec<Event>,
    review: Review,
}

fn processes(store: &Store) -> Result<Vec<Process>, StoreError> {
    let mut by_process: BTreeMap<String, Vec<Event>> = BTreeMap::new();
    for e in store.all_events()? {
        by_process.entry(e.process_id.clone()).or_default().push(e);
    }
    let mut list: Vec<Process> = by_process
        .into_iter()
        .map(|(id, events)| Process {
            review: fold(&events),
            id,
            events,
        })
        .collect();
    list.sort_by(|a, b| (a.review.last_at, &a.id).cmp(&(b.review.last_at, &b.id)));
    Ok(list)
}

fn wanted(review: &Review, verdicts: &[Verdict]) -> bool {
    verdicts.is_empty() || review.verdict.is_some_and(|v| verdicts.contains(&v))
}

/// The end of a command that read the store: fails, after its output, if an event was passed
/// over.
fn unreadable_at_end(store: &Store) -> Result<(), ReviewsError> {
    let events = store.unreadable();
    if events.is_empty() {
        return Ok(());
    }
    Err(ReviewsError::Unreadable {
        path: store.path().to_path_buf(),
        events,
    })
}
