//! Bad input from every source: each error names where it came from; warnings; redaction.

use super::*;

#[test]
fn file_errors_carry_the_real_path() {
    let (_dir, path) = config_file("concurrency = 4\napi_kye = \"x\"\n");
    let text = load_err(&with_file(&path), &env(&[])).to_string();
    assert!(
        text.starts_with(&format!("{}:2: unknown key `api_kye`", path.display())),
        "{text}"
    );
    let (_dir, path) = config_file("concurrency = [\n");
    let err = load_err(&with_file(&path), &env(&[]));
    assert!(matches!(err, ConfigError::Syntax { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with(&path.display().to_string()),
        "{err}"
    );
}

#[test]
fn bad_url_from_each_source_names_source_and_value() {
    let (_dir, path) = config_file("\nidentity_base_url = \"ftp://files.example\"\n");
    let text = load_err(&with_file(&path), &env(&[])).to_string();
    assert!(
        text.starts_with(&format!(
            "{}:2: invalid URL \"ftp://files.example\"",
            path.display()
        )),
        "{text}"
    );
    assert!(text.contains("only http and https"), "{text}");

    let text = load_err(
        &demo(),
        &env(&[(ENV_VALIDATIONS_BASE_URL, "api.truora.com")]),
    )
    .to_string();
    assert!(text.starts_with(
        "environment variable TRUORA_VALIDATIONS_BASE_URL: invalid URL \"api.truora.com\""
    ));
    assert!(text.contains("validations_base_url"), "{text}");

    let flags = Overrides {
        identity_url: Some("https://x.example/?a=1".into()),
        ..demo()
    };
    let text = load_err(&flags, &env(&[])).to_string();
    assert!(
        text.starts_with("flag --identity-url: invalid URL \"https://x.example/?a=1\""),
        "{text}"
    );
    let flags = Overrides {
        validations_url: Some("mailto:a@b.c".into()),
        ..demo()
    };
    let err = load_err(&flags, &env(&[]));
    assert!(matches!(
        &err,
        ConfigError::InvalidUrl {
            origin: Origin::Flag("--validations-url"),
            ..
        }
    ));

    let (_dir, path) = config_file("validations_base_url = \"\"\n");
    let text = load_err(&with_file(&path), &env(&[])).to_string();
    assert!(
        text.contains(":1: invalid URL \"\" for validations_base_url: it is empty"),
        "{text}"
    );
}

#[test]
fn out_of_range_numbers_are_errors_with_line() {
    for (doc, key) in [
        ("concurrency = 0", "concurrency"),
        ("concurrency = 65", "concurrency"),
        ("concurrency = -1", "concurrency"),
        ("request_timeout_secs = 0", "request_timeout_secs"),
        ("request_timeout_secs = 601", "request_timeout_secs"),
    ] {
        let (_dir, path) = config_file(&format!("# comment\n{doc}\n"));
        let err = load_err(&with_file(&path), &env(&[]));
        assert!(
            matches!(&err, ConfigError::OutOfRange { key: k, .. } if *k == key),
            "{doc}: {err:?}"
        );
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("{}:2: `{doc}` is out of range", path.display())),
            "{text}"
        );
    }
}

#[test]
fn world_readable_file_with_key_warns_to_chmod() {
    let (_dir, path) = config_file("api_key = \"k\"\n");
    assert!(
        load_ok(&with_file(&path), &env(&[])).warnings.is_empty(),
        "0600 is fine"
    );
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
    let warnings = load_ok(&with_file(&path), &env(&[])).warnings;
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains(&format!("chmod 600 {}", path.display())),
        "{warnings:?}"
    );
    assert!(warnings[0].contains("644"), "{warnings:?}");

    let (_dir, path) = config_file("concurrency = 2\napi_key = \"\"\n");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
    assert!(
        load_ok(&with_file(&path), &env(&[])).warnings.is_empty(),
        "no key, no warning"
    );
}

#[test]
fn no_key_in_live_mode_names_all_three_ways() {
    let platform = Platform {
        config_path: Some("/home/tester/.config/truora-tui/config.toml".into()),
        ..platform()
    };
    let err = load_with(&Overrides::default(), &env(&[]), &platform).expect_err("no key");
    assert!(matches!(err, ConfigError::NoApiKey { .. }), "{err:?}");
    assert_eq!(err.exit_code(), 2);
    let text = err.to_string();
    for needle in [
        "TRUORA_API_KEY",
        "`api_key = ",
        "api_key_command",
        "/home/tester/.config/truora-tui/config.toml",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in: {text}");
    }
    let (_dir, path) = config_file("api_key_command = \"\"\n");
    let text = load_err(
        &Overrides {
            demo: false,
            ..with_file(&path)
        },
        &env(&[]),
    )
    .to_string();
    assert!(
        text.contains(&path.display().to_string()),
        "names the file read: {text}"
    );
}

#[test]
fn key_is_never_shown_by_debug_or_display() {
    let key = ApiKey::new("sk-secret".into());
    assert_eq!(format!("{key:?}"), "ApiKey(***)");
    assert_eq!(format!("{key}"), "ApiKey(***)");
    let loaded = load_ok(&demo(), &env(&[(ENV_API_KEY, "sk-secret")]));
    assert!(!format!("{loaded:?} {:#?}", loaded.config).contains("sk-secret"));
    assert_eq!(
        loaded.config.api_key.as_ref().map(ApiKey::expose),
        Some("sk-secret")
    );
}

#[test]
fn a_key_that_cannot_be_a_header_is_refused_naming_where_it_came_from() {
    let check = |err: ConfigError, from: &str| {
        assert!(matches!(err, ConfigError::InvalidApiKey { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.starts_with(&format!(
                "the API key contains characters that cannot be sent in a header (a newline?): check {from}"
            )),
            "{text}"
        );
        for part in ["top", "secret"] {
            assert!(!text.contains(part), "key text leaked: {text}");
        }
        assert_eq!(err.exit_code(), 2);
    };
    for bad in [
        "top\nsecret",
        "top\rsecret",
        "top\u{1b}[0msecret",
        "top\tsecret",
        "top\u{85}secret",
    ] {
        check(
            load_err(&demo(), &env(&[(ENV_API_KEY, bad)])),
            "the TRUORA_API_KEY environment variable",
        );
    }
    let (_dir, path) = config_file("api_key = \"top\\nsecret\"\n");
    check(
        load_err(&with_file(&path), &env(&[])),
        &format!("`api_key` in {}", path.display()),
    );
    // Surrounding whitespace (a trailing newline from `echo`) is trimmed, not refused.
    let loaded = load_ok(&demo(), &env(&[(ENV_API_KEY, "  sk-ok\n")]));
    assert_eq!(
        loaded.config.api_key.as_ref().map(ApiKey::expose),
        Some("sk-ok")
    );
    let header = loaded.config.api_key.as_ref().and_then(ApiKey::to_header);
    assert!(header.is_some_and(|h| h.is_sensitive()));
}

#[test]
fn plain_http_to_another_machine_warns() {
    let warnings = |identity: &str| {
        let flags = Overrides {
            identity_url: Some(identity.into()),
            ..demo()
        };
        load_ok(&flags, &env(&[])).warnings
    };
    for local in [
        "http://127.0.0.1:8080",
        "http://127.8.9.10/",
        "http://localhost:3000/truora",
        "http://LOCALHOST./",
        "http://[::1]:9000",
        "http://[::ffff:127.0.0.1]/",
        "https://api.example.com",
    ] {
        assert!(warnings(local).is_empty(), "{local}: {:?}", warnings(local));
    }
    for remote in [
        "http://api.example.com",
        "http://10.0.0.5:8080",
        "http://[2001:db8::1]/",
        "http://localhost.example.com/",
        "http://128.0.0.1/",
    ] {
        let found = warnings(remote);
        assert_eq!(found.len(), 1, "{remote}: {found:?}");
        assert!(
            found[0].starts_with("identity_base_url http://")
                && found[0].contains("(from flag --identity-url)")
                && found[0].ends_with("sends the API key unencrypted; use https"),
            "{found:?}"
        );
    }
    let loaded = load_ok(
        &demo(),
        &env(&[(ENV_VALIDATIONS_BASE_URL, "http://validations.example")]),
    );
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(
        loaded.warnings[0].contains(
            "validations_base_url http://validations.example/ (from environment variable TRUORA_VALIDATIONS_BASE_URL)"
        ),
        "{:?}",
        loaded.warnings
    );
}

#[test]
fn tilde_expands_only_a_leading_home_component() {
    let home = Some(Path::new("/home/u"));
    assert_eq!(expand_tilde(Path::new("~"), home), PathBuf::from("/home/u"));
    assert_eq!(
        expand_tilde(Path::new("~/a/b"), home),
        PathBuf::from("/home/u/a/b")
    );
    assert_eq!(
        expand_tilde(Path::new("~other/a"), home),
        PathBuf::from("~other/a")
    );
    assert_eq!(
        expand_tilde(Path::new("a/~/b"), home),
        PathBuf::from("a/~/b")
    );
    assert_eq!(expand_tilde(Path::new("~/a"), None), PathBuf::from("~/a"));
}

proptest::proptest! {
    #[test]
    fn load_never_panics_on_any_env_or_flag_value(value in "\\PC{0,80}") {
        let env = env(&[
            (ENV_IDENTITY_BASE_URL, &value),
            (ENV_DOWNLOAD_DIR, &value),
            (ENV_API_KEY, &value),
        ]);
        let flags = Overrides { validations_url: Some(value.clone()), ..demo() };
        let _ = load_with(&flags, &env, &platform());
    }
}

#[test]
fn keys_mistakes_stop_with_the_line_like_every_other_mistake() {
    let cases = [
        // An unknown action names the nearest one and lists them all.
        (
            "concurrency = 2\n[keys]\nquit = \"q\"\nsave-image = \"w\"\n",
            4,
            "[keys] \"save-image\" is not an action (did you mean save_image?); known actions: quit, help,",
        ),
        (
            "[keys]\n\nfoo = \"x\"\n",
            3,
            "[keys] \"foo\" is not an action; known actions:",
        ),
        // A key spelling that means nothing.
        (
            "[keys]\nquit = [\"q\", \"ctrl-cc\"]\n",
            2,
            "[keys] quit: unknown key \"ctrl-cc\" (try e.g.",
        ),
        // One key for two actions: reported at the later of the two lines.
        (
            "[keys]\nsave_image = \"w\"\nhelp = \"?\"\ncopy_id = \"w\"\n",
            4,
            "[keys] key \"w\" is bound to both save_image and copy_id; give it to one of them",
        ),
        (
            "keys.help = \"ctrl-c\"\n",
            1,
            "[keys] help: ctrl-c always quits",
        ),
    ];
    for (doc, line, expected) in cases {
        let (_dir, path) = config_file(doc);
        let err = load_err(&with_file(&path), &env(&[]));
        assert!(matches!(err, ConfigError::Keys { .. }), "{doc:?}: {err:?}");
        assert_eq!(err.exit_code(), 2);
        let text = err.to_string();
        let prefix = format!("{}:{line}: {expected}", path.display());
        assert!(
            text.starts_with(&prefix),
            "{doc:?}:\n{text}\nwanted {prefix}"
        );
        assert!(
            text.contains("fix or remove that entry (see .config-example)"),
            "{text}"
        );
    }
}

#[test]
fn keys_mistakes_are_counted_and_news_is_not_a_mistake() {
    let (_dir, path) = config_file("[keys]\nzap = \"z\"\nquit = \"F99\"\nboom = \"b\"\n");
    let text = load_err(&with_file(&path), &env(&[])).to_string();
    assert!(
        text.starts_with(&format!(
            "{}:2: [keys] \"zap\" is not an action",
            path.display()
        )),
        "the first by line: {text}"
    );
    assert!(text.ends_with(" (and 2 more mistakes in [keys])"), "{text}");
    // Taking a default key for another action is what the user asked for: it loads.
    let (_dir, path) = config_file("[keys]\ncompare = \"v\"\n");
    let config = load_ok(&with_file(&path), &env(&[])).config;
    assert_eq!(config.keys["compare"], vec!["v".to_owned()]);
}
