//! The review store: one SQLite file (rusqlite, bundled SQLite) holding the event log.
//!
//! - Durable: WAL with `synchronous=FULL`, so once [`Store::record`] returns, the decision survives
//!   a power cut or a `kill -9`; a busy timeout lets several browsers on one host share the file.
//! - Careful with what it finds (`open.rs`): another program's SQLite file, a file from a newer
//!   version, a file that is not a database are refused before anything in or beside them is
//!   changed; a file the user cannot (or chose not to) write is read without writing, so
//!   browsing works and recording says why it cannot.
//! - Honest about what it cannot read: an event it cannot read is passed over and noted
//!   ([`Store::unreadable`]), never the reason every other one goes unshown.
//! - Says what passes: a busy file or a full disk ([`StoreError::passes`]) is worth another try.
//! - Private: the file is 0600 in a 0700 folder; SQLite gives its `-wal` and `-shm` files the
//!   database's mode.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::connect::{ReadAccess, Tuning};
pub use super::error::{StoreError, Unreadable};
use super::files::classify_waited;
use super::id::EventId;
use super::model::Event;
use super::rows::{EVENT_COLUMNS, event_of, insert};

/// An open review store ([`open`](Store::open) and its kin are in `open.rs`; the loads,
/// [`reviews`](Store::reviews) and [`start_up`](Store::start_up), in `load.rs`).
pub struct Store {
    pub(super) conn: Connection,
    pub(super) path: PathBuf,
    /// Why recording is impossible, when the store was opened read-only.
    pub(super) read_only: Option<String>,
    /// The schema version of the file (older than current only when opened read-only).
    pub(super) version: i64,
    /// How more connections that only read are opened (the start-up load's second half).
    pub(super) reader: ReadAccess,
    pub(super) tuning: Tuning,
    /// Whether it was opened to record (else only to read), so it reopens the same way.
    pub(super) for_recording: bool,
    /// Events met that could not be read, by id: left out of every answer, reported by the
    /// caller ([`unreadable`](Self::unreadable)).
    pub(super) unreadable: RefCell<BTreeMap<String, String>>,
}

/// What [`Store::record_on_head`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// The event is on disk.
    Done,
    /// Refused, nothing written: a colleague's decision stands where this one was taken.
    HeadMoved(super::head::HeadMoved),
}

/// Where [`Store::changes_since`] left off: the local arrival number of the last event seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cursor(pub i64);

impl Store {
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
        let conn = self.reader.connect(&self.path).ok()?;
        conn.busy_timeout(self.tuning.busy_timeout).ok()?;
        Some(conn)
    }

    pub(super) fn sql_error(&self, e: rusqlite::Error) -> StoreError {
        classify_waited(&self.path, e, self.tuning.busy_timeout)
    }

    /// The events met so far that could not be read (each left out of what was returned), in
    /// id order: for the caller to report.
    pub fn unreadable(&self) -> Vec<Unreadable> {
        self.unreadable
            .borrow()
            .iter()
            .map(|(id, detail)| Unreadable {
                id: id.clone(),
                detail: detail.clone(),
            })
            .collect()
    }

    /// Notes an event that could not be read.
    pub(super) fn skip(&self, bad: Unreadable) {
        tracing::warn!("review store {}: {bad}", self.path.display());
        self.unreadable.borrow_mut().insert(bad.id, bad.detail);
    }

    /// Records one event durably, whatever the process's head: when this returns `Ok`, the
    /// event is on disk. For seeding a store (tests, benches, the demo); a browser's decisions
    /// go through [`record_on_head`](Self::record_on_head).
    pub fn record(&mut self, event: &Event) -> Result<(), StoreError> {
        self.writable()?;
        insert(&self.conn, event).map_err(|e| self.sql_error(e))?;
        Ok(())
    }

    /// Records one decision, note or undo durably, only if it is taken on the process's
    /// current head ([`head::check`](super::head::check)): read and written in one
    /// transaction that holds the write lock from its start (`BEGIN IMMEDIATE`), so of two
    /// browsers deciding on the same head at once exactly one is recorded and the other is told
    /// what stands instead ([`Recorded::HeadMoved`]), recording nothing.
    pub fn record_on_head(&mut self, event: &Event) -> Result<Recorded, StoreError> {
        self.writable()?;
        let path = self.path.clone();
        let busy = self.tuning.busy_timeout;
        let fail = |e| classify_waited(&path, e, busy);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(fail)?;
        let events = {
            let mut stmt = tx
                .prepare_cached(&format!(
                    "SELECT {EVENT_COLUMNS} FROM events WHERE process_id = ?1 ORDER BY id"
                ))
                .map_err(fail)?;
            let mut rows = stmt.query([&event.process_id]).map_err(fail)?;
            let mut events = Vec::new();
            while let Some(row) = rows.next().map_err(fail)? {
                // One it cannot read is left out here as everywhere (and noted by the loads).
                if let Ok(e) = event_of(row) {
                    events.push(e);
                }
            }
            events
        };
        if let Some(moved) = super::head::check(event, &events) {
            // Dropping the transaction rolls it back: nothing was written.
            return Ok(Recorded::HeadMoved(moved));
        }
        insert(&tx, event).map_err(fail)?;
        tx.commit().map_err(fail)?;
        Ok(Recorded::Done)
    }

    /// Adds events that may already be present, in one transaction; events already known by id
    /// are skipped. Returns how many were new. For seeding a store (the demo, tests, benches);
    /// `reviews import` checks what it reads and adds it in batches ([`super::import`]).
    pub fn merge(&mut self, events: &[Event]) -> Result<usize, StoreError> {
        self.writable()?;
        let path = self.path.clone();
        let busy = self.tuning.busy_timeout;
        let tx = self
            .conn
            .transaction()
            .map_err(|e| classify_waited(&path, e, busy))?;
        let mut added = 0;
        for e in events {
            let exists: bool = tx
                .query_row(
                    "SELECT EXISTS(SELECT 1 FROM events WHERE id = ?1)",
                    [e.id.to_string()],
                    |r| r.get(0),
                )
                .map_err(|e| classify_waited(&path, e, busy))?;
            if !exists {
                insert(&tx, e).map_err(|e| classify_waited(&path, e, busy))?;
                added += 1;
            }
        }
        tx.commit().map_err(|e| classify_waited(&path, e, busy))?;
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
        self.changes_page(cursor, usize::MAX)
    }

    /// [`changes_since`](Self::changes_since), at most `limit` events of them: a browser polling
    /// while an import adds a million events reads them a page at a time, never all at once.
    pub fn changes_page(
        &self,
        cursor: Cursor,
        limit: usize,
    ) -> Result<(Vec<Event>, Cursor), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS}, seq FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2"
            ))
            .map_err(|e| self.sql_error(e))?;
        // SQLite reads a negative limit as none.
        let limit = i64::try_from(limit).unwrap_or(-1);
        let mut rows = stmt
            .query((cursor.0, limit))
            .map_err(|e| self.sql_error(e))?;
        let mut events = Vec::new();
        let mut next = cursor;
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            // An unreadable event is passed over (and noted), never read again.
            match event_of(row) {
                Ok(event) => events.push(event),
                Err(bad) => self.skip(bad),
            }
            next = Cursor(row.get(11).map_err(|e| self.sql_error(e))?);
        }
        Ok((events, next))
    }

    /// The cursor after every event present now.
    pub fn cursor(&self) -> Result<Cursor, StoreError> {
        self.conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM events", [], |r| r.get(0))
            .map(Cursor)
            .map_err(|e| self.sql_error(e))
    }

    /// SQLite's `data_version`: changes when another connection commits to the file, so a browser
    /// can poll it every second for nothing and read [`changes_since`](Self::changes_since) only
    /// when it moved.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| self.sql_error(e))
    }

    fn query_events<P: rusqlite::Params>(
        &self,
        sql_text: &str,
        params: P,
    ) -> Result<Vec<Event>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(sql_text)
            .map_err(|e| self.sql_error(e))?;
        let mut rows = stmt.query(params).map_err(|e| self.sql_error(e))?;
        let mut events = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.sql_error(e))? {
            match event_of(row) {
                Ok(event) => events.push(event),
                Err(bad) => self.skip(bad),
            }
        }
        Ok(events)
    }

    /// `PRAGMA integrity_check`: `ok`, or what SQLite found wrong.
    pub fn integrity_check(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| self.sql_error(e))
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
            .map_err(|e| self.sql_error(e))
    }
}
