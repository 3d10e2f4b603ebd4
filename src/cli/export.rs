//! `truora-tui export`: every process (or those of an ids file) into a folder; resumable.

use std::path::PathBuf;

use clap::Args;

use super::args::load_config;
use super::leading::Leading;
use super::{ApiArgs, CliError, api_setup};
use crate::config::Env;
use crate::export::{ExportOptions, Filter, IdsInput};

#[derive(Args, Clone, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    /// The archive folder: new, empty, or an earlier export to resume
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Only processes with this status: failure, pending or success
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Only processes created on or after this date (YYYY-MM-DD, UTC, or RFC 3339)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only processes created on or before this date (a date alone includes that day)
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Only these processes: one id per line, or a CSV with a process id column (the list
    /// endpoint is not used)
    #[arg(long, value_name = "FILE")]
    pub ids_file: Option<PathBuf>,
    /// Skip image files
    #[arg(long)]
    pub no_images: bool,
    /// Skip validation details (show_details=true)
    #[arg(long)]
    pub no_details: bool,
    /// Requests in flight at once (default: `concurrency` from the config, 8)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    pub concurrency: Option<u16>,
}

impl ExportArgs {
    pub(super) fn absorb(&mut self, mut leading: Leading) -> Result<(), CliError> {
        leading.take_api(&mut self.api)?;
        leading.take_ids_file(&mut self.ids_file)?;
        leading.finish(|flag| match flag {
            "--archive" => Some(
                "export reads from the API; --archive is already an export (run export again \
                 with the same --out to resume it)"
                    .into(),
            ),
            "--download-dir" => Some(
                "--download-dir is where the browser saves images; export writes into --out".into(),
            ),
            "--image-protocol" => {
                Some("--image-protocol is how the browser draws images; export draws none".into())
            }
            "--time-zone" => Some(
                "--time-zone is how the browser and `show` print times; an export keeps \
                 Truora's UTC times as received"
                    .into(),
            ),
            _ => None,
        })
    }

    /// The export's options from the flags: usage errors (a bad date, an unreadable ids file)
    /// before any server is started or key resolved.
    fn options(&self) -> Result<ExportOptions, CliError> {
        let filter = Filter::parse(
            self.status.as_deref(),
            self.since.as_deref(),
            self.until.as_deref(),
        )?;
        let mut opts = ExportOptions::new(&self.out);
        opts.filter = filter;
        if let Some(path) = &self.ids_file {
            let (ids, warnings) = crate::ids::read_reported(path)?;
            for w in warnings {
                eprintln!("truora-tui: {w}");
            }
            opts.ids = Some(IdsInput {
                ids,
                file: Some(path.display().to_string()),
            });
        }
        opts.validate()?;
        opts.images = !self.no_images;
        opts.details = !self.no_details;
        Ok(opts)
    }

    pub(super) async fn run(self, env: &dyn Env) -> Result<u8, CliError> {
        let demo = self.api.demo_options()?;
        let source = if demo.is_some() {
            crate::audit::SourceKind::Demo
        } else {
            crate::audit::SourceKind::Live
        };
        let mut opts = self.options()?;
        let mut config = load_config(&self.api.overrides(false), env)?.config;
        if let Some(n) = self.concurrency {
            config.concurrency = usize::from(n);
        }
        opts.concurrency = config.concurrency;
        let api = api_setup(&config, demo).await?;
        opts.identity_url = api.client.options().identity_base.to_string();
        opts.validations_url = api.client.options().validations_base.to_string();
        let session =
            super::setup::audit_session(&config, source, Some(&api.client.options().api_key));
        let audit = session.start(Box::new(|w| eprintln!("truora-tui: warning: {w}")));
        let code = crate::export::run_in_terminal(api.client, opts, &audit.sender()).await;
        audit.finish().await;
        api.demo.stop().await;
        Ok(code)
    }
}
