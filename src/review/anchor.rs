//! The access log's head, anchored outside the log: a log can be cut short, deleted or rewritten
//! with a recomputed chain by whoever can write its folder, and its own hashes cannot show it.
//! The writer tells the store, before and after each batch, where the log's chain will stand;
//! `audit --verify` compares the log with what the store was told.
//!
//! - A log is known by its folder *and* the hash of its first record ([`LogKey`]): the hash says
//!   which log it is wherever it is moved, the folder says that a log was kept there even when
//!   nothing of it is left.
//! - Under the log's lock, before writing a batch, the writer *announces* the head the batch will
//!   leave (its last seq and hash, [`Store::announce_head`]); after the batch is on disk it marks
//!   that head *written* ([`Store::head_written`]). A written head the log lacks was taken away; an
//!   announced head never marked written is a crash between the two (its records are in the log
//!   exactly as announced, or not at all).
//! - Append-only: rows are inserted, never changed or removed (the triggers of schema version 4
//!   refuse both). On a PostgreSQL team store, where reviewer roles may INSERT but not UPDATE or
//!   DELETE, that is what makes a reviewer unable to move the anchor back; on this SQLite file the
//!   same Unix user who can edit the log can edit the store too.
//!
//! Knows nothing of the log's format: seqs, hashes and a folder name are all it stores.

use rusqlite::{OptionalExtension, TransactionBehavior, params};

use super::id::Timestamp;
use super::store::{Store, StoreError};

/// Which log a head belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogKey<'a> {
    /// The log's folder, absolute, as the writer found it.
    pub dir: &'a str,
    /// The hash of the log's first record.
    pub first_hash: [u8; 32],
}

/// The head a batch will leave: its records are `first_seq..=seq`, the last with `hash`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewHead<'a> {
    pub first_seq: u64,
    pub seq: u64,
    pub hash: [u8; 32],
    /// The session writing the batch.
    pub session: &'a str,
    pub at: Timestamp,
}

/// An announced head, to mark written once its batch is on disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use = "a head announced and never marked written reads as a crash"]
pub struct Announced(i64);

/// A head as the store knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnchoredHead {
    /// The folder the log was in when this head was announced.
    pub dir: String,
    pub first_hash: [u8; 32],
    pub first_seq: u64,
    pub seq: u64,
    pub hash: [u8; 32],
    pub session: String,
    pub announced: Timestamp,
    /// When the batch was marked written; `None`: announced only.
    pub written: Option<Timestamp>,
}

/// What the store knows of one log and of its folder.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Anchors {
    /// Every head of the log that begins with the given first record, in announcement order,
    /// whichever folder it was in.
    pub this_log: Vec<AnchoredHead>,
    /// The latest head of each other log anchored in the same folder: a log that was kept there
    /// and is not the one there now.
    pub others_here: Vec<AnchoredHead>,
}

const HEAD_COLUMNS: &str = "l.dir, l.first_hash, h.first_seq, h.seq, h.hash, h.session, h.at_ms, \
                            w.at_ms";

impl Store {
    /// Whether the file has the anchor tables (a store of version 3 or older opened read-only
    /// does not).
    pub fn can_anchor(&self) -> bool {
        self.version() >= 4
    }

    /// Announces, durably, the head a batch of `log` is about to leave.
    pub fn announce_head(
        &mut self,
        log: &LogKey<'_>,
        head: &NewHead<'_>,
    ) -> Result<Announced, StoreError> {
        self.check_writable()?;
        let run = || -> rusqlite::Result<Announced> {
            let tx =
                rusqlite::Transaction::new_unchecked(self.conn(), TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO audit_logs (dir, first_hash, at_ms) VALUES (?1, ?2, ?3)
                 ON CONFLICT (dir, first_hash) DO NOTHING",
                params![log.dir, &log.first_hash[..], head.at.millis()],
            )?;
            let id: i64 = tx.query_row(
                "SELECT id FROM audit_logs WHERE dir = ?1 AND first_hash = ?2",
                params![log.dir, &log.first_hash[..]],
                |r| r.get(0),
            )?;
            tx.execute(
                "INSERT INTO audit_heads (log, first_seq, seq, hash, session, at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    id,
                    to_sql(head.first_seq),
                    to_sql(head.seq),
                    &head.hash[..],
                    head.session,
                    head.at.millis()
                ],
            )?;
            let announced = Announced(tx.last_insert_rowid());
            tx.commit()?;
            Ok(announced)
        };
        run().map_err(|e| self.sql_error(e))
    }

    /// Marks an announced head written: its batch is on disk.
    ///
    /// The mark is committed without a sync of its own (`synchronous=NORMAL` for this one
    /// statement; the store is otherwise `FULL`): the next announcement's sync makes it durable
    /// with it, and a mark lost to a power cut reads as what it was, a crash between writing and
    /// marking. The announcement itself is always synced: lost, it would leave records no head
    /// vouches for. This halves the store's share of a batch's cost (see the `audit` bench).
    pub fn head_written(&mut self, head: Announced, at: Timestamp) -> Result<(), StoreError> {
        self.check_writable()?;
        let run = || -> rusqlite::Result<()> {
            let conn = self.conn();
            conn.pragma_update(None, "synchronous", "NORMAL")?;
            let marked = conn.execute(
                "INSERT INTO audit_heads_written (head, at_ms) VALUES (?1, ?2)",
                params![head.0, at.millis()],
            );
            conn.pragma_update(None, "synchronous", "FULL")?;
            marked.map(drop)
        };
        run().map_err(|e| self.sql_error(e))
    }

    /// What the store knows of the log in `dir` that begins with `first_hash` (`None`: the
    /// folder holds no record).
    pub fn anchors(&self, dir: &str, first_hash: Option<&[u8; 32]>) -> Result<Anchors, StoreError> {
        if !self.can_anchor() {
            return Ok(Anchors::default());
        }
        let this_log = match first_hash {
            Some(first) => self.heads(
                &format!(
                    "SELECT {HEAD_COLUMNS} FROM audit_heads h JOIN audit_logs l ON h.log = l.id
                     LEFT JOIN audit_heads_written w ON w.head = h.id
                     WHERE l.first_hash = ?1 ORDER BY h.id"
                ),
                params![&first[..]],
            )?,
            None => Vec::new(),
        };
        let others_here = self.heads(
            &format!(
                "SELECT {HEAD_COLUMNS} FROM audit_logs l
                 JOIN audit_heads h ON h.id = (SELECT MAX(id) FROM audit_heads WHERE log = l.id)
                 LEFT JOIN audit_heads_written w ON w.head = h.id
                 WHERE l.dir = ?1 AND l.first_hash IS NOT ?2 ORDER BY h.id"
            ),
            params![dir, first_hash.map(|f| f.to_vec())],
        )?;
        Ok(Anchors {
            this_log,
            others_here,
        })
    }

    fn heads<P: rusqlite::Params>(
        &self,
        sql: &str,
        params: P,
    ) -> Result<Vec<AnchoredHead>, StoreError> {
        let read = || -> rusqlite::Result<Vec<AnchoredHead>> {
            let mut stmt = self.conn().prepare_cached(sql)?;
            let rows = stmt.query_map(params, |r| {
                Ok(AnchoredHead {
                    dir: r.get(0)?,
                    first_hash: hash_from(r, 1)?,
                    first_seq: from_sql(r.get(2)?),
                    seq: from_sql(r.get(3)?),
                    hash: hash_from(r, 4)?,
                    session: r.get(5)?,
                    announced: Timestamp(r.get(6)?),
                    written: r.get::<_, Option<i64>>(7)?.map(Timestamp),
                })
            })?;
            rows.collect()
        };
        read().map_err(|e| self.sql_error(e))
    }

    /// Whether any head was ever anchored in this store (for telling "nothing anchored here"
    /// from "not this log").
    pub fn anchors_anything(&self) -> Result<bool, StoreError> {
        if !self.can_anchor() {
            return Ok(false);
        }
        self.conn()
            .query_row("SELECT 1 FROM audit_heads LIMIT 1", [], |_| Ok(()))
            .optional()
            .map(|found| found.is_some())
            .map_err(|e| self.sql_error(e))
    }
}

fn hash_from(row: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<[u8; 32]> {
    let bytes: Vec<u8> = row.get(i)?;
    bytes.try_into().map_err(|bytes: Vec<u8>| {
        rusqlite::Error::FromSqlConversionFailure(
            i,
            rusqlite::types::Type::Blob,
            format!("a hash of {} bytes, not 32", bytes.len()).into(),
        )
    })
}

/// Seqs count records, so they stay far below `i64::MAX`; one beyond it is stored as the most.
fn to_sql(seq: u64) -> i64 {
    i64::try_from(seq).unwrap_or(i64::MAX)
}

fn from_sql(seq: i64) -> u64 {
    u64::try_from(seq).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("reviews.sqlite3")).expect("store");
        (dir, store)
    }

    fn head(first_seq: u64, seq: u64, byte: u8) -> NewHead<'static> {
        NewHead {
            first_seq,
            seq,
            hash: [byte; 32],
            session: "s1",
            at: Timestamp(1_000 + i64::from(byte)),
        }
    }

    #[test]
    fn heads_are_announced_then_written_and_read_back_per_log_and_folder() {
        let (_dir, mut store) = store();
        let log = LogKey {
            dir: "/logs/a",
            first_hash: [1; 32],
        };
        let first = store.announce_head(&log, &head(0, 4, 7)).expect("announce");
        store
            .head_written(first, Timestamp(2_000))
            .expect("written");
        let _pending = store.announce_head(&log, &head(5, 9, 8)).expect("announce");
        let other = LogKey {
            dir: "/logs/a",
            first_hash: [2; 32],
        };
        let old = store
            .announce_head(&other, &head(0, 2, 9))
            .expect("announce");
        store.head_written(old, Timestamp(3_000)).expect("written");

        let anchors = store.anchors("/logs/a", Some(&[1; 32])).expect("read");
        let seen: Vec<(u64, u64, u8, Option<i64>)> = anchors
            .this_log
            .iter()
            .map(|h| (h.first_seq, h.seq, h.hash[0], h.written.map(|t| t.0)))
            .collect();
        assert_eq!(seen, [(0, 4, 7, Some(2_000)), (5, 9, 8, None)]);
        assert_eq!(anchors.others_here.len(), 1);
        assert_eq!(anchors.others_here[0].first_hash, [2; 32]);
        // The same log moved: found by its first record wherever it is.
        let moved = store.anchors("/elsewhere", Some(&[1; 32])).expect("read");
        assert_eq!((moved.this_log.len(), moved.others_here.len()), (2, 0));
        // A folder emptied: everything kept there is another log.
        let gone = store.anchors("/logs/a", None).expect("read");
        assert_eq!((gone.this_log.len(), gone.others_here.len()), (0, 2));
        assert!(store.anchors_anything().expect("read"));
    }

    #[test]
    fn the_anchor_tables_refuse_updates_and_deletes() {
        let (_dir, mut store) = store();
        let log = LogKey {
            dir: "/logs/a",
            first_hash: [1; 32],
        };
        let a = store.announce_head(&log, &head(0, 4, 7)).expect("announce");
        store.head_written(a, Timestamp(2_000)).expect("written");
        for sql in [
            "UPDATE audit_heads SET seq = 1",
            "DELETE FROM audit_heads",
            "UPDATE audit_logs SET dir = 'x'",
            "DELETE FROM audit_logs",
            "UPDATE audit_heads_written SET at_ms = 0",
            "DELETE FROM audit_heads_written",
        ] {
            let refused = store.conn().execute(sql, []).expect_err(sql);
            assert!(
                refused.to_string().contains("append-only"),
                "{sql}: {refused}"
            );
        }
        assert_eq!(
            store
                .anchors("/logs/a", Some(&[1; 32]))
                .expect("read")
                .this_log[0]
                .seq,
            4
        );
    }
}
