//! Exit codes: each error's, clap's, and the whole `run` from arguments to code.

use std::path::PathBuf;

use super::no_env;
use crate::cli::exit::clap_code;
use crate::cli::{CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, run};
use crate::config::ConfigError;
use crate::ids::IdsError;

#[test]
fn each_error_maps_to_its_exit_code() {
    let cases = [
        (CliError::Usage("bad flag".into()), EXIT_USAGE),
        (
            CliError::Config(ConfigError::NoApiKey { config_path: None }),
            EXIT_USAGE,
        ),
        (
            CliError::Ids(IdsError::TooLarge {
                path: PathBuf::from("ids.csv"),
            }),
            EXIT_USAGE,
        ),
        (
            CliError::ExportUsage(crate::export::UsageError::FilterWithIds),
            EXIT_USAGE,
        ),
        (
            CliError::Failed(anyhow::anyhow!("disk full").context("writing the manifest")),
            EXIT_FAILURE,
        ),
    ];
    for (error, code) in cases {
        assert_eq!(error.exit_code(), code, "{error}");
    }
    // A failure prints its whole chain of causes.
    let failed = CliError::Failed(anyhow::anyhow!("disk full").context("writing the manifest"));
    assert_eq!(failed.to_string(), "writing the manifest: disk full");
}

#[test]
fn clap_says_0_for_help_and_version_and_2_for_usage_errors() {
    let code = |args: &[&str]| {
        let e = crate::cli::command()
            .try_get_matches_from(args)
            .expect_err("clap stops");
        clap_code(&e)
    };
    assert_eq!(code(&["truora-tui", "--help"]), EXIT_OK);
    assert_eq!(code(&["truora-tui", "export", "--help"]), EXIT_OK);
    assert_eq!(code(&["truora-tui", "--version"]), EXIT_OK);
    assert_eq!(code(&["truora-tui", "--no-such-flag"]), EXIT_USAGE);
    assert_eq!(code(&["truora-tui", "export"]), EXIT_USAGE);
}

#[test]
fn run_goes_from_arguments_to_the_exit_code() {
    let env = no_env();
    // Usage: clap's, a leading option that does not apply, a bad archive, a bad filter.
    assert_eq!(run(["truora-tui", "export"], &env), EXIT_USAGE);
    assert_eq!(
        run(
            ["truora-tui", "--archive", "a", "export", "--out", "x"],
            &env
        ),
        EXIT_USAGE
    );
    assert_eq!(
        run(
            [
                "truora-tui",
                "show",
                "--archive",
                "/nonexistent-archive",
                "IDP1"
            ],
            &env
        ),
        EXIT_USAGE
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let out = out.to_str().unwrap();
    assert_eq!(
        run(
            [
                "truora-tui",
                "--demo",
                "export",
                "--out",
                out,
                "--status",
                "declined"
            ],
            &env
        ),
        EXIT_USAGE
    );
    assert!(!std::path::Path::new(out).exists());
    // A failure while running: the demo has no such process.
    assert_eq!(
        run(
            [
                "truora-tui",
                "--demo",
                "show",
                "--demo-processes",
                "3",
                "IDPnosuchprocess",
                "--no-images"
            ],
            &env
        ),
        EXIT_FAILURE
    );
}
