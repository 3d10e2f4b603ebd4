//! The log's folder: one file per UTC month (`audit-2026-11.jsonl`), a lock file, and the
//! permissions. The folder is created 0700 and the files 0600; links are refused rather than
//! followed, so nobody can point the log at another file.
//
// `private_dir`/`open_private_append` are local until the shared private-files module lands;
// they are the two places to route through it.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

/// The lock two writers take in turn (see [`super::writer`]).
pub const LOCK_FILE: &str = "audit.lock";

/// `audit-2026-11.jsonl`.
pub fn month_file_name((year, month): (i64, u32)) -> String {
    format!("audit-{year:04}-{month:02}.jsonl")
}

/// The month of a log file's name, or `None` for any other file.
pub fn parse_month_file_name(name: &str) -> Option<(i64, u32)> {
    let rest = name.strip_prefix("audit-")?.strip_suffix(".jsonl")?;
    let (year, month) = rest.split_once('-')?;
    if year.len() != 4 || month.len() != 2 {
        return None;
    }
    let year: i64 = year.parse().ok()?;
    let month: u32 = month.parse().ok()?;
    (1..=12).contains(&month).then_some((year, month))
}

/// The month files in `dir`, oldest first. A missing folder is an empty log.
pub fn month_files(dir: &Path) -> io::Result<Vec<((i64, u32), PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry?;
        if let Some(month) = entry.file_name().to_str().and_then(parse_month_file_name) {
            files.push((month, entry.path()));
        }
    }
    files.sort();
    Ok(files)
}

/// Opens a log file (a month file, the lock) to read: a regular file only, without following a
/// link and without blocking, so a FIFO or a device planted in the log's folder is refused with
/// its name instead of hanging `audit` and `--verify`.
pub fn open_to_read(path: &Path) -> io::Result<File> {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a file in a folder", path.display()),
        ));
    };
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    Ok(crate::fsx::PrivateDir::open_root(dir)?.open_file(name)?)
}

/// Opens (creating it 0600, and its folder 0700 when missing) a file for reading and
/// appending, through the private-files module: a link in its place is refused, never followed,
/// and a file found readable by others is tightened to 0600.
pub fn open_private_append(path: &Path) -> io::Result<File> {
    crate::fsx::open_private_file(path, crate::fsx::Access::ReadAppend)
        .map_err(|e| io::Error::other(e.to_string()))
}

/// Opens the lock file, creating it 0600.
pub fn open_lock(dir: &Path) -> io::Result<File> {
    open_private_append(&dir.join(LOCK_FILE))
}

/// The stored hash of the log's first record (the first line of the oldest non-empty month file):
/// with the folder, what names a log in the review store's anchors. `None` when that line is not
/// a whole record.
pub fn first_record_hash(paths: &[&Path]) -> io::Result<Option<[u8; 32]>> {
    use std::io::BufRead;
    for path in paths {
        let mut line = Vec::new();
        std::io::BufReader::new(open_to_read(path)?).read_until(b'\n', &mut line)?;
        if line.is_empty() {
            continue;
        }
        if line.pop() != Some(b'\n') {
            return Ok(None);
        }
        return Ok(super::record::link(&line).map(|link| link.stored));
    }
    Ok(None)
}

/// The end of a file: its last whole line (without the newline) and how many bytes follow it
/// without a newline (a line torn by a crash mid-write).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tail {
    pub last_line: Option<Vec<u8>>,
    /// Where the torn bytes start (the file's length when nothing is torn).
    pub whole_len: u64,
    pub torn: u64,
}

/// Reads the end of `file` backwards until it has the last whole line.
pub fn read_tail(file: &mut File) -> io::Result<Tail> {
    let len = file.metadata()?.len();
    let mut buf: Vec<u8> = Vec::new();
    let mut start = len;
    let mut chunk = 4096u64;
    loop {
        let from = start.saturating_sub(chunk);
        let mut piece = vec![0u8; (start - from) as usize];
        file.seek(SeekFrom::Start(from))?;
        file.read_exact(&mut piece)?;
        piece.extend_from_slice(&buf);
        buf = piece;
        start = from;
        // The torn part: after the last newline.
        let last_nl = buf.iter().rposition(|&b| b == b'\n');
        if let Some(nl) = last_nl {
            let whole_len = start + nl as u64 + 1;
            let before = &buf[..nl];
            if let Some(prev_nl) = before.iter().rposition(|&b| b == b'\n') {
                return Ok(Tail {
                    last_line: Some(before[prev_nl + 1..].to_vec()),
                    whole_len,
                    torn: len - whole_len,
                });
            }
            if start == 0 {
                return Ok(Tail {
                    last_line: Some(before.to_vec()),
                    whole_len,
                    torn: len - whole_len,
                });
            }
        } else if start == 0 {
            return Ok(Tail {
                last_line: None,
                whole_len: 0,
                torn: len,
            });
        }
        chunk = chunk.saturating_mul(2);
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn month_names_round_trip_and_others_are_ignored() {
        assert_eq!(month_file_name((2026, 1)), "audit-2026-01.jsonl");
        assert_eq!(
            parse_month_file_name("audit-2026-01.jsonl"),
            Some((2026, 1))
        );
        for other in [
            "audit-2026-13.jsonl",
            "audit-26-01.jsonl",
            "audit.lock",
            "x.jsonl",
        ] {
            assert_eq!(parse_month_file_name(other), None, "{other}");
        }
    }

    #[test]
    fn the_tail_is_the_last_whole_line_and_what_follows_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f");
        let long = "x".repeat(10_000);
        let cases: &[(&str, Option<&str>, u64)] = &[
            ("", None, 0),
            ("a\n", Some("a"), 0),
            ("a\nb\n", Some("b"), 0),
            ("a\nb\ntor", Some("b"), 3),
            ("tor", None, 3),
        ];
        for (text, last, torn) in cases {
            std::fs::write(&path, text).expect("write");
            let tail = read_tail(&mut File::open(&path).expect("open")).expect("tail");
            assert_eq!(
                tail.last_line.as_deref(),
                last.map(str::as_bytes),
                "{text:?}"
            );
            assert_eq!(tail.torn, *torn, "{text:?}");
            assert_eq!(tail.whole_len, text.len() as u64 - torn, "{text:?}");
        }
        let mut f = File::create(&path).expect("create");
        write!(f, "a\n{long}\n").expect("write");
        let tail = read_tail(&mut File::open(&path).expect("open")).expect("tail");
        assert_eq!(tail.last_line.as_deref(), Some(long.as_bytes()));
    }
}
