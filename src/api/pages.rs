//! Walking the process list page by page ([`Client::pages`]).
//!
//! It stops when there is no cursor, when a cursor repeats, or after [`MAX_EMPTY_PAGES`] empty
//! pages in a row (a server bug must not loop forever). One empty page with a cursor is followed:
//! DynamoDB-style paging returns those when a filter drops a whole scanned block.

use std::collections::HashSet;

use super::paging::{Cursor, Page};
use super::{ApiError, Client};

/// Empty pages in a row after which the list is taken as finished even if they carry a cursor.
pub const MAX_EMPTY_PAGES: u32 = 3;

/// Walks the list page by page: `while let Some(page) = pages.next().await`.
pub struct Pages {
    client: Client,
    cursor: Option<Cursor>,
    seen: HashSet<Cursor>,
    /// Empty pages received in a row.
    empty_run: u32,
}

impl Pages {
    pub(crate) fn new(client: Client) -> Self {
        Self::resume(client, Cursor::First)
    }

    /// Starts from a cursor saved earlier (e.g. to resume loading).
    pub fn resume(client: Client, cursor: Cursor) -> Self {
        Pages {
            client,
            cursor: Some(cursor),
            seen: HashSet::new(),
            empty_run: 0,
        }
    }

    /// The next page, or `None` once the list is done. After an error the same page is tried
    /// again on the next call.
    pub async fn next(&mut self) -> Option<Result<Page, ApiError>> {
        let cursor = self.cursor.clone()?;
        match self.client.list_page(&cursor).await {
            Ok(page) => {
                self.advance(cursor, &page);
                Some(Ok(page))
            }
            Err(e) => Some(Err(e)),
        }
    }

    /// Moves past `page`, fetched with `cursor`: to its cursor, unless that was seen before or
    /// the page was the last of [`MAX_EMPTY_PAGES`] empty ones in a row.
    fn advance(&mut self, cursor: Cursor, page: &Page) {
        self.seen.insert(cursor);
        self.empty_run = if page.is_empty() {
            self.empty_run.saturating_add(1)
        } else {
            0
        };
        self.cursor = match &page.next {
            _ if self.empty_run >= MAX_EMPTY_PAGES => {
                tracing::debug!("{MAX_EMPTY_PAGES} empty pages in a row; the list ends here");
                None
            }
            Some(next) if self.seen.contains(next) => {
                tracing::debug!("the server repeated a page cursor; the list ends here");
                None
            }
            next => next.clone(),
        };
    }

    /// The cursor of the page the next call fetches.
    pub fn cursor(&self) -> Option<&Cursor> {
        self.cursor.as_ref()
    }
}

impl Client {
    /// The process list, page by page.
    pub fn pages(&self) -> Pages {
        Pages::new(self.clone())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;
    use url::Url;

    use super::super::paging::parse_page;
    use super::*;

    fn pages() -> Pages {
        let url = Url::parse("http://127.0.0.1:9/").unwrap();
        let key = crate::api::ApiKey::new("k".into());
        let client = Client::new(super::super::ClientOptions::new(url.clone(), url, key))
            .expect("client builds");
        Pages::new(client)
    }

    fn page(items: usize, next: Option<&str>) -> Page {
        let items: Vec<Value> = (0..items)
            .map(|i| serde_json::json!({ "process_id": format!("IDP{i}") }))
            .collect();
        let mut page = parse_page(Value::Array(items).to_string().as_bytes()).unwrap();
        page.next = next.map(|k| Cursor::StartKey(k.into()));
        page
    }

    /// Feeds pages to `advance` as if fetched one after the other; returns how many were
    /// fetched before the walk stopped.
    fn walk(script: &[Page]) -> usize {
        let mut pages = pages();
        for (i, page) in script.iter().enumerate() {
            let Some(cursor) = pages.cursor().cloned() else {
                return i;
            };
            pages.advance(cursor, page);
        }
        assert!(
            pages.cursor().is_none(),
            "the script ran out before the walk ended"
        );
        script.len()
    }

    #[test]
    fn empty_pages_with_a_cursor_are_followed_up_to_a_limit() {
        // Two empty pages in the middle, then data again: all five pages are read.
        let script = [
            page(2, Some("a")),
            page(0, Some("b")),
            page(0, Some("c")),
            page(1, Some("d")),
            page(1, None),
        ];
        assert_eq!(walk(&script), 5);
        // The empty run restarts after a page with rows.
        let script = [
            page(0, Some("a")),
            page(0, Some("b")),
            page(1, Some("c")),
            page(0, Some("d")),
            page(0, Some("e")),
            page(3, None),
        ];
        assert_eq!(walk(&script), 6);
        // Three empty pages in a row end the list, cursor or not.
        let script = [
            page(1, Some("a")),
            page(0, Some("b")),
            page(0, Some("c")),
            page(0, Some("d")),
            page(5, None),
        ];
        assert_eq!(walk(&script), 4);
        assert_eq!(MAX_EMPTY_PAGES, 3);
        // An empty last page without a cursor ends it at once.
        assert_eq!(walk(&[page(0, None), page(1, None)]), 1);
    }

    #[test]
    fn a_repeated_cursor_ends_the_list() {
        let script = [
            page(1, Some("a")),
            page(1, Some("b")),
            page(1, Some("a")),
            page(1, None),
        ];
        assert_eq!(walk(&script), 3);
        // Also when the repeat is of the first page's own cursor.
        let mut pages = pages();
        pages.advance(Cursor::First, &page(0, Some("x")));
        pages.advance(Cursor::StartKey("x".into()), &page(0, Some("x")));
        assert_eq!(pages.cursor(), None);
    }
}
