//! Masking JSON of any shape: the raw view and `show --json`.

use serde_json::{Map, Value};

use super::{FieldKind, Known, MASK, field_kind, shorten_id};

/// `value` with personal fields hidden at any depth: a personal key hides everything under it
/// (strings and numbers alike; `null` and booleans stay, they say nothing), an id key keeps its
/// last four characters, and every other string is masked by shape.
pub fn mask_json(value: &Value) -> Value {
    Known::none().mask_json(value)
}

/// Raw JSON bytes masked and pretty-printed; bytes that are not JSON are masked as text.
pub fn mask_json_bytes(body: &[u8]) -> Vec<u8> {
    Known::none().mask_json_bytes(body)
}

impl Known {
    /// [`mask_json`], with this process's personal values hidden in every other string too.
    pub fn mask_json(&self, value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let masked: Map<String, Value> = map
                    .iter()
                    .map(|(k, v)| {
                        let v = match field_kind(k) {
                            FieldKind::Plain => self.mask_json(v),
                            FieldKind::Personal => hide_all(v),
                            FieldKind::Shortened => shorten_all(v),
                        };
                        (k.clone(), v)
                    })
                    .collect();
                Value::Object(masked)
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| self.mask_json(v)).collect()),
            Value::String(s) => Value::String(self.mask_text(s).into_owned()),
            other => other.clone(),
        }
    }

    /// [`mask_json_bytes`], with this process's personal values hidden in every string too.
    pub fn mask_json_bytes(&self, body: &[u8]) -> Vec<u8> {
        match serde_json::from_slice::<Value>(body) {
            Ok(v) => serde_json::to_vec_pretty(&self.mask_json(&v)).unwrap_or_default(),
            Err(_) => self
                .mask_text(&String::from_utf8_lossy(body))
                .into_owned()
                .into_bytes(),
        }
    }
}

pub(super) fn hide_all(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), hide_all(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(hide_all).collect()),
        Value::String(s) if s.is_empty() => value.clone(),
        Value::String(_) | Value::Number(_) => Value::String(MASK.into()),
        Value::Null | Value::Bool(_) => value.clone(),
    }
}

pub(super) fn shorten_all(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(shorten_id(s)),
        Value::Number(n) => Value::String(shorten_id(&n.to_string())),
        Value::Array(items) => Value::Array(items.iter().map(shorten_all).collect()),
        Value::Object(_) => hide_all(value),
        other => other.clone(),
    }
}
