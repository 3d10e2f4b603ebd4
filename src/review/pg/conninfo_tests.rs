use std::collections::HashMap;
use std::os::unix::fs::PermissionsExt;

use super::*;

struct Vars(HashMap<&'static str, String>);

impl Vars {
    fn var(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }
}

fn vars(pairs: &[(&'static str, &str)]) -> Vars {
    Vars(pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
}

fn resolved(value: &str, env: &[(&'static str, &str)]) -> ConnInfo {
    resolve(value, &|n| vars(env).var(n)).expect("resolves").0
}

#[test]
fn urls_give_user_password_hosts_ports_database_and_parameters() {
    let c = resolved(
        "postgres://alice:p%40ss%2Fw@db.example.com:6432/reviews?sslmode=verify-full&connect_timeout=7",
        &[],
    );
    assert_eq!(c.user, "alice");
    assert_eq!(c.password, Some(Secret::new("p@ss/w")));
    assert_eq!(c.hosts, ["db.example.com"]);
    assert_eq!(c.ports, [6432]);
    assert_eq!(c.dbname, "reviews");
    assert_eq!(c.sslmode, SslMode::VerifyFull);
    assert_eq!(c.connect_timeout, Some(std::time::Duration::from_secs(7)));

    let c = resolved("postgresql://bob@[::1]:5433,10.0.0.2:5434/r", &[]);
    assert_eq!(c.hosts, ["::1", "10.0.0.2"]);
    assert_eq!(c.ports, [5433, 5434]);
    assert_eq!(c.password, None);
    assert_eq!(c.describe(), "bob@[::1]:5433,10.0.0.2:5434/r");

    // A host without a port of its own gets the default one, not its neighbour's.
    let c = resolved("postgresql://bob@a:6000,b/r", &[]);
    assert_eq!(c.ports, [6000, 5432]);

    let c = resolved("postgresql://%2Ftmp%2Fsock/r", &[("PGUSER", "carol")]);
    assert_eq!(c.hosts, ["/tmp/sock"]);
    assert!(c.is_socket());
}

#[test]
fn key_value_strings_are_read_with_quotes_and_escapes() {
    let c = resolved(
        "host=db port = 5433 user=alice password='it\\'s a secret' dbname=reviews sslmode=require",
        &[],
    );
    assert_eq!(c.hosts, ["db"]);
    assert_eq!(c.ports, [5433]);
    assert_eq!(c.sslmode, SslMode::Require);
    assert_eq!(c.dbname, "reviews");
    assert_eq!(c.password, Some(Secret::new("it's a secret")));
    let err =
        resolve("host=db bogus=1", &|n| vars(&[("PGUSER", "u")]).var(n)).expect_err("unknown");
    assert!(
        err.to_string().contains("unknown option \"bogus\""),
        "{err}"
    );
    let err = resolve("host=db user", &|n| vars(&[]).var(n)).expect_err("no =");
    assert!(err.to_string().contains("without '='"), "{err}");
}

#[test]
fn pg_variables_fill_what_the_string_leaves_out_and_never_override_it() {
    let env = [
        ("PGHOST", "envhost"),
        ("PGPORT", "7000"),
        ("PGUSER", "envuser"),
        ("PGDATABASE", "envdb"),
        ("PGPASSWORD", "envpw"),
        ("PGSSLMODE", "verify-ca"),
    ];
    let c = resolved("postgres://", &env);
    assert_eq!(
        (
            c.hosts[0].as_str(),
            c.ports[0],
            c.user.as_str(),
            c.dbname.as_str()
        ),
        ("envhost", 7000, "envuser", "envdb")
    );
    assert_eq!(c.password, Some(Secret::new("envpw")));
    assert_eq!(c.sslmode, SslMode::VerifyCa);
    let c = resolved("postgres://alice:urlpw@h:1/d?sslmode=disable", &env);
    assert_eq!((c.user.as_str(), c.dbname.as_str()), ("alice", "d"));
    assert_eq!(c.password, Some(Secret::new("urlpw")));
    assert_eq!(c.sslmode, SslMode::Disable);
}

#[test]
fn defaults_are_libpqs_socket_port_os_user_and_prefer() {
    let c = resolved("postgres://", &[("USER", "dave")]);
    assert_eq!(c.hosts, [DEFAULT_SOCKET_DIR]);
    assert_eq!(c.ports, [5432]);
    assert_eq!((c.user.as_str(), c.dbname.as_str()), ("dave", "dave"));
    assert_eq!(c.sslmode, SslMode::Prefer);
    let err = resolve("postgres://h", &|n| vars(&[]).var(n)).expect_err("no user");
    assert!(err.to_string().contains("PGUSER"), "{err}");
}

#[test]
fn the_password_file_is_read_when_nothing_else_gives_a_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(".pgpass");
    std::fs::write(
        &file,
        "db:5432:reviews:alice:from-file\nlocalhost:*:*:*:sock\n",
    )
    .expect("w");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    let home = dir.path().to_str().expect("utf-8");
    let c = resolved("postgres://alice@db/reviews", &[("HOME", home)]);
    assert_eq!(c.password, Some(Secret::new("from-file")));
    // The default socket folder is matched as `localhost`, as libpq does.
    let c = resolved("dbname=x", &[("HOME", home), ("PGUSER", "u")]);
    assert_eq!(c.password, Some(Secret::new("sock")));
    // PGPASSWORD wins over the file; PGPASSFILE names another file.
    let c = resolved(
        "postgres://alice@db/reviews",
        &[("HOME", home), ("PGPASSWORD", "env")],
    );
    assert_eq!(c.password, Some(Secret::new("env")));
    let other = dir.path().join("other");
    std::fs::write(&other, "*:*:*:*:other\n").expect("w");
    std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let (c, warnings) = resolve("postgres://alice@db/reviews", &|n| {
        vars(&[
            ("HOME", home),
            ("PGPASSFILE", other.to_str().expect("utf-8")),
        ])
        .var(n)
    })
    .expect("resolves");
    assert_eq!(c.password, None, "a file others may read is ignored");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn bad_values_are_named_and_the_password_is_never_in_an_error() {
    for (value, says) in [
        ("postgres://u:hunter2@h:99999/d", "port \"99999\""),
        (
            "postgres://u:hunter2@h/d?sslmode=maybe",
            "sslmode \"maybe\"",
        ),
        (
            "postgres://u:hunter2@h/d?connect_timeout=soon",
            "connect_timeout",
        ),
        (
            "host=a,b,c port=1,2 user=u password=hunter2",
            "3 hosts but 2 ports",
        ),
    ] {
        let err = resolve(value, &|n| vars(&[]).var(n))
            .expect_err(value)
            .to_string();
        assert!(err.contains(says), "{value}: {err}");
        assert!(!err.contains("hunter2"), "{err}");
    }
    let c = resolved("postgres://u:hunter2@h/d", &[]);
    assert!(!format!("{c:?}").contains("hunter2"));
    assert!(!c.describe().contains("hunter2"));
}

#[test]
fn masking_hides_every_password_form() {
    let cases = [
        (
            "postgres://alice:s3cret@host/db",
            "postgres://alice:***@host/db",
        ),
        (
            "postgresql://alice:s3cret@h:5432/db?sslmode=require",
            "postgresql://alice:***@h:5432/db?sslmode=require",
        ),
        ("postgres://alice@host/db", "postgres://alice@host/db"),
        ("postgres://host/db", "postgres://host/db"),
        (
            "postgres://alice:pa/ss?w@rd@host/db",
            "postgres://alice:***@host/db",
        ),
        (
            "postgres://host/db?user=a&password=s3cret&sslmode=require",
            "postgres://host/db?user=a&password=***&sslmode=require",
        ),
        (
            "host=h password=s3cret user=a",
            "host=h password=*** user=a",
        ),
        (
            "host=h password = 's3 cret \\' more' user=a",
            "host=h password = *** user=a",
        ),
        ("/home/alice/reviews.sqlite3", "/home/alice/reviews.sqlite3"),
    ];
    for (raw, shown) in cases {
        assert_eq!(mask(raw), shown, "{raw}");
        assert!(!mask(raw).contains("s3"), "{raw}");
    }
}

#[test]
fn postgres_values_are_told_from_paths() {
    for v in [
        "postgres://h/d",
        "postgresql://",
        "host=h dbname=d",
        "dbname=reviews",
    ] {
        assert!(is_postgres(v), "{v}");
    }
    for v in [
        "reviews.sqlite3",
        "/srv/postgres/reviews.sqlite3",
        "./host=x",
        "postgres:/x",
    ] {
        assert!(!is_postgres(v), "{v}");
    }
}
