//! `truora-tui [browse]`: the browser, over the live API, the demo, an archive or an ids file.

use std::future::Future;
use std::path::PathBuf;

use clap::Args;

use super::args::load_config;
use super::leading::Leading;
use super::{ApiArgs, CliError, DataFrom, EXIT_OK, SourceSetup, source_setup};
use crate::config::{Config, Env, ImageProtocol};
use crate::source::Source;

#[derive(Args, Clone, Debug, Default)]
pub struct BrowseArgs {
    #[command(flatten)]
    pub api: ApiArgs,
    /// Browse an export offline: no network, no key
    #[arg(long, value_name = "DIR")]
    pub archive: Option<PathBuf>,
    /// Only these processes: one id per line, or a CSV with a process id column
    #[arg(long, value_name = "FILE")]
    pub ids_file: Option<PathBuf>,
    /// Where saved images go
    #[arg(long, value_name = "DIR")]
    pub download_dir: Option<PathBuf>,
    /// How images are drawn in the terminal
    #[arg(long, value_enum, value_name = "PROTOCOL")]
    pub image_protocol: Option<ImageProtocol>,
    /// Read the newest processes again every SECS seconds (30 without a value, at least 5)
    #[arg(long, value_name = "SECS", num_args = 0..=1, default_missing_value = "30",
          value_parser = clap::value_parser!(u64).range(5..=86_400))]
    pub watch: Option<u64>,
    /// Start with personal data masked and photos pixelated (toggle with `P`); for shared
    /// screens, not access control
    #[arg(long)]
    pub private: bool,
    /// Show times in this zone: an IANA name such as America/Bogota, UTC, or local (default:
    /// `time_zone` in the config, else TZ, else the system's zone)
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
}

impl BrowseArgs {
    pub(super) fn absorb(&mut self, leading: Leading) -> Result<(), CliError> {
        leading.take_all(self)
    }

    pub(super) async fn run(self, env: &dyn Env) -> Result<u8, CliError> {
        let from = DataFrom::choose(self.api.demo_options()?, self.archive.clone())?;
        let source_kind = from.audit_kind();
        let mut overrides = self.api.overrides(from.keyless());
        overrides.download_dir = self.download_dir;
        overrides.image_protocol = self.image_protocol;
        overrides.watch = self.watch.map(std::time::Duration::from_secs);
        overrides.private = self.private;
        overrides.time_zone = self.time_zone;
        let loaded = load_config(&overrides, env)?;
        let mut setup = source_setup(&loaded.config, from, self.ids_file.as_deref()).await?;
        let mut warnings = loaded.warnings;
        warnings.append(&mut setup.warnings);
        let audit =
            super::setup::audit_session(&loaded.config, source_kind, setup.source.api_key());
        let browser =
            |config, warnings, source| crate::browse::run(config, warnings, source, audit);
        browse_then_stop(loaded.config, warnings, setup, browser).await
    }
}

/// Runs `browser` over the source, then stops the demo server whatever the browser's outcome:
/// one that fails to start (no terminal) must not leave it running.
pub(crate) async fn browse_then_stop<B, F>(
    config: Config,
    warnings: Vec<String>,
    setup: SourceSetup,
    browser: B,
) -> Result<u8, CliError>
where
    B: FnOnce(Config, Vec<String>, Source) -> F,
    F: Future<Output = anyhow::Result<()>>,
{
    let outcome = browser(config, warnings, setup.source).await;
    setup.demo.stop().await;
    outcome.map_err(CliError::Failed)?;
    Ok(EXIT_OK)
}
