//! Counts by name, as a command hands them to the log about its own run (`export` hands its
//! `Counts`). The log does not know the command's types, so it keeps the names and numbers in
//! the order given, written as one JSON object. Numbers only: no text can ride along.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NamedCounts(Vec<(String, u64)>);

impl NamedCounts {
    /// The whole-number fields of `counts` (a struct of counters), in its field order; fields of
    /// other kinds are left out.
    pub fn of(counts: &impl Serialize) -> NamedCounts {
        let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(counts) else {
            return NamedCounts::default();
        };
        let numbers = fields
            .into_iter()
            .filter_map(|(name, v)| Some((name, v.as_u64()?)));
        NamedCounts(numbers.collect())
    }

    /// The count called `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<u64> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// Each name and count, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(n, v)| (n.as_str(), *v))
    }
}

impl Serialize for NamedCounts {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, count) in &self.0 {
            map.serialize_entry(name, count)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for NamedCounts {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Counts;
        impl<'de> Visitor<'de> for Counts {
            type Value = NamedCounts;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of whole numbers")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NamedCounts, A::Error> {
                let mut counts = Vec::new();
                while let Some(entry) = map.next_entry::<String, u64>()? {
                    counts.push(entry);
                }
                Ok(NamedCounts(counts))
            }
        }
        deserializer.deserialize_map(Counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Run {
        listed: u64,
        exported: u64,
        label: &'static str,
        bytes: u64,
    }

    #[test]
    fn numbers_keep_their_names_and_order_and_text_is_left_out() {
        let run = Run {
            listed: 3,
            exported: 2,
            label: "Juan Pérez",
            bytes: 1 << 40,
        };
        let counts = NamedCounts::of(&run);
        let json = serde_json::to_string(&counts).expect("serialises");
        assert_eq!(json, r#"{"listed":3,"exported":2,"bytes":1099511627776}"#);
        let back: NamedCounts = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, counts);
        assert_eq!((back.get("exported"), back.get("label")), (Some(2), None));
        assert_eq!(
            back.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            ["listed", "exported", "bytes"]
        );
    }

    #[test]
    fn a_record_with_text_where_counts_go_is_refused() {
        for bad in [r#"{"listed":"a name"}"#, r#"{"listed":-1}"#, r#"[1,2]"#] {
            assert!(serde_json::from_str::<NamedCounts>(bad).is_err(), "{bad}");
        }
        assert_eq!(NamedCounts::of(&"not a struct"), NamedCounts::default());
    }
}
