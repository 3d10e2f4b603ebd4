//! What the privacy tests look for: the demo's personal values, collected from its JSON by field
//! name, and the shapes its generator gives every person, found as whole words in what the tool
//! printed or drew.

use std::collections::BTreeSet;

use serde_json::Value;

/// Keys the demo puts a person's values under, listed here independently of `privacy/` (a test
/// that asked `privacy/` which keys are personal could not catch it missing one).
pub const DEMO_PERSONAL_KEYS: &[&str] = &[
    "first_name",
    "last_name",
    "name",
    "document_number",
    "date_of_birth",
    "email",
    "phone_number",
    "ip_address",
    "username",
];

/// Every string under one of `keys`, at any depth.
pub fn collect(v: &Value, keys: &[&str], into: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if keys.contains(&k.as_str()) => {
                        into.insert(s.clone());
                    }
                    _ => collect(v, keys, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, keys, into)),
        _ => {}
    }
}

/// Whether `value` occurs in `out` as a whole word: the demo's first name `DEMO` is also part of
/// the demo's fake S3 key id (`AKIADEMO…`) and of its ticket numbers (`DEMO-1234`), which are
/// not personal.
pub fn contains_word(out: &str, value: &str) -> bool {
    let part_of_word = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    out.match_indices(value).any(|(at, _)| {
        let before = out[..at].chars().next_back();
        let after = out[at + value.len()..].chars().next();
        !before.is_some_and(part_of_word) && !after.is_some_and(part_of_word)
    })
}

/// Fails when `out` holds one of the `personal` values, or, independently of the JSON, a shape the
/// demo's generator gives every person (`PERSONA n`, `@demo.example`, `+00 555`).
pub fn assert_nothing_personal(out: &str, personal: &BTreeSet<String>, what: &str) {
    for value in personal {
        assert!(
            !contains_word(out, value),
            "{what}: {value:?} shown:\n{out}"
        );
    }
    for shape in ["PERSONA", "@demo.example", "+00 555"] {
        assert!(!out.contains(shape), "{what}: {shape:?} shown:\n{out}");
    }
}

/// The free texts of `v` (every `message`, at any depth) that quote one of `personal` as a
/// whole word: a registry's answer naming the holder, under a key that is not personal.
pub fn messages_quoting(v: &Value, personal: &BTreeSet<String>) -> Vec<String> {
    let mut messages = BTreeSet::new();
    collect(v, &["message"], &mut messages);
    messages
        .into_iter()
        .filter(|m| personal.iter().any(|p| contains_word(m, p)))
        .collect()
}
