//! The archive's bookkeeping: per-process records, the journal and the manifest.
//!
//! Why two files: a manifest that is rewritten after every process costs O(processes) each time
//! and would need every record in memory; a journal costs one appended line. So:
//! - `progress.jsonl` is append-only: one [`Record`] per process, appended (and synced) only
//!   after all of that process's files are in place, or when a stop cut the process short (state
//!   `interrupted`, with the files written so far). A later line for the same process wins. A
//!   line cut short by a kill is ignored (and the next run starts on a fresh line), so the
//!   journal is consistent after Ctrl-C or a kill at any point.
//! - `manifest.json` is rewritten atomically at the start of a run (what was asked, state
//!   `running`) and at its end (state, counts, and `processes`: the latest record of every
//!   process, streamed from the journal, which is compacted to the same records).
//!
//! A reader (resume, the archive browser) takes the manifest's `processes`, then the journal's
//! lines on top: the journal is the truth while a run is going or after it was killed.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::layout::{JOURNAL, MANIFEST};
use crate::fsx::PrivateDir;

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

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Counts {
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

/// Everything in `manifest.json` but the per-process records.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Head {
    pub format: String,
    pub format_version: u32,
    pub tool: String,
    pub tool_version: String,
    pub request: Request,
    /// `running`, `complete` (everything exported but what Truora no longer keeps),
    /// `incomplete` (some failed), `interrupted`.
    pub state: String,
    pub started_at: String,
    pub updated_at: String,
    pub list: ListInfo,
    pub counts: Counts,
    /// The journal file name, for readers of a manifest whose run is still going.
    pub journal: String,
}

/// `manifest.json` as read back.
#[derive(Debug, Default, Deserialize)]
pub struct ManifestFile {
    #[serde(flatten)]
    pub head: Head,
    #[serde(default)]
    pub processes: Option<Vec<Record>>,
}

/// Reads `manifest.json`: `Ok(None)` when absent, `Err` with the reason when damaged.
pub fn read_manifest(dir: &Path) -> Result<Option<ManifestFile>, String> {
    let path = dir.join(MANIFEST);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.to_string()),
    };
    serde_json::from_reader(BufReader::new(file))
        .map(Some)
        .map_err(|e| e.to_string())
}

/// Whether the journal was written by an export: absent or empty, or its first line that can be
/// read is a [`Record`]. A folder holding someone else's `progress.jsonl` is not taken over.
pub fn journal_is_ours(dir: &Path) -> io::Result<bool> {
    let file = match File::open(dir.join(JOURNAL)) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(true),
        Err(e) => return Err(e),
    };
    for line in BufReader::new(file.take(1 << 20)).split(b'\n') {
        let line = line?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        return Ok(serde_json::from_slice::<Record>(&line).is_ok());
    }
    Ok(true)
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

/// Streams the journal's records in order; returns how many lines could not be read.
pub fn read_journal(dir: &Path, mut each: impl FnMut(Record)) -> io::Result<usize> {
    let file = match File::open(dir.join(JOURNAL)) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut bad = 0;
    for line in BufReader::new(file).split(b'\n') {
        let line = line?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Record>(&line) {
            Ok(record) => each(record),
            Err(_) => bad += 1,
        }
    }
    Ok(bad)
}

/// The journal, open for appending one record per finished process.
pub struct Journal {
    file: File,
}

impl Journal {
    /// Opens (creating) the journal; a line cut short by a kill is closed first so the next
    /// record starts on its own line.
    pub fn open(dir: &Path) -> io::Result<Journal> {
        let existed = dir.join(JOURNAL).exists();
        let root = PrivateDir::open_root(dir)?;
        let mut file = root.open_append(JOURNAL)?;
        if !existed {
            // Best effort, as for every file: a file system that cannot sync folders still works.
            let _ = root.sync();
        }
        let len = file.metadata()?.len();
        if len > 0 {
            let mut last = [0u8; 1];
            let mut reader = File::open(dir.join(JOURNAL))?;
            reader.seek(SeekFrom::Start(len - 1))?;
            reader.read_exact(&mut last)?;
            if last[0] != b'\n' {
                file.write_all(b"\n")?;
            }
        }
        Ok(Journal { file })
    }

    /// Appends one record as a single write of one line, and syncs it: once this returns, the
    /// process counts as done even after a power cut. Blocking: call from `spawn_blocking`.
    pub fn append(&mut self, record: &Record) -> io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()
    }
}

/// Writes `manifest.json` with no records (the start of a run). Blocking.
pub fn write_head(dir: &Path, head: &Head) -> io::Result<()> {
    let text = serde_json::to_vec_pretty(head).map_err(io::Error::other)?;
    Ok(PrivateDir::open_root(dir)?.write_atomic(MANIFEST, &text)?)
}

/// Per process: the journal line of its latest record, and what that record counts for.
struct Latest {
    line: usize,
    state: ProcessState,
    files: u64,
    images: u64,
    bytes: u64,
    missing: u64,
}

/// Ends a run: `manifest.json` gets `head` (with counts from the journal) and the latest record
/// of every process; the journal is compacted to the same records. Two streaming passes over
/// the journal, so memory stays small however many processes there are. Returns the counts.
pub fn finish(dir: &Path, head: &mut Head) -> io::Result<Counts> {
    let mut latest: HashMap<String, Latest> = HashMap::new();
    let mut line = 0;
    read_journal(dir, |r| {
        let images = r.files.iter().filter(|f| f.kind == FileKind::Image);
        let entry = Latest {
            line,
            state: r.state,
            files: r.files.len() as u64,
            images: images.clone().count() as u64,
            // Sizes come from a file anyone could edit: never overflow on them.
            bytes: r
                .files
                .iter()
                .fold(0u64, |sum, f| sum.saturating_add(f.bytes)),
            missing: r.missing.iter().filter(|m| m.permanent).count() as u64,
        };
        latest.insert(r.process_id, entry);
        line += 1;
    })?;
    let mut counts = Counts {
        processes: latest.len() as u64,
        ..Counts::default()
    };
    for l in latest.values() {
        match l.state {
            ProcessState::Complete => {
                counts.complete += 1;
                counts.missing = counts.missing.saturating_add(l.missing);
            }
            ProcessState::Failed => counts.failed += 1,
            ProcessState::Interrupted => counts.interrupted += 1,
        }
        counts.files = counts.files.saturating_add(l.files);
        counts.images = counts.images.saturating_add(l.images);
        counts.bytes = counts.bytes.saturating_add(l.bytes);
    }
    head.counts = counts.clone();
    let mut keep: Vec<usize> = latest.values().map(|l| l.line).collect();
    keep.sort_unstable();
    drop(latest);

    let root = PrivateDir::open_root(dir)?;
    let manifest = root.temp_file(MANIFEST)?;
    let journal = root.temp_file(JOURNAL)?;
    let mut m = BufWriter::new(&manifest.file);
    let mut j = BufWriter::new(&journal.file);
    let head_text = serde_json::to_string_pretty(head).map_err(io::Error::other)?;
    let open = head_text.trim_end().trim_end_matches('}').trim_end();
    write!(m, "{open},\n  \"processes\": [")?;
    let (mut line, mut next, mut first) = (0, 0, true);
    let mut failure: Option<io::Error> = None;
    read_journal(dir, |r| {
        if keep.get(next) == Some(&line) {
            next += 1;
            let written = serde_json::to_string(&r)
                .map_err(io::Error::other)
                .and_then(|text| {
                    let sep = if first { "\n    " } else { ",\n    " };
                    first = false;
                    write!(m, "{sep}{text}")?;
                    writeln!(j, "{text}")
                });
            if let Err(e) = written {
                failure.get_or_insert(e);
            }
        }
        line += 1;
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    m.write_all(if first { b"]\n}\n" } else { b"\n  ]\n}\n" })?;
    m.into_inner().map_err(|e| e.into_error())?;
    j.into_inner().map_err(|e| e.into_error())?;
    // The journal first: a crash between the renames leaves the old manifest with a journal
    // holding the same latest records, which readers merge anyway.
    journal.commit()?;
    manifest.commit()?;
    Ok(counts)
}
