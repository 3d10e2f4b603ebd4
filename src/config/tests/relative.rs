//! A bare relative path means the current folder for a flag or an environment variable, and the
//! config file's folder for the file; every merged path is absolute. Before, `--review-db
//! rel.sqlite3` stayed `rel.sqlite3`: the store opened, then the first decision failed ("is not
//! a plain path inside …") since the file had no folder to be checked against.

use super::*;

/// The faked current folder (`platform()`).
const HERE: &str = "/work/here";

fn paths(config: &Config) -> [PathBuf; 3] {
    [
        config.review_db.clone(),
        config.download_dir.clone(),
        config.audit_log.clone().expect("an audit log folder"),
    ]
}

#[test]
fn relative_flags_are_the_current_folders() {
    for (review_db, download_dir, audit_log) in [
        ("rel.sqlite3", "saved", "audit"),
        ("./rel.sqlite3", "./saved", "./audit"),
        ("././rel.sqlite3", "saved/", "audit/."),
    ] {
        let flags = Overrides {
            review_db: Some(review_db.into()),
            download_dir: Some(download_dir.into()),
            audit_log: Some(audit_log.into()),
            ..demo()
        };
        assert_eq!(
            paths(&load_ok(&flags, &env(&[])).config),
            [
                PathBuf::from(HERE).join("rel.sqlite3"),
                PathBuf::from(HERE).join("saved"),
                PathBuf::from(HERE).join("audit"),
            ],
            "{review_db} {download_dir} {audit_log}"
        );
    }
    // `..` is kept (resolving it would mean following links); absolute paths and `~` as before.
    let flags = Overrides {
        review_db: Some("../r.sqlite3".into()),
        download_dir: Some("/abs/saved".into()),
        audit_log: Some("~/audit".into()),
        ..demo()
    };
    assert_eq!(
        paths(&load_ok(&flags, &env(&[])).config),
        [
            PathBuf::from("/work/here/../r.sqlite3"),
            PathBuf::from("/abs/saved"),
            PathBuf::from("/home/tester/audit"),
        ]
    );
}

#[test]
fn relative_environment_values_are_the_current_folders() {
    let vars = env(&[
        (ENV_REVIEW_DB, "rel.sqlite3"),
        (ENV_DOWNLOAD_DIR, "saved"),
        (ENV_AUDIT_LOG, "audit"),
    ]);
    let config = load_ok(&demo(), &vars).config;
    assert_eq!(
        paths(&config),
        [
            PathBuf::from(HERE).join("rel.sqlite3"),
            PathBuf::from(HERE).join("saved"),
            PathBuf::from(HERE).join("audit"),
        ]
    );
    // The demo's twin of a store named by the environment sits beside it.
    let demo_data = Overrides {
        demo_data: true,
        ..demo()
    };
    let config = load_ok(&demo_data, &vars).config;
    assert_eq!(
        config.review_db,
        PathBuf::from(HERE).join("demo-rel.sqlite3")
    );
}

#[test]
fn relative_paths_in_the_file_are_the_files_folders() {
    let (dir, path) = config_file(
        "review_db = \"stores/r.sqlite3\"\ndownload_dir = \"./saved\"\naudit_log = \"audit\"\n",
    );
    let config = load_ok(&with_file(&path), &env(&[])).config;
    assert_eq!(
        paths(&config),
        [
            dir.path().join("stores/r.sqlite3"),
            dir.path().join("saved"),
            dir.path().join("audit"),
        ]
    );
    // A config file named relatively is read from the current folder, and the paths in it are
    // then its own folder's: here the file cannot be found, and the error names the full path.
    let relative = Overrides {
        config_path: Some("conf/truora.toml".into()),
        ..demo()
    };
    let err = load_err(&relative, &env(&[]));
    assert!(
        err.to_string().contains("/work/here/conf/truora.toml"),
        "{err}"
    );
}
