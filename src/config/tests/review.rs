//! Who is deciding and where the decisions go.

use super::*;

fn live() -> Overrides {
    Overrides::default()
}

fn keyed(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    let mut e = env(pairs);
    e.insert(ENV_API_KEY.into(), "k".into());
    e
}

#[test]
fn the_store_defaults_to_the_data_dir_and_the_demo_keeps_its_own_file() {
    let c = load_ok(&live(), &keyed(&[])).config;
    assert_eq!(
        c.review_db,
        PathBuf::from("/platform/data/truora-tui/reviews.sqlite3")
    );
    let demo_data = Overrides {
        demo_data: true,
        ..demo()
    };
    let d = load_ok(&demo_data, &env(&[])).config;
    assert_eq!(
        d.review_db,
        PathBuf::from("/platform/data/truora-tui/demo-reviews.sqlite3")
    );
    assert!(d.demo_review_store, "the demo's own file is the one seeded");
    assert!(!c.demo_review_store);
    // An archive needs no key (`demo`) but its processes are real: the real store.
    let a = load_ok(&demo(), &env(&[])).config;
    assert_eq!(
        a.review_db,
        PathBuf::from("/platform/data/truora-tui/reviews.sqlite3")
    );
    assert!(!a.demo_review_store);
}

#[test]
fn flag_beats_env_beats_file_and_the_demo_never_shares_a_chosen_file() {
    let (_dir, path) = config_file("review_db = \"~/file.sqlite3\"\nreviewer = \"from-file\"\n");
    let file_only = Overrides {
        config_path: Some(path.clone()),
        ..live()
    };
    let c = load_ok(&file_only, &keyed(&[])).config;
    assert_eq!(c.review_db, PathBuf::from("/home/tester/file.sqlite3"));
    assert_eq!(c.reviewer, "from-file");
    let c = load_ok(&file_only, &keyed(&[(ENV_REVIEW_DB, "/env/r.sqlite3")])).config;
    assert_eq!(c.review_db, PathBuf::from("/env/r.sqlite3"));
    let flagged = Overrides {
        review_db: Some("/flag/r.sqlite3".into()),
        ..file_only.clone()
    };
    let c = load_ok(&flagged, &keyed(&[(ENV_REVIEW_DB, "/env/r.sqlite3")])).config;
    assert_eq!(c.review_db, PathBuf::from("/flag/r.sqlite3"));
    let demo_env = Overrides {
        demo: true,
        demo_data: true,
        ..file_only
    };
    let d = load_ok(&demo_env, &env(&[(ENV_REVIEW_DB, "/env/r.sqlite3")])).config;
    assert_eq!(d.review_db, PathBuf::from("/env/demo-r.sqlite3"));
    assert!(d.demo_review_store);
    // A file named for one run is taken as it is, and never seeded.
    let demo_flag = Overrides {
        review_db: Some("/flag/r.sqlite3".into()),
        ..demo_env
    };
    let d = load_ok(&demo_flag, &env(&[])).config;
    assert_eq!(d.review_db, PathBuf::from("/flag/r.sqlite3"));
    assert!(!d.demo_review_store);
}

#[test]
fn the_reviewer_defaults_to_the_login_name() {
    let c = load_ok(&demo(), &env(&[("USER", "ana"), ("LOGNAME", "other")])).config;
    assert_eq!(c.reviewer, "ana");
    let c = load_ok(&demo(), &env(&[("LOGNAME", "bea")])).config;
    assert_eq!(c.reviewer, "bea");
    let c = load_ok(
        &demo(),
        &env(&[("USER", "ana"), (ENV_REVIEWER, "Ana Ruiz")]),
    )
    .config;
    assert_eq!(c.reviewer, "Ana Ruiz");
    assert_eq!(load_ok(&demo(), &env(&[])).config.reviewer, "reviewer");
}

#[test]
fn a_postgres_store_is_refused_by_name_until_the_browser_can_use_it_and_a_later_path_wins() {
    // Taken as a path, `postgres://h/db` would be `./postgres:/h/db`: a folder made in the
    // current one. It is refused instead, with the password masked.
    let flagged = Overrides {
        review_db: Some("postgres://alice:s3cret@h/db".into()),
        ..live()
    };
    let err = load_err(&flagged, &keyed(&[])).to_string();
    assert!(err.contains("postgres://alice:***@h/db"), "{err}");
    assert!(err.contains("reviews setup"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
    let err = load_err(&live(), &keyed(&[(ENV_REVIEW_DB, "host=h dbname=d")])).to_string();
    assert!(err.contains("PostgreSQL team store"), "{err}");
    // A file given by the flag wins over a URL in the environment: no error.
    let file_flag = Overrides {
        review_db: Some("/flag/r.sqlite3".into()),
        ..live()
    };
    let c = load_ok(&file_flag, &keyed(&[(ENV_REVIEW_DB, "postgres://h/db")])).config;
    assert_eq!(c.review_db, PathBuf::from("/flag/r.sqlite3"));
}
