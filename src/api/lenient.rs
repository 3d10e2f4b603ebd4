//! Reading fields out of Truora's JSON without trusting their types.
//!
//! Truora's payloads vary: the seed sends `time_to_live` as a string, scores and thresholds arrive
//! as numbers or strings, and new fields and enum values appear over time. A derive-based model
//! would reject a whole process for one odd field, so the model reads every field through these
//! accessors: a value of the wrong type reads as "absent" and the raw JSON (kept beside the typed
//! view) still shows it.

use serde_json::{Map, Value};

pub type Object = Map<String, Value>;

/// A string field; numbers and booleans are shown as their text, anything else is absent.
pub fn text(obj: &Object, key: &str) -> Option<String> {
    value_text(obj.get(key)?)
}

pub fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A number that may be sent as a JSON number or a numeric string (`"0.65"`).
pub fn number(obj: &Object, key: &str) -> Option<f64> {
    value_number(obj.get(key)?)
}

pub fn value_number(v: &Value) -> Option<f64> {
    let n = match v {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

/// An integer that may be sent as a number (also `3.0`) or a string.
pub fn integer(obj: &Object, key: &str) -> Option<i64> {
    match obj.get(key)? {
        Value::Number(n) => n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn boolean(obj: &Object, key: &str) -> Option<bool> {
    match obj.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        Value::Number(n) => n.as_i64().map(|n| n != 0),
        _ => None,
    }
}

pub fn object<'a>(obj: &'a Object, key: &str) -> Option<&'a Object> {
    obj.get(key)?.as_object()
}

/// The objects of a list field. An object where a list belongs is read as a list of one, so one
/// odd shape does not hide the item; non-object elements are skipped (the raw view keeps them).
pub fn objects<'a>(obj: &'a Object, key: &str) -> Vec<&'a Object> {
    match obj.get(key) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(one)) => vec![one],
        _ => Vec::new(),
    }
}

/// Declares a string enum that keeps values it does not know, as Truora adds values over time.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant,)+
            /// A value this version does not know, kept as sent.
            Unknown(String),
        }

        impl $name {
            pub fn parse(s: &str) -> Self {
                match s {
                    $($text => Self::$variant,)+
                    other => Self::Unknown(other.to_owned()),
                }
            }

            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Unknown(s) => s,
                }
            }

            /// Reads the field leniently: absent, null or not text gives `None`.
            pub fn field(obj: &$crate::api::lenient::Object, key: &str) -> Option<Self> {
                $crate::api::lenient::text(obj, key)
                    .filter(|s| !s.is_empty())
                    .map(|s| Self::parse(&s))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use open_enum;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Object {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn numbers_read_from_strings_and_numbers() {
        let o = obj(json!({"a": 0.65, "b": "0.7", "c": " 12 ", "d": "x", "e": null, "f": [1]}));
        assert_eq!(number(&o, "a"), Some(0.65));
        assert_eq!(number(&o, "b"), Some(0.7));
        assert_eq!(integer(&o, "c"), Some(12));
        assert_eq!(number(&o, "d"), None);
        assert_eq!(number(&o, "e"), None);
        assert_eq!(number(&o, "f"), None);
        assert_eq!(number(&o, "missing"), None);
    }

    #[test]
    fn text_accepts_scalars_only() {
        let o = obj(json!({"a": "x", "b": 120, "c": true, "d": {"x": 1}}));
        assert_eq!(text(&o, "a").as_deref(), Some("x"));
        assert_eq!(text(&o, "b").as_deref(), Some("120"));
        assert_eq!(text(&o, "c").as_deref(), Some("true"));
        assert_eq!(text(&o, "d"), None);
    }

    #[test]
    fn an_object_where_a_list_belongs_is_a_list_of_one() {
        let o = obj(json!({"one": {"k": 1}, "many": [{"k": 1}, 2, {"k": 3}], "bad": "x"}));
        assert_eq!(objects(&o, "one").len(), 1);
        assert_eq!(objects(&o, "many").len(), 2);
        assert!(objects(&o, "bad").is_empty());
    }
}
