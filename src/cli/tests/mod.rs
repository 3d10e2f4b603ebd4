//! Start-up tested in the library, without spawning the binary: parsing and where each option
//! may go ([`parse`]), what is refused and why ([`refused`], [`misplaced`]), what the help says
//! ([`help`]), every option in every position ([`walk`]), the data source and the demo's lifetime
//! ([`setup`]), exit codes ([`exit`]).

mod exit;
mod help;
mod misplaced;
mod parse;
mod refused;
mod setup;
mod walk;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;

use clap::error::ErrorKind;

use super::{CliError, Command, EXIT_USAGE, GlobalArgs, Invocation};
use crate::config::{self, Config, Overrides};

/// `truora-tui ARGS` parsed and checked, as `run` does.
fn invocation(args: &[&str]) -> Result<Invocation, CliError> {
    let args: Vec<OsString> = std::iter::once("truora-tui")
        .chain(args.iter().copied())
        .map(OsString::from)
        .collect();
    super::parse(&args)
}

/// An environment with nothing set: no key, no config path from the machine running the tests.
fn no_env() -> HashMap<String, String> {
    HashMap::new()
}

/// A config from an empty config file in `dir` and no environment; `keyless` as for the demo.
fn config_in(dir: &Path, keyless: bool) -> Config {
    let file = dir.join("config.toml");
    std::fs::write(&file, "").unwrap();
    let overrides = Overrides {
        config_path: Some(file),
        demo: keyless,
        ..Overrides::default()
    };
    config::load(&overrides, &no_env()).unwrap().config
}

/// `truora-tui ARGS`, which must parse.
fn parsed(args: &[&str]) -> Invocation {
    invocation(args).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// The message of a usage error of ours (not clap's), checked to exit 2.
fn refused(args: &[&str]) -> String {
    match invocation(args) {
        Err(CliError::Clap(e)) => panic!("{args:?}: clap's error, not ours: {e}"),
        Err(e) => {
            assert_eq!(e.exit_code(), EXIT_USAGE, "{args:?}: {e}");
            e.to_string()
        }
        Ok(i) => panic!("{args:?} was accepted as {i:?}"),
    }
}

/// Clap's own error for `truora-tui ARGS` (help and version are errors to clap).
fn clap_error(args: &[&str]) -> clap::Error {
    match invocation(args) {
        Err(CliError::Clap(e)) => e,
        other => panic!("{args:?}: not clap's error: {other:?}"),
    }
}

/// What `truora-tui ARGS --help` prints.
fn help(args: &[&str]) -> String {
    let mut with_help = args.to_vec();
    with_help.push("--help");
    let e = clap_error(&with_help);
    assert_eq!(e.kind(), ErrorKind::DisplayHelp);
    e.to_string()
}

/// `truora-tui ARGS` as the browser: the global options and the browser's own.
fn browse(args: &[&str]) -> (GlobalArgs, crate::cli::BrowseArgs) {
    match parsed(args) {
        Invocation {
            globals,
            command: Command::Browse(browse),
        } => (globals, browse),
        other => panic!("{args:?}: not the browser: {other:?}"),
    }
}
