//! Configuration: built-in defaults < TOML file < environment < command-line flags.
//!
//! [`load`] does all the merging and validation up front, so a typo in the file or a bad URL in
//! an environment variable stops the program before the terminal is taken over, with a message
//! that says where the bad value came from. Running `api_key_command` is left to
//! [`Config::resolve_api_key`] because only live mode needs a key and the command may prompt a
//! password manager.
//!
//! The API key: an explicit key wins over `api_key_command` (`TRUORA_API_KEY` first, then
//! `api_key` in the file); the command runs only when no explicit key is set. There is no flag
//! for the key on purpose: command lines show up in `ps` and shell history.

mod error;
mod file;
mod key_command;
mod keys;
mod merge;
mod places;
mod platform;
mod review;
/// The tests use unix file modes and `sh`; the tool targets unix hosts reached over SSH.
#[cfg(all(test, unix))]
mod tests;
mod time_zone;
mod values;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use crate::api::ApiKey;
pub use error::{ConfigError, Location, Origin};

pub const DEFAULT_IDENTITY_BASE_URL: &str = "https://api.identity.truora.com";
pub const DEFAULT_VALIDATIONS_BASE_URL: &str = "https://api.validations.truora.com";
pub const DEFAULT_CONCURRENCY: usize = 8;
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 30;
/// The shortest `watch` interval: a poll costs at least one list request.
pub const MIN_WATCH_SECS: u64 = 5;
/// `--watch` without a value.
pub const DEFAULT_WATCH_SECS: u64 = 30;
/// How long `api_key_command` may take, e.g. for the user to unlock a password manager.
pub const API_KEY_COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

pub const ENV_API_KEY: &str = "TRUORA_API_KEY";
pub const ENV_IDENTITY_BASE_URL: &str = "TRUORA_IDENTITY_BASE_URL";
pub const ENV_VALIDATIONS_BASE_URL: &str = "TRUORA_VALIDATIONS_BASE_URL";
pub const ENV_DOWNLOAD_DIR: &str = "TRUORA_TUI_DOWNLOAD_DIR";
pub const ENV_CONFIG: &str = "TRUORA_TUI_CONFIG";
pub const ENV_REVIEW_DB: &str = "TRUORA_TUI_REVIEW_DB";
pub const ENV_REVIEWER: &str = "TRUORA_TUI_REVIEWER";
pub const ENV_AUDIT_LOG: &str = "TRUORA_TUI_AUDIT_LOG";

/// How images are drawn inside the TUI; `Auto` asks the terminal, `Off` draws none (e.g. when
/// reviewing over a slow link).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ImageProtocol {
    #[default]
    Auto,
    Kitty,
    Iterm2,
    Sixel,
    Halfblocks,
    Off,
}

impl ImageProtocol {
    /// The spelling used in the config file and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ImageProtocol::Auto => "auto",
            ImageProtocol::Kitty => "kitty",
            ImageProtocol::Iterm2 => "iterm2",
            ImageProtocol::Sixel => "sixel",
            ImageProtocol::Halfblocks => "halfblocks",
            ImageProtocol::Off => "off",
        }
    }
}

impl fmt::Display for ImageProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How half-block pictures are coloured: `auto` asks the terminal (`COLORTERM`, terminfo);
/// `256` is the xterm palette (right colours without true colour, and fewer bytes on a slow
/// link); `truecolor` is 24-bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Deserialize)]
pub enum ImageColors {
    #[default]
    #[serde(rename = "auto")]
    Auto,
    #[serde(rename = "truecolor")]
    Truecolor,
    #[serde(rename = "256")]
    Xterm256,
}

/// How long images wait for the selection to rest, unless `image_rest_ms` says otherwise.
pub const DEFAULT_IMAGE_REST_MS: u64 = 120;

/// Config's check of a freshly read key, beside the error it gives; the key itself is `api`'s.
impl ApiKey {
    /// Checks a freshly resolved key; `from` says where it came from, for the message (which
    /// never includes the key).
    pub(crate) fn checked(key: String, from: impl FnOnce() -> String) -> Result<Self, ConfigError> {
        let key = ApiKey::new(key);
        match key.to_header() {
            Some(_) => Ok(key),
            None => Err(ConfigError::InvalidApiKey { from: from() }),
        }
    }
}

/// Values from command-line flags, the highest precedence. Empty strings and paths count as
/// unset, the same rule as for environment variables.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub config_path: Option<PathBuf>,
    pub identity_url: Option<String>,
    pub validations_url: Option<String>,
    pub download_dir: Option<PathBuf>,
    pub image_protocol: Option<ImageProtocol>,
    /// `--watch [SECS]`: read the newest processes again on this interval.
    pub watch: Option<Duration>,
    /// `--private`: start with personal data masked.
    pub private: bool,
    /// Demo mode talks to the embedded fake API and needs no key.
    pub demo: bool,
    /// `--review-db`: the review store file.
    pub review_db: Option<PathBuf>,
    /// The data is the embedded demo's (not an archive or live): its review decisions go to a
    /// store of their own.
    pub demo_data: bool,
    /// `--audit-log PATH`: the access log's folder.
    pub audit_log: Option<PathBuf>,
    /// `--time-zone`: an IANA name, `UTC` or `local`.
    pub time_zone: Option<String>,
}

/// The merged, validated settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// An explicit key (`TRUORA_API_KEY`, else `api_key` in the file); wins over the command.
    pub api_key: Option<ApiKey>,
    pub api_key_command: Option<String>,
    /// Always ends in `/`, so `join("v1/...")` keeps any path prefix.
    pub identity_base_url: Url,
    /// Always ends in `/`, like `identity_base_url`.
    pub validations_base_url: Url,
    pub download_dir: PathBuf,
    pub image_protocol: ImageProtocol,
    /// Start in privacy mode (`--private` or `private = true`); a visual aid, not access control.
    pub private: bool,
    pub concurrency: usize,
    pub request_timeout: Duration,
    /// `--watch` / `watch`: the list is read again this often (at least 5 s); `None`: once.
    pub watch: Option<Duration>,
    /// `watch_bell = true`: a poll that finds a new failure rings the terminal's bell.
    pub watch_bell: bool,
    /// `image_colors`: the half-blocks' palette, or `Auto` to ask the terminal.
    pub image_colors: ImageColors,
    /// `image_max_cells = "60x30"`: the largest image area, in (columns, rows).
    pub image_max_cells: Option<(u16, u16)>,
    /// `image_rest_ms`: images wait until the selection has stayed put this long.
    pub image_rest: Duration,
    /// Action name → key strings, checked at load against the keymap (unknown actions and keys,
    /// a key given to two actions are errors with the file's line).
    pub keys: BTreeMap<String, Vec<String>>,
    /// The config file actually read, if any.
    pub file: Option<PathBuf>,
    /// The name recorded on review decisions: `reviewer` in the file, `TRUORA_TUI_REVIEWER`, else
    /// the login name.
    pub reviewer: String,
    /// The review store. The demo keeps its own file (`demo-` + the name), never the real one.
    pub review_db: PathBuf,
    /// `review_db` is the demo's own file (`demo-` + the configured name, not a `--review-db`
    /// given for one run): the one seeded with a colleague's decisions
    /// ([`crate::demo::seed_review_store`]).
    pub demo_review_store: bool,
    /// The access log's folder when one was chosen (flag > environment > file); `None` means
    /// the default place. Whether the log is on: [`crate::audit::session_dir`].
    pub audit_log: Option<PathBuf>,
    /// `audit = true/false` in the file: forces the access log on (also for the demo) or off.
    pub audit: Option<bool>,
    /// The key's name for the access log (instead of its fingerprint).
    pub api_key_label: Option<String>,
    /// The zone the browser and `show` show times in (`--time-zone` > `time_zone` > `TZ` >
    /// the system's); exports and raw JSON keep Truora's UTC.
    pub time_zone: crate::date::zone::DisplayZone,
}

/// A loaded config plus problems worth telling the user about that should not stop the program
/// (e.g. a key file others can read). The caller decides where to show them: a TUI owns stdout.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub config: Config,
    pub warnings: Vec<String>,
}

/// Reads environment variables; a trait so tests pass a `HashMap` instead of mutating the
/// process environment, which is shared by all test threads.
pub trait Env {
    fn var(&self, name: &str) -> Option<String>;
}

/// The real process environment.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        // Lossy rather than dropped, so a non-UTF-8 value shows up in an error instead of
        // being silently ignored.
        std::env::var_os(name).map(|value| value.to_string_lossy().into_owned())
    }
}

impl<S: BuildHasher> Env for HashMap<String, String, S> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

/// `~/.config/truora-tui/config.toml` on Linux, the platform's equivalent elsewhere.
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("com", "truora", "truora-tui")
        .map(|dirs| dirs.config_dir().join("config.toml"))
}

/// Merges defaults, the config file, the environment and `overrides`, and validates the result.
///
/// Fails with [`ConfigError::NoApiKey`] when there is neither a key nor a key command, unless
/// `overrides.demo` is set.
pub fn load(overrides: &Overrides, env: &dyn Env) -> Result<Loaded, ConfigError> {
    merge::load_with(overrides, env, &platform::Platform::detect())
}

impl Config {
    /// The key to send: the explicit key if there is one, else the output of `api_key_command`.
    pub async fn resolve_api_key(&self) -> Result<ApiKey, ConfigError> {
        if let Some(key) = &self.api_key {
            return Ok(key.clone());
        }
        if let Some(command) = &self.api_key_command {
            return key_command::run(command, API_KEY_COMMAND_TIMEOUT).await;
        }
        Err(ConfigError::NoApiKey {
            config_path: self.file.clone().or_else(default_config_path),
        })
    }
}
