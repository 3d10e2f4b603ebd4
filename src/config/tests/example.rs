//! Keeps `.config-example` and the code in step, and the names of things consistent.

use super::*;

const EXAMPLE: &str = include_str!("../../../.config-example");

#[test]
fn base_urls_end_in_a_slash_so_join_keeps_their_path() {
    let flags = Overrides {
        identity_url: Some("http://proxy.local:8080/truora".into()),
        ..demo()
    };
    let url = load_ok(&flags, &env(&[])).config.identity_base_url;
    assert_eq!(url.as_str(), "http://proxy.local:8080/truora/");
    let joined = url.join("v1/processes").expect("joins");
    assert_eq!(
        joined.as_str(),
        "http://proxy.local:8080/truora/v1/processes"
    );
}

#[test]
fn built_in_default_urls_are_valid() {
    for url in [DEFAULT_IDENTITY_BASE_URL, DEFAULT_VALIDATIONS_BASE_URL] {
        parse_url(url, Origin::Default, "default", url).expect("valid default");
    }
}

#[test]
fn image_protocol_names_agree_across_serde_clap_and_display() {
    use clap::ValueEnum;
    for protocol in ImageProtocol::value_variants() {
        let name = protocol.as_str();
        assert_eq!(ImageProtocol::from_str(name, false), Ok(*protocol));
        assert_eq!(protocol.to_string(), name);
        let (_dir, path) = config_file(&format!("image_protocol = \"{name}\"\n"));
        assert_eq!(
            load_ok(&with_file(&path), &env(&[])).config.image_protocol,
            *protocol
        );
    }
}

#[test]
fn example_file_as_shipped_parses_to_the_defaults() {
    let (_dir, path) = config_file(EXAMPLE);
    let loaded = load_ok(&with_file(&path), &env(&[]));
    assert_defaults(&loaded.config);
    assert!(loaded.warnings.is_empty());
}

/// Turns `# key = value` and `# [keys]` lines into live TOML; prose lines are left alone.
fn uncomment(example: &str) -> String {
    let is_setting = |line: &str| {
        line == "[keys]"
            || line.split_once(" = ").is_some_and(|(key, _)| {
                !key.is_empty() && key.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
    };
    example
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(setting) if is_setting(setting) => setting,
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn example_file_uncommented_parses_and_documents_every_key() {
    let live = uncomment(EXAMPLE);
    let (_dir, path) = config_file(&live);
    let config = load_ok(
        &Overrides {
            demo: false,
            ..with_file(&path)
        },
        &env(&[]),
    )
    .config;
    assert!(config.api_key.is_some() && config.api_key_command.is_some());
    assert!(!config.keys.is_empty());
    let table: toml::Table = live.parse().expect("valid TOML");
    for (key, _) in file::FILE_KEYS {
        assert!(
            table.contains_key(*key),
            "{key} is not shown in .config-example"
        );
    }
}
