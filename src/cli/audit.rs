//! `truora-tui audit [--since DATE] [--process ID] [--verify]`: the access log, printed and
//! verified (see [`crate::audit::cli`]). Reads only the log: no key, no network.

use clap::Args;

use super::{CliError, GlobalArgs, load_config};
use crate::audit::cli::{self, AuditArgs};
use crate::config::Env;

// The log's folder is the global `--audit-log` (default: `audit_log` in the config,
// TRUORA_TUI_AUDIT_LOG, or the data dir).
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditCmdArgs {
    /// Only records at or after this date (YYYY-MM-DD, UTC, or RFC 3339)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only records about this process
    #[arg(long, value_name = "ID")]
    pub process: Option<String>,
    /// Verify the hash chain; alone it prints only the verdict, with a filter the records too
    #[arg(long)]
    pub verify: bool,
}

impl AuditCmdArgs {
    pub(super) fn run(self, globals: GlobalArgs, env: &dyn Env) -> Result<u8, CliError> {
        // Keyless: audit reads only the log.
        let overrides = globals.overrides(true);
        let loaded = load_config(&overrides, env)?;
        let dir = loaded
            .config
            .audit_log
            .or_else(|| {
                // The demo's sessions log in a folder of their own by default (and anchor in the
                // demo's store): `audit --demo` reads both.
                if globals.demo {
                    crate::audit::default_demo_dir()
                } else {
                    crate::audit::default_dir()
                }
            })
            .ok_or_else(|| {
                CliError::Usage(
                    "there is no data folder for the access log; give one with --audit-log".into(),
                )
            })?;
        let args = AuditArgs {
            dir,
            since: self.since,
            process: self.process,
            verify: self.verify,
            review_db: Some(loaded.config.review_db.clone()),
        };
        Ok(cli::run(
            &args,
            &mut std::io::stdout().lock(),
            &mut std::io::stderr().lock(),
        ))
    }
}
