//! `reviews import`: another reviewer's events into this store, checked before anything is
//! written, then added in short transactions.
//!
//! 1. **Check.** Every line is read (at most [`LINE_MAX_BYTES`] of it kept) and checked: JSON of
//!    an event ([`wire`](super::wire)), within the limits below, not naming itself as replaced,
//!    and, when its id is already known (earlier in the file or in the store), with the same
//!    content. Every line refused is reported with its number and why, and then nothing is
//!    imported: a file with a bad line is suspect as a whole, and fixing it and importing again
//!    is safe (importing twice changes nothing).
//! 2. **Add.** The file is read again and its events added [`BATCH`] at a time, each batch one
//!    short transaction: a browser on the same store records between two batches instead of
//!    waiting for the whole import (a 1.2 M-event import used to hold the lock for minutes, and
//!    a decision made meanwhile failed as "database is locked"). A batch that finds the store
//!    busy waits and tries again. Events already present are skipped; one that appeared since
//!    the check with other content is reported and the stored one kept.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{Hash, Hasher};
use std::io::BufRead;
use std::time::Duration;

use rusqlite::{OptionalExtension, TransactionBehavior};

use super::error::StoreError;
use super::id::{EventId, Timestamp};
use super::model::{Event, EventKind};
use super::rows::{EVENT_COLUMNS, event_of, insert};
use super::store::Store;
use super::wire;

/// A note longer than this (in UTF-8 bytes) is refused. The browser's editor stops at 500
/// characters (at most 2,000 bytes), so this leaves eight times that for notes written by other
/// tools, while a hostile file cannot put a 50 MB note into the store, every export of it, and
/// the memory of every browser that opens the process.
pub const NOTE_MAX_BYTES: usize = 16 * 1024;

/// A process id, reviewer name or Truora status longer than this is refused: Truora's ids are
/// 35 characters, names a few dozen.
pub const NAME_MAX_BYTES: usize = 256;

/// A line longer than this is refused without being held whole: a note at its limit, written
/// with JSON escapes (up to six bytes a character), fits with room to spare.
pub const LINE_MAX_BYTES: usize = 8 * NOTE_MAX_BYTES;

/// 2015-01-01T00:00:00Z: no Truora process, and so no decision on one, is older.
pub const EARLIEST: Timestamp = Timestamp(1_420_070_400_000);

/// How far past this machine's clock an event may be dated: clocks disagree, but not by a day.
/// A decision dated in the future (year 9999) would stand over every later one.
pub const FUTURE_SLACK: Duration = Duration::from_secs(24 * 3600);

/// Events added per transaction.
pub const BATCH: usize = 500;

/// A line `reviews import` did not take, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub line: usize,
    pub why: String,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.why)
    }
}

/// What the two steps did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Added {
    /// Events in the file (blank lines aside).
    pub read: usize,
    pub added: usize,
    /// Events the store had already, the same.
    pub already: usize,
    /// Events that appeared in the store, with other content, between the check and the add:
    /// the stored one was kept.
    pub differing: Vec<Refused>,
    /// The processes that got new events, sorted.
    pub touched: Vec<String>,
}

/// Checks `event` against the limits; the error says which field and why.
pub fn check(event: &Event, now: Timestamp) -> Result<(), String> {
    let latest = Timestamp(
        now.0
            .saturating_add(i64::try_from(FUTURE_SLACK.as_millis()).unwrap_or(0)),
    );
    let when = |what: &str, t: Timestamp| -> Result<(), String> {
        if t < EARLIEST {
            Err(format!(
                "{what} {} is before 2015, when no Truora process existed",
                t.iso()
            ))
        } else if t > latest {
            Err(format!(
                "{what} {} is in the future (more than a day past this machine's clock)",
                t.iso()
            ))
        } else {
            Ok(())
        }
    };
    when("`at`", event.at)?;
    when("the time in `id`", event.id.timestamp())?;
    if event.supersedes == Some(event.id) {
        return Err("`supersedes` names the event itself".into());
    }
    if event.resolves.contains(&event.id) {
        return Err("`resolves` names the event itself".into());
    }
    let name = |field: &str, text: &str| -> Result<(), String> {
        if let Some(c) = text.chars().find(|c| c.is_control()) {
            return Err(format!(
                "`{field}` holds the control character U+{:04X}; ids and names are plain text",
                u32::from(c)
            ));
        }
        if text.len() > NAME_MAX_BYTES {
            return Err(format!(
                "`{field}` is {} bytes long (at most {NAME_MAX_BYTES})",
                text.len()
            ));
        }
        Ok(())
    };
    name("process_id", &event.process_id)?;
    name("reviewer", &event.reviewer)?;
    if let Some(status) = &event.truora_status {
        name("truora_status", &status.to_string())?;
    }
    if let EventKind::Note { text } = &event.kind
        && text.len() > NOTE_MAX_BYTES
    {
        return Err(format!(
            "the note is {} bytes long (at most {NOTE_MAX_BYTES}: 16 KiB)",
            text.len()
        ));
    }
    Ok(())
}

/// Step 1: every line refused (none: the file may be added). `store` is the existing store, if
/// any, to compare ids it already holds.
pub fn refused_lines(
    reader: impl BufRead,
    store: Option<&Store>,
    now: Timestamp,
) -> Result<(Vec<Refused>, usize), ImportIoError> {
    let mut refused = Vec::new();
    let mut seen: HashMap<EventId, (u64, usize)> = HashMap::new();
    let mut read = 0;
    for_each_line(reader, |line, text| {
        let event = match text.and_then(|t| {
            let e = wire::from_json_line(t)?;
            check(&e, now)?;
            Ok(e)
        }) {
            Ok(e) => e,
            Err(why) => {
                refused.push(Refused { line, why });
                return Ok(());
            }
        };
        read += 1;
        match seen.entry(event.id) {
            Entry::Occupied(first) => {
                let (digest, at) = *first.get();
                if digest != content(&event) {
                    refused.push(Refused {
                        line,
                        why: format!("event {} is on line {at} too, with other content", event.id),
                    });
                }
                return Ok(());
            }
            Entry::Vacant(slot) => {
                slot.insert((content(&event), line));
            }
        }
        if let Some(store) = store
            && let Some(stored) = stored(store, event.id).map_err(ImportIoError::Store)?
            && stored != Ok(event)
        {
            refused.push(Refused {
                line,
                why: differs(stored.err()),
            });
        }
        Ok(())
    })?;
    Ok((refused, read))
}

/// Step 2: adds the file's events, [`BATCH`] per transaction.
pub fn add(reader: impl BufRead, store: &mut Store) -> Result<Added, ImportIoError> {
    let mut added = Added::default();
    let mut batch: Vec<(usize, Event)> = Vec::with_capacity(BATCH);
    let mut touched = std::collections::BTreeSet::new();
    for_each_line(reader, |line, text| {
        // Checked in step 1; a line that changed since is passed over.
        let Ok(event) = text.and_then(wire::from_json_line) else {
            return Ok(());
        };
        added.read += 1;
        batch.push((line, event));
        if batch.len() == BATCH {
            add_batch(store, &batch, &mut added, &mut touched).map_err(ImportIoError::Store)?;
            batch.clear();
        }
        Ok(())
    })?;
    add_batch(store, &batch, &mut added, &mut touched).map_err(ImportIoError::Store)?;
    added.touched = touched.into_iter().collect();
    Ok(added)
}

/// One batch in one transaction, tried again while the store is busy (another writer holds it
/// for longer than the busy timeout): up to about half a minute more.
fn add_batch(
    store: &mut Store,
    batch: &[(usize, Event)],
    added: &mut Added,
    touched: &mut std::collections::BTreeSet<String>,
) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut pause = Duration::from_millis(250);
    loop {
        match add_once(store, batch) {
            Ok(outcome) => {
                for (i, o) in outcome.into_iter().enumerate() {
                    let (line, event) = &batch[i];
                    match o {
                        Outcome::Added => {
                            added.added += 1;
                            touched.insert(event.process_id.clone());
                        }
                        Outcome::Already => added.already += 1,
                        Outcome::Differs(why) => added.differing.push(Refused { line: *line, why }),
                    }
                }
                return Ok(());
            }
            Err(StoreError::Busy { .. }) if pause < Duration::from_secs(8) => {
                std::thread::sleep(pause);
                pause *= 2;
            }
            Err(e) => return Err(e),
        }
    }
}

enum Outcome {
    Added,
    Already,
    Differs(String),
}

fn add_once(store: &mut Store, batch: &[(usize, Event)]) -> Result<Vec<Outcome>, StoreError> {
    store.check_writable()?;
    let path = store.path().to_path_buf();
    let busy = store.tuning.busy_timeout;
    let err = |e| super::files::classify_waited(&path, e, busy);
    let tx = store
        .conn
        .transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(err)?;
    let mut outcome = Vec::with_capacity(batch.len());
    for (_, event) in batch {
        let found = tx
            .prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1"))
            .and_then(|mut stmt| {
                stmt.query_row([event.id.to_string()], |row| Ok(event_of(row)))
                    .optional()
            })
            .map_err(err)?;
        outcome.push(match found {
            None => {
                insert(&tx, event).map_err(err)?;
                Outcome::Added
            }
            Some(Ok(stored)) if stored == *event => Outcome::Already,
            Some(stored) => Outcome::Differs(differs(stored.err())),
        });
    }
    tx.commit().map_err(err)?;
    Ok(outcome)
}

/// The event stored under `id`, if any (`Err`: stored but unreadable).
fn stored(
    store: &Store,
    id: EventId,
) -> Result<Option<Result<Event, super::error::Unreadable>>, StoreError> {
    store
        .conn()
        .prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1"))
        .and_then(|mut stmt| {
            stmt.query_row([id.to_string()], |row| Ok(event_of(row)))
                .optional()
        })
        .map_err(|e| store.sql_error(e))
}

fn differs(unreadable: Option<super::error::Unreadable>) -> String {
    match unreadable {
        None => "the store holds an event with this id and other content; the stored one is \
                 kept (`reviews export --format jsonl` shows it)"
            .into(),
        Some(bad) => format!(
            "the store holds an unreadable event with this id ({}); it is kept",
            bad.detail
        ),
    }
}

/// A digest of an event's content, to tell two lines with one id apart without keeping both.
fn content(event: &Event) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    wire::to_line(event).hash(&mut h);
    h.finish()
}

/// Reading the file failed (or the store, while checking it).
#[derive(Debug)]
pub enum ImportIoError {
    Io(std::io::Error),
    Store(StoreError),
}

/// Calls `each(line number, text)` for every line but blank ones; the text is `Err` (why) for
/// a line that is too long or not UTF-8. A long line is read to its end but only its first
/// [`LINE_MAX_BYTES`] are kept.
fn for_each_line(
    mut reader: impl BufRead,
    mut each: impl FnMut(usize, Result<&str, String>) -> Result<(), ImportIoError>,
) -> Result<(), ImportIoError> {
    let mut buf = Vec::new();
    let mut number = 0;
    loop {
        buf.clear();
        let mut length = 0usize;
        let mut any = false;
        loop {
            let chunk = reader.fill_buf().map_err(ImportIoError::Io)?;
            if chunk.is_empty() {
                break;
            }
            any = true;
            let end = chunk.iter().position(|&b| b == b'\n');
            let part = &chunk[..end.unwrap_or(chunk.len())];
            if length + part.len() <= LINE_MAX_BYTES {
                buf.extend_from_slice(part);
            }
            length += part.len();
            let used = end.map_or(chunk.len(), |e| e + 1);
            reader.consume(used);
            if end.is_some() {
                break;
            }
        }
        if !any {
            return Ok(());
        }
        number += 1;
        let text = if length > LINE_MAX_BYTES {
            Err(format!(
                "the line is {length} bytes long (at most {LINE_MAX_BYTES}: a note may hold \
                 {NOTE_MAX_BYTES} bytes)"
            ))
        } else {
            std::str::from_utf8(&buf).map_err(|_| "the line is not UTF-8 text".to_string())
        };
        if text.as_deref().is_ok_and(|t| t.trim().is_empty()) {
            continue;
        }
        each(number, text)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::Status;

    fn note(text: &str) -> Event {
        Event::new(
            "IDP1",
            EventKind::Note { text: text.into() },
            "ana",
            Some(Status::Failure),
        )
    }

    #[test]
    fn the_limits_say_which_field_and_why() {
        let now = Timestamp::now();
        assert_eq!(check(&note("fine"), now), Ok(()));
        let big = note(&"x".repeat(NOTE_MAX_BYTES + 1));
        assert!(check(&big, now).unwrap_err().contains("16 KiB"));
        let mut future = note("x");
        future.at = Timestamp::parse("9999-12-31T00:00:00Z").unwrap();
        assert!(check(&future, now).unwrap_err().contains("future"));
        let mut old = note("x");
        old.at = Timestamp::parse("2001-01-01").unwrap();
        assert!(check(&old, now).unwrap_err().contains("before 2015"));
        let mut odd_id = note("x");
        odd_id.id = EventId::generate(Timestamp::parse("2099-01-01").unwrap());
        assert!(check(&odd_id, now).unwrap_err().contains("`id`"));
        let mut itself = note("x");
        itself.supersedes = Some(itself.id);
        assert!(check(&itself, now).unwrap_err().contains("itself"));
        let mut resolves = note("x");
        resolves.resolves = vec![resolves.id];
        assert!(check(&resolves, now).unwrap_err().contains("itself"));
        let mut esc = note("x");
        esc.reviewer = "ana\u{1b}]0;owned\u{7}".into();
        assert!(check(&esc, now).unwrap_err().contains("U+001B"));
        let mut id = note("x");
        id.process_id = "IDP\u{9b}2J".into();
        assert!(check(&id, now).unwrap_err().contains("`process_id`"));
        let mut long = note("x");
        long.reviewer = "a".repeat(NAME_MAX_BYTES + 1);
        assert!(check(&long, now).unwrap_err().contains("at most 256"));
        // A note keeps its line breaks: only names and ids must be one plain line.
        assert_eq!(check(&note("two\nlines\ttab"), now), Ok(()));
    }

    #[test]
    fn long_lines_are_refused_without_being_held_and_numbering_goes_on() {
        let mut file = Vec::new();
        file.extend_from_slice(b"first\n\n");
        file.extend(std::iter::repeat_n(b'x', LINE_MAX_BYTES * 3));
        file.extend_from_slice(b"\n\xff\xfe\nlast");
        let mut seen = Vec::new();
        for_each_line(std::io::Cursor::new(file), |n, text| {
            seen.push((n, text.map(str::to_owned)));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), 4, "the blank line is skipped: {seen:?}");
        assert_eq!(seen[0], (1, Ok("first".into())));
        assert_eq!(seen[1].0, 3);
        assert!(seen[1].1.as_ref().unwrap_err().contains("bytes long"));
        assert_eq!(seen[2].0, 4);
        assert!(seen[2].1.as_ref().unwrap_err().contains("UTF-8"));
        assert_eq!(seen[3], (5, Ok("last".into())));
    }
}
