//! Masking by what the process itself says is personal: a validation message that quotes the
//! holder ("The name JUAN PEREZ does not match…") carries the name under a key that is not
//! personal (`message`), and a name has no shape to find it by. So the personal values of a
//! process — every value under a personal key of its own result, found by the field-name rules
//! ([`field_kind`]) — are collected once, and their occurrences are hidden in any text of that
//! process: case-insensitively, as whole words, accents folded, and for names also each part of
//! three letters or more on its own (`PEREZ` alone, `Pérez` for `PEREZ`).

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use serde_json::Value;

use super::{FieldKind, MASK, field_kind, mask_text};

/// Name parts shorter than this are not hidden alone (`de`, `la`, `y` appear in any sentence);
/// they are still hidden as part of the whole name.
const MIN_PART_CHARS: usize = 3;
/// Whole values with fewer letters and digits than this are ignored (`M`, `F`, `CO`).
const MIN_VALUE_CHARS: usize = 3;

/// The personal values of one process, as folded words, ready to be found in its texts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Known {
    /// Each value (or name part) as its sequence of folded words.
    phrases: Vec<Vec<String>>,
    /// A phrase's first word → the phrases starting with it, longest first.
    by_first: HashMap<String, Vec<usize>>,
    /// The first letters (ASCII; 127 for any other) and lengths (capped at 63) of the first
    /// words: a word of a text is folded and looked up only when both could match, so a text
    /// that quotes nothing costs a glance at each word — this runs on every label drawn.
    first_letters: u128,
    first_lengths: u64,
}

impl Known {
    /// The personal values found at any depth of `json` (a process result, a validation's
    /// details): every string or number under a personal key, and the parts of names.
    pub fn from_json(json: &Value) -> Known {
        let mut known = Known::default();
        known.add_json(json);
        known
    }

    /// Adds the personal values of more JSON of the same process.
    pub fn add_json(&mut self, json: &Value) {
        match json {
            Value::Object(map) => {
                for (key, value) in map {
                    if field_kind(key) == FieldKind::Personal {
                        let name = is_name_key(key);
                        each_scalar(value, &mut |text| self.add_value(text, name));
                    } else {
                        self.add_json(value);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.add_json(v)),
            _ => {}
        }
    }

    /// Adds one personal value; a name's parts are added on their own too.
    pub fn add_value(&mut self, value: &str, name: bool) {
        let words: Vec<String> = words(value).map(|(a, b)| fold(&value[a..b])).collect();
        let chars: usize = words.iter().map(|w| w.chars().count()).sum();
        if chars < MIN_VALUE_CHARS {
            return;
        }
        if name {
            for word in &words {
                for part in std::iter::once(word.as_str()).chain(word.split(['-', '_'])) {
                    if part.chars().count() >= MIN_PART_CHARS {
                        self.add_phrase(vec![part.to_owned()]);
                    }
                }
            }
        }
        self.add_phrase(words);
    }

    fn add_phrase(&mut self, phrase: Vec<String>) {
        if phrase.is_empty() || self.phrases.contains(&phrase) {
            return;
        }
        let index = self.phrases.len();
        let first = phrase[0].clone();
        self.first_letters |= 1 << letter_bit(first.chars().next());
        self.first_lengths |= 1 << first.chars().count().min(63);
        self.phrases.push(phrase);
        let starts = self.by_first.entry(first).or_default();
        starts.push(index);
        let phrases = &self.phrases;
        starts.sort_by_key(|&i| std::cmp::Reverse(phrases[i].len()));
    }

    /// Nothing known: masking by field name and shape only.
    pub fn none() -> &'static Known {
        static NONE: LazyLock<Known> = LazyLock::new(Known::default);
        &NONE
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// `s` masked by shape ([`mask_text`]) and with every known value hidden.
    pub fn mask_text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        match mask_text(s) {
            Cow::Borrowed(s) => self.mask_known(s),
            Cow::Owned(s) => Cow::Owned(self.mask_known(&s).into_owned()),
        }
    }

    /// `s` with every occurrence of a known value replaced by [`MASK`]; borrowed when none is.
    pub fn mask_known<'a>(&self, s: &'a str) -> Cow<'a, str> {
        if self.by_first.is_empty() {
            return Cow::Borrowed(s);
        }
        // The common case — no word of the text starts a known value — allocates nothing but
        // one small buffer.
        let mut buf = String::new();
        let hit = words(s).any(|(a, b)| {
            let word = &s[a..b];
            self.may_start(word) && {
                fold_into(word, &mut buf);
                self.by_first.contains_key(buf.as_str())
            }
        });
        if !hit {
            return Cow::Borrowed(s);
        }
        let spans: Vec<(usize, usize)> = words(s).collect();
        let folded: Vec<String> = spans.iter().map(|&(a, b)| fold(&s[a..b])).collect();
        let mut hide = vec![false; spans.len()];
        let mut i = 0;
        while i < spans.len() {
            let matched = self.by_first.get(&folded[i]).and_then(|starts| {
                starts.iter().map(|&p| &self.phrases[p]).find(|phrase| {
                    folded.get(i..i + phrase.len()) == Some(phrase.as_slice())
                        && joined(s, &spans[i..i + phrase.len()])
                })
            });
            match matched {
                Some(phrase) => {
                    hide[i..i + phrase.len()].iter_mut().for_each(|h| *h = true);
                    i += phrase.len();
                }
                None => i += 1,
            }
        }
        let mut out = String::with_capacity(s.len());
        let mut last = 0;
        let mut k = 0;
        while k < spans.len() {
            if !hide[k] {
                k += 1;
                continue;
            }
            // Hidden words next to each other (a first and a last name) become one mask.
            let mut j = k;
            while j + 1 < spans.len() && hide[j + 1] && blank(&s[spans[j].1..spans[j + 1].0]) {
                j += 1;
            }
            out.push_str(&s[last..spans[k].0]);
            out.push_str(MASK);
            last = spans[j].1;
            k = j + 1;
        }
        out.push_str(&s[last..]);
        Cow::Owned(out)
    }
}

impl Known {
    /// Whether `word` (as written) could fold to the first word of a known value.
    fn may_start(&self, word: &str) -> bool {
        let mut first = String::new();
        let Some(c) = word.chars().next() else {
            return false;
        };
        let letter = if c.is_ascii() {
            Some(c.to_ascii_lowercase())
        } else {
            fold_into(c.encode_utf8(&mut [0; 4]), &mut first);
            first.chars().next()
        };
        // A word with accents may fold to another length; only ASCII words are sure of theirs.
        let length_fits = !word.is_ascii() || self.first_lengths & (1 << word.len().min(63)) != 0;
        length_fits && self.first_letters & (1 << letter_bit(letter)) != 0
    }
}

/// The bit of a first letter: its ASCII code, or 127 for anything else.
fn letter_bit(c: Option<char>) -> u32 {
    match c {
        Some(c) if c.is_ascii() => u32::from(c),
        _ => 127,
    }
}

/// Personal keys that hold a person's name (not `username`, an account's login).
fn is_name_key(key: &str) -> bool {
    let norm: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    norm.contains("name") && norm != "username"
}

/// Calls `f` with every string and number at any depth of `value`.
fn each_scalar(value: &Value, f: &mut impl FnMut(&str)) {
    match value {
        Value::String(s) => f(s),
        Value::Number(n) => f(&n.to_string()),
        Value::Array(items) => items.iter().for_each(|v| each_scalar(v, f)),
        Value::Object(map) => map.values().for_each(|v| each_scalar(v, f)),
        Value::Null | Value::Bool(_) => {}
    }
}

/// The words of `s` as byte spans: runs of letters and digits, with `-` and `_` inside a run
/// kept (`PÉREZ-GÓMEZ`, `DEMO-1234` and `1990-01-02` are one word each).
fn words(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut chars = s.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.by_ref().find(|(_, c)| c.is_alphanumeric())?;
        let mut end = s.len();
        while let Some(&(i, c)) = chars.peek() {
            let inside = c.is_alphanumeric()
                || (matches!(c, '-' | '_')
                    && s[i + 1..].chars().next().is_some_and(char::is_alphanumeric));
            if !inside {
                end = i;
                break;
            }
            chars.next();
        }
        Some((start, end))
    })
}

/// Whether the words of a match are separated by spaces and punctuation on one line only.
fn joined(s: &str, spans: &[(usize, usize)]) -> bool {
    spans
        .windows(2)
        .all(|w| w[1].0 - w[0].1 <= 3 && !s[w[0].1..w[1].0].contains('\n'))
}

fn blank(gap: &str) -> bool {
    !gap.is_empty() && gap.chars().all(|c| c == ' ')
}

fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    fold_into(word, &mut out);
    out
}

/// `word` lower-cased with the accents of Latin letters dropped (`Pérez` → `perez`).
fn fold_into(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lower in c.to_lowercase() {
            out.push(match lower {
                'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
                'é' | 'è' | 'ê' | 'ë' => 'e',
                'í' | 'ì' | 'î' | 'ï' => 'i',
                'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
                'ú' | 'ù' | 'û' | 'ü' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                'ý' | 'ÿ' => 'y',
                other => other,
            });
        }
    }
}
