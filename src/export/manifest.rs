//! The archive's bookkeeping files: reading and writing the journal and the manifest (their
//! types are in [`super::format`]).
//!
//! Why two files: a manifest that is rewritten after every process costs O(processes) each time
//! and would need every record in memory; a journal costs one appended line. So:
//! - `progress.jsonl` is append-only: one [`Record`] per process, appended (and synced) only
//!   after all of that process's files are in place, or when a stop cut the process short (state
//!   `interrupted`, with the files written so far). A later line for the same process wins. A
//!   line cut short by a kill is ignored (and the next run starts on a fresh line), so the
//!   journal is consistent after Ctrl-C or a kill at any point.
//! - `manifest.json` is rewritten atomically at the start of a run (what was asked, state
//!   `running`) and at its end (state, counts, and `processes`: the latest record of every
//!   process, streamed from the journal, which is compacted to the same records).
//!
//! A reader (resume, the archive browser) takes the manifest's `processes`, then the journal's
//! lines on top: the journal is the truth while a run is going, after it was killed, and after a
//! run that could not write its final manifest (a full disk), all of which leave the manifest in
//! state `running`.
//!
//! Both files are read as streams, one record at a time, so a reader that keeps only what it
//! needs per process (resume does) stays small however large the archive is. Both are read only
//! when they are regular files reached without a link ([`open_book`]): a FIFO planted in their
//! place is refused at once, with its name, instead of hanging the reader.

use std::collections::HashMap;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::format::{FileKind, Head, JOURNAL, MANIFEST, ProcessState, Record, Totals};
use crate::fsx::{FsError, PrivateDir};

/// Why `manifest.json` could not be read.
#[derive(Debug)]
pub enum ManifestError {
    /// It is not a regular file of the archive (a FIFO, a device, a link) or cannot be opened
    /// (permissions): nothing of it was read. The error names it.
    Unreadable(FsError),
    /// Its bytes are not a manifest (cut short, edited, another tool's): the reason.
    Damaged(String),
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ManifestError::Unreadable(e) => write!(f, "{e}"),
            ManifestError::Damaged(reason) => f.write_str(reason),
        }
    }
}

/// Opens one of the archive's own files for reading, through [`crate::fsx`]: a regular file,
/// not reached through a link, opened without blocking. `dir` itself may be a link (the user
/// named it). A missing file (or folder) is an error of kind `NotFound`.
pub fn open_book(dir: &Path, name: &str) -> Result<File, FsError> {
    PrivateDir::open_root(dir)?.open_file(name)
}

fn not_found(e: &FsError) -> bool {
    e.kind() == io::ErrorKind::NotFound
}

/// `manifest.json` as read back whole (its records in memory: for tests and small archives;
/// resume streams them, see [`stream_manifest`]).
#[derive(Debug, Default)]
pub struct ManifestFile {
    pub head: Head,
    /// `None` when the manifest has no `processes` (written at the start of a run).
    pub processes: Option<Vec<Record>>,
}

/// Reads `manifest.json`: `Ok(None)` when absent, `Err` when unreadable or damaged.
pub fn read_manifest(dir: &Path) -> Result<Option<ManifestFile>, ManifestError> {
    let mut records = Vec::new();
    let head = stream_manifest(dir, Some(&mut |r| records.push(r)))?;
    Ok(head.map(|(head, had)| ManifestFile {
        head,
        processes: had.then_some(records),
    }))
}

/// Reads `manifest.json` one record at a time: each record of `processes` goes to `each` (or is
/// skipped unparsed when `each` is `None`) and only the head is kept. Returns the head and
/// whether the manifest has a `processes` array; `Ok(None)` when absent, `Err` when it is not a
/// regular file or is damaged.
pub fn stream_manifest(
    dir: &Path,
    each: Option<&mut dyn FnMut(Record)>,
) -> Result<Option<(Head, bool)>, ManifestError> {
    let file = match open_book(dir, MANIFEST) {
        Ok(f) => f,
        Err(e) if not_found(&e) => return Ok(None),
        Err(e) => return Err(ManifestError::Unreadable(e)),
    };
    let mut de = serde_json::Deserializer::from_reader(BufReader::new(file));
    let read = de
        .deserialize_map(ManifestVisitor { each })
        .and_then(|head| de.end().map(|()| head));
    read.map(Some)
        .map_err(|e| ManifestError::Damaged(e.to_string()))
}

/// The manifest's top level: every key but `processes` is gathered (they are few and small) and
/// read as the [`Head`]; `processes` is streamed.
struct ManifestVisitor<'f> {
    each: Option<&'f mut dyn FnMut(Record)>,
}

impl<'de> Visitor<'de> for ManifestVisitor<'_> {
    type Value = (Head, bool);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the JSON object of an export's manifest")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut head = serde_json::Map::new();
        let mut had_processes = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "processes" {
                had_processes = map.next_value_seed(Records {
                    each: &mut self.each,
                })?;
            } else {
                head.insert(key, map.next_value()?);
            }
        }
        let head = Head::deserialize(serde_json::Value::Object(head)).map_err(de::Error::custom)?;
        Ok((head, had_processes))
    }
}

/// The `processes` array (or `null`), one record at a time; `true` when it is an array.
struct Records<'a, 'f> {
    each: &'a mut Option<&'f mut dyn FnMut(Record)>,
}

impl<'de> DeserializeSeed<'de> for Records<'_, '_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Records<'_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of process records")
    }

    fn visit_unit<E: de::Error>(self) -> Result<bool, E> {
        Ok(false)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        match self.each.as_mut() {
            Some(each) => {
                while let Some(record) = seq.next_element::<Record>()? {
                    each(record);
                }
            }
            None => while seq.next_element::<IgnoredAny>()?.is_some() {},
        }
        Ok(true)
    }
}

/// Whether the journal was written by an export: absent or empty, or its first line that can be
/// read is a [`Record`]. A folder holding someone else's `progress.jsonl` is not taken over.
pub fn journal_is_ours(dir: &Path) -> io::Result<bool> {
    let file = match open_book(dir, JOURNAL) {
        Ok(f) => f,
        Err(e) if not_found(&e) => return Ok(true),
        Err(e) => return Err(e.into()),
    };
    for line in BufReader::new(file.take(1 << 20)).split(b'\n') {
        let line = line?;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        return Ok(serde_json::from_slice::<Record>(&line).is_ok());
    }
    Ok(true)
}

/// Streams the journal's records in order, each with the byte offset of its line (for
/// [`read_record_at`]); returns how many lines could not be read.
pub fn read_journal(dir: &Path, mut each: impl FnMut(u64, Record)) -> io::Result<usize> {
    let file = match open_book(dir, JOURNAL) {
        Ok(f) => f,
        Err(e) if not_found(&e) => return Ok(0),
        Err(e) => return Err(e.into()),
    };
    let mut reader = BufReader::new(file);
    let (mut bad, mut offset, mut line) = (0, 0u64, Vec::new());
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(bad);
        }
        let at = offset;
        offset += n as u64;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Record>(&line) {
            Ok(record) => each(at, record),
            Err(_) => bad += 1,
        }
    }
}

/// The record on the journal line starting at `offset` (from [`read_journal`]); `None` when
/// that line is no longer a record there.
pub fn read_record_at(dir: &Path, offset: u64) -> io::Result<Option<Record>> {
    let mut file = open_book(dir, JOURNAL)?;
    file.seek(SeekFrom::Start(offset))?;
    let mut line = Vec::new();
    BufReader::new(file).read_until(b'\n', &mut line)?;
    Ok(serde_json::from_slice(&line).ok())
}

/// The journal, open for appending one record per finished process.
pub struct Journal {
    file: File,
}

impl Journal {
    /// Opens (creating) the journal; a line cut short by a kill is closed first so the next
    /// record starts on its own line.
    pub fn open(dir: &Path) -> io::Result<Journal> {
        let existed = dir.join(JOURNAL).exists();
        let root = PrivateDir::open_root(dir)?;
        let mut file = root.open_append(JOURNAL)?;
        if !existed {
            // Best effort, as for every file: a file system that cannot sync folders still works.
            let _ = root.sync();
        }
        let len = file.metadata()?.len();
        if len > 0 {
            let mut last = [0u8; 1];
            let mut reader = root.open_file(JOURNAL)?;
            reader.seek(SeekFrom::Start(len - 1))?;
            reader.read_exact(&mut last)?;
            if last[0] != b'\n' {
                file.write_all(b"\n")?;
            }
        }
        Ok(Journal { file })
    }

    /// Appends one record as a single write of one line, and syncs it: once this returns, the
    /// process counts as done even after a power cut. Blocking: call from `spawn_blocking`.
    pub fn append(&mut self, record: &Record) -> io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(io::Error::other)?;
        line.push(b'\n');
        self.file.write_all(&line)?;
        self.file.sync_data()
    }
}

/// Writes `manifest.json` with no records (the start of a run). Blocking.
pub fn write_head(dir: &Path, head: &Head) -> io::Result<()> {
    let text = serde_json::to_vec_pretty(head).map_err(io::Error::other)?;
    Ok(PrivateDir::open_root(dir)?.write_atomic(MANIFEST, &text)?)
}

/// Per process: where its latest record is in the journal, and what that record counts for.
struct Latest {
    at: u64,
    state: ProcessState,
    files: u64,
    images: u64,
    bytes: u64,
    missing: u64,
}

/// Ends a run: `manifest.json` gets `head` (with counts from the journal) and the latest record
/// of every process; the journal is compacted to the same records. Two streaming passes over
/// the journal, so memory stays small however many processes there are. Returns the counts.
pub fn finish(dir: &Path, head: &mut Head) -> io::Result<Totals> {
    let mut latest: HashMap<String, Latest> = HashMap::new();
    read_journal(dir, |at, r| {
        let images = r.files.iter().filter(|f| f.kind == FileKind::Image);
        let entry = Latest {
            at,
            state: r.state,
            files: r.files.len() as u64,
            images: images.clone().count() as u64,
            // Sizes come from a file anyone could edit: never overflow on them.
            bytes: r
                .files
                .iter()
                .fold(0u64, |sum, f| sum.saturating_add(f.bytes)),
            missing: r.missing.iter().filter(|m| m.permanent).count() as u64,
        };
        latest.insert(r.process_id, entry);
    })?;
    let mut counts = Totals {
        processes: latest.len() as u64,
        ..Totals::default()
    };
    for l in latest.values() {
        match l.state {
            ProcessState::Complete => {
                counts.complete += 1;
                counts.missing = counts.missing.saturating_add(l.missing);
            }
            ProcessState::Failed => counts.failed += 1,
            ProcessState::Interrupted => counts.interrupted += 1,
        }
        counts.files = counts.files.saturating_add(l.files);
        counts.images = counts.images.saturating_add(l.images);
        counts.bytes = counts.bytes.saturating_add(l.bytes);
    }
    head.counts = counts.clone();
    let mut keep: Vec<u64> = latest.values().map(|l| l.at).collect();
    keep.sort_unstable();
    drop(latest);

    let root = PrivateDir::open_root(dir)?;
    let manifest = root.temp_file(MANIFEST)?;
    let journal = root.temp_file(JOURNAL)?;
    let mut m = BufWriter::new(&manifest.file);
    let mut j = BufWriter::new(&journal.file);
    let head_text = serde_json::to_string_pretty(head).map_err(io::Error::other)?;
    let open = head_text.trim_end().trim_end_matches('}').trim_end();
    write!(m, "{open},\n  \"processes\": [")?;
    let (mut next, mut first) = (0, true);
    let mut failure: Option<io::Error> = None;
    read_journal(dir, |at, r| {
        if keep.get(next) == Some(&at) {
            next += 1;
            let written = serde_json::to_string(&r)
                .map_err(io::Error::other)
                .and_then(|text| {
                    let sep = if first { "\n    " } else { ",\n    " };
                    first = false;
                    write!(m, "{sep}{text}")?;
                    writeln!(j, "{text}")
                });
            if let Err(e) = written {
                failure.get_or_insert(e);
            }
        }
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    m.write_all(if first { b"]\n}\n" } else { b"\n  ]\n}\n" })?;
    m.into_inner().map_err(|e| e.into_error())?;
    j.into_inner().map_err(|e| e.into_error())?;
    // The journal first: a crash between the renames leaves the old manifest with a journal
    // holding the same latest records, which readers merge anyway.
    journal.commit()?;
    manifest.commit()?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::format::RunState;

    fn manifest(text: &str) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::write(tmp.path().join(MANIFEST), text).unwrap();
        tmp
    }

    #[test]
    fn the_manifest_streams_its_records_and_keeps_only_its_head() {
        let record = r#"{"process_id":"IDP1","folder":"IDP1","state":"complete"}"#;
        let tmp = manifest(&format!(
            r#"{{"format":"truora-tui-export","processes":[{record},{record}],"state":"complete"}}"#
        ));
        let mut seen = 0;
        let (head, had) = stream_manifest(
            tmp.path(),
            Some(&mut |r| {
                assert_eq!(r.process_id, "IDP1");
                seen += 1;
            }),
        )
        .unwrap()
        .unwrap();
        assert_eq!((seen, had, head.state), (2, true, RunState::Complete));
        let (_, had) = stream_manifest(tmp.path(), None).unwrap().unwrap();
        assert!(had, "skipped unparsed, still counted as present");

        let started = manifest(r#"{"format":"truora-tui-export","state":"running"}"#);
        let m = read_manifest(started.path()).unwrap().unwrap();
        assert!(m.processes.is_none());
        let null = manifest(r#"{"state":"running","processes":null}"#);
        assert!(
            read_manifest(null.path())
                .unwrap()
                .unwrap()
                .processes
                .is_none()
        );
        assert!(
            read_manifest(Path::new("/nonexistent/dir"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_damaged_manifest_says_why() {
        for bad in [
            "{\"state\": \"runn",
            "[]",
            "{} trailing",
            r#"{"processes": [{"process_id": 5}]}"#,
        ] {
            let tmp = manifest(bad);
            assert!(read_manifest(tmp.path()).is_err(), "{bad}");
        }
    }
}
