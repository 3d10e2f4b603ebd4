//! The log against the heads anchored in the review store: what a hash chain cannot show alone.
//!
//! The chain says every record follows the one before; the store says where the chain stood
//! after each batch. So, for a log whose chain is whole:
//! - a head marked written that the log does not reach: records were cut off its end (deleted,
//!   or a last line cut half-way: a crash leaves a torn line only in a batch never marked written);
//! - a record whose hash differs from the one anchored for its seq: the log was rewritten from
//!   there on (with every hash recomputed, or the chain would have said so);
//! - records after the last head marked written: nothing vouches for them (appended by hand,
//!   or written while the store could not be: the log then says why), unless they are exactly
//!   the batch announced last and never marked written: a crash between writing and marking;
//! - a folder with no log, or another log, where the store anchored one: deleted, or deleted
//!   and started again.
//!
//! Pure: the walk ([`super::verify`]) and the store ([`crate::review::anchor`]) are read first.

use std::fmt;
use std::path::Path;

use super::event::{AnchorFailure, hex};
use super::verify::{Look, Report};
use crate::review::anchor::{AnchoredHead, Anchors};

/// What the log and the store say together.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Vouching {
    /// The latest head marked written that the log matches: what it was checked against.
    pub head: Option<AnchoredHead>,
    /// A batch announced and never marked written (not tampering).
    pub crash: Option<Crash>,
    pub problems: Vec<AnchorProblem>,
}

/// A crash between announcing a batch and marking it written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Crash {
    /// Its records are in the log exactly as announced: vouched for.
    Written { head: AnchoredHead },
    /// It never reached the log, or only its first lines did (`partial`, then a torn line).
    NotWritten {
        head: AnchoredHead,
        partial: Option<(u64, u64)>,
        torn: Option<u64>,
    },
}

/// A way the log differs from what the store was told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnchorProblem {
    /// The store has a head marked written beyond the log's last record.
    CutShort {
        log_last: Option<u64>,
        head: AnchoredHead,
        torn: Option<u64>,
    },
    /// The record at an anchored seq is not the one anchored.
    Rewritten {
        seq: u64,
        found: [u8; 32],
        head: AnchoredHead,
    },
    /// Records no head vouches for.
    Unvouched {
        first: u64,
        last: u64,
        /// No head of this log is anchored at all.
        none_anchored: bool,
        /// What the log says about why (an `anchor_unavailable` record among them).
        because: Option<(String, AnchorFailure)>,
    },
    /// A partial last line that no announced batch explains.
    TornUnannounced { bytes: u64 },
    /// The store anchored a log in this folder, and the folder holds no record.
    Gone { head: AnchoredHead },
    /// The store anchored another log in this folder than the one there now.
    Replaced { head: AnchoredHead },
}

/// What the walk must gather to be judged against `anchors`.
pub fn look_for(anchors: &Anchors) -> Look {
    Look {
        seqs: anchors.this_log.iter().map(|h| h.seq).collect(),
        notes_from: Some(latest_written(anchors).map_or(0, |h| h.seq + 1)),
    }
}

fn latest_written(anchors: &Anchors) -> Option<&AnchoredHead> {
    anchors
        .this_log
        .iter()
        .filter(|h| h.written.is_some())
        .max_by_key(|h| h.seq)
}

/// Judges a log whose chain is whole (`report.problem` is `None`) against the store's `anchors`.
pub fn judge(report: &Report, anchors: &Anchors) -> Vouching {
    let mut vouching = Vouching::default();
    let log_last = report.head.map(|(seq, _)| seq);
    let torn = report.torn.as_ref().map(|(_, bytes)| *bytes);
    let Some(last) = log_last else {
        // No record here: every log the store anchored in this folder is gone.
        vouching.problems.extend(
            anchors
                .others_here
                .iter()
                .map(|head| AnchorProblem::Gone { head: head.clone() }),
        );
        return vouching;
    };
    vouching.problems.extend(
        anchors
            .others_here
            .iter()
            .map(|head| AnchorProblem::Replaced { head: head.clone() }),
    );
    let mut written: Vec<&AnchoredHead> = anchors
        .this_log
        .iter()
        .filter(|h| h.written.is_some())
        .collect();
    written.sort_by_key(|h| h.seq);
    if let Some((head, found)) = written.iter().find_map(|h| {
        let found = report.at_seqs.get(&h.seq)?;
        (*found != h.hash).then_some((*h, *found))
    }) {
        vouching.problems.push(AnchorProblem::Rewritten {
            seq: head.seq,
            found,
            head: head.clone(),
        });
    }
    let latest = written.last().copied();
    if let Some(head) = latest.filter(|h| h.seq > last) {
        vouching.problems.push(AnchorProblem::CutShort {
            log_last,
            head: head.clone(),
            torn,
        });
        return vouching;
    }
    vouching.head = latest.cloned();
    // Vouched for up to here: the latest written head, then a crashed batch if it matches.
    let mut covered = latest.map(|h| h.seq);
    let pending = anchors
        .this_log
        .iter()
        .rev()
        .find(|h| h.written.is_none() && covered.is_none_or(|c| h.seq > c));
    if let Some(head) = pending {
        if head.seq <= last && report.at_seqs.get(&head.seq) == Some(&head.hash) {
            vouching.crash = Some(Crash::Written { head: head.clone() });
            covered = Some(head.seq);
        } else if head.seq > last && covered.map_or(0, |c| c + 1) == head.first_seq {
            let partial = (last >= head.first_seq).then_some((head.first_seq, last));
            vouching.crash = Some(Crash::NotWritten {
                head: head.clone(),
                partial,
                torn,
            });
            covered = Some(last);
        }
    }
    let crashed_mid_write = matches!(vouching.crash, Some(Crash::NotWritten { .. }));
    if let (Some(bytes), false) = (torn, crashed_mid_write) {
        vouching
            .problems
            .push(AnchorProblem::TornUnannounced { bytes });
    }
    let first = covered.map_or(0, |c| c + 1);
    if first <= last {
        vouching.problems.push(AnchorProblem::Unvouched {
            first,
            last,
            none_anchored: anchors.this_log.is_empty(),
            because: report
                .unanchored
                .iter()
                .find(|(seq, ..)| *seq >= first)
                .map(|(_, store, reason)| (store.clone(), *reason)),
        });
    }
    vouching
}

/// `seq 41 hash 3f9a… (written 2026-11-30T10:00:00.000Z by session a1b2c3d4)`.
pub fn describe_head(head: &AnchoredHead) -> String {
    let when = head.written.unwrap_or(head.announced);
    format!(
        "seq {} hash {} ({} {} by session {})",
        head.seq,
        hex(&head.hash),
        if head.written.is_some() {
            "written"
        } else {
            "announced"
        },
        when.iso(),
        head.session
    )
}

fn short(hash: &[u8; 32]) -> String {
    hex(&hash[..8])
}

/// The problem as a sentence about the log in `dir` and the store at `store`.
pub struct Said<'a> {
    pub problem: &'a AnchorProblem,
    pub dir: &'a Path,
    pub store: &'a Path,
}

impl fmt::Display for Said<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let store = self.store.display();
        let dir = self.dir.display();
        match self.problem {
            AnchorProblem::CutShort {
                log_last,
                head,
                torn,
            } => {
                let ends = log_last.map_or("holds no whole record".into(), |l| {
                    format!("ends at seq {l}")
                });
                let from = log_last.map_or(0, |l| l + 1);
                let missing = if from == head.seq {
                    format!("seq {from} is missing")
                } else {
                    format!("seq {from} to {} are missing", head.seq)
                };
                write!(
                    f,
                    "records were cut off the end of the log: the review store {store} anchors {} \
                     but the log {ends}; {missing}",
                    describe_head(head),
                )?;
                if let Some(bytes) = torn {
                    write!(
                        f,
                        " (its last line stops half-way, {bytes} bytes, inside a batch the store \
                         says was written whole: not a crash)"
                    )?;
                }
                Ok(())
            }
            AnchorProblem::Rewritten { seq, found, head } => write!(
                f,
                "the log was rewritten: record seq {seq} has hash {}…, but the review store \
                 {store} anchors {}; the records up to it were replaced (their hashes recomputed)",
                short(found),
                describe_head(head)
            ),
            AnchorProblem::Unvouched {
                first,
                last,
                none_anchored,
                because,
            } => {
                let which = if first == last {
                    format!("record seq {first} is")
                } else {
                    format!("records seq {first} to {last} are")
                };
                write!(f, "{which} not vouched for by the review store {store}: ")?;
                match (because, none_anchored) {
                    (Some((at, reason)), _) => write!(
                        f,
                        "the session that wrote them could not anchor them in {at} ({})",
                        reason.code()
                    ),
                    (None, true) => write!(
                        f,
                        "it anchors no record of this log (written by a truora-tui that did not \
                         anchor, with another review store — see --review-db and --demo — or not \
                         by truora-tui)"
                    ),
                    (None, false) => write!(
                        f,
                        "they follow the last head it anchors and no truora-tui session \
                         announced them: appended by something else"
                    ),
                }
            }
            AnchorProblem::TornUnannounced { bytes } => write!(
                f,
                "the log ends in a partial line ({bytes} bytes) that no batch announced in the \
                 review store {store} explains: not a crash of truora-tui's writer"
            ),
            AnchorProblem::Gone { head } => write!(
                f,
                "the access log in {dir} is gone: the review store {store} anchors a log there \
                 up to {}; it was deleted (or moved: verify it where it is now with --audit-log)",
                describe_head(head)
            ),
            AnchorProblem::Replaced { head } => write!(
                f,
                "the access log in {dir} is not the one the review store {store} anchored there: \
                 that one began with record hash {}… and reached {}; this one begins with another \
                 record: the log was deleted and started again, or rewritten from its first record",
                short(&head.first_hash),
                describe_head(head)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::audit::verify::Location;
    use crate::review::Timestamp;

    fn head(first_seq: u64, seq: u64, byte: u8, written: bool) -> AnchoredHead {
        AnchoredHead {
            dir: "/log".into(),
            first_hash: [1; 32],
            first_seq,
            seq,
            hash: [byte; 32],
            session: "s".into(),
            announced: Timestamp(1),
            written: written.then_some(Timestamp(2)),
        }
    }

    /// A whole chain of `last + 1` records whose hash at seq `n` is `[n; 32]`, maybe torn after.
    fn report(last: u64, torn: Option<u64>) -> Report {
        Report {
            records: last + 1,
            head: Some((last, [u8::try_from(last).unwrap_or(0); 32])),
            torn: torn.map(|bytes| {
                let at = Location {
                    file: PathBuf::from("/log/audit-2026-11.jsonl"),
                    line: last + 2,
                    seq: None,
                };
                (at, bytes)
            }),
            first_hash: Some([1; 32]),
            at_seqs: (0..=last)
                .map(|n| (n, [u8::try_from(n).unwrap_or(0); 32]))
                .collect(),
            ..Report::default()
        }
    }

    #[test]
    fn a_batch_cut_by_a_crash_part_way_is_a_crash_and_its_whole_lines_are_named() {
        // Seq 0–3 written and marked; a batch of 4–9 announced; 4–6 reached the log, then a torn line.
        let anchors = Anchors {
            this_log: vec![head(0, 3, 3, true), head(4, 9, 99, false)],
            others_here: Vec::new(),
        };
        let vouching = judge(&report(6, Some(40)), &anchors);
        assert_eq!(vouching.problems, []);
        assert_eq!(
            vouching.crash,
            Some(Crash::NotWritten {
                head: head(4, 9, 99, false),
                partial: Some((4, 6)),
                torn: Some(40),
            })
        );
        assert_eq!(vouching.head, Some(head(0, 3, 3, true)));
    }

    #[test]
    fn a_batch_announced_after_a_gap_explains_nothing() {
        // The announced batch starts at 6, not after the last written head (3): records 4–5 and
        // the torn line are nobody's.
        let anchors = Anchors {
            this_log: vec![head(0, 3, 3, true), head(6, 9, 99, false)],
            others_here: Vec::new(),
        };
        let vouching = judge(&report(5, Some(40)), &anchors);
        assert_eq!(vouching.crash, None);
        assert_eq!(
            vouching.problems,
            [
                AnchorProblem::TornUnannounced { bytes: 40 },
                AnchorProblem::Unvouched {
                    first: 4,
                    last: 5,
                    none_anchored: false,
                    because: None,
                }
            ]
        );
    }

    #[test]
    fn only_written_heads_are_held_against_the_log() {
        // An announcement never written (a crash before writing), then the next session wrote
        // other records at those seqs: not a rewrite.
        let anchors = Anchors {
            this_log: vec![
                head(0, 3, 3, true),
                head(4, 5, 77, false),
                head(4, 6, 6, true),
            ],
            others_here: Vec::new(),
        };
        let vouching = judge(&report(6, None), &anchors);
        assert_eq!((vouching.problems, vouching.crash), (vec![], None));
        assert_eq!(vouching.head.map(|h| h.seq), Some(6));
    }
}
