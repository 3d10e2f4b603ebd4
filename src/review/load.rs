//! Loading every process's review at once: the browser's start-up marks ([`start_up`]) and the
//! command line's reviews, fast enough for 100,000 processes in well under 100 ms (README
//! "Review desk", `benches/review_store.rs`).
//!
//! Reading rows into [`Event`]s costs two or three heap strings per event, and allocating and
//! freeing them was most of the load. Here each row is read, borrowed from SQLite, into a small
//! fixed-size [`Row`]: ids as their 128-bit values, kind, verdict and reason as enums, reviewer
//! and Truora status interned (a store holds few distinct ones), the process id appended to one
//! shared byte buffer. Rows are grouped by sorting their indices. A process with one event (most
//! of them) gets its review straight from its row; one with several is folded by the one [`fold`]
//! everything else uses, through a few [`Event`]s reused from process to process. Either way the
//! result is what folding the stored events gives (`load_tests.rs` compares them over generated
//! streams). Per process, only the map's key is allocated: reviewer names are shared.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use rusqlite::types::ValueRef;

use super::id::{EventId, Timestamp};
use super::mark::{Mark, Review, fold, latest_standing_of};
use super::model::{Event, EventKind, OverrideReason, Verdict};
use super::store::{Store, StoreError};
use crate::api::model::Status;

/// What [`fold`] needs of one event, without owned text.
struct Row {
    id: EventId,
    /// The process id's bytes in [`Rows::process_ids`].
    process: Range<u32>,
    kind: Kind,
    /// Index into [`Rows::reviewers`].
    reviewer: u32,
    at: i64,
    /// Index into [`Rows::statuses`].
    status: Option<u32>,
    supersedes: Option<EventId>,
    /// The ids it resolves, in [`Rows::resolves`] (empty almost always).
    resolves: Range<u32>,
}

#[derive(Clone, Copy)]
enum Kind {
    Verdict(Verdict, Option<OverrideReason>),
    Withdraw,
    /// A note's text is not read: a review only counts notes.
    Note,
}

/// Every row read, and the shared storage their text lives in.
#[derive(Default)]
struct Rows {
    rows: Vec<Row>,
    process_ids: String,
    reviewers: Interner,
    status_names: Interner,
    statuses: Vec<Status>,
    resolves: Vec<EventId>,
}

/// Distinct strings, each stored once and named by its index. The last one found is tried
/// first: rows of one reviewer, or of one status, tend to come together.
#[derive(Default)]
struct Interner {
    index: HashMap<Box<str>, u32>,
    values: Vec<String>,
    /// The same, to share (a review names its reviewers without copying them).
    shared: Vec<Arc<str>>,
    last: Option<u32>,
}

impl Interner {
    /// The index of `text`, and whether it is new.
    fn intern(&mut self, text: &str) -> (u32, bool) {
        if let Some(last) = self.last
            && self.values[last as usize] == text
        {
            return (last, false);
        }
        let (at, new) = match self.index.get(text) {
            Some(&at) => (at, false),
            None => {
                let at = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
                self.index.insert(text.into(), at);
                self.values.push(text.to_owned());
                self.shared.push(text.into());
                (at, true)
            }
        };
        self.last = Some(at);
        (at, new)
    }
}

/// The review of every process with an event whose arrival number is at most `up_to`.
pub(super) fn reviews_up_to(
    store: &Store,
    up_to: i64,
) -> Result<HashMap<String, Review>, StoreError> {
    each_process(
        store,
        up_to,
        HashMap::with_capacity,
        |reviews, process, group| {
            reviews.insert(process.to_owned(), group.review());
        },
    )
}

/// What the browser starts with: every process's mark (read against no loaded result, as the
/// browser shows a process it has not opened yet), and `reviewer`'s decisions and notes that
/// still stand, newest first (where `u` goes). No event is kept: the browser asks for the full
/// events of a process when it opens it.
pub(super) fn start_up(store: &Store, up_to: i64, reviewer: &str) -> Result<StartUp, StoreError> {
    let start = |processes| StartUp {
        marks: HashMap::with_capacity(processes),
        mine: Vec::new(),
    };
    let mut loaded = each_process(store, up_to, start, |s: &mut StartUp, process, group| {
        let key = process.to_owned();
        if let Some(id) = group.standing_of(reviewer) {
            s.mine.push((id, key.clone()));
        }
        s.marks.insert(key, group.review().into_mark(None, None));
    })?;
    loaded.mine.sort_unstable_by_key(|m| std::cmp::Reverse(m.0));
    Ok(loaded)
}

/// The events of one process, as [`each_process`] hands them over.
enum Group<'a> {
    /// One event (most processes): read straight from its row, with what [`fold`] and
    /// [`latest_standing_of`] would find for it, without their bookkeeping.
    One(&'a Row, &'a Rows),
    /// Several: as events, for the one [`fold`].
    Many(&'a [Event]),
}

impl Group<'_> {
    fn review(&self) -> Review {
        let (row, rows) = match self {
            Group::Many(events) => return fold(*events),
            Group::One(row, rows) => (row, rows),
        };
        let name = &rows.reviewers.shared[row.reviewer as usize];
        let mut review = Review {
            last_reviewer: Some(name.clone()),
            last_at: Some(Timestamp(row.at)),
            ..Review::default()
        };
        match row.kind {
            Kind::Note => review.notes = 1,
            Kind::Withdraw => review.head = Some(row.id),
            Kind::Verdict(verdict, reason) => {
                review.head = Some(row.id);
                review.verdict = Some(verdict);
                review.reason = reason;
                review.seen_status = row.status.map(|s| rows.statuses[s as usize].clone());
                review.decided_by = Some(name.clone());
                review.decided_at = Some(Timestamp(row.at));
            }
        }
        review
    }

    /// `reviewer`'s newest decision or note here that still stands.
    fn standing_of(&self, reviewer: &str) -> Option<EventId> {
        let (row, rows) = match self {
            Group::Many(events) => return latest_standing_of(*events, reviewer),
            Group::One(row, rows) => (row, rows),
        };
        let resolves = &rows.resolves[row.resolves.start as usize..row.resolves.end as usize];
        let stands = *rows.reviewers.values[row.reviewer as usize] == *reviewer
            && match row.kind {
                Kind::Note => true,
                Kind::Withdraw => false,
                // Foreign data may name the verdict itself as replaced.
                Kind::Verdict(..) => row.supersedes != Some(row.id) && !resolves.contains(&row.id),
            };
        stands.then_some(row.id)
    }
}

/// Every process's mark and the reviewer's standing events: see [`Store::start_up`].
#[derive(Debug, Default)]
pub struct StartUp {
    pub marks: HashMap<String, Mark>,
    /// The id of `reviewer`'s newest standing decision or note on each process that has one,
    /// newest first.
    pub mine: Vec<(EventId, String)>,
}

/// Calls `each(&mut out, process, group)` once per process, with its events (as events only when
/// there are several: the process id and a note's text left empty), on what `make` gives for
/// the number of processes (so maps are sized once).
fn each_process<T>(
    store: &Store,
    up_to: i64,
    make: impl FnOnce(usize) -> T,
    mut each: impl FnMut(&mut T, &str, Group<'_>),
) -> Result<T, StoreError> {
    let rows = read_rows(store, up_to)?;
    let text = |r: &Row| &rows.process_ids[r.process.start as usize..r.process.end as usize];
    // Sorting indices, not rows, moves 4 bytes per swap.
    let mut order: Vec<u32> = (0..u32::try_from(rows.rows.len()).unwrap_or(u32::MAX)).collect();
    order.sort_unstable_by(|&a, &b| {
        let (a, b) = (&rows.rows[a as usize], &rows.rows[b as usize]);
        text(a).cmp(text(b)).then(a.id.cmp(&b.id))
    });
    let same = |&a: &u32, &b: &u32| text(&rows.rows[a as usize]) == text(&rows.rows[b as usize]);
    let mut out = make(order.chunk_by(same).count());
    let mut scratch: Vec<Event> = Vec::new();
    for group in order.chunk_by(same) {
        let first = &rows.rows[group[0] as usize];
        if group.len() == 1 {
            each(&mut out, text(first), Group::One(first, &rows));
            continue;
        }
        if scratch.len() < group.len() {
            scratch.resize_with(group.len(), blank_event);
        }
        for (event, &i) in scratch.iter_mut().zip(group) {
            fill(event, &rows.rows[i as usize], &rows);
        }
        each(&mut out, text(first), Group::Many(&scratch[..group.len()]));
    }
    Ok(out)
}

fn blank_event() -> Event {
    Event {
        id: EventId(0),
        process_id: String::new(),
        kind: EventKind::Withdraw,
        reviewer: String::new(),
        at: Timestamp(0),
        truora_status: None,
        supersedes: None,
        resolves: Vec::new(),
    }
}

/// Makes `event` the event `row` stands for, reusing its storage. The process id is left out:
/// [`fold`] does not read it, and the map's key carries it.
fn fill(event: &mut Event, row: &Row, rows: &Rows) {
    event.id = row.id;
    event.kind = match row.kind {
        Kind::Verdict(verdict, reason) => EventKind::Verdict { verdict, reason },
        Kind::Withdraw => EventKind::Withdraw,
        Kind::Note => EventKind::Note {
            text: String::new(),
        },
    };
    event.reviewer.clear();
    event
        .reviewer
        .push_str(&rows.reviewers.values[row.reviewer as usize]);
    event.at = Timestamp(row.at);
    let status = row.status.map(|s| &rows.statuses[s as usize]);
    if event.truora_status.as_ref() != status {
        event.truora_status = status.cloned();
    }
    event.supersedes = row.supersedes;
    event.resolves.clear();
    event
        .resolves
        .extend_from_slice(&rows.resolves[row.resolves.start as usize..row.resolves.end as usize]);
}

/// Every row up to `up_to`. The file is read through a memory map for the length of the load
/// (SQLite's `mmap_size`; off again after it): the table is read once, end to end, and mapping it
/// spares copying every page through `read` into SQLite's page cache.
fn read_rows(store: &Store, up_to: i64) -> Result<Rows, StoreError> {
    let conn = store.conn();
    // Best effort: a build or file where mapping is refused reads as before.
    let _ = conn.pragma_update(None, "mmap_size", LOAD_MMAP_BYTES);
    let rows = read_rows_mapped(store, up_to);
    let _ = conn.pragma_update(None, "mmap_size", 0);
    rows
}

/// Enough for a store of a few million events; SQLite maps no more than the file's size.
const LOAD_MMAP_BYTES: i64 = 1 << 30;

fn read_rows_mapped(store: &Store, up_to: i64) -> Result<Rows, StoreError> {
    let mut stmt = store
        .conn()
        .prepare_cached(
            "SELECT id, process_id, kind, verdict, reason, reviewer, at_ms, truora_status, \
             supersedes, resolves FROM events WHERE seq <= ?1",
        )
        .map_err(|e| store.sql_error(e))?;
    let mut found = stmt.query([up_to]).map_err(|e| store.sql_error(e))?;
    let mut rows = Rows::default();
    rows.rows.reserve(usize::try_from(up_to).unwrap_or(0));
    while let Some(row) = found.next().map_err(|e| store.sql_error(e))? {
        let parsed = read_row(row, &mut rows).map_err(|detail| StoreError::BadRow {
            path: store.path().to_path_buf(),
            id: text(row, 0).ok().flatten().unwrap_or_default().to_string(),
            detail,
        })?;
        rows.rows.push(parsed);
    }
    Ok(rows)
}

/// Column `i` as text borrowed from SQLite, `None` for NULL.
fn text<'r>(row: &'r rusqlite::Row<'_>, i: usize) -> Result<Option<&'r str>, String> {
    match row.get_ref(i).map_err(|e| e.to_string())? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) => std::str::from_utf8(t)
            .map(Some)
            .map_err(|_| format!("column {i} is not UTF-8")),
        _ => Err(format!("column {i} is not text")),
    }
}

fn id_of(t: &str) -> Result<EventId, String> {
    EventId::parse(t).ok_or_else(|| format!("bad event id {t:?}"))
}

/// Column `i` as an event id, read from its bytes (an id is ASCII: no UTF-8 check needed).
fn id_at(row: &rusqlite::Row<'_>, i: usize) -> Result<Option<EventId>, String> {
    match row.get_ref(i).map_err(|e| e.to_string())? {
        ValueRef::Null => Ok(None),
        ValueRef::Text(t) => EventId::parse_bytes(t)
            .map(Some)
            .ok_or_else(|| format!("bad event id {:?}", String::from_utf8_lossy(t))),
        _ => Err(format!("column {i} is not text")),
    }
}

fn offset(len: usize) -> Result<u32, String> {
    u32::try_from(len).map_err(|_| "the review store is too large to load at once".to_string())
}

/// One row into `rows`' storage; the same checks, and messages, as reading a full event.
fn read_row(row: &rusqlite::Row<'_>, rows: &mut Rows) -> Result<Row, String> {
    let kind = match text(row, 2)? {
        Some("verdict") => {
            let v = text(row, 3)?.unwrap_or_default();
            Kind::Verdict(
                Verdict::from_wire(v).ok_or_else(|| format!("bad verdict {v:?}"))?,
                text(row, 4)?
                    .map(|r| {
                        OverrideReason::from_wire(r).ok_or_else(|| format!("bad reason {r:?}"))
                    })
                    .transpose()?,
            )
        }
        Some("withdraw") => Kind::Withdraw,
        Some("note") => Kind::Note,
        other => return Err(format!("bad kind {other:?}")),
    };
    let id = id_at(row, 0)?.ok_or_else(|| "bad event id \"\"".to_string())?;
    let start = offset(rows.process_ids.len())?;
    rows.process_ids.push_str(text(row, 1)?.unwrap_or_default());
    let process = start..offset(rows.process_ids.len())?;
    let reviewer = rows.reviewers.intern(text(row, 5)?.unwrap_or_default()).0;
    let at = row.get(6).map_err(|e| e.to_string())?;
    let status = match text(row, 7)? {
        Some(name) => {
            let (at, new) = rows.status_names.intern(name);
            if new {
                rows.statuses.push(Status::parse(name));
            }
            Some(at)
        }
        None => None,
    };
    let supersedes = id_at(row, 8)?;
    let first = offset(rows.resolves.len())?;
    if let Some(list) = text(row, 9)? {
        for id in list.split_whitespace() {
            rows.resolves.push(id_of(id)?);
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

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
