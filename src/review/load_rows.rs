//! Reading the event rows for the loads in [`load`](super::load), without owned text.
//!
//! Each row is read, borrowed from SQLite, into a small fixed-size [`Row`]: ids as their 128-bit
//! values, kind, verdict and reason as enums, reviewer and Truora status interned (a store holds
//! few distinct ones), the process id appended to one shared buffer. A large store is read in two
//! halves at once, the second on its own connection in a second thread: stepping through SQLite
//! is half the load, and events are never rewritten, so both halves read exactly what the
//! arrival numbers name.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use super::files::classify;
use super::id::EventId;
use super::model::{OverrideReason, Verdict};
use super::rows::{bad_id, bad_kind, bad_reason, bad_verdict, not_text, not_utf8};
use super::store::{Store, StoreError, Unreadable};
use crate::api::model::Status;

/// What [`fold`](super::chains::fold) needs of one event, without owned text.
pub(super) struct Row {
    pub id: EventId,
    /// The process id's bytes in [`Rows::process_ids`].
    process: Range<u32>,
    pub kind: Kind,
    /// Index into [`Rows::reviewers`].
    reviewer: u32,
    pub at: i64,
    /// Index into [`Rows::statuses`].
    status: Option<u32>,
    pub supersedes: Option<EventId>,
    /// The ids it resolves, in [`Rows::resolves`] (empty almost always).
    resolves: Range<u32>,
}

#[derive(Clone, Copy)]
pub(super) enum Kind {
    Verdict(Verdict, Option<OverrideReason>),
    Withdraw,
    /// A note's text is not read: a review only counts notes.
    Note,
}

/// Rows read on one connection, and the storage their text lives in.
#[derive(Default)]
pub(super) struct Rows {
    rows: Vec<Row>,
    process_ids: String,
    reviewers: Interner,
    status_names: Interner,
    statuses: Vec<Status>,
    resolves: Vec<EventId>,
    /// Rows that could not be read: passed over, and noted on the store once the load is done.
    bad: Vec<Unreadable>,
}

impl Rows {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn iter(&self) -> std::slice::Iter<'_, Row> {
        self.rows.iter()
    }

    pub fn process_of(&self, row: &Row) -> &str {
        &self.process_ids[row.process.start as usize..row.process.end as usize]
    }

    /// The reviewer's name, shared (a review names its reviewers without copying them).
    pub fn reviewer_of(&self, row: &Row) -> &Arc<str> {
        &self.reviewers.shared[row.reviewer as usize]
    }

    pub fn status_of(&self, row: &Row) -> Option<&Status> {
        row.status.map(|s| &self.statuses[s as usize])
    }

    pub fn resolves_of(&self, row: &Row) -> &[EventId] {
        &self.resolves[row.resolves.start as usize..row.resolves.end as usize]
    }
}

/// Every row read, in the order stored: one part, or two read at once.
pub(super) struct Parts(Vec<Rows>);

impl Parts {
    /// The bytes of every process id read (a bound for copying them all).
    pub fn process_id_bytes(&self) -> usize {
        self.0.iter().map(|p| p.process_ids.len()).sum()
    }

    /// Row `at` of the load, counted across the parts in order (the loader only asks for rows
    /// it has seen).
    pub fn get(&self, mut at: usize) -> (&Row, &Rows) {
        for part in &self.0 {
            match part.rows.get(at) {
                Some(row) => return (row, part),
                None => at -= part.rows.len(),
            }
        }
        panic!("row {at} past the end of the load")
    }
}

/// Distinct strings, each stored once and named by its index. The last one found is tried
/// first: rows of one reviewer, or of one status, tend to come together.
#[derive(Default)]
struct Interner {
    index: HashMap<Box<[u8]>, u32>,
    values: Vec<Box<[u8]>>,
    /// The same as text, to share.
    shared: Vec<Arc<str>>,
    last: Option<u32>,
}

impl Interner {
    /// The index of `bytes`, and whether it is new; its bytes are checked as UTF-8 when new.
    fn intern(&mut self, bytes: &[u8], column: usize) -> Result<(u32, bool), String> {
        if let Some(last) = self.last
            && *self.values[last as usize] == *bytes
        {
            return Ok((last, false));
        }
        let (at, new) = match self.index.get(bytes) {
            Some(&at) => (at, false),
            None => {
                let text = utf8(bytes, column)?;
                let at = offset(self.values.len())?;
                self.index.insert(bytes.into(), at);
                self.values.push(bytes.into());
                self.shared.push(text.into());
                (at, true)
            }
        };
        self.last = Some(at);
        Ok((at, new))
    }
}

/// Stores smaller than this are read on one connection: a second one costs more than it saves.
pub(super) const SPLIT_FROM: i64 = 10_000;

/// Every row whose arrival number is at most `up_to`; in two halves at once when there are at
/// least `split_from`. Each part is handed to `each` (with the number of rows before it) as soon
/// as it is read, in order: the first half is put in the map while the second is still read.
pub(super) fn read(
    store: &Store,
    up_to: i64,
    split_from: i64,
    mut each: impl FnMut(&Rows, usize),
) -> Result<Parts, StoreError> {
    let path = store.path();
    let second = if up_to >= split_from.max(2) {
        store.second_reader()
    } else {
        None
    };
    let Some(second) = second else {
        let mut all = read_range(store.conn(), path, 0, up_to)?;
        each(&all, 0);
        note_bad(store, &mut all);
        return Ok(Parts(vec![all]));
    };
    let half = up_to / 2;
    std::thread::scope(|s| {
        let later = s.spawn(move || read_range(&second, path, half, up_to));
        let first = read_range(store.conn(), path, 0, half);
        if let Ok(first) = &first {
            each(first, 0);
        }
        let later = later
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let first = first?;
        // The second connection may fail where the store's own does not (a read-only folder
        // and its WAL): read that half again on the store's, which reports what is really wrong.
        let later = match later {
            Ok(later) => later,
            Err(_) => read_range(store.conn(), path, half, up_to)?,
        };
        each(&later, first.rows.len());
        let (mut first, mut later) = (first, later);
        note_bad(store, &mut first);
        note_bad(store, &mut later);
        Ok(Parts(vec![first, later]))
    })
}

/// Hands the rows a part passed over to the store, which keeps them for the caller to report.
fn note_bad(store: &Store, rows: &mut Rows) {
    for bad in rows.bad.drain(..) {
        store.skip(bad);
    }
}

/// The rows with arrival numbers in `after + 1 ..= up_to`. The file is read through a memory map
/// for the length of the load (SQLite's `mmap_size`; off again after it): the table is read once,
/// end to end, and mapping it spares copying every page through `read` into SQLite's page cache.
fn read_range(conn: &Connection, path: &Path, after: i64, up_to: i64) -> Result<Rows, StoreError> {
    // Best effort: a build or file where mapping is refused reads as before.
    let _ = conn.pragma_update(None, "mmap_size", LOAD_MMAP_BYTES);
    let rows = read_mapped(conn, path, after, up_to);
    let _ = conn.pragma_update(None, "mmap_size", 0);
    rows
}

/// How many rows arrival numbers `after + 1 ..= up_to` name at most, to reserve room once; a
/// damaged file's huge arrival number reserves no more than [`MAX_RESERVED_ROWS`].
pub(super) fn expected_rows(after: i64, up_to: i64) -> usize {
    usize::try_from(up_to.saturating_sub(after).clamp(0, MAX_RESERVED_ROWS)).unwrap_or(0)
}

const MAX_RESERVED_ROWS: i64 = 1 << 22;

/// A Truora process id's length (`IDP` and 32 hex digits), rounded up.
const TYPICAL_PROCESS_ID: usize = 40;

/// Enough for a store of a few million events; SQLite maps no more than the file's size.
const LOAD_MMAP_BYTES: i64 = 1 << 30;

fn read_mapped(conn: &Connection, path: &Path, after: i64, up_to: i64) -> Result<Rows, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT id, process_id, kind, verdict, reason, reviewer, at_ms, truora_status, \
             supersedes, resolves FROM events WHERE seq > ?1 AND seq <= ?2",
        )
        .map_err(|e| classify(path, e))?;
    let mut found = stmt.query([after, up_to]).map_err(|e| classify(path, e))?;
    let mut rows = Rows::default();
    // Room for every row and typical ids, reserved once: growing them copies what was read.
    // Only the memory written is touched.
    let expected = expected_rows(after, up_to);
    rows.rows.reserve(expected);
    rows.process_ids
        .reserve(expected.saturating_mul(TYPICAL_PROCESS_ID));
    while let Some(row) = found.next().map_err(|e| classify(path, e))? {
        // What a row appended before failing is taken back: the row is passed over whole.
        let kept = (rows.process_ids.len(), rows.resolves.len());
        match read_row(row, &mut rows) {
            Ok(parsed) => rows.rows.push(parsed),
            Err(detail) => {
                rows.process_ids.truncate(kept.0);
                rows.resolves.truncate(kept.1);
                let id = text(row, 0).ok().flatten().unwrap_or_default().to_string();
                rows.bad.push(Unreadable { id, detail });
            }
        }
    }
    Ok(rows)
}

/// The columns [`read_mapped`] selects, by index: for what is said about a row.
const NAMES: [&str; 10] = [
    "id",
    "process_id",
    "kind",
    "verdict",
    "reason",
    "reviewer",
    "at_ms",
    "truora_status",
    "supersedes",
    "resolves",
];

/// Column `i` as bytes borrowed from SQLite, `None` for NULL. Kind, verdict, reason, ids and
/// interned names are matched as bytes: only new text is checked as UTF-8.
fn bytes<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<Option<&'r [u8]>, String> {
    match row.get_ref(i).map_err(|e| e.to_string())? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) => Ok(Some(t)),
        _ => Err(not_text(NAMES[i])),
    }
}

/// Column `i` as text, `None` for NULL.
fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<Option<&'r str>, String> {
    bytes(row, i)?.map(|b| utf8(b, i)).transpose()
}

fn utf8(bytes: &[u8], column: usize) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|_| not_utf8(NAMES[column]))
}

/// Column `i` as an event id (an id is ASCII: no UTF-8 check needed).
fn id_at(row: &rusqlite::Row<'_>, i: usize) -> Result<Option<EventId>, String> {
    bytes(row, i)?.map(|b| id_of(i, b)).transpose()
}

fn id_of(column: usize, b: &[u8]) -> Result<EventId, String> {
    EventId::parse_bytes(b).ok_or_else(|| bad_id(NAMES[column], b))
}

fn offset(len: usize) -> Result<u32, String> {
    u32::try_from(len).map_err(|_| "the review store is too large to load at once".to_string())
}

/// One row into `rows`' storage; the same checks, and messages, as reading a full event.
fn read_row(row: &rusqlite::Row<'_>, rows: &mut Rows) -> Result<Row, String> {
    let kind = match bytes(row, 2)? {
        Some(b"verdict") => {
            let v = bytes(row, 3)?;
            let verdict = v
                .and_then(|v| Verdict::from_wire(std::str::from_utf8(v).ok()?))
                .ok_or_else(|| bad_verdict(v))?;
            let reason = match bytes(row, 4)? {
                None => None,
                Some(r) => Some(
                    std::str::from_utf8(r)
                        .ok()
                        .and_then(OverrideReason::from_wire)
                        .ok_or_else(|| bad_reason(r))?,
                ),
            };
            Kind::Verdict(verdict, reason)
        }
        Some(b"withdraw") => Kind::Withdraw,
        Some(b"note") => Kind::Note,
        other => return Err(bad_kind(other)),
    };
    let id = id_at(row, 0)?.ok_or_else(|| bad_id("id", b""))?;
    let start = offset(rows.process_ids.len())?;
    rows.process_ids.push_str(text(row, 1)?.unwrap_or_default());
    let process = start..offset(rows.process_ids.len())?;
    let reviewer = rows
        .reviewers
        .intern(bytes(row, 5)?.unwrap_or_default(), 5)?
        .0;
    let at = row
        .get(6)
        .map_err(|_| "its at_ms is not a number".to_string())?;
    let status = match bytes(row, 7)? {
        Some(name) => {
            let (at, new) = rows.status_names.intern(name, 7)?;
            if new {
                rows.statuses
                    .push(Status::parse(&rows.status_names.shared[at as usize]));
            }
            Some(at)
        }
        None => None,
    };
    let supersedes = id_at(row, 8)?;
    let first = offset(rows.resolves.len())?;
    if let Some(list) = text(row, 9)? {
        for id in list.split_whitespace() {
            rows.resolves.push(id_of(9, id.as_bytes())?);
        }
    }
    let resolves = first..offset(rows.resolves.len())?;
    Ok(Row {
        id,
        process,
        kind,
        reviewer,
        at,
        status,
        supersedes,
        resolves,
    })
}
