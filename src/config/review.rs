//! The review desk's settings: who is deciding, and which store file holds the decisions.
//!
//! The store is `<data dir>/reviews.sqlite3` unless `--review-db` (flag) > `TRUORA_TUI_REVIEW_DB`
//! (environment) > `review_db` (file) names another. The demo's decisions must never mix with
//! real ones, so for the demo's data the file is `demo-` + that name in the same folder; only the flag,
//! which names one file for one run, is taken as is. A relative path is the current folder's
//! (flag, environment) or the config file's folder's (file): see `places.rs`.

use std::path::{Path, PathBuf};

use super::places::Places;
use super::platform::Platform;
use super::values::{env_var, non_empty};
use super::{ConfigError, ENV_REVIEW_DB, ENV_REVIEWER, Env, Overrides};

pub const STORE_FILE: &str = "reviews.sqlite3";

/// `(reviewer, review_db, whether review_db is the demo's own file)`; `file` is the config
/// file's `(reviewer, review_db)`.
pub(super) fn settings(
    overrides: &Overrides,
    env: &dyn Env,
    file: (Option<&str>, Option<&str>),
    (platform, places): (&Platform, &Places),
    warnings: &mut Vec<String>,
) -> Result<(String, PathBuf, bool), ConfigError> {
    let reviewer = env_var(env, ENV_REVIEWER)
        .map(|s| s.trim().to_string())
        .or_else(|| non_empty(file.0))
        .or_else(|| env_var(env, "USER"))
        .or_else(|| env_var(env, "LOGNAME"))
        .unwrap_or_else(|| "reviewer".to_string());
    // A PostgreSQL team store is set up (`reviews setup`) but not yet browsed: refused here, so
    // no command takes a URL for a path and creates a folder named `postgres:`.
    let chosen = [
        overrides
            .review_db
            .as_deref()
            .map(|p| p.to_string_lossy().into_owned()),
        env_var(env, ENV_REVIEW_DB),
        non_empty(file.1),
    ]
    .into_iter()
    .flatten()
    .find(|v| !v.is_empty());
    if let Some(value) = chosen.filter(|v| crate::dburl::is_postgres(v)) {
        return Err(ConfigError::TeamStoreNotYet {
            shown: crate::dburl::mask(&value),
        });
    }
    if let Some(flag) = overrides
        .review_db
        .as_deref()
        .filter(|p| !p.as_os_str().is_empty())
    {
        return Ok((reviewer, places.given(flag), false));
    }
    let chosen = places.chosen(None, env_var(env, ENV_REVIEW_DB), non_empty(file.1));
    let path = chosen.unwrap_or_else(|| match &platform.data_dir {
        Some(dir) => dir.join(STORE_FILE),
        None => {
            let dir = std::env::temp_dir().join("truora-tui");
            warnings.push(format!(
                "there is no home folder, so review decisions would be kept in {}, where other \
                 users of this machine may see them; set review_db in the config file or \
                 {ENV_REVIEW_DB} to a private file",
                dir.display()
            ));
            dir.join(STORE_FILE)
        }
    });
    let path = if overrides.demo_data {
        demo_twin(&path)
    } else {
        path
    };
    Ok((reviewer, path, overrides.demo_data))
}

/// `…/demo-reviews.sqlite3` beside `…/reviews.sqlite3`.
fn demo_twin(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| STORE_FILE.into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!("demo-{name}"))
}
