//! How a command ends, as an exit code: the one place that maps errors to codes.

use crate::config::ConfigError;
use crate::ids::IdsError;

/// Done (for `export`: every process exported).
pub const EXIT_OK: u8 = 0;
/// Failed while running; for `export`, some processes failed (run it again to retry them).
pub const EXIT_FAILURE: u8 = 1;
/// A usage or configuration error: nothing was done.
pub const EXIT_USAGE: u8 = 2;
/// `export` stopped by Ctrl-C; running it again resumes.
pub const EXIT_INTERRUPTED: u8 = 130;

/// Why a command could not do its job. The message is printed after `truora-tui: `.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A flag, a combination of flags, or a file a flag names cannot work.
    #[error("{0}")]
    Usage(String),
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Ids(#[from] IdsError),
    #[error(transparent)]
    ExportUsage(#[from] crate::export::UsageError),
    /// What clap has to say: `--help`, `--version`, or a usage error it found itself (printed
    /// by clap, help and version to stdout).
    #[error("{0}")]
    Clap(clap::Error),
    /// Something failed while running: the network, the disk, the terminal.
    #[error("{0:#}")]
    Failed(anyhow::Error),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) | CliError::ExportUsage(_) => EXIT_USAGE,
            CliError::Config(e) => u8::try_from(e.exit_code()).unwrap_or(EXIT_USAGE),
            CliError::Ids(e) => e.exit_code(),
            CliError::Clap(e) => clap_code(e),
            CliError::Failed(_) => EXIT_FAILURE,
        }
    }
}

/// Prints what clap has to say (help and version to stdout, errors to stderr) and returns
/// [`clap_code`].
pub fn clap_exit(e: &clap::Error) -> u8 {
    let _ = e.print();
    clap_code(e)
}

/// 0 for `--help` and `--version`, 2 for a usage error.
pub fn clap_code(e: &clap::Error) -> u8 {
    u8::try_from(e.exit_code()).unwrap_or(EXIT_USAGE)
}
