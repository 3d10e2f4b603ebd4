//! The time zone times are *shown* in. The data keeps Truora's UTC strings as they came (exports,
//! the raw view and `show --json` print those); only the human views convert, through
//! [`DisplayZone`], which the start-up resolves once (config `time_zone`, else `TZ`, else the
//! system's zone) and hands to the app and `show`, so nothing below reads the environment.
//!
//! Zone rules come from `jiff`: the system's tz database when there is one (the rules `date`
//! uses), else the copy bundled into the binary, so a minimal container without tzdata still
//! shows Bogotá's or Madrid's time, daylight saving included.

use std::borrow::Cow;

use jiff::Timestamp;
use jiff::tz::TimeZone;

/// How much of a converted time is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeStyle {
    /// `2024-03-05 05:20`: a list column whose header names the zone.
    Column,
    /// `2024-03-05 05:20 -05`: a line of its own, e.g. the review history.
    Minutes,
    /// `2024-03-05 05:20:30 -05`: a field of the tree or `show`.
    Seconds,
}

/// A zone to show times in, with the short label a column header can carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayZone {
    tz: TimeZone,
    /// `America/Bogota`, `UTC`, or what the rules were read from (`TZ=EST5EDT,…`).
    name: String,
    /// `UTC`, `-05`, `JST` for a zone with one offset; `Madrid` or `CET/CEST` for one that
    /// changes with daylight saving (a single abbreviation would be wrong for half the rows).
    label: String,
}

impl Default for DisplayZone {
    fn default() -> Self {
        DisplayZone::utc()
    }
}

/// Seconds in about a month: the label samples a year of offsets at this step.
const MONTH: i64 = 30 * 86_400;

impl DisplayZone {
    /// Times as Truora sends them.
    pub fn utc() -> Self {
        DisplayZone::new(TimeZone::UTC, "UTC", 0)
    }

    /// A zone by its IANA name (`America/Bogota`, case-insensitive; `UTC`); its label is worked
    /// out for the year starting at `now` (Unix seconds). `None` for a name the tz database
    /// does not know.
    pub fn named(name: &str, now: i64) -> Option<Self> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("UTC") {
            return Some(DisplayZone::new(TimeZone::UTC, "UTC", now));
        }
        let tz = TimeZone::get(name).ok()?;
        let canonical = tz.iana_name().unwrap_or(name).to_owned();
        Some(DisplayZone::new(tz, &canonical, now))
    }

    /// A zone from rules in hand (a `TZ` rule, `/etc/localtime`), called `name`.
    pub fn new(tz: TimeZone, name: &str, now: i64) -> Self {
        let label = label(&tz, name, now);
        DisplayZone {
            tz,
            name: name.to_owned(),
            label,
        }
    }

    /// The zone's full name, for help text and `show`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The short label a column header shows: `UTC`, `-05`, `Madrid`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// A server time (`2024-03-05T10:20:30.123Z`, any precision [`super::parse`] reads) in this
    /// zone. A date alone is a calendar day, not an instant, and is shown as it came; so is
    /// anything that is not a date: malformed server data is shown, never dropped.
    pub fn show<'a>(&self, text: &'a str, style: TimeStyle) -> Cow<'a, str> {
        if super::is_date_only(text) {
            return Cow::Borrowed(text);
        }
        match super::parse(text).and_then(|secs| self.format(secs, style)) {
            Some(shown) => Cow::Owned(shown),
            None => Cow::Borrowed(text),
        }
    }

    /// Unix seconds in this zone; `None` outside the years jiff represents (±9999).
    pub fn format(&self, secs: i64, style: TimeStyle) -> Option<String> {
        let at = Timestamp::from_second(secs).ok()?;
        let t = self.tz.to_datetime(at);
        let day = format!(
            "{:04}-{:02}-{:02} {:02}:{:02}",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute()
        );
        let info = self.tz.to_offset_info(at);
        Some(match style {
            TimeStyle::Column => day,
            TimeStyle::Minutes => format!("{day} {}", info.abbreviation()),
            TimeStyle::Seconds => format!("{day}:{:02} {}", t.second(), info.abbreviation()),
        })
    }
}

/// The header label: the one abbreviation a zone uses all year, else its city (the last part of
/// an IANA name), else its abbreviations joined (`EST/EDT` for a POSIX rule or a TZif file).
fn label(tz: &TimeZone, name: &str, now: i64) -> String {
    let mut seen: Vec<String> = Vec::new();
    for month in 0..13 {
        let Ok(at) = Timestamp::from_second(now.saturating_add(month * MONTH)) else {
            continue;
        };
        let abbreviation = tz.to_offset_info(at).abbreviation().to_owned();
        if !seen.contains(&abbreviation) {
            seen.push(abbreviation);
        }
    }
    match seen.as_slice() {
        [] => name.to_owned(),
        [one] => one.clone(),
        // A file path (`TZ=/some/file`) names no city.
        _ => match name.rsplit_once('/') {
            Some((_, city)) if !city.is_empty() && !name.starts_with('/') => city.to_owned(),
            _ => seen.join("/"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-01-01T00:00:00Z: labels are worked out for 2026.
    const NEW_YEAR_2026: i64 = 1_767_225_600;

    fn zone(name: &str) -> DisplayZone {
        DisplayZone::named(name, NEW_YEAR_2026).expect(name)
    }

    #[test]
    fn bogota_is_five_hours_behind_all_year() {
        let bogota = zone("america/bogota");
        assert_eq!(bogota.name(), "America/Bogota");
        assert_eq!(bogota.label(), "-05");
        assert_eq!(
            bogota.show("2026-03-01T10:22:33.123456Z", TimeStyle::Seconds),
            "2026-03-01 05:22:33 -05"
        );
        // Past midnight UTC is still the day before in Bogotá.
        assert_eq!(
            bogota.show("2026-03-02T03:04Z", TimeStyle::Column),
            "2026-03-01 22:04"
        );
        assert_eq!(
            bogota.show("2026-07-01T12:00:00Z", TimeStyle::Minutes),
            "2026-07-01 07:00 -05"
        );
    }

    #[test]
    fn madrid_follows_daylight_saving_on_both_sides_of_each_change() {
        let madrid = zone("Europe/Madrid");
        assert_eq!(madrid.label(), "Madrid", "two abbreviations a year");
        // Spring forward: 2026-03-29 01:00 UTC (02:00 CET → 03:00 CEST).
        let cases = [
            ("2026-03-29T00:59:59Z", "2026-03-29 01:59:59 CET"),
            ("2026-03-29T01:00:00Z", "2026-03-29 03:00:00 CEST"),
            // Fall back: 2026-10-25 01:00 UTC (03:00 CEST → 02:00 CET): 02:30 happens twice.
            ("2026-10-25T00:30:00Z", "2026-10-25 02:30:00 CEST"),
            ("2026-10-25T01:30:00Z", "2026-10-25 02:30:00 CET"),
        ];
        for (utc, local) in cases {
            assert_eq!(madrid.show(utc, TimeStyle::Seconds), local, "{utc}");
        }
    }

    #[test]
    fn utc_keeps_the_servers_clock() {
        let utc = DisplayZone::utc();
        assert_eq!(utc.label(), "UTC");
        assert_eq!(
            utc.show("2018-02-10T09:30Z", TimeStyle::Column),
            "2018-02-10 09:30"
        );
        assert_eq!(
            utc.show("2024-01-01T22:04:05-05:00", TimeStyle::Seconds),
            "2024-01-02 03:04:05 UTC"
        );
        assert_eq!(zone("utc"), utc);
        assert_eq!(DisplayZone::default(), utc);
    }

    #[test]
    fn what_is_not_a_time_is_shown_as_it_came() {
        let bogota = zone("America/Bogota");
        for text in [
            "",
            "yesterday",
            "2024-03-05",
            "2018-02-10T09:3é",
            "2024-13-01T00:00:00Z",
            "2024-01-02T03:04:05+0200",
            "9999-99-99T99:99:99Z",
            "2024-01-02T03:04:05.Z",
        ] {
            for style in [TimeStyle::Column, TimeStyle::Minutes, TimeStyle::Seconds] {
                assert_eq!(bogota.show(text, style), text, "{text:?}");
            }
        }
        assert_eq!(bogota.format(i64::MAX, TimeStyle::Column), None);
    }

    #[test]
    fn unknown_names_are_refused() {
        assert_eq!(DisplayZone::named("Mars/Olympus_Mons", NEW_YEAR_2026), None);
        assert_eq!(DisplayZone::named("", NEW_YEAR_2026), None);
    }

    #[test]
    fn labels_of_rules_without_a_city_name_both_abbreviations() {
        let rule = TimeZone::posix("EST5EDT,M3.2.0,M11.1.0").expect("rule");
        let zone = DisplayZone::new(rule, "EST5EDT,M3.2.0,M11.1.0", NEW_YEAR_2026);
        assert_eq!(zone.label(), "EST/EDT");
        let fixed = TimeZone::posix("<+0530>-5:30").expect("rule");
        let zone = DisplayZone::new(fixed, "<+0530>-5:30", NEW_YEAR_2026);
        assert_eq!(zone.label(), "+0530");
        assert_eq!(
            zone.show("2026-03-01T10:00:00Z", TimeStyle::Minutes),
            "2026-03-01 15:30 +0530"
        );
    }

    #[test]
    fn the_bundled_database_knows_the_zones_without_system_tzdata() {
        let db = jiff::tz::TimeZoneDatabase::bundled();
        for name in ["America/Bogota", "Europe/Madrid", "America/Mexico_City"] {
            assert!(db.get(name).is_ok(), "{name}");
        }
    }

    proptest::proptest! {
        #[test]
        fn show_never_panics(text in "\\PC{0,40}", secs in proptest::num::i64::ANY) {
            let madrid = zone("Europe/Madrid");
            let _ = madrid.show(&text, TimeStyle::Seconds);
            let _ = madrid.format(secs, TimeStyle::Minutes);
        }
    }
}
