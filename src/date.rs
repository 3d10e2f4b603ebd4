//! Civil dates without a date crate, in one place for the whole crate: Unix seconds ⇄
//! `YYYY-MM-DD…` text (Howard Hinnant's algorithms). The export parses `--since`/`--until` and
//! the list items' `creation_date` and stamps the manifest; the client reads `X-Amz-Date`; the
//! demo writes its dates in Truora's shapes.
//!
//! Truora's dates come in several precisions (`2006-01-02T15:04:04.000000Z`, the seed's
//! `2018-02-10T09:30Z`), so the parser accepts a date alone, minutes, seconds, any fraction, and
//! `Z`, `±HH:MM` or no zone (read as UTC).
//!
//! Showing a time in the user's zone needs the tz database's rules (daylight saving, history):
//! [`zone`] takes those from `jiff` and reads the server's text with [`parse`] from here.

use std::time::{SystemTime, UNIX_EPOCH};

pub mod zone;

/// Unix seconds of a date or RFC 3339-like timestamp; `None` when it is not one.
pub fn parse(text: &str) -> Option<i64> {
    let s = text.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let part = s.get(r)?;
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&mo) || !(1..=days_in_month(y, mo)).contains(&d) {
        return None;
    }
    let day = days_from_civil(y, mo, d) * 86_400;
    if b.len() == 10 {
        return Some(day);
    }
    if !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let (h, mi) = (num(11..13)?, num(14..16)?);
    if b.get(13) != Some(&b':') || h > 23 || mi > 59 {
        return None;
    }
    let mut i = 16;
    let mut sec = 0;
    if b.get(i) == Some(&b':') {
        sec = num(17..19)?;
        if sec > 60 {
            return None;
        }
        i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let digits = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            i += digits;
        }
    }
    let offset = match &b[i..] {
        [] | [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), ..] if b.len() == i + 6 && b[i + 3] == b':' => {
            let (oh, om) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'+' { off } else { -off }
        }
        _ => return None,
    };
    Some(day + h * 3600 + mi * 60 + sec - offset)
}

/// Whether the text is a date alone (`YYYY-MM-DD`): `--until` then includes that whole day.
pub fn is_date_only(text: &str) -> bool {
    text.trim().len() == 10
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// `2026-03-04T15:04:05Z`.
pub fn iso(secs: i64) -> String {
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        (s / 60) % 60,
        s % 60
    )
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// (year, month, day) for days since 1970-01-01 (Howard Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
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
        assert_eq!(parse("2024-01-02T03:04:05"), Some(day + 11_045));
        assert_eq!(parse("2024-01-02T05:04:05+02:00"), Some(day + 11_045));
        assert_eq!(parse("2024-01-01T22:04:05-05:00"), Some(day + 11_045));
        assert_eq!(parse("2024-02-29"), Some(1_709_164_800));
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-02-30",
            "2023-02-29",
            "2024-1-02",
            "2024-01-02T",
            "2024-01-02T25:00Z",
            "2024-01-02T03:04:05.Z",
            "2024-01-02T03:04+0200",
            "２０２４-01-02",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2026, 1, 1) * 86_400, 1_767_225_600);
        for day in [-800_000, -1, 0, 59, 19_782, 2_932_896] {
            let (y, m, d) = civil_from_days(day);
            assert_eq!(days_from_civil(y, m, d), day);
        }
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    #[test]
    fn iso_round_trips() {
        for secs in [0, 1_704_164_645, 1_767_225_600, 4_102_444_799] {
            assert_eq!(parse(&iso(secs)), Some(secs));
        }
        assert_eq!(iso(1_704_164_645), "2024-01-02T03:04:05Z");
    }
}
