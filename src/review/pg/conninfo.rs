//! Where a team store is and how to log in, read as libpq reads it: a `postgres://` or
//! `postgresql://` URL, or a `key=value` string; then the `PG*` variables for what it left out;
//! then `~/.pgpass` (or `PGPASSFILE`) for the password. rust-postgres reads none of the variables
//! or files itself, so this is the one place that does.
//!
//! The password is a [`Secret`]: no `Debug`, `Display` or error of this module shows it, and a
//! URL shown to the user goes through [`mask`] first.

use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

use super::pgpass;
pub use crate::dburl::{has_password, is_postgres, mask};

/// Debian's libpq looks here when no host is given (a unix socket).
pub const DEFAULT_SOCKET_DIR: &str = "/var/run/postgresql";
const DEFAULT_PORT: u16 = 5432;

/// A password: shown as `***` by `Debug`, never by `Display` (it has none).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The password itself, for the connection and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

/// libpq's `sslmode`. `allow` is taken as `prefer` (TLS when the server offers it): never less
/// safe than asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(value: &str) -> Result<SslMode, ConnInfoError> {
        Ok(match value {
            "disable" => SslMode::Disable,
            "allow" | "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(ConnInfoError::Bad(format!(
                    "sslmode {other:?} is not one of disable, allow, prefer, require, verify-ca, \
                     verify-full"
                )));
            }
        })
    }
}

/// Everything needed to connect, after the URL, the variables and the password file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnInfo {
    /// Host names, addresses, or unix socket folders (starting with `/`), tried in order.
    pub hosts: Vec<String>,
    /// One port for all hosts, or one per host.
    pub ports: Vec<u16>,
    pub user: String,
    pub dbname: String,
    pub password: Option<Secret>,
    pub sslmode: SslMode,
    /// The CA certificate(s) the server's certificate must chain to (`verify-ca`, `verify-full`;
    /// also `require` when the file exists, as libpq does).
    pub sslrootcert: Option<PathBuf>,
    pub connect_timeout: Option<std::time::Duration>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConnInfoError {
    /// Names what is wrong, never the password.
    #[error("the PostgreSQL connection string is not valid: {0}")]
    Bad(String),
}

/// The settings a string gave, before the variables fill the rest.
#[derive(Default)]
struct Given {
    host: Option<String>,
    port: Option<String>,
    user: Option<String>,
    dbname: Option<String>,
    password: Option<String>,
    sslmode: Option<String>,
    sslrootcert: Option<String>,
    passfile: Option<String>,
    connect_timeout: Option<String>,
}

impl Given {
    fn set(&mut self, key: &str, value: String) -> Result<(), ConnInfoError> {
        let slot = match key {
            "host" | "hostaddr" => &mut self.host,
            "port" => &mut self.port,
            "user" => &mut self.user,
            "dbname" => &mut self.dbname,
            "password" => &mut self.password,
            "sslmode" => &mut self.sslmode,
            "sslrootcert" => &mut self.sslrootcert,
            "passfile" => &mut self.passfile,
            "connect_timeout" => &mut self.connect_timeout,
            // Harmless options libpq knows and this client does without.
            "application_name"
            | "fallback_application_name"
            | "options"
            | "sslcompression"
            | "target_session_attrs" => return Ok(()),
            other => {
                return Err(ConnInfoError::Bad(format!(
                    "unknown option {:?} (known: host, port, user, dbname, password, sslmode, \
                     sslrootcert, passfile, connect_timeout)",
                    crate::sanitize::terminal_text(other)
                )));
            }
        };
        *slot = Some(value);
        Ok(())
    }
}

/// Reads `value` (URL or `key=value`), filling what it leaves out from `env` (`PGHOST`,
/// `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGPASSFILE`,
/// `PGCONNECT_TIMEOUT`) and the password file. Returns the warnings met on the way (a password
/// file others can read is ignored, as libpq ignores it).
/// `env` looks a variable up (the process environment, or a test's map): `review` sits beside
/// `config`, so it takes the lookup, not `config::Env`.
pub fn resolve(
    value: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(ConnInfo, Vec<String>), ConnInfoError> {
    let v = value.trim();
    let given = if let Some(rest) = v
        .strip_prefix("postgresql://")
        .or_else(|| v.strip_prefix("postgres://"))
    {
        parse_url(rest)?
    } else {
        parse_key_values(v)?
    };
    fill(given, env)
}

fn fill(
    given: Given,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(ConnInfo, Vec<String>), ConnInfoError> {
    let var = |name: &str| env(name).filter(|v| !v.is_empty());
    let mut warnings = Vec::new();
    let host = given.host.or_else(|| var("PGHOST"));
    let hosts: Vec<String> = match host {
        Some(h) => h.split(',').map(str::to_owned).collect(),
        None => vec![DEFAULT_SOCKET_DIR.to_owned()],
    };
    let ports = match given.port.or_else(|| var("PGPORT")) {
        Some(p) => p
            .split(',')
            .map(|p| {
                p.trim().parse::<u16>().map_err(|_| {
                    ConnInfoError::Bad(format!("port {:?} is not a number from 1 to 65535", p))
                })
            })
            .collect::<Result<Vec<u16>, _>>()?,
        None => vec![DEFAULT_PORT],
    };
    if ports.len() != 1 && ports.len() != hosts.len() {
        return Err(ConnInfoError::Bad(format!(
            "{} hosts but {} ports: give one port, or one per host",
            hosts.len(),
            ports.len()
        )));
    }
    let user = given
        .user
        .or_else(|| var("PGUSER"))
        .or_else(|| var("USER"))
        .or_else(|| var("LOGNAME"))
        .ok_or_else(|| ConnInfoError::Bad("no user: give user= or set PGUSER".into()))?;
    let dbname = given
        .dbname
        .or_else(|| var("PGDATABASE"))
        .unwrap_or_else(|| user.clone());
    let sslmode = SslMode::parse(
        given
            .sslmode
            .or_else(|| var("PGSSLMODE"))
            .as_deref()
            .unwrap_or("prefer"),
    )?;
    let home = var("HOME").map(PathBuf::from);
    let sslrootcert = given
        .sslrootcert
        .or_else(|| var("PGSSLROOTCERT"))
        .map(PathBuf::from)
        .or_else(|| {
            home.as_ref()
                .map(|h| h.join(".postgresql/root.crt"))
                .filter(|p| p.is_file())
        });
    let connect_timeout = match given.connect_timeout.or_else(|| var("PGCONNECT_TIMEOUT")) {
        Some(t) => Some(std::time::Duration::from_secs(t.trim().parse().map_err(
            |_| ConnInfoError::Bad(format!("connect_timeout {t:?} is not a number of seconds")),
        )?)),
        None => None,
    };
    let mut password = given.password.or_else(|| var("PGPASSWORD")).map(Secret);
    if password.is_none() {
        let file = given
            .passfile
            .or_else(|| var("PGPASSFILE"))
            .map(PathBuf::from)
            .or_else(|| home.map(|h| h.join(".pgpass")));
        if let Some(file) = file {
            let port = ports.first().copied().unwrap_or(DEFAULT_PORT);
            let host = pgpass_host(hosts.first().map_or("", String::as_str));
            match pgpass::lookup(&file, host, port, &dbname, &user) {
                Ok(found) => password = found.map(Secret),
                Err(warning) => warnings.push(warning),
            }
        }
    }
    Ok((
        ConnInfo {
            hosts,
            ports,
            user,
            dbname,
            password,
            sslmode,
            sslrootcert,
            connect_timeout,
        },
        warnings,
    ))
}

/// The host name a password file line is matched against: `localhost` for libpq's default
/// socket folder, as libpq does.
fn pgpass_host(host: &str) -> &str {
    if host == DEFAULT_SOCKET_DIR || host.is_empty() {
        "localhost"
    } else {
        host
    }
}

/// `[user[:password]@][host[:port][,host[:port]…]][/dbname][?key=value&…]`, percent-decoded.
fn parse_url(rest: &str) -> Result<Given, ConnInfoError> {
    let mut given = Given::default();
    // The user part ends at the last `@`, so a password may hold `/`, `?` or `@` unencoded.
    let (userinfo, rest) = match rest.rsplit_once('@') {
        Some((u, r)) => (Some(u), r),
        None => (None, rest),
    };
    let (main, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (hostlist, path) = main.split_once('/').unwrap_or((main, ""));
    if let Some(userinfo) = userinfo {
        let (user, password) = match userinfo.split_once(':') {
            Some((u, p)) => (u, Some(p)),
            None => (userinfo, None),
        };
        if !user.is_empty() {
            given.user = Some(decode(user)?);
        }
        if let Some(p) = password {
            given.password = Some(decode(p)?);
        }
    }
    if !hostlist.is_empty() {
        let mut hosts = Vec::new();
        let mut ports = Vec::new();
        for part in hostlist.split(',') {
            let (host, port) = split_host_port(part);
            hosts.push(decode(host)?);
            ports.push(port.filter(|p| !p.is_empty()));
        }
        given.host = Some(hosts.join(","));
        // A host without a port of its own has the default one, as in libpq.
        if ports.iter().any(Option::is_some) {
            let default = DEFAULT_PORT.to_string();
            let ports: Vec<&str> = ports.iter().map(|p| p.unwrap_or(&default)).collect();
            given.port = Some(ports.join(","));
        }
    }
    if !path.is_empty() {
        given.dbname = Some(decode(path)?);
    }
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            ConnInfoError::Bad(format!(
                "URL parameter {:?} has no value",
                crate::sanitize::terminal_text(pair)
            ))
        })?;
        given.set(&decode(key)?, decode(value)?)?;
    }
    Ok(given)
}

/// `host:port`, `[::1]:port`, `host`.
fn split_host_port(part: &str) -> (&str, Option<&str>) {
    if let Some(inner) = part.strip_prefix('[') {
        return match inner.split_once(']') {
            Some((host, rest)) => (host, rest.strip_prefix(':')),
            None => (part, None),
        };
    }
    match part.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (part, None),
    }
}

fn decode(s: &str) -> Result<String, ConnInfoError> {
    percent_decode_str(s)
        .decode_utf8()
        .map(std::borrow::Cow::into_owned)
        .map_err(|_| ConnInfoError::Bad("a percent-encoded part is not UTF-8".into()))
}

/// `key=value key='quoted \' value'`, as libpq's conninfo strings.
fn parse_key_values(s: &str) -> Result<Given, ConnInfoError> {
    let mut given = Given::default();
    let mut chars = s.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(given);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(ConnInfoError::Bad(format!(
                "expected key=value, found {:?} without '='",
                crate::sanitize::terminal_text(&key)
            )));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\\') => value.extend(chars.next()),
                    Some('\'') => break,
                    Some(c) => value.push(c),
                    None => {
                        return Err(ConnInfoError::Bad(format!(
                            "the value of {key} has no closing quote"
                        )));
                    }
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        given.set(&key, value)?;
    }
}

impl ConnInfo {
    /// `alice@db.example.com:5432/reviews`: who and where, never the password.
    pub fn describe(&self) -> String {
        let hosts: Vec<String> = self
            .hosts
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let port = self.ports.get(i).or(self.ports.first()).copied();
                let host = if h.contains(':') && !h.starts_with('/') {
                    format!("[{h}]")
                } else {
                    h.clone()
                };
                match port {
                    Some(p) => format!("{host}:{p}"),
                    None => host,
                }
            })
            .collect();
        crate::sanitize::terminal_text(&format!(
            "{}@{}/{}",
            self.user,
            hosts.join(","),
            self.dbname
        ))
        .into_owned()
    }

    /// Whether the first host is a unix socket folder.
    pub fn is_socket(&self) -> bool {
        self.hosts
            .first()
            .is_some_and(|h| Path::new(h).is_absolute())
    }
}

#[cfg(test)]
#[path = "conninfo_tests.rs"]
mod tests;
