//! Appending records: one chain however many processes write.
//!
//! Every batch is appended under an exclusive advisory lock on `audit.lock` in the log folder.
//! Under the lock the writer finds the newest month file and re-reads its last record (unless
//! the file is exactly as this writer left it), so two sessions appending at once take turns and
//! continue one chain; a batch is one `write` of whole lines, so records never interleave.
//!
//! Rotation: a record goes into the file of its UTC month; the first record of a new month
//! chains from the last record of the newest earlier file. A clock that went back never creates
//! an older month after a newer one: the record goes into the newest file.
//!
//! Durability: each batch is `fsync`ed (`sync_data`) before the lock is released, and a new
//! month file's folder is synced too. A crash can lose at most the batch being written; a line
//! torn by it is cut off by the next writer, which records that it did
//! ([`AuditEvent::TornTailRemoved`]).
//!
//! Anchoring ([`Writer::anchored`]): under the same lock, the head the batch will leave is
//! announced in the review store before the batch is written, and marked written after its
//! fsync (see [`crate::review::anchor`]), so cutting the log short, deleting it or rewriting it
//! shows. A store that cannot take the anchor never stops the log (see [`super::anchoring`]).

use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::anchoring::{AnchorOutcome, Anchoring, Failure};
use super::event::AuditEvent;
use super::files::{self, month_file_name};
use super::record::{self, GENESIS};
use crate::review::Timestamp;
use crate::review::anchor::{Announced, LogKey, NewHead};

/// Where the chain stands: the file written last, its length then, and its last record.
#[derive(Clone, Debug)]
struct Head {
    path: PathBuf,
    len: u64,
    next_seq: u64,
    last_hash: [u8; 32],
}

/// Appends records to the log in `dir`. Blocking: the app uses it from the background task.
pub struct Writer {
    dir: PathBuf,
    session: String,
    head: Option<Head>,
    anchor: Option<Anchoring>,
    /// The folder as the store knows it: absolute, links resolved.
    dir_key: Option<String>,
}

/// Why a batch could not be written; it names the file and says what to do.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the access log {}: {source}", path.display())]
pub struct WriteError {
    pub path: PathBuf,
    #[source]
    pub source: io::Error,
}

/// A batch as lines, ready to write: per file, the text to append; and the head it leaves.
struct Built {
    out: Vec<(PathBuf, String)>,
    path: PathBuf,
    next_seq: u64,
    last_hash: [u8; 32],
    /// The hash of the batch's first record (the log's first record when the log was empty).
    first_hash: [u8; 32],
}

impl Writer {
    /// A writer for `dir` (created 0700 on first write), stamping records with `session`, that
    /// anchors nothing: for tests and benches of the chain alone.
    pub fn new(dir: impl Into<PathBuf>, session: impl Into<String>) -> Writer {
        Writer {
            dir: dir.into(),
            session: session.into(),
            head: None,
            anchor: None,
            dir_key: None,
        }
    }

    /// A writer that anchors the log's head in the review store at `store` (created if need be).
    pub fn anchored(
        dir: impl Into<PathBuf>,
        session: impl Into<String>,
        store: impl Into<PathBuf>,
    ) -> Writer {
        Writer {
            anchor: Some(Anchoring::new(store.into())),
            ..Writer::new(dir, session)
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The review store the head is anchored in, if any.
    pub fn store(&self) -> Option<&Path> {
        self.anchor.as_ref().map(Anchoring::path)
    }

    /// Appends the events, each with the time it happened, as one batch, and says whether its
    /// head was anchored. Not anchored is no error: the records are on disk all the same.
    pub fn append(
        &mut self,
        batch: &[(SystemTime, AuditEvent)],
    ) -> Result<AnchorOutcome, WriteError> {
        if batch.is_empty() {
            return Ok(AnchorOutcome::Off);
        }
        let at = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WriteError { path, source }
        };
        let lock = files::open_lock(&self.dir).map_err(at(&self.dir.join(files::LOCK_FILE)))?;
        lock.lock().map_err(at(&self.dir.join(files::LOCK_FILE)))?;
        let outcome = self.append_locked(batch);
        // Closing the file releases the lock too; unlocking first says so plainly.
        let _ = lock.unlock();
        outcome
    }

    fn append_locked(
        &mut self,
        batch: &[(SystemTime, AuditEvent)],
    ) -> Result<AnchorOutcome, WriteError> {
        let existing = files::month_files(&self.dir).map_err(|source| WriteError {
            path: self.dir.clone(),
            source,
        })?;
        let newest = existing.last().map(|(month, _)| *month);
        let (head, torn) = self.current_head(&existing)?;
        let first_time = batch[0].0;
        let mut events: Vec<(SystemTime, AuditEvent)> = Vec::with_capacity(batch.len() + 2);
        if torn > 0 {
            events.push((first_time, AuditEvent::TornTailRemoved { bytes: torn }));
        }
        // A store that cannot be opened: this batch says so before its own records.
        let mut failure = None;
        if let Some(anchor) = self.anchor.as_mut()
            && let Err(f) = anchor.ready()
        {
            events.extend(anchor.record_for(&f).map(|e| (first_time, e)));
            failure = Some(f);
        }
        let said = events.len();
        events.extend(batch.iter().cloned());
        let mut built = self.build(&head, newest, &events);
        // Announced before the records exist, so a crash between the two reads as one.
        let announced = match (&self.anchor, failure) {
            (None, _) => None,
            (Some(_), Some(f)) => Some(Err(f)),
            (Some(_), None) => Some(self.announce(&head, &built, &existing).inspect_err(|f| {
                if let Some(anchor) = self.anchor.as_mut()
                    && let Some(record) = anchor.record_for(f)
                {
                    events.insert(said, (first_time, record));
                    built = self.build(&head, newest, &events);
                }
            })),
        };
        let written = self.write(&head, built);
        if written.is_err()
            && let Some(anchor) = self.anchor.as_mut()
        {
            // The record saying the store failed did not reach the disk: say it again next time.
            anchor.unrecord();
        }
        written?;
        Ok(match (self.anchor.as_mut(), announced) {
            (Some(anchor), Some(Ok(ticket))) => match anchor.written(ticket) {
                Ok(()) => AnchorOutcome::Anchored,
                Err(f) => AnchorOutcome::NotAnchored(f),
            },
            (_, Some(Err(f))) => AnchorOutcome::NotAnchored(f),
            _ => AnchorOutcome::Off,
        })
    }

    /// The lines of `events` after `head`, each in the file of its month.
    fn build(
        &self,
        head: &Head,
        newest: Option<(i64, u32)>,
        events: &[(SystemTime, AuditEvent)],
    ) -> Built {
        let (mut next_seq, mut last_hash) = (head.next_seq, head.last_hash);
        let mut current_path = head.path.clone();
        let mut current_month = newest;
        let mut out: Vec<(PathBuf, String)> = Vec::new();
        let mut first_hash = None;
        for (time, event) in events {
            let month = record::year_month(*time);
            if current_month.is_none_or(|current| month > current) {
                current_month = Some(month);
                current_path = self.dir.join(month_file_name(month));
            }
            let (line, hash) = record::encode(next_seq, *time, &self.session, event, &last_hash);
            match out.last_mut() {
                Some((p, text)) if *p == current_path => text.push_str(&line),
                _ => out.push((current_path.clone(), line)),
            }
            first_hash.get_or_insert(hash);
            next_seq += 1;
            last_hash = hash;
        }
        Built {
            out,
            path: current_path,
            next_seq,
            last_hash,
            first_hash: first_hash.unwrap_or(GENESIS),
        }
    }

    /// Announces in the store the head `built` will leave.
    fn announce(
        &mut self,
        head: &Head,
        built: &Built,
        existing: &[((i64, u32), PathBuf)],
    ) -> Result<Announced, Failure> {
        let first_hash = if head.next_seq == 0 {
            built.first_hash
        } else {
            let paths: Vec<&Path> = existing.iter().map(|(_, p)| p.as_path()).collect();
            match files::first_record_hash(&paths) {
                Ok(Some(hash)) => hash,
                Ok(None) => {
                    return Err(Anchoring::log_failure(
                        "the log's first line is not an access-log record".into(),
                    ));
                }
                Err(e) => {
                    return Err(Anchoring::log_failure(format!(
                        "cannot read the log's first record: {e}"
                    )));
                }
            }
        };
        if self.dir_key.is_none() {
            let dir = std::fs::canonicalize(&self.dir).unwrap_or_else(|_| self.dir.clone());
            self.dir_key = Some(dir.to_string_lossy().into_owned());
        }
        let log = LogKey {
            dir: self.dir_key.as_deref().unwrap_or_default(),
            first_hash,
        };
        let new_head = NewHead {
            first_seq: head.next_seq,
            seq: built.next_seq.saturating_sub(1),
            hash: built.last_hash,
            session: &self.session,
            at: Timestamp::now(),
        };
        match self.anchor.as_mut() {
            Some(anchor) => anchor.announce(&log, &new_head),
            None => Err(Anchoring::log_failure("no review store".into())),
        }
    }

    /// Appends the built lines, fsyncs them, and keeps the head they leave.
    fn write(&mut self, head: &Head, built: Built) -> Result<(), WriteError> {
        let mut len = head.len;
        for (path, text) in &built.out {
            let err = |source| WriteError {
                path: path.clone(),
                source,
            };
            let new_file = !path.exists();
            let mut file = files::open_private_append(path).map_err(err)?;
            file.write_all(text.as_bytes()).map_err(err)?;
            file.sync_data().map_err(err)?;
            if new_file {
                sync_dir(&self.dir);
            }
            len = file.metadata().map_err(err)?.len();
        }
        self.head = Some(Head {
            path: built.path,
            len,
            next_seq: built.next_seq,
            last_hash: built.last_hash,
        });
        Ok(())
    }

    /// The head of the chain under the lock: the cached one when the newest file is still the
    /// one this writer wrote last, at the length it left it; else read from the files (cutting
    /// off a torn last line). Returns the head and the torn bytes cut off.
    fn current_head(
        &mut self,
        existing: &[((i64, u32), PathBuf)],
    ) -> Result<(Head, u64), WriteError> {
        if let (Some(head), Some((_, newest))) = (&self.head, existing.last())
            && &head.path == newest
            && std::fs::metadata(newest).map(|m| m.len()).ok() == Some(head.len)
        {
            return Ok((head.clone(), 0));
        }
        let mut torn_total = 0;
        // Newest first: an empty newest file (created, then a crash) chains from the one before.
        for (_, path) in existing.iter().rev() {
            let err = |source| WriteError {
                path: path.clone(),
                source,
            };
            let mut file = files::open_private_append(path).map_err(err)?;
            let tail = files::read_tail(&mut file).map_err(err)?;
            if tail.torn > 0 {
                file.set_len(tail.whole_len).map_err(err)?;
                file.sync_data().map_err(err)?;
                torn_total += tail.torn;
            }
            if let Some(line) = tail.last_line {
                let Some(link) = record::link(&line) else {
                    return Err(err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "its last line is not an access-log record; run `truora-tui audit --verify` and move the file aside to start a new log",
                    )));
                };
                let head = Head {
                    path: existing.last().map(|(_, p)| p.clone()).unwrap_or_default(),
                    len: tail.whole_len,
                    next_seq: link.seq + 1,
                    last_hash: link.stored,
                };
                return Ok((self.fresh_len(head), torn_total));
            }
        }
        let path = existing.last().map(|(_, p)| p.clone()).unwrap_or_default();
        let head = Head {
            path,
            len: 0,
            next_seq: 0,
            last_hash: GENESIS,
        };
        Ok((self.fresh_len(head), torn_total))
    }

    /// The head's file length as it is now (the head may come from an older file).
    fn fresh_len(&self, mut head: Head) -> Head {
        head.len = std::fs::metadata(&head.path).map_or(0, |m| m.len());
        head
    }
}

/// Makes a new file's name durable; best effort, as not every platform can sync a folder.
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
