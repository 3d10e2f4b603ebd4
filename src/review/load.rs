//! Loading every process's review at once: the browser's start-up marks ([`start_up`]) and the
//! command line's reviews, fast enough for 100,000 processes within 100 ms (README "Review
//! desk", `benches/review_store.rs`).
//!
//! The rows are read without owned text ([`load_rows`](super::load_rows)), then put straight
//! into the map in the order they were stored: a process seen for the first time gets its value
//! from its row alone (most processes have one event); a process seen again is noted, and once
//! every row is in, each process with several events is folded by the one [`fold`] everything
//! else uses, through a few [`Event`]s reused from process to process, and its value replaced.
//! Either way the result is what folding the stored events gives (`load_tests.rs` compares them
//! over generated streams). Per process only the map's key is allocated: reviewer names are
//! shared.

use std::hash::BuildHasher;

use indexmap::IndexMap;
use indexmap::map::RawEntryApiV1;
use indexmap::map::raw_entry_v1::RawEntryMut;

use super::Marks;
use super::chains::{fold, latest_standing_of};
use super::id::{EventId, Timestamp};
use super::load_rows::{Kind, Parts, Row, Rows, SPLIT_FROM, expected_rows, read};
use super::mark::{Mark, Review};
use super::model::{Event, EventKind};
use super::store::{Cursor, Store, StoreError};

impl Store {
    /// The review of every process that has events, with the cursor they are current to: what
    /// `reviews list | stats | export` read (this module says how; the browser starts
    /// from [`start_up`](Self::start_up)).
    pub fn reviews(&self) -> Result<(indexmap::IndexMap<String, Review>, Cursor), StoreError> {
        let cursor = self.cursor()?;
        Ok((reviews_up_to(self, cursor.0)?, cursor))
    }

    /// What the browser starts with, current to the returned cursor: every process's mark and
    /// `reviewer`'s standing events ([`StartUp`]), without keeping a single
    /// event (100,000 processes within 100 ms, see the bench).
    pub fn start_up(&self, reviewer: &str) -> Result<(StartUp, Cursor), StoreError> {
        let cursor = self.cursor()?;
        Ok((start_up(self, cursor.0, reviewer)?, cursor))
    }
}

/// The review of every process with an event whose arrival number is at most `up_to`.
pub(super) fn reviews_up_to(
    store: &Store,
    up_to: i64,
) -> Result<IndexMap<String, Review>, StoreError> {
    reviews_split_from(store, up_to, SPLIT_FROM)
}

/// [`reviews_up_to`], reading in two halves from `split_from` rows (tests split small stores).
fn reviews_split_from(
    store: &Store,
    up_to: i64,
    split_from: i64,
) -> Result<IndexMap<String, Review>, StoreError> {
    let map = IndexMap::with_capacity(expected_rows(0, up_to));
    let Gathered {
        map: mut reviews,
        groups,
        rows,
    } = gathered(store, up_to, split_from, map, review_of_row)?;
    groups.each_several(&rows, |at, events| reviews[at] = fold(events));
    Ok(reviews)
}

/// What the browser starts with: every process's mark (read against no loaded result, as the
/// browser shows a process it has not opened yet), and `reviewer`'s decisions and notes that
/// still stand (where `u` goes). No event is kept: the browser asks for the full events of a
/// process when it opens it.
pub(super) fn start_up(store: &Store, up_to: i64, reviewer: &str) -> Result<StartUp, StoreError> {
    start_up_split_from(store, up_to, reviewer, SPLIT_FROM)
}

/// [`start_up`], reading in two halves from `split_from` rows (tests split small stores).
fn start_up_split_from(
    store: &Store,
    up_to: i64,
    reviewer: &str,
    split_from: i64,
) -> Result<StartUp, StoreError> {
    let map = Marks::with_capacity_and_hasher(expected_rows(0, up_to), Default::default());
    let Gathered {
        map: mut marks,
        groups,
        rows,
    } = gathered(store, up_to, split_from, map, mark_of_row)?;
    let mut mine = Mine::with_capacity(groups.first.len(), rows.process_id_bytes());
    let mut several = Vec::new();
    groups.each_several(&rows, |at, events| {
        marks[at] = fold(events).into_mark(None, None);
        several.push(at);
        if let Some(id) = latest_standing_of(events, reviewer) {
            mine.push(id, marks.get_index(at).map_or("", |(k, _)| k));
        }
    });
    // The processes with one event: `several` is in increasing order.
    let mut several = several.into_iter().peekable();
    for (at, &first) in groups.first.iter().enumerate() {
        if several.next_if_eq(&at).is_some() {
            continue;
        }
        let (row, part) = rows.get(first as usize);
        if let Some(id) = standing_of_row(row, part, reviewer) {
            mine.push(id, part.process_of(row));
        }
    }
    Ok(StartUp { marks, mine })
}

/// What both loads start from: every row, each process in the map with the value of its first
/// row, and the groups of those with several.
struct Gathered<V, S> {
    map: IndexMap<String, V, S>,
    groups: Groups,
    rows: Parts,
}

/// Reads every row up to `up_to` (see [`read`]) and puts it in `map` as [`Groups::gather`] does.
fn gathered<V, S: BuildHasher>(
    store: &Store,
    up_to: i64,
    split_from: i64,
    mut map: IndexMap<String, V, S>,
    one: impl Fn(&Row, &Rows) -> V,
) -> Result<Gathered<V, S>, StoreError> {
    let mut groups = Groups::default();
    let rows = read(store, up_to, split_from, |part, before| {
        groups.gather(&mut map, part, before, &one);
    })?;
    groups.sort();
    Ok(Gathered { map, groups, rows })
}

/// The processes of the rows, in the order they first appear.
#[derive(Default)]
struct Groups {
    /// Each process's first row, by its index in the map.
    first: Vec<u32>,
    /// (process's index in the map, row) for every row after a process's first, sorted once all
    /// are in: the processes with several events.
    later: Vec<(u32, u32)>,
}

impl Groups {
    /// Puts the processes of `part` (whose first row is row `before` of the load) in `map`, a
    /// new one with `one` of its first row, and notes the rows of processes seen before.
    fn gather<V, S: BuildHasher>(
        &mut self,
        map: &mut IndexMap<String, V, S>,
        part: &Rows,
        before: usize,
        one: impl Fn(&Row, &Rows) -> V,
    ) {
        self.first.reserve(part.len());
        for (at, row) in (index(before)..).zip(part.iter()) {
            let process = part.process_of(row);
            // One hash per row: the raw entry both finds and inserts.
            match map.raw_entry_mut_v1().from_key(process) {
                RawEntryMut::Occupied(seen) => self.later.push((index(seen.index()), at)),
                RawEntryMut::Vacant(new) => {
                    new.insert(process.to_owned(), one(row, part));
                    self.first.push(at);
                }
            }
        }
    }

    /// Once every part is in: groups the later rows by process.
    fn sort(&mut self) {
        self.later.sort_unstable();
    }

    /// Calls `each(index, events)` for every process with several events, in increasing index
    /// order, its events filled into a few reused ones (process id and a note's text left empty:
    /// [`fold`] reads neither).
    fn each_several(&self, rows: &Parts, mut each: impl FnMut(usize, &[Event])) {
        let mut scratch: Vec<Event> = Vec::new();
        for group in self.later.chunk_by(|a, b| a.0 == b.0) {
            let at = group[0].0 as usize;
            let all = std::iter::once(self.first[at]).chain(group.iter().map(|&(_, row)| row));
            if scratch.len() < group.len() + 1 {
                scratch.resize_with(group.len() + 1, blank_event);
            }
            for (event, at) in scratch.iter_mut().zip(all) {
                let (row, part) = rows.get(at as usize);
                fill(event, row, part);
            }
            each(at, &scratch[..group.len() + 1]);
        }
    }
}

/// A map or row index as the groups keep it; a store never holds 4 billion events.
fn index(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// The review of a process whose only event is `row`: what [`fold`] would find, without its
/// bookkeeping.
fn review_of_row(row: &Row, rows: &Rows) -> Review {
    let name = rows.reviewer_of(row);
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
            review.seen_status = rows.status_of(row).cloned();
            review.decided_by = Some(name.clone());
            review.decided_at = Some(Timestamp(row.at));
        }
    }
    review
}

/// The mark of a process whose only event is `row`, as [`review_of_row`] and
/// [`Review::into_mark`] would make it, without the whole review in between.
fn mark_of_row(row: &Row, rows: &Rows) -> Mark {
    let mut mark = Mark::default();
    match row.kind {
        Kind::Note => mark.notes = 1,
        Kind::Withdraw => {}
        Kind::Verdict(verdict, reason) => {
            mark.verdict = Some(verdict);
            mark.reason = reason;
            mark.seen_status = rows.status_of(row).cloned();
            mark.decided_by = Some(rows.reviewer_of(row).clone());
        }
    }
    mark.read_against(None, None)
}

/// `reviewer`'s standing event on a process whose only event is `row`: what
/// [`latest_standing_of`] would find.
fn standing_of_row(row: &Row, rows: &Rows, reviewer: &str) -> Option<EventId> {
    let resolves = rows.resolves_of(row);
    let stands = **rows.reviewer_of(row) == *reviewer
        && match row.kind {
            Kind::Note => true,
            Kind::Withdraw => false,
            // Foreign data may name the verdict itself as replaced.
            Kind::Verdict(..) => row.supersedes != Some(row.id) && !resolves.contains(&row.id),
        };
    stands.then_some(row.id)
}

/// Every process's mark and the reviewer's standing events: see [`Store::start_up`].
#[derive(Debug, Default)]
pub struct StartUp {
    pub marks: Marks,
    pub mine: Mine,
}

/// At start-up, the id of a reviewer's newest standing decision or note on each process that
/// has one: where `u` goes for processes whose events the browser has not loaded. Up to one entry
/// per process (100,000 in the bench, where one reviewer made every event), so their process ids
/// share one buffer rather than taking a string each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mine {
    ids: String,
    /// Each event, and where its process id ends in `ids` (it starts where the previous ends).
    entries: Vec<(EventId, usize)>,
}

impl Mine {
    /// Room for `entries` entries whose ids take `bytes` bytes; only what is written is touched.
    fn with_capacity(entries: usize, bytes: usize) -> Mine {
        Mine {
            ids: String::with_capacity(bytes),
            entries: Vec::with_capacity(entries),
        }
    }

    pub fn push(&mut self, id: EventId, process: &str) {
        self.ids.push_str(process);
        self.entries.push((id, self.ids.len()));
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (EventId, &str)> {
        let starts = std::iter::once(0).chain(self.entries.iter().map(|&(_, end)| end));
        self.entries
            .iter()
            .zip(starts)
            .map(|(&(id, end), start)| (id, &self.ids[start..end]))
    }

    /// The newest entry whose process `wanted` accepts (one pass: `u` asks once per press).
    pub fn newest(&self, mut wanted: impl FnMut(&str) -> bool) -> Option<(EventId, &str)> {
        self.iter()
            .filter(|(_, process)| wanted(process))
            .max_by_key(|&(id, _)| id)
    }
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
    event.reviewer.push_str(rows.reviewer_of(row));
    event.at = Timestamp(row.at);
    let status = rows.status_of(row);
    if event.truora_status.as_ref() != status {
        event.truora_status = status.cloned();
    }
    event.supersedes = row.supersedes;
    event.resolves.clear();
    event.resolves.extend_from_slice(rows.resolves_of(row));
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
