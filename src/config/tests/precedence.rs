//! default < file < env < flag for every setting, and which config file is read.

use super::*;

#[test]
fn no_file_and_no_env_gives_the_defaults() {
    let loaded = load_ok(&demo(), &env(&[]));
    assert_defaults(&loaded.config);
    assert_eq!(loaded.config.file, None);
    assert!(loaded.warnings.is_empty());
}

/// default < file < env < flag, checked one layer at a time for a URL key.
fn check_url_precedence(key: &str, var: &str, set_flag: fn(&mut Overrides, String)) {
    let (_dir, path) = config_file(&format!("{key} = \"https://file.example\"\n"));
    let url = |loaded: Loaded| match key {
        "identity_base_url" => loaded.config.identity_base_url.to_string(),
        _ => loaded.config.validations_base_url.to_string(),
    };
    assert!(
        url(load_ok(&demo(), &env(&[]))).contains("api."),
        "default for {key}"
    );
    assert_eq!(
        url(load_ok(&with_file(&path), &env(&[]))),
        "https://file.example/"
    );
    let env = env(&[(var, "http://env.example:8080")]);
    assert_eq!(
        url(load_ok(&with_file(&path), &env)),
        "http://env.example:8080/"
    );
    let mut flags = with_file(&path);
    set_flag(&mut flags, "https://flag.example/base/".into());
    assert_eq!(url(load_ok(&flags, &env)), "https://flag.example/base/");
}

#[test]
fn identity_url_precedence() {
    check_url_precedence("identity_base_url", ENV_IDENTITY_BASE_URL, |o, v| {
        o.identity_url = Some(v)
    });
}

#[test]
fn validations_url_precedence() {
    check_url_precedence("validations_base_url", ENV_VALIDATIONS_BASE_URL, |o, v| {
        o.validations_url = Some(v)
    });
}

#[test]
fn download_dir_precedence_and_tilde_expansion() {
    let (_dir, path) = config_file("download_dir = \"~/from-file\"\n");
    let dir = |overrides: &Overrides, env: &HashMap<String, String>| {
        load_ok(overrides, env).config.download_dir
    };
    assert_eq!(
        dir(&demo(), &env(&[])),
        PathBuf::from("/platform/Downloads/truora-tui")
    );
    assert_eq!(
        dir(&with_file(&path), &env(&[])),
        PathBuf::from("/home/tester/from-file")
    );
    let env = env(&[(ENV_DOWNLOAD_DIR, "~/from-env")]);
    assert_eq!(
        dir(&with_file(&path), &env),
        PathBuf::from("/home/tester/from-env")
    );
    let flags = Overrides {
        download_dir: Some("~/from-flag".into()),
        ..with_file(&path)
    };
    assert_eq!(dir(&flags, &env), PathBuf::from("/home/tester/from-flag"));
}

#[test]
fn default_download_dir_is_never_relative_to_the_current_folder() {
    use super::platform::default_download_dir;
    let home = Path::new("/home/tester");
    let data = || Some(PathBuf::from("/home/tester/.local/share/truora-tui"));
    assert_eq!(
        default_download_dir(Some("/home/tester/Downloads".into()), Some(home), data()),
        Some(PathBuf::from("/home/tester/Downloads/truora-tui"))
    );
    // A headless host: no XDG Downloads folder.
    assert_eq!(
        default_download_dir(None, Some(home), data()),
        Some(PathBuf::from("/home/tester/truora-tui-downloads"))
    );
    assert_eq!(
        default_download_dir(None, None, data()),
        Some(PathBuf::from(
            "/home/tester/.local/share/truora-tui/downloads"
        ))
    );
    assert_eq!(default_download_dir(None, None, None), None);

    // With no home at all: an absolute folder, and a warning that says what to set.
    let homeless = Platform {
        download_dir: None,
        home: None,
        ..platform()
    };
    let loaded = load_with(&demo(), &env(&[]), &homeless).expect("loads");
    assert!(loaded.config.download_dir.is_absolute());
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    assert!(
        loaded.warnings[0]
            .contains("set download_dir in the config file or TRUORA_TUI_DOWNLOAD_DIR"),
        "{:?}",
        loaded.warnings
    );
    let flags = Overrides {
        download_dir: Some("/chosen".into()),
        ..demo()
    };
    let loaded = load_with(&flags, &env(&[]), &homeless).expect("loads");
    assert_eq!(loaded.config.download_dir, PathBuf::from("/chosen"));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);

    // Whatever this machine has, the detected default is absolute.
    let detected = Platform {
        config_path: None,
        ..Platform::detect()
    };
    let loaded = load_with(&demo(), &env(&[]), &detected).expect("loads");
    assert!(
        loaded.config.download_dir.is_absolute(),
        "{}",
        loaded.config.download_dir.display()
    );
}

#[test]
fn image_protocol_precedence() {
    let (_dir, path) = config_file("image_protocol = \"kitty\"\n");
    assert_eq!(
        load_ok(&with_file(&path), &env(&[])).config.image_protocol,
        ImageProtocol::Kitty
    );
    let flags = Overrides {
        image_protocol: Some(ImageProtocol::Sixel),
        ..with_file(&path)
    };
    assert_eq!(
        load_ok(&flags, &env(&[])).config.image_protocol,
        ImageProtocol::Sixel
    );
}

#[test]
fn numbers_and_keys_come_from_the_file() {
    let text = "concurrency = 64\nrequest_timeout_secs = 600\n[keys]\nquit = [\"q\", \"ctrl-c\"]\nhelp = \"?\"\n";
    let (_dir, path) = config_file(text);
    let config = load_ok(&with_file(&path), &env(&[])).config;
    assert_eq!(config.concurrency, 64);
    assert_eq!(config.request_timeout, Duration::from_secs(600));
    assert_eq!(
        config.keys["quit"],
        vec!["q".to_owned(), "ctrl-c".to_owned()]
    );
    assert_eq!(config.keys["help"], vec!["?".to_owned()]);
    assert_eq!(config.file, Some(path));
}

#[tokio::test]
async fn explicit_key_wins_env_over_file_over_command() {
    let (_dir, path) = config_file("api_key = \" file-key \"\napi_key_command = \"exit 1\"\n");
    let live = Overrides {
        demo: false,
        ..with_file(&path)
    };
    let config = load_ok(&live, &env(&[])).config;
    assert_eq!(
        config.api_key.as_ref().map(ApiKey::expose),
        Some("file-key")
    );
    // The command would fail if it ran; the explicit key means it does not.
    assert_eq!(
        config
            .resolve_api_key()
            .await
            .expect("explicit key")
            .expose(),
        "file-key"
    );
    let config = load_ok(&live, &env(&[(ENV_API_KEY, "env-key")])).config;
    assert_eq!(
        config
            .resolve_api_key()
            .await
            .expect("explicit key")
            .expose(),
        "env-key"
    );
}

#[tokio::test]
async fn command_supplies_the_key_when_no_explicit_key() {
    let (_dir, path) = config_file("api_key_command = \"echo cmd-key\"\n");
    let config = load_ok(
        &Overrides {
            demo: false,
            ..with_file(&path)
        },
        &env(&[]),
    )
    .config;
    assert_eq!(config.api_key, None);
    assert_eq!(
        config
            .resolve_api_key()
            .await
            .expect("command key")
            .expose(),
        "cmd-key"
    );
}

#[tokio::test]
async fn resolve_without_key_or_command_is_no_api_key() {
    let config = load_ok(&demo(), &env(&[])).config;
    let err = config.resolve_api_key().await.expect_err("no key");
    assert!(matches!(err, ConfigError::NoApiKey { .. }), "{err:?}");
}

#[test]
fn config_flag_wins_over_env_var_and_default() {
    let (_flag_dir, flag_path) = config_file("concurrency = 1\n");
    let (_env_dir, env_path) = config_file("concurrency = 2\n");
    let (_default_dir, default_path) = config_file("concurrency = 3\n");
    let platform = Platform {
        config_path: Some(default_path.clone()),
        ..platform()
    };
    let env_set = env(&[(ENV_CONFIG, env_path.to_str().expect("utf-8 temp path"))]);
    let load = |overrides: &Overrides, env: &HashMap<String, String>| {
        load_with(overrides, env, &platform).expect("loads").config
    };
    assert_eq!(load(&with_file(&flag_path), &env_set).concurrency, 1);
    assert_eq!(load(&demo(), &env_set).concurrency, 2);
    assert_eq!(load(&demo(), &env(&[])).concurrency, 3);
    assert_eq!(load(&demo(), &env(&[])).file, Some(default_path));
}

#[test]
fn missing_default_file_is_fine() {
    let dir = tempfile::tempdir().expect("temp dir");
    let platform = Platform {
        config_path: Some(dir.path().join("absent.toml")),
        ..platform()
    };
    let loaded = load_with(&demo(), &env(&[]), &platform).expect("a missing default file is fine");
    assert_eq!(loaded.config.file, None);
}

#[test]
fn missing_explicit_file_is_an_error_naming_it() {
    let err = load_err(&with_file(Path::new("/nonexistent/cfg.toml")), &env(&[]));
    let text = err.to_string();
    assert!(matches!(err, ConfigError::FileNotFound { .. }), "{err:?}");
    assert!(
        text.contains("/nonexistent/cfg.toml") && text.contains("flag --config"),
        "{text}"
    );
    let text = load_err(&demo(), &env(&[(ENV_CONFIG, "~/cfg.toml")])).to_string();
    assert!(
        text.contains("/home/tester/cfg.toml"),
        "~ is expanded: {text}"
    );
    assert!(
        text.contains("environment variable TRUORA_TUI_CONFIG"),
        "{text}"
    );
}

#[test]
fn unreadable_file_is_a_read_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let err = load_err(&with_file(dir.path()), &env(&[]));
    assert!(matches!(err, ConfigError::Read { .. }), "{err:?}");
    assert!(err.to_string().contains(&dir.path().display().to_string()));
}

#[test]
fn empty_env_values_count_as_unset() {
    let (_dir, path) = config_file("api_key = \"file-key\"\ndownload_dir = \"/from-file\"\n");
    let blank = env(&[
        (ENV_API_KEY, ""),
        (ENV_IDENTITY_BASE_URL, ""),
        (ENV_VALIDATIONS_BASE_URL, "  "),
        (ENV_DOWNLOAD_DIR, ""),
    ]);
    let config = load_ok(&with_file(&path), &blank).config;
    assert_eq!(
        config.api_key.as_ref().map(ApiKey::expose),
        Some("file-key")
    );
    assert_eq!(
        config.identity_base_url.as_str(),
        "https://api.identity.truora.com/"
    );
    assert_eq!(
        config.validations_base_url.as_str(),
        "https://api.validations.truora.com/"
    );
    assert_eq!(config.download_dir, PathBuf::from("/from-file"));
    let loaded = load_ok(&demo(), &env(&[(ENV_CONFIG, "")]));
    assert_eq!(
        loaded.config.file, None,
        "empty TRUORA_TUI_CONFIG falls back to the default"
    );
}

/// The access log's folder: file < env < flag, `~` expanded; `audit` and the key's label come
/// from the file only.
#[test]
fn audit_log_settings_follow_the_same_precedence() {
    let (_dir, path) =
        config_file("audit_log = \"~/audit-file\"\naudit = false\napi_key_label = \"prod-read\"\n");
    let none = load_ok(&demo(), &env(&[])).config;
    assert_eq!(
        (none.audit_log, none.audit, none.api_key_label),
        (None, None, None)
    );
    let file = load_ok(&with_file(&path), &env(&[])).config;
    assert_eq!(
        file.audit_log,
        Some(PathBuf::from("/home/tester/audit-file"))
    );
    assert_eq!(file.audit, Some(false));
    assert_eq!(file.api_key_label.as_deref(), Some("prod-read"));
    let env = env(&[(ENV_AUDIT_LOG, "/var/log/env-audit")]);
    let from_env = load_ok(&with_file(&path), &env).config;
    assert_eq!(
        from_env.audit_log,
        Some(PathBuf::from("/var/log/env-audit"))
    );
    let flags = Overrides {
        audit_log: Some("~/flag-audit".into()),
        ..with_file(&path)
    };
    let from_flag = load_ok(&flags, &env).config;
    assert_eq!(
        from_flag.audit_log,
        Some(PathBuf::from("/home/tester/flag-audit"))
    );
}

#[test]
fn private_is_on_from_the_file_or_the_flag() {
    let (_dir, on) = config_file("private = true\n");
    assert!(load_ok(&with_file(&on), &env(&[])).config.private);
    let (_dir2, off) = config_file("private = false\n");
    assert!(!load_ok(&with_file(&off), &env(&[])).config.private);
    assert!(!load_ok(&demo(), &env(&[])).config.private);
    let flag = Overrides {
        private: true,
        ..with_file(&off)
    };
    assert!(load_ok(&flag, &env(&[])).config.private);
}
