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

/// Runs the export with Ctrl-C handling and progress on stdout; failures go to stderr, one per
/// line, then the summary to stdout. Returns the exit code.
pub async fn run_in_terminal(client: Client, opts: ExportOptions) -> u8 {
    let (handle, stop) = Stop::new();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_err() {
            return;
        }
        eprintln!(
            "\ntruora-tui: stopping: finishing the files being written… (Ctrl-C again to quit at once)"
        );
        handle.stop();
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("truora-tui: quitting; the next run resumes");
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
    report(outcome)
}

fn report(outcome: Result<ExportSummary, ExportError>) -> u8 {
    match outcome {
        Ok(summary) => {
            let mut stderr = std::io::stderr().lock();
            for (id, error) in &summary.failed {
                let _ = writeln!(
                    stderr,
                    "truora-tui: failed: {}: {}",
                    crate::sanitize::terminal_text(id),
                    crate::sanitize::terminal_text(error)
                );
            }
            drop(stderr);
            print!("{}", summary.render());
            summary.exit_code()
        }
        Err(e) => {
            eprintln!("truora-tui: {e}");
            e.exit_code()
        }
    }
}
