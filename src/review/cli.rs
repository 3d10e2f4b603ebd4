//! `truora-tui reviews export | import | list | stats`: the review store from the shell.
//!
//! Each command is a function of the store's path, its arguments and a writer, so tests run them
//! without a process; `main` only parses flags and maps the error to an exit code.
//!
//! Everything printed may come from another reviewer's imported log (notes, reviewer names,
//! process ids, statuses), so every output is neutralised by [`crate::sanitize`]: the CSV's
//! cells for terminals and spreadsheets ([`csv`]), the JSONL with every terminal control escaped
//! ([`terminal_json`]: the same JSON to a reader), the lines of `list`, `stats` and `import` with
//! terminal controls removed ([`terminal_text`]).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::csv;
use super::id::Timestamp;
use super::mark::{Review, fold, history, standings};
use super::model::{Event, EventKind, Verdict};
use super::store::{Store, StoreError};
use super::wire;
use crate::fsx::{FsError, PrivateDir};
use crate::sanitize::{terminal_json, terminal_text};

#[derive(Debug, thiserror::Error)]
pub enum ReviewsError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
    /// `--out` names a file that is there already, and `--force` was not given.
    #[error(
        "{} already exists: give --force to replace it, or choose another --out",
        path.display()
    )]
    OutExists { path: PathBuf },
    /// `--out` could not be written (a link in its place below the folder, permissions, space).
    #[error("cannot write --out: {0}")]
    Out(FsError),
    /// Lines `reviews import` refused: the first, and every other one.
    #[error("{}", refused_text(.path, .line, .detail, .more))]
    BadLine {
        path: PathBuf,
        line: usize,
        detail: String,
        more: Vec<super::import::Refused>,
    },
    #[error("--since {0:?} is not a date (use YYYY-MM-DD or an RFC 3339 time)")]
    BadSince(String),
    /// The store failed part-way through `import` (busy for long, the disk full).
    #[error(
        "{0}; the batches added before that stay: import the file again to add the rest \
         (importing twice changes nothing)"
    )]
    Stopped(StoreError),
    /// Events that another program put in the store, with other content, while `import` ran:
    /// the stored ones were kept, everything else imported.
    #[error(
        "{}: {} event(s) appeared in the store with other content while importing; the stored \
         ones were kept, everything else was imported:{}",
        .path.display(),
        .lines.len(),
        .lines.iter().map(|r| format!("\n  {r}")).collect::<String>()
    )]
    Kept {
        path: PathBuf,
        lines: Vec<super::import::Refused>,
    },
    /// Events the store holds but cannot read: everything else was written, these were left
    /// out, and the command exits 1 so a script notices.
    #[error("{}", unreadable_text(.path, .events))]
    Unreadable {
        path: PathBuf,
        events: Vec<super::Unreadable>,
    },
}

fn unreadable_text(path: &Path, events: &[super::Unreadable]) -> String {
    let list: String = events.iter().map(|e| format!("\n  {e}")).collect();
    format!(
        "the review store {} holds {} event(s) that cannot be read; they were left out, the \
         rest is above:{list}\ntruora-tui did not write them: restore the store from a backup, \
         or delete those rows with sqlite3",
        path.display(),
        events.len()
    )
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

/// `FILE, line 3: why; nothing was imported …`, every other refused line on a line of its own.
fn refused_text(
    path: &Path,
    line: &usize,
    detail: &str,
    more: &[super::import::Refused],
) -> String {
    let others: String = more.iter().map(|r| format!("\n  {r}")).collect();
    let which = if more.is_empty() {
        "the line"
    } else {
        "these lines"
    };
    format!(
        "{}, line {line}: {detail}{others}\nnothing was imported: fix or remove {which} and \
         import again",
        path.display()
    )
}

impl ReviewsError {
    /// A mistake in the command line (exit 2), as opposed to a store or a disk failing (exit 1).
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            ReviewsError::BadSince(_) | ReviewsError::OutExists { .. }
        )
    }
}

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

#[derive(Clone, Debug, Default)]
pub struct ListArgs {
    pub conflicts: bool,
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
        .and_then(|v| super::model::Direction::of(v, r.seen_status.as_ref()));
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

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    pub read: usize,
    pub added: usize,
    /// Processes the file touched whose chain ends now disagree.
    pub conflicts: Vec<String>,
}

/// Checks every line of `file` first (a refused line imports nothing, and every one is named),
/// then adds the events not yet present, a batch per transaction (see [`super::import`]).
pub fn import(
    store_path: &Path,
    file: &Path,
    out: &mut dyn Write,
) -> Result<ImportReport, ReviewsError> {
    use super::import::{ImportIoError, add, refused_lines};
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

pub fn list(store_path: &Path, args: &ListArgs, out: &mut dyn Write) -> Result<(), ReviewsError> {
    let store = Store::open_read_only(store_path)?;
    let rows: Vec<Process> = processes(&store)?
        .into_iter()
        .filter(|p| wanted(&p.review, &args.verdicts) && (!args.conflicts || p.review.conflict))
        .collect();
    // Cleaned before the columns are measured, so a stripped escape does not shift them.
    let ids: Vec<Cow<'_, str>> = rows.iter().map(|p| terminal_text(&p.id)).collect();
    let width = ids
        .iter()
        .map(|id| id.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    writeln!(
        out,
        "{:width$}  {:8}  {:15}  {:22}  {:5}  {:24}  FLAGS",
        "PROCESS", "VERDICT", "OVERRIDE", "REASON", "NOTES", "LAST"
    )?;
    for (p, id) in rows.iter().zip(&ids) {
        let r = &p.review;
        let direction = r
            .verdict
            .and_then(|v| super::model::Direction::of(v, r.seen_status.as_ref()));
        let last = format!(
            "{} {}",
            r.last_at
                .map(Timestamp::iso)
                .unwrap_or_default()
                .get(..16)
                .unwrap_or(""),
            terminal_text(r.last_reviewer.as_deref().unwrap_or(""))
        );
        let line = format!(
            "{:width$}  {:8}  {:15}  {:22}  {:5}  {:24}  {}",
            id,
            r.verdict
                .map(|v| v.to_string())
                .unwrap_or_else(|| "-".into()),
            direction.map_or("-", |d| d.label()),
            r.reason.map_or("-", |x| x.wire_name()),
            r.notes,
            last,
            if r.conflict { "CONFLICT" } else { "" }
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out, "{} process(es)", rows.len())?;
    unreadable_at_end(&store)
}

pub fn stats(store_path: &Path, out: &mut dyn Write) -> Result<(), ReviewsError> {
    let store = Store::open_read_only(store_path)?;
    let list = processes(&store)?;
    let count = |f: &dyn Fn(&Review) -> bool| list.iter().filter(|p| f(&p.review)).count();
    let events: usize = list.iter().map(|p| p.events.len()).sum();
    // Per reviewer: events written, and standing verdicts (the processes they decided last).
    let mut reviewers: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for e in list.iter().flat_map(|p| &p.events) {
        reviewers.entry(e.reviewer.as_str()).or_default().0 += 1;
    }
    for who in list.iter().filter_map(|p| p.review.decided_by.as_deref()) {
        reviewers.entry(who).or_default().1 += 1;
    }
    let overrides = |d| {
        count(&|r: &Review| {
            r.verdict
                .and_then(|v| super::model::Direction::of(v, r.seen_status.as_ref()))
                == Some(d)
        })
    };
    writeln!(
        out,
        "store        {}",
        terminal_text(&store.path().display().to_string())
    )?;
    writeln!(
        out,
        "processes    {} with events, {events} event(s), {} reviewer(s)",
        list.len(),
        reviewers.len()
    )?;
    writeln!(
        out,
        "verdicts     {} pass, {} fail, {} escalate",
        count(&|r| r.verdict == Some(Verdict::Pass)),
        count(&|r| r.verdict == Some(Verdict::Fail)),
        count(&|r| r.verdict == Some(Verdict::Escalate))
    )?;
    writeln!(
        out,
        "overrides    {} failure→success, {} success→failure",
        overrides(super::model::Direction::FailureToSuccess),
        overrides(super::model::Direction::SuccessToFailure)
    )?;
    writeln!(
        out,
        "notes        {} process(es) with notes",
        count(&|r| r.notes > 0)
    )?;
    writeln!(out, "conflicts    {}", count(&|r| r.conflict))?;
    for (who, (events, standing)) in &reviewers {
        writeln!(
            out,
            "reviewer     {}: {events} event(s), {standing} standing verdict(s)",
            terminal_text(who)
        )?;
    }
    unreadable_at_end(&store)
}
