//! What the archive shows: the list of processes and the lines saying what is missing.

use std::collections::HashSet;

use crate::api::model::ProcessSummary;
use crate::export::format::{FileKind, ProcessState, RunState};
use crate::export::layout::PROCESSES;

use super::{Archive, ArchiveError, Entry};

impl Archive {
    /// The list: `processes.jsonl` in order, then exported processes it does not name.
    pub(super) fn build_list(&mut self, order: Vec<String>) {
        let mut listed = HashSet::new();
        let text = match self.root.read(PROCESSES) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                // The order is lost, not the processes: they are listed from the records.
                self.problems
                    .push(format!("{e}; the list order was not read"));
                None
            }
        };
        if let Some(text) = text {
            for line in text.split(|b| *b == b'\n') {
                let Ok(item) = serde_json::from_slice::<serde_json::Value>(line) else {
                    continue;
                };
                let Some(mut summary) = ProcessSummary::from_item(&item) else {
                    continue;
                };
                let Some(id) = summary.process_id.clone() else {
                    continue;
                };
                if !listed.insert(id.clone()) {
                    continue;
                }
                if summary.status.is_none()
                    && let Some(entry) = self.entries.get(&id)
                {
                    summary = ProcessSummary::from_object(&entry.summary);
                    summary.process_id = Some(id);
                }
                self.list.push(summary);
            }
        }
        for id in order {
            if listed.insert(id.clone()) {
                let entry = &self.entries[&id];
                let mut summary = ProcessSummary::from_object(&entry.summary);
                summary.process_id = Some(id);
                self.list.push(summary);
            }
        }
    }

    /// Turns the state of the archive into the lines of [`Archive::problems`].
    pub(super) fn describe(&mut self) {
        let failed = self
            .entries
            .values()
            .filter(|e| e.state == Some(ProcessState::Failed))
            .count();
        if failed > 0 {
            self.problems.push(format!(
                "{} to export; opening one says what is missing",
                count(failed, "process failed", "processes failed")
            ));
        }
        let interrupted = self
            .entries
            .values()
            .filter(|e| e.state == Some(ProcessState::Interrupted))
            .count();
        if interrupted > 0 {
            self.problems.push(format!(
                "{} stopped part way; run the export again to finish them",
                count(interrupted, "process was", "processes were")
            ));
        }
        let gone: usize = self
            .entries
            .values()
            .filter(|e| e.state == Some(ProcessState::Complete))
            .map(|e| e.missing.iter().filter(|m| m.permanent).count())
            .sum();
        if gone > 0 {
            self.problems.push(format!(
                "{} gone from Truora when exported (the image host answered 404): re-running the export cannot fetch what no longer exists",
                count(gone, "file", "files")
            ));
        }
        let not_reached = self
            .list
            .iter()
            .filter(|s| {
                s.process_id
                    .as_ref()
                    .is_some_and(|id| !self.entries.contains_key(id))
            })
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
