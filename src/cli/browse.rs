//! `truora-tui [browse]`: the browser, over the live API, the demo, an archive or an ids file.

use std::future::Future;
use std::path::PathBuf;

use clap::Args;

use super::demo_knobs::{DEMO_HEADING, DemoKnobs};
use super::{CliError, DataFrom, EXIT_OK, GlobalArgs, SourceSetup, load_config, source_setup};
use crate::config::{Config, Env, ImageProtocol};
use crate::source::Source;

// The browser's own options. Also the top level's: `truora-tui --demo --watch 5` is the
// browser.
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct BrowseArgs {
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
    #[command(flatten)]
    pub knobs: DemoKnobs,
    /// Processes per list page
    #[arg(long, hide = true, value_name = "N", help_heading = DEMO_HEADING)]
    pub demo_page_size: Option<usize>,
    /// With --demo: a new process arrives every SECS seconds, some pending that finish later
    /// (try --watch)
    #[arg(long, value_name = "SECS", help_heading = DEMO_HEADING,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub demo_arrivals: Option<u64>,
}

impl BrowseArgs {
    pub(super) async fn run(self, globals: GlobalArgs, env: &dyn Env) -> Result<u8, CliError> {
        let demo = globals.demo.then(|| {
            let knobs = &self.knobs;
            knobs.options(self.demo_page_size, self.demo_arrivals)
        });
        let from = DataFrom::choose(demo, self.archive.clone())?;
        if let (DataFrom::Archive(_), Some(_)) = (&from, self.watch) {
            return Err(CliError::Usage(
                "--watch reads the newest processes from the API again; an archive does not \
                 change (browse it without --watch)"
                    .into(),
            ));
        }
        let source_kind = from.audit_kind();
        let mut overrides = globals.overrides(from.keyless());
        overrides.download_dir = self.download_dir;
        overrides.image_protocol = self.image_protocol;
        overrides.watch = self.watch.map(std::time::Duration::from_secs);
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
