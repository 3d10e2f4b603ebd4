//! Checking the chain: every record's bytes hash to its `hash`, its `prev` is the hash of the
//! record before it (across month files, from the genesis), and `seq` counts up by one.
//!
//! The first break is classified by looking at the records after it:
//! - *altered*: the line's bytes no longer hash to its stored hash (or it is not a record), and
//!   the chain does not simply continue past it;
//! - *inserted*: the chain continues past the line as if it were not there;
//! - *reordered*: the rightful next record comes later, or the line belongs elsewhere in it;
//! - *removed*: nothing continues the chain and the sequence jumps (a deleted line, a deleted
//!   month file, the oldest records cut off).
//!
//! A last line without its newline at the very end of the newest file is a record torn by a
//! crash mid-write: reported as such, not as tampering (the next writer cuts it off).
//!
//! What a hash chain cannot show on its own: records cut off the *end*, a log deleted or started
//! again, or a whole log rewritten by someone who recomputes every hash. For those the walk also
//! gathers what [`super::vouch`] compares with the heads anchored in the review store: the log's
//! first record, its hash at each anchored seq, and why the writer said it could not anchor.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::event::{AnchorFailure, AuditEvent, hex};
use super::files;
use super::record::{self, GENESIS, Link};

/// How many records after a break are read to classify it.
const LOOKAHEAD: usize = 100_000;

/// A line of a log file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// 1-based.
    pub line: u64,
    /// The `seq` the line claims, when it can be read.
    pub seq: Option<u64>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)?;
        if let Some(seq) = self.seq {
            write!(f, " (seq {seq})")?;
        }
        Ok(())
    }
}

/// The first place the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Altered {
        at: Location,
    },
    Inserted {
        at: Location,
    },
    Reordered {
        at: Location,
        expected_seq: u64,
    },
    Removed {
        at: Location,
        /// The sequence numbers missing before `at`, inclusive.
        first: u64,
        last: u64,
        /// Set when the gap is at the start of a month file: the file the chain came from.
        after_file: Option<PathBuf>,
    },
}

impl Problem {
    pub fn at(&self) -> &Location {
        match self {
            Problem::Altered { at }
            | Problem::Inserted { at }
            | Problem::Reordered { at, .. }
            | Problem::Removed { at, .. } => at,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Altered { at } => write!(
                f,
                "{at}: record altered: its contents no longer match its hash"
            ),
            Problem::Inserted { at } => write!(
                f,
                "{at}: record inserted: the chain continues past it as if it were not there"
            ),
            Problem::Reordered { at, expected_seq } => write!(
                f,
                "{at}: records reordered: seq {expected_seq} should come here"
            ),
            Problem::Removed {
                at,
                first,
                last,
                after_file,
            } => {
                let count = last - first + 1;
                let what = if first == last {
                    format!("record seq {first} was removed")
                } else {
                    format!("{count} records (seq {first} to {last}) were removed")
                };
                write!(f, "{at}: {what} before this one")?;
                if let Some(file) = after_file {
                    write!(
                        f,
                        "; the chain jumps from {} (a month file deleted?)",
                        file.display()
                    )?;
                }
                Ok(())
            }
        }
    }
}

/// What `verify` found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub files: Vec<PathBuf>,
    /// Records checked (up to the problem, if any).
    pub records: u64,
    /// The last good record's seq and hash.
    pub head: Option<(u64, [u8; 32])>,
    /// A last line torn by a crash mid-write, and its length in bytes.
    pub torn: Option<(Location, u64)>,
    pub problem: Option<Problem>,
    /// The stored hash of the log's first line, when it is a record: with the folder, what the
    /// review store knows the log by.
    pub first_hash: Option<[u8; 32]>,
    /// The hash of each good record whose seq was asked for ([`Look::seqs`]).
    pub at_seqs: HashMap<u64, [u8; 32]>,
    /// From [`Look::notes_from`] on: each record saying the head could not be anchored (its seq,
    /// the store, why).
    pub unanchored: Vec<(u64, String, AnchorFailure)>,
}

/// What the walk should gather besides the chain.
#[derive(Clone, Debug, Default)]
pub struct Look {
    /// Seqs whose hashes are wanted (the anchored ones).
    pub seqs: HashSet<u64>,
    /// Gather `anchor_unavailable` records from this seq on (the records no head vouches for).
    pub notes_from: Option<u64>,
}

impl Report {
    pub fn intact(&self) -> bool {
        self.problem.is_none()
    }

    /// The head as `seq <n> hash <hex>`, to note down and compare later.
    pub fn head_text(&self) -> Option<String> {
        self.head
            .map(|(seq, hash)| format!("seq {seq} hash {}", hex(&hash)))
    }
}

/// One line of the log, for the chain.
struct Item {
    file: usize,
    line: u64,
    link: Option<Link>,
    newline: bool,
    bytes: u64,
}

/// The lines of all month files in order.
struct Lines {
    files: Vec<PathBuf>,
    current: usize,
    reader: Option<BufReader<File>>,
    line: u64,
    buf: Vec<u8>,
}

impl Lines {
    fn next(&mut self) -> io::Result<Option<Item>> {
        loop {
            if self.reader.is_none() {
                let Some(path) = self.files.get(self.current) else {
                    return Ok(None);
                };
                self.reader = Some(BufReader::with_capacity(
                    1 << 18,
                    files::open_to_read(path)?,
                ));
                self.line = 0;
            }
            let Some(reader) = self.reader.as_mut() else {
                continue;
            };
            self.buf.clear();
            if reader.read_until(b'\n', &mut self.buf)? == 0 {
                self.reader = None;
                self.current += 1;
                continue;
            }
            self.line += 1;
            let newline = self.buf.last() == Some(&b'\n');
            let text = if newline {
                &self.buf[..self.buf.len() - 1]
            } else {
                &self.buf[..]
            };
            return Ok(Some(Item {
                file: self.current,
                line: self.line,
                link: record::link(text),
                newline,
                bytes: self.buf.len() as u64,
            }));
        }
    }
}

/// Verifies the log in `dir`. IO errors (a file that cannot be read) are errors, not verdicts.
pub fn verify(dir: &Path) -> io::Result<Report> {
    verify_looking(dir, &Look::default())
}

/// [`verify`], gathering what `look` asks for on the way.
pub fn verify_looking(dir: &Path, look: &Look) -> io::Result<Report> {
    let files: Vec<PathBuf> = files::month_files(dir)?
        .into_iter()
        .map(|(_, path)| path)
        .collect();
    let mut lines = Lines {
        files: files.clone(),
        current: 0,
        reader: None,
        line: 0,
        buf: Vec::with_capacity(512),
    };
    let mut report = Report {
        files: files.clone(),
        ..Report::default()
    };
    let (mut expected, mut last_hash) = (0u64, GENESIS);
    let mut last_file = None;
    while let Some(item) = lines.next()? {
        let location = |item: &Item| Location {
            file: files[item.file].clone(),
            line: item.line,
            seq: item.link.as_ref().map(|l| l.seq),
        };
        if !item.newline {
            // Only the newest file's end can hold a torn line: a writer cuts one off before it
            // appends anything, in this file or a newer one.
            if item.file + 1 == files.len() {
                report.torn = Some((location(&item), item.bytes));
                break;
            }
        }
        let links = item.newline
            && item
                .link
                .as_ref()
                .is_some_and(|l| l.intact() && l.prev == last_hash && l.seq == expected);
        if links {
            let link = item.link.as_ref().map(|l| (l.seq, l.stored));
            if let Some((seq, hash)) = link {
                (expected, last_hash) = (seq + 1, hash);
                report.head = Some((seq, hash));
                if report.records == 0 {
                    report.first_hash = Some(hash);
                }
                if look.seqs.contains(&seq) {
                    report.at_seqs.insert(seq, hash);
                }
                if look.notes_from.is_some_and(|from| seq >= from)
                    && let Some(note) = unanchored_note(&lines.buf)
                {
                    report.unanchored.push((seq, note.0, note.1));
                }
            }
            report.records += 1;
            last_file = Some(item.file);
            continue;
        }
        let mut after = Vec::new();
        while after.len() < LOOKAHEAD {
            match lines.next()? {
                Some(next) => after.push(next),
                None => break,
            }
        }
        let starts_file = item.line == 1 && item.file > 0;
        let after_file = last_file.filter(|_| starts_file).map(|f| files[f].clone());
        report.problem = Some(classify(
            location(&item),
            item.link.as_ref(),
            &after,
            (expected, last_hash),
            after_file,
        ));
        return Ok(report);
    }
    Ok(report)
}

/// The store and reason of an `anchor_unavailable` line; `None` for any other line.
fn unanchored_note(line: &[u8]) -> Option<(String, AnchorFailure)> {
    const KIND: &[u8] = b"\"kind\":\"anchor_unavailable\"";
    if !line.windows(KIND.len()).any(|w| w == KIND) {
        return None;
    }
    match record::parse(line.strip_suffix(b"\n").unwrap_or(line))?.event {
        AuditEvent::AnchorUnavailable { store, reason } => Some((store, reason)),
        _ => None,
    }
}

/// Names the first break: `link` is the line that does not follow `(expected, last_hash)`,
/// `after` the records that come after it.
fn classify(
    at: Location,
    link: Option<&Link>,
    after: &[Item],
    (expected, last_hash): (u64, [u8; 32]),
    after_file: Option<PathBuf>,
) -> Problem {
    let successor = |item: &Item| {
        item.link
            .as_ref()
            .is_some_and(|l| l.intact() && l.prev == last_hash && l.seq == expected)
    };
    let Some(link) = link.filter(|l| l.intact()) else {
        // Unreadable or edited: an insertion if the chain goes on past it as if it were absent.
        return match after.first() {
            Some(next) if successor(next) => Problem::Inserted { at },
            _ => Problem::Altered { at },
        };
    };
    if link.prev == last_hash {
        // It links, yet its seq is wrong and its hash fits: the line was rewritten with care.
        return Problem::Altered { at };
    }
    let belongs = after.iter().any(|item| {
        item.link
            .as_ref()
            .is_some_and(|l| l.prev == link.stored || l.stored == link.prev)
    });
    match after.iter().position(successor) {
        Some(0) if !belongs => Problem::Inserted { at },
        Some(_) => Problem::Reordered {
            at,
            expected_seq: expected,
        },
        None if link.seq > expected => Problem::Removed {
            at,
            first: expected,
            last: link.seq - 1,
            after_file,
        },
        None if belongs => Problem::Reordered {
            at,
            expected_seq: expected,
        },
        None => Problem::Inserted { at },
    }
}
