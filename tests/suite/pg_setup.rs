//! `reviews setup` against a real PostgreSQL (a throwaway cluster, `pg_support`): it creates the
//! schema and roles, a second run changes nothing, and the server — not the client — holds
//! reviewers to what they may do: record as themselves, never rewrite or delete; auditors read.

use std::path::Path;
use std::process::Command;

use truora_tui::review::pg::setup::{self, Access};
use truora_tui::review::pg::{self, PgError};

use crate::pg_support::Cluster;

const DB: &str = "team";

/// No `PG*` variables, no password file: the URL says everything.
fn no_vars(_: &str) -> Option<String> {
    None
}

fn client(url: &str) -> postgres::Client {
    let (info, _) = pg::conninfo::resolve(url, &no_vars).expect("url");
    pg::connect(&info).unwrap_or_else(|e| panic!("{e}"))
}

/// A cluster with the database `team` set up by the superuser, and logins `alice` and `bob`
/// (reviewers), `carol` (auditor), `dave` (neither).
fn team() -> Option<Cluster> {
    let cluster = Cluster::start()?;
    cluster.create_db(DB);
    let report = setup::setup(&mut cluster.admin(DB), "test").expect("setup");
    assert!(!report.changes.is_empty());
    cluster.create_login("alice", "alice-pw", &["truora_reviewer"]);
    cluster.create_login("bob", "bob-pw", &["truora_reviewer"]);
    cluster.create_login("carol", "carol-pw", &["truora_auditor"]);
    cluster.create_login("dave", "dave-pw", &[]);
    Some(cluster)
}

fn as_user(cluster: &Cluster, user: &str) -> postgres::Client {
    client(&cluster.url(user, &format!("{user}-pw"), DB))
}

/// Everything setup makes or grants, as sorted text: two equal snapshots mean nothing changed.
fn snapshot(admin: &mut postgres::Client) -> String {
    let row = admin
        .query_one(
            r"SELECT coalesce(string_agg(x, E'\n' ORDER BY x), '') FROM (
                SELECT 'role ' || rolname || ' login=' || rolcanlogin FROM pg_roles
                    WHERE rolname IN ('truora_reviewer', 'truora_auditor')
                UNION ALL SELECT 'schema ' || nspname || ' ' || coalesce(nspacl::text, '')
                    FROM pg_namespace WHERE nspname = 'truora_review'
                UNION ALL SELECT 'table ' || tablename FROM pg_tables
                    WHERE schemaname = 'truora_review'
                UNION ALL SELECT 'grant ' || grantee || ' ' || privilege_type || ' ' || table_name
                    FROM information_schema.role_table_grants WHERE table_schema = 'truora_review'
                UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger t
                    JOIN pg_class c ON c.oid = t.tgrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'truora_review' AND NOT t.tgisinternal
                UNION ALL SELECT 'policy ' || policyname FROM pg_policies
                    WHERE schemaname = 'truora_review'
                UNION ALL SELECT 'version ' || version FROM truora_review.migrations
            ) s(x)",
            &[],
        )
        .expect("snapshot");
    row.get(0)
}

fn insert_event(c: &mut postgres::Client, id: &str, reviewer: Option<&str>) -> Result<u64, String> {
    let result = match reviewer {
        None => c.execute(
            "INSERT INTO truora_review.events (id, process_id, kind, verdict, at_ms)
             VALUES ($1, 'IDV1', 'verdict', 'fail', 1)",
            &[&id],
        ),
        Some(r) => c.execute(
            "INSERT INTO truora_review.events (id, process_id, kind, verdict, at_ms, reviewer)
             VALUES ($1, 'IDV1', 'verdict', 'fail', 1, $2)",
            &[&id, &r],
        ),
    };
    result.map_err(|e| pg::server_words(&e))
}

#[test]
fn setup_creates_everything_and_a_second_run_changes_nothing() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.create_db(DB);
    let mut admin = cluster.admin(DB);
    let first = setup::setup(&mut admin, "test").expect("setup");
    let said = first.to_string();
    for line in [
        "created group role truora_reviewer",
        "created group role truora_auditor",
        "created schema truora_review",
        "applied schema migration 1",
        "granted truora_reviewer INSERT on truora_review.events",
        "granted truora_auditor SELECT on truora_review.events",
        "GRANT truora_reviewer TO name",
    ] {
        assert!(said.contains(line), "{line:?} missing from:\n{said}");
    }
    assert!(!said.contains("UPDATE on truora_review.events"), "{said}");
    let before = snapshot(&mut admin);
    for table in [
        "events",
        "leases",
        "audit_logs",
        "audit_heads",
        "migrations",
    ] {
        assert!(before.contains(&format!("table {table}\n")), "{before}");
    }

    // Again through the real command, the password from PGPASSWORD (never on the command line).
    let url = format!(
        "postgres://truora_admin@127.0.0.1:{}/{DB}?sslmode=disable",
        cluster.port
    );
    let out = Command::new(env!("CARGO_BIN_EXE_truora-tui"))
        .args(["reviews", "setup", "--review-db", &url])
        .env("PGPASSWORD", cluster.admin_password())
        .env_remove("TRUORA_TUI_REVIEW_DB")
        .output()
        .expect("run truora-tui");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.trim(),
        "the team store is set up (schema truora_review version 1): nothing to do"
    );
    assert_eq!(
        snapshot(&mut admin),
        before,
        "the second run changed something"
    );
}

#[test]
fn a_privilege_granted_by_hand_beyond_the_roles_is_taken_back() {
    let Some(cluster) = team() else {
        return;
    };
    let mut admin = cluster.admin(DB);
    let before = snapshot(&mut admin);
    admin
        .batch_execute("GRANT UPDATE, DELETE ON truora_review.events TO truora_reviewer")
        .expect("grant");
    let report = setup::setup(&mut admin, "test").expect("setup");
    assert_eq!(
        report.changes,
        [
            "took back UPDATE on truora_review.events from truora_reviewer",
            "took back DELETE on truora_review.events from truora_reviewer",
        ]
    );
    assert_eq!(snapshot(&mut admin), before);
}

#[test]
fn the_server_records_the_connected_role_as_the_reviewer_and_refuses_a_colleagues_name() {
    let Some(cluster) = team() else {
        return;
    };
    let mut alice = as_user(&cluster, "alice");
    assert_eq!(
        setup::access(&mut alice, "test").expect("access"),
        Access::Reviewer
    );
    insert_event(&mut alice, "01A", None).expect("alice records");
    insert_event(&mut alice, "01B", Some("alice")).expect("naming herself is fine");
    let refused = insert_event(&mut alice, "01C", Some("bob")).expect_err("as bob");
    assert!(
        refused.contains("role alice may not record an event as bob"),
        "{refused}"
    );
    let reviewers: Vec<(String, String)> = alice
        .query(
            "SELECT id, reviewer FROM truora_review.events ORDER BY id",
            &[],
        )
        .expect("select")
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(
        reviewers,
        [
            ("01A".into(), "alice".into()),
            ("01B".into(), "alice".into())
        ]
    );
}

#[test]
fn reviewers_may_not_rewrite_or_delete_events_and_nobody_may() {
    let Some(cluster) = team() else {
        return;
    };
    let mut alice = as_user(&cluster, "alice");
    insert_event(&mut alice, "01A", None).expect("alice records");
    for statement in [
        "UPDATE truora_review.events SET verdict = 'pass'",
        "DELETE FROM truora_review.events",
        "TRUNCATE truora_review.events",
    ] {
        let err = alice.batch_execute(statement).expect_err(statement);
        let words = pg::server_words(&err);
        assert!(words.contains("permission denied"), "{statement}: {words}");
    }
    // Not even the owner: events are append-only for everyone.
    let mut admin = cluster.admin(DB);
    for statement in [
        "UPDATE truora_review.events SET verdict = 'pass'",
        "DELETE FROM truora_review.events",
        "TRUNCATE truora_review.events",
    ] {
        let err = admin.batch_execute(statement).expect_err(statement);
        assert!(
            pg::server_words(&err).contains("append-only"),
            "{statement}"
        );
    }
    let verdict: String = admin
        .query_one("SELECT verdict FROM truora_review.events", &[])
        .expect("still there")
        .get(0);
    assert_eq!(verdict, "fail");
}

#[test]
fn leases_are_taken_renewed_and_released_only_by_their_holder() {
    let Some(cluster) = team() else {
        return;
    };
    let mut alice = as_user(&cluster, "alice");
    let mut bob = as_user(&cluster, "bob");
    alice
        .execute(
            "INSERT INTO truora_review.leases (process_id, session, expires_ms)
             VALUES ('IDV1', 's1', 10)",
            &[],
        )
        .expect("alice takes a lease");
    let err = bob
        .execute(
            "INSERT INTO truora_review.leases (process_id, reviewer, session, expires_ms)
             VALUES ('IDV2', 'alice', 's2', 10)",
            &[],
        )
        .expect_err("bob takes one in alice's name");
    assert!(
        pg::server_words(&err).contains("row-level security"),
        "{err}"
    );
    let changed = bob
        .execute("UPDATE truora_review.leases SET expires_ms = 99", &[])
        .expect("update runs");
    assert_eq!(changed, 0, "bob renewed alice's lease");
    let removed = bob
        .execute("DELETE FROM truora_review.leases", &[])
        .expect("delete runs");
    assert_eq!(removed, 0, "bob released alice's lease");
    let seen: i64 = bob
        .query_one("SELECT expires_ms FROM truora_review.leases", &[])
        .expect("bob sees alice's lease")
        .get(0);
    assert_eq!(seen, 10);
    assert_eq!(
        alice
            .execute("UPDATE truora_review.leases SET expires_ms = 20", &[])
            .expect("renew"),
        1
    );
    assert_eq!(
        alice
            .execute("DELETE FROM truora_review.leases", &[])
            .expect("release"),
        1
    );
}

#[test]
fn the_auditor_reads_and_cannot_record() {
    let Some(cluster) = team() else {
        return;
    };
    insert_event(&mut as_user(&cluster, "alice"), "01A", None).expect("alice records");
    let mut carol = as_user(&cluster, "carol");
    assert_eq!(
        setup::access(&mut carol, "test").expect("access"),
        Access::Auditor
    );
    let n: i64 = carol
        .query_one("SELECT count(*) FROM truora_review.events", &[])
        .expect("carol reads")
        .get(0);
    assert_eq!(n, 1);
    let refused = insert_event(&mut carol, "01B", None).expect_err("carol records");
    assert!(refused.contains("permission denied"), "{refused}");
    let err = carol
        .execute(
            "INSERT INTO truora_review.leases (process_id, session, expires_ms)
             VALUES ('IDV1', 's', 1)",
            &[],
        )
        .expect_err("carol takes a lease");
    assert!(pg::server_words(&err).contains("permission denied"));
}

#[test]
fn a_login_in_neither_role_is_told_what_to_ask_for() {
    let Some(cluster) = team() else {
        return;
    };
    let mut dave = as_user(&cluster, "dave");
    let err = setup::access(&mut dave, "dave@team").expect_err("dave has no role");
    assert!(matches!(err, PgError::NoRole { .. }), "{err:?}");
    let said = err.to_string();
    assert!(said.contains("GRANT truora_reviewer TO dave;"), "{said}");
    assert!(said.contains("GRANT truora_auditor TO dave;"), "{said}");
}

#[test]
fn a_store_from_a_newer_version_is_refused_untouched() {
    let Some(cluster) = team() else {
        return;
    };
    let mut admin = cluster.admin(DB);
    // A newer truora-tui's store, from which our auditor role has since been removed: a setup
    // that did anything before looking would create it again.
    admin
        .batch_execute(
            "INSERT INTO truora_review.migrations (version) VALUES (99);
             DROP OWNED BY truora_auditor; REVOKE truora_auditor FROM carol;
             DROP ROLE truora_auditor;",
        )
        .expect("make it newer");
    let before = snapshot(&mut admin);
    let err = setup::setup(&mut admin, "admin@team").expect_err("newer");
    assert!(
        matches!(
            err,
            PgError::Newer {
                found: 99,
                supported: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("left untouched: upgrade truora-tui"),
        "{err}"
    );
    assert_eq!(snapshot(&mut admin), before, "a newer store was changed");
    let err = setup::access(&mut as_user(&cluster, "alice"), "alice@team").expect_err("newer");
    assert!(matches!(err, PgError::Newer { .. }) || matches!(err, PgError::NotSetUp { .. }));
}

#[test]
fn a_database_not_set_up_says_who_must_set_it_up() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    cluster.create_db(DB);
    let err = setup::access(&mut cluster.admin(DB), "admin@team").expect_err("not set up");
    assert!(matches!(err, PgError::NotSetUp { .. }), "{err:?}");
    assert!(
        err.to_string().contains("reviews setup --review-db"),
        "{err}"
    );
}

#[test]
fn a_wrong_password_is_refused_and_the_error_does_not_show_it() {
    let Some(cluster) = Cluster::start() else {
        return;
    };
    let (info, _) = pg::conninfo::resolve(
        &cluster.url("truora_admin", "not-the-password", "postgres"),
        &no_vars,
    )
    .expect("url");
    let Err(err) = pg::connect(&info) else {
        panic!("a wrong password was accepted");
    };
    let said = err.to_string();
    assert!(said.contains("password authentication failed"), "{said}");
    assert!(!said.contains("not-the-password"), "{said}");
    assert!(said.contains("truora_admin@127.0.0.1:"), "{said}");
}

#[test]
fn setup_refuses_a_password_on_the_command_line_without_showing_it() {
    let out = Command::new(env!("CARGO_BIN_EXE_truora-tui"))
        .args([
            "reviews",
            "setup",
            "--review-db",
            "postgres://admin:hunter2@127.0.0.1:1/team",
        ])
        .env_remove("TRUORA_TUI_REVIEW_DB")
        .output()
        .expect("run truora-tui");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("postgres://admin:***@127.0.0.1:1/team"),
        "{stderr}"
    );
    assert!(stderr.contains("~/.pgpass"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn setup_says_what_it_is_for_when_given_a_file_or_nothing() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_truora-tui"))
            .args(args)
            .env_remove("TRUORA_TUI_REVIEW_DB")
            .output()
            .expect("run truora-tui");
        assert!(!out.status.success(), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("r.sqlite3");
    let said = run(&[
        "reviews",
        "setup",
        "--review-db",
        file.to_str().expect("utf-8"),
    ]);
    assert!(said.contains("an SQLite store needs no setup"), "{said}");
    assert!(!file.exists(), "setup made an SQLite file");
    let said = run(&["reviews", "setup"]);
    assert!(said.contains("--review-db postgres://"), "{said}");
    let said = run(&[
        "reviews",
        "setup",
        "--demo",
        "--review-db",
        "postgres://h/db",
    ]);
    assert!(said.contains("leave out --demo"), "{said}");
    // Every other command refuses a team store by name rather than taking it for a path.
    let said = run(&["reviews", "list", "--review-db", "postgres://alice@h/db"]);
    assert!(said.contains("is a PostgreSQL team store"), "{said}");
    assert!(!Path::new("postgres:").exists());
}
