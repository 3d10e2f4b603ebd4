//! `truora-tui show ID`: one process printed into the shell's scrollback, live or from an archive.

use std::path::PathBuf;

use clap::Args;

use super::{
    CliError, DataFrom, DemoKnobs, EXIT_FAILURE, EXIT_OK, GlobalArgs, load_config, source_setup,
};
use crate::config::Env;
use crate::sanitize::terminal_text;
use crate::show::ShowOptions;

#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct ShowArgs {
    /// The process to print (IDP…)
    #[arg(value_name = "PROCESS_ID")]
    pub process_id: String,
    /// Print from an export instead, offline: no network, no key
    #[arg(long, value_name = "DIR")]
    pub archive: Option<PathBuf>,
    /// Print the raw result JSON, as received, instead (times stay UTC)
    #[arg(long)]
    pub json: bool,
    /// Image width in terminal columns
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(4..=1000))]
    pub width: u32,
    /// Do not print images
    #[arg(long)]
    pub no_images: bool,
    #[command(flatten)]
    pub knobs: DemoKnobs,
}

impl ShowArgs {
    pub(super) async fn run(self, globals: GlobalArgs, env: &dyn Env) -> Result<u8, CliError> {
        let demo = globals.demo.then(|| self.knobs.options(None, None));
        let from = DataFrom::choose(demo, self.archive.clone())?;
        let source_kind = from.audit_kind();
        let loaded = load_config(&globals.overrides(from.keyless()), env)?;
        // An archive's problems are about the whole export, not this process: the browser shows
        // them; `show` says what is missing of this process if anything is, and what of the
        // archive's bookkeeping it could not trust (a damaged manifest...) and used instead.
        let setup = source_setup(&loaded.config, from, None).await?;
        for line in &setup.bookkeeping {
            eprintln!("truora-tui: warning: {}", terminal_text(line));
        }
        let opts = ShowOptions {
            json: self.json,
            images: !self.no_images,
            width: self.width,
            private: loaded.config.private,
            time_zone: loaded.config.time_zone.clone(),
        };
        let audit =
            super::setup::audit_session(&loaded.config, source_kind, setup.source.api_key());
        let outcome = crate::show::run(&setup.source, &self.process_id, &opts, audit).await;
        setup.demo.stop().await;
        match outcome {
            Ok(()) => Ok(EXIT_OK),
            // Not a usage error: the process could not be had (unknown id, network, archive).
            Err(e) => {
                eprintln!("truora-tui: {}", terminal_text(&e.to_string()));
                Ok(EXIT_FAILURE)
            }
        }
    }
}
