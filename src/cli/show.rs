//! `truora-tui show ID`: one process printed into the shell's scrollback, live or from an archive.

use std::path::PathBuf;

use clap::Args;

use super::args::load_config;
use super::leading::Leading;
use super::{ApiArgs, CliError, DataFrom, EXIT_FAILURE, EXIT_OK, source_setup};
use crate::config::Env;
use crate::show::ShowOptions;

#[derive(Args, Clone, Debug)]
pub struct ShowArgs {
    /// The process to print (IDP…)
    #[arg(value_name = "PROCESS_ID")]
    pub process_id: String,
    #[command(flatten)]
    pub api: ApiArgs,
    /// Print from an export instead, offline: no network, no key
    #[arg(long, value_name = "DIR")]
    pub archive: Option<PathBuf>,
    /// Print the raw result JSON, as received, instead
    #[arg(long)]
    pub json: bool,
    /// Image width in terminal columns
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(4..=1000))]
    pub width: u32,
    /// Do not print images
    #[arg(long)]
    pub no_images: bool,
    /// Mask names, numbers, birth dates, phones, e-mails, addresses and IPs, and pixelate the
    /// photos (also `private = true` in the config): for shared screens, not access control
    #[arg(long)]
    pub private: bool,
    /// Print times in this zone: an IANA name such as America/Bogota, UTC, or local (default:
    /// `time_zone` in the config, else TZ, else the system's zone); --json stays as received
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
}

impl ShowArgs {
    pub(super) fn absorb(&mut self, mut leading: Leading) -> Result<(), CliError> {
        leading.take_api(&mut self.api)?;
        leading.take_archive(&mut self.archive)?;
        leading.take_time_zone(&mut self.time_zone)?;
        leading.finish(|flag| match flag {
            "--ids-file" => {
                Some("show prints the one process given; --ids-file does not apply".into())
            }
            "--download-dir" => {
                Some("show saves nothing; --download-dir is for the browser".into())
            }
            "--image-protocol" => Some(
                "show draws images with half-blocks or iTerm2's protocol by itself (--no-images \
                 leaves them out); --image-protocol is for the browser"
                    .into(),
            ),
            _ => None,
        })
    }

    pub(super) async fn run(self, env: &dyn Env) -> Result<u8, CliError> {
        let from = DataFrom::choose(self.api.demo_options()?, self.archive.clone())?;
        let source_kind = from.audit_kind();
        let mut overrides = self.api.overrides(from.keyless());
        overrides.time_zone = self.time_zone.clone();
        let loaded = load_config(&overrides, env)?;
        // An archive's problems are about the whole export, not this process: the browser shows
        // them; `show` says what is missing of this process if anything is, and what of the
        // archive's bookkeeping it could not trust (a damaged manifest...) and used instead.
        let setup = source_setup(&loaded.config, from, None).await?;
        for line in &setup.bookkeeping {
            eprintln!("truora-tui: warning: {line}");
        }
        let opts = ShowOptions {
            json: self.json,
            images: !self.no_images,
            width: self.width,
            private: self.private || loaded.config.private,
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
                eprintln!("truora-tui: {e}");
                Ok(EXIT_FAILURE)
            }
        }
    }
}
