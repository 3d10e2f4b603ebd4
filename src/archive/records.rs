//! Reading the bookkeeping's records one at a time, each with where it is in its file, so the
//! archive keeps the place and not the record (see [`super::index`]), and reading one again
//! from there when its process is opened.
//!
//! The files are read through handles opened once, when the archive is opened, and kept: an
//! export that rewrites `manifest.json` (by renaming a new file over it) or compacts the
//! journal meanwhile leaves the archive reading the files it indexed, whose places still hold.
//!
//! The manifest is parsed as a stream, as [`crate::export::manifest::stream_manifest`] parses
//! it (the same parser and the same errors), with a reader that counts the bytes the parser has
//! taken: when an element of `processes` starts, the parser has taken its first byte (`{`, to
//! know a value follows) and nothing after it; when the element ends it has taken its last byte
//! and nothing after it. Each place is checked when it is read back: the bytes there must parse
//! as a record of the same process.

use std::cell::Cell;
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::os::unix::fs::FileExt;
use std::rc::Rc;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::index::Span;
use crate::export::format::{Head, Record};
use crate::export::manifest::ManifestError;

/// Reads the manifest from `file`: each record of `processes` goes to `each` with its place;
/// returns the head and whether it has `processes`. Errors as `stream_manifest`'s.
pub(super) fn manifest(
    file: File,
    each: &mut dyn FnMut(Span, Record),
) -> Result<(Head, bool), ManifestError> {
    let taken = Rc::new(Cell::new(0));
    let reader = Counting {
        inner: BufReader::new(file),
        taken: taken.clone(),
    };
    let mut de = serde_json::Deserializer::from_reader(reader);
    de.deserialize_map(Top { each, taken })
        .and_then(|head| de.end().map(|()| head))
        .map_err(|e| ManifestError::Damaged(e.to_string()))
}

/// Reads the journal from `file`: each line that is a record goes to `each` with its place;
/// returns how many lines could not be read (as `manifest::read_journal`).
pub(super) fn journal(file: File, each: &mut dyn FnMut(Span, Record)) -> io::Result<usize> {
    lines(file, &mut |span, line| {
        if line.iter().all(u8::is_ascii_whitespace) {
            return true;
        }
        match serde_json::from_slice::<Record>(line) {
            Ok(record) => {
                each(span, record);
                true
            }
            Err(_) => false,
        }
    })
}

/// Each line of `file` with its place (its newline included); `each` says whether the line
/// could be read. Returns how many could not.
pub(super) fn lines(file: File, each: &mut dyn FnMut(Span, &[u8]) -> bool) -> io::Result<usize> {
    let mut reader = BufReader::new(file);
    let (mut bad, mut at, mut line) = (0, 0u64, Vec::new());
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line)? as u64;
        if n == 0 {
            return Ok(bad);
        }
        if !each(Span { at, len: n }, &line) {
            bad += 1;
        }
        at += n;
    }
}

/// The bytes at `span` of `file`.
pub(super) fn read_at(file: &File, span: Span) -> io::Result<Vec<u8>> {
    let len = usize::try_from(span.len).map_err(io::Error::other)?;
    let mut bytes = vec![0; len];
    file.read_exact_at(&mut bytes, span.at)?;
    Ok(bytes)
}

/// The record of `process_id` at `span` of `file`; the error says why it is not there.
pub(super) fn record_at(file: &File, span: Span, process_id: &str) -> Result<Record, String> {
    let bytes = read_at(file, span).map_err(|e| e.to_string())?;
    let record: Record = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    if record.process_id != process_id {
        return Err("the file changed since the archive was opened".into());
    }
    Ok(record)
}

/// A reader that counts what has been taken from it.
struct Counting<R> {
    inner: R,
    taken: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.taken.set(self.taken.get() + n as u64);
        Ok(n)
    }
}

/// The manifest's top level: every key but `processes` is gathered (they are few and small) and
/// read as the [`Head`]; `processes` is streamed.
struct Top<'f> {
    each: &'f mut dyn FnMut(Span, Record),
    taken: Rc<Cell<u64>>,
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = (Head, bool);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the JSON object of an export's manifest")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut head = serde_json::Map::new();
        let mut had_processes = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "processes" {
                had_processes = map.next_value_seed(Records {
                    each: &mut *self.each,
                    taken: &self.taken,
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
    each: &'a mut (dyn FnMut(Span, Record) + 'f),
    taken: &'a Rc<Cell<u64>>,
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
        while let Some((span, record)) = seq.next_element_seed(Placed(self.taken))? {
            (self.each)(span, record);
        }
        Ok(true)
    }
}

/// One record, with its place.
struct Placed<'a>(&'a Rc<Cell<u64>>);

impl<'de> DeserializeSeed<'de> for Placed<'_> {
    type Value = (Span, Record);

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        // The parser has taken the element's first byte to see that a value follows.
        let at = self.0.get().saturating_sub(1);
        let record = Record::deserialize(d)?;
        let len = self.0.get() - at;
        Ok((Span { at, len }, record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::format::{FileKind, FileRecord, ProcessState};

    fn record(id: &str) -> Record {
        Record {
            process_id: id.to_owned(),
            folder: id.to_owned(),
            state: ProcessState::Complete,
            error: None,
            finished_at: "2026-01-01T00:00:00Z".into(),
            images: true,
            details: true,
            summary: serde_json::json!({"status": "success", "note": "a } and a \" inside"})
                .as_object()
                .cloned()
                .unwrap(),
            files: vec![FileRecord {
                path: "result.json".into(),
                kind: FileKind::Result,
                validation_id: None,
                field: None,
                link: None,
                bytes: 12,
                sha256: "ab".repeat(32),
            }],
            missing: Vec::new(),
        }
    }

    fn places_in(text: &str) -> Vec<(Span, Record)> {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("manifest.json");
        std::fs::write(&path, text).unwrap();
        let mut found = Vec::new();
        let (_, had) = manifest(File::open(&path).unwrap(), &mut |span, r| {
            found.push((span, r));
        })
        .unwrap();
        assert!(had);
        let file = File::open(&path).unwrap();
        for (span, r) in &found {
            assert_eq!(&record_at(&file, *span, &r.process_id).unwrap(), r);
        }
        found
    }

    #[test]
    fn every_record_is_found_again_at_its_place_however_the_manifest_is_laid_out() {
        let (a, b) = (record("IDPa"), record("IDPb"));
        let compact = format!(
            r#"{{"format":"truora-tui-export","processes":[{},{}],"state":"complete"}}"#,
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
        let pretty = serde_json::to_string_pretty(&serde_json::json!({
            "format": "truora-tui-export",
            "processes": [a, b],
        }))
        .unwrap()
        .replace('\n', "\r\n  ");
        for text in [compact, pretty] {
            let found = places_in(&text);
            assert_eq!(found.len(), 2, "{text}");
            assert_eq!(found[1].1.process_id, "IDPb");
        }
    }

    #[test]
    fn a_place_that_no_longer_holds_the_record_says_so() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("journal");
        let line = serde_json::to_string(&record("IDPa")).unwrap();
        std::fs::write(&path, format!("{line}\n")).unwrap();
        let file = File::open(&path).unwrap();
        let span = Span {
            at: 0,
            len: line.len() as u64,
        };
        assert!(record_at(&file, span, "IDPa").is_ok());
        assert_eq!(
            record_at(&file, span, "IDPb").unwrap_err(),
            "the file changed since the archive was opened"
        );
        let beyond = Span { at: 5, len: 1000 };
        assert!(record_at(&file, beyond, "IDPa").is_err());
    }
}
