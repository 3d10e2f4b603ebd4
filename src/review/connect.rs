//! How the store's connections are made: how they wait and grow ([`Tuning`]) and how one that
//! only reads is opened ([`ReadAccess`]).

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

/// How a store's connections wait and grow. The defaults suit every real use; tests shorten the
/// wait and cap the file to make "busy" and "disk full" happen for real.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tuning {
    /// How long a write waits for another program holding the file before giving up.
    pub busy_timeout: Duration,
    /// A cap on the file's size in pages (`PRAGMA max_page_count`): past it SQLite answers
    /// "database or disk is full", exactly as on a full disk. None by default.
    pub max_pages: Option<u64>,
}

impl Default for Tuning {
    fn default() -> Tuning {
        Tuning {
            busy_timeout: Duration::from_secs(5),
            max_pages: None,
        }
    }
}

/// How a connection that only reads is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ReadAccess {
    /// Through SQLite's locks and the write-ahead log, as any reader.
    Shared,
    /// `immutable=1`: the main file alone, no locks, nothing created beside it.
    Immutable,
}

impl ReadAccess {
    pub(super) fn connect(self, path: &Path) -> rusqlite::Result<Connection> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let query = match self {
            ReadAccess::Shared => "mode=ro",
            ReadAccess::Immutable => "immutable=1",
        };
        Connection::open_with_flags(uri(path, query), flags)
    }
}

/// `path` as an SQLite URI with `query`: every byte but letters, digits and `/-._~`
/// percent-encoded, so no name can smuggle in a parameter; an absolute path gets an empty
/// authority (`file:///…`), so one starting with `//` is not read as a host.
fn uri(path: &Path, query: &str) -> String {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode};
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let bytes = path.as_os_str().as_encoded_bytes();
    let authority = if path.is_absolute() { "//" } else { "" };
    format!("file:{authority}{}?{query}", percent_encode(bytes, KEEP))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_carry_any_path_and_nothing_more() {
        assert_eq!(
            uri(Path::new("/tmp/a b/r?.db"), "mode=ro"),
            "file:///tmp/a%20b/r%3F.db?mode=ro"
        );
        assert_eq!(
            uri(Path::new("rel#1.sqlite3"), "immutable=1"),
            "file:rel%231.sqlite3?immutable=1"
        );
        assert_eq!(uri(Path::new("//x/y"), "mode=ro"), "file:////x/y?mode=ro");
    }
}
