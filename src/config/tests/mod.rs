//! Tests of [`load_with`]: precedence, file selection, validation, warnings and the key rules.
//! The platform (default config path, Downloads folder, home) is faked so the real user's config
//! is never read, and the environment is a `HashMap` so no test mutates the process environment.

use std::collections::HashMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use tempfile::TempDir;

use super::merge::{load_with, parse_url};
use super::places::expand_tilde;
use super::platform::Platform;
use super::*;

mod errors;
mod example;
mod images;
mod precedence;
mod relative;
mod review;
mod time_zone;

fn platform() -> Platform {
    Platform {
        config_path: None,
        download_dir: Some(PathBuf::from("/platform/Downloads/truora-tui")),
        home: Some(PathBuf::from("/home/tester")),
        current_dir: Some(PathBuf::from("/work/here")),
        data_dir: Some(PathBuf::from("/platform/data/truora-tui")),
        time_zone: crate::date::zone::DisplayZone::named(SYSTEM_ZONE, NOW),
        now: NOW,
    }
}

/// The faked machine's zone, and its clock (2026-01-01T00:00:00Z).
const SYSTEM_ZONE: &str = "America/Bogota";
const NOW: i64 = 1_767_225_600;

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Demo mode, so tests that are not about the key need not provide one.
fn demo() -> Overrides {
    Overrides {
        demo: true,
        ..Overrides::default()
    }
}

fn with_file(path: &Path) -> Overrides {
    Overrides {
        config_path: Some(path.to_path_buf()),
        ..demo()
    }
}

/// A private (0600) config file in a fresh temporary folder.
fn config_file(text: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config.toml");
    fs::write(&path, text).expect("write config");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).expect("chmod");
    (dir, path)
}

fn load_ok(overrides: &Overrides, env: &HashMap<String, String>) -> Loaded {
    load_with(overrides, env, &platform()).unwrap_or_else(|err| panic!("expected Ok, got: {err}"))
}

fn load_err(overrides: &Overrides, env: &HashMap<String, String>) -> ConfigError {
    match load_with(overrides, env, &platform()) {
        Ok(loaded) => panic!("expected an error, got {loaded:?}"),
        Err(err) => err,
    }
}

fn assert_defaults(config: &Config) {
    assert_eq!(config.api_key, None);
    assert_eq!(config.api_key_command, None);
    assert_eq!(
        config.identity_base_url.as_str(),
        "https://api.identity.truora.com/"
    );
    assert_eq!(
        config.validations_base_url.as_str(),
        "https://api.validations.truora.com/"
    );
    assert_eq!(
        config.download_dir,
        PathBuf::from("/platform/Downloads/truora-tui")
    );
    assert_eq!(config.image_protocol, ImageProtocol::Auto);
    assert_eq!(config.concurrency, 8);
    assert_eq!(config.request_timeout, Duration::from_secs(30));
    assert!(config.keys.is_empty());
    assert_eq!(config.image_colors, ImageColors::Auto);
    assert_eq!(config.image_max_cells, None);
    assert_eq!(config.image_rest, Duration::from_millis(120));
    assert!(!config.watch_bell);
}
