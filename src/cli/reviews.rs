//! `truora-tui reviews export | import | list | stats`: the review desk's decisions from the
//! shell. The commands themselves are in [`crate::review::cli`]; this file is their options.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::{CliError, EXIT_FAILURE, EXIT_OK, GlobalArgs, load_config};
use crate::config::Env;
use crate::review::Verdict;
use crate::review::cli::{self as commands, ExportFormat};

// The store is the global `--review-db` (or `--demo`: the demo's own store), so those and
// `--config` go before or after `reviews` or its action alike.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct ReviewsArgs {
    #[command(subcommand)]
    pub action: ReviewsAction,
}

#[derive(Subcommand, Clone, Debug, PartialEq, Eq)]
pub enum ReviewsAction {
    /// Write the decisions: CSV for applying overrides in Truora's dashboard, or the event log
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: FormatArg,
        /// Write to this file (0600, atomically) instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Replace the --out file if it exists (else an existing file is refused)
        #[arg(long, requires = "out")]
        force: bool,
        /// Only what happened on or after this date (YYYY-MM-DD, UTC, or RFC 3339)
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only processes with this standing verdict (repeatable)
        #[arg(long, value_enum)]
        verdict: Vec<VerdictArg>,
    },
    /// Merge another reviewer's event log (JSONL); importing twice changes nothing
    Import { file: PathBuf },
    /// One line per reviewed process
    List {
        /// Only processes where reviewers disagree
        #[arg(long)]
        conflicts: bool,
        /// Only processes with this standing verdict (repeatable)
        #[arg(long, value_enum)]
        verdict: Vec<VerdictArg>,
    },
    /// Counts by verdict, override and reviewer
    Stats,
    /// Make a PostgreSQL database into a team store (run once, by an administrator; running it
    /// again changes nothing): the truora_review schema and the truora_reviewer and
    /// truora_auditor group roles. The store is --review-db (or TRUORA_TUI_REVIEW_DB), a
    /// postgres:// URL or libpq key=value string; its password comes from PGPASSWORD or
    /// ~/.pgpass, never the command line
    Setup,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Csv,
    Jsonl,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum VerdictArg {
    Pass,
    Fail,
    Escalate,
}

impl From<VerdictArg> for Verdict {
    fn from(v: VerdictArg) -> Verdict {
        match v {
            VerdictArg::Pass => Verdict::Pass,
            VerdictArg::Fail => Verdict::Fail,
            VerdictArg::Escalate => Verdict::Escalate,
        }
    }
}

impl ReviewsArgs {
    pub(super) async fn run(self, globals: GlobalArgs, env: &dyn Env) -> Result<u8, CliError> {
        if self.action == ReviewsAction::Setup {
            return setup(&globals, env);
        }
        // Keyless: reviews calls no API.
        let overrides = globals.overrides(true);
        let config = load_config(&overrides, env)?.config;
        let db = config.review_db.as_path();
        if let Err(e) = crate::demo::seed_review_store(&config) {
            eprintln!("truora-tui: the demo's review store was not seeded: {e}");
        }
        let mut stdout = std::io::stdout().lock();
        let result = match self.action {
            ReviewsAction::Export {
                format,
                out,
                force,
                since,
                verdict,
            } => {
                let args = commands::ExportArgs {
                    format: match format {
                        FormatArg::Csv => ExportFormat::Csv,
                        FormatArg::Jsonl => ExportFormat::Jsonl,
                    },
                    out,
                    force,
                    since,
                    verdicts: verdict.into_iter().map(Verdict::from).collect(),
                };
                commands::export(db, &args, &mut stdout)
            }
            ReviewsAction::Import { file } => commands::import(db, &file, &mut stdout).map(drop),
            ReviewsAction::List { conflicts, verdict } => {
                let args = commands::ListArgs {
                    conflicts,
                    verdicts: verdict.into_iter().map(Verdict::from).collect(),
                };
                commands::list(db, &args, &mut stdout)
            }
            ReviewsAction::Stats => commands::stats(db, &mut stdout),
            ReviewsAction::Setup => unreachable!("handled above"),
        };
        match result {
            Ok(()) => Ok(EXIT_OK),
            Err(e) if e.is_usage() => Err(CliError::Usage(e.to_string())),
            Err(e) => {
                // A store's error can quote what is in it (a bad row's id).
                eprintln!(
                    "truora-tui: {}",
                    crate::sanitize::terminal_lines(&e.to_string())
                );
                Ok(EXIT_FAILURE)
            }
        }
    }
}

/// `reviews setup`: the team store from `--review-db`, else `TRUORA_TUI_REVIEW_DB`.
fn setup(globals: &GlobalArgs, env: &dyn Env) -> Result<u8, CliError> {
    use crate::review::pg;
    if globals.demo {
        return Err(CliError::Usage(
            "reviews setup sets a PostgreSQL team store up; the demo's store is an SQLite file \
             that needs none: leave out --demo"
                .into(),
        ));
    }
    let flag = globals
        .review_db
        .as_ref()
        .map(|p| p.to_string_lossy().into_owned());
    let Some(value) = flag
        .clone()
        .or_else(|| env.var(crate::config::ENV_REVIEW_DB))
        .filter(|v| !v.trim().is_empty())
    else {
        return Err(CliError::Usage(
            "reviews setup needs the team store: --review-db postgres://admin@host/database \
             (or TRUORA_TUI_REVIEW_DB)"
                .into(),
        ));
    };
    if !pg::is_postgres(&value) {
        return Err(CliError::Usage(format!(
            "reviews setup is for a PostgreSQL team store (a postgres:// URL or a libpq \
             key=value string), not {}: an SQLite store needs no setup",
            crate::sanitize::terminal_text(&value)
        )));
    }
    if let Some(flag) = &flag {
        refuse_password_on_command_line(flag)?;
    }
    let (info, warnings) = pg::conninfo::resolve(&value, &|name| env.var(name))
        .map_err(|e| CliError::Usage(e.to_string()))?;
    for warning in warnings {
        eprintln!(
            "truora-tui: warning: {}",
            crate::sanitize::terminal_text(&warning)
        );
    }
    let at = info.describe();
    // The sync client runs a runtime of its own, which cannot start on a thread of the CLI's
    // tokio runtime: setup gets a plain thread (as the review desk's is).
    let result = std::thread::scope(|scope| {
        scope
            .spawn(|| pg::connect(&info).and_then(|mut c| pg::setup::setup(&mut c, &at)))
            .join()
    });
    let Ok(result) = result else {
        eprintln!("truora-tui: reviews setup failed: its thread panicked");
        return Ok(EXIT_FAILURE);
    };
    match result {
        Ok(report) => {
            print!("{}", crate::sanitize::terminal_lines(&report.to_string()));
            Ok(EXIT_OK)
        }
        Err(e) => {
            eprintln!(
                "truora-tui: {}",
                crate::sanitize::terminal_lines(&e.to_string())
            );
            Ok(EXIT_FAILURE)
        }
    }
}

/// A password in a flag is in every user's `ps` for as long as the command runs: refused, with
/// where to put it instead.
fn refuse_password_on_command_line(flag: &str) -> Result<(), CliError> {
    let has_password = crate::review::pg::conninfo::has_password(flag);
    if has_password {
        return Err(CliError::Usage(format!(
            "--review-db {} holds a password, which every user of this machine can read in `ps` \
             while truora-tui runs: leave it out and put it in ~/.pgpass (chmod 0600) or \
             PGPASSWORD",
            crate::review::pg::mask(flag)
        )));
    }
    Ok(())
}
