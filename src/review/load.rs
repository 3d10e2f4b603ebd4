//! Loading every process's review at once (the browser's start-up), fast enough for 100,000
//! processes in well under 100 ms (README "Review desk", `benches/review_store.rs`).
//!
//! Reading rows into [`Event`]s costs two or three heap strings per event, and allocating and
//! freeing them was most of the load. Here each row is read, borrowed from SQLite, into a small
//! fixed-size [`Row`]: ids as their 128-bit values, kind, verdict and reason as enums, reviewer
//! and Truora status interned (a store holds few distinct ones), the process id appended to one
//! shared byte buffer. Rows are grouped by sorting their indices, and each process is folded by
//! the one [`fold`] everything else uses, through a few [`Event`]s reused from process to process
//! (their strings keep their capacity), so the result is what folding the stored events gives,
//! without a heap string per event. Per process, only what the returned [`Review`] owns is
//! allocated: the map's key and the reviewer names.

use std::collections::HashMap;
use std::ops::Range;

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
        |reviews, process, events| {
            reviews.insert(process.to_owned(), fold(events));
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
    let mut loaded = each_process(store, up_to, start, |s: &mut StartUp, process, events| {
        let key = process.to_owned();
        if let Some(id) = latest_standing_of(events, reviewer) {
            s.mine.push((id, key.clone()));
        }
        s.marks.insert(key, fold(events).into_mark(None, None));
    })?;
    loaded.mine.sort_unstable_by_key(|m| std::cmp::Reverse(m.0));
    Ok(loaded)
}

/// Every process's mark and the reviewer's standing events: see [`Store::start_up`].
#[derive(Debug, Default)]
pub struct StartUp {
    pub marks: HashMap<String, Mark>,
    /// The id of `reviewer`'s newest standing decision or note on each process that has one,
    /// newest first.
    pub mine: Vec<(EventId, String)>,
}

/// Calls `each(&mut out, process, events)` once per process, with its events read as [`fold`]
/// needs them (the process id and a note's text left empty), on what `make` gives for the
/// number of processes (so maps are sized once).
fn each_process<T>(
    store: &Store,
    up_to: i64,
    make: impl FnOnce(usize) -> T,
    mut each: impl FnMut(&mut T, &str, &[Event]),
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
        if scratch.len() < group.len() {
            scratch.resize_with(group.len(), blank_event);
        }
        for (event, &i) in scratch.iter_mut().zip(group) {
            fill(event, &rows.rows[i as usize], &rows);
        }
        each(
            &mut out,
            text(&rows.rows[group[0] as usize]),
            &scratch[..group.len()],
        );
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

fn read_rows(store: &Store, up_to: i64) -> Result<Rows, StoreError> {
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
        let raw_id = text(row, 0).ok().flatten().unwrap_or_default();
        let parsed = read_row(row, &mut rows).map_err(|detail| StoreError::BadRow {
            path: store.path().to_path_buf(),
            id: raw_id.to_string(),
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
    let id = id_of(text(row, 0)?.unwrap_or_default())?;
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
    let supersedes = text(row, 8)?.map(id_of).transpose()?;
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
mod tests {
    use super::*;
    use crate::review::Decision;

    fn verdict(process: &str, reviewer: &str, v: Verdict, status: Status) -> Event {
        let reason = match v {
            Verdict::Pass if status != Status::Success => Some(OverrideReason::RegularClient),
            _ => None,
        };
        let d = Decision::new(v, reason, Some(&status)).expect("valid decision");
        Event::new(process, d.kind(), reviewer, Some(status))
    }

    /// Loading all at once gives, for every process, what folding its stored events gives:
    /// chains, withdraws, notes taken back, conflicts and their settling, unknown statuses.
    #[test]
    fn every_review_is_the_fold_of_its_events() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("r.sqlite3")).unwrap();
        let odd = Status::parse("under_review_by_a_human");
        let a1 = verdict("A", "ana", Verdict::Fail, Status::Failure);
        let mut a2 = verdict("A", "bo", Verdict::Escalate, odd.clone());
        a2.supersedes = Some(a1.id);
        let note = Event::new("B", EventKind::Note { text: "x".into() }, "ana", None);
        let mut unnote = Event::new("B", EventKind::Withdraw, "ana", None);
        unnote.supersedes = Some(note.id);
        let c1 = verdict("C", "ana", Verdict::Fail, Status::Failure);
        let c2 = verdict("C", "bo", Verdict::Escalate, Status::Failure);
        let d1 = verdict("D", "cy", Verdict::Escalate, odd);
        let mut d2 = verdict("D", "cy", Verdict::Fail, Status::Failure);
        d2.supersedes = Some(d1.id);
        let mut d3 = Event::new("D", EventKind::Withdraw, "cy", None);
        d3.supersedes = Some(d2.id);
        let e1 = verdict("E", "ana", Verdict::Fail, Status::Failure);
        let e2 = verdict("E", "bo", Verdict::Pass, Status::Failure);
        let mut e3 = verdict("E", "cy", Verdict::Escalate, Status::Failure);
        e3.supersedes = Some(e2.id);
        e3.resolves = vec![e1.id];
        let single = Event::new("F", EventKind::Note { text: "y".into() }, "dee", None);
        // Recorded out of process order, as several reviewers would.
        for e in [
            &c1, &a1, &note, &d1, &e1, &c2, &a2, &e2, &unnote, &d2, &single, &e3, &d3,
        ] {
            store.record(e).unwrap();
        }
        let (reviews, cursor) = store.reviews().unwrap();
        assert_eq!(cursor, store.cursor().unwrap());
        assert_eq!(reviews.len(), 6);
        for process in ["A", "B", "C", "D", "E", "F"] {
            let expected = fold(&store.events_for(process).unwrap());
            assert_eq!(reviews[process], expected, "process {process}");
        }
        assert!(reviews["C"].conflict);
        assert!(!reviews["E"].conflict);
        assert_eq!(reviews["D"].verdict, Some(Verdict::Escalate));
        assert_eq!(reviews["B"].notes, 0);
    }

    /// A row that cannot be read is reported with its id, as reading it as an event would.
    #[test]
    fn a_bad_row_is_reported_with_its_id() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("r.sqlite3")).unwrap();
        let e = verdict("A", "ana", Verdict::Fail, Status::Failure);
        store.record(&e).unwrap();
        store
            .conn()
            .execute("UPDATE events SET verdict = 'maybe'", [])
            .unwrap();
        match store.reviews() {
            Err(StoreError::BadRow { id, detail, .. }) => {
                assert_eq!(id, e.id.to_string());
                assert!(detail.contains("maybe"), "{detail}");
            }
            other => panic!("expected a bad row, got {other:?}"),
        }
    }
}
