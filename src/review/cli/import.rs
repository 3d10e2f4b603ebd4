//! `reviews import`: a JSONL file of events added to the store, all or nothing checked first,
//! then in batches; the conflicts it makes are named.

use std::io::Write;
use std::path::Path;

use super::ReviewsError;
use crate::review::chains::{fold, standings};
use crate::review::id::Timestamp;
use crate::review::model::{Event, EventKind};
use crate::review::store::Store;
use crate::sanitize::terminal_text;

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    pub read: usize,
    pub added: usize,
    /// Processes the file touched whose chain ends now disagree.
    pub conflicts: Vec<String>,
}

/// Checks every line of `file` first (a refused line imports nothing, and every one is named),
/// then adds the events not yet present, a batch per transaction (see [`crate::review::import`]).
pub fn import(
    store_path: &Path,
    file: &Path,
    out: &mut dyn Write,
) -> Result<ImportReport, ReviewsError> {
    use crate::review::import::{ImportIoError, add, refused_lines};
    let io = |source| ReviewsError::Io {
        path: file.to_path_buf(),
        source,
    };
    let open = || {
        std::fs::File::open(file)
            .map(std::io::BufReader::new)
            .map_err(io)
    };
    let failed = |e| match e {
        ImportIoError::Io(source) => io(source),
        ImportIoError::Store(e) => ReviewsError::Store(e),
    };
    // The check reads the store only if there is one: a refused file creates nothing.
    let existing = if store_path.exists() {
        Some(Store::open_read_only(store_path)?)
    } else {
        None
    };
    let (mut refused, _) =
        refused_lines(open()?, existing.as_ref(), Timestamp::now()).map_err(failed)?;
    drop(existing);
    if !refused.is_empty() {
        let first = refused.remove(0);
        return Err(ReviewsError::BadLine {
            path: file.to_path_buf(),
            line: first.line,
            detail: first.why,
            more: refused,
        });
    }
    let mut store = Store::open(store_path)?;
    let added = add(open()?, &mut store).map_err(|e| match e {
        ImportIoError::Store(e) => ReviewsError::Stopped(e),
        ImportIoError::Io(source) => io(source),
    })?;
    writeln!(
        out,
        "imported {} new event(s) of {} from {} into {} ({} already there)",
        added.added,
        added.read,
        file.display(),
        store.path().display(),
        added.already
    )?;
    let mut conflicts = Vec::new();
    for id in &added.touched {
        let events = store.events_for(id)?;
        if fold(&events).conflict {
            writeln!(out, "conflict: {}", describe_conflict(id, &events))?;
            conflicts.push(id.clone());
        }
    }
    if !conflicts.is_empty() {
        writeln!(
            out,
            "{} process(es) in conflict: open them in the browser and decide again to settle them",
            conflicts.len()
        )?;
    }
    if !added.differing.is_empty() {
        return Err(ReviewsError::Kept {
            path: file.to_path_buf(),
            lines: added.differing,
        });
    }
    Ok(ImportReport {
        read: added.read,
        added: added.added,
        conflicts,
    })
}

fn describe_conflict(process_id: &str, events: &[Event]) -> String {
    let sides: Vec<String> = standings(events)
        .into_iter()
        .map(|s| match s {
            Some(e) => format!("{} {}", e.reviewer, verdict_text(&e.kind)),
            None => "withdrawn".to_string(),
        })
        .collect();
    terminal_text(&format!("{process_id}: {}", sides.join(" vs ")).to_string()).into_owned()
}

fn verdict_text(kind: &EventKind) -> String {
    match kind {
        EventKind::Verdict {
            verdict,
            reason: Some(r),
        } => format!("{verdict} ({r})"),
        EventKind::Verdict {
            verdict,
            reason: None,
        } => verdict.to_string(),
        other => other.wire_name().to_string(),
    }
}
