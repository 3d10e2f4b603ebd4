//! What each `--help` (and `--version`) shows: a command lists only the options it takes; the
//! top level adds the global options' heading, the environment and the exit codes.

use clap::error::ErrorKind;

use super::{clap_error, help};
use crate::config;

#[test]
fn each_commands_help_lists_only_what_it_takes() {
    let cases: &[(&[&str], &[&str], &[&str])] = &[
        (
            &["export"],
            &[
                "--out",
                "--ids-file",
                "--demo",
                "--config",
                "--audit-log",
                "--review-db",
                "--identity-url",
            ],
            &[
                "--image-protocol",
                "--archive",
                "--download-dir",
                "--private",
                "--time-zone",
                "--demo-arrivals",
            ],
        ),
        (
            &["demo-server"],
            &["--port", "--demo-arrivals"],
            &[
                "--archive",
                "--config",
                "--demo",
                "--private",
                "--identity-url",
            ],
        ),
        (
            &["show"],
            &[
                "--archive",
                "--json",
                "--width",
                "--demo",
                "--private",
                "--time-zone",
                "--audit-log",
                "--review-db",
            ],
            &["--ids-file", "--download-dir", "--image-protocol", "--out"],
        ),
        (
            &["browse"],
            &[
                "--archive",
                "--ids-file",
                "--download-dir",
                "--image-protocol",
                "--demo",
                "--private",
                "--watch",
            ],
            &["--out"],
        ),
        (
            &["reviews"],
            &["--config", "--demo", "--review-db"],
            &["--private", "--audit-log", "--time-zone", "--identity-url"],
        ),
        (
            &["reviews", "export"],
            &["--format", "--config", "--demo", "--review-db"],
            &["--private", "--audit-log"],
        ),
        (
            &["audit"],
            &[
                "--verify",
                "--config",
                "--audit-log",
                "--demo",
                "--review-db",
            ],
            &["--private", "--time-zone"],
        ),
    ];
    // Listed as an option: at the start of a line, followed by its value or its help.
    let lists = |text: &str, flag: &str| {
        text.lines().any(|line| {
            let line = line.trim_start();
            line == flag || line.starts_with(&format!("{flag} "))
        })
    };
    for (command, present, absent) in cases {
        let text = help(command);
        for flag in *present {
            assert!(
                lists(&text, flag),
                "{command:?} --help lacks {flag}:\n{text}"
            );
        }
        for flag in *absent {
            assert!(
                !lists(&text, flag),
                "{command:?} --help offers {flag}:\n{text}"
            );
        }
    }
}

#[test]
fn the_top_level_help_has_the_global_options_heading_the_environment_and_the_exit_codes() {
    let top = help(&[]);
    for var in [
        config::ENV_API_KEY,
        config::ENV_CONFIG,
        config::ENV_IDENTITY_BASE_URL,
        config::ENV_VALIDATIONS_BASE_URL,
        config::ENV_DOWNLOAD_DIR,
        config::ENV_REVIEW_DB,
        config::ENV_AUDIT_LOG,
        "TRUORA_TUI_LOG",
        "NO_COLOR",
    ] {
        assert!(top.contains(var), "--help does not name {var}:\n{top}");
    }
    assert!(top.contains("Exit codes: 0 done; 1 failed"), "{top}");
    for command in [
        "browse",
        "export",
        "show",
        "demo-server",
        "reviews",
        "audit",
    ] {
        assert!(top.contains(command), "{command}:\n{top}");
    }
    let global = top.find("Global options:\n").expect("the heading");
    let browser = top.find("Browser options:\n").expect("the heading");
    for flag in [
        "--config",
        "--demo",
        "--private",
        "--audit-log",
        "--review-db",
        "--time-zone",
    ] {
        let at = top
            .find(&format!("  {flag} "))
            .unwrap_or_else(|| panic!("{flag}"));
        assert!(
            global < at && at < browser,
            "{flag} is not a global option:\n{top}"
        );
    }
    assert!(
        top[browser..].contains("--archive") && top[browser..].contains("--watch"),
        "{top}"
    );
    // Test knobs stay out of sight.
    assert!(!top.contains("--demo-processes"), "{top}");
    assert_eq!(clap_error(&["--version"]).kind(), ErrorKind::DisplayVersion);
}
