//! Options shared by the subcommands that read Truora's data (browse, export, show), and the
//! glue from them to the config merge.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::CliError;
use crate::config::{self, Env, Loaded, Overrides};
use crate::demo::DemoOptions;

/// Where the API is and how to reach it.
#[derive(Args, Clone, Debug, Default)]
pub struct ApiArgs {
    /// Config file (default: the platform's config dir, or TRUORA_TUI_CONFIG)
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Identity API base URL (default https://api.identity.truora.com)
    #[arg(long, value_name = "URL")]
    pub identity_url: Option<String>,
    /// Validations API base URL (default https://api.validations.truora.com)
    #[arg(long, value_name = "URL")]
    pub validations_url: Option<String>,
    /// Use the embedded demo API: no account or key needed
    #[arg(long)]
    pub demo: bool,
    /// Folder of the access log (default: the data dir; TRUORA_TUI_AUDIT_LOG); also turns the
    /// log on for --demo
    #[arg(long, value_name = "PATH")]
    pub audit_log: Option<PathBuf>,
    /// The review store file (decisions and notes); default `reviews.sqlite3` in the data dir
    #[arg(long, value_name = "FILE")]
    pub review_db: Option<PathBuf>,
    #[command(flatten)]
    pub knobs: DemoKnobs,
}

/// Demo server knobs, for tests and benchmarks (hidden from `--help`).
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoKnobs {
    /// Latency added to every demo request, in milliseconds
    #[arg(long, hide = true, value_name = "MS")]
    pub demo_latency_ms: Option<u64>,
    /// Number of synthetic processes
    #[arg(long, hide = true, value_name = "N")]
    pub demo_processes: Option<usize>,
    /// Lifetime of demo image links, in seconds
    #[arg(long, hide = true, value_name = "SECS")]
    pub demo_link_lifetime_secs: Option<u64>,
    /// Processes per list page
    #[arg(long, hide = true, value_name = "N")]
    pub demo_page_size: Option<usize>,
    /// Demo: a new process arrives every SECS seconds, some pending that finish later (try --watch)
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..))]
    pub demo_arrivals: Option<u64>,
}

impl DemoKnobs {
    pub fn options(&self) -> DemoOptions {
        let mut o = DemoOptions::default();
        if let Some(ms) = self.demo_latency_ms {
            o.latency = Duration::from_millis(ms);
        }
        if let Some(n) = self.demo_processes {
            o.processes = n;
        }
        if let Some(s) = self.demo_link_lifetime_secs {
            o.link_lifetime = Duration::from_secs(s);
        }
        if let Some(n) = self.demo_page_size {
            o.page_size = n.max(1);
        }
        o.arrivals = self.demo_arrivals.map(Duration::from_secs);
        o
    }

    /// The flag of the first knob given, if any.
    pub fn first_given(&self) -> Option<&'static str> {
        [
            (self.demo_latency_ms.is_some(), "--demo-latency-ms"),
            (self.demo_processes.is_some(), "--demo-processes"),
            (
                self.demo_link_lifetime_secs.is_some(),
                "--demo-link-lifetime-secs",
            ),
            (self.demo_page_size.is_some(), "--demo-page-size"),
            (self.demo_arrivals.is_some(), "--demo-arrivals"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }
}

impl ApiArgs {
    /// The demo's options with `--demo`, `None` for the live API; demo knobs without `--demo`
    /// would be silently ignored, so they are refused.
    pub fn demo_options(&self) -> Result<Option<DemoOptions>, CliError> {
        if self.demo {
            return Ok(Some(self.knobs.options()));
        }
        match self.knobs.first_given() {
            Some(flag) => Err(CliError::Usage(format!(
                "{flag} sets up the demo API: add --demo"
            ))),
            None => Ok(None),
        }
    }

    /// The flags' part of the config merge. `keyless`: no API key is needed (the demo, or an
    /// archive read offline).
    pub fn overrides(&self, keyless: bool) -> Overrides {
        Overrides {
            config_path: self.config.clone(),
            identity_url: self.identity_url.clone(),
            validations_url: self.validations_url.clone(),
            download_dir: None,
            image_protocol: None,
            watch: None,
            private: false,
            demo: self.demo || keyless,
            review_db: self.review_db.clone(),
            demo_data: self.demo,
            audit_log: self.audit_log.clone(),
            time_zone: None,
        }
    }
}

/// Merges defaults, the config file, `env` and the flags; the warnings (a key file others can
/// read, plain http) go to stderr now, before any terminal is taken over, and are returned for
/// the browser's status bar too.
pub fn load_config(overrides: &Overrides, env: &dyn Env) -> Result<Loaded, CliError> {
    let loaded = config::load(overrides, env)?;
    for warning in &loaded.warnings {
        eprintln!("truora-tui: warning: {warning}");
    }
    Ok(loaded)
}
