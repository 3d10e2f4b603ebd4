//! A browser option after a subcommand that lacks it gets the same explanation as before it.

use std::ffi::OsString;

use clap::Parser;

use crate::cli::leading::explain_misplaced;
use crate::cli::{Cli, EXIT_USAGE};

/// What `truora-tui ARGS` says: our explanation, or `None` when clap's error stands.
fn explained(args: &[&str]) -> Option<String> {
    let args: Vec<OsString> = std::iter::once("truora-tui")
        .chain(args.iter().copied())
        .map(OsString::from)
        .collect();
    let e = Cli::try_parse_from(&args).expect_err("clap refuses it");
    let explained = explain_misplaced(&args, &e)?;
    assert_eq!(explained.exit_code(), EXIT_USAGE);
    Some(explained.to_string())
}

#[test]
fn a_browser_option_after_a_subcommand_gets_the_subcommands_explanation() {
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
            "export draws none",
        ),
        (
            &["show", "IDP1", "--ids-file", "ids.csv"],
            "--ids-file does not apply",
        ),
        (&["demo-server", "--demo"], "always serves the demo"),
        (
            &["demo-server", "--port", "1", "--config", "c"],
            "--config does not apply",
        ),
    ];
    for (args, expected) in cases {
        let message = explained(args).unwrap_or_else(|| panic!("{args:?}: clap's error stood"));
        assert!(message.contains(expected), "{args:?}: {message}");
        // The same words as with the option before the subcommand.
        assert!(message.contains("--help`)"), "{args:?}: {message}");
    }
}

#[test]
fn other_unknown_arguments_keep_claps_message() {
    for args in [
        &["export", "--out", "x", "--bogus"][..],
        &["show", "IDP1", "--out", "x"],
        &["demo-server", "--width", "3"],
    ] {
        assert_eq!(explained(args), None, "{args:?}");
    }
}
