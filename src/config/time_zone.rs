//! Which zone times are shown in, chosen once at start-up: `--time-zone`, else `time_zone` in the
//! file, else (for `local`, the default) the `TZ` environment variable, else the system's zone.
//!
//! A name the user wrote for this tool (flag or file) that no tz database knows is a mistake to
//! fix now, like any other config error. `TZ` is shared with every program on the host, so a value
//! this tool cannot read only earns a warning and the system's zone: it must not stop the browser.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use jiff::tz::TimeZone;
use toml::Spanned;

use super::Env;
use super::error::{ConfigError, Origin};
use super::values::non_empty;
use crate::date::zone::DisplayZone;

/// The `time_zone` value that means "the TZ variable, else the system's zone".
pub const LOCAL: &str = "local";

/// The zone to show times in; problems that do not stop the program go to `warnings`.
pub(super) fn resolve(
    flag: Option<&str>,
    file: Option<&Spanned<String>>,
    at: &dyn Fn(Range<usize>) -> Origin,
    env: &dyn Env,
    (system, now): (Option<&DisplayZone>, i64),
    warnings: &mut Vec<String>,
) -> Result<DisplayZone, ConfigError> {
    let chosen = non_empty(flag)
        .map(|value| (value, Origin::Flag("--time-zone")))
        .or_else(|| {
            let value = file?;
            non_empty(Some(value.get_ref())).map(|name| (name, at(value.span())))
        });
    if let Some((value, origin)) = chosen
        && !value.eq_ignore_ascii_case(LOCAL)
    {
        return DisplayZone::named(&value, now)
            .ok_or(ConfigError::UnknownTimeZone { origin, value });
    }
    match env.var("TZ") {
        None => Ok(system_or_utc(system, warnings)),
        // The C library's convention, which `date` follows: `TZ=` set but empty means UTC.
        Some(value) if value.trim().is_empty() => Ok(DisplayZone::utc()),
        Some(value) => match from_tz(&value, now) {
            Some(zone) => Ok(zone),
            None => {
                let zone = system_or_utc(system, warnings);
                warnings.push(format!(
                    "the TZ environment variable {value:?} is not a time zone this program can \
                     read, so times are shown in the system's zone ({}); use an IANA name such \
                     as TZ=America/Bogota, or set time_zone in the config file",
                    zone.name()
                ));
                Ok(zone)
            }
        },
    }
}

/// The system's zone; UTC, with a warning, on a machine that has none.
fn system_or_utc(system: Option<&DisplayZone>, warnings: &mut Vec<String>) -> DisplayZone {
    if let Some(zone) = system {
        return zone.clone();
    }
    warnings.push(
        "the system's time zone could not be read (no /etc/localtime?), so times are shown in \
         UTC; set time_zone in the config file (e.g. \"America/Bogota\") or TZ"
            .to_owned(),
    );
    DisplayZone::utc()
}

/// `TZ` as the C library reads it: an optional `:`, then a zone name, a path into a zoneinfo
/// folder, another TZif file, or a POSIX rule such as `EST5EDT,M3.2.0,M11.1.0`.
fn from_tz(value: &str, now: i64) -> Option<DisplayZone> {
    let value = value.trim();
    let value = value.strip_prefix(':').unwrap_or(value);
    let name = value
        .rfind("zoneinfo/")
        .map_or(value, |at| &value[at + "zoneinfo/".len()..]);
    if let Some(zone) = DisplayZone::named(name, now) {
        return Some(zone);
    }
    if let Ok(rule) = TimeZone::posix(value) {
        return Some(DisplayZone::new(rule, value, now));
    }
    let path = Path::new(value);
    if path.is_absolute() {
        let tz = TimeZone::tzif(value, &read_tzif(path)?).ok()?;
        return Some(DisplayZone::new(tz, value, now));
    }
    None
}

/// A TZif file's bytes: only a regular file, and only so much of it (real ones are a few KB), so
/// `TZ=/dev/zero` cannot hang or exhaust the program.
fn read_tzif(path: &Path) -> Option<Vec<u8>> {
    const MAX_TZIF_BYTES: u64 = 1 << 20;
    let file = std::fs::File::open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(MAX_TZIF_BYTES).read_to_end(&mut bytes).ok()?;
    Some(bytes)
}

/// The machine's own zone, whatever `TZ` says: `/etc/localtime`, a link into a zoneinfo folder
/// that names the zone, or else a TZif file read as it is.
#[cfg(unix)]
pub(super) fn system_zone(now: i64) -> Option<DisplayZone> {
    const LOCALTIME: &str = "/etc/localtime";
    if let Ok(target) = std::fs::read_link(LOCALTIME)
        && let Some(target) = target.to_str()
        && let Some(at) = target.rfind("zoneinfo/")
        && let Some(zone) = DisplayZone::named(&target[at + "zoneinfo/".len()..], now)
    {
        return Some(zone);
    }
    let tz = TimeZone::tzif(LOCAL, &read_tzif(Path::new(LOCALTIME))?).ok()?;
    Some(DisplayZone::new(tz, LOCAL, now))
}

/// Elsewhere jiff knows where the system keeps its zone (it reads `TZ` too, which was already
/// found unusable or unset by the time this is asked).
#[cfg(not(unix))]
pub(super) fn system_zone(now: i64) -> Option<DisplayZone> {
    let tz = TimeZone::try_system().ok()?;
    let name = tz.iana_name().unwrap_or(LOCAL).to_owned();
    Some(DisplayZone::new(tz, &name, now))
}
