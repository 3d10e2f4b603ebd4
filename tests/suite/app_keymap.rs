//! The keymap: defaults, config overrides, problems, ctrl-c.

use crate::app_support;

use std::collections::BTreeMap;

use app_support::*;
use truora_tui::app::{App, AppOptions, Command};
use truora_tui::keymap::{Action, Key, Keymap};

fn config(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
    pairs
        .iter()
        .map(|(a, keys)| (a.to_string(), keys.iter().map(|k| k.to_string()).collect()))
        .collect()
}

#[test]
fn every_action_has_a_name_a_description_and_a_default_key() {
    let map = Keymap::default();
    for &a in Action::ALL {
        assert_eq!(Action::from_name(a.name()), Some(a));
        assert!(!a.description().is_empty());
        assert!(!map.keys(a).is_empty(), "{} has no default key", a.name());
    }
    assert_eq!(Action::ALL.len(), 38);
    let (_, problems) = Keymap::from_config(&BTreeMap::new());
    assert!(
        problems.is_empty(),
        "the defaults do not conflict: {problems:?}"
    );
}

#[test]
fn defaults_match_the_documented_keys() {
    let map = Keymap::default();
    let cases = [
        ("j", Action::Down),
        ("down", Action::Down),
        ("G", Action::Bottom),
        ("end", Action::Bottom),
        ("+", Action::ZoomIn),
        ("=", Action::ZoomIn),
        ("-", Action::ZoomOut),
        ("0", Action::ZoomReset),
        ("ctrl-d", Action::PageDown),
        ("ctrl-u", Action::PageUp),
        ("shift-tab", Action::PrevPane),
        ("N", Action::PrevFailed),
        ("space", Action::Toggle),
        ("E", Action::CollapseAll),
        ("S", Action::SaveAllImages),
        ("?", Action::Help),
        ("ctrl-c", Action::Quit),
    ];
    for (k, action) in cases {
        assert_eq!(map.action(&key(k)), Some(action), "{k}");
    }
    assert_eq!(map.keys_text(Action::Down), "j, down");
}

#[test]
fn key_spellings_parse_and_display_back() {
    for s in [
        "q",
        "G",
        "?",
        "/",
        "ctrl-c",
        "alt-x",
        "shift-tab",
        "pgdn",
        "pgup",
        "enter",
        "space",
        "F5",
        "esc",
        "-",
    ] {
        let k = Key::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"));
        assert_eq!(Key::parse(&k.display()), Ok(k), "{s} → {}", k.display());
    }
    assert_eq!(Key::parse("shift-g"), Key::parse("G"));
    assert_eq!(Key::parse("PageDown"), Key::parse("pgdn"));
    assert_eq!(
        Key::parse("ctrl--").map(|k| k.display()),
        Ok("ctrl--".to_owned())
    );
    assert!(Key::parse("hyper-x").is_err());
    assert!(Key::parse("").is_err());
    assert!(Key::parse("F99").is_err());
}

#[test]
fn config_overrides_replace_an_actions_keys() {
    let (map, problems) =
        Keymap::from_config(&config(&[("down", &["J", "ctrl-n"]), ("refresh", &["F5"])]));
    assert!(problems.is_empty(), "{problems:?}");
    assert_eq!(map.action(&key("J")), Some(Action::Down));
    assert_eq!(map.action(&key("ctrl-n")), Some(Action::Down));
    assert_eq!(map.action(&key("j")), None, "the default is replaced");
    assert_eq!(map.action(&key("F5")), Some(Action::Refresh));
}

#[test]
fn unknown_actions_bad_keys_and_conflicts_are_reported() {
    let cfg = config(&[
        ("jump", &["z"]),
        ("up", &["ctrl-nope", "K"]),
        ("save_image", &["b"]),
        ("copy_id", &["b"]),
        ("compare", &["v"]),
    ]);
    let (map, problems) = Keymap::from_config(&cfg);
    let text = problems
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("[keys] \"jump\" is not an action"), "{text}");
    assert!(
        text.contains("[keys] up: unknown key \"ctrl-nope\""),
        "{text}"
    );
    assert!(
        text.contains("key \"b\" is bound to both save_image and copy_id"),
        "{text}"
    );
    assert!(
        text.contains("key \"v\" is now compare and no longer raw_json"),
        "{text}"
    );
    assert_eq!(problems.len(), 4, "{text}");
    // Each names the entries it is about, so the config can give their lines; only taking a
    // default key over is not a mistake.
    let entries: Vec<(Vec<&str>, bool)> = problems
        .iter()
        .map(|p| (p.entries.iter().map(String::as_str).collect(), p.mistake))
        .collect();
    assert_eq!(
        entries,
        [
            (vec!["jump"], true),
            (vec!["up"], true),
            (vec!["save_image", "copy_id"], true),
            (vec!["compare"], false),
        ]
    );
    assert_eq!(
        map.action(&key("K")),
        Some(Action::Up),
        "the good key of a half-bad list is kept"
    );
    assert_eq!(map.action(&key("v")), Some(Action::Compare));
}

#[test]
fn ctrl_c_always_quits() {
    let (map, problems) = Keymap::from_config(&config(&[("quit", &["x"]), ("help", &["ctrl-c"])]));
    assert_eq!(map.action(&key("ctrl-c")), Some(Action::Quit));
    assert_eq!(map.action(&key("q")), None);
    assert!(
        problems
            .iter()
            .any(|p| p.mistake && p.text.contains("ctrl-c always quits")),
        "{problems:?}"
    );

    let opts = AppOptions {
        keymap: map,
        ..AppOptions::default()
    };
    let mut app = App::new(opts);
    assert_eq!(press(&mut app, "ctrl-c"), vec![Command::Quit]);
}

#[test]
fn a_remapped_key_drives_the_app() {
    let (map, _) = Keymap::from_config(&config(&[("down", &["J"])]));
    let mut app = App::new(AppOptions {
        keymap: map,
        ..AppOptions::default()
    });
    app.start();
    app.handle_message(page_message(&app, ten(), false));
    press(&mut app, "J");
    assert_eq!(app.list().cursor(), Some(1));
    press(&mut app, "j");
    assert_eq!(app.list().cursor(), Some(1));
}

#[test]
fn a_keys_mistake_in_the_config_stops_the_program_with_exit_2_and_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "# my keys\n[keys]\nquit = \"q\"\nsave-image = \"w\"\n",
    )
    .unwrap();
    // The browser (no subcommand) is where keys matter; the mistake stops it before it even
    // looks for a terminal, as a bad `concurrency` does.
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_truora-tui"))
        .args(["--demo", "--config"])
        .arg(&path)
        .env_remove("TRUORA_API_KEY")
        .env_remove("TRUORA_TUI_CONFIG")
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    let expected = format!(
        "{}:4: [keys] \"save-image\" is not an action (did you mean save_image?); known actions: quit,",
        path.display()
    );
    assert!(stderr.contains(&expected), "{stderr}");
    assert!(!stderr.contains("needs a terminal"), "{stderr}");
}

/// Every row of the help, scrolled from its top to its end, at `width`×`height`.
fn whole_help(app: &mut App, width: u16, height: u16) -> String {
    press(app, "?");
    let mut seen = String::new();
    let mut last = String::new();
    loop {
        let now = screen(app, width, height);
        if now == last {
            return seen;
        }
        seen.push_str(&now);
        last = now;
        press(app, "pgdn");
    }
}

#[test]
fn the_help_names_every_action_as_the_keys_table_takes_it() {
    for (width, height) in [(120, 40), (80, 24)] {
        let (mut app, _) = loaded(ten(), width, height);
        let help = whole_help(&mut app, width, height);
        assert!(help.contains("[keys] name"), "{help}");
        for action in Action::ALL {
            assert!(
                help.contains(&format!(" {} ", action.name())),
                "{} is not in the help at {width}×{height}:\n{help}",
                action.name()
            );
        }
    }
    // What the help shows is what the config says: a remapped action, under its name.
    let (map, problems) = Keymap::from_config(&config(&[("zoom_in", &["z"])]));
    assert!(problems.is_empty(), "{problems:?}");
    let mut app = App::new(AppOptions {
        keymap: map,
        ..AppOptions::default()
    });
    app.start();
    app.handle_message(truora_tui::app::Message::Resize {
        width: 120,
        height: 40,
    });
    let help = whole_help(&mut app, 120, 40);
    let row = help
        .lines()
        .find(|l| l.contains(" zoom_in "))
        .expect("a zoom_in row");
    assert!(row.contains("┃z "), "{row}");
}

/// The `# name = keys` lines of `.config-example`'s `[keys]` section.
fn example_keys() -> Vec<(String, String)> {
    let example = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/.config-example"));
    let (_, section) = example
        .split_once("\n# [keys]\n")
        .expect(".config-example shows a [keys] section");
    section
        .lines()
        .filter_map(|l| l.strip_prefix("# ")?.split_once(" = "))
        .map(|(name, keys)| (name.to_owned(), keys.to_owned()))
        .collect()
}

#[test]
fn the_config_example_lists_every_action_with_its_default_keys() {
    let listed = example_keys();
    let map = Keymap::default();
    for (name, keys) in &listed {
        let action = Action::from_name(name)
            .unwrap_or_else(|| panic!(".config-example lists {name:?}, which is not an action"));
        let value: toml::Value = toml::from_str::<toml::Table>(&format!("k = {keys}"))
            .unwrap_or_else(|e| panic!("{name} = {keys}: {e}"))["k"]
            .clone();
        let spelled: Vec<String> = match value {
            toml::Value::String(one) => vec![one],
            toml::Value::Array(many) => many
                .into_iter()
                .map(|k| k.as_str().expect("a key").to_owned())
                .collect(),
            other => panic!("{name} = {other}"),
        };
        let parsed: Vec<Key> = spelled
            .iter()
            .map(|k| Key::parse(k).unwrap_or_else(|e| panic!("{name}: {e}")))
            .collect();
        assert_eq!(
            parsed,
            map.keys(action),
            "{name}: .config-example says {keys}, the default is {}",
            map.keys_text(action)
        );
    }
    for action in Action::ALL {
        assert!(
            listed.iter().any(|(name, _)| name == action.name()),
            "{} is missing from .config-example's [keys]",
            action.name()
        );
    }
    assert_eq!(listed.len(), Action::ALL.len(), "each action once");
}
