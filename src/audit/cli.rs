//! `truora-tui audit [--since DATE] [--process ID] [--verify]`: prints the access log's records,
//! oldest first, and checks its chain.
//!
//! Exit codes: 0 printed / chain intact (a line torn by a crash is reported, not a failure),
//! 1 the chain is broken (the first altered, removed, reordered or inserted record is named),
//! 2 a bad flag or a log that cannot be read.

use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;

use super::event::ProcessRef;
use super::files;
use super::record;
use super::verify::{self, Report};

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
    match verify::verify(&args.dir) {
        Ok(report) => say_verdict(&report, args, out, err),
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
