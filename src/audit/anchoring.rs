//! The writer's side of the anchor: the review store it tells where the chain stands (see
//! [`crate::review::anchor`]), opened on the first batch and again after a failure.
//!
//! A store that cannot be opened or written never stops the log: the records are written all the
//! same, the batch carries an [`AuditEvent::AnchorUnavailable`] record saying which store and
//! why (once per failure, not per batch), and the caller warns. `audit --verify` then reports
//! those records as not vouched for, with that reason, until a later batch is anchored.

use std::path::{Path, PathBuf};

use super::event::{AnchorFailure, AuditEvent};
use crate::review::anchor::{Announced, LogKey, NewHead};
use crate::review::{Store, StoreError, Timestamp};

/// Why a batch was not anchored: a code for the log, words for the warning.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub reason: AnchorFailure,
    pub detail: String,
}

impl Failure {
    fn of(e: &StoreError) -> Failure {
        let reason = match e {
            StoreError::ReadOnly { .. } => AnchorFailure::ReadOnly,
            StoreError::Newer { .. } => AnchorFailure::Newer,
            StoreError::Corrupt { .. } => AnchorFailure::Corrupt,
            StoreError::Foreign { .. } => AnchorFailure::Foreign,
            StoreError::Busy { .. } => AnchorFailure::Busy,
            StoreError::Full { .. } => AnchorFailure::DiskFull,
            StoreError::Unavailable { .. } | StoreError::Missing { .. } => {
                AnchorFailure::Unavailable
            }
            _ => AnchorFailure::Failed,
        };
        Failure {
            reason,
            detail: e.to_string(),
        }
    }
}

/// What became of a batch's anchor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnchorOutcome {
    /// The writer has no store (tests, benches of the chain alone).
    Off,
    /// Announced before the batch and marked written after it.
    Anchored,
    /// Written, not anchored: why.
    NotAnchored(Failure),
}

/// The review store a writer anchors its log's head in.
pub struct Anchoring {
    path: PathBuf,
    store: Option<Store>,
    /// A failure already recorded in the log: the next is recorded only after a success.
    recorded: bool,
}

impl Anchoring {
    pub fn new(path: PathBuf) -> Anchoring {
        Anchoring {
            path,
            store: None,
            recorded: false,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Opens the store if it is not open, and says whether it can take an anchor.
    pub fn ready(&mut self) -> Result<(), Failure> {
        if self.store.is_none() {
            self.store = Some(Store::open(&self.path).map_err(|e| Failure::of(&e))?);
        }
        let store = self.store.as_ref().ok_or_else(|| self.gone())?;
        if let Some(why) = store.read_only_reason() {
            let failure = Failure::of(&StoreError::ReadOnly {
                path: self.path.clone(),
                why: why.to_owned(),
            });
            // Opened read-only: open it again next time, the user may have fixed it.
            self.store = None;
            return Err(failure);
        }
        Ok(())
    }

    /// Announces the head a batch will leave.
    pub fn announce(&mut self, log: &LogKey<'_>, head: &NewHead<'_>) -> Result<Announced, Failure> {
        let store = self.store.as_mut().ok_or_else(|| Failure {
            reason: AnchorFailure::Unavailable,
            detail: "the review store is not open".into(),
        })?;
        store.announce_head(log, head).map_err(|e| {
            self.store = None;
            Failure::of(&e)
        })
    }

    /// Marks the head written: its batch is on disk.
    pub fn written(&mut self, head: Announced) -> Result<(), Failure> {
        let store = self.store.as_mut().ok_or_else(|| Failure {
            reason: AnchorFailure::Unavailable,
            detail: "the review store is not open".into(),
        })?;
        store.head_written(head, Timestamp::now()).map_err(|e| {
            self.store = None;
            Failure::of(&e)
        })?;
        self.recorded = false;
        Ok(())
    }

    /// The record saying this batch is not anchored, unless the log already says so.
    pub fn record_for(&mut self, failure: &Failure) -> Option<AuditEvent> {
        if std::mem::replace(&mut self.recorded, true) {
            return None;
        }
        Some(AuditEvent::AnchorUnavailable {
            store: self.path.to_string_lossy().into_owned(),
            reason: failure.reason,
        })
    }

    /// The failure recorded did not reach the log (the batch failed): record it again.
    pub fn unrecord(&mut self) {
        self.recorded = false;
    }

    /// A failure of the log itself that keeps a batch from being anchored.
    pub fn log_failure(detail: String) -> Failure {
        Failure {
            reason: AnchorFailure::LogUnreadable,
            detail,
        }
    }

    fn gone(&self) -> Failure {
        Failure {
            reason: AnchorFailure::Unavailable,
            detail: format!("cannot open the review store {}", self.path.display()),
        }
    }
}
