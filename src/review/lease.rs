//! Leases: which browsers have which process open, so a team sharing one store does not review
//! the same process twice. Every browser that has a process open holds its own lease on it, so
//! all of them are shown, not only the first. A lease lasts [`LEASE_TTL`] and is renewed while
//! the process stays open; an expired lease is simply ignored (a browser that was killed holds
//! nothing for long).
//!
//! A lease is held by a browser *session* ([`Holder`]), not by a reviewer name: reviewers on one
//! host often share one Unix account (the store is 0600), and the default name is the login
//! name, so two colleagues' browsers commonly carry the same name. Each must still see the other's
//! lease, and never its own.

use std::collections::HashMap;
use std::time::Duration;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::id::{EventId, Timestamp};
use super::store::{Store, StoreError};

/// How long a lease lasts unless renewed (every third of it, ~10 s, while the process stays
/// open): a browser that died without releasing (`kill -9`, a power cut) holds its process at
/// most this long.
pub const LEASE_TTL: Duration = Duration::from_secs(30);

/// Who takes leases: one browser session, and the reviewer's name to show to the others.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    /// Unique per browser run (a ULID made when it starts).
    pub session: String,
    pub reviewer: String,
}

impl Holder {
    /// A new session for `reviewer`.
    pub fn new(reviewer: &str) -> Holder {
        Holder {
            session: EventId::generate(Timestamp::now()).to_string(),
            reviewer: reviewer.to_owned(),
        }
    }
}

/// Who holds a process, until when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    pub reviewer: String,
    pub expires: Timestamp,
}

/// What [`Store::take_lease`] got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeaseOutcome {
    /// The lease is ours until `expires` (taken or renewed).
    Taken { expires: Timestamp },
    /// Ours too, until `expires`, but another session has it open as well (the one shown).
    HeldBy(Lease),
}

fn ttl_ms(ttl: Duration) -> i64 {
    i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX)
}

impl Store {
    /// Takes or renews `me`'s lease on `process_id` for `ttl` from `now`, and says whether
    /// another session (whatever its reviewer's name) holds an unexpired one too.
    pub fn take_lease(
        &mut self,
        process_id: &str,
        me: &Holder,
        now: Timestamp,
        ttl: Duration,
    ) -> Result<LeaseOutcome, StoreError> {
        self.check_writable()?;
        let expires = Timestamp(now.millis().saturating_add(ttl_ms(ttl)));
        let run = || -> rusqlite::Result<LeaseOutcome> {
            let tx =
                rusqlite::Transaction::new_unchecked(self.conn(), TransactionBehavior::Immediate)?;
            let other: Option<(String, i64)> = tx
                .query_row(
                    "SELECT reviewer, expires_ms FROM leases
                     WHERE process_id = ?1 AND session <> ?2 AND expires_ms > ?3
                     ORDER BY expires_ms LIMIT 1",
                    params![process_id, me.session, now.millis()],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            tx.execute(
                "INSERT INTO leases (process_id, session, reviewer, expires_ms)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (process_id, session) DO UPDATE
                 SET reviewer = excluded.reviewer, expires_ms = excluded.expires_ms",
                params![process_id, me.session, me.reviewer, expires.millis()],
            )?;
            let outcome = match other {
                Some((reviewer, until)) => LeaseOutcome::HeldBy(Lease {
                    reviewer,
                    expires: Timestamp(until),
                }),
                None => LeaseOutcome::Taken { expires },
            };
            tx.commit()?;
            Ok(outcome)
        };
        run().map_err(|e| self.sql_error(e))
    }

    /// Gives up `me`'s lease on `process_id` (another session's lease is left alone).
    pub fn release_lease(&mut self, process_id: &str, me: &Holder) -> Result<(), StoreError> {
        self.check_writable()?;
        self.conn()
            .execute(
                "DELETE FROM leases WHERE process_id = ?1 AND session = ?2",
                params![process_id, me.session],
            )
            .map(drop)
            .map_err(|e| self.sql_error(e))
    }

    /// Every lease unexpired at `now` held by a session other than `me`'s, by process (all its
    /// holders, in the order they took it): the processes to show as taken and to skip when
    /// moving to the next unreviewed one. Expired leases are swept when the store is writable.
    pub fn leases_of_others(
        &self,
        me: &Holder,
        now: Timestamp,
    ) -> Result<HashMap<String, Vec<Lease>>, StoreError> {
        if !self.has_leases() {
            return Ok(HashMap::new());
        }
        let run = || -> rusqlite::Result<HashMap<String, Vec<Lease>>> {
            if self.read_only_reason().is_none() {
                self.conn().execute(
                    "DELETE FROM leases WHERE expires_ms <= ?1",
                    [now.millis() - ttl_ms(LEASE_TTL)],
                )?;
            }
            let sql = if self.has_lease_sessions() {
                "SELECT process_id, reviewer, expires_ms FROM leases
                 WHERE expires_ms > ?1 AND session <> ?2 ORDER BY rowid"
            } else {
                // A version-2 file, opened read-only (so holding nothing itself): no sessions,
                // and every lease in it is another browser's.
                "SELECT process_id, reviewer, expires_ms FROM leases WHERE expires_ms > ?1
                 ORDER BY rowid"
            };
            let mut stmt = self.conn().prepare_cached(sql)?;
            let lease = |r: &rusqlite::Row<'_>| {
                Ok((
                    r.get::<_, String>(0)?,
                    Lease {
                        reviewer: r.get(1)?,
                        expires: Timestamp(r.get(2)?),
                    },
                ))
            };
            let rows: Vec<(String, Lease)> = if self.has_lease_sessions() {
                stmt.query_map(params![now.millis(), me.session], lease)?
                    .collect::<rusqlite::Result<_>>()?
            } else {
                stmt.query_map(params![now.millis()], lease)?
                    .collect::<rusqlite::Result<_>>()?
            };
            let mut by_process: HashMap<String, Vec<Lease>> = HashMap::new();
            for (process, lease) in rows {
                by_process.entry(process).or_default().push(lease);
            }
            Ok(by_process)
        };
        run().map_err(|e| self.sql_error(e))
    }

    /// Who other than `me` has `process_id` open at `now`, if anyone.
    pub fn taken_by(
        &self,
        process_id: &str,
        me: &Holder,
        now: Timestamp,
    ) -> Result<Option<Lease>, StoreError> {
        if !self.has_leases() {
            return Ok(None);
        }
        // Without sessions (a version-2 file opened read-only), every lease is another's.
        let sql = if self.has_lease_sessions() {
            "SELECT reviewer, expires_ms FROM leases
             WHERE process_id = ?3 AND expires_ms > ?1 AND session <> ?2 ORDER BY rowid LIMIT 1"
        } else {
            "SELECT reviewer, expires_ms FROM leases WHERE process_id = ?2 AND expires_ms > ?1"
        };
        let lease = |r: &rusqlite::Row<'_>| {
            Ok(Lease {
                reviewer: r.get(0)?,
                expires: Timestamp(r.get(1)?),
            })
        };
        let found = if self.has_lease_sessions() {
            self.conn()
                .query_row(sql, params![now.millis(), me.session, process_id], lease)
        } else {
            self.conn()
                .query_row(sql, params![now.millis(), process_id], lease)
        };
        found.optional().map_err(|e| self.sql_error(e))
    }
}
