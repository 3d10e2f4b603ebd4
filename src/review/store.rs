//! The review store: one SQLite file (rusqlite, bundled SQLite) holding the event log.
//!
//! - Durable: WAL with `synchronous=FULL`, so once [`Store::record`] returns, the decision survives
//!   a power cut or a `kill -9`; a busy timeout lets several browsers on one host share the file.
//! - Careful with what it finds: a file from a newer version is refused before anything in it is
//!   changed; a file that is not a database is reported with its path and left alone; a file the
//!   user cannot (or chose not to) write is opened read-only, so browsing works and recording
//!   says why it cannot.
//! - Private: the file is 0600 in a 0700 folder; SQLite gives its `-wal` and `-shm` files the
//!   database's mode.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use super::files::{
    check_version, classify, create_private, is_read_only_error, sql, unavailable, unwritable,
};
use super::id::{EventId, Timestamp};
use super::mark::Review;
use super::model::{Event, EventKind, OverrideReason, Verdict};
use super::schema;
use crate::api::model::Status;

/// How long a write waits for another program holding the file before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the review store {path} was written by a newer truora-tui (schema version {found}, this \
         one knows up to {supported}); it was left untouched: upgrade truora-tui, or choose \
         another file with --review-db"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "the review store {path} is not a readable SQLite database ({detail}); it was left \
         untouched: restore it from a backup, or choose another file with --review-db"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error("cannot open the review store {path}: {detail}")]
    Unavailable { path: PathBuf, detail: String },
    #[error("cannot record in the review store {path}: {why}")]
    ReadOnly { path: PathBuf, why: String },
    #[error(
        "there is no review store at {path} yet (the browser creates it with the first decision)"
    )]
    Missing { path: PathBuf },
    #[error("the review store {path} failed: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("the review store {path} holds an unreadable event {id}: {detail}")]
    BadRow {
        path: PathBuf,
        id: String,
        detail: String,
    },
}

/// An open review store.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Why recording is impossible, when the store was opened read-only.
    read_only: Option<String>,
    /// The schema version of the file (older than current only when opened read-only).
    version: i64,
}

/// Where [`Store::changes_since`] left off: the local arrival number of the last event seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor(pub i64);

const EVENT_COLUMNS: &str = "id, process_id, kind, verdict, reason, note, reviewer, at_ms, \
                             truora_status, supersedes, resolves";

impl Store {
    /// Opens (creating it and its folder if need be) the store at `path` for reading and
    /// recording; falls back to read-only when the file cannot be written.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        if let Some(why) = unwritable(path) {
            return Store::open_read_only_because(path, why);
        }
        create_private(path).map_err(|e| unavailable(path, &e))?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let mut conn = match Connection::open_with_flags(path, flags) {
            Ok(conn) => conn,
            Err(e) if is_read_only_error(&e) => {
                return Store::open_read_only_because(path, e.to_string());
            }
            Err(e) => return Err(classify(path, e)),
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| sql(path, e))?;
        check_version(&conn, path)?;
        // Only now, with a store this version understands, change anything in the file.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| classify(path, e))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| sql(path, e))?;
        schema::migrate(&mut conn).map_err(|e| classify(path, e))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: None,
            version: schema::CURRENT_VERSION,
        })
    }

    /// Opens an existing store only to read it (the command line's `list`, `stats`, `export`).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        Store::open_read_only_because(path, "it was opened only to read".into())
    }

    fn open_read_only_because(path: &Path, why: String) -> Result<Store, StoreError> {
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(|e| sql(path, e))?;
        let found = check_version(&conn, path)?;
        if found == 0 {
            // An empty file: nothing to read. An in-memory store of the current schema answers
            // every query with nothing, and recording still says why it cannot.
            let mut empty = Connection::open_in_memory().map_err(|e| sql(path, e))?;
            schema::migrate(&mut empty).map_err(|e| sql(path, e))?;
            return Ok(Store {
                conn: empty,
                path: path.to_path_buf(),
                read_only: Some(why),
                version: schema::CURRENT_VERSION,
            });
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            read_only: Some(why),
            version: found,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Why recording is impossible, if it is.
    pub fn read_only_reason(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    fn writable(&self) -> Result<(), StoreError> {
        match &self.read_only {
            Some(why) => Err(StoreError::ReadOnly {
                path: self.path.clone(),
                why: why.clone(),
            }),
            None => Ok(()),
        }
    }

    pub(super) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Whether the file has the leases table (a version-1 store opened read-only does not).
    pub(super) fn has_leases(&self) -> bool {
        self.version >= 2
    }

    /// The file's schema version (older than current only when opened read-only).
    pub(super) fn version(&self) -> i64 {
        self.version
    }

    /// Whether its leases name their session (a version-2 store opened read-only: no).
    pub(super) fn has_lease_sessions(&self) -> bool {
        self.version >= 3
    }

    pub(super) fn check_writable(&self) -> Result<(), StoreError> {
        self.writable()
    }

    /// Another connection to the same file, for reading only: the start-up load reads half the
    /// rows on it, in a second thread. `None` where one cannot be opened (the load then reads
    /// them all on this one).
    pub(super) fn second_reader(&self) -> Option<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&self.path, flags).ok()?;
        conn.busy_timeout(BUSY_TIMEOUT).ok()?;
        Some(conn)
    }

    pub(super) fn sql_error(&self, e: rusqlite::Error) -> StoreError {
        classify(&self.path, e)
    }

    /// Records one event durably: when this returns `Ok`, the event is on disk.
    pub fn record(&mut self, event: &Event) -> Result<(), StoreError> {
        self.writable()?;
        insert(&self.conn, event).map_err(|e| classify(&self.path, e))?;
        Ok(())
    }

    /// Adds events that may already be present (an import): one transaction, events already
    /// known by id are skipped. Returns how many were new.
    pub fn merge(&mut self, events: &[Event]) -> Result<usize, StoreError> {
        self.writable()?;
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| classify(&path, e))?;
        let mut added = 0;
        for e in events {
            let exists: bool = tx
                .query_row(
                    "SELECT EXISTS(SELECT 1 FROM events WHERE id = ?1)",
                    [e.id.to_string()],
                    |r| r.get(0),
                )
                .map_err(|e| classify(&path, e))?;
            if !exists {
                insert(&tx, e).map_err(|e| classify(&path, e))?;
                added += 1;
            }
        }
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(added)
    }

    /// One process's events, oldest first.
    pub fn events_for(&self, process_id: &str) -> Result<Vec<Event>, StoreError> {
        self.query_events(
            &format!("SELECT {EVENT_COLUMNS} FROM events WHERE process_id = ?1 ORDER BY id"),
            [process_id],
        )
    }

    /// Every event, oldest first.
    pub fn all_events(&self) -> Result<Vec<Event>, StoreError> {
        self.query_events(
            &format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY id"),
            [],
        )
    }

    /// Events that arrived after `cursor` (recorded here, by another program on this file, or
    /// imported), and the cursor to ask with next time. Cheap when nothing changed.
    pub fn changes_since(&self, cursor: Cursor) -> Result<(Vec<Event>, Cursor), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS}, seq FROM events WHERE seq > ?1 ORDER BY seq"
            ))
            .map_err(|e| classify(&self.path, e))?;
        let mut rows = stmt
            .query([cursor.0])
            .map_err(|e| classify(&self.path, e))?;
        let mut events = Vec::new();
        let mut next = cursor;
        while let Some(row) = rows.next().map_err(|e| classify(&self.path, e))? {
            events.push(self.event_from_row(row)?);
            next = Cursor(row.get(11).map_err(|e| classify(&self.path, e))?);
        }
        Ok((events, next))
    }

    /// The cursor after every event present now.
    pub fn cursor(&self) -> Result<Cursor, StoreError> {
        self.conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))
            .map(Cursor)
            .map_err(|e| classify(&self.path, e))
    }

    /// SQLite's `data_version`: changes when another connection commits to the file, so a browser
    /// can poll it every second for nothing and read [`changes_since`](Self::changes_since) only
    /// when it moved.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| classify(&self.path, e))
    }

    /// The review of every process that has events, with the cursor they are current to: what
    /// `reviews list | stats | export` read ([`load`](super::load) says how; the browser starts
    /// from [`start_up`](Self::start_up)).
    pub fn reviews(&self) -> Result<(indexmap::IndexMap<String, Review>, Cursor), StoreError> {
        let cursor = self.cursor()?;
        Ok((super::load::reviews_up_to(self, cursor.0)?, cursor))
    }

    /// What the browser starts with, current to the returned cursor: every process's mark and
    /// `reviewer`'s standing events ([`StartUp`](super::load::StartUp)), without keeping a single
    /// event (100,000 processes within 100 ms, see the bench).
    pub fn start_up(&self, reviewer: &str) -> Result<(super::load::StartUp, Cursor), StoreError> {
        let cursor = self.cursor()?;
        Ok((super::load::start_up(self, cursor.0, reviewer)?, cursor))
    }

    fn query_events<P: rusqlite::Params>(
        &self,
        sql_text: &str,
        params: P,
    ) -> Result<Vec<Event>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(sql_text)
            .map_err(|e| classify(&self.path, e))?;
        let mut rows = stmt.query(params).map_err(|e| classify(&self.path, e))?;
        let mut events = Vec::new();
        while let Some(row) = rows.next().map_err(|e| classify(&self.path, e))? {
            events.push(self.event_from_row(row)?);
        }
        Ok(events)
    }

    /// One row as an event. Text is borrowed from SQLite where it is only parsed (ids, kind,
    /// verdict, reason, status): loading 100,000 events is mostly this function.
    fn event_from_row(&self, row: &rusqlite::Row<'_>) -> Result<Event, StoreError> {
        let text = |i: usize| -> Result<Option<&str>, String> {
            match row.get_ref(i).map_err(|e| e.to_string())? {
                rusqlite::types::ValueRef::Null => Ok(None),
                rusqlite::types::ValueRef::Text(t) => std::str::from_utf8(t)
                    .map(Some)
                    .map_err(|_| format!("column {i} is not UTF-8")),
                _ => Err(format!("column {i} is not text")),
            }
        };
        let raw_id = text(0).ok().flatten().unwrap_or_default();
        let read = || -> Result<Event, String> {
            let id_of = |t: &str| EventId::parse(t).ok_or_else(|| format!("bad event id {t:?}"));
            let kind = match text(2)? {
                Some("verdict") => {
                    let v = text(3)?.unwrap_or_default();
                    EventKind::Verdict {
                        verdict: Verdict::from_wire(v)
                            .ok_or_else(|| format!("bad verdict {v:?}"))?,
                        reason: text(4)?
                            .map(|r| {
                                OverrideReason::from_wire(r)
                                    .ok_or_else(|| format!("bad reason {r:?}"))
                            })
                            .transpose()?,
                    }
                }
                Some("withdraw") => EventKind::Withdraw,
                Some("note") => EventKind::Note {
                    text: text(5)?.unwrap_or_default().to_string(),
                },
                other => return Err(format!("bad kind {other:?}")),
            };
            Ok(Event {
                id: id_of(raw_id)?,
                process_id: text(1)?.unwrap_or_default().to_string(),
                kind,
                reviewer: text(6)?.unwrap_or_default().to_string(),
                at: Timestamp(row.get(7).map_err(|e| e.to_string())?),
                truora_status: text(8)?.map(Status::parse),
                supersedes: text(9)?.map(id_of).transpose()?,
                resolves: match text(10)? {
                    Some(list) => list
                        .split_whitespace()
                        .map(id_of)
                        .collect::<Result<_, _>>()?,
                    None => Vec::new(),
                },
            })
        };
        read().map_err(|detail| StoreError::BadRow {
            path: self.path.clone(),
            id: raw_id.to_string(),
            detail,
        })
    }

    /// `PRAGMA integrity_check`: `ok`, or what SQLite found wrong.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| classify(&self.path, e))
    }

    /// Whether an event with this id is stored.
    pub fn contains(&self, id: EventId) -> Result<bool, StoreError> {
        self.conn
            .query_row(
                "SELECT 1 FROM events WHERE id = ?1",
                [id.to_string()],
                |_| Ok(()),
            )
            .optional()
            .map(|o| o.is_some())
            .map_err(|e| classify(&self.path, e))
    }
}

fn insert(conn: &Connection, e: &Event) -> rusqlite::Result<usize> {
    let (verdict, reason, note) = match &e.kind {
        EventKind::Verdict { verdict, reason } => (
            Some(verdict.wire_name()),
            reason.map(OverrideReason::wire_name),
            None,
        ),
        EventKind::Withdraw => (None, None, None),
        EventKind::Note { text } => (None, None, Some(text.as_str())),
    };
    let resolves = (!e.resolves.is_empty()).then(|| {
        e.resolves
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(" ")
    });
    conn.prepare_cached(&format!(
        "INSERT INTO events ({EVENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    ))?
    .execute(params![
        e.id.to_string(),
        e.process_id,
        e.kind.wire_name(),
        verdict,
        reason,
        note,
        e.reviewer,
        e.at.millis(),
        e.truora_status.as_ref().map(ToString::to_string),
        e.supersedes.map(|id| id.to_string()),
        resolves,
    ])
}
