//! The team store on PostgreSQL: where it is and how to log in ([`conninfo`], [`pgpass`]), TLS
//! ([`tls`]), connecting ([`connect`]), the schema and roles an administrator sets up once
//! ([`schema`], [`setup`]: `truora-tui reviews setup`), and events read and recorded
//! ([`events`]).
//!
//! **Sync `postgres`, not `tokio-postgres` directly.** The store is owned by the review desk,
//! a plain thread (`reviewdesk/`) that makes one blocking call per request, as it does with
//! rusqlite; the sync client gives it the same shape (a call that returns when the server has
//! committed), and it runs its own small current-thread runtime inside, so the desk never
//! blocks the UI's tokio runtime and needs no `block_on` of its own. LISTEN/NOTIFY is read on
//! the same client (`Client::notifications`), which is all the live view needs. The one rule
//! that follows: a sync client is used on a plain thread, never on one of a tokio runtime
//! (its inner runtime cannot start there; `reviews setup` gets a thread of its own for that).

pub mod conninfo;
pub mod events;
pub mod pgpass;
pub mod schema;
pub mod setup;
pub mod tls;

use std::time::Duration;

pub use conninfo::{ConnInfo, ConnInfoError, Secret, SslMode, is_postgres, mask};

/// What went wrong talking to the team store; every message names where (user, host, database),
/// never the password.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error(transparent)]
    ConnInfo(#[from] ConnInfoError),
    #[error("cannot set up TLS to the team store {at}: {why}")]
    Tls { at: String, why: String },
    #[error("cannot connect to the team store {at}: {detail}")]
    Connect { at: String, detail: String },
    #[error("the team store {at} refused: {detail}")]
    Refused { at: String, detail: String },
    /// A schema written by a newer truora-tui: nothing was changed.
    #[error(
        "the team store {at} was set up by a newer truora-tui (schema version {found}, this one \
         knows up to {supported}); it was left untouched: upgrade truora-tui"
    )]
    Newer {
        at: String,
        found: i64,
        supported: i64,
    },
    /// The login is in neither group role.
    #[error(
        "{user} may not use the team store {at}: the role is neither a reviewer nor an auditor; \
         ask its administrator to run `GRANT truora_reviewer TO {user};` (to decide) or `GRANT \
         truora_auditor TO {user};` (to read and export)"
    )]
    NoRole { at: String, user: String },
    #[error(
        "the team store {at} is not set up (no truora_review schema): ask its administrator to \
         run `truora-tui reviews setup --review-db URL`"
    )]
    NotSetUp { at: String },
}

impl PgError {
    /// A server's error in words: its message (and detail, hint) when it has one; never the
    /// connection string (rust-postgres's errors do not hold it).
    pub(crate) fn refused(at: &str, e: &postgres::Error) -> PgError {
        PgError::Refused {
            at: at.to_owned(),
            detail: server_words(e),
        }
    }
}

/// `e`'s message, detail and hint when the server sent them, else rust-postgres's own words.
pub fn server_words(e: &postgres::Error) -> String {
    let text = match e.as_db_error() {
        Some(db) => {
            let mut text = db.message().to_owned();
            if let Some(detail) = db.detail() {
                text.push_str(&format!(" ({detail})"));
            }
            if let Some(hint) = db.hint() {
                text.push_str(&format!("; {hint}"));
            }
            text
        }
        None => {
            use std::error::Error as _;
            match e.source() {
                Some(source) => format!("{e}: {source}"),
                None => e.to_string(),
            }
        }
    };
    crate::sanitize::terminal_text(&text).into_owned()
}

/// Connects as `info` says, with TLS as its `sslmode` asks.
pub fn connect(info: &ConnInfo) -> Result<postgres::Client, PgError> {
    let at = info.describe();
    let mut config = postgres::Config::new();
    for host in &info.hosts {
        config.host(host);
    }
    for port in &info.ports {
        config.port(*port);
    }
    config
        .user(&info.user)
        .dbname(&info.dbname)
        .application_name("truora-tui")
        .connect_timeout(info.connect_timeout.unwrap_or(Duration::from_secs(10)))
        .ssl_mode(match info.sslmode {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                postgres::config::SslMode::Require
            }
        });
    if let Some(password) = &info.password {
        config.password(password.expose());
    }
    let tls = tls::client_config(info).map_err(|why| PgError::Tls {
        at: at.clone(),
        why,
    })?;
    config
        .connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls))
        .map_err(|e| PgError::Connect {
            at,
            detail: server_words(&e),
        })
}
