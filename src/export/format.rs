//! The archive's format, in one place for the export that writes it and the archive browser that
//! reads it: file names, the manifest's and the journal's record types, the run's state, and the
//! list fields kept per process. How the files are written and streamed is in [`super::manifest`].
//!
//! Compatibility: every field added since version 1 has a default, so archives written by
//! earlier versions still read; a state this version does not know reads as
//! [`RunState::Unknown`] rather than failing the whole manifest.

use serde::{Deserialize, Serialize};

use crate::api::model::{ProcessResult, SUMMARY_FIELDS};

/// What was asked, counts, and at the end every process's latest record.
pub const MANIFEST: &str = "manifest.json";
/// The journal: one [`Record`] per finished process, appended as the run goes.
pub const JOURNAL: &str = "progress.jsonl";
/// The list items as received (ids mode: `{"process_id": …}`), in list order.
pub const PROCESSES: &str = "processes.jsonl";

pub const FORMAT: &str = "truora-tui-export";
pub const FORMAT_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcessState {
    /// Every file asked for is in place and matches its checksum, except those Truora no longer
    /// keeps (`missing` entries marked `permanent`).
    Complete,
    /// Something could not be exported; `error` says what, `files` lists what was.
    Failed,
    /// The run was stopped while exporting it; `files` lists what was written, which the next
    /// run reuses.
    Interrupted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileKind {
    Result,
    Details,
    Image,
}

/// One file of a process, relative to its folder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    pub path: String,
    pub kind: FileKind,
    /// The validation's id; for images its key within the result (`ProcessResult::
    /// validation_key`: the id, or `id#index` when two validations share it, or `#index`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_id: Option<String>,
    /// The image's field (`front_image`, `input_files-0`): with `validation_id`, the browser's
    /// `ImageKey`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// The link it was downloaded from, without its query (the signature), to match links found
    /// elsewhere (validation details) to the same file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub bytes: u64,
    pub sha256: String,
}

/// Something asked for that is not in the archive, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Missing {
    pub kind: FileKind,
    /// For images the validation's key (as in [`FileRecord::validation_id`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub error: String,
    /// Truora no longer has it (the image host answered 404): no later run can fetch it, and
    /// the process still counts as complete.
    #[serde(default, skip_serializing_if = "is_false")]
    pub permanent: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The state of one process after a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub process_id: String,
    /// Its folder in the archive (see [`super::layout::id_name`]).
    pub folder: String,
    pub state: ProcessState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(default)]
    pub finished_at: String,
    /// Whether images / validation details were asked for (`--no-images`, `--no-details`).
    #[serde(default = "yes")]
    pub images: bool,
    #[serde(default = "yes")]
    pub details: bool,
    /// List fields taken from the result (status, dates, reasons), so a reader can show the
    /// process without parsing its result.
    #[serde(default)]
    pub summary: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub files: Vec<FileRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<Missing>,
}

fn yes() -> bool {
    true
}

/// What was asked (never the API key).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Request {
    /// `list` (the process list endpoint) or `ids-file`.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ids_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ids: Option<usize>,
    /// SHA-256 of the ids (sorted, one per line), so a resume can tell another ids file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ids_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    pub images: bool,
    pub details: bool,
    pub concurrency: usize,
    pub identity_url: String,
    pub validations_url: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListInfo {
    /// The whole list (or ids file) was read.
    pub complete: bool,
    /// Items that passed the filters (the processes of this archive).
    pub items: u64,
    /// Items left out by `--status`/`--since`/`--until`.
    pub filtered_out: u64,
    /// Items left out because `--since`/`--until` was given and they have no readable
    /// `creation_date` to compare.
    pub undated: u64,
    /// List entries that were not processes.
    pub not_processes: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The archive's totals over every run, as `manifest.json`'s `counts` says (what one run did is
/// [`super::Counts`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Totals {
    pub processes: u64,
    pub complete: u64,
    pub failed: u64,
    /// Stopped while being exported (resumed by the next run).
    pub interrupted: u64,
    pub files: u64,
    pub images: u64,
    pub bytes: u64,
    /// Files Truora no longer keeps (image host 404), in complete processes.
    pub missing: u64,
}

/// Where a run is, as `manifest.json` says. Written as `running` when a run starts and replaced
/// by the final state when it ends, so `running` read back means the run is still going, or it
/// was killed or could not write its end (a full disk): then the journal is the truth.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    Running,
    /// Everything exported but what Truora no longer keeps.
    Complete,
    /// Some processes failed, or the list could not be read to its end.
    Incomplete,
    /// Stopped by the user (Ctrl-C); the next run resumes.
    Interrupted,
    /// Missing, or written by a newer version.
    #[default]
    #[serde(other)]
    Unknown,
}

impl RunState {
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Running => "running",
            RunState::Complete => "complete",
            RunState::Incomplete => "incomplete",
            RunState::Interrupted => "interrupted",
            RunState::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for RunState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The list fields of a result kept in its record ([`crate::api::model::SUMMARY_FIELDS`]: the
/// same fields as a list row, so an archive's rows show what the live list shows; no names or
/// document numbers), so a reader can list the process without parsing its result.
pub fn summary(result: &ProcessResult) -> serde_json::Map<String, serde_json::Value> {
    let Some(raw) = result.raw.as_object() else {
        return Default::default();
    };
    SUMMARY_FIELDS
        .iter()
        .filter_map(|k| {
            let v = raw.get(*k)?;
            (v.is_string() || v.is_number()).then(|| ((*k).to_owned(), v.clone()))
        })
        .collect()
}

/// Everything in `manifest.json` but the per-process records.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Head {
    pub format: String,
    pub format_version: u32,
    pub tool: String,
    pub tool_version: String,
    pub request: Request,
    pub state: RunState,
    pub started_at: String,
    pub updated_at: String,
    pub list: ListInfo,
    pub counts: Totals,
    /// The journal file name, for readers of a manifest whose run is still going.
    pub journal: String,
}

/// Why a manifest is not one this version can resume, if it is not.
pub fn foreign_reason(head: &Head) -> Option<String> {
    if head.format != FORMAT {
        return Some(if head.format.is_empty() {
            "it has no \"format\" field".to_owned()
        } else {
            format!(
                "its format is \"{}\", not \"{FORMAT}\"",
                crate::sanitize::terminal_text(&head.format)
                    .chars()
                    .take(60)
                    .collect::<String>()
            )
        });
    }
    if head.format_version != FORMAT_VERSION {
        return Some(format!(
            "it is format version {} and this truora-tui reads version {FORMAT_VERSION}{}",
            head.format_version,
            if head.format_version > FORMAT_VERSION {
                " (written by a newer truora-tui: use that version)"
            } else {
                ""
            }
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_states_keep_their_strings_and_an_unknown_one_still_reads() {
        for state in [
            RunState::Running,
            RunState::Complete,
            RunState::Incomplete,
            RunState::Interrupted,
        ] {
            let text = serde_json::to_string(&state).unwrap();
            assert_eq!(text, format!("\"{state}\""));
            assert_eq!(serde_json::from_str::<RunState>(&text).unwrap(), state);
        }
        let head: Head = serde_json::from_str(r#"{"state": "paused", "extra": 1}"#).unwrap();
        assert_eq!(head.state, RunState::Unknown);
        let head: Head = serde_json::from_str("{}").unwrap();
        assert_eq!(head.state, RunState::Unknown);
    }
}
