//! TLS to a real PostgreSQL with a certificate for `localhost` only, signed by a CA made for the
//! test: each `sslmode` encrypts and checks what libpq's does (the server's own view,
//! `pg_stat_ssl`, says whether the connection is encrypted).

use std::path::Path;

use truora_tui::review::pg::{self, PgError};

use crate::pg_support::Cluster;

/// No `PG*` variables, no password file: the URL says everything.
fn no_vars(_: &str) -> Option<String> {
    None
}

/// Connects as the superuser to `host` with `sslmode` (and `root`), and says whether the server
/// sees the connection encrypted.
fn encrypted(
    cluster: &Cluster,
    host: &str,
    sslmode: &str,
    root: Option<&Path>,
) -> Result<bool, PgError> {
    let mut url = format!(
        "postgres://truora_admin:{}@{host}:{}/postgres?sslmode={sslmode}",
        cluster.admin_password(),
        cluster.port
    );
    if let Some(root) = root {
        url.push_str(&format!("&sslrootcert={}", root.display()));
    }
    let (info, _) = pg::conninfo::resolve(&url, &no_vars).expect("url");
    let mut client = pg::connect(&info)?;
    let row = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .expect("pg_stat_ssl");
    Ok(row.get(0))
}

#[test]
fn each_sslmode_encrypts_and_checks_what_it_says() {
    let Some(cluster) = Cluster::start_tls() else {
        return;
    };
    let ca = cluster.tls_file("ca.crt");
    let other = cluster.tls_file("other-ca.crt");
    let ok = |host, mode, root| {
        encrypted(&cluster, host, mode, root).unwrap_or_else(|e| panic!("{mode} {host}: {e}"))
    };
    assert!(!ok("127.0.0.1", "disable", None), "disable: plain");
    assert!(
        ok("127.0.0.1", "prefer", None),
        "prefer: encrypted when offered"
    );
    assert!(
        ok("127.0.0.1", "require", None),
        "require: encrypted, not checked"
    );
    assert!(
        ok("localhost", "verify-full", Some(&ca)),
        "verify-full, right CA and name"
    );
    assert!(
        ok("127.0.0.1", "verify-ca", Some(&ca)),
        "verify-ca ignores the name"
    );

    for (host, mode, root, why) in [
        (
            "127.0.0.1",
            "verify-full",
            &ca,
            "the certificate names localhost only",
        ),
        ("localhost", "verify-full", &other, "another CA"),
        ("localhost", "verify-ca", &other, "another CA"),
        (
            "127.0.0.1",
            "require",
            &other,
            "require with a root checks the chain",
        ),
    ] {
        let err = encrypted(&cluster, host, mode, Some(root))
            .expect_err(&format!("{mode} {host} ({why}) was accepted"));
        let said = err.to_string();
        assert!(matches!(err, PgError::Connect { .. }), "{said}");
        assert!(said.contains("certificate"), "{mode} {host}: {said}");
        assert!(!said.contains(cluster.admin_password()), "{said}");
    }
}
