//! The global options: declared once, accepted before or after any command name (clap's
//! `global = true`), shown under one "Global options" heading. Which command uses which is the
//! table in `scope.rs`; the guard refuses the rest, so a command reads here only what it uses.

use std::path::PathBuf;

use clap::Args;

use super::CliError;
use crate::config::{self, Env, Loaded, Overrides};

/// The help heading of the global options, in every command's `--help`.
pub const GLOBAL_HEADING: &str = "Global options";

#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
#[command(next_help_heading = GLOBAL_HEADING)]
pub struct GlobalArgs {
    /// Config file (default: the platform's config dir, or TRUORA_TUI_CONFIG)
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Use the embedded demo API: no account or key needed (`reviews`: the demo's own store)
    #[arg(long, global = true)]
    pub demo: bool,
    /// Privacy mode: mask names, document numbers, birth dates, phones, e-mails, addresses, IPs
    /// and signed image links (also `private = true` in the config). The browser starts masked
    /// (`P` toggles it) and draws a placeholder naming each photo instead of the photo; `show`
    /// masks its text and --json and prints the photos pixelated. For shared screens, not
    /// access control
    #[arg(long, global = true)]
    pub private: bool,
    /// Folder of the access log (default: the data dir; TRUORA_TUI_AUDIT_LOG); also turns the
    /// log on for --demo
    #[arg(long, global = true, value_name = "PATH")]
    pub audit_log: Option<PathBuf>,
    /// The review store file (decisions and notes); default `reviews.sqlite3` in the data dir,
    /// or TRUORA_TUI_REVIEW_DB
    #[arg(long, global = true, value_name = "FILE")]
    pub review_db: Option<PathBuf>,
    /// Show times in this zone: an IANA name such as America/Bogota, UTC, or local (default:
    /// `time_zone` in the config, else TZ, else the system's zone)
    #[arg(long, global = true, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// Identity API base URL (default https://api.identity.truora.com)
    #[arg(long, global = true, value_name = "URL")]
    pub identity_url: Option<String>,
    /// Validations API base URL (default https://api.validations.truora.com)
    #[arg(long, global = true, value_name = "URL")]
    pub validations_url: Option<String>,
}

impl GlobalArgs {
    /// The flags' part of the config merge: the one place where options become
    /// [`Overrides`]. `keyless`: no API key is needed (the demo, an archive read offline, or a
    /// command that calls no API). The browser adds its own options on top.
    pub fn overrides(&self, keyless: bool) -> Overrides {
        Overrides {
            config_path: self.config.clone(),
            identity_url: self.identity_url.clone(),
            validations_url: self.validations_url.clone(),
            download_dir: None,
            image_protocol: None,
            watch: None,
            private: self.private,
            demo: self.demo || keyless,
            review_db: self.review_db.clone(),
            demo_data: self.demo,
            audit_log: self.audit_log.clone(),
            time_zone: self.time_zone.clone(),
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
