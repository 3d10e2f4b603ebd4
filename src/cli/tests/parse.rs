//! Which options each subcommand takes, before or after its name, and what is refused.

use std::path::PathBuf;

use clap::Parser;
use clap::error::ErrorKind;

use super::{Cli, CliError, Command, command};
use crate::cli::{DataFrom, EXIT_USAGE};
use crate::config::{self, ImageProtocol};

fn refused(args: &[&str]) -> String {
    match command(args) {
        Err(e @ CliError::Usage(_)) => {
            assert_eq!(e.exit_code(), EXIT_USAGE);
            e.to_string()
        }
        Err(e) => panic!("{args:?}: not a usage error: {e}"),
        Ok(c) => panic!("{args:?} was accepted as {c:?}"),
    }
}

fn clap_error(args: &[&str]) -> clap::Error {
    match Cli::try_parse_from(std::iter::once("truora-tui").chain(args.iter().copied())) {
        Err(e) => e,
        Ok(cli) => panic!("{args:?} parsed: {cli:?}"),
    }
}

/// What `truora-tui ARGS --help` prints.
fn help(args: &[&str]) -> String {
    let mut with_help = args.to_vec();
    with_help.push("--help");
    let e = clap_error(&with_help);
    assert_eq!(e.kind(), ErrorKind::DisplayHelp);
    e.to_string()
}

#[test]
fn no_command_is_the_browser_with_all_its_options() {
    let Ok(Command::Browse(args)) = command(&[
        "--demo",
        "--image-protocol",
        "off",
        "--download-dir",
        "saved",
        "--ids-file",
        "ids.csv",
        "--config",
        "c.toml",
    ]) else {
        panic!("not the browser");
    };
    assert!(args.api.demo);
    assert_eq!(args.image_protocol, Some(ImageProtocol::Off));
    assert_eq!(args.download_dir, Some(PathBuf::from("saved")));
    assert_eq!(args.ids_file, Some(PathBuf::from("ids.csv")));
    assert_eq!(args.api.config, Some(PathBuf::from("c.toml")));
    assert_eq!(args.archive, None);

    let Ok(Command::Browse(args)) = command(&["--archive", "audit"]) else {
        panic!("not the browser");
    };
    assert_eq!(args.archive, Some(PathBuf::from("audit")));
    assert!(!args.api.demo);
}

#[test]
fn the_time_zone_is_taken_by_the_browser_and_show_before_or_after_the_command() {
    for args in [
        &["--time-zone", "America/Bogota"][..],
        &["--time-zone", "America/Bogota", "browse"][..],
        &["browse", "--time-zone", "America/Bogota"][..],
    ] {
        let Ok(Command::Browse(browse)) = command(args) else {
            panic!("{args:?}: not the browser");
        };
        assert_eq!(
            browse.time_zone.as_deref(),
            Some("America/Bogota"),
            "{args:?}"
        );
    }
    for args in [
        &["--time-zone", "Europe/Madrid", "show", "IDP1"][..],
        &["show", "IDP1", "--time-zone", "Europe/Madrid"][..],
    ] {
        let Ok(Command::Show(show)) = command(args) else {
            panic!("{args:?}: not show");
        };
        assert_eq!(show.time_zone.as_deref(), Some("Europe/Madrid"), "{args:?}");
    }
    assert!(!help(&["export"]).contains("--time-zone"));
}

#[test]
fn browse_and_its_old_name_tui_take_options_before_and_after_the_name() {
    for name in ["browse", "tui"] {
        let Ok(Command::Browse(args)) =
            command(&["--demo", name, "--image-protocol", "halfblocks"])
        else {
            panic!("{name}: not the browser");
        };
        assert!(args.api.demo, "{name}");
        assert_eq!(args.image_protocol, Some(ImageProtocol::Halfblocks));
    }
}

#[test]
fn options_given_before_a_subcommand_move_into_it() {
    let Ok(Command::Export(args)) = command(&[
        "--demo",
        "--demo-processes",
        "12",
        "--ids-file",
        "ids.csv",
        "export",
        "--out",
        "audit",
    ]) else {
        panic!("not export");
    };
    assert!(args.api.demo);
    assert_eq!(args.api.knobs.demo_processes, Some(12));
    assert_eq!(args.ids_file, Some(PathBuf::from("ids.csv")));
    assert_eq!(args.out, PathBuf::from("audit"));

    // The same options after the name.
    let Ok(Command::Export(after)) = command(&[
        "export",
        "--demo",
        "--demo-processes",
        "12",
        "--out",
        "audit",
    ]) else {
        panic!("not export");
    };
    assert!(after.api.demo);
    assert_eq!(after.api.knobs, args.api.knobs);

    let Ok(Command::Show(show)) = command(&["--archive", "audit", "show", "IDP1", "--json"]) else {
        panic!("not show");
    };
    assert_eq!(show.archive, Some(PathBuf::from("audit")));
    assert_eq!(show.process_id, "IDP1");
    assert!(show.json);

    let Ok(Command::DemoServer(demo)) =
        command(&["--demo-page-size", "5", "demo-server", "--port", "8080"])
    else {
        panic!("not demo-server");
    };
    assert_eq!(demo.knobs.demo_page_size, Some(5));
    assert_eq!(demo.port, 8080);
}

#[test]
fn leading_options_that_do_not_apply_are_refused_saying_why() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["--archive", "a", "export", "--out", "x"],
            "--archive is already an export",
        ),
        (
            &["--image-protocol", "off", "export", "--out", "x"],
            "export draws none",
        ),
        (
            &["--download-dir", "d", "export", "--out", "x"],
            "export writes into --out",
        ),
        (
            &["--time-zone", "UTC", "export", "--out", "x"],
            "an export keeps Truora's UTC times as received",
        ),
        (
            &["--ids-file", "f", "show", "IDP1"],
            "show prints the one process given; --ids-file does not apply",
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
        (
            &["--config", "c.toml", "demo-server"],
            "--config does not apply",
        ),
        (
            &["--archive", "a", "demo-server"],
            "--archive does not apply",
        ),
    ];
    for (args, expected) in cases {
        let message = refused(args);
        assert!(message.contains(expected), "{args:?}: {message}");
        let name = args
            .iter()
            .find(|a| ["export", "show", "demo-server"].contains(a));
        let pointer = format!("see `truora-tui {} --help`", name.unwrap());
        assert!(message.contains(&pointer), "{args:?}: {message}");
    }
}

#[test]
fn an_option_given_before_and_after_the_subcommand_is_refused() {
    for args in [
        &["--demo", "export", "--demo", "--out", "x"][..],
        &["--config", "a", "show", "--config", "b", "IDP1"],
        &[
            "--demo-processes",
            "3",
            "demo-server",
            "--demo-processes",
            "4",
        ],
        &["--archive", "a", "browse", "--archive", "b"],
    ] {
        let message = refused(args);
        assert!(
            message.contains("is given both before and after") && message.contains("give it once"),
            "{args:?}: {message}"
        );
    }
}

#[test]
fn options_a_subcommand_does_not_have_are_refused_after_its_name() {
    let cases: &[(&[&str], ErrorKind)] = &[
        (
            &["export", "--out", "x", "--image-protocol", "off"],
            ErrorKind::UnknownArgument,
        ),
        (
            &["export", "--out", "x", "--archive", "a"],
            ErrorKind::UnknownArgument,
        ),
        (
            &["demo-server", "--archive", "a"],
            ErrorKind::UnknownArgument,
        ),
        (&["demo-server", "--demo"], ErrorKind::UnknownArgument),
        (
            &["show", "IDP1", "--ids-file", "f"],
            ErrorKind::UnknownArgument,
        ),
        (
            &["show", "IDP1", "--download-dir", "d"],
            ErrorKind::UnknownArgument,
        ),
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
        assert_eq!(crate::cli::exit::clap_code(&e), EXIT_USAGE, "{args:?}");
    }
}

#[test]
fn the_demo_and_an_archive_cannot_go_together_and_knobs_need_the_demo() {
    let Ok(Command::Browse(args)) = command(&["--demo", "--archive", "a"]) else {
        panic!("not the browser");
    };
    let e = DataFrom::choose(args.api.demo_options().unwrap(), args.archive).unwrap_err();
    assert!(
        e.to_string()
            .contains("--archive and --demo cannot be used together")
    );
    assert_eq!(e.exit_code(), EXIT_USAGE);

    let Ok(Command::Show(args)) = command(&["--demo-processes", "3", "show", "IDP1"]) else {
        panic!("not show");
    };
    let e = args.api.demo_options().unwrap_err();
    assert_eq!(
        e.to_string(),
        "--demo-processes sets up the demo API: add --demo"
    );
    assert_eq!(e.exit_code(), EXIT_USAGE);

    let Ok(Command::Export(args)) = command(&[
        "--demo",
        "--demo-latency-ms",
        "20",
        "--demo-link-lifetime-secs",
        "60",
        "export",
        "--out",
        "x",
    ]) else {
        panic!("not export");
    };
    let opts = args.api.demo_options().unwrap().expect("the demo");
    assert_eq!(opts.latency, std::time::Duration::from_millis(20));
    assert_eq!(opts.link_lifetime, std::time::Duration::from_secs(60));
}

#[test]
fn each_subcommands_help_lists_only_its_own_options() {
    let export = help(&["export"]);
    for present in [
        "--out",
        "--ids-file",
        "--demo",
        "--config",
        "--status",
        "--concurrency",
    ] {
        assert!(
            export.contains(present),
            "export --help lacks {present}:\n{export}"
        );
    }
    for absent in [
        "--image-protocol",
        "--archive",
        "--download-dir",
        "--demo-processes",
    ] {
        assert!(
            !export.contains(absent),
            "export --help offers {absent}:\n{export}"
        );
    }

    let demo = help(&["demo-server"]);
    assert!(demo.contains("--port"), "{demo}");
    for absent in [
        "--archive",
        "--config",
        "--demo ",
        "--image-protocol",
        "--ids-file",
        "--identity-url",
    ] {
        assert!(
            !demo.contains(absent),
            "demo-server --help offers {absent}:\n{demo}"
        );
    }

    let show = help(&["show"]);
    for present in ["--archive", "--json", "--width", "--demo", "<PROCESS_ID>"] {
        assert!(
            show.contains(present),
            "show --help lacks {present}:\n{show}"
        );
    }
    for absent in ["--ids-file", "--download-dir", "--image-protocol", "--out"] {
        assert!(
            !show.contains(absent),
            "show --help offers {absent}:\n{show}"
        );
    }

    let browse = help(&["browse"]);
    for present in [
        "--archive",
        "--ids-file",
        "--download-dir",
        "--image-protocol",
        "--demo",
    ] {
        assert!(
            browse.contains(present),
            "browse --help lacks {present}:\n{browse}"
        );
    }
    assert!(!browse.contains("--out"), "{browse}");
}

#[test]
fn the_top_level_help_names_every_environment_variable_and_the_exit_codes() {
    let top = help(&[]);
    for var in [
        config::ENV_API_KEY,
        config::ENV_CONFIG,
        config::ENV_IDENTITY_BASE_URL,
        config::ENV_VALIDATIONS_BASE_URL,
        config::ENV_DOWNLOAD_DIR,
        "TRUORA_TUI_LOG",
        "NO_COLOR",
    ] {
        assert!(top.contains(var), "--help does not name {var}:\n{top}");
    }
    assert!(top.contains("Exit codes: 0 done; 1 failed"), "{top}");
    for command in ["browse", "export", "show", "demo-server"] {
        assert!(top.contains(command), "{command}:\n{top}");
    }
    // The browser's options are the top level's, since browsing is the default.
    assert!(
        top.contains("--archive") && top.contains("--image-protocol"),
        "{top}"
    );
    // Test knobs stay out of sight.
    assert!(!top.contains("--demo-processes"), "{top}");
    assert_eq!(clap_error(&["--version"]).kind(), ErrorKind::DisplayVersion);
}

#[test]
fn watch_takes_an_optional_interval_of_at_least_five_seconds() {
    let watch = |args: &[&str]| match command(args) {
        Ok(Command::Browse(b)) => b.watch,
        other => panic!("{args:?}: {other:?}"),
    };
    assert_eq!(watch(&["--demo"]), None);
    assert_eq!(watch(&["--demo", "--watch"]), Some(30));
    assert_eq!(watch(&["--demo", "--watch", "12"]), Some(12));
    assert_eq!(watch(&["--watch", "7", "browse", "--demo"]), Some(7));
    assert_eq!(
        clap_error(&["--watch", "4"]).kind(),
        ErrorKind::ValueValidation
    );
    assert!(refused(&["--watch", "10", "export", "--out", "x"]).contains("--watch"));

    let Ok(Command::DemoServer(server)) = command(&["demo-server", "--demo-arrivals", "3"]) else {
        panic!("not the demo server");
    };
    assert_eq!(
        server.knobs.options().arrivals,
        Some(std::time::Duration::from_secs(3))
    );
    assert_eq!(
        clap_error(&["--demo", "--demo-arrivals", "0"]).kind(),
        ErrorKind::ValueValidation
    );
}
