//! The process list as a sequence of pages.
//!
//! `GET /v1/processes/` is documented only as "returns a list of process IDs": its wrapper and
//! paging are not public. Truora's other list endpoints answer `{"<things>": [...], "next":
//! "/v1/...?start_key=..."}`, so the parser accepts a bare array, an object holding the array under
//! `processes` (or its only array-valued field), and follows `next` (a path or absolute URL) or a
//! `start_key`/`next_start_key` value. It stops when there is no cursor, the page is empty, or a
//! cursor repeats (a server bug must not loop forever).

use std::collections::HashSet;

use serde_json::Value;

use super::model::{ParseError, ProcessSummary, json_kind};
use super::{ApiError, Client};

/// Where the next page is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cursor {
    First,
    /// A `next` link: a path on the identity host or an absolute URL.
    Next(String),
    /// A `start_key` to pass as a query parameter.
    StartKey(String),
}

/// One page of the list: items as typed rows, the same items as received, and the next cursor.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub items: Vec<ProcessSummary>,
    /// The items as received, for the export's `processes.jsonl`.
    pub raw_items: Vec<Value>,
    pub next: Option<Cursor>,
    /// Entries that were neither objects nor strings (reported, not silently dropped).
    pub skipped: usize,
}

/// Parses one page body. Fails only when the body holds no list at all.
pub fn parse_page(bytes: &[u8]) -> Result<Page, ParseError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| ParseError::Json(e.to_string()))?;
    let (list, wrapper) = match &value {
        Value::Array(list) => (list.as_slice(), None),
        Value::Object(obj) => match find_list(obj) {
            Some(list) => (list, Some(obj)),
            // An object with no list and no cursor is an empty page ({} or {"next": null}).
            None if obj.values().all(|v| !v.is_array()) && cursor_of(obj).is_none() => {
                (&[][..], Some(obj))
            }
            None => return Err(ParseError::NotAnObject("an object with no process list")),
        },
        other => return Err(ParseError::NotAnObject(json_kind(other))),
    };
    let mut page = Page {
        next: wrapper.and_then(cursor_of),
        ..Page::default()
    };
    for item in list {
        match ProcessSummary::from_item(item) {
            Some(summary) => {
                page.items.push(summary);
                page.raw_items.push(item.clone());
            }
            None => page.skipped += 1,
        }
    }
    Ok(page)
}

fn find_list(obj: &serde_json::Map<String, Value>) -> Option<&[Value]> {
    for key in ["processes", "items", "data", "results"] {
        if let Some(Value::Array(list)) = obj.get(key) {
            return Some(list);
        }
    }
    let mut arrays = obj.values().filter_map(Value::as_array);
    match (arrays.next(), arrays.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

fn cursor_of(obj: &serde_json::Map<String, Value>) -> Option<Cursor> {
    let non_empty = |key: &str| {
        crate::api::lenient::text(obj, key).filter(|s| !s.trim().is_empty() && s != "null")
    };
    if let Some(next) = non_empty("next") {
        return Some(Cursor::Next(next));
    }
    ["next_start_key", "start_key", "last_evaluated_key"]
        .into_iter()
        .find_map(non_empty)
        .map(Cursor::StartKey)
}

/// Walks the list page by page: `while let Some(page) = pages.next().await`.
pub struct Pages {
    client: Client,
    cursor: Option<Cursor>,
    seen: HashSet<Cursor>,
}

impl Pages {
    pub(crate) fn new(client: Client) -> Self {
        Pages {
            client,
            cursor: Some(Cursor::First),
            seen: HashSet::new(),
        }
    }

    /// Starts from a cursor saved earlier (e.g. to resume loading).
    pub fn resume(client: Client, cursor: Cursor) -> Self {
        Pages {
            client,
            cursor: Some(cursor),
            seen: HashSet::new(),
        }
    }

    /// The next page, or `None` once the list is done. After an error the same page is tried
    /// again on the next call.
    pub async fn next(&mut self) -> Option<Result<Page, ApiError>> {
        let cursor = self.cursor.clone()?;
        match self.client.list_page(&cursor).await {
            Ok(page) => {
                self.seen.insert(cursor);
                self.cursor = match &page.next {
                    _ if page.items.is_empty() && page.skipped == 0 => None,
                    Some(next) if self.seen.contains(next) => None,
                    next => next.clone(),
                };
                Some(Ok(page))
            }
            Err(e) => Some(Err(e)),
        }
    }

    /// The cursor of the page the next call fetches.
    pub fn cursor(&self) -> Option<&Cursor> {
        self.cursor.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_known_wrapper() {
        let bare = parse_page(br#"[{"process_id": "IDP1"}, "IDP2", 3]"#).unwrap();
        assert_eq!(bare.items.len(), 2);
        assert_eq!(bare.items[1].process_id.as_deref(), Some("IDP2"));
        assert_eq!(bare.skipped, 1);
        assert_eq!(bare.next, None);

        let wrapped =
            parse_page(br#"{"processes": [{"process_id": "A"}], "next": "/v1/processes/?start_key=k", "self": "/x"}"#)
                .unwrap();
        assert_eq!(
            wrapped.next,
            Some(Cursor::Next("/v1/processes/?start_key=k".into()))
        );

        let only_array =
            parse_page(br#"{"whatever": [{"process_id": "A"}], "next_start_key": "k2"}"#).unwrap();
        assert_eq!(only_array.items.len(), 1);
        assert_eq!(only_array.next, Some(Cursor::StartKey("k2".into())));

        let last = parse_page(br#"{"processes": [], "next": null}"#).unwrap();
        assert!(last.items.is_empty() && last.next.is_none());
        assert!(parse_page(br#"{}"#).unwrap().items.is_empty());
    }

    #[test]
    fn rejects_bodies_with_no_list() {
        assert!(parse_page(b"\"x\"").is_err());
        assert!(parse_page(br#"{"a": [], "b": []}"#).is_err());
        assert!(parse_page(b"{\"processes\": [").is_err());
    }
}
