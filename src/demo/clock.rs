//! The demo's date formats (ISO 8601 in several precisions in the JSON, `YYYYMMDDTHHMMSSZ` in
//! the S3 links), on the crate's one calendar routine ([`crate::date`]).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::date;

/// 2026-01-01T00:00:00Z: the synthetic processes are spread over 2026, fixed so snapshots are stable.
pub(crate) const YEAR_2026_START: i64 = 1_767_225_600;

/// Broken-down UTC time of Unix seconds.
fn parts(secs: i64) -> (i64, i64, i64, i64, i64, i64) {
    let (y, mo, d) = date::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    (y, mo, d, s / 3600, (s / 60) % 60, s % 60)
}

/// `2026-03-04T15:04:05Z`, the usual shape of Truora's dates.
pub(crate) fn iso(secs: i64) -> String {
    date::iso(secs)
}

/// `2026-03-04T15:04Z`: the seed's validations carry minute-precision dates like this.
pub(crate) fn iso_minutes(secs: i64) -> String {
    let (y, mo, d, h, mi, _) = parts(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}Z")
}

/// `2026-03-04T15:04:05.000000Z`: the seed's override history dates carry microseconds.
pub(crate) fn iso_micros(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = parts(secs);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.000000Z")
}

/// `2026-03-04`, for dates of birth and document validity.
pub(crate) fn date(secs: i64) -> String {
    let (y, mo, d, ..) = parts(secs);
    format!("{y:04}-{mo:02}-{d:02}")
}

/// `20260304T150405Z`, the `X-Amz-Date` format.
pub(crate) fn amz(secs: i64) -> String {
    let (y, mo, d, h, mi, s) = parts(secs);
    format!("{y:04}{mo:02}{d:02}T{h:02}{mi:02}{s:02}Z")
}

/// Parses an `X-Amz-Date`; `None` for anything that is not exactly `YYYYMMDDTHHMMSSZ` with sane fields.
pub(crate) fn parse_amz(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = text.get(r)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, s) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(date::days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s)
}

/// Wall-clock Unix seconds plus the test-controlled offset (`DemoServer::advance_clock`).
pub(crate) fn now_with_offset(offset: Duration) -> i64 {
    let wall = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    i64::try_from(wall.saturating_add(offset.as_secs())).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(date::days_from_civil(2026, 1, 1) * 86_400, YEAR_2026_START);
        assert_eq!(
            iso(YEAR_2026_START + 59 * 86_400 + 3661),
            "2026-03-01T01:01:01Z"
        );
        assert_eq!(iso_micros(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(iso_minutes(0), "1970-01-01T00:00Z");
    }

    #[test]
    fn amz_round_trip_and_rejects_garbage() {
        let t = YEAR_2026_START + 12_345_678;
        assert_eq!(parse_amz(&amz(t)), Some(t));
        for bad in [
            "",
            "2026",
            "20261301T000000Z",
            "2026010XT000000Z",
            "20260101T000000",
            "２０２６0101T000000Z",
        ] {
            assert_eq!(parse_amz(bad), None, "{bad}");
        }
    }
}
