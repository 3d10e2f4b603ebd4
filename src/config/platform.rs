//! What the machine contributes to the settings: its folders, its time zone, the time now.

use std::path::{Path, PathBuf};

use super::default_config_path;

/// What the platform contributes; a parameter so tests never read the real user's config file.
#[derive(Clone, Debug)]
pub(super) struct Platform {
    pub config_path: Option<PathBuf>,
    /// See [`default_download_dir`].
    pub download_dir: Option<PathBuf>,
    pub home: Option<PathBuf>,
    /// The current folder: relative paths given by flags and the environment start there.
    pub current_dir: Option<PathBuf>,
    /// The platform's data folder for truora-tui (the review store lives there).
    pub data_dir: Option<PathBuf>,
    /// The machine's time zone (`/etc/localtime`), for `time_zone = "local"` without `TZ`.
    pub time_zone: Option<crate::date::zone::DisplayZone>,
    /// Now, in Unix seconds: a zone's header label is worked out for the year ahead.
    pub now: i64,
}

impl Platform {
    pub(super) fn detect() -> Self {
        let base = directories::BaseDirs::new();
        let home = base.as_ref().map(|dirs| dirs.home_dir().to_path_buf());
        let downloads = directories::UserDirs::new()
            .and_then(|dirs| dirs.download_dir().map(Path::to_path_buf));
        let data = directories::ProjectDirs::from("com", "truora", "truora-tui")
            .map(|dirs| dirs.data_dir().to_path_buf());
        let now = crate::date::now();
        Platform {
            config_path: default_config_path(),
            download_dir: default_download_dir(downloads, home.as_deref(), data.clone()),
            home,
            current_dir: std::env::current_dir().ok(),
            data_dir: data,
            time_zone: super::time_zone::system_zone(now),
            now,
        }
    }
}

/// Where images go when nobody said: the Downloads folder, else (headless hosts reached over
/// SSH often have no XDG Downloads folder) `$HOME/truora-tui-downloads`, else the platform's data
/// folder. Never a path relative to the current folder, which would scatter identity photos
/// wherever the program happened to be started. `None` when there is no home at all.
pub(super) fn default_download_dir(
    downloads: Option<PathBuf>,
    home: Option<&Path>,
    data: Option<PathBuf>,
) -> Option<PathBuf> {
    downloads
        .map(|dir| dir.join("truora-tui"))
        .or_else(|| home.map(|home| home.join("truora-tui-downloads")))
        .or_else(|| data.map(|dir| dir.join("downloads")))
}
