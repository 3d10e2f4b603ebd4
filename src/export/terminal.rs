//! The export as a command: Ctrl-C, a progress display fit for where stdout goes, the summary.
//!
//! Ctrl-C once stops cleanly (files being written are finished, the manifest is written, the
//! next run resumes); a second Ctrl-C quits at once, which is still safe to resume: temp files
//! are swept and unjournaled processes redone by the next run.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use crate::api::Client;

use super::progress::{Bar, Lines};
use super::{ExportError, ExportOptions, ExportSummary, Stop};

/// How often plain progress lines are printed when stdout is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(5);

/// Runs the export with Ctrl-C handling and progress on stdout; failures (and files Truora no
/// longer keeps) go to stderr, one per line, then the summary to stdout, then the error that
/// ended the run, if one did. A closed stdout or stderr (`export … | head`) is not an error: the
/// export still runs to its end. Returns the exit code.
///
/// The run is recorded in the access log through `audit` (its options, counts and folder).
pub async fn run_in_terminal(
    client: Client,
    opts: ExportOptions,
    audit: &crate::audit::AuditSender,
) -> u8 {
    let audited = audit.is_enabled().then(|| opts.clone());
    let (handle, stop) = Stop::new();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        say(
            &mut std::io::stderr(),
            "\ntruora-tui: stopping: finishing the files being written… (Ctrl-C again to quit at once)",
        );
        handle.stop();
        if tokio::signal::ctrl_c().await.is_ok() {
            say(
                &mut std::io::stderr(),
                "truora-tui: quitting; the next run resumes",
            );
            std::process::exit(130);
        }
    });
    let outcome = if std::io::stdout().is_terminal() {
        let bar = Bar::new();
        let outcome = super::run(client, opts, bar.clone(), stop).await;
        bar.finish();
        outcome
    } else {
        let lines = Lines::new(std::io::stdout(), LINE_EVERY);
        super::run(client, opts, lines, stop).await
    };
    ctrl_c.abort();
    if let Some(opts) = audited {
        audit.record(super::access_log::export_run(&opts, &outcome));
    }
    report(
        &outcome,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    match outcome {
        Ok(summary) => summary.exit_code(),
        Err(e) => e.exit_code(),
    }
}

/// Writes what a run ended with: per-process lines to `err`, the summary to `out`, then the
/// error that ended the run (if any) to `err`. Write errors (a closed pipe) are ignored: the
/// exit code still tells how the export went.
pub fn report(
    outcome: &Result<ExportSummary, ExportError>,
    out: &mut impl Write,
    err: &mut impl Write,
) {
    let summary = match outcome {
        Ok(summary) => Some(summary),
        Err(e) => e.summary(),
    };
    if let Some(summary) = summary {
        let clean = |s: &str| crate::sanitize::terminal_text(s).into_owned();
        for (id, error) in &summary.failed {
            say(
                err,
                &format!("truora-tui: failed: {}: {}", clean(id), clean(error)),
            );
        }
        for (id, what) in &summary.missing {
            say(
                err,
                &format!(
                    "truora-tui: warning: no longer at Truora: {}: {}",
                    clean(id),
                    clean(what)
                ),
            );
        }
        // The folder the user named, and a server's words in a list error.
        let text = crate::sanitize::terminal_lines(&summary.render()).into_owned();
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }
    if let Err(e) = outcome {
        let text = e.to_string();
        say(
            err,
            &format!("truora-tui: {}", crate::sanitize::terminal_text(&text)),
        );
    }
}

/// One line, best effort.
fn say(w: &mut impl Write, line: &str) {
    let _ = writeln!(w, "{line}");
    let _ = w.flush();
}
