//! Dates, on `jiff`: the text shapes this crate reads and writes, in one place. The export parses
//! `--since`/`--until` and the list items' `creation_date` and stamps the manifest; the client
//! reads `X-Amz-Date`; the demo writes its dates in Truora's shapes; [`zone`] shows times in the
//! user's zone.
//!
//! Truora's dates come in several precisions (`2006-01-02T15:04:04.000000Z`, the seed's
//! `2018-02-10T09:30Z`), so [`parse`] accepts a date alone, minutes, seconds, any fraction, and
//! `Z`, `±HH:MM` or no zone (read as UTC). That list of shapes is the contract, checked here;
//! the calendar (month lengths, leap years, offsets) is jiff's.

use jiff::civil::DateTime;
use jiff::fmt::strtime;
use jiff::{SignedDuration, Timestamp};

pub mod zone;

/// Unix seconds of a date or RFC 3339-like timestamp; `None` when it is not one.
///
/// Wider forms jiff would also read (`20240102`, `+02`, `+0200`, `[America/Bogota]`, a comma
/// before the fraction) are refused: the command line documents the shapes above, and a typo
/// should not become some other instant. A leap second (`23:59:60`) reads as `23:59:59`.
pub fn parse(text: &str) -> Option<i64> {
    let s = text.trim();
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(digits(0..4) && at(4, b'-') && digits(5..7) && at(7, b'-') && digits(8..10)) {
        return None;
    }
    if b.len() == 10 {
        let day: DateTime = s.parse().ok()?;
        return Some(seconds_since_epoch(day));
    }
    let time =
        matches!(b[10], b'T' | b't' | b' ') && digits(11..13) && at(13, b':') && digits(14..16);
    if !time {
        return None;
    }
    let mut end = 16;
    if at(16, b':') {
        if !digits(17..19) {
            return None;
        }
        end = 19;
        if at(19, b'.') {
            let fraction = b[20..].iter().take_while(|c| c.is_ascii_digit()).count();
            if fraction == 0 {
                return None;
            }
            end = 20 + fraction;
        }
    }
    let zone = &s[end..];
    let offset = match zone.as_bytes() {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), _, _, b':', _, _]
            if digits(end + 1..end + 3) && digits(end + 4..end + 6) =>
        {
            let (hours, minutes) = (
                zone[1..3].parse::<i64>().ok()?,
                zone[4..6].parse::<i64>().ok()?,
            );
            if hours > 23 || minutes > 59 {
                return None;
            }
            let east = hours * 3600 + minutes * 60;
            if *sign == b'+' { east } else { -east }
        }
        _ => return None,
    };
    // jiff reads nanoseconds at most; finer digits cannot change the second.
    let civil: DateTime = s[..end.min(NANOSECONDS_END)].parse().ok()?;
    Some(seconds_since_epoch(civil) - offset)
}

/// `YYYY-MM-DDTHH:MM:SS.` and nine digits.
const NANOSECONDS_END: usize = 29;

/// 1970-01-01T00:00:00, civil: dates are counted from it in civil time, which reaches every
/// four-digit year (`9999-12-31` included, which a zoned jiff timestamp does not).
const EPOCH: DateTime = jiff::civil::date(1970, 1, 1).at(0, 0, 0, 0);

/// Unix seconds of a civil time read as UTC.
fn seconds_since_epoch(civil: DateTime) -> i64 {
    civil.duration_since(EPOCH).as_secs()
}

/// Whether the text is a date alone (`YYYY-MM-DD`): `--until` then includes that whole day.
pub fn is_date_only(text: &str) -> bool {
    text.trim().len() == 10
}

/// `2026-03-04T15:04:05Z`.
pub fn iso(secs: i64) -> String {
    utc(secs, "%Y-%m-%dT%H:%M:%SZ")
}

/// Unix seconds in UTC written with a `strftime` pattern (`%Y-%m-%dT%H:%MZ`). A time outside
/// the four-digit years is written as the nearest one inside: these are clocks and server
/// dates, never that far off, and a stamp must still be written.
pub fn utc(secs: i64, pattern: &str) -> String {
    let at = EPOCH
        .checked_add(SignedDuration::from_secs(secs))
        .unwrap_or(if secs < 0 {
            DateTime::MIN
        } else {
            DateTime::MAX
        });
    at.strftime(pattern).to_string()
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    Timestamp::now().as_second()
}

/// The `X-Amz-Date` of a pre-signed S3 link: `20260304T150405Z`.
pub const AMZ_DATE: &str = "%Y%m%dT%H%M%SZ";

/// Unix seconds of an `X-Amz-Date`; `None` for anything that is not exactly `YYYYMMDDTHHMMSSZ`
/// with a real date and time.
pub fn parse_amz(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let shaped = b.len() == 16
        && b[8] == b'T'
        && b[15] == b'Z'
        && b[..8].iter().chain(&b[9..15]).all(u8::is_ascii_digit);
    if !shaped {
        return None;
    }
    let civil = strtime::parse(AMZ_DATE, text).ok()?.to_datetime().ok()?;
    Some(seconds_since_epoch(civil))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_precision_truora_sends() {
        let day = parse("2024-01-02").unwrap();
        assert_eq!(day, 1_704_153_600);
        assert_eq!(parse("2024-01-02T03:04Z"), Some(day + 3 * 3600 + 4 * 60));
        assert_eq!(parse("2024-01-02T03:04:05Z"), Some(day + 11_045));
        assert_eq!(parse("2024-01-02T03:04:05.000000Z"), Some(day + 11_045));
        assert_eq!(
            parse("2024-01-02T03:04:05.999999999999Z"),
            Some(day + 11_045)
        );
        assert_eq!(parse("2024-01-02T03:04:05"), Some(day + 11_045));
        assert_eq!(parse("2024-01-02t03:04:05z"), Some(day + 11_045));
        assert_eq!(parse(" 2024-01-02 03:04:05Z "), Some(day + 11_045));
        assert_eq!(parse("2024-01-02T05:04:05+02:00"), Some(day + 11_045));
        assert_eq!(parse("2024-01-01T22:04:05-05:00"), Some(day + 11_045));
        assert_eq!(parse("2024-02-29"), Some(1_709_164_800));
        assert_eq!(parse("2016-12-31T23:59:60Z"), parse("2016-12-31T23:59:59Z"));
        // Every four-digit year, as far-future placeholders use.
        assert_eq!(parse("9999-12-31T00:00:00Z"), Some(253_402_214_400));
        assert_eq!(parse("0000-01-01"), Some(-62_167_219_200));
        assert_eq!(
            parse("2024-01-02T03:04:05+23:59"),
            Some(day + 11_045 - 86_340)
        );
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-02-30",
            "2023-02-29",
            "1900-02-29",
            "2024-1-02",
            "2024-01-02T",
            "2024-01-02T25:00Z",
            "2024-01-02T03Z",
            "2024-01-02T03:04:05.Z",
            "2024-01-02T03:04:05,5Z",
            "2024-01-02T03:04+0200",
            "2024-01-02T03:04:05+02",
            "2024-01-02T03:04:05Z[UTC]",
            "2024-01-02T03:04:05+24:00",
            "2024-01-02T03:04:05+02:60",
            "20240102",
            "+002024-01-02",
            "２０２４-01-02",
            "2024-01-02T03:0é",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn leap_years_follow_the_gregorian_rules() {
        assert!(parse("2000-02-29").is_some(), "divisible by 400");
        assert!(parse("2100-02-29").is_none(), "divisible by 100");
        assert!(parse("2028-02-29").is_some(), "divisible by 4");
        assert_eq!(
            parse("2024-03-01").unwrap() - parse("2024-02-28").unwrap(),
            2 * 86_400
        );
    }

    #[test]
    fn iso_round_trips() {
        for secs in [0, -1, 1_704_164_645, 1_767_225_600, 4_102_444_799] {
            assert_eq!(parse(&iso(secs)), Some(secs));
        }
        assert_eq!(iso(1_704_164_645), "2024-01-02T03:04:05Z");
        assert_eq!(iso(-1), "1969-12-31T23:59:59Z");
        assert_eq!(utc(0, "%Y-%m-%dT%H:%MZ"), "1970-01-01T00:00Z");
        assert_eq!(iso(253_402_214_400), "9999-12-31T00:00:00Z");
        assert_eq!(
            iso(i64::MAX),
            "9999-12-31T23:59:59Z",
            "clamped, not a panic"
        );
        assert!(iso(i64::MIN).starts_with('-'), "clamped, not a panic");
    }

    #[test]
    fn amz_dates_round_trip_and_garbage_is_refused() {
        assert_eq!(parse_amz("20240102T030405Z"), Some(1_704_164_645));
        for secs in [0, 1_704_164_645, 1_767_225_600 + 12_345_678] {
            assert_eq!(parse_amz(&utc(secs, AMZ_DATE)), Some(secs));
        }
        for bad in [
            "",
            "2026",
            "20261301T000000Z",
            "20240230T000000Z",
            "2026010XT000000Z",
            "+2026101T000000Z",
            "20260101T000000",
            "20260101T250000Z",
            "２０２６0101T000000Z",
        ] {
            assert_eq!(parse_amz(bad), None, "{bad}");
        }
    }
}
