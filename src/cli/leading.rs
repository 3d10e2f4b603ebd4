//! Options given before a subcommand (`truora-tui --demo export …`, `truora-tui --archive DIR
//! show ID`). They parse as the browser's, the default command's; each subcommand takes those
//! that apply to it ([`Leading::take_api`] …) and [`Leading::finish`] refuses what is left,
//! naming the flag and saying why, instead of silently ignoring it.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{CommandFactory, Parser};

use super::{ApiArgs, BrowseArgs, Cli, CliError, DemoKnobs};

pub struct Leading {
    args: BrowseArgs,
    command: &'static str,
}

impl Leading {
    pub fn new(args: BrowseArgs, command: &'static str) -> Leading {
        Leading { args, command }
    }

    /// Moves `--config`, `--identity-url`, `--validations-url`, `--demo`, `--review-db` and the
    /// demo knobs.
    pub fn take_api(&mut self, into: &mut ApiArgs) -> Result<(), CliError> {
        let leading = std::mem::take(&mut self.args.api);
        let command = self.command;
        once(&mut into.config, leading.config, "--config", command)?;
        once(
            &mut into.identity_url,
            leading.identity_url,
            "--identity-url",
            command,
        )?;
        once(
            &mut into.validations_url,
            leading.validations_url,
            "--validations-url",
            command,
        )?;
        once(
            &mut into.audit_log,
            leading.audit_log,
            "--audit-log",
            command,
        )?;
        if leading.demo {
            if into.demo {
                return Err(twice("--demo", command));
            }
            into.demo = true;
        }
        once(
            &mut into.review_db,
            leading.review_db,
            "--review-db",
            command,
        )?;
        self.knobs_into(leading.knobs, &mut into.knobs)
    }

    /// Moves only the demo knobs (for `demo-server`, which has no other API option).
    pub fn take_knobs(&mut self, into: &mut DemoKnobs) -> Result<(), CliError> {
        let knobs = std::mem::take(&mut self.args.api.knobs);
        self.knobs_into(knobs, into)
    }

    fn knobs_into(&self, leading: DemoKnobs, into: &mut DemoKnobs) -> Result<(), CliError> {
        let command = self.command;
        let latency = leading.demo_latency_ms;
        once(
            &mut into.demo_latency_ms,
            latency,
            "--demo-latency-ms",
            command,
        )?;
        let processes = leading.demo_processes;
        once(
            &mut into.demo_processes,
            processes,
            "--demo-processes",
            command,
        )?;
        let lifetime = leading.demo_link_lifetime_secs;
        let flag = "--demo-link-lifetime-secs";
        once(&mut into.demo_link_lifetime_secs, lifetime, flag, command)?;
        let page = leading.demo_page_size;
        once(&mut into.demo_page_size, page, "--demo-page-size", command)?;
        let arrivals = leading.demo_arrivals;
        once(
            &mut into.demo_arrivals,
            arrivals,
            "--demo-arrivals",
            command,
        )
    }

    pub fn take_archive(&mut self, into: &mut Option<PathBuf>) -> Result<(), CliError> {
        once(into, self.args.archive.take(), "--archive", self.command)
    }

    /// Moves `--config` and `--audit-log` (for `audit`, which reads only the log).
    pub fn take_audit(
        &mut self,
        config: &mut Option<PathBuf>,
        audit_log: &mut Option<PathBuf>,
    ) -> Result<(), CliError> {
        once(
            config,
            self.args.api.config.take(),
            "--config",
            self.command,
        )?;
        once(
            audit_log,
            self.args.api.audit_log.take(),
            "--audit-log",
            self.command,
        )
    }

    pub fn take_ids_file(&mut self, into: &mut Option<PathBuf>) -> Result<(), CliError> {
        once(into, self.args.ids_file.take(), "--ids-file", self.command)
    }

    /// Moves every option: the subcommand is the browser itself (`truora-tui --demo browse`).
    pub fn take_all(mut self, into: &mut BrowseArgs) -> Result<(), CliError> {
        self.take_api(&mut into.api)?;
        self.take_archive(&mut into.archive)?;
        self.take_ids_file(&mut into.ids_file)?;
        let command = self.command;
        once(
            &mut into.download_dir,
            self.args.download_dir.take(),
            "--download-dir",
            command,
        )?;
        once(
            &mut into.image_protocol,
            self.args.image_protocol.take(),
            "--image-protocol",
            command,
        )?;
        once(&mut into.watch, self.args.watch.take(), "--watch", command)?;
        self.take_time_zone(&mut into.time_zone)
    }

    /// Moves `--time-zone` (the browser and `show` print times in it).
    pub fn take_time_zone(&mut self, into: &mut Option<String>) -> Result<(), CliError> {
        once(
            into,
            self.args.time_zone.take(),
            "--time-zone",
            self.command,
        )
    }

    /// Refuses the first option not taken. `why` may explain a flag in the subcommand's terms;
    /// otherwise the message says it does not apply and where to look.
    pub fn finish(self, why: impl Fn(&str) -> Option<String>) -> Result<(), CliError> {
        let a = &self.args;
        let left = [
            (a.api.config.is_some(), "--config"),
            (a.api.identity_url.is_some(), "--identity-url"),
            (a.api.validations_url.is_some(), "--validations-url"),
            (a.api.demo, "--demo"),
            (a.api.audit_log.is_some(), "--audit-log"),
            (a.api.review_db.is_some(), "--review-db"),
            (a.archive.is_some(), "--archive"),
            (a.ids_file.is_some(), "--ids-file"),
            (a.download_dir.is_some(), "--download-dir"),
            (a.image_protocol.is_some(), "--image-protocol"),
            (a.watch.is_some(), "--watch"),
            (a.time_zone.is_some(), "--time-zone"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
        .or_else(|| a.api.knobs.first_given());
        let Some(flag) = left else {
            return Ok(());
        };
        let command = self.command;
        let message = why(flag).unwrap_or_else(|| format!("{flag} does not apply to `{command}`"));
        Err(CliError::Usage(format!(
            "{message} (see `truora-tui {command} --help`)"
        )))
    }
}

/// Takes a leading value into `slot`; a flag given both before and after the subcommand is
/// refused, as clap refuses a flag given twice.
fn once<T>(
    slot: &mut Option<T>,
    leading: Option<T>,
    flag: &str,
    command: &str,
) -> Result<(), CliError> {
    match (slot.is_some(), leading) {
        (true, Some(_)) => Err(twice(flag, command)),
        (false, Some(value)) => {
            *slot = Some(value);
            Ok(())
        }
        (_, None) => Ok(()),
    }
}

fn twice(flag: &str, command: &str) -> CliError {
    CliError::Usage(format!(
        "{flag} is given both before and after `{command}`: give it once"
    ))
}

/// A browser option given after a subcommand that does not take it (`export --out X --archive
/// A`): clap can only say "unexpected argument". Moved in front of the subcommand, the option
/// gets the subcommand's own explanation from [`Leading::finish`]. `None` when the argument is
/// not one of the browser's options (clap's message stands).
pub fn explain_misplaced(args: &[OsString], error: &clap::Error) -> Option<CliError> {
    if error.kind() != ErrorKind::UnknownArgument {
        return None;
    }
    let Some(ContextValue::String(given)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let long = given.split('=').next()?.strip_prefix("--")?;
    let cli = Cli::command();
    let option = cli.get_arguments().find(|a| a.get_long() == Some(long))?;
    let inline = format!("--{long}=");
    let at = args.iter().position(|a| {
        a.to_str()
            .is_some_and(|a| a == given || a.starts_with(&inline))
    })?;
    let inline_value = args[at].to_str().is_some_and(|a| a.contains('='));
    let with_value = option.get_action().takes_values() && !inline_value;
    let end = if with_value { at + 2 } else { at + 1 }.min(args.len());
    let mut moved: Vec<OsString> = args.to_vec();
    let option: Vec<OsString> = moved.drain(at..end).collect();
    // Right after the program's name, so before the subcommand.
    let program = moved.len().min(1);
    moved.splice(program..program, option);
    Cli::try_parse_from(moved).ok()?.into_command().err()
}
