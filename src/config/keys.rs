//! The `[keys]` table checked while the file is read, so an unknown action, a key spelling that
//! means nothing or a key given to two actions stops the program with `path:line` like every
//! other config mistake, instead of scrolling past as a cut-off line in the status bar.
//!
//! The keymap owns the action names and the key spellings ([`Keymap::from_config`]); this only
//! reads the table's entries ([`KeyList`]) and ties the keymap's mistakes to the lines of the file.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, SeqAccess, Visitor};
use toml::de::{DeTable, DeValue};

use super::error::{ConfigError, Location, line_of};
use crate::keymap::Keymap;

/// What a `[keys]` entry must be, for the file's type errors.
pub(super) const KEY_LIST_EXPECTED: &str =
    "a key like \"q\" or a list of keys like [\"q\", \"ctrl-c\"]";

/// One action's key bindings: TOML allows either a single string or a list of strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct KeyList(pub Vec<String>);

impl<'de> Deserialize<'de> for KeyList {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyListVisitor;
        impl<'de> Visitor<'de> for KeyListVisitor {
            type Value = KeyList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(KEY_LIST_EXPECTED)
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<KeyList, E> {
                Ok(KeyList(vec![key.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyList, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = seq.next_element::<String>()? {
                    keys.push(key);
                }
                Ok(KeyList(keys))
            }
        }
        deserializer.deserialize_any(KeyListVisitor)
    }
}

/// Fails on the first mistake in `[keys]` (by line), saying how many more there are; news
/// such as a default key now doing something else is left to the browser to show.
pub(super) fn check(
    path: &Path,
    text: &str,
    document: &DeTable<'_>,
    keys: &BTreeMap<String, KeyList>,
) -> Result<(), ConfigError> {
    let plain: BTreeMap<String, Vec<String>> = keys
        .iter()
        .map(|(action, KeyList(keys))| (action.clone(), keys.clone()))
        .collect();
    let (_, problems) = Keymap::from_config(&plain);
    let lines = entry_lines(text, document);
    // A problem about two entries is reported at the later one: the line that made it a mistake.
    let mut mistakes: Vec<(Option<usize>, String)> = problems
        .into_iter()
        .filter(|p| p.mistake)
        .map(|p| {
            let line = p.entries.iter().filter_map(|e| lines.get(e)).max().copied();
            (line, p.text)
        })
        .collect();
    mistakes.sort();
    let more = mistakes.len().saturating_sub(1);
    let Some((line, problem)) = mistakes.into_iter().next() else {
        return Ok(());
    };
    Err(ConfigError::Keys {
        at: Location {
            path: path.to_path_buf(),
            line,
        },
        problem,
        more: match more {
            0 => String::new(),
            1 => " (and 1 more mistake in [keys])".to_owned(),
            n => format!(" (and {n} more mistakes in [keys])"),
        },
    })
}

/// The line of each entry of the `[keys]` table (also when written `keys.quit = "q"`).
fn entry_lines(text: &str, document: &DeTable<'_>) -> BTreeMap<String, usize> {
    let Some(DeValue::Table(keys)) = document.get("keys").map(|v| v.get_ref()) else {
        return BTreeMap::new();
    };
    keys.iter()
        .map(|(name, _)| (name.get_ref().to_string(), line_of(text, name.span().start)))
        .collect()
}
