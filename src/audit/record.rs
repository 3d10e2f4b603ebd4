//! One record as a line of JSON, and the hash chain.
//!
//! A line is the record's JSON object with `"hash"` as its last member:
//! `{"seq":7,"time":…,"version":…,"session":…,"event":{…},"prev":"<64 hex>","hash":"<64 hex>"}`.
//! The canonical form that is hashed is the exact bytes of the line with the `,"hash":"…"` member
//! removed (so it ends in `"prev":"…"}`). Hashing the bytes as written, rather than a
//! re-serialisation, means any change at all — a field, a space, a member added — breaks the
//! hash, and verifying needs no knowledge of the event types. `prev` is the previous record's
//! hash (64 zeros for the first record of the log, the genesis), so each record also commits to
//! everything before it.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::event::AuditEvent;

/// The `prev` of the very first record.
pub const GENESIS: [u8; 32] = [0; 32];

/// `,"hash":"` + 64 hex + `"}`.
const HASH_SUFFIX_LEN: usize = 9 + 64 + 2;

/// A record as written and read back.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// 0 for the first record of the log, then +1 for each record, across month files.
    pub seq: u64,
    /// UTC, RFC 3339 with milliseconds.
    pub time: String,
    /// The tool version that wrote it.
    pub version: String,
    /// Which session wrote it: 8 hex digits, the same on every record of one run.
    pub session: String,
    pub event: AuditEvent,
    /// The previous record's hash, in hex.
    pub prev: String,
}

/// Builds the line (with its trailing newline) for a record and returns it with its hash.
pub fn encode(
    seq: u64,
    time: SystemTime,
    session: &str,
    event: &AuditEvent,
    prev: &[u8; 32],
) -> (String, [u8; 32]) {
    let record = Record {
        seq,
        time: rfc3339_millis(time),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        session: session.to_owned(),
        event: event.clone(),
        prev: super::event::hex(prev),
    };
    // Serialising plain structs and enums of strings and numbers cannot fail.
    let body = serde_json::to_string(&record).unwrap_or_default();
    let hash: [u8; 32] = Sha256::digest(body.as_bytes()).into();
    let mut line = String::with_capacity(body.len() + HASH_SUFFIX_LEN + 1);
    line.push_str(&body[..body.len() - 1]);
    line.push_str(",\"hash\":\"");
    line.push_str(&super::event::hex(&hash));
    line.push_str("\"}\n");
    (line, hash)
}

/// A line taken apart for the chain: what it says its hash is, what its bytes hash to, and the
/// fields the chain needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub seq: u64,
    pub prev: [u8; 32],
    /// The `hash` member as written.
    pub stored: [u8; 32],
    /// The hash of the canonical bytes; differs from `stored` when the line was edited.
    pub computed: [u8; 32],
}

impl Link {
    pub fn intact(&self) -> bool {
        self.stored == self.computed
    }
}

/// Only what the chain needs; serde skips the rest without building it.
#[derive(Deserialize)]
struct ChainFields<'a> {
    seq: u64,
    #[serde(borrow)]
    prev: &'a str,
}

/// Reads a line (without its newline) for the chain; `None` when it is not a record line at all.
pub fn link(line: &[u8]) -> Option<Link> {
    if line.len() < HASH_SUFFIX_LEN + 2 || !line.ends_with(b"\"}") {
        return None;
    }
    let cut = line.len() - HASH_SUFFIX_LEN;
    let (head, suffix) = line.split_at(cut);
    if !suffix.starts_with(b",\"hash\":\"") {
        return None;
    }
    let stored = unhex(&suffix[9..9 + 64])?;
    let mut hasher = Sha256::new();
    hasher.update(head);
    hasher.update(b"}");
    let computed: [u8; 32] = hasher.finalize().into();
    let mut body = Vec::with_capacity(head.len() + 1);
    body.extend_from_slice(head);
    body.push(b'}');
    let fields: ChainFields = serde_json::from_slice(&body).ok()?;
    Some(Link {
        seq: fields.seq,
        prev: unhex(fields.prev.as_bytes())?,
        stored,
        computed,
    })
}

/// The whole record, for printing.
pub fn parse(line: &[u8]) -> Option<Record> {
    serde_json::from_slice(line).ok()
}

fn unhex(text: &[u8]) -> Option<[u8; 32]> {
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in text.chunks(2).enumerate() {
        let digit = |c: u8| match c {
            b'0'..=b'9' => Some(c - b'0'),
            b'a'..=b'f' => Some(c - b'a' + 10),
            _ => None,
        };
        out[i] = digit(pair[0])? << 4 | digit(pair[1])?;
    }
    Some(out)
}

/// `2026-11-30T23:59:59.123Z`.
pub fn rfc3339_millis(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = i64::try_from(since.as_secs()).unwrap_or(i64::MAX);
    let seconds = crate::date::iso(secs);
    // `iso` ends in `Z`; put the milliseconds before it.
    format!(
        "{}.{:03}Z",
        &seconds[..seconds.len() - 1],
        since.subsec_millis()
    )
}

/// `(year, month)` of a UTC time, for the month file it belongs in.
pub fn year_month(time: SystemTime) -> (i64, u32) {
    let text = rfc3339_millis(time);
    let year = text[..4].parse().unwrap_or(1970);
    let month = text[5..7].parse().unwrap_or(1);
    (year, month)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_millis(secs * 1000 + 42)
    }

    #[test]
    fn a_line_hashes_to_its_stored_hash_and_any_edit_breaks_it() {
        let (line, hash) = encode(
            3,
            at(1_764_547_199),
            "abcd1234",
            &AuditEvent::SessionEnd,
            &GENESIS,
        );
        assert!(line.ends_with("\"}\n"));
        let bytes = line.trim_end().as_bytes();
        let link = link(bytes).expect("a record line");
        assert!(link.intact());
        assert_eq!((link.seq, link.prev, link.stored), (3, GENESIS, hash));
        let edited = line.replace("\"seq\":3", "\"seq\":4");
        let link = super::link(edited.trim_end().as_bytes()).expect("still a record line");
        assert!(!link.intact());
        let record = parse(bytes).expect("parses");
        assert_eq!(record.time, "2025-11-30T23:59:59.042Z");
        assert_eq!(record.event, AuditEvent::SessionEnd);
    }

    #[test]
    fn torn_and_foreign_lines_are_not_links() {
        let (line, _) = encode(0, at(0), "s", &AuditEvent::SessionEnd, &GENESIS);
        for cut in [1, 10, line.len() / 2, line.len() - 3] {
            assert_eq!(link(&line.as_bytes()[..cut]), None, "cut at {cut}");
        }
        assert_eq!(link(b"hello"), None);
    }

    #[test]
    fn months_follow_utc() {
        assert_eq!(year_month(at(1_764_547_199)), (2025, 11));
        assert_eq!(year_month(at(1_764_547_200)), (2025, 12));
    }
}
