//! The demo's date formats (ISO 8601 in several precisions in the JSON, `YYYYMMDDTHHMMSSZ` in
//! the S3 links), written through the crate's one date module ([`crate::date`], on jiff).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::date;

/// 2026-01-01T00:00:00Z: the synthetic processes are spread over 2026, fixed so snapshots are stable.
pub(crate) const YEAR_2026_START: i64 = 1_767_225_600;

/// `2026-03-04T15:04:05Z`, the usual shape of Truora's dates.
pub(crate) fn iso(secs: i64) -> String {
    date::iso(secs)
}

/// `2026-03-04T15:04Z`: the seed's validations carry minute-precision dates like this.
pub(crate) fn iso_minutes(secs: i64) -> String {
    date::utc(secs, "%Y-%m-%dT%H:%MZ")
}

/// `2026-03-04T15:04:05.000000Z`: the seed's override history dates carry microseconds.
pub(crate) fn iso_micros(secs: i64) -> String {
    date::utc(secs, "%Y-%m-%dT%H:%M:%S.000000Z")
}

/// `2026-03-04`, for dates of birth and document validity.
pub(crate) fn date(secs: i64) -> String {
    date::utc(secs, "%Y-%m-%d")
}

/// `20260304T150405Z`, the `X-Amz-Date` format.
pub(crate) fn amz(secs: i64) -> String {
    date::utc(secs, date::AMZ_DATE)
}

/// Parses an `X-Amz-Date`; `None` for anything that is not exactly `YYYYMMDDTHHMMSSZ` with sane fields.
pub(crate) fn parse_amz(text: &str) -> Option<i64> {
    date::parse_amz(text)
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
        assert_eq!(date::parse("2026-01-01"), Some(YEAR_2026_START));
        assert_eq!(date(YEAR_2026_START + 59 * 86_400), "2026-03-01");
        assert_eq!(amz(YEAR_2026_START + 3661), "20260101T010101Z");
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
