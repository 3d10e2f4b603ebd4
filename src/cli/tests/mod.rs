//! Start-up tested in the library, without spawning the binary: parsing and where each option
//! may go ([`parse`]), the data source and the demo's lifetime ([`setup`]), exit codes ([`exit`]).

mod exit;
mod misplaced;
mod parse;
mod setup;

use std::collections::HashMap;
use std::path::Path;

use clap::Parser;

use super::{Cli, CliError, Command};
use crate::config::{self, Config, Overrides};

/// Parses and moves leading options into the subcommand, as `run` does.
fn command(args: &[&str]) -> Result<Command, CliError> {
    let cli = Cli::try_parse_from(std::iter::once("truora-tui").chain(args.iter().copied()))
        .unwrap_or_else(|e| panic!("{args:?} parses: {e}"));
    cli.into_command()
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
