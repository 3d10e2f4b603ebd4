//! The store's schema, one migration per version, counted in SQLite's `user_version`.
//!
//! Version 1 is the event log alone; version 2 adds the leases that tell a team on one host who
//! has which process open, and the index that loads one process's events without a scan;
//! version 3 keys a lease by the browser session holding it; version 4 anchors the access log's
//! head (see [`anchor`](super::anchor)); version 5 lets every session hold a lease on the same
//! process (each browser that has it open is shown). A file
//! written by a newer truora-tui (a higher version) is refused before anything in it is changed.
//!
//! A store is recognised by its [`APPLICATION_ID`], set when it is created; a store made before
//! the id existed (version 3 or older, id 0, only our tables) gets it when first opened for
//! writing. Any other SQLite file is refused untouched (`open.rs`).

use rusqlite::{Connection, TransactionBehavior};

/// `PRAGMA application_id` of every review store: `trrv` ("truora-tui review") in ASCII, not
/// among the ids in SQLite's registry (`magic.txt`). `file(1)` and `sqlite3` show it.
pub const APPLICATION_ID: i32 = 0x7472_7276;

/// The last version written without an application id: a file with id 0 is an older store of
/// ours only at this version or below, holding only [`TABLES_WITHOUT_ID`].
pub const LAST_VERSION_WITHOUT_ID: i64 = 3;

/// The tables of a store written without an application id.
pub const TABLES_WITHOUT_ID: &[&str] = &["events", "leases"];

/// The columns of the event table, as version 1 made it (no later version changes it).
pub const EVENT_TABLE_COLUMNS: &[&str] = &[
    "seq",
    "id",
    "process_id",
    "kind",
    "verdict",
    "reason",
    "note",
    "reviewer",
    "at_ms",
    "truora_status",
    "supersedes",
    "resolves",
];

/// `MIGRATIONS[n]` takes a store from version `n` to `n + 1`. Never edit one that has shipped:
/// add the next.
pub const MIGRATIONS: &[&str] = &[
    // v1: the event log. `seq` is the local arrival order (what `changes_since` polls); `id` is the
    // event's ULID, unique across reviewers (what import merges on).
    "CREATE TABLE events (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        process_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        verdict TEXT,
        reason TEXT,
        note TEXT,
        reviewer TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        truora_status TEXT,
        supersedes TEXT,
        resolves TEXT
    );",
    // v2: leases (who has a process open, until when) and the per-process index.
    "CREATE TABLE leases (
        process_id TEXT PRIMARY KEY,
        reviewer TEXT NOT NULL,
        expires_ms INTEGER NOT NULL
    );
    CREATE INDEX events_by_process ON events (process_id, id);",
    // v3: a lease names the browser session holding it, not only the reviewer: reviewers on one
    // host often share one account, so one name. A lease left by an older build (no session)
    // belongs to no session here, so it shows as taken until it expires.
    "ALTER TABLE leases ADD COLUMN session TEXT NOT NULL DEFAULT '';",
    // v4: the access log's head, anchored outside the log (see `anchor`). Append-only: rows are
    // inserted, never changed or removed, so a PostgreSQL team store can grant reviewers INSERT
    // alone; here the triggers keep this program (not a determined user) to that.
    "CREATE TABLE audit_logs (
        id INTEGER PRIMARY KEY,
        dir TEXT NOT NULL,
        first_hash BLOB NOT NULL,
        at_ms INTEGER NOT NULL,
        UNIQUE (dir, first_hash)
    );
    CREATE INDEX audit_logs_by_first_hash ON audit_logs (first_hash);
    CREATE TABLE audit_heads (
        id INTEGER PRIMARY KEY,
        log INTEGER NOT NULL REFERENCES audit_logs (id),
        first_seq INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        hash BLOB NOT NULL,
        session TEXT NOT NULL,
        at_ms INTEGER NOT NULL
    );
    CREATE INDEX audit_heads_by_log ON audit_heads (log, id);
    CREATE TABLE audit_heads_written (
        head INTEGER PRIMARY KEY REFERENCES audit_heads (id),
        at_ms INTEGER NOT NULL
    );
    CREATE TRIGGER audit_logs_append_only_u BEFORE UPDATE ON audit_logs
        BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END;
    CREATE TRIGGER audit_logs_append_only_d BEFORE DELETE ON audit_logs
        BEGIN SELECT RAISE(ABORT, 'audit_logs is append-only'); END;
    CREATE TRIGGER audit_heads_append_only_u BEFORE UPDATE ON audit_heads
        BEGIN SELECT RAISE(ABORT, 'audit_heads is append-only'); END;
    CREATE TRIGGER audit_heads_append_only_d BEFORE DELETE ON audit_heads
        BEGIN SELECT RAISE(ABORT, 'audit_heads is append-only'); END;
    CREATE TRIGGER audit_heads_written_append_only_u BEFORE UPDATE ON audit_heads_written
        BEGIN SELECT RAISE(ABORT, 'audit_heads_written is append-only'); END;
    CREATE TRIGGER audit_heads_written_append_only_d BEFORE DELETE ON audit_heads_written
        BEGIN SELECT RAISE(ABORT, 'audit_heads_written is append-only'); END;",
    // v5: a lease per process *and session*: every browser that has a process open holds (and
    // shows) its own lease, not only the first to open it.
    "CREATE TABLE leases_v5 (
        process_id TEXT NOT NULL,
        session TEXT NOT NULL DEFAULT '',
        reviewer TEXT NOT NULL,
        expires_ms INTEGER NOT NULL,
        PRIMARY KEY (process_id, session)
    );
    INSERT INTO leases_v5 (process_id, session, reviewer, expires_ms)
        SELECT process_id, session, reviewer, expires_ms FROM leases;
    DROP TABLE leases;
    ALTER TABLE leases_v5 RENAME TO leases;",
];

/// The version this build writes.
pub const CURRENT_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
}

pub fn application_id(conn: &Connection) -> rusqlite::Result<i32> {
    conn.query_row("PRAGMA application_id", [], |r| r.get(0))
}

/// Brings the store up to [`CURRENT_VERSION`], with our application id, in one transaction. The
/// version is read again under the write lock, so two programs opening an old store at once
/// migrate it once. A current store is not locked at all: a browser starts while an import holds
/// the lock.
pub fn migrate(conn: &mut Connection) -> rusqlite::Result<()> {
    if version(conn)? == CURRENT_VERSION && application_id(conn)? == APPLICATION_ID {
        return Ok(());
    }
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if application_id(&tx)? != APPLICATION_ID {
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
    }
    let from = version(&tx)?;
    for step in MIGRATIONS
        .iter()
        .skip(usize::try_from(from).unwrap_or(usize::MAX))
    {
        tx.execute_batch(step)?;
    }
    if from < CURRENT_VERSION {
        tx.pragma_update(None, "user_version", CURRENT_VERSION)?;
    }
    tx.commit()
}
