//! Every argument of every command, in every position its help accepts (before the command's
//! name, after it, after `reviews`' action), either reaches the command or is refused with exit
//! 2 and a message naming it. Nothing is listed by hand: the walk reads the command line's
//! definition, so an option added later and forgotten fails here.

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, CommandFactory};

use super::super::scope::{Global, SCOPES, Scope};
use super::super::{Cli, CliError, EXIT_USAGE};

/// What one argument line came to.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Parsed and checked, and the invocation differs from the same line without the option.
    Reached,
    /// Refused with exit 2, the message naming the option.
    Refused,
    /// Anything else: accepted without effect, or refused without naming it, or another code.
    Wrong(String),
}

/// A command to run: its names from the top (`[]` is the browser by default,
/// `["reviews", "list"]`) and, at each level, the arguments it requires, filled in.
#[derive(Clone, Debug)]
struct Path {
    names: Vec<String>,
    /// Level 0 is the top; level i is after the i-th name.
    required: Vec<Vec<String>>,
}

impl Path {
    fn name(&self) -> &str {
        self.names.first().map_or("browse", String::as_str)
    }

    /// The argument line with `extra` at `level` (after that level's name and required
    /// arguments) and `--demo` at the top when `demo`.
    fn line(&self, demo: bool, level: usize, extra: &[String]) -> Vec<OsString> {
        let mut line = vec!["truora-tui".to_owned()];
        if demo {
            line.push("--demo".into());
        }
        for at in 0..=self.names.len() {
            if at > 0 {
                line.push(self.names[at - 1].clone());
            }
            line.extend(self.required[at].iter().cloned());
            if at == level {
                line.extend(extra.iter().cloned());
            }
        }
        line.into_iter().map(OsString::from).collect()
    }
}

/// The built command at each level of `names`.
fn levels<'a>(cli: &'a clap::Command, names: &[String]) -> Vec<&'a clap::Command> {
    let mut levels = vec![cli];
    for name in names {
        let next = levels[levels.len() - 1]
            .find_subcommand(name)
            .unwrap_or_else(|| panic!("no command {name}"));
        levels.push(next);
    }
    levels
}

/// The options a level takes (its own and the global ones), not help and version, nor those it
/// requires (every line has them).
fn options(command: &clap::Command) -> Vec<&Arg> {
    command
        .get_arguments()
        .filter(|arg| arg.get_long().is_some() && !arg.is_required_set())
        .filter(|arg| !matches!(arg.get_action(), ArgAction::Help | ArgAction::Version))
        .collect()
}

/// Every runnable command: the top (the browser), each command, each of `reviews`' actions.
fn paths(cli: &clap::Command) -> Vec<Path> {
    fn walk(command: &clap::Command, names: Vec<String>, out: &mut Vec<Vec<String>>) {
        let subs: Vec<_> = command
            .get_subcommands()
            .filter(|sub| sub.get_name() != "help")
            .collect();
        if subs.is_empty() || !command.is_subcommand_required_set() {
            out.push(names.clone());
        }
        for sub in subs {
            let mut deeper = names.clone();
            deeper.push(sub.get_name().to_owned());
            walk(sub, deeper, out);
        }
    }
    let mut names = Vec::new();
    walk(cli, Vec::new(), &mut names);
    names
        .into_iter()
        .map(|names| {
            let required = levels(cli, &names)
                .into_iter()
                .map(|command| {
                    command
                        .get_arguments()
                        .filter(|arg| arg.is_required_set() && !arg.is_global_set())
                        .flat_map(|arg| {
                            let value = candidates(arg)[0].clone();
                            match arg.get_long() {
                                Some(long) => vec![format!("--{long}"), value],
                                None => vec![value],
                            }
                        })
                        .collect()
                })
                .collect();
            Path { names, required }
        })
        .collect()
}

/// Values to try for `arg`, in order: its possible values, then a few of every shape; never
/// its default (a default given again changes nothing).
fn candidates(arg: &Arg) -> Vec<String> {
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let possible = arg
        .get_possible_values()
        .into_iter()
        .map(|v| v.get_name().to_owned());
    let shapes = ["7", "37", "2026-01-02", "IDP1", "x.file", "UTC"].map(String::from);
    possible
        .chain(shapes)
        .filter(|v| !defaults.contains(v))
        .collect()
}

fn long(arg: &Arg) -> String {
    format!("--{}", arg.get_long().unwrap_or_default())
}

/// `arg` at `level` of `path`: tries its candidate values until one is not a bad value.
fn outcome(path: &Path, demo: bool, level: usize, arg: &Arg) -> Outcome {
    outcome_beside(path, demo, level, arg, &[])
}

/// [`outcome`] with `partners` given too, in the baseline and beside the option: an option
/// that `requires` another (`--force` needs `--out`) is tried with what clap says it needs.
fn outcome_beside(
    path: &Path,
    demo: bool,
    level: usize,
    arg: &Arg,
    partners: &[String],
) -> Outcome {
    let flag = long(arg);
    let baseline = match super::super::parse(&path.line(demo, level, partners)) {
        Ok(invocation) => format!("{invocation:?}"),
        Err(e) => return Outcome::Wrong(format!("{path:?} demo={demo} without {flag}: {e}")),
    };
    let takes_value = arg.get_action().takes_values();
    let values: Vec<Option<String>> = if takes_value {
        candidates(arg).into_iter().map(Some).collect()
    } else {
        vec![None]
    };
    for value in values {
        let mut extra = partners.to_vec();
        extra.push(flag.clone());
        extra.extend(value);
        let line = path.line(demo, level, &extra);
        match super::super::parse(&line) {
            Ok(invocation) if format!("{invocation:?}") == baseline => {
                return Outcome::Wrong(format!("{line:?}: accepted without effect"));
            }
            Ok(_) => return Outcome::Reached,
            Err(CliError::Clap(e))
                if matches!(
                    e.kind(),
                    ErrorKind::InvalidValue | ErrorKind::ValueValidation
                ) => {}
            Err(CliError::Clap(e))
                if e.kind() == ErrorKind::MissingRequiredArgument && partners.is_empty() =>
            {
                let Some(needed) = needed_partners(path, level, &e) else {
                    return Outcome::Wrong(format!("{line:?}: {e}"));
                };
                return outcome_beside(path, demo, level, arg, &needed);
            }
            Err(e) if e.exit_code() == EXIT_USAGE && e.to_string().contains(&flag) => {
                return Outcome::Refused;
            }
            Err(e) => return Outcome::Wrong(format!("{line:?}: exit {}: {e}", e.exit_code())),
        }
    }
    Outcome::Wrong(format!(
        "{flag}: no value of {:?} is accepted",
        candidates(arg)
    ))
}

/// The options clap says are missing (`--out <FILE>`), each with a value, when they are options
/// of the command at `level`.
fn needed_partners(path: &Path, level: usize, error: &clap::Error) -> Option<Vec<String>> {
    let Some(ContextValue::Strings(missing)) = error.get(ContextKind::InvalidArg) else {
        return None;
    };
    let cli = super::super::command();
    let command = levels(&cli, &path.names)[level];
    let mut needed = Vec::new();
    for usage in missing {
        let name = usage.split_whitespace().next()?.strip_prefix("--")?;
        let partner = command
            .get_arguments()
            .find(|a| a.get_long() == Some(name))?;
        needed.push(format!("--{name}"));
        if partner.get_action().takes_values() {
            needed.push(candidates(partner).first()?.clone());
        }
    }
    Some(needed)
}

#[test]
fn the_command_line_is_well_formed() {
    Cli::command().debug_assert();
}

#[test]
fn every_option_in_every_position_reaches_its_command_or_is_refused_by_name() {
    let cli = super::super::command();
    let mut cells = 0;
    for path in paths(&cli) {
        let scope = Scope::of(path.name()).unwrap_or_else(|| panic!("{path:?}: no row"));
        for demo in [false, true] {
            if demo && !scope.uses(Global::Demo) {
                continue;
            }
            let baseline = super::super::parse(&path.line(demo, 0, &[]));
            assert!(baseline.is_ok(), "{path:?} demo={demo}: {baseline:?}");
            for (level, command) in levels(&cli, &path.names).into_iter().enumerate() {
                for arg in options(command) {
                    if demo && arg.get_id() == Global::Demo.id() {
                        continue;
                    }
                    cells += 1;
                    let got = outcome(&path, demo, level, arg);
                    let expected = expected(&path, scope, level, arg, demo);
                    assert!(
                        got == expected,
                        "{} at level {level} of {:?} (demo={demo}): {got:?}, expected {expected:?}",
                        long(arg),
                        path.names
                    );
                }
            }
        }
    }
    // Commands × positions × options: the walk is not vacuous.
    assert!(cells > 300, "{cells} cells");
}

/// What the rules say for `arg` at `level` of `path`: a global
/// option is taken in every position by the commands whose row uses it, and refused by the
/// others; the browser's options before a command's name are refused; a command's own options
/// reach it (a demo knob needs `--demo`).
fn expected(path: &Path, scope: &Scope, level: usize, arg: &Arg, demo: bool) -> Outcome {
    if arg.is_global_set() {
        let global = Global::ALL
            .into_iter()
            .find(|g| g.id() == arg.get_id().as_str())
            .unwrap_or_else(|| panic!("{}: a global option missing from the table", long(arg)));
        return if scope.uses(global) {
            Outcome::Reached
        } else {
            Outcome::Refused
        };
    }
    if level == 0 && !path.names.is_empty() {
        return Outcome::Refused;
    }
    let knob = arg.get_help_heading() == Some(super::super::demo_knobs::DEMO_HEADING);
    if knob && scope.knobs_need_demo && !demo {
        return Outcome::Refused;
    }
    Outcome::Reached
}

#[test]
fn the_table_names_every_global_option_and_every_command() {
    let cli = super::super::command();
    let globals: Vec<String> = cli
        .get_arguments()
        .filter(|arg| arg.is_global_set())
        .map(|arg| arg.get_id().to_string())
        .collect();
    let table: Vec<String> = Global::ALL.iter().map(|g| g.id().to_owned()).collect();
    assert_eq!(globals, table);
    let mut commands: Vec<&str> = cli
        .get_subcommands()
        .map(clap::Command::get_name)
        .filter(|name| *name != "help")
        .collect();
    commands.sort_unstable();
    let mut rows: Vec<&str> = SCOPES.iter().map(|scope| scope.command).collect();
    rows.sort_unstable();
    assert_eq!(commands, rows);
    // Each global option is used somewhere; each reason is about an option that exists and
    // that its command does not take.
    for global in Global::ALL {
        assert!(SCOPES.iter().any(|s| s.uses(global)), "{global:?}");
    }
    let everywhere: Vec<String> = std::iter::once(&cli)
        .chain(cli.get_subcommands())
        .flat_map(|c| options(c).into_iter().map(long))
        .collect();
    for scope in SCOPES {
        let own: Vec<String> = cli
            .find_subcommand(scope.command)
            .map(|c| {
                options(c)
                    .into_iter()
                    .filter(|a| !a.is_global_set())
                    .map(long)
                    .collect()
            })
            .unwrap_or_default();
        for (flag, _) in scope.reasons {
            assert!(
                everywhere.iter().any(|f| f == flag),
                "{}: {flag}",
                scope.command
            );
            assert!(
                !own.iter().any(|f| f == flag),
                "{} takes {flag}",
                scope.command
            );
            let global = Global::ALL
                .into_iter()
                .find(|g| super::super::scope::flag_of(*g) == *flag);
            assert!(
                global.is_none_or(|g| !scope.uses(g)),
                "{} uses {flag}",
                scope.command
            );
        }
    }
}
