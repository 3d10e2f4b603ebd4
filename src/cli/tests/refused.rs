//! What is refused, and with which reason: options a command does not take (our message, exit 2,
//! pointing at the command's help) and what no command has or a bad value (clap's error).

use clap::error::ErrorKind;

use super::{browse, clap_error, no_env, parsed, refused};
use crate::cli::{CliError, Command, DataFrom, EXIT_USAGE};

#[test]
fn options_that_do_not_apply_are_refused_saying_why_before_or_after_the_name() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--archive", "a", "export", "--out", "x"],
            "--archive is already an export",
        ),
        (
            &["--image-protocol", "off", "export", "--out", "x"],
            "export draws no images",
        ),
        (
            &["--download-dir", "d", "export", "--out", "x"],
            "export writes into --out",
        ),
        (
            &["--ids-file", "f", "show", "IDP1"],
            "show prints the one process given",
        ),
        (
            &["--download-dir", "d", "show", "IDP1"],
            "show saves nothing",
        ),
        (
            &["--image-protocol", "kitty", "show", "IDP1"],
            "--image-protocol is for the browser",
        ),
        (&["--demo", "demo-server"], "always serves the demo"),
        (&["demo-server", "--demo"], "always serves the demo"),
        (&["--config", "c.toml", "demo-server"], "reads no config"),
        (
            &["--archive", "a", "demo-server"],
            "reads no config or data",
        ),
        (
            &["--demo", "show", "IDP1", "--demo-arrivals", "3"],
            "arrivals are seen in the browser",
        ),
        (
            &["--demo", "export", "--out", "x", "--demo-arrivals", "3"],
            "arrivals are seen",
        ),
        (
            &["audit", "--identity-url", "http://x"],
            "audit reads only the access log",
        ),
        (
            &["reviews", "stats", "--validations-url", "http://x"],
            "calls no API",
        ),
    ];
    for (args, expected) in cases {
        let message = refused(args);
        assert!(message.contains(expected), "{args:?}: {message}");
        let name = args
            .iter()
            .find(|a| ["export", "show", "demo-server", "audit", "reviews"].contains(a))
            .expect("a command");
        let pointer = format!("(see `truora-tui {name} --help`)");
        assert!(message.ends_with(&pointer), "{args:?}: {message}");
    }
}

#[test]
fn clap_refuses_what_no_command_has_and_bad_values() {
    let cases: &[(&[&str], ErrorKind)] = &[
        (&["--no-such-flag"], ErrorKind::UnknownArgument),
        (&["show", "IDP1", "--out", "x"], ErrorKind::UnknownArgument),
        (&["demo-server", "--width", "3"], ErrorKind::UnknownArgument),
        (&["export"], ErrorKind::MissingRequiredArgument),
        (&["show"], ErrorKind::MissingRequiredArgument),
        (
            &["export", "--out", "x", "--concurrency", "0"],
            ErrorKind::ValueValidation,
        ),
        (
            &["show", "IDP1", "--width", "2"],
            ErrorKind::ValueValidation,
        ),
        (&["--image-protocol", "png"], ErrorKind::InvalidValue),
    ];
    for (args, kind) in cases {
        let e = clap_error(args);
        assert_eq!(e.kind(), *kind, "{args:?}: {e}");
        assert_eq!(CliError::Clap(e).exit_code(), EXIT_USAGE, "{args:?}");
    }
}

#[tokio::test]
async fn the_demo_and_an_archive_cannot_go_together_and_knobs_need_the_demo() {
    let (globals, args) = browse(&["--demo", "--archive", "a"]);
    let demo = globals.demo.then(|| args.knobs.options(None, None));
    let e = DataFrom::choose(demo, args.archive).unwrap_err();
    assert!(
        e.to_string()
            .contains("--archive and --demo cannot be used together")
    );
    assert_eq!(e.exit_code(), EXIT_USAGE);

    for args in [
        &["show", "IDP1", "--demo-processes", "3"][..],
        &["--demo-latency-ms", "5"],
        &["export", "--out", "x", "--demo-link-lifetime-secs", "9"],
    ] {
        let message = refused(args);
        assert!(
            message.ends_with("sets up the demo API: add --demo"),
            "{args:?}: {message}"
        );
    }

    // --demo anywhere on the line, the knobs after the command's name.
    let i = parsed(&[
        "--demo",
        "export",
        "--demo-latency-ms",
        "20",
        "--demo-link-lifetime-secs",
        "60",
        "--out",
        "x",
    ]);
    let Command::Export(args) = i.command else {
        panic!("not export");
    };
    let opts = args.knobs.options(args.demo_page_size, None);
    assert_eq!(opts.latency, std::time::Duration::from_millis(20));
    assert_eq!(opts.link_lifetime, std::time::Duration::from_secs(60));
    // demo-server is the demo: its knobs need no --demo.
    assert!(matches!(
        parsed(&["demo-server", "--demo-processes", "3"]).command,
        Command::DemoServer(_)
    ));

    // An archive does not change: --watch on it is refused before anything is opened.
    let i = parsed(&["--archive", "/no-such-archive", "--watch", "5"]);
    let e = i.command.run(i.globals, &no_env()).await.unwrap_err();
    assert_eq!(e.exit_code(), EXIT_USAGE);
    assert!(e.to_string().starts_with("--watch reads the newest"), "{e}");
}
