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
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;
use url::Url;

pub use error::{ConfigError, Location, Origin};
use file::{FileConfig, KeyList};

pub const DEFAULT_IDENTITY_BASE_URL: &str = "https://api.identity.truora.com";
pub const DEFAULT_VALIDATIONS_BASE_URL: &str = "https://api.validations.truora.com";
pub const DEFAULT_CONCURRENCY: usize = 8;
pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 30;
/// How long `api_key_command` may take, e.g. for the user to unlock a password manager.
pub const API_KEY_COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

pub const ENV_API_KEY: &str = "TRUORA_API_KEY";
pub const ENV_IDENTITY_BASE_URL: &str = "TRUORA_IDENTITY_BASE_URL";
pub const ENV_VALIDATIONS_BASE_URL: &str = "TRUORA_VALIDATIONS_BASE_URL";
pub const ENV_DOWNLOAD_DIR: &str = "TRUORA_TUI_DOWNLOAD_DIR";
pub const ENV_CONFIG: &str = "TRUORA_TUI_CONFIG";

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

/// The Truora API key. Debug and Display never show it, so it cannot leak through logs, panics
/// or `{:?}` of a [`Config`]; [`ApiKey::expose`] is for the one place that sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: String) -> Self {
        ApiKey(key)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
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
    /// Demo mode talks to the embedded fake API and needs no key.
    pub demo: bool,
}

/// The merged, validated settings.
#[derive(Clone, Debug)]
pub struct Config {
    /// An explicit key (`TRUORA_API_KEY`, else `api_key` in the file); wins over the command.
    pub api_key: Option<ApiKey>,
    pub api_key_command: Option<String>,
    pub identity_base_url: Url,
    pub validations_base_url: Url,
    pub download_dir: PathBuf,
    pub image_protocol: ImageProtocol,
    pub concurrency: usize,
    pub request_timeout: Duration,
    /// Action name → key strings, unchecked here: the keymap validates names and key syntax.
    pub keys: BTreeMap<String, Vec<String>>,
    /// The config file actually read, if any.
    pub file: Option<PathBuf>,
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
    load_with(overrides, env, &Platform::detect())
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

/// What the platform contributes; a parameter so tests never read the real user's config file.
#[derive(Clone, Debug)]
struct Platform {
    config_path: Option<PathBuf>,
    download_dir: PathBuf,
    home: Option<PathBuf>,
}

impl Platform {
    fn detect() -> Self {
        let download_dir = directories::UserDirs::new()
            .and_then(|dirs| dirs.download_dir().map(|dir| dir.join("truora-tui")))
            .unwrap_or_else(|| PathBuf::from("./truora-tui-downloads"));
        let home = directories::BaseDirs::new().map(|dirs| dirs.home_dir().to_path_buf());
        Platform {
            config_path: default_config_path(),
            download_dir,
            home,
        }
    }
}

fn load_with(
    overrides: &Overrides,
    env: &dyn Env,
    platform: &Platform,
) -> Result<Loaded, ConfigError> {
    let home = platform.home.as_deref();
    let candidate = config_candidate(overrides, env, platform);
    let text = match &candidate {
        Some(candidate) => read_config(candidate)?,
        None => None,
    };
    let (file, path) = match (&candidate, &text) {
        (Some(candidate), Some(text)) => {
            (file::parse(&candidate.path, text)?, Some(&candidate.path))
        }
        _ => (FileConfig::default(), None),
    };
    let at = |span: std::ops::Range<usize>| {
        Origin::File(Location {
            path: path.cloned().unwrap_or_default(),
            line: text.as_deref().map(|text| file::line_of(text, span.start)),
        })
    };

    let mut warnings = Vec::new();
    let file_key = non_empty(file.api_key.as_deref());
    if let (Some(path), Some(_)) = (path, &file_key) {
        warnings.extend(permission_warning(path));
    }
    let api_key = env_var(env, ENV_API_KEY)
        .as_deref()
        .and_then(|key| non_empty(Some(key)))
        .or(file_key);
    let api_key_command = non_empty(file.api_key_command.as_deref());

    let identity_base_url = url_setting(
        ("identity_base_url", DEFAULT_IDENTITY_BASE_URL),
        (&overrides.identity_url, "--identity-url"),
        env_var(env, ENV_IDENTITY_BASE_URL).map(|value| (value, ENV_IDENTITY_BASE_URL)),
        file.identity_base_url
            .as_ref()
            .map(|value| (value.get_ref().clone(), at(value.span()))),
    )?;
    let validations_base_url = url_setting(
        ("validations_base_url", DEFAULT_VALIDATIONS_BASE_URL),
        (&overrides.validations_url, "--validations-url"),
        env_var(env, ENV_VALIDATIONS_BASE_URL).map(|value| (value, ENV_VALIDATIONS_BASE_URL)),
        file.validations_base_url
            .as_ref()
            .map(|value| (value.get_ref().clone(), at(value.span()))),
    )?;
    let download_dir = overrides
        .download_dir
        .clone()
        .filter(|dir| !dir.as_os_str().is_empty())
        .or_else(|| env_var(env, ENV_DOWNLOAD_DIR).map(PathBuf::from))
        .or_else(|| non_empty(file.download_dir.as_deref()).map(PathBuf::from))
        .map(|dir| expand_tilde(&dir, home))
        .unwrap_or_else(|| platform.download_dir.clone());
    let concurrency = in_range(file.concurrency.as_ref(), "concurrency", 64, &at)?
        .map_or(DEFAULT_CONCURRENCY, |n| n as usize);
    let timeout_secs = in_range(
        file.request_timeout_secs.as_ref(),
        "request_timeout_secs",
        600,
        &at,
    )?
    .map_or(DEFAULT_REQUEST_TIMEOUT_SECS, |n| n as u64);

    if !overrides.demo && api_key.is_none() && api_key_command.is_none() {
        let config_path = candidate
            .map(|candidate| candidate.path)
            .or_else(|| platform.config_path.clone());
        return Err(ConfigError::NoApiKey { config_path });
    }
    let config = Config {
        api_key: api_key.map(ApiKey::new),
        api_key_command,
        identity_base_url,
        validations_base_url,
        download_dir,
        image_protocol: overrides
            .image_protocol
            .or(file.image_protocol)
            .unwrap_or_default(),
        concurrency,
        request_timeout: Duration::from_secs(timeout_secs),
        keys: file
            .keys
            .into_iter()
            .map(|(action, KeyList(keys))| (action, keys))
            .collect(),
        file: path.cloned(),
    };
    Ok(Loaded { config, warnings })
}

/// The config file to read. `origin` is `None` for the default location, which may be missing;
/// a path the user named must exist.
struct Candidate {
    path: PathBuf,
    origin: Option<Origin>,
}

fn config_candidate(
    overrides: &Overrides,
    env: &dyn Env,
    platform: &Platform,
) -> Option<Candidate> {
    let home = platform.home.as_deref();
    if let Some(path) = overrides
        .config_path
        .as_ref()
        .filter(|path| !path.as_os_str().is_empty())
    {
        let path = expand_tilde(path, home);
        return Some(Candidate {
            path,
            origin: Some(Origin::Flag("--config")),
        });
    }
    if let Some(path) = env_var(env, ENV_CONFIG) {
        let path = expand_tilde(Path::new(&path), home);
        return Some(Candidate {
            path,
            origin: Some(Origin::Env(ENV_CONFIG)),
        });
    }
    let path = platform.config_path.clone()?;
    Some(Candidate { path, origin: None })
}

fn read_config(candidate: &Candidate) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(&candidate.path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => match &candidate.origin {
            None => Ok(None),
            Some(origin) => Err(ConfigError::FileNotFound {
                path: candidate.path.clone(),
                origin: origin.clone(),
            }),
        },
        Err(source) => Err(ConfigError::Read {
            path: candidate.path.clone(),
            source,
        }),
    }
}

/// An environment variable, with empty (or all-blank) values counting as unset.
fn env_var(env: &dyn Env, name: &str) -> Option<String> {
    env.var(name).filter(|value| !value.trim().is_empty())
}

/// A trimmed string, `None` when blank: `api_key = ""` in a template means "not set".
fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(str::to_owned)
}

/// Picks a URL by precedence (flag > env > file > default) and validates it, naming its source.
fn url_setting(
    (key, default): (&'static str, &'static str),
    (flag, flag_name): (&Option<String>, &'static str),
    env: Option<(String, &'static str)>,
    file: Option<(String, Origin)>,
) -> Result<Url, ConfigError> {
    let flag = non_empty(flag.as_deref()).map(|value| (value, Origin::Flag(flag_name)));
    let env = env.map(|(value, name)| (value, Origin::Env(name)));
    let (value, origin) = flag
        .or(env)
        .or(file)
        .unwrap_or_else(|| (default.to_owned(), Origin::Default));
    parse_url(&value, origin, key, default)
}

/// Only absolute http(s) URLs with a host; a query or fragment would break joining API paths.
fn parse_url(
    value: &str,
    origin: Origin,
    key: &'static str,
    example: &'static str,
) -> Result<Url, ConfigError> {
    let problem = match Url::parse(value.trim()) {
        Err(_) if value.trim().is_empty() => "it is empty".to_owned(),
        Err(err) => err.to_string(),
        Ok(url) if !matches!(url.scheme(), "http" | "https") => {
            format!(
                "the scheme is `{}`, only http and https are supported",
                url.scheme()
            )
        }
        Ok(url) if url.host_str().is_none_or(str::is_empty) => "it has no host".to_owned(),
        Ok(url) if url.query().is_some() || url.fragment().is_some() => {
            "a base URL cannot have a ?query or #fragment".to_owned()
        }
        Ok(url) => return Ok(url),
    };
    Err(ConfigError::InvalidUrl {
        origin,
        key,
        value: value.to_owned(),
        reason: problem,
        example,
    })
}

/// Checks a whole-number setting against `1..=max`.
fn in_range(
    value: Option<&Spanned<i64>>,
    key: &'static str,
    max: i64,
    at: &dyn Fn(std::ops::Range<usize>) -> Origin,
) -> Result<Option<i64>, ConfigError> {
    match value {
        None => Ok(None),
        Some(n) if (1..=max).contains(n.get_ref()) => Ok(Some(*n.get_ref())),
        Some(n) => Err(ConfigError::OutOfRange {
            origin: at(n.span()),
            key,
            value: *n.get_ref(),
            min: 1,
            max,
        }),
    }
}

/// Expands a leading `~` component (not `~user`) the way a shell would, since values from the
/// file, the environment and `--flag=~/x` never went through one.
fn expand_tilde(path: &Path, home: Option<&Path>) -> PathBuf {
    match (path.strip_prefix("~"), home) {
        (Ok(rest), Some(home)) if rest.as_os_str().is_empty() => home.to_path_buf(),
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    }
}

/// The key is a credential: warn when the file holding it is readable by group or others.
#[cfg(unix)]
fn permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "config file {path} contains api_key but other users can read it (mode {mode:o}); \
             run `chmod 600 {path}` to keep the key private",
            path = path.display()
        )
    })
}

#[cfg(not(unix))]
fn permission_warning(_path: &Path) -> Option<String> {
    None
}
