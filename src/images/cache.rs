//! Downloaded image bytes, kept in memory so that showing an image at a new size, in the compare
//! view, or saving it does not download it again.
//!
//! Identity photos must not touch the disk unless the user saves them, so this cache lives in
//! memory only and is bounded by total bytes; the least recently used images go first.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::ImageKey;

/// An LRU of image bytes bounded by their total size.
///
/// The bound counts bytes held by the cache; an `Arc` handed out by [`ByteCache::get`] keeps its
/// bytes alive after eviction until the caller drops it (a decode in progress, for instance).
#[derive(Debug)]
pub struct ByteCache {
    capacity: usize,
    total: usize,
    /// Increases on every use; the smallest stamp is the least recently used.
    clock: u64,
    entries: HashMap<ImageKey, Entry>,
    by_use: BTreeMap<u64, ImageKey>,
}

#[derive(Debug)]
struct Entry {
    bytes: Arc<Vec<u8>>,
    used: u64,
}

impl Default for ByteCache {
    fn default() -> Self {
        ByteCache::new(ByteCache::DEFAULT_CAPACITY)
    }
}

impl ByteCache {
    /// 128 MiB: a few dozen processes' worth of phone photos.
    pub const DEFAULT_CAPACITY: usize = 128 << 20;

    /// A cache holding at most `capacity` bytes of images.
    pub fn new(capacity: usize) -> Self {
        ByteCache {
            capacity,
            total: 0,
            clock: 0,
            entries: HashMap::new(),
            by_use: BTreeMap::new(),
        }
    }

    /// The bytes for `key`, marking them as just used.
    pub fn get(&mut self, key: &ImageKey) -> Option<Arc<Vec<u8>>> {
        let stamp = self.tick();
        let entry = self.entries.get_mut(key)?;
        self.by_use.remove(&entry.used);
        entry.used = stamp;
        self.by_use.insert(stamp, key.clone());
        Some(entry.bytes.clone())
    }

    /// Whether `key` is cached, without counting as a use.
    pub fn contains(&self, key: &ImageKey) -> bool {
        self.entries.contains_key(key)
    }

    /// Caches `bytes` under `key` (replacing what was there), evicting the least recently used
    /// images to make room. Returns `false`, caching nothing, when `bytes` alone exceed the
    /// capacity: one huge file must not flush everything else.
    pub fn insert(&mut self, key: ImageKey, bytes: Arc<Vec<u8>>) -> bool {
        self.remove(&key);
        if bytes.len() > self.capacity {
            return false;
        }
        while self.total + bytes.len() > self.capacity {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            if let Some(entry) = self.entries.remove(&oldest) {
                self.total -= entry.bytes.len();
            }
        }
        let used = self.tick();
        self.total += bytes.len();
        self.by_use.insert(used, key.clone());
        self.entries.insert(key, Entry { bytes, used });
        true
    }

    /// Drops `key`'s bytes, e.g. after a download turned out to be an error page.
    pub fn remove(&mut self, key: &ImageKey) -> Option<Arc<Vec<u8>>> {
        let entry = self.entries.remove(key)?;
        self.by_use.remove(&entry.used);
        self.total -= entry.bytes.len();
        Some(entry.bytes)
    }

    /// Drops every image of one process (a refresh fetches them anew).
    pub fn remove_process(&mut self, process_id: &str) {
        let keys: Vec<ImageKey> = self
            .entries
            .keys()
            .filter(|k| k.process_id == process_id)
            .cloned()
            .collect();
        for key in keys {
            self.remove(&key);
        }
    }

    /// Forgets everything (switching API key or source).
    pub fn clear(&mut self) {
        self.entries.clear();
        self.by_use.clear();
        self.total = 0;
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes currently held.
    pub fn total_bytes(&self) -> usize {
        self.total
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(field: &str) -> ImageKey {
        ImageKey {
            process_id: "IDP1".into(),
            validation_id: "VLD1".into(),
            field: field.into(),
        }
    }

    fn bytes(len: usize) -> Arc<Vec<u8>> {
        Arc::new(vec![7; len])
    }

    #[test]
    fn evicts_least_recently_used_by_size() {
        let mut cache = ByteCache::new(100);
        assert!(cache.insert(key("a"), bytes(40)));
        assert!(cache.insert(key("b"), bytes(40)));
        assert!(cache.get(&key("a")).is_some()); // a is now newer than b
        assert!(cache.insert(key("c"), bytes(40)));
        assert!(cache.contains(&key("a")));
        assert!(!cache.contains(&key("b")), "b was the least recently used");
        assert!(cache.contains(&key("c")));
        assert_eq!(cache.total_bytes(), 80);

        assert!(cache.insert(key("d"), bytes(100)));
        assert_eq!(cache.len(), 1);
        assert_eq!(cache.total_bytes(), 100);
    }

    #[test]
    fn an_oversized_file_is_not_cached_and_flushes_nothing() {
        let mut cache = ByteCache::new(100);
        cache.insert(key("a"), bytes(60));
        assert!(!cache.insert(key("big"), bytes(101)));
        assert!(cache.contains(&key("a")));
        assert!(!cache.contains(&key("big")));
        assert_eq!(cache.total_bytes(), 60);
    }

    #[test]
    fn replacing_and_removing_keep_the_total_right() {
        let mut cache = ByteCache::new(100);
        cache.insert(key("a"), bytes(30));
        cache.insert(key("a"), bytes(50));
        assert_eq!((cache.len(), cache.total_bytes()), (1, 50));
        assert_eq!(cache.remove(&key("a")).map(|b| b.len()), Some(50));
        assert!(cache.is_empty());
        assert_eq!(cache.total_bytes(), 0);
        cache.insert(key("b"), bytes(10));
        cache.clear();
        assert_eq!((cache.len(), cache.total_bytes()), (0, 0));
        assert!(cache.get(&key("b")).is_none());
    }
}
