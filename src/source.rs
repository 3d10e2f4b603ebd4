//! Where the browser's data comes from: the Truora API (live, or the embedded demo, which is the
//! same client pointed at a loopback server), an export archive on disk, or the API restricted
//! to a list of ids. The worker only talks to a `Source`, so the app never knows which; image
//! links and their stale-link retry live here too ([`Source::image`], [`find_link`]), for the
//! worker and `show`.

use std::path::Path;
use std::sync::Arc;

use futures::future::join_all;

use crate::api::model::{ProcessResult, ProcessSummary, ValidationDetails};
use crate::api::paging::Page;
use crate::api::{ApiError, Client, Fetched};
use crate::archive::{Archive, ArchiveError};
use crate::images::ImageKey;

mod links;
pub use links::{Fresh, find_link};

pub struct Source {
    kind: Kind,
    label: String,
}

enum Kind {
    Api(Client),
    /// An export on disk: no network, no key.
    Archive(Arc<Archive>),
    /// Exactly these processes, fetched from the API.
    Ids {
        client: Client,
        ids: Arc<[String]>,
    },
}

/// Rows per page of an archive or an ids list (the list pane loads pages as it scrolls).
const OFFLINE_PAGE: usize = 500;
/// Ids looked up per page (`GET /v1/processes/{id}` each, concurrently within the client's limit).
const IDS_PAGE: usize = 25;

impl Source {
    /// The live API (or the demo server, which speaks the same HTTP).
    pub fn api(client: Client, label: impl Into<String>) -> Source {
        Source {
            kind: Kind::Api(client),
            label: label.into(),
        }
    }

    /// An export archive, opened and checked; its [`Source::problems`] say what it lacks.
    pub fn archive(dir: &Path) -> Result<Source, ArchiveError> {
        Ok(Source::from_archive(Archive::open(dir)?))
    }

    pub fn from_archive(archive: Archive) -> Source {
        Source {
            label: format!("archive {}", archive.dir().display()),
            kind: Kind::Archive(Arc::new(archive)),
        }
    }

    /// The API, showing exactly `ids` in this order (from `--ids-file`).
    pub fn ids(client: Client, ids: Vec<String>, label: impl Into<String>) -> Source {
        Source {
            kind: Kind::Ids {
                client,
                ids: ids.into(),
            },
            label: label.into(),
        }
    }

    /// Shown in the status bar: `live`, `demo`, `archive DIR`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The key requests are sent with (none for an archive), for the access log's fingerprint.
    pub fn api_key(&self) -> Option<&crate::api::ApiKey> {
        match &self.kind {
            Kind::Api(client) | Kind::Ids { client, .. } => Some(&client.options().api_key),
            Kind::Archive(_) => None,
        }
    }

    /// The archive, when browsing one (its results are all local).
    pub fn local_archive(&self) -> Option<&Arc<Archive>> {
        match &self.kind {
            Kind::Archive(archive) => Some(archive),
            _ => None,
        }
    }

    /// Whether a result can be fetched again (an archive cannot).
    pub fn can_refresh(&self) -> bool {
        !matches!(self.kind, Kind::Archive(_))
    }

    /// What an archive lacks (a partial export, `--no-images`...), one line each; empty otherwise.
    pub fn problems(&self) -> Vec<String> {
        match &self.kind {
            Kind::Archive(a) => a.problems().to_vec(),
            _ => Vec::new(),
        }
    }

    /// The process list from its first page.
    pub fn pages(&self) -> Pages {
        match &self.kind {
            Kind::Api(client) => Pages::Api(client.pages()),
            Kind::Archive(archive) => Pages::Archive {
                archive: archive.clone(),
                next: 0,
            },
            Kind::Ids { client, ids } => Pages::Ids {
                client: client.clone(),
                ids: ids.clone(),
                next: 0,
            },
        }
    }

    pub async fn result(&self, process_id: &str) -> Result<Fetched<ProcessResult>, ApiError> {
        match &self.kind {
            Kind::Api(client) | Kind::Ids { client, .. } => client.process_result(process_id).await,
            Kind::Archive(archive) => {
                let (archive, id) = (archive.clone(), process_id.to_owned());
                let (body, parsed) = offline(move || archive.result(&id)).await?;
                Ok(Fetched { body, parsed })
            }
        }
    }

    pub async fn details(
        &self,
        validation_id: &str,
    ) -> Result<Fetched<ValidationDetails>, ApiError> {
        match &self.kind {
            Kind::Api(client) | Kind::Ids { client, .. } => {
                client.validation_details(validation_id).await
            }
            Kind::Archive(archive) => {
                let (archive, id) = (archive.clone(), validation_id.to_owned());
                let (body, parsed) = offline(move || archive.details(&id)).await?;
                Ok(Fetched { body, parsed })
            }
        }
    }

    /// The bytes of one image: `url` is the link from the newest result; an offline source finds
    /// the file by `key` instead (its stored links have long expired).
    pub async fn file(&self, key: &ImageKey, url: &str, what: &str) -> Result<Vec<u8>, ApiError> {
        match &self.kind {
            Kind::Api(client) | Kind::Ids { client, .. } => client.download(url, what).await,
            Kind::Archive(archive) => {
                let (archive, key, url) = (archive.clone(), key.clone(), url.to_owned());
                offline(move || {
                    archive.image(&key.process_id, &key.validation_id, &key.field, Some(&url))
                })
                .await
            }
        }
    }

    /// HTTP requests on the wire right now (for the status bar).
    pub fn in_flight(&self) -> usize {
        match &self.kind {
            Kind::Api(client) | Kind::Ids { client, .. } => client.in_flight(),
            Kind::Archive(_) => 0,
        }
    }
}

/// Runs an archive read on the blocking pool. Archive errors reach the app as `ApiError`s (the
/// type the worker carries); their text already says what is missing and what to do.
async fn offline<T: Send + 'static>(
    read: impl FnOnce() -> Result<T, ArchiveError> + Send + 'static,
) -> Result<T, ApiError> {
    let outcome = tokio::task::spawn_blocking(read)
        .await
        .map_err(|e| ApiError::InvalidInput {
            what: "reading the archive".into(),
            reason: format!("the read stopped ({e})"),
        })?;
    outcome.map_err(|e| ApiError::InvalidInput {
        what: "archive".into(),
        reason: e.to_string(),
    })
}

/// The process list, page by page: `while let Some(page) = pages.next().await`.
pub enum Pages {
    Api(crate::api::pages::Pages),
    Archive {
        archive: Arc<Archive>,
        next: usize,
    },
    Ids {
        client: Client,
        ids: Arc<[String]>,
        next: usize,
    },
}

impl Pages {
    /// The next page, or `None` once the list is done.
    pub async fn next(&mut self) -> Option<Result<Page, ApiError>> {
        match self {
            Pages::Api(pages) => pages.next().await,
            Pages::Archive { archive, next } => {
                let rows = archive.processes().get(*next..)?;
                if rows.is_empty() {
                    return None;
                }
                let items: Vec<ProcessSummary> = rows.iter().take(OFFLINE_PAGE).cloned().collect();
                *next += items.len();
                Some(Ok(Page {
                    items,
                    ..Page::default()
                }))
            }
            Pages::Ids { client, ids, next } => {
                let chunk = ids.get(*next..)?.iter().take(IDS_PAGE);
                let ids: Vec<String> = chunk.cloned().collect();
                if ids.is_empty() {
                    return None;
                }
                let page = ids_page(client, &ids).await;
                if page.is_ok() {
                    *next += ids.len();
                }
                Some(page)
            }
        }
    }

    /// Whether the pages come newest first, so a poll may stop at the first known process:
    /// Truora's list (and the demo's) is; an ids file keeps the user's order.
    pub fn newest_first(&self) -> bool {
        matches!(self, Pages::Api(_))
    }

    /// Whether another page may follow.
    pub fn has_more(&self) -> bool {
        match self {
            Pages::Api(pages) => pages.cursor().is_some(),
            Pages::Archive { archive, next } => *next < archive.processes().len(),
            Pages::Ids { ids, next, .. } => *next < ids.len(),
        }
    }
}

/// One page of an ids list: each id's short form, so the list shows status and date. An id the
/// API does not know stays a bare row (opening it shows the error); a refused key fails the page.
async fn ids_page(client: &Client, ids: &[String]) -> Result<Page, ApiError> {
    let answers = join_all(ids.iter().map(|id| client.process(id))).await;
    let mut page = Page::default();
    for (id, answer) in ids.iter().zip(answers) {
        let summary = match answer {
            Ok(mut s) => {
                s.process_id.get_or_insert_with(|| id.clone());
                s
            }
            Err(e) if e.is_fatal_for_session() => return Err(e),
            Err(_) => ProcessSummary {
                process_id: Some(id.clone()),
                ..ProcessSummary::default()
            },
        };
        page.raw_items.push(serde_json::json!({ "process_id": id }));
        page.items.push(summary);
    }
    Ok(page)
}
