//! Everything that can go wrong while building a [`Config`](super::Config).
//!
//! Each message names the bad value and where it came from, and says what to do, because the
//! user reads it in a terminal with nothing else to go on.

use std::fmt;
use std::path::PathBuf;

/// Where a setting came from, so an error can point the user at the right place to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag, e.g. `--identity-url`.
    Flag(&'static str),
    /// An environment variable, e.g. `TRUORA_IDENTITY_BASE_URL`.
    Env(&'static str),
    /// A line of the config file.
    File(Location),
    /// The built-in default; only appears if a default were ever broken, which a test guards.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Flag(flag) => write!(f, "flag {flag}"),
            Origin::Env(var) => write!(f, "environment variable {var}"),
            Origin::File(at) => write!(f, "{at}"),
            Origin::Default => f.write_str("built-in default"),
        }
    }
}

/// A place in the config file, shown as `path:line` the way compilers do, so editors can jump to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    /// 1-based; `None` when the TOML parser gave no position.
    pub line: Option<usize>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.path.display()),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// Shown in [`ConfigError::NoApiKey`] when no config file path could be worked out at all.
fn config_path_or_hint(path: &Option<PathBuf>) -> String {
    match path {
        Some(path) => path.display().to_string(),
        None => "(none yet; choose one with --config PATH)".to_owned(),
    }
}

/// Why the configuration could not be built. Every variant is a usage error: main prints the
/// message and exits with [`ConfigError::exit_code`].
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A PostgreSQL URL where this build can only set a team store up.
    #[error(
        "the review store {shown} is a PostgreSQL team store: this build sets one up (`truora-tui \
         reviews setup --review-db URL`) but does not yet browse, list or export it; give \
         --review-db an SQLite file for now"
    )]
    TeamStoreNotYet { shown: String },

    #[error(
        "config file {} (given by {origin}) does not exist; fix the path or create the file \
         (see .config-example)",
        path.display()
    )]
    FileNotFound { path: PathBuf, origin: Origin },

    #[error("cannot read config file {}: {source}; check that it is a readable text file", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{at}: invalid TOML: {message}; fix the syntax on that line (see .config-example)")]
    Syntax { at: Location, message: String },

    #[error(
        "{at}: unknown key `{key}` (expected one of {expected}); fix the spelling or remove it \
         (see .config-example)"
    )]
    UnknownKey {
        at: Location,
        key: String,
        expected: String,
    },

    /// A mistake in the `[keys]` table: the keymap's words, at the entry's line.
    #[error("{at}: [keys] {problem}; fix or remove that entry (see .config-example){more}")]
    Keys {
        at: Location,
        problem: String,
        more: String,
    },

    #[error("{at}: bad value for `{key}`: {message}; expected {expected}")]
    WrongType {
        at: Location,
        key: String,
        message: String,
        expected: String,
    },

    #[error(
        "{origin}: invalid URL {value:?} for {key}: {reason}; use a full http:// or https:// \
         address such as {example}"
    )]
    InvalidUrl {
        origin: Origin,
        key: &'static str,
        value: String,
        reason: String,
        example: &'static str,
    },

    #[error("{origin}: `{key} = {value}` is out of range; use a whole number from {min} to {max}")]
    OutOfRange {
        origin: Origin,
        key: &'static str,
        value: i64,
        min: i64,
        max: i64,
    },

    #[error(
        "{origin}: unknown time zone {value:?} for time_zone; use an IANA name such as \
         \"America/Bogota\" or \"Europe/Madrid\", \"UTC\", or \"local\" for the TZ environment \
         variable or else the system's zone"
    )]
    UnknownTimeZone { origin: Origin, value: String },

    #[error(
        "no Truora API key found; give one in any of these ways: set the TRUORA_API_KEY \
         environment variable, or put `api_key = \"...\"` in the config file {}, or put \
         `api_key_command = \"pass show truora\"` (a command that prints the key) in that config \
         file; or run with --demo to try the app without a key",
        config_path_or_hint(config_path)
    )]
    NoApiKey { config_path: Option<PathBuf> },

    /// The key itself is never included: the message only says where it came from.
    #[error(
        "the API key contains characters that cannot be sent in a header (a newline?): check \
         {from}; the key must be one line of plain text"
    )]
    InvalidApiKey { from: String },

    /// The command's stdout is never included: it may hold (part of) the key.
    #[error(
        "api_key_command `{command}` {problem} ({status}); its stderr: {stderr}; fix the command \
         in the config file or set TRUORA_API_KEY instead"
    )]
    ApiKeyCommand {
        command: String,
        problem: String,
        status: String,
        stderr: String,
    },
}

impl ConfigError {
    /// Every configuration problem is a usage error; main exits with this code.
    pub fn exit_code(&self) -> i32 {
        2
    }
}

/// 1-based line of a byte offset. Counts bytes so an offset off a char boundary cannot panic.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.bytes().take(offset).filter(|&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_of_counts_newlines_and_never_panics() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
        assert_eq!(line_of("é\nb", 1), 1);
    }
}
