//! `reviews export`: the CSV for applying overrides in Truora's dashboard, or the event log
//! itself as JSON lines for `reviews import` elsewhere; to standard output or, 0600 and
//! atomically, to `--out`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Process, ReviewsError, processes, unreadable_at_end, wanted};
use crate::fsx::{FsError, PrivateDir};
use crate::review::chains::history;
use crate::review::csv;
use crate::review::id::Timestamp;
use crate::review::model::{EventKind, Verdict};
use crate::review::store::Store;
use crate::review::wire;
use crate::sanitize::terminal_json;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExportFormat {
    /// One row per reviewed process, for applying overrides in Truora's dashboard.
    #[default]
    Csv,
    /// The event log itself, for `reviews import` on another machine.
    Jsonl,
}

#[derive(Clone, Debug, Default)]
pub struct ExportArgs {
    pub format: ExportFormat,
    /// Write here (0600, atomically) instead of standard output.
    pub out: Option<PathBuf>,
    /// Replace `out` if it exists (else an existing file is refused).
    pub force: bool,
    /// Only what happened at or after this date or time.
    pub since: Option<String>,
    /// Only processes whose standing verdict is one of these (all when empty).
    pub verdicts: Vec<Verdict>,
}

/// The CSV header; `override` is Truora's direction (`failure→success`), empty when the verdict
/// agrees with Truora.
pub const CSV_HEADER: [&str; 9] = [
    "process_id",
    "truora_status",
    "verdict",
    "override",
    "reason",
    "note",
    "reviewer",
    "time",
    "conflict",
];

fn parse_since(since: Option<&String>) -> Result<Option<Timestamp>, ReviewsError> {
    since
        .map(|s| Timestamp::parse(s).ok_or_else(|| ReviewsError::BadSince(s.clone())))
        .transpose()
}

pub fn export(
    store_path: &Path,
    args: &ExportArgs,
    stdout: &mut dyn Write,
) -> Result<(), ReviewsError> {
    let store = Store::open_read_only(store_path)?;
    let since = parse_since(args.since.as_ref())?;
    let mut text = String::new();
    let list = processes(&store)?;
    let chosen = list.iter().filter(|p| wanted(&p.review, &args.verdicts));
    match args.format {
        ExportFormat::Jsonl => {
            for e in chosen.flat_map(|p| &p.events) {
                if since.is_none_or(|s| e.at >= s) {
                    // Escaped whether or not stdout is a terminal: `import` reads the same
                    // event, and a file printed later with `cat` is as safe.
                    text.push_str(&terminal_json(&wire::to_line(e)));
                    text.push('\n');
                }
            }
        }
        ExportFormat::Csv => {
            text.push_str(&csv::record(&CSV_HEADER));
            for p in chosen.filter(|p| since.is_none_or(|s| p.review.last_at >= Some(s))) {
                text.push_str(&csv::record(&csv_row(p)));
            }
        }
    }
    match &args.out {
        Some(path) => write_out(path, text.as_bytes(), args.force)?,
        None => stdout.write_all(text.as_bytes())?,
    }
    unreadable_at_end(&store)
}

fn csv_row(p: &Process) -> Vec<String> {
    let r = &p.review;
    let direction = r
        .verdict
        .and_then(|v| crate::review::model::Direction::of(v, r.seen_status.as_ref()));
    let notes: Vec<String> = history(&p.events)
        .into_iter()
        .filter(|l| !l.superseded)
        .filter_map(|l| match l.event.kind {
            EventKind::Note { text } => Some(text),
            _ => None,
        })
        .collect();
    vec![
        p.id.clone(),
        r.seen_status
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        r.verdict.map(|v| v.to_string()).unwrap_or_default(),
        direction.map(|d| d.label().to_string()).unwrap_or_default(),
        r.reason.map(|x| x.to_string()).unwrap_or_default(),
        notes.join(" | "),
        r.decided_by
            .as_deref()
            .or(r.last_reviewer.as_deref())
            .unwrap_or_default()
            .to_owned(),
        r.decided_at
            .or(r.last_at)
            .map(Timestamp::iso)
            .unwrap_or_default(),
        if r.conflict { "yes" } else { "" }.to_string(),
    ]
}

/// Writes `bytes` as the file `path` through [`crate::fsx`]: 0600, whole or not at all (a temp
/// file renamed into place), never through a link. An existing file (or link, or anything) of
/// that name is refused unless `force`, and then replaced atomically: a reader sees the old file
/// or the new one. A bare name is a file in the current folder.
fn write_out(path: &Path, bytes: &[u8], force: bool) -> Result<(), ReviewsError> {
    let out = |e: FsError| ReviewsError::Out(e);
    let Some(name) = path.file_name() else {
        return Err(out(FsError::NotAPlainFile {
            path: path.to_path_buf(),
            what: "not a file name",
        }));
    };
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let dir = PrivateDir::create_root(folder).map_err(out)?;
    let mut temp = dir.temp_file(name).map_err(out)?;
    temp.write_all(bytes).map_err(out)?;
    if force {
        return temp.commit().map_err(out);
    }
    // A hard link claims the name only if it is free, so a file that appears meanwhile is not
    // replaced either; the temp name goes with `temp`.
    match temp.link_new(name) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(ReviewsError::OutExists {
            path: path.to_path_buf(),
        }),
        Err(e) => Err(out(e)),
    }
}
