//! The command line: `truora-tui` (the browser, the default), `export`, `show`, `demo-server`.
//!
//! Everything the binary does lives here, so start-up is tested without spawning it: parsing
//! ([`Cli`]), moving options given before a subcommand into it (`leading.rs`), the config merge and
//! the data source ([`source_setup`]), and the exit code ([`CliError::exit_code`]). One file per
//! subcommand holds its options, its `absorb` (which leading options it takes) and its `run`;
//! adding one (`reviews`, `audit`) is a new file, a [`Command`] variant, and that variant's line in
//! each of the three matches below ([`Cli::into_command`], [`Command::name`], [`Command::run`]):
//! the compiler points at each.
//!
//! Options that apply to a subcommand are its own, so `export --help` lists only what export
//! uses. The browser's options may also come before a subcommand (`truora-tui --demo export`,
//! `truora-tui --archive DIR show ID`): each subcommand takes those that apply to it and refuses
//! the others with a message that says why (exit 2). Given after a subcommand that lacks it, such
//! an option gets the same explanation instead of clap's bare "unexpected argument".

mod args;
mod audit;
mod browse;
mod demo_server;
mod exit;
mod export;
mod leading;
mod reviews;
mod setup;
mod show;
#[cfg(test)]
mod tests;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::{Env, ProcessEnv};

pub use args::{ApiArgs, DemoKnobs};
pub use audit::AuditCmdArgs;
pub use browse::BrowseArgs;
pub use demo_server::DemoServerArgs;
pub use exit::{CliError, EXIT_FAILURE, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE};
pub use export::ExportArgs;
pub use reviews::ReviewsArgs;
pub use setup::{ApiSetup, DataFrom, DemoGuard, SourceSetup, api_setup, source_setup};
pub use show::ShowArgs;

use leading::Leading;

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

`truora-tui COMMAND --help` lists each command's options.";

#[derive(Debug, Parser)]
#[command(
    name = "truora-tui",
    version,
    about = "Browse Truora Digital Identity processes in the terminal",
    after_help = AFTER_HELP
)]
pub struct Cli {
    /// The browser's options: the default command's, also accepted before any subcommand.
    #[command(
        flatten,
        next_help_heading = "Browser options (also accepted before a command)"
    )]
    pub leading: BrowseArgs,
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

impl Cli {
    /// The command to run, with the options given before it moved into it; an option that does
    /// not apply to it is a usage error that names it.
    pub fn into_command(self) -> Result<Command, CliError> {
        let mut command = self
            .command
            .unwrap_or_else(|| Command::Browse(BrowseArgs::default()));
        let leading = Leading::new(self.leading, command.name());
        match &mut command {
            Command::Browse(args) => args.absorb(leading),
            Command::Export(args) => args.absorb(leading),
            Command::Show(args) => args.absorb(leading),
            Command::DemoServer(args) => args.absorb(leading),
            Command::Reviews(args) => args.absorb(leading),
            Command::Audit(args) => args.absorb(leading),
        }?;
        Ok(command)
    }
}

impl Command {
    /// The name the user typed (for messages).
    pub fn name(&self) -> &'static str {
        match self {
            Command::Browse(_) => "browse",
            Command::Export(_) => "export",
            Command::Show(_) => "show",
            Command::DemoServer(_) => "demo-server",
            Command::Reviews(_) => "reviews",
            Command::Audit(_) => "audit",
        }
    }

    /// Runs the command. `Ok` carries the exit code of a command that reported its own outcome
    /// (export prints a summary, then exits 0, 1 or 130); `Err` is printed by [`run`].
    pub async fn run(self, env: &dyn Env) -> Result<u8, CliError> {
        match self {
            Command::Browse(args) => args.run(env).await,
            Command::Export(args) => args.run(env).await,
            Command::Show(args) => args.run(env).await,
            Command::DemoServer(args) => args.run().await,
            Command::Reviews(args) => args.run(env).await,
            Command::Audit(args) => args.run(env),
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
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => match leading::explain_misplaced(&args, &e) {
            Some(explained) => {
                eprintln!("truora-tui: {explained}");
                return explained.exit_code();
            }
            None => return exit::clap_exit(&e),
        },
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
    runtime.block_on(execute(cli, env))
}

/// [`run`] after parsing, on the caller's runtime.
pub async fn execute(cli: Cli, env: &dyn Env) -> u8 {
    let outcome = match cli.into_command() {
        Ok(command) => command.run(env).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(code) => code,
        Err(e) => {
            // Errors can quote a server's or a file's text.
            eprintln!(
                "truora-tui: {}",
                crate::sanitize::terminal_text(&e.to_string())
            );
            e.exit_code()
        }
    }
}
