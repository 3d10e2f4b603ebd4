//! A throwaway PostgreSQL cluster for tests: Debian's server binaries
//! (`/usr/lib/postgresql/<version>/bin`, the newest there; never whatever `initdb` is on `PATH`),
//! `initdb` into a temporary folder, a server listening on 127.0.0.1 on a free port with its unix
//! socket in that folder, and a superuser `truora_admin` with a password (scram-sha-256 for every
//! connection, so the tests log in the way a team's server is logged into).
//!
//! - **Not as root.** PostgreSQL refuses to run as root, and the tests (like CI) run as root: the
//!   folder is handed to `nobody` (uid/gid 65534, present on every Debian) and the server binaries
//!   run under `setpriv --reuid … --regid … --clear-groups`. As any other user they run as is.
//! - **One cluster per test.** A whole start (`initdb`, the server up, accepting) takes 1.5–2 s
//!   on this project's 2-core machine when quiet (Debian 15.18, `--no-sync`, `fsync=off`; a
//!   test with TLS, its certificates made and six connections, ran in 1.65 s): cheap enough for
//!   a dozen tests, and it keeps tests apart where sharing could not — roles (`truora_reviewer`,
//!   a test's `alice`) belong to the whole cluster, not to one database.
//! - **Gone when the test ends**, passed or panicked: dropping the [`Cluster`] stops the server
//!   (`pg_ctl stop -m immediate`) and removes the folder; and when the test binary is killed
//!   without dropping it, a guardian shell that was waiting on a pipe from it does the same.
//! - **Missing PostgreSQL**: [`Cluster::start`] returns `None` after `SKIPPED <test>: …` (and fails
//!   the test under `CI=true`: `.ci/run` installs `postgresql`), through `skip_support`.

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::skip_support::skip;

/// The cluster's superuser.
pub const ADMIN: &str = "truora_admin";
/// `nobody`/`nogroup` on Debian: who the server runs as when the tests run as root.
const UNPRIVILEGED: u32 = 65534;

pub struct Cluster {
    /// Stops the server and removes the folder when its standard input closes: on drop (first
    /// of the fields: they drop in this order), and also when the test binary is killed
    /// (`kill -9`, a CI timeout) and no drop runs.
    guardian: Guardian,
    dir: tempfile::TempDir,
    bin: PathBuf,
    pub port: u16,
    admin_password: String,
}

impl Cluster {
    /// A running cluster, or `None` (after reporting the skip) when PostgreSQL is not installed.
    pub fn start() -> Option<Cluster> {
        Cluster::start_with(false)
    }

    /// [`start`](Self::start) with TLS on: a certificate for `localhost` (only) signed by a CA
    /// made for the test ([`tls_file`](Self::tls_file) `ca.crt`), and another CA that signed
    /// nothing (`other-ca.crt`). Plain connections are still accepted.
    pub fn start_tls() -> Option<Cluster> {
        Cluster::start_with(true)
    }

    /// A file of the TLS set-up: `ca.crt`, `other-ca.crt`.
    pub fn tls_file(&self, name: &str) -> PathBuf {
        self.dir.path().join("tls").join(name)
    }

    fn start_with(tls: bool) -> Option<Cluster> {
        let Some(bin) = server_bin() else {
            skip(
                "PostgreSQL's server is not installed (no /usr/lib/postgresql/<version>/bin/initdb): \
                 apt-get install postgresql",
            );
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        let as_root = rustix::process::geteuid().is_root();
        if as_root {
            chown_tree(dir.path());
        }
        // First thing, so that even a test killed during `initdb` leaves nothing behind.
        let guardian = guardian(&bin, dir.path());
        let admin_password = format!("admin-{}", std::process::id());
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, &admin_password).expect("password file");
        if as_root {
            chown_tree(&pwfile);
        }
        let data = dir.path().join("data");
        let out = run(
            &bin,
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                ADMIN.as_ref(),
                "--pwfile".as_ref(),
                pwfile.as_os_str(),
                "-A".as_ref(),
                "scram-sha-256".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C.UTF-8".as_ref(),
                "--no-sync".as_ref(),
            ],
        );
        assert!(out.status.success(), "initdb failed: {}", text(&out));
        std::fs::remove_file(&pwfile).expect("password file removed");
        let tls_options = if tls {
            let folder = dir.path().join("tls");
            make_certificates(&folder);
            if as_root {
                for entry in std::fs::read_dir(&folder).expect("tls folder") {
                    chown_tree(&entry.expect("entry").path());
                }
                chown_tree(&folder);
            }
            format!(
                " -c ssl=on -c ssl_cert_file={0}/server.crt -c ssl_key_file={0}/server.key",
                folder.display()
            )
        } else {
            String::new()
        };
        // A free port may be taken between asking and listening: a few tries.
        for _ in 0..5 {
            let port = free_port();
            let options = format!(
                "-c listen_addresses=127.0.0.1 -p {port} -k {} -c fsync=off \
                 -c synchronous_commit=off -c full_page_writes=off{tls_options}",
                dir.path().display()
            );
            let out = run(
                &bin,
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "60".as_ref(),
                    "-l".as_ref(),
                    dir.path().join("server.log").as_os_str(),
                    "-o".as_ref(),
                    options.as_ref(),
                    "start".as_ref(),
                ],
            );
            if out.status.success() {
                return Some(Cluster {
                    guardian,
                    dir,
                    bin,
                    port,
                    admin_password,
                });
            }
        }
        let log = std::fs::read_to_string(dir.path().join("server.log")).unwrap_or_default();
        panic!("the PostgreSQL server did not start: {log}");
    }

    /// `postgres://user:password@127.0.0.1:port/db`.
    pub fn url(&self, user: &str, password: &str, db: &str) -> String {
        format!("postgres://{user}:{password}@127.0.0.1:{}/{db}", self.port)
    }

    /// The superuser's URL for `db`.
    pub fn admin_url(&self, db: &str) -> String {
        self.url(ADMIN, &self.admin_password, db)
    }

    pub fn admin_password(&self) -> &str {
        &self.admin_password
    }

    /// The folder holding the server's unix socket.
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    /// A plain connection as the superuser (no TLS: loopback), to arrange what a test needs.
    pub fn admin(&self, db: &str) -> postgres::Client {
        postgres::Client::connect(&self.admin_url(db), postgres::NoTls)
            .unwrap_or_else(|e| panic!("connect as {ADMIN}: {e}"))
    }

    /// A database of its own for a test.
    pub fn create_db(&self, name: &str) {
        self.admin("postgres")
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create database");
    }

    /// A login role `name` with `password`, member of `groups` (which must exist).
    pub fn create_login(&self, name: &str, password: &str, groups: &[&str]) {
        let mut admin = self.admin("postgres");
        admin
            .batch_execute(&format!("CREATE ROLE {name} LOGIN PASSWORD '{password}'"))
            .expect("create role");
        for group in groups {
            admin
                .batch_execute(&format!("GRANT {group} TO {name}"))
                .expect("grant");
        }
    }

    /// What the server wrote to its log (for a failing test's message).
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = run(
            &self.bin,
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-m".as_ref(),
                "immediate".as_ref(),
                "-w".as_ref(),
                "stop".as_ref(),
            ],
        );
        // The guardian (dropped next) finds the server stopped and removes the folder; `dir`
        // then finds nothing left to remove.
    }
}

/// The guardian's shell: dropping it closes the pipe and waits for the shell to finish.
struct Guardian(Child);

impl Drop for Guardian {
    fn drop(&mut self) {
        drop(self.0.stdin.take());
        let _ = self.0.wait();
    }
}

/// A shell waiting on a pipe from this process: when the pipe closes (the cluster dropped, or
/// this process gone without dropping it), it stops the server in `dir` and removes `dir`.
fn guardian(bin: &Path, dir: &Path) -> Guardian {
    let pg_ctl = bin.join("pg_ctl");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(r#"read line; "$@" >/dev/null 2>&1; rm -rf "$CLUSTER_DIR""#)
        .arg("guardian");
    if rustix::process::geteuid().is_root() {
        cmd.args([
            "setpriv".into(),
            format!("--reuid={UNPRIVILEGED}"),
            format!("--regid={UNPRIVILEGED}"),
            "--clear-groups".into(),
            "--".into(),
        ]);
    }
    cmd.arg(&pg_ctl)
        .arg("-D")
        .arg(dir.join("data"))
        .args(["-m", "immediate", "-w", "stop"])
        .env("CLUSTER_DIR", dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(Guardian)
        .expect("start the cluster's guardian (sh)")
}

/// The newest `/usr/lib/postgresql/<version>/bin` holding `initdb`, `pg_ctl` and `postgres`.
fn server_bin() -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            ["initdb", "pg_ctl", "postgres"]
                .iter()
                .all(|b| bin.join(b).is_file())
                .then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// Runs `bin/program` with `args`: as `nobody` when the tests run as root.
fn run(bin: &Path, program: &str, args: &[&std::ffi::OsStr]) -> Output {
    let program = bin.join(program);
    let mut cmd = if rustix::process::geteuid().is_root() {
        let mut cmd = Command::new("setpriv");
        cmd.arg(format!("--reuid={UNPRIVILEGED}"))
            .arg(format!("--regid={UNPRIVILEGED}"))
            .arg("--clear-groups")
            .arg("--")
            .arg(&program);
        cmd
    } else {
        Command::new(&program)
    };
    // The server gets no password from the environment of whoever runs the tests.
    cmd.args(args)
        .env_remove("PGPASSWORD")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} (setpriv, util-linux?): {e}",
                program.display()
            )
        })
}

/// A CA, a server certificate for `localhost` signed by it (P-256 keys: quick to make), and a
/// second CA that signed nothing, made with the `openssl` command (Debian's `postgresql` pulls it
/// in through `ssl-cert`).
fn make_certificates(folder: &Path) {
    std::fs::create_dir(folder).expect("tls folder");
    let openssl = |args: &[&str]| {
        let out = Command::new("openssl")
            .args(args)
            .current_dir(folder)
            .output()
            .expect("openssl (apt-get install openssl)");
        assert!(out.status.success(), "openssl {args:?}: {}", text(&out));
    };
    let ec = [
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
    ];
    for ca in ["ca", "other-ca"] {
        let key = format!("{ca}.key");
        let crt = format!("{ca}.crt");
        let mut args = vec![
            "req",
            "-x509",
            "-days",
            "2",
            "-subj",
            "/CN=truora-tui test CA",
        ];
        args.extend(ec);
        args.extend([
            "-keyout",
            &key,
            "-out",
            &crt,
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign,cRLSign",
        ]);
        openssl(&args);
    }
    let mut args = vec![
        "req",
        "-subj",
        "/CN=localhost",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ];
    args.extend(ec);
    openssl(&args);
    std::fs::write(
        folder.join("server.ext"),
        "subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
    )
    .expect("extensions");
    openssl(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        "-out",
        "server.crt",
    ]);
    std::fs::set_permissions(
        folder.join("server.key"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .expect("key mode");
}

fn chown_tree(path: &Path) {
    std::os::unix::fs::chown(path, Some(UNPRIVILEGED), Some(UNPRIVILEGED)).expect("chown");
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener.local_addr().expect("address").port()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
