//! Event ids and times.
//!
//! An [`EventId`] is a ULID: 48 bits of milliseconds since 1970 then 80 random bits, written as 26
//! Crockford base-32 characters. Sorting ids sorts events by time, and two reviewers on different
//! hosts practically never produce the same id, so merging their event files is a union by id.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const INVALID: u8 = 0xFF;

/// Byte → Crockford digit: both cases, and the look-alikes `I`, `L` (1) and `O` (0).
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 32 {
        let c = CROCKFORD[i];
        table[c as usize] = i as u8;
        table[c.to_ascii_lowercase() as usize] = i as u8;
        i += 1;
    }
    table[b'I' as usize] = 1;
    table[b'i' as usize] = 1;
    table[b'L' as usize] = 1;
    table[b'l' as usize] = 1;
    table[b'O' as usize] = 0;
    table[b'o' as usize] = 0;
    table
};

/// A point in time, UTC, in milliseconds since 1970-01-01. In event files its
/// [`iso`](Timestamp::iso) text.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(into = "String", try_from = "String")]
pub struct Timestamp(pub i64);

impl From<Timestamp> for String {
    fn from(t: Timestamp) -> String {
        t.iso()
    }
}

impl TryFrom<String> for Timestamp {
    type Error = String;

    fn try_from(text: String) -> Result<Timestamp, String> {
        Timestamp::parse(&text).ok_or_else(|| format!("{text:?} is not a time"))
    }
}

impl Timestamp {
    pub fn now() -> Self {
        let ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        Timestamp(ms)
    }

    pub fn from_secs(secs: i64) -> Self {
        Timestamp(secs.saturating_mul(1000))
    }

    pub fn millis(self) -> i64 {
        self.0
    }

    /// `2026-03-04T15:04:05.123Z`: the wire and export form.
    pub fn iso(self) -> String {
        let secs = self.0.div_euclid(1000);
        let ms = self.0.rem_euclid(1000);
        let base = crate::date::iso(secs);
        format!("{}.{ms:03}Z", base.trim_end_matches('Z'))
    }

    /// Reads a date or RFC 3339 timestamp (any precision, any offset); the fraction's first three
    /// digits become milliseconds. `None` when it is not a date.
    pub fn parse(text: &str) -> Option<Self> {
        let secs = crate::date::parse(text)?;
        let t = text.trim();
        let ms = match t.get(19..20) {
            Some(".") => {
                let digits: String = t[20..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .take(3)
                    .collect();
                format!("{digits:0<3}").parse::<i64>().unwrap_or(0)
            }
            _ => 0,
        };
        Some(Timestamp(secs.saturating_mul(1000) + ms))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

/// A ULID. `Ord` follows creation time (then randomness), as the text form does, which is
/// also its form in event files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct EventId(pub u128);

impl From<EventId> for String {
    fn from(id: EventId) -> String {
        id.to_string()
    }
}

impl TryFrom<String> for EventId {
    type Error = String;

    fn try_from(text: String) -> Result<EventId, String> {
        EventId::parse(&text).ok_or_else(|| format!("{text:?} is not an event id"))
    }
}

/// The last id handed out in this process for each recent millisecond: ids made in the same
/// millisecond count up from it, so one reviewer's events keep their order even when made faster
/// than the clock ticks. Kept per millisecond, not only the very last: an id made for another
/// time in between (an older event's time, a clock stepped back, another thread) must not let the
/// next one for this millisecond come out smaller.
static LAST: Mutex<BTreeMap<u128, u128>> = Mutex::new(BTreeMap::new());

/// How many milliseconds [`LAST`] remembers; the oldest are forgotten first.
const LAST_KEPT: usize = 256;

impl EventId {
    /// A new id for an event made at `at`; greater than every id made before in this process for
    /// the same millisecond.
    pub fn generate(at: Timestamp) -> Self {
        let ms = u128::from(u64::try_from(at.0.max(0)).unwrap_or(0) & 0xFFFF_FFFF_FFFF);
        let mut random = [0u8; 16];
        if getrandom::getrandom(&mut random[6..]).is_err() {
            // No OS randomness: fall back to the std hasher's per-process random keys.
            use std::hash::{BuildHasher, Hasher};
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u128(ms);
            random[8..].copy_from_slice(&h.finish().to_be_bytes());
        }
        let fresh = (ms << 80) | (u128::from_be_bytes(random) & ((1u128 << 80) - 1));
        let mut last = LAST
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let id = match last.get(&ms) {
            Some(&before) if fresh <= before => before + 1,
            _ => fresh,
        };
        last.insert(ms, id);
        if last.len() > LAST_KEPT {
            last.pop_first();
        }
        EventId(id)
    }

    /// When the id was made.
    pub fn timestamp(self) -> Timestamp {
        Timestamp(i64::try_from(self.0 >> 80).unwrap_or(i64::MAX))
    }

    /// Reads the 26-character form; lowercase and the Crockford look-alikes (`I`, `L` → 1, `O` → 0)
    /// are accepted.
    pub fn parse(text: &str) -> Option<Self> {
        EventId::parse_bytes(text.as_bytes())
    }

    /// [`parse`](Self::parse) on bytes (the store's loader reads them without a UTF-8 check).
    pub fn parse_bytes(b: &[u8]) -> Option<Self> {
        if b.len() != 26 || !matches!(b[0], b'0'..=b'7') {
            return None;
        }
        let mut v: u128 = 0;
        for &c in b {
            let digit = DECODE[usize::from(c)];
            if digit == INVALID {
                return None;
            }
            v = (v << 5) | u128::from(digit);
        }
        Some(EventId(v))
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = [0u8; 26];
        for (i, slot) in out.iter_mut().enumerate() {
            let shift = 5 * (25 - i);
            *slot = CROCKFORD[((self.0 >> shift) & 31) as usize];
        }
        f.write_str(std::str::from_utf8(&out).map_err(|_| fmt::Error)?)
    }
}

impl std::str::FromStr for EventId {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        EventId::parse(s)
            .ok_or_else(|| format!("{s:?} is not an event id (26 Crockford characters)"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_sort_by_time() {
        let a = EventId::generate(Timestamp(1_700_000_000_000));
        let b = EventId::generate(Timestamp(1_700_000_000_001));
        assert!(a < b);
        assert!(a.to_string() < b.to_string());
        assert_eq!(a.to_string().len(), 26);
        assert_eq!(EventId::parse(&a.to_string()), Some(a));
        assert_eq!(EventId::parse(&a.to_string().to_lowercase()), Some(a));
        assert_eq!(a.timestamp(), Timestamp(1_700_000_000_000));
        assert_eq!(EventId::parse("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"), None);
        assert_eq!(EventId::parse("01ARZ3NDEKTSV4RRFFQ69G5FA"), None);
        assert_eq!(EventId::parse("01ARZ3NDEKTSV4RRFFQ69G5FAU"), None);
    }

    #[test]
    fn ids_made_in_one_millisecond_still_increase() {
        let at = Timestamp(1_800_000_000_000);
        let ids: Vec<EventId> = (0..1000).map(|_| EventId::generate(at)).collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn ids_for_one_millisecond_increase_when_other_times_come_between() {
        // As when another thread, or an event with an older time, makes an id in between.
        let (at, other) = (Timestamp(1_800_000_000_123), Timestamp(1_700_000_000_456));
        let ids: Vec<EventId> = (0..1000)
            .map(|_| {
                EventId::generate(other);
                EventId::generate(at)
            })
            .collect();
        assert!(ids.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn timestamps_keep_milliseconds() {
        let t = Timestamp(1_704_164_645_123);
        assert_eq!(t.iso(), "2024-01-02T03:04:05.123Z");
        assert_eq!(Timestamp::parse(&t.iso()), Some(t));
        assert_eq!(
            Timestamp::parse("2024-01-02T03:04:05.1Z"),
            Some(Timestamp(1_704_164_645_100))
        );
        assert_eq!(
            Timestamp::parse("2024-01-02"),
            Some(Timestamp(1_704_153_600_000))
        );
        assert_eq!(Timestamp::parse("soon"), None);
    }
}
