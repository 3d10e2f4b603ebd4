//! Which options each command takes, where they may go, and what is refused with which reason.

use std::path::PathBuf;

use clap::error::ErrorKind;

use super::{clap_error, help, invocation, no_env};
use crate::cli::{CliError, Command, DataFrom, EXIT_USAGE, GlobalArgs, Invocation};
use crate::config::ImageProtocol;

fn parsed(args: &[&str]) -> Invocation {
    invocation(args).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

/// The message of a usage error of ours (not clap's), checked to exit 2.
fn refused(args: &[&str]) -> String {
    match invocation(args) {
        Err(CliError::Clap(e)) => panic!("{args:?}: clap's error, not ours: {e}"),
        Err(e) => {
            assert_eq!(e.exit_code(), EXIT_USAGE, "{args:?}: {e}");
            e.to_string()
        }
        Ok(i) => panic!("{args:?} was accepted as {i:?}"),
    }
}

fn browse(args: &[&str]) -> (GlobalArgs, crate::cli::BrowseArgs) {
    match parsed(args) {
        Invocation {
            globals,
            command: Command::Browse(browse),
        } => (globals, browse),
        other => panic!("{args:?}: not the browser: {other:?}"),
    }
}

#[test]
fn no_command_is_the_browser_with_all_its_options() {
    let (globals, args) = browse(&[
        "--demo",
        "--image-protocol",
        "off",
        "--download-dir",
        "saved",
        "--ids-file",
        "ids.csv",
        "--config",
        "c.toml",
    ]);
    assert!(globals.demo);
    assert_eq!(globals.config, Some(PathBuf::from("c.toml")));
    assert_eq!(args.image_protocol, Some(ImageProtocol::Off));
    assert_eq!(args.download_dir, Some(PathBuf::from("saved")));
    assert_eq!(args.ids_file, Some(PathBuf::from("ids.csv")));
    assert_eq!(args.archive, None);

    let (globals, args) = browse(&["--archive", "audit"]);
    assert_eq!(args.archive, Some(PathBuf::from("audit")));
    assert!(!globals.demo);
}

/// The first defect: every one of these started with privacy off.
#[test]
fn privacy_reaches_the_browser_and_show_in_every_position() {
    for args in [
        &["--demo", "--private"][..],
        &["--private", "--demo"],
        &["--private", "browse", "--demo"],
        &["browse", "--demo", "--private"],
        &["--demo", "tui", "--private"],
    ] {
        let (globals, _) = browse(args);
        assert!(globals.private, "{args:?}");
        assert!(globals.overrides(true).private, "{args:?}");
    }
    for args in [
        &["--private", "show", "IDP1"][..],
        &["--demo", "show", "--private", "IDP1"],
        &["show", "IDP1", "--no-images", "--private"],
    ] {
        let i = parsed(args);
        assert!(matches!(i.command, Command::Show(_)), "{args:?}");
        assert!(i.globals.overrides(false).private, "{args:?}");
    }
    for (args, why) in [
        (
            &["--private", "export", "--out", "x"][..],
            "an export is written unmasked",
        ),
        (&["export", "--out", "x", "--private"], "a screen aid"),
        (&["--private", "reviews", "list"], "as recorded"),
        (&["reviews", "list", "--private"], "as recorded"),
        (&["--private", "audit"], "never personal data"),
        (&["demo-server", "--private"], "reads no config or data"),
    ] {
        let message = refused(args);
        assert!(
            message.starts_with("--private does not apply to `") && message.contains(why),
            "{args:?}: {message}"
        );
    }
}

/// The second defect: each of these said "is given both before and after `reviews`".
#[test]
fn reviews_takes_config_demo_and_its_store_in_every_position() {
    for args in [
        &["--demo", "reviews", "export"][..],
        &["reviews", "--demo", "export"],
        &["reviews", "export", "--demo"],
        &["--config", "c.toml", "reviews", "--demo", "list"],
        &["reviews", "--config", "c.toml", "stats", "--demo"],
        &[
            "reviews", "import", "f.jsonl", "--config", "c.toml", "--demo",
        ],
    ] {
        let i = parsed(args);
        assert!(matches!(i.command, Command::Reviews(_)), "{args:?}");
        let overrides = i.globals.overrides(true);
        assert!(overrides.demo_data, "{args:?}: not the demo's store");
        let config_given = args.contains(&"--config");
        assert_eq!(overrides.config_path.is_some(), config_given, "{args:?}");
    }
    for args in [
        &["--review-db", "r.sqlite3", "reviews", "list"][..],
        &["reviews", "--review-db", "r.sqlite3", "list"],
        &["reviews", "list", "--review-db", "r.sqlite3"],
    ] {
        let overrides = parsed(args).globals.overrides(true);
        assert_eq!(overrides.review_db, Some(PathBuf::from("r.sqlite3")));
    }
    // --audit-log before `reviews` was ignored; now it is refused, as after.
    for args in [
        &["--audit-log", "a", "reviews", "list"][..],
        &["reviews", "list", "--audit-log", "a"],
    ] {
        assert!(refused(args).contains("reviews writes no access-log record"));
    }
}

#[test]
fn the_time_zone_is_taken_by_the_browser_and_show_before_or_after_the_command() {
    for args in [
        &["--time-zone", "America/Bogota"][..],
        &["--time-zone", "America/Bogota", "browse"],
        &["browse", "--time-zone", "America/Bogota"],
        &["--time-zone", "Europe/Madrid", "show", "IDP1"],
        &["show", "IDP1", "--time-zone", "Europe/Madrid"],
    ] {
        let zone = parsed(args).globals.overrides(true).time_zone;
        assert!(zone.is_some(), "{args:?}");
    }
    assert!(!help(&["export"]).contains("--time-zone"));
    assert!(
        refused(&["export", "--out", "x", "--time-zone", "UTC"])
            .contains("an export keeps Truora's UTC times as received")
    );
}

#[test]
fn a_commands_own_options_go_after_its_name() {
    let i = parsed(&[
        "--demo",
        "export",
        "--demo-processes",
        "12",
        "--ids-file",
        "ids.csv",
        "--out",
        "audit",
    ]);
    let Command::Export(args) = i.command else {
        panic!("not export");
    };
    assert!(i.globals.demo);
    assert_eq!(args.knobs.demo_processes, Some(12));
    assert_eq!(args.ids_file, Some(PathBuf::from("ids.csv")));
    assert_eq!(args.out, PathBuf::from("audit"));

    let Command::Show(show) = parsed(&["show", "--archive", "audit", "IDP1", "--json"]).command
    else {
        panic!("not show");
    };
    assert_eq!(show.archive, Some(PathBuf::from("audit")));
    assert_eq!(show.process_id, "IDP1");
    assert!(show.json);

    let Command::DemoServer(demo) =
        parsed(&["demo-server", "--demo-page-size", "5", "--port", "8080"]).command
    else {
        panic!("not demo-server");
    };
    assert_eq!(demo.demo_page_size, Some(5));
    assert_eq!(demo.port, 8080);

    // Before the name they are the browser's, and refused with where they go.
    for (args, flag, command) in [
        (&["--archive", "a", "show", "IDP1"][..], "--archive", "show"),
        (
            &["--demo", "--demo-processes", "3", "export", "--out", "x"],
            "--demo-processes",
            "export",
        ),
        (
            &["--ids-file", "f", "export", "--out", "x"],
            "--ids-file",
            "export",
        ),
        (&["--watch", "7", "browse", "--demo"], "--watch", "browse"),
        (
            &["--demo-page-size", "5", "demo-server"],
            "--demo-page-size",
            "demo-server",
        ),
    ] {
        let message = refused(args);
        assert!(
            message.starts_with(&format!("{flag} is given before `{command}`"))
                && message.contains(&format!("`truora-tui {command} {flag} …`")),
            "{args:?}: {message}"
        );
    }
}

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

#[test]
fn watch_takes_an_optional_interval_of_at_least_five_seconds() {
    let watch = |args: &[&str]| browse(args).1.watch;
    assert_eq!(watch(&["--demo"]), None);
    assert_eq!(watch(&["--demo", "--watch"]), Some(30));
    assert_eq!(watch(&["--watch", "--demo"]), Some(30));
    assert_eq!(watch(&["--demo", "--watch", "12"]), Some(12));
    assert_eq!(watch(&["--demo", "--watch=12"]), Some(12));
    assert_eq!(watch(&["browse", "--demo", "--watch", "7"]), Some(7));
    assert_eq!(
        clap_error(&["--watch", "4"]).kind(),
        ErrorKind::ValueValidation
    );
    // A command's name after --watch is the command, not its value: refused, by name.
    for args in [
        &["--watch", "export", "--out", "x"][..],
        &["--watch", "show", "IDP1"],
        &["--watch=10", "export", "--out", "x"],
    ] {
        let message = refused(args);
        assert!(
            message.starts_with("--watch does not apply to `"),
            "{args:?}: {message}"
        );
    }

    let Command::DemoServer(server) = parsed(&["demo-server", "--demo-arrivals", "3"]).command
    else {
        panic!("not the demo server");
    };
    let opts = server
        .knobs
        .options(server.demo_page_size, server.demo_arrivals);
    assert_eq!(opts.arrivals, Some(std::time::Duration::from_secs(3)));
    assert_eq!(
        clap_error(&["--demo", "--demo-arrivals", "0"]).kind(),
        ErrorKind::ValueValidation
    );
}
