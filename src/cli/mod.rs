//! The command line: `truora-tui` (the browser, the default), `export`, `show`, `reviews`,
//! `audit`, `demo-server`.
//!
//! Everything the binary does lives here, so start-up is tested without spawning it: parsing
//! ([`parse`]), the config merge and the data source ([`source_setup`]), and the exit code
//! ([`CliError::exit_code`]).
//!
//! Each option is declared once, as cargo, jj and uv do. Options most commands use are global
//! ([`GlobalArgs`]: accepted before or after any command name, one "Global options" heading).
//! Every other option belongs to the one command that declares it, in that command's file with
//! its `run`; the browser's own options are also the top level's, since browsing is the default
//! (`truora-tui --demo --watch 5`). Which command uses which global option is one table
//! (`scope.rs`); one guard (`guard.rs`) reads clap's matches and refuses, with exit 2 and a
//! reason, any option given where it does not apply, and [`command`] hides those from the
//! command's `--help`. Adding a command is a file, a [`Command`] variant, its row in the table,
//! and its line in [`Command::run`].

mod audit;
mod browse;
mod demo_knobs;
mod demo_server;
mod exit;
mod export;
mod global;
mod guard;
mod reviews;
mod scope;
mod setup;
mod show;
#[cfg(test)]
mod tests;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::config::{Env, ProcessEnv};

pub use audit::AuditCmdArgs;
pub use browse::BrowseArgs;
pub use demo_knobs::DemoKnobs;
pub use demo_server::DemoServerArgs;
pub use exit::{CliError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE};
pub use export::ExportArgs;
pub use global::{GlobalArgs, load_config};
pub use reviews::ReviewsArgs;
pub use setup::{ApiSetup, DataFrom, DemoGuard, SourceSetup, api_setup, source_setup};
pub use show::ShowArgs;

/// Shown after the top-level `--help`: what the environment can set, and what the exit codes
/// mean. A test checks that every variable the config reads is named.
const AFTER_HELP: &str = "\
Environment:
  TRUORA_API_KEY               the Truora API key (or `api_key` / `api_key_command` in the
                               config file; there is no flag: command lines show up in `ps`)
  TRUORA_TUI_CONFIG            the config file, like --config
  TRUORA_IDENTITY_BASE_URL     the identity API's base URL, like --identity-url
  TRUORA_VALIDATIONS_BASE_URL  the validations API's base URL, like --validations-url
  TRUORA_TUI_DOWNLOAD_DIR      where the browser saves images, like --download-dir
  TRUORA_TUI_REVIEW_DB         the review store, like --review-db
  TRUORA_TUI_REVIEWER          your name on review decisions (default: the login name)
  TRUORA_TUI_AUDIT_LOG         the access log's folder, like --audit-log
  TRUORA_TUI_LOG               the browser's log level (default info; e.g. debug), logged to
                               the state dir (~/.local/state/truora-tui/truora-tui.log)
  NO_COLOR                     set (non-empty) to draw the browser without colour
Precedence: built-in defaults < config file < environment < flags.

Exit codes: 0 done; 1 failed while running (export: some processes failed, run it again to
retry them); 2 usage or configuration error, or an export --out refused (a file, write-protected,
not an export, another export writing there); 130 export interrupted (run it again to resume).

Global options go before or after a command's name, a command's own options after it; an
option given where it does not apply is refused (exit 2). `truora-tui COMMAND --help` lists
what each command takes.";

// Parsed through [`parse`], which checks what was given where; `Cli::parse` alone would not.
#[derive(Debug, Parser)]
#[command(
    name = "truora-tui",
    version,
    about = "Browse Truora Digital Identity processes in the terminal",
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(flatten)]
    pub globals: GlobalArgs,
    /// The browser's options: the default command's, so also the top level's.
    #[command(flatten, next_help_heading = "Browser options")]
    pub browse: BrowseArgs,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the browser (the default when no command is given)
    #[command(visible_alias = "tui")]
    Browse(BrowseArgs),
    /// Download every process (results, validation details, images) into a folder; resumable
    Export(ExportArgs),
    /// Print one process to the shell: status, failing checks, then its images
    Show(ShowArgs),
    /// Serve the demo API on loopback for curl and external tests; prints its URLs and key
    DemoServer(DemoServerArgs),
    /// The review desk's decisions: export (CSV for the dashboard, or JSONL), import, list, stats
    Reviews(ReviewsArgs),
    /// Print the access log and verify its hash chain (exit 1 names the first broken record)
    Audit(AuditCmdArgs),
}

/// What to run: the command, and the global options (the guard has refused those it does not
/// use).
#[derive(Debug)]
pub struct Invocation {
    pub globals: GlobalArgs,
    pub command: Command,
}

/// The command line's definition, as parsed and as `--help` shows it: each command's help
/// hides the global options it does not use (they still parse, so that the guard can say why
/// they do not apply rather than clap saying "unexpected argument").
pub fn command() -> clap::Command {
    let mut cli = Cli::command();
    // Built first: the global options are copied into each command only then.
    cli.build();
    for scope in scope::SCOPES {
        if let Some(command) = cli.find_subcommand_mut(scope.command) {
            hide_unused_globals(command, scope);
        }
    }
    cli
}

fn hide_unused_globals(command: &mut clap::Command, scope: &scope::Scope) {
    let unused: Vec<&str> = scope::Global::ALL
        .into_iter()
        .filter(|global| !scope.uses(*global))
        .map(scope::Global::id)
        .collect();
    // `mut_args` edits in place; adding or removing an argument of a built command would not.
    *command = std::mem::take(command).mut_args(|arg| {
        let hide = unused.contains(&arg.get_id().as_str());
        if hide { arg.hide(true) } else { arg }
    });
    for sub in command.get_subcommands_mut() {
        hide_unused_globals(sub, scope);
    }
}

/// Parses `args` (the program name first) and refuses what does not apply. Help, the version
/// and clap's own usage errors come back as [`CliError::Clap`].
pub fn parse(args: &[OsString]) -> Result<Invocation, CliError> {
    let cli = command();
    let matches = match cli.clone().try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(e) => return Err(guard::explain(&cli, args, &e).unwrap_or(CliError::Clap(e))),
    };
    guard::check(&cli, &matches)?;
    let parsed = Cli::from_arg_matches(&matches).map_err(CliError::Clap)?;
    Ok(Invocation {
        globals: parsed.globals,
        command: parsed.command.unwrap_or(Command::Browse(parsed.browse)),
    })
}

impl Command {
    /// Runs the command. `Ok` carries the exit code of a command that reported its own outcome
    /// (export prints a summary, then exits 0, 1 or 130); `Err` is printed by [`run`].
    pub async fn run(self, globals: GlobalArgs, env: &dyn Env) -> Result<u8, CliError> {
        match self {
            Command::Browse(args) => args.run(globals, env).await,
            Command::Export(args) => args.run(globals, env).await,
            Command::Show(args) => args.run(globals, env).await,
            Command::DemoServer(args) => args.run().await,
            Command::Reviews(args) => args.run(globals, env).await,
            Command::Audit(args) => args.run(globals, env),
        }
    }
}

/// The binary's whole body: the process's arguments and environment, then its exit code.
pub fn main() -> ExitCode {
    ExitCode::from(run(std::env::args_os(), &ProcessEnv))
}

/// Parses `args` (the program name first), runs the command on a new runtime, prints what went
/// wrong, and returns the exit code.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString>>, env: &dyn Env) -> u8 {
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    let invocation = match parse(&args) {
        Ok(invocation) => invocation,
        Err(e) => return report(&e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("truora-tui: cannot start the async runtime: {e}");
            return EXIT_FAILURE;
        }
    };
    runtime.block_on(execute(invocation, env))
}

/// [`run`] after parsing, on the caller's runtime.
pub async fn execute(invocation: Invocation, env: &dyn Env) -> u8 {
    match invocation.command.run(invocation.globals, env).await {
        Ok(code) => code,
        Err(e) => report(&e),
    }
}

/// Prints `e` (clap's help and version to stdout, everything else to stderr) and returns its
/// exit code.
fn report(e: &CliError) -> u8 {
    match e {
        CliError::Clap(e) => exit::clap_exit(e),
        e => {
            // Errors can quote a server's or a file's text.
            eprintln!(
                "truora-tui: {}",
                crate::sanitize::terminal_lines(&e.to_string())
            );
            e.exit_code()
        }
    }
}
