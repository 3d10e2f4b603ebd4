//! `truora-tui audit [--since DATE] [--process ID] [--verify]`: prints the access log's records,
//! oldest first, and checks its chain.
//!
//! `--verify` checks the chain, then compares the log with the heads anchored in the review store
//! (see [`super::vouch`]), under a shared lock on the log so no batch is half-seen.
//!
//! Exit codes: 0 printed / chain intact and vouched for (a crash mid-write is reported, not a
//! failure), 1 the chain is broken (the first altered, removed, reordered or inserted record is
//! named) or the log is not what the store anchored (cut short, rewritten, appended to, deleted,
//! or not vouched for, with the reason), 2 a bad flag or a log that cannot be read.

use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use super::event::ProcessRef;
use super::files;
use super::record;
use super::verify::{self, Look, Report};
use super::vouch::{self, Crash, Said, Vouching};
use crate::review::anchor::Anchors;
use crate::review::{Store, StoreError};

/// What `audit` was asked.
#[derive(Clone, Debug, Default)]
pub struct AuditArgs {
    /// The log folder.
    pub dir: PathBuf,
    /// Only records at or after this date (YYYY-MM-DD, UTC, or RFC 3339).
    pub since: Option<String>,
    /// Only records about this process.
    pub process: Option<String>,
    /// Check the chain. Alone it prints only the verdict; with a filter, the records too.
    pub verify: bool,
    /// The review store holding the log's anchored heads (the command always gives one; `None`
    /// checks the chain alone).
    pub review_db: Option<PathBuf>,
}

impl AuditArgs {
    fn prints_records(&self) -> bool {
        !self.verify || self.since.is_some() || self.process.is_some()
    }
}

/// Runs `audit`, writing records and the verdict to `out` and problems to `err`; returns the exit
/// code. Write errors (a closed pipe) are ignored: the code still tells the verdict.
pub fn run(args: &AuditArgs, out: &mut impl Write, err: &mut impl Write) -> u8 {
    let since = match args.since.as_deref().map(|s| (s, crate::date::parse(s))) {
        Some((text, None)) => {
            let _ = writeln!(
                err,
                "truora-tui: --since {text:?} is not a date: use YYYY-MM-DD (UTC) or an RFC 3339 time such as 2026-11-01T13:00:00Z"
            );
            return 2;
        }
        Some((_, Some(secs))) => Some(secs),
        None => None,
    };
    let process = args.process.as_deref().map(ProcessRef::new);
    if args.prints_records()
        && let Err(e) = print_records(args, since, process.as_ref(), out, err)
    {
        let _ = writeln!(
            err,
            "truora-tui: cannot read the access log in {}: {e}",
            args.dir.display()
        );
        return 2;
    }
    if !args.verify {
        return 0;
    }
    // Writers wait while the log and its anchors are read together.
    let _lock = shared_lock(&args.dir);
    let anchors = match &args.review_db {
        Some(db) => match read_anchors(db, &args.dir) {
            Ok(found) => Some(found),
            Err(e) => {
                let _ = writeln!(
                    err,
                    "truora-tui: cannot read the access log in {}: {e}",
                    args.dir.display()
                );
                return 2;
            }
        },
        None => None,
    };
    let look = match &anchors {
        Some(Ok(anchors)) => vouch::look_for(anchors),
        _ => Look::default(),
    };
    match verify::verify_looking(&args.dir, &look) {
        Ok(report) => match (&args.review_db, anchors) {
            (Some(db), Some(anchors)) => say_vouched(&report, &anchors, db, args, out, err),
            _ => say_verdict(&report, args, out, err),
        },
        Err(e) => {
            let _ = writeln!(
                err,
                "truora-tui: cannot read the access log in {}: {e}",
                args.dir.display()
            );
            2
        }
    }
}

fn say_verdict(
    report: &Report,
    args: &AuditArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> u8 {
    if report.files.is_empty() {
        let _ = writeln!(
            out,
            "no access log in {} (nothing recorded there yet)",
            args.dir.display()
        );
        return 0;
    }
    if let Some((at, bytes)) = &report.torn {
        let _ = writeln!(
            err,
            "truora-tui: {at}: the last line is torn ({bytes} bytes without a newline): a crash mid-write, not tampering; the next session cuts it off and records that it did"
        );
    }
    match &report.problem {
        None => {
            let _ = writeln!(
                out,
                "access log intact: {} records in {} files; head {}",
                report.records,
                report.files.len(),
                report.head_text().unwrap_or_else(|| "none".into())
            );
            0
        }
        Some(problem) => {
            let _ = writeln!(
                err,
                "truora-tui: access log chain broken after {} good records: {}",
                report.records,
                clean(&problem.to_string())
            );
            1
        }
    }
}

/// The heads the store at `db` anchors for the log in `dir`; `Err` says why there are none to
/// check against (the store is missing, unreadable, or predates anchoring). IO errors reading
/// the log are the outer error.
fn read_anchors(db: &Path, dir: &Path) -> io::Result<Result<Anchors, String>> {
    let paths: Vec<PathBuf> = files::month_files(dir)?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    let refs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    let first_hash = files::first_record_hash(&refs)?;
    let store = match Store::open_read_only(db) {
        Ok(store) => store,
        Err(StoreError::Missing { .. }) => {
            return Ok(Err(format!("there is no review store at {}", db.display())));
        }
        Err(e) => return Ok(Err(e.to_string())),
    };
    if !store.can_anchor() {
        return Ok(Err(format!(
            "the review store {} holds no anchors (it was last written by a truora-tui that did \
             not anchor the access log)",
            db.display()
        )));
    }
    Ok(store
        .anchors(&dir_key(dir), first_hash.as_ref())
        .map_err(|e| e.to_string()))
}

/// The folder as writers name it in the store: absolute, links resolved (as far as it exists).
fn dir_key(dir: &Path) -> String {
    let key = std::fs::canonicalize(dir).unwrap_or_else(|_| {
        match (dir.parent().map(std::fs::canonicalize), dir.file_name()) {
            (Some(Ok(parent)), Some(name)) => parent.join(name),
            _ => std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf()),
        }
    });
    key.to_string_lossy().into_owned()
}

/// A shared lock on the log's lock file, when there is one: writers wait until it is dropped.
fn shared_lock(dir: &Path) -> Option<std::fs::File> {
    let file = files::open_to_read(&dir.join(files::LOCK_FILE)).ok()?;
    file.lock_shared().ok()?;
    Some(file)
}

/// The verdict of the chain and the anchors together.
fn say_vouched(
    report: &Report,
    anchors: &Result<Anchors, String>,
    db: &Path,
    args: &AuditArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> u8 {
    let has_records = report.head.is_some();
    if report.problem.is_some() {
        let code = say_verdict(report, args, out, err);
        let latest = anchors.as_ref().ok().and_then(|a| {
            a.this_log
                .iter()
                .filter(|h| h.written.is_some())
                .max_by_key(|h| h.seq)
        });
        if let Some(head) = latest {
            let _ = writeln!(
                err,
                "truora-tui: the review store {} anchors this log up to {}",
                db.display(),
                vouch::describe_head(head)
            );
        }
        return code;
    }
    let anchors = match anchors {
        Ok(anchors) => anchors,
        // Nothing recorded, and no store that could say otherwise: a new installation.
        Err(why) if !has_records && report.torn.is_none() && why.starts_with("there is no") => {
            let _ = writeln!(
                out,
                "no access log in {} (nothing recorded there yet; {})",
                args.dir.display(),
                clean(why)
            );
            return 0;
        }
        Err(why) => {
            let what = if has_records {
                format!("{} records of the access log in", report.records)
            } else {
                "the absence of a log in".to_owned()
            };
            let _ = writeln!(
                err,
                "truora-tui: the log's head is not anchored, so nothing vouches for {what} {}: {} \
                 (give the store its sessions used: --review-db, or --demo for the demo's)",
                args.dir.display(),
                clean(why)
            );
            return 1;
        }
    };
    let vouching = vouch::judge(report, anchors);
    say_crash(&vouching, db, err);
    if !vouching.problems.is_empty() {
        for problem in &vouching.problems {
            let said = Said {
                problem,
                dir: &args.dir,
                store: db,
            };
            let _ = writeln!(err, "truora-tui: {}", clean(&said.to_string()));
        }
        return 1;
    }
    if !has_records {
        let _ = writeln!(
            out,
            "no access log in {} (nothing recorded there yet, and the review store {} anchors \
             none there)",
            args.dir.display(),
            db.display()
        );
        return 0;
    }
    let _ = writeln!(
        out,
        "access log intact: {} records in {} files; head {}",
        report.records,
        report.files.len(),
        report.head_text().unwrap_or_else(|| "none".into())
    );
    if let Some(head) = vouching.head.as_ref().or(match &vouching.crash {
        Some(Crash::Written { head } | Crash::NotWritten { head, .. }) => Some(head),
        None => None,
    }) {
        let _ = writeln!(
            out,
            "anchored in the review store {}: {}",
            db.display(),
            clean(&vouch::describe_head(head))
        );
    }
    0
}

/// A crash between announcing and writing a batch: said, and not a failure.
fn say_crash(vouching: &Vouching, db: &Path, err: &mut impl Write) {
    let text = match &vouching.crash {
        None => return,
        Some(Crash::Written { head }) => format!(
            "the last batch (seq {} to {}) is in the log exactly as announced in the review \
             store {}, but was never marked written: the program stopped between the two (a \
             crash or a kill), not tampering",
            head.first_seq,
            head.seq,
            db.display()
        ),
        Some(Crash::NotWritten {
            head,
            partial,
            torn,
        }) => {
            let mut text = format!(
                "a batch (seq {} to {}) announced in the review store {} by session {} was never \
                 written whole: the program stopped while writing it (a crash or a kill), not \
                 tampering",
                head.first_seq,
                head.seq,
                db.display(),
                head.session
            );
            if let Some((first, last)) = partial {
                text.push_str(&format!(
                    "; seq {first} to {last} reached the log before it stopped"
                ));
            }
            if let Some(bytes) = torn {
                text.push_str(&format!(
                    "; its last line is torn ({bytes} bytes): the next session cuts it off and \
                     records that it did"
                ));
            }
            text
        }
    };
    let _ = writeln!(err, "truora-tui: {}", clean(&text));
}

fn print_records(
    args: &AuditArgs,
    since: Option<i64>,
    process: Option<&ProcessRef>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<()> {
    for (_, path) in files::month_files(&args.dir)? {
        // A regular file only, opened without blocking: a FIFO in the log's place is refused,
        // not waited on.
        let name = path.file_name().unwrap_or_default();
        let file = crate::fsx::PrivateDir::open_root(&args.dir)?.open_file(name)?;
        let reader = BufReader::new(file);
        for (index, line) in reader.split(b'\n').enumerate() {
            let line = line?;
            let Some(rec) = record::parse(&line) else {
                let _ = writeln!(
                    err,
                    "truora-tui: {}:{}: not an access-log record (run `truora-tui audit --verify`)",
                    path.display(),
                    index + 1
                );
                continue;
            };
            if since.is_some_and(|s| crate::date::parse(&rec.time).is_none_or(|t| t < s)) {
                continue;
            }
            if process.is_some_and(|p| rec.event.process() != Some(p)) {
                continue;
            }
            let _ = writeln!(out, "{}", clean(&describe(&rec)));
        }
    }
    Ok(())
}

/// `2026-11-30T23:59:59.123Z  #12  a1b2c3d4  image_shown  process=IDNTY1 image=document_front`.
pub fn describe(rec: &record::Record) -> String {
    let mut text = format!(
        "{}  #{}  {}  {}",
        rec.time,
        rec.seq,
        rec.session,
        rec.event.name()
    );
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(&rec.event) {
        let mut first = true;
        for (key, value) in fields.iter().filter(|(key, _)| *key != "kind") {
            text.push_str(if first { "  " } else { " " });
            first = false;
            text.push_str(key);
            text.push('=');
            match value {
                serde_json::Value::String(s) => text.push_str(s),
                other => text.push_str(&other.to_string()),
            }
        }
    }
    text
}

/// Text from a log file is from disk, and a tampered file could carry terminal escapes.
fn clean(text: &str) -> String {
    crate::sanitize::terminal_text(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A FIFO planted as a month file is refused with its name, not waited on (the run is
    /// guarded by a deadline so a regression fails instead of hanging).
    #[test]
    fn a_fifo_in_place_of_a_month_file_is_refused_at_once() {
        let tmp = tempfile::tempdir().unwrap();
        let fifo = tmp.path().join(files::month_file_name((2026, 11)));
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()));
        let args = AuditArgs {
            dir: tmp.path().to_path_buf(),
            ..AuditArgs::default()
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let code = run(&args, &mut out, &mut err);
            let _ = tx.send((code, String::from_utf8_lossy(&err).into_owned()));
        });
        let (code, err) = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("audit blocked on a FIFO");
        assert_eq!(code, 2);
        assert!(
            err.contains(&fifo.display().to_string()) && err.contains("a FIFO"),
            "{err}"
        );
    }
}
