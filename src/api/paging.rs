//! The process list as a sequence of pages.
//!
//! `GET /v1/processes/` is documented only as "returns a list of process IDs": its wrapper and
//! paging are not public. Truora's other list endpoints answer `{"<things>": [...], "next":
//! "/v1/...?start_key=..."}`, so the parser accepts a bare array, an object holding the array under
//! `processes` (or its only array-valued field), and follows `next` (a path or absolute URL) or a
//! `start_key`/`next_start_key`/`last_evaluated_key` value (text, or an object such as a DynamoDB
//! `LastEvaluatedKey`, sent back as its compact JSON).
//!
//! Walking the pages is [`super::pages`]'s job.

use serde_json::Value;
use url::Url;

use super::model::{ParseError, ProcessSummary, json_kind};

/// Where the next page is.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Cursor {
    First,
    /// A `next` link. Absolute once [`super::Client::list_page`] has resolved it against the URL of the
    /// page it came in; [`parse_page`] alone leaves it as the server wrote it.
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
            // An object with no list at all is an empty page ({}, {"next": null}, or a cursor
            // alone: {"last_evaluated_key": {...}}).
            None if obj.values().all(|v| !v.is_array()) => (&[][..], Some(obj)),
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

impl Page {
    /// Makes a relative `next` link absolute against `page_url`, the URL this page came from
    /// (`"?start_key=…"` keeps the page's path, `"page2"` replaces its last segment, as a
    /// browser would). A link that cannot be resolved is left as it is: fetching it reports the
    /// error, while this page is still shown.
    pub fn resolve_next(&mut self, page_url: &Url) {
        if let Some(Cursor::Next(link)) = &mut self.next
            && let Ok(absolute) = page_url.join(link)
        {
            *link = absolute.into();
        }
    }

    /// No rows at all, not even skipped ones.
    pub(super) fn is_empty(&self) -> bool {
        self.items.is_empty() && self.skipped == 0
    }
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
        .find_map(|key| match obj.get(key) {
            // DynamoDB's LastEvaluatedKey is an object; the server takes it back as JSON text.
            Some(value @ Value::Object(map)) if !map.is_empty() => Some(value.to_string()),
            _ => non_empty(key),
        })
        .map(Cursor::StartKey)
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
    fn object_start_keys_are_sent_back_as_compact_json() {
        let page = parse_page(
            br#"{"items": [], "last_evaluated_key": {"process_id": "IDP9", "created": 17}}"#,
        )
        .unwrap();
        assert_eq!(
            page.next,
            Some(Cursor::StartKey(
                r#"{"process_id":"IDP9","created":17}"#.into()
            ))
        );
        for key in ["start_key", "next_start_key"] {
            let body =
                format!(r#"{{"processes": [{{"process_id": "A"}}], "{key}": {{ "k" : "v" }}}}"#);
            let page = parse_page(body.as_bytes()).unwrap();
            assert_eq!(
                page.next,
                Some(Cursor::StartKey(r#"{"k":"v"}"#.into())),
                "{key}"
            );
        }
        // An empty object or null is no cursor; a text key still wins in the usual order.
        let page = parse_page(br#"{"processes": [], "last_evaluated_key": {}}"#).unwrap();
        assert_eq!(page.next, None);
        let page =
            parse_page(br#"{"processes": [], "next_start_key": null, "start_key": "s"}"#).unwrap();
        assert_eq!(page.next, Some(Cursor::StartKey("s".into())));
        // A cursor with no list at all is an empty page that goes on.
        let page = parse_page(br#"{"last_evaluated_key": {"id": 1}}"#).unwrap();
        assert!(page.items.is_empty());
        assert_eq!(page.next, Some(Cursor::StartKey(r#"{"id":1}"#.into())));
    }

    #[test]
    fn relative_next_links_resolve_against_the_page_that_sent_them() {
        let resolved = |page_url: &str, link: &str| {
            let mut page = Page {
                next: Some(Cursor::Next(link.into())),
                ..Page::default()
            };
            page.resolve_next(&Url::parse(page_url).unwrap());
            page.next
        };
        let next = |s: &str| Some(Cursor::Next(s.into()));
        let here = "https://proxy.example/truora/v1/processes/?start_key=old";
        assert_eq!(
            resolved(here, "?start_key=new"),
            next("https://proxy.example/truora/v1/processes/?start_key=new")
        );
        assert_eq!(
            resolved("https://h.example/api/list/page1", "page2"),
            next("https://h.example/api/list/page2")
        );
        assert_eq!(
            resolved(here, "/v1/processes/?start_key=k"),
            next("https://proxy.example/v1/processes/?start_key=k")
        );
        assert_eq!(
            resolved(here, "https://other.example/x"),
            next("https://other.example/x"),
            "absolute links stay as they are (the client refuses other hosts)"
        );
        let mut page = Page {
            next: Some(Cursor::StartKey("k".into())),
            ..Page::default()
        };
        page.resolve_next(&Url::parse(here).unwrap());
        assert_eq!(page.next, Some(Cursor::StartKey("k".into())));
    }

    #[test]
    fn rejects_bodies_with_no_list() {
        assert!(parse_page(b"\"x\"").is_err());
        assert!(parse_page(br#"{"a": [], "b": []}"#).is_err());
        assert!(parse_page(b"{\"processes\": [").is_err());
    }
}
