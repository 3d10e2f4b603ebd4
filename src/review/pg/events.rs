//! The team store's events as [`Event`]s, both ways: the read side reads what the SQLite store
//! reads (the same columns, the same checks and words for a row that cannot be read, which is
//! passed over and reported by id, never the reason every other one goes unshown); the write side
//! leaves `reviewer` to the server (`session_user`).
//!
//! Not yet behind the store interface: the browser and `reviews` commands use SQLite until the
//! store trait lands (ISSUE 18); this is what that trait's PostgreSQL side will call.

use postgres::Client;

use super::PgError;
use crate::api::model::Status;
use crate::review::error::Unreadable;
use crate::review::id::{EventId, Timestamp};
use crate::review::model::{Event, EventKind, OverrideReason, Verdict};
use crate::review::rows::{Columns, bad_id, bad_kind, bad_reason, bad_verdict, columns};

const COLUMNS: &str = "id, process_id, kind, verdict, reason, note, reviewer, at_ms, \
                       truora_status, supersedes, resolves";

/// Every event, in id order (as `Store::all_events`), and those that could not be read.
pub fn all_events(client: &mut Client, at: &str) -> Result<(Vec<Event>, Vec<Unreadable>), PgError> {
    let rows = client
        .query(
            &format!("SELECT {COLUMNS} FROM truora_review.events ORDER BY id"),
            &[],
        )
        .map_err(|e| PgError::refused(at, &e))?;
    let mut events = Vec::with_capacity(rows.len());
    let mut unreadable = Vec::new();
    for row in &rows {
        match event_of(row) {
            Ok(e) => events.push(e),
            Err(u) => unreadable.push(u),
        }
    }
    Ok((events, unreadable))
}

fn event_of(row: &postgres::Row) -> Result<Event, Unreadable> {
    // Every column is text but `at_ms` (the schema says so); a value of another type reads as
    // missing and is reported as such, never a panic.
    let text = |i: usize| -> Option<&str> { row.try_get::<_, Option<&str>>(i).ok().flatten() };
    let raw_id = text(0).unwrap_or_default();
    let read = || -> Result<Event, String> {
        let id_of =
            |column: &str, t: &str| EventId::parse(t).ok_or_else(|| bad_id(column, t.as_bytes()));
        let kind = match text(2) {
            Some("verdict") => {
                let v = text(3);
                let verdict = v
                    .and_then(Verdict::from_wire)
                    .ok_or_else(|| bad_verdict(v.map(str::as_bytes)))?;
                let reason = match text(4) {
                    None => None,
                    Some(r) => {
                        Some(OverrideReason::from_wire(r).ok_or_else(|| bad_reason(r.as_bytes()))?)
                    }
                };
                EventKind::Verdict { verdict, reason }
            }
            Some("withdraw") => EventKind::Withdraw,
            Some("note") => EventKind::Note {
                text: text(5).unwrap_or_default().to_owned(),
            },
            other => return Err(bad_kind(other.map(str::as_bytes))),
        };
        Ok(Event {
            id: id_of("id", raw_id)?,
            process_id: text(1).unwrap_or_default().to_owned(),
            kind,
            reviewer: text(6).unwrap_or_default().to_owned(),
            at: Timestamp(
                row.try_get::<_, i64>(7)
                    .map_err(|_| "its at_ms is not a number".to_owned())?,
            ),
            truora_status: text(8).map(Status::parse),
            supersedes: text(9).map(|s| id_of("supersedes", s)).transpose()?,
            resolves: match text(10) {
                Some(list) => list
                    .split_whitespace()
                    .map(|s| id_of("resolves", s))
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            },
        })
    };
    read().map_err(|detail| Unreadable {
        id: raw_id.to_owned(),
        detail,
    })
}

/// Records `e` as the connected role (its `reviewer` is the server's word, not `e`'s); an event
/// whose id is already there is left as it was (`false`), so recording twice is recording once.
pub fn insert(client: &mut Client, at: &str, e: &Event) -> Result<bool, PgError> {
    insert_with(client, at, e, false)
}

/// [`insert`] keeping `e.reviewer`: only the store's owner may (moving a local store's events,
/// reviewers' names and all, into the team store); the server refuses anyone else.
pub fn insert_as_recorded(client: &mut Client, at: &str, e: &Event) -> Result<bool, PgError> {
    insert_with(client, at, e, true)
}

fn insert_with(
    client: &mut Client,
    at: &str,
    e: &Event,
    keep_reviewer: bool,
) -> Result<bool, PgError> {
    let Columns {
        verdict,
        reason,
        note,
        resolves,
    } = columns(e);
    let id = e.id.to_string();
    let status = e.truora_status.as_ref().map(ToString::to_string);
    let supersedes = e.supersedes.map(|id| id.to_string());
    let at_ms = e.at.millis();
    let reviewer = keep_reviewer.then_some(e.reviewer.as_str());
    let inserted = client
        .execute(
            "INSERT INTO truora_review.events (id, process_id, kind, verdict, reason, note, \
             reviewer, at_ms, truora_status, supersedes, resolves) \
             VALUES ($1, $2, $3, $4, $5, $6, coalesce($7, session_user), $8, $9, $10, $11) \
             ON CONFLICT (id) DO NOTHING",
            &[
                &id,
                &e.process_id,
                &e.kind.wire_name(),
                &verdict,
                &reason,
                &note,
                &reviewer,
                &at_ms,
                &status,
                &supersedes,
                &resolves,
            ],
        )
        .map_err(|err| PgError::refused(at, &err))?;
    Ok(inserted == 1)
}
