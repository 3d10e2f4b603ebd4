//! What the archive shows: the list of processes (read from disk a page at a time) and the
//! lines saying what is missing.

use crate::api::model::ProcessSummary;
use crate::export::format::{FileKind, ProcessState, RunState};
use crate::export::layout::PROCESSES;

use super::index::Place;
use super::{Archive, ArchiveError, Entry, Row, RowFrom, records};

impl Archive {
    /// The list: `processes.jsonl` in order, then exported processes it does not name (`order`:
    /// keys in the order their first record came). Only where each line is, is kept.
    pub(super) fn build_list(&mut self, order: &[u32]) {
        let mut listed = vec![false; self.ids.len()];
        let file = match self.root.open_file(PROCESSES) {
            Ok(file) => Some(file),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                // The order is lost, not the processes: they are listed from the records.
                self.problems
                    .push(format!("{e}; the list order was not read"));
                None
            }
        };
        let reading = file.as_ref().map(std::fs::File::try_clone);
        if let Some(reading) = reading {
            let read = reading.and_then(|reading| {
                records::lines(reading, &mut |span, line| {
                    let Some(id) = listed_id(line) else {
                        return true;
                    };
                    let Some(key) = self.ids.key(&id) else {
                        return true;
                    };
                    if listed.len() <= key as usize {
                        listed.resize(key as usize + 1, false);
                    }
                    if !std::mem::replace(&mut listed[key as usize], true) {
                        self.rows.push(Row {
                            key,
                            from: RowFrom::Line(span),
                        });
                    }
                    true
                })
            });
            if let Err(e) = read {
                self.problems.push(format!(
                    "cannot read {}: {e}; the list order was not read to its end",
                    self.dir.join(PROCESSES).display()
                ));
            }
        }
        self.list = file;
        for &key in order {
            if !listed.get(key as usize).copied().unwrap_or(false) {
                self.rows.push(Row {
                    key,
                    from: RowFrom::Record,
                });
            }
        }
        self.rows.shrink_to_fit();
    }

    /// A row's list fields, read from disk. What cannot be read any more (the file damaged
    /// since the archive was opened) leaves the row its id: opening it says what is wrong.
    pub(super) fn summary(&self, row: &Row) -> ProcessSummary {
        let id = self.ids.id(row.key);
        let from_line = match row.from {
            RowFrom::Line(span) => self
                .list
                .as_ref()
                .and_then(|file| records::read_at(file, span).ok())
                .and_then(|line| serde_json::from_slice(&line).ok())
                .and_then(|item| ProcessSummary::from_item(&item)),
            RowFrom::Record | RowFrom::Bare => None,
        };
        if let Some(summary) = &from_line
            && summary.status.is_some()
        {
            return from_line.unwrap_or_default();
        }
        let place = self.ids.slot(row.key).place;
        let from_record = (row.from != RowFrom::Bare && place != Place::Absent)
            .then(|| self.entry_at(place, id).ok().flatten())
            .flatten()
            .map(|entry| ProcessSummary::from_object(&entry.summary));
        let mut summary = from_record.or(from_line).unwrap_or_default();
        summary.process_id = Some(id.to_owned());
        summary
    }

    /// Turns the state of the archive into the lines of [`Archive::problems`].
    pub(super) fn describe(&mut self) {
        let failed = self
            .ids
            .slots()
            .filter(|s| s.state == Some(ProcessState::Failed))
            .count();
        if failed > 0 {
            self.problems.push(format!(
                "{} to export; opening one says what is missing",
                count(failed, "process failed", "processes failed")
            ));
        }
        let interrupted = self
            .ids
            .slots()
            .filter(|s| s.state == Some(ProcessState::Interrupted))
            .count();
        if interrupted > 0 {
            self.problems.push(format!(
                "{} stopped part way; run the export again to finish them",
                count(interrupted, "process was", "processes were")
            ));
        }
        let gone: usize = self
            .ids
            .slots()
            .filter(|s| s.state == Some(ProcessState::Complete))
            .map(|s| usize::from(s.gone))
            .sum();
        if gone > 0 {
            self.problems.push(format!(
                "{} gone from Truora when exported (the image host answered 404): re-running the export cannot fetch what no longer exists",
                count(gone, "file", "files")
            ));
        }
        let not_reached = self
            .rows
            .iter()
            .filter(|r| !self.ids.slot(r.key).is_exported())
            .count();
        if not_reached > 0 {
            self.problems.push(format!(
                "{} not in the archive (the export did not reach them)",
                count(not_reached, "listed process is", "listed processes are")
            ));
        }
        if let Some(head) = &self.head {
            // A `running` manifest is explained where the bookkeeping is read (`books`).
            if head.state == RunState::Interrupted {
                self.problems.push(format!(
                    "the export did not finish (state: {}); run it again to complete the archive",
                    head.state
                ));
            }
            if head.state != RunState::Running && !head.list.complete {
                self.problems
                    .push("the export stopped before reading the whole process list".into());
            }
            if !head.request.images {
                self.problems
                    .push("images were not exported (--no-images)".into());
            }
            if !head.request.details {
                self.problems
                    .push("validation details were not exported (--no-details)".into());
            }
        }
    }
}

/// `1 process`, `2 processes`.
pub(super) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The error for a file an entry does not have, with the reason the export recorded.
pub(super) fn missing(
    what: &str,
    entry: &Entry,
    kind: FileKind,
    validation_id: Option<&str>,
    field: Option<&str>,
) -> ArchiveError {
    let recorded = entry.missing.iter().find(|m| {
        m.kind == kind
            && (validation_id.is_none() || m.validation_id.as_deref() == validation_id)
            && (field.is_none() || m.field.as_deref() == field)
    });
    let asked = match kind {
        FileKind::Image => entry.images_asked,
        FileKind::Details => entry.details_asked,
        FileKind::Result => true,
    };
    let (why, advice) = match (recorded, asked, entry.state) {
        (_, false, _) => (
            String::new(),
            format!(
                "re-run the export without {}",
                if kind == FileKind::Image {
                    "--no-images"
                } else {
                    "--no-details"
                }
            ),
        ),
        (Some(m), _, _) if m.permanent => (
            " (Truora no longer had it when it was exported: the image host answered 404)".into(),
            "no export can fetch it".into(),
        ),
        (Some(m), _, _) => (
            format!(" (the export failed: {})", m.error),
            "re-run the export to try again".into(),
        ),
        (None, _, Some(ProcessState::Interrupted)) => (
            " (the export was stopped before fetching it)".into(),
            "re-run the export to resume it".into(),
        ),
        (None, _, None) => (
            " (the export stopped while writing this process)".into(),
            "re-run the export to resume it".into(),
        ),
        (None, _, _) => (
            entry
                .error
                .as_ref()
                .map(|e| format!(" (the export failed: {e})"))
                .unwrap_or_default(),
            "re-run the export to fetch it again".into(),
        ),
    };
    ArchiveError::Missing {
        what: what.to_owned(),
        why,
        advice,
    }
}

/// The process id of a line of `processes.jsonl`, if it is a list item with one.
fn listed_id(line: &[u8]) -> Option<String> {
    let item = serde_json::from_slice::<serde_json::Value>(line).ok()?;
    ProcessSummary::from_item(&item)?.process_id
}
