//! One event as a row of the `events` table, both ways; and, shared with the start-up load
//! (`load_rows.rs`), what is said about a row that cannot be read: in plain words, naming the
//! column and quoting the value, because the person reading it has to find the row.

use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};

use super::error::Unreadable;
use super::id::{EventId, Timestamp};
use super::model::{Event, EventKind, OverrideReason, Verdict};
use crate::api::model::Status;

/// The columns read for a full event, in order.
pub(super) const EVENT_COLUMNS: &str = "id, process_id, kind, verdict, reason, note, reviewer, \
                                        at_ms, truora_status, supersedes, resolves";

const NAMES: [&str; 11] = [
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

/// `bytes` quoted as text, escapes and all (a value from the file may hold anything).
fn quoted(bytes: &[u8]) -> String {
    format!("{:?}", String::from_utf8_lossy(bytes))
}

pub(super) fn bad_kind(kind: Option<&[u8]>) -> String {
    match kind {
        None => "it has no kind".to_string(),
        Some(k) => format!("its kind {} is not verdict, withdraw or note", quoted(k)),
    }
}

pub(super) fn bad_verdict(verdict: Option<&[u8]>) -> String {
    match verdict {
        None => "it is a verdict without one".to_string(),
        Some(v) => format!("its verdict {} is not pass, fail or escalate", quoted(v)),
    }
}

pub(super) fn bad_reason(reason: &[u8]) -> String {
    format!("its reason {} is not an override reason", quoted(reason))
}

pub(super) fn bad_id(column: &str, id: &[u8]) -> String {
    format!("its {column} {} is not an event id", quoted(id))
}

pub(super) fn not_text(column: &str) -> String {
    format!("its {column} is not text")
}

pub(super) fn not_utf8(column: &str) -> String {
    format!("its {column} is not UTF-8 text")
}

/// Row `row` (columns [`EVENT_COLUMNS`]) as an event. Text is borrowed from SQLite where it is
/// only parsed (ids, kind, verdict, reason, status).
pub(super) fn event_of(row: &rusqlite::Row<'_>) -> Result<Event, Unreadable> {
    let bytes = |i: usize| -> Result<Option<&[u8]>, String> {
        match row.get_ref(i).map_err(|e| e.to_string())? {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => Ok(Some(t)),
            _ => Err(not_text(NAMES[i])),
        }
    };
    let text = |i: usize| -> Result<Option<&str>, String> {
        bytes(i)?
            .map(|b| std::str::from_utf8(b).map_err(|_| not_utf8(NAMES[i])))
            .transpose()
    };
    let raw_id = text(0).ok().flatten().unwrap_or_default();
    let read = || -> Result<Event, String> {
        let id_of = |column: usize, t: &str| {
            EventId::parse(t).ok_or_else(|| bad_id(NAMES[column], t.as_bytes()))
        };
        let kind = match bytes(2)? {
            Some(b"verdict") => {
                let v = bytes(3)?;
                let verdict = v
                    .and_then(|v| Verdict::from_wire(std::str::from_utf8(v).ok()?))
                    .ok_or_else(|| bad_verdict(v))?;
                let reason = match bytes(4)? {
                    None => None,
                    Some(r) => Some(
                        std::str::from_utf8(r)
                            .ok()
                            .and_then(OverrideReason::from_wire)
                            .ok_or_else(|| bad_reason(r))?,
                    ),
                };
                EventKind::Verdict { verdict, reason }
            }
            Some(b"withdraw") => EventKind::Withdraw,
            Some(b"note") => EventKind::Note {
                text: text(5)?.unwrap_or_default().to_string(),
            },
            other => return Err(bad_kind(other)),
        };
        Ok(Event {
            id: id_of(0, raw_id)?,
            process_id: text(1)?.unwrap_or_default().to_string(),
            kind,
            reviewer: text(6)?.unwrap_or_default().to_string(),
            at: Timestamp(
                row.get(7)
                    .map_err(|_| "its at_ms is not a number".to_string())?,
            ),
            truora_status: text(8)?.map(Status::parse),
            supersedes: text(9)?.map(|s| id_of(9, s)).transpose()?,
            resolves: match text(10)? {
                Some(list) => list
                    .split_whitespace()
                    .map(|s| id_of(10, s))
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            },
        })
    };
    read().map_err(|detail| Unreadable {
        id: raw_id.to_string(),
        detail,
    })
}

/// An event's columns as both stores keep them (the rest are the event's fields as they are):
/// the verdict, override reason and note split out of its kind, and what it resolves as one
/// space-separated list.
pub(super) struct Columns<'a> {
    pub verdict: Option<&'static str>,
    pub reason: Option<&'static str>,
    pub note: Option<&'a str>,
    pub resolves: Option<String>,
}

pub(super) fn columns(e: &Event) -> Columns<'_> {
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
    Columns {
        verdict,
        reason,
        note,
        resolves,
    }
}

pub(super) fn insert(conn: &Connection, e: &Event) -> rusqlite::Result<usize> {
    let Columns {
        verdict,
        reason,
        note,
        resolves,
    } = columns(e);
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
