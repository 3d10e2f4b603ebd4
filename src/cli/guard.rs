//! The one guard: every option given where it does not apply is refused, with exit 2, its flag
//! and one line of why. It reads clap's `ArgMatches` (what was typed: `ValueSource::CommandLine`)
//! and the table in `scope.rs`, never a command's fields, so a new option needs no code here.
//!
//! Three rules. Before a command's name only global options go (the browser's own options at the
//! top level are the default command's, `truora-tui --demo --watch 5`). A global option a
//! command does not use is refused, wherever it was typed. A demo knob needs `--demo` (clap's
//! `requires` cannot say it: it checks a command before the global options typed ahead of its
//! name reach it).

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::parser::ValueSource;
use clap::{ArgMatches, Command};

use super::CliError;
use super::demo_knobs::DEMO_HEADING;
use super::scope::{Global, Scope, flag_of};

/// The command being run: its name (`browse` when none was typed), its clap definition and
/// matches, and the innermost matches (`reviews export`'s), where global values end up.
struct Target<'a> {
    name: &'a str,
    command: &'a Command,
    matches: &'a ArgMatches,
    innermost: &'a ArgMatches,
}

/// Refuses the first option given where it does not apply.
pub fn check(cli: &Command, matches: &ArgMatches) -> Result<(), CliError> {
    let target = target(cli, matches);
    let scope = Scope::of(target.name).ok_or_else(|| {
        CliError::Usage(format!("`{}` has no row in the options table", target.name))
    })?;
    if matches.subcommand().is_some() {
        before_the_command(cli, matches, &target)?;
    }
    for global in Global::ALL {
        if typed(target.innermost, global.id()) && !scope.uses(global) {
            return Err(does_not_apply(&flag_of(global), scope));
        }
    }
    if scope.knobs_need_demo && !target.innermost.get_flag(Global::Demo.id()) {
        let knob = target
            .command
            .get_arguments()
            .filter(|arg| arg.get_help_heading() == Some(DEMO_HEADING))
            .find(|arg| typed(target.matches, arg.get_id().as_str()));
        if let Some(knob) = knob {
            return Err(CliError::Usage(format!(
                "{} sets up the demo API: add --demo",
                long(knob)
            )));
        }
    }
    Ok(())
}

fn target<'a>(cli: &'a Command, matches: &'a ArgMatches) -> Target<'a> {
    let Some((name, sub_matches)) = matches.subcommand() else {
        return Target {
            name: "browse",
            command: cli,
            matches,
            innermost: matches,
        };
    };
    let command = cli.find_subcommand(name).unwrap_or(cli);
    let mut innermost = sub_matches;
    while let Some((_, deeper)) = innermost.subcommand() {
        innermost = deeper;
    }
    Target {
        name,
        command,
        matches: sub_matches,
        innermost,
    }
}

/// The top level's own (non-global) options are the browser's: with a command named, they are
/// refused, saying where they go when the command has them too.
fn before_the_command(
    cli: &Command,
    matches: &ArgMatches,
    target: &Target,
) -> Result<(), CliError> {
    let given = cli
        .get_arguments()
        .filter(|arg| !arg.is_global_set() && arg.get_long().is_some())
        .find(|arg| typed(matches, arg.get_id().as_str()));
    let Some(arg) = given else {
        return Ok(());
    };
    let flag = long(arg);
    let name = target.name;
    let has_it = target
        .command
        .get_arguments()
        .any(|own| own.get_id() == arg.get_id());
    if has_it {
        return Err(given_before(&flag, name));
    }
    let scope = Scope::of(name)
        .ok_or_else(|| CliError::Usage(format!("`{name}` has no row in the options table")))?;
    Err(does_not_apply(&flag, scope))
}

fn given_before(flag: &str, command: &str) -> CliError {
    CliError::Usage(format!(
        "{flag} is given before `{command}`, where only global options go: give it after the \
         command's name (`truora-tui {command} {flag} …`)"
    ))
}

fn does_not_apply(flag: &str, scope: &Scope) -> CliError {
    let command = scope.command;
    CliError::Usage(format!(
        "{flag} does not apply to `{command}`: {} (see `truora-tui {command} --help`)",
        scope.reason(flag)
    ))
}

/// Whether the user typed `id` (not a default, not propagated from nowhere).
fn typed(matches: &ArgMatches, id: &str) -> bool {
    matches.value_source(id) == Some(ValueSource::CommandLine)
}

fn long(arg: &clap::Arg) -> String {
    arg.get_long()
        .map_or_else(|| arg.get_id().to_string(), |long| format!("--{long}"))
}

/// Says why, where clap can only say "unexpected argument" or "invalid value": a browser option
/// typed after a command that lacks it (`export --out X --archive A`), or a command's name taken
/// as the value of an option whose value is optional (`--watch export`). The reason is the one
/// the guard gives for the option typed before the command. `None` when neither (clap's message,
/// with its suggestions, stands).
pub fn explain(cli: &Command, args: &[OsString], error: &clap::Error) -> Option<CliError> {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        return None;
    }
    command_as_value(cli, args).or_else(|| match error.kind() {
        ErrorKind::UnknownArgument => unknown_browser_option(cli, args, error),
        _ => None,
    })
}

fn unknown_browser_option(
    cli: &Command,
    args: &[OsString],
    error: &clap::Error,
) -> Option<CliError> {
    let Some(ContextValue::String(given)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let long = given.split('=').next()?.strip_prefix("--")?;
    let browser_option = cli
        .get_arguments()
        .any(|arg| !arg.is_global_set() && arg.get_long() == Some(long));
    if !browser_option {
        return None;
    }
    // The command it was typed after: the first command name among the arguments before it.
    let at = args.iter().position(|a| {
        a.to_str()
            .is_some_and(|a| a == given.as_str() || a.starts_with(&format!("--{long}=")))
    })?;
    let name = args
        .iter()
        .take(at)
        .skip(1)
        .filter_map(|a| a.to_str())
        .find_map(|a| cli.find_subcommand(a).map(Command::get_name))?;
    Some(does_not_apply(&format!("--{long}"), Scope::of(name)?))
}

/// `--watch export`: clap reads `export` as --watch's value, then fails on it or on what
/// follows. It is the command: --watch was typed before it, and gets what the guard says of that.
fn command_as_value(cli: &Command, args: &[OsString]) -> Option<CliError> {
    let words: Vec<&str> = args.iter().skip(1).map_while(|a| a.to_str()).collect();
    // The first command name on the line, right after such an option.
    let at = words
        .iter()
        .position(|w| cli.find_subcommand(w).is_some())?;
    let name = words.get(at.checked_sub(1)?)?.strip_prefix("--")?;
    let option = cli.get_arguments().find(|a| a.get_long() == Some(name))?;
    let optional = option.get_action().takes_values()
        && option.get_num_args().is_some_and(|n| n.min_values() == 0);
    let command = cli.find_subcommand(words[at]).filter(|_| optional)?;
    let flag = long(option);
    let name = command.get_name();
    if command
        .get_arguments()
        .any(|own| own.get_id() == option.get_id())
    {
        return Some(given_before(&flag, name));
    }
    Some(does_not_apply(&flag, Scope::of(name)?))
}
