//! `truora-tui export`: every process (or those of an ids file) into a folder; resumable.

use std::path::PathBuf;

use clap::Args;

use super::demo_knobs::DEMO_HEADING;
use super::{CliError, DemoKnobs, GlobalArgs, api_setup, load_config};
use crate::config::Env;
use crate::export::{ExportOptions, Filter, IdsInput};

#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct ExportArgs {
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
    #[command(flatten)]
    pub knobs: DemoKnobs,
    /// Processes per list page
    #[arg(long, hide = true, value_name = "N", help_heading = DEMO_HEADING)]
    pub demo_page_size: Option<usize>,
}

impl ExportArgs {
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

    pub(super) async fn run(self, globals: GlobalArgs, env: &dyn Env) -> Result<u8, CliError> {
        let demo = globals
            .demo
            .then(|| self.knobs.options(self.demo_page_size, None));
        let source = if demo.is_some() {
            crate::audit::SourceKind::Demo
        } else {
            crate::audit::SourceKind::Live
        };
        let mut opts = self.options()?;
        let mut config = load_config(&globals.overrides(false), env)?.config;
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
