//! What an open archive keeps in memory per process: its id, where its record is on disk, and
//! the two facts the problems line counts — a few dozen bytes, where the records themselves
//! (file lists, checksums, links, list fields) take kilobytes. Records are read again, from the
//! bookkeeping files held open since the archive was opened, when a process is opened.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::export::format::{FileKind, ProcessState, Record};

/// A run of bytes in one of the bookkeeping files: a record, or a line of `processes.jsonl`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Span {
    pub at: u64,
    pub len: u64,
}

/// Where a process's record is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// Listed (or named in an ids file) but not exported.
    Absent,
    Manifest(Span),
    Journal(Span),
    /// Found by scanning, with no record: the folder (an index into `Archive::scanned`) is
    /// scanned again when the process is opened.
    Scanned(u32),
}

/// A process as the archive knows it between opening and reading it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Slot {
    pub place: Place,
    /// `None` for a process found by scanning.
    pub state: Option<ProcessState>,
    /// Files of the record that Truora no longer keeps (its `missing` marked `permanent`).
    pub gone: u16,
}

impl Slot {
    pub fn of(place: Place, r: &Record) -> Slot {
        let gone = r.missing.iter().filter(|m| m.permanent).count();
        Slot {
            place,
            state: Some(r.state),
            gone: u16::try_from(gone).unwrap_or(u16::MAX),
        }
    }

    pub fn is_exported(&self) -> bool {
        self.place != Place::Absent
    }
}

/// Every process id the archive knows, each with its slot, in one buffer: a key (`u32`) names
/// a process. Looked up by a 64-bit hash of the id; the rare id whose hash another id already
/// has is found in `collided` instead. Nothing is ever removed.
#[derive(Debug, Default)]
pub(super) struct Ids {
    text: String,
    /// Where each key's id ends in `text` (it starts where the previous one ends).
    ends: Vec<u32>,
    slots: Vec<Slot>,
    by_hash: HashMap<u64, u32>,
    collided: Vec<u32>,
}

const ABSENT: Slot = Slot {
    place: Place::Absent,
    state: None,
    gone: 0,
};

pub(super) fn hash(id: &str) -> u64 {
    let mut h = DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl Ids {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn id(&self, key: u32) -> &str {
        let end = self.ends[key as usize] as usize;
        let start = match key {
            0 => 0,
            k => self.ends[k as usize - 1] as usize,
        };
        &self.text[start..end]
    }

    pub fn get(&self, id: &str) -> Option<u32> {
        self.by_hash
            .get(&hash(id))
            .copied()
            .filter(|&k| self.id(k) == id)
            .or_else(|| self.collided.iter().copied().find(|&k| self.id(k) == id))
    }

    /// The key of `id`, made (with no slot) if it is new; `None` when the buffer is full
    /// (4 GiB of ids).
    pub fn key(&mut self, id: &str) -> Option<u32> {
        if let Some(k) = self.get(id) {
            return Some(k);
        }
        let key = u32::try_from(self.ends.len()).ok()?;
        let end = u32::try_from(self.text.len() + id.len()).ok()?;
        self.text.push_str(id);
        self.ends.push(end);
        self.slots.push(ABSENT);
        match self.by_hash.entry(hash(id)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(key);
            }
            std::collections::hash_map::Entry::Occupied(_) => self.collided.push(key),
        }
        Some(key)
    }

    pub fn slot(&self, key: u32) -> &Slot {
        &self.slots[key as usize]
    }

    pub fn set_slot(&mut self, key: u32, slot: Slot) {
        self.slots[key as usize] = slot;
    }

    pub fn slots(&self) -> impl Iterator<Item = &Slot> {
        self.slots.iter()
    }

    /// The slot of `id`, if the archive has exported it.
    pub fn exported(&self, id: &str) -> Option<(u32, &Slot)> {
        let key = self.get(id)?;
        let slot = self.slot(key);
        slot.is_exported().then_some((key, slot))
    }

    /// Gives back what the growing left unused.
    pub fn shrink(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.slots.shrink_to_fit();
        self.by_hash.shrink_to_fit();
    }
}

/// Validation id → the processes whose records name it (a details file, or details recorded as
/// missing), by hash: a lookup reads each candidate's record and keeps the one that names it.
#[derive(Debug, Default)]
pub(super) struct Validations {
    pairs: Vec<(u64, u32)>,
}

impl Validations {
    pub fn add(&mut self, key: u32, r: &Record) {
        let files = r
            .files
            .iter()
            .filter(|f| f.kind == FileKind::Details)
            .filter_map(|f| f.validation_id.as_deref());
        let missing = r
            .missing
            .iter()
            .filter(|m| m.kind == FileKind::Details)
            .filter_map(|m| m.validation_id.as_deref());
        for v in files.chain(missing) {
            self.pairs.push((hash(v), key));
        }
    }

    pub fn add_one(&mut self, key: u32, validation_id: &str) {
        self.pairs.push((hash(validation_id), key));
    }

    /// Sorted once every record is in, for lookups.
    pub fn seal(&mut self) {
        self.pairs.sort_unstable();
        self.pairs.dedup();
        self.pairs.shrink_to_fit();
    }

    /// The processes that may name `validation_id`, in the order they were first met.
    pub fn candidates(&self, validation_id: &str) -> Vec<u32> {
        let h = hash(validation_id);
        let start = self.pairs.partition_point(|&(x, _)| x < h);
        let mut keys: Vec<u32> = self.pairs[start..]
            .iter()
            .take_while(|&&(x, _)| x == h)
            .map(|&(_, k)| k)
            .collect();
        keys.sort_unstable();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_found_by_their_text_and_keep_their_keys() {
        let mut ids = Ids::default();
        let a = ids.key("IDPa").unwrap();
        let b = ids.key("IDPb").unwrap();
        assert_eq!(ids.key("IDPa"), Some(a));
        assert_eq!((ids.id(a), ids.id(b)), ("IDPa", "IDPb"));
        assert_eq!(ids.get("IDPc"), None);
        assert_eq!(ids.len(), 2);
        assert!(!ids.slot(a).is_exported());
    }

    #[test]
    fn an_id_whose_hash_is_taken_is_still_found() {
        let mut ids = Ids::default();
        let a = ids.key("first").unwrap();
        // Force a collision: the second id's hash points at the first key.
        ids.by_hash.insert(hash("second"), a);
        let b = ids.key("second").unwrap();
        assert_ne!(a, b);
        assert_eq!(ids.get("second"), Some(b));
        assert_eq!(ids.get("first"), Some(a));
    }
}
