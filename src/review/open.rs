//! Opening the review store: telling ours from any other file before anything is changed, and
//! reading a store that must not be written without writing a byte beside it.
//!
//! - **Ours or not.** A file is looked at through a read-only connection first. A review store
//!   carries [`schema::APPLICATION_ID`]; one made before the id existed (id 0, version 3 or
//!   older, only our tables, our event columns) is adopted: the id is set when it is next opened
//!   for writing. An empty file, or an SQLite database with nothing in it, is ours to fill. Any
//!   other SQLite file is refused with what it is, byte for byte as it was, and no `-wal` or
//!   `-shm` left beside it: where no connection has it open (no `-shm`), it is read
//!   `immutable`, which creates nothing; and no connection of ours writes a log back into a file
//!   it has not recognised (`NO_CKPT_ON_CLOSE`).
//! - **Read-only.** A store in a read-only folder, or a read-only file, is read without writing:
//!   `immutable` where nothing can write and the log is empty (everything committed is in the
//!   main file), else through SQLite's locks and log as any reader (SQLite reads a log through a
//!   read-only `-shm`). A log that holds events but has no `-shm` cannot be read in a read-only
//!   folder: that is said, with what to do, rather than read without those events.

use std::cell::RefCell;
use std::path::Path;

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

use super::connect::{ReadAccess, Tuning};
use super::error::StoreError;
use super::files::{
    Companions, classify, create_private, folder_is_read_only, folder_of, is_read_only_error, sql,
    unavailable, unwritable,
};
use super::schema;
use super::store::Store;

/// What a file turned out to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Identity {
    /// No file, or an empty one: ours to create.
    New,
    /// An SQLite database with nothing in it (no table, no version, no id): ours to fill.
    Empty,
    /// A review store at this schema version (with id 0: an older one of ours).
    Ours { version: i64 },
}

/// Why a store opened with [`Store::open_read_only`] cannot record.
const ONLY_TO_READ: &str = "it was opened only to read";

impl Store {
    /// Opens (creating it and its folder if need be) the store at `path` for reading and
    /// recording; falls back to read-only when the file cannot be written. Another program's
    /// SQLite file is refused untouched.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_tuned(path, Tuning::default())
    }

    /// [`open`](Self::open) with a busy timeout and size cap of the caller's choosing.
    pub fn open_tuned(path: &Path, tuning: Tuning) -> Result<Store, StoreError> {
        if let Some(why) = unwritable(path) {
            return Store::read_only(path, why, tuning);
        }
        let (found, inspected) = inspect(path)?;
        drop(inspected);
        create_private(path).map_err(|e| unavailable(path, &e))?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let mut conn = match Connection::open_with_flags(path, flags) {
            Ok(conn) => conn,
            Err(e) if is_read_only_error(&e) => {
                return Store::read_only(path, e.to_string(), tuning);
            }
            Err(e) => return Err(classify(path, e)),
        };
        tune(&conn, path, tuning)?;
        // Until this connection has seen the file is ours, closing it must not write a log it
        // found back into the file; and it looks again: the file may have changed since, or
        // kept its content in a log the first look could not read.
        let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
        identify(&conn, path)?;
        let err = |e| super::files::classify_waited(path, e, tuning.busy_timeout);
        if found == Identity::New {
            // A new file gets its tables and id before anything else (the switch to WAL
            // writes a header): whatever a crash leaves is recognisably ours.
            schema::migrate(&mut conn).map_err(err)?;
        }
        let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, false);
        to_wal(&conn, tuning).map_err(err)?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(err)?;
        schema::migrate(&mut conn).map_err(err)?;
        Ok(Store::with(
            conn,
            path,
            None,
            schema::CURRENT_VERSION,
            ReadAccess::Shared,
            tuning,
        ))
    }

    /// Opens an existing store only to read it (the command line's `list`, `stats`, `export`).
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        Store::read_only(path, ONLY_TO_READ.into(), Tuning::default())
    }

    /// The same store opened again, as it was (after an I/O error SQLite may keep the file in
    /// an error state for the connection that met it).
    pub fn reopen(&self) -> Result<Store, StoreError> {
        match (&self.read_only, self.for_recording) {
            (Some(why), false) => Store::read_only(&self.path, why.clone(), self.tuning),
            _ => Store::open_tuned(&self.path, self.tuning),
        }
    }

    fn read_only(path: &Path, why: String, tuning: Tuning) -> Result<Store, StoreError> {
        let for_recording = why != ONLY_TO_READ;
        if !path.exists() {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        let (found, inspected) = inspect(path)?;
        let (Identity::Ours { version }, Some((conn, access))) = (found, inspected) else {
            return Store::nothing_to_read(path, why, tuning);
        };
        let companions = Companions::of(path);
        let (conn, access) = if access == ReadAccess::Immutable
            && !companions.wal_holds_frames()
            && unwritable(path).is_some()
        {
            // Nothing can write, and everything committed is in the main file.
            (conn, access)
        } else if access == ReadAccess::Immutable
            && companions.wal_holds_frames()
            && folder_is_read_only(path)
        {
            return Err(StoreError::WalUnreadable {
                path: path.to_path_buf(),
                wal: companions.wal,
                shm: companions.shm,
                folder: folder_of(path).to_path_buf(),
            });
        } else {
            drop(conn);
            let conn = ReadAccess::Shared
                .connect(path)
                .map_err(|e| classify(path, e))?;
            (conn, ReadAccess::Shared)
        };
        conn.busy_timeout(tuning.busy_timeout)
            .map_err(|e| sql(path, e))?;
        let mut store = Store::with(conn, path, Some(why), version, access, tuning);
        store.for_recording = for_recording;
        Ok(store)
    }

    /// An empty file, or a database with nothing in it, opened to read: an in-memory store of
    /// the current schema answers every query with nothing, and recording says why it cannot.
    fn nothing_to_read(path: &Path, why: String, tuning: Tuning) -> Result<Store, StoreError> {
        let mut empty = Connection::open_in_memory().map_err(|e| sql(path, e))?;
        schema::migrate(&mut empty).map_err(|e| sql(path, e))?;
        let for_recording = why != ONLY_TO_READ;
        let mut store = Store::with(
            empty,
            path,
            Some(why),
            schema::CURRENT_VERSION,
            ReadAccess::Shared,
            tuning,
        );
        store.for_recording = for_recording;
        Ok(store)
    }

    fn with(
        conn: Connection,
        path: &Path,
        read_only: Option<String>,
        version: i64,
        reader: ReadAccess,
        tuning: Tuning,
    ) -> Store {
        Store {
            conn,
            path: path.to_path_buf(),
            read_only,
            version,
            reader,
            tuning,
            for_recording: true,
            unreadable: RefCell::default(),
        }
    }
}

fn tune(conn: &Connection, path: &Path, tuning: Tuning) -> Result<(), StoreError> {
    conn.busy_timeout(tuning.busy_timeout)
        .map_err(|e| sql(path, e))?;
    if let Some(pages) = tuning.max_pages {
        let pages = i64::try_from(pages).unwrap_or(i64::MAX);
        conn.pragma_update(None, "max_page_count", pages)
            .map_err(|e| sql(path, e))?;
    }
    Ok(())
}

/// Switches the store to WAL. SQLite answers a switch that meets another connection's lock
/// with "busy" at once, without waiting (two openers of a new store at the same moment: the
/// browser's desk and its access log's anchoring), so it is tried again until the busy timeout.
fn to_wal(conn: &Connection, tuning: Tuning) -> rusqlite::Result<()> {
    let until = std::time::Instant::now() + tuning.busy_timeout;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && std::time::Instant::now() < until =>
            {
                std::thread::sleep(std::time::Duration::from_millis(5));
            }
            done => return done,
        }
    }
}

/// What the file at `path` is, seen through a connection that writes nothing: read `immutable`
/// (nothing created beside it) unless some connection has it open in WAL mode (it has a `-shm`),
/// in which case it is read through the log like any reader. The connection is returned for a
/// caller that only reads.
fn inspect(path: &Path) -> Result<(Identity, Option<(Connection, ReadAccess)>), StoreError> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Identity::New, None)),
        Err(e) => return Err(unavailable(path, &e)),
        Ok(meta) if meta.len() == 0 => return Ok((Identity::New, None)),
        Ok(_) => {}
    }
    let access = if Companions::of(path).index_exists() {
        ReadAccess::Shared
    } else {
        ReadAccess::Immutable
    };
    let conn = access.connect(path).map_err(|e| classify(path, e))?;
    // Never write another program's log back into its file when this connection closes.
    let _ = conn.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
    match identify(&conn, path) {
        Ok(identity) => Ok((identity, Some((conn, access)))),
        // An immutable read takes no lock: a store another opener is creating at this moment
        // (its tables and id written in one transaction) can read torn — tables with no id, or
        // pages that do not fit together. Look again, each time through a fresh connection (no
        // page kept from before), rather than through a locking one, which would create files
        // beside a foreign database in WAL mode: a few times, and for as long as a writer's
        // rollback journal is there (up to the busy timeout). A foreign file stays foreign: its
        // refusal costs 0.1 s.
        Err(first) if access == ReadAccess::Immutable => {
            drop(conn);
            let started = std::time::Instant::now();
            let writing = || {
                let mut journal = path.as_os_str().to_owned();
                journal.push("-journal");
                std::fs::symlink_metadata(journal).is_ok()
                    && started.elapsed() < Tuning::default().busy_timeout
            };
            let mut tries = 0;
            while tries < 5 || writing() {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(20));
                let Ok(again) = access.connect(path) else {
                    continue;
                };
                let _ = again.set_db_config(DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true);
                if let Ok(identity) = identify(&again, path) {
                    return Ok((identity, Some((again, access))));
                }
            }
            Err(first)
        }
        Err(e) => Err(e),
    }
}

/// Whether the database behind `conn` is a review store (see the module's notes); refuses a
/// newer store, another program's database, and a file that is not a database.
fn identify(conn: &Connection, path: &Path) -> Result<Identity, StoreError> {
    let err = |e| classify(path, e);
    // One read transaction: the id, the version and the tables seen at one moment (a locking
    // connection holds its shared lock until the end).
    let _moment = conn.unchecked_transaction().map_err(err)?;
    let id = schema::application_id(conn).map_err(err)?;
    let version = schema::version(conn).map_err(err)?;
    let newer = || StoreError::Newer {
        path: path.to_path_buf(),
        found: version,
        supported: schema::CURRENT_VERSION,
    };
    let foreign = |what: String| StoreError::Foreign {
        path: path.to_path_buf(),
        what,
    };
    if id == schema::APPLICATION_ID {
        return if version > schema::CURRENT_VERSION {
            Err(newer())
        } else {
            Ok(Identity::Ours { version })
        };
    }
    if id != 0 {
        return Err(foreign(format!("application id {}", describe_id(id))));
    }
    let tables = names(
        conn,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' \
         ESCAPE '\\' ORDER BY name",
    )
    .map_err(err)?;
    if tables.is_empty() {
        return match version {
            0 => Ok(Identity::Empty),
            v if v > schema::CURRENT_VERSION => Err(newer()),
            v => Err(foreign(format!("no tables, user version {v}"))),
        };
    }
    let only_ours = tables
        .iter()
        .all(|t| schema::TABLES_WITHOUT_ID.contains(&t.as_str()));
    let our_events = tables.iter().any(|t| t == "events")
        && names(conn, "SELECT name FROM pragma_table_info('events')").map_err(err)?
            == schema::EVENT_TABLE_COLUMNS;
    if only_ours && our_events && (1..=schema::LAST_VERSION_WITHOUT_ID).contains(&version) {
        return Ok(Identity::Ours { version });
    }
    Err(foreign(describe_tables(&tables, version)))
}

fn names(conn: &Connection, query: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(query)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

/// `0x47504b47 "GPKG"`: the id, and its four bytes as text when they are letters or digits (as
/// most registered ids are).
fn describe_id(id: i32) -> String {
    let bytes = id.to_be_bytes();
    if bytes.iter().all(u8::is_ascii_alphanumeric) {
        format!("{id:#010x} \"{}\"", String::from_utf8_lossy(&bytes))
    } else {
        format!("{id:#010x}")
    }
}

/// `application id 0, tables: moz_bookmarks, moz_places`.
fn describe_tables(tables: &[String], version: i64) -> String {
    const SHOWN: usize = 5;
    let mut list: Vec<String> = tables
        .iter()
        .take(SHOWN)
        .map(|t| crate::sanitize::terminal_text(t).into_owned())
        .collect();
    if tables.len() > SHOWN {
        list.push(format!("… {} in all", tables.len()));
    }
    let version = if version == 0 {
        String::new()
    } else {
        format!(", user version {version}")
    };
    format!("application id 0{version}, tables: {}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_shown_as_numbers_and_as_text_when_they_read_as_text() {
        assert_eq!(describe_id(0x4750_4b47), "0x47504b47 \"GPKG\"");
        assert_eq!(describe_id(0x0f05_5112), "0x0f055112");
        assert_eq!(describe_id(schema::APPLICATION_ID), "0x74727276 \"trrv\"");
    }
}
