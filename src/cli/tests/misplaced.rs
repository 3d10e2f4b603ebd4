//! A browser option after a command that lacks it gets the same reason as before the command,
//! instead of clap's bare "unexpected argument".

use super::invocation;
use crate::cli::{CliError, EXIT_USAGE};

/// What `truora-tui ARGS` says: our reason, or `None` when clap's error stands.
fn explained(args: &[&str]) -> Option<String> {
    match invocation(args) {
        Err(CliError::Clap(_)) => None,
        Err(e) => {
            assert_eq!(e.exit_code(), EXIT_USAGE, "{args:?}");
            Some(e.to_string())
        }
        Ok(i) => panic!("{args:?} was accepted as {i:?}"),
    }
}

#[test]
fn a_browser_option_after_a_command_that_lacks_it_gets_the_commands_reason() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["export", "--out", "x", "--archive", "a"],
            "--archive is already an export",
        ),
        (
            &["export", "--archive=a", "--out", "x"],
            "--archive is already an export",
        ),
        (
            &["export", "--out", "x", "--image-protocol", "off"],
            "export draws no images",
        ),
        (
            &["show", "IDP1", "--ids-file", "ids.csv"],
            "show prints the one process given",
        ),
        (&["show", "IDP1", "--watch"], "show prints the process once"),
        (
            &["demo-server", "--port", "1", "--archive", "a"],
            "demo-server serves the demo API",
        ),
        (
            &["reviews", "list", "--download-dir", "d"],
            "reviews works on the review store",
        ),
        (
            &["audit", "--verify", "--watch=5"],
            "audit reads only the access log",
        ),
    ];
    for (args, expected) in cases {
        let message = explained(args).unwrap_or_else(|| panic!("{args:?}: clap's error stood"));
        assert!(message.contains(expected), "{args:?}: {message}");
        assert!(
            message.contains("does not apply to `"),
            "{args:?}: {message}"
        );
        assert!(message.contains("--help`)"), "{args:?}: {message}");
    }
}

#[test]
fn other_unknown_arguments_keep_claps_message() {
    for args in [
        &["export", "--out", "x", "--bogus"][..],
        &["show", "IDP1", "--out", "x"],
        &["demo-server", "--width", "3"],
        &["reviews", "list", "--format", "csv"],
    ] {
        assert_eq!(explained(args), None, "{args:?}");
    }
}
