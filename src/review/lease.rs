//! Leases: which reviewer has which process open, so a team sharing one store does not review the
//! same process twice. A lease lasts a few minutes and is renewed while the process stays open; an
//! expired lease is simply ignored (a browser that was killed holds nothing for long).

use std::collections::HashMap;
use std::time::Duration;

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::id::Timestamp;
use super::store::{Store, StoreError};

/// How long a lease lasts unless renewed.
pub const LEASE_TTL: Duration = Duration::from_secs(180);

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
    /// Someone else holds it.
    HeldBy(Lease),
}

fn ttl_ms(ttl: Duration) -> i64 {
    i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX)
}

impl Store {
    /// Takes or renews `reviewer`'s lease on `process_id` for `ttl` from `now`, unless another
    /// reviewer holds an unexpired one.
    pub fn take_lease(
        &mut self,
        process_id: &str,
        reviewer: &str,
        now: Timestamp,
        ttl: Duration,
    ) -> Result<LeaseOutcome, StoreError> {
        self.check_writable()?;
        let expires = Timestamp(now.millis().saturating_add(ttl_ms(ttl)));
        let run = || -> rusqlite::Result<LeaseOutcome> {
            let tx =
                rusqlite::Transaction::new_unchecked(self.conn(), TransactionBehavior::Immediate)?;
            let holder: Option<(String, i64)> = tx
                .query_row(
                    "SELECT reviewer, expires_ms FROM leases WHERE process_id = ?1",
                    [process_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let outcome = match holder {
                Some((other, until)) if other != reviewer && until > now.millis() => {
                    LeaseOutcome::HeldBy(Lease {
                        reviewer: other,
                        expires: Timestamp(until),
                    })
                }
                _ => {
                    tx.execute(
                        "INSERT INTO leases (process_id, reviewer, expires_ms) VALUES (?1, ?2, ?3)
                         ON CONFLICT (process_id) DO UPDATE
                         SET reviewer = excluded.reviewer, expires_ms = excluded.expires_ms",
                        params![process_id, reviewer, expires.millis()],
                    )?;
                    LeaseOutcome::Taken { expires }
                }
            };
            tx.commit()?;
            Ok(outcome)
        };
        run().map_err(|e| self.sql_error(e))
    }

    /// Gives up `reviewer`'s lease on `process_id` (another reviewer's lease is left alone).
    pub fn release_lease(&mut self, process_id: &str, reviewer: &str) -> Result<(), StoreError> {
        self.check_writable()?;
        self.conn()
            .execute(
                "DELETE FROM leases WHERE process_id = ?1 AND reviewer = ?2",
                params![process_id, reviewer],
            )
            .map(drop)
            .map_err(|e| self.sql_error(e))
    }

    /// Every lease unexpired at `now` held by someone other than `me`: the processes to show as
    /// taken and to skip when moving to the next unreviewed one. Expired leases are swept when
    /// the store is writable.
    pub fn leases_of_others(
        &self,
        me: &str,
        now: Timestamp,
    ) -> Result<HashMap<String, Lease>, StoreError> {
        if !self.has_leases() {
            return Ok(HashMap::new());
        }
        let run = || -> rusqlite::Result<HashMap<String, Lease>> {
            if self.read_only_reason().is_none() {
                self.conn().execute(
                    "DELETE FROM leases WHERE expires_ms <= ?1",
                    [now.millis() - ttl_ms(LEASE_TTL)],
                )?;
            }
            let mut stmt = self.conn().prepare_cached(
                "SELECT process_id, reviewer, expires_ms FROM leases
                 WHERE expires_ms > ?1 AND reviewer <> ?2",
            )?;
            let rows = stmt.query_map(params![now.millis(), me], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Lease {
                        reviewer: r.get(1)?,
                        expires: Timestamp(r.get(2)?),
                    },
                ))
            })?;
            rows.collect()
        };
        run().map_err(|e| self.sql_error(e))
    }

    /// Who other than `me` has `process_id` open at `now`, if anyone.
    pub fn taken_by(
        &self,
        process_id: &str,
        me: &str,
        now: Timestamp,
    ) -> Result<Option<Lease>, StoreError> {
        if !self.has_leases() {
            return Ok(None);
        }
        self.conn()
            .query_row(
                "SELECT reviewer, expires_ms FROM leases
                 WHERE process_id = ?1 AND reviewer <> ?2 AND expires_ms > ?3",
                params![process_id, me, now.millis()],
                |r| {
                    Ok(Lease {
                        reviewer: r.get(0)?,
                        expires: Timestamp(r.get(1)?),
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql_error(e))
    }
}
