//! `truora-tui audit [--since DATE] [--process ID] [--verify]`: the access log, printed and
//! verified (see [`crate::audit::cli`]). Reads only the log: no key, no network.

use std::path::PathBuf;

use clap::Args;

use super::CliError;
use super::args::load_config;
use super::leading::Leading;
use crate::audit::cli::{self, AuditArgs};
use crate::config::{Env, Overrides};

#[derive(Args, Clone, Debug, Default)]
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
    /// Folder of the access log (default: `audit_log` in the config, TRUORA_TUI_AUDIT_LOG, or
    /// the data dir)
    #[arg(long, value_name = "PATH")]
    pub audit_log: Option<PathBuf>,
    /// Config file (default: the platform's config dir, or TRUORA_TUI_CONFIG)
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

impl AuditCmdArgs {
    pub(super) fn absorb(&mut self, mut leading: Leading) -> Result<(), CliError> {
        leading.take_audit(&mut self.config, &mut self.audit_log)?;
        leading.finish(|flag| {
            Some(format!(
                "audit reads only the access log; {flag} does not apply"
            ))
        })
    }

    pub(super) fn run(self, env: &dyn Env) -> Result<u8, CliError> {
        let overrides = Overrides {
            config_path: self.config,
            audit_log: self.audit_log,
            demo: true,
            ..Overrides::default()
        };
        let loaded = load_config(&overrides, env)?;
        let dir = loaded
            .config
            .audit_log
            .or_else(crate::audit::default_dir)
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
