//! Start-up tested in the library, without spawning the binary: parsing and where each option
//! may go ([`parse`]), what each `--help` lists ([`help`]), every option in every position ([`walk`]), the data source and the demo's
//! lifetime ([`setup`]), exit codes ([`exit`]).

mod exit;
mod help;
mod misplaced;
mod parse;
mod setup;
mod walk;

use std::collections::HashMap;
use std::ffi::OsString;
use std::path::Path;

use clap::error::ErrorKind;

use super::{CliError, Invocation};
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

/// The error clap stops `truora-tui ARGS` with (help and version are errors to clap).
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
