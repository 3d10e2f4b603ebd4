//! The HTTP client for Truora's Identity and Validations APIs and their pre-signed image links.
//!
//! Safety rules enforced here, not by callers:
//! - the API key goes only to the two configured API origins, never to an image host, and API
//!   requests do not follow redirects (a custom header would be forwarded to wherever they point);
//! - the key header is marked sensitive, and a key that cannot be a header value (a newline in
//!   it) is refused when the client is built rather than retried on every request;
//! - ids enter URLs percent-encoded as exactly one path segment;
//! - bodies are read with a size limit.
//!
//! 429, 5xx, timeouts and connection failures are retried with exponential backoff (Truora's SDK
//! uses 1 s → 2 s → 4 s, at most 3 retries), honouring `Retry-After` up to a cap. A 429 also
//! holds back every other request of this client for that long, so a bulk job slows down as a
//! whole instead of each task hammering on its own; that includes requests already queued for a
//! concurrency permit when the 429 arrived.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::header::HeaderValue;
use tokio::sync::{Mutex, Semaphore};
use tokio::time::Instant;
use url::Url;

use super::ApiKey;
use super::error::ApiError;
// Re-exported: callers knew them here before the split.
pub use super::links::link_expiry;
use super::model::{ProcessResult, ProcessSummary, ValidationDetails};
use super::paging::{Cursor, Page, parse_page};
use super::transport::{decode, root_cause};

pub const API_KEY_HEADER: &str = "Truora-API-Key";

/// How failed requests are retried.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Retries after the first try (so `max_retries + 1` tries in all).
    pub max_retries: u32,
    pub base_delay: Duration,
    /// Cap on one wait, including a server's `Retry-After`.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    pub(super) fn backoff(&self, retry: u32) -> Duration {
        let factor = 2u32.saturating_pow(retry.min(16));
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

#[derive(Clone, Debug)]
pub struct ClientOptions {
    pub identity_base: Url,
    pub validations_base: Url,
    pub api_key: ApiKey,
    pub timeout: Duration,
    /// Requests in flight at once, across all callers of this client.
    pub concurrency: usize,
    pub retry: RetryPolicy,
    pub max_json_bytes: usize,
    pub max_image_bytes: usize,
}

impl ClientOptions {
    pub fn new(identity_base: Url, validations_base: Url, api_key: ApiKey) -> Self {
        ClientOptions {
            identity_base,
            validations_base,
            api_key,
            timeout: Duration::from_secs(30),
            concurrency: 8,
            retry: RetryPolicy::default(),
            max_json_bytes: 16 << 20,
            max_image_bytes: 64 << 20,
        }
    }
}

/// A parsed response together with the exact bytes received (the export writes those as-is).
#[derive(Clone, Debug)]
pub struct Fetched<T> {
    pub body: Vec<u8>,
    pub parsed: T,
}

/// Cheap to clone; clones share the connection pool, the concurrency limit and the 429 gate.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

pub(super) struct Inner {
    pub(super) api: reqwest::Client,
    pub(super) images: reqwest::Client,
    pub(super) opts: ClientOptions,
    /// The key as a header value, built once and marked sensitive so HTTP/2's header compression
    /// never indexes it and debug output of the request hides it.
    pub(super) key_header: HeaderValue,
    pub(super) permits: Semaphore,
    /// No request starts before this instant (set by a 429). Checked again once a concurrency
    /// permit is held, since a task may have waited for that permit while the gate closed.
    pub(super) gate: Mutex<Option<Instant>>,
    pub(super) in_flight: AtomicUsize,
}

/// What a request is for: decides the key, the size limit and how a 403 reads.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Api,
    Image,
}

/// Everything but RFC 3986's unreserved characters is encoded, `/` included.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

impl Client {
    pub fn new(opts: ClientOptions) -> Result<Client, ApiError> {
        let key_header = opts
            .api_key
            .to_header()
            .ok_or_else(|| ApiError::InvalidInput {
                what: "the API key".into(),
                reason:
                    "it contains characters that cannot be sent in a header (a newline?): check \
                     TRUORA_API_KEY, api_key or the output of api_key_command"
                        .into(),
            })?;
        let build = |redirects| {
            reqwest::Client::builder()
                .timeout(opts.timeout)
                .connect_timeout(opts.timeout.min(Duration::from_secs(10)))
                .redirect(redirects)
                .user_agent(concat!("truora-tui/", env!("CARGO_PKG_VERSION")))
                .pool_max_idle_per_host(opts.concurrency.max(1))
                .build()
                .map_err(|e| ApiError::Network {
                    what: "starting the HTTP client".into(),
                    reason: root_cause(&e),
                })
        };
        let api = build(reqwest::redirect::Policy::none())?;
        let images = build(reqwest::redirect::Policy::limited(5))?;
        Ok(Client {
            inner: Arc::new(Inner {
                api,
                images,
                key_header,
                permits: Semaphore::new(opts.concurrency.max(1)),
                gate: Mutex::new(None),
                in_flight: AtomicUsize::new(0),
                opts,
            }),
        })
    }

    pub fn options(&self) -> &ClientOptions {
        &self.inner.opts
    }

    /// Requests currently on the wire (for the status bar).
    pub fn in_flight(&self) -> usize {
        self.inner.in_flight.load(Ordering::Relaxed)
    }

    /// One page of the list. A relative `next` link in it is resolved here, against the URL of
    /// this page, so [`Cursor::Next`] always holds an absolute URL.
    pub async fn list_page(&self, cursor: &Cursor) -> Result<Page, ApiError> {
        let what = "listing processes";
        let url = self.list_url(cursor, what)?;
        let body = self.get(url.clone(), Target::Api, what).await?;
        let mut page = parse_page(&body).map_err(|e| ApiError::Decode {
            what: what.into(),
            reason: e.to_string(),
        })?;
        page.resolve_next(&url);
        Ok(page)
    }

    /// `GET /v1/processes/{id}`: the short form of one process.
    pub async fn process(&self, process_id: &str) -> Result<ProcessSummary, ApiError> {
        let what = format!("process {}", short(process_id));
        let url = self.api_url(
            &self.inner.opts.identity_base,
            &[("v1/processes/", process_id)],
            "",
            &what,
        )?;
        let body = self.get(url, Target::Api, &what).await?;
        match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(serde_json::Value::Object(obj)) => Ok(ProcessSummary::from_object(&obj)),
            Ok(_) => Err(decode(&what, "expected a JSON object")),
            Err(e) => Err(decode(&what, &e.to_string())),
        }
    }

    /// `GET /v1/processes/{id}/result`: the process with its validations and fresh image links.
    pub async fn process_result(
        &self,
        process_id: &str,
    ) -> Result<Fetched<ProcessResult>, ApiError> {
        let what = format!("process {} result", short(process_id));
        let url = self.api_url(
            &self.inner.opts.identity_base,
            &[("v1/processes/", process_id)],
            "/result",
            &what,
        )?;
        let body = self.get(url, Target::Api, &what).await?;
        let parsed = ProcessResult::from_slice(&body).map_err(|e| decode(&what, &e.to_string()))?;
        Ok(Fetched { body, parsed })
    }

    /// `GET /v1/validations/{id}?show_details=true` on the Validations API.
    pub async fn validation_details(
        &self,
        validation_id: &str,
    ) -> Result<Fetched<ValidationDetails>, ApiError> {
        let what = format!("validation {} details", short(validation_id));
        let mut url = self.api_url(
            &self.inner.opts.validations_base,
            &[("v1/validations/", validation_id)],
            "",
            &what,
        )?;
        url.query_pairs_mut().append_pair("show_details", "true");
        let body = self.get(url, Target::Api, &what).await?;
        let parsed =
            ValidationDetails::from_slice(&body).map_err(|e| decode(&what, &e.to_string()))?;
        Ok(Fetched { body, parsed })
    }

    /// Downloads a pre-signed file link. Never sends the API key.
    pub async fn download(&self, link: &str, what: &str) -> Result<Vec<u8>, ApiError> {
        let url = Url::parse(link).map_err(|e| ApiError::InvalidInput {
            what: what.into(),
            reason: format!("the link is not a valid URL ({e})"),
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(ApiError::InvalidInput {
                what: what.into(),
                reason: format!("refusing a {} link: only http(s) is fetched", url.scheme()),
            });
        }
        self.get(url, Target::Image, what).await
    }

    fn list_url(&self, cursor: &Cursor, what: &str) -> Result<Url, ApiError> {
        let base = &self.inner.opts.identity_base;
        let first = join(base, "v1/processes/", what)?;
        match cursor {
            Cursor::First => Ok(first),
            Cursor::StartKey(key) => {
                let mut url = first;
                url.query_pairs_mut().append_pair("start_key", key);
                Ok(url)
            }
            // Absolute since `list_page` resolved it; a relative one (a cursor saved by hand)
            // is read against the identity base.
            Cursor::Next(next) => {
                let url = base.join(next).map_err(|e| ApiError::InvalidInput {
                    what: what.into(),
                    reason: format!("the server's next-page link is not a URL ({e})"),
                })?;
                if !self.is_api_origin(&url) {
                    return Err(ApiError::InvalidInput {
                        what: what.into(),
                        reason: format!(
                            "the server's next-page link points to another host ({}); refusing to send the API key there",
                            url.host_str().unwrap_or("?")
                        ),
                    });
                }
                Ok(url)
            }
        }
    }

    /// `base` + `prefix` + the encoded id + `suffix`.
    fn api_url(
        &self,
        base: &Url,
        parts: &[(&str, &str)],
        suffix: &str,
        what: &str,
    ) -> Result<Url, ApiError> {
        let mut path = String::new();
        for (prefix, id) in parts {
            path.push_str(prefix);
            path.push_str(&segment(id, what)?);
        }
        path.push_str(suffix);
        join(base, &path, what)
    }

    pub(super) fn is_api_origin(&self, url: &Url) -> bool {
        let o = url.origin();
        o == self.inner.opts.identity_base.origin()
            || o == self.inner.opts.validations_base.origin()
    }
}

fn join(base: &Url, path: &str, what: &str) -> Result<Url, ApiError> {
    let mut base = base.clone();
    if !base.path().ends_with('/') {
        let p = format!("{}/", base.path());
        base.set_path(&p);
    }
    base.join(path).map_err(|e| ApiError::InvalidInput {
        what: what.into(),
        reason: format!("cannot build the request URL ({e})"),
    })
}

/// An id as one path segment. `.`/`..` cannot be expressed safely (URL parsers resolve them, even
/// percent-encoded), so they and other impossible ids are refused with a clear error.
fn segment(id: &str, what: &str) -> Result<String, ApiError> {
    let invalid = |reason: &str| ApiError::InvalidInput {
        what: what.into(),
        reason: format!("{reason}; process and validation ids look like IDP… / VLD…"),
    };
    if id.trim().is_empty() {
        return Err(invalid("the id is empty"));
    }
    if id == "." || id == ".." {
        return Err(invalid("the id is a dot path segment"));
    }
    if id.len() > 256 {
        return Err(invalid("the id is longer than 256 bytes"));
    }
    Ok(utf8_percent_encode(id, SEGMENT).to_string())
}

/// An id shortened and cleaned for messages.
pub fn short(id: &str) -> String {
    let clean = crate::sanitize::terminal_text(id);
    if clean.chars().count() > 48 {
        format!("{}…", clean.chars().take(47).collect::<String>())
    } else {
        clean.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::transport::{is_transient, transport_error};

    #[test]
    fn ids_become_one_segment() {
        assert_eq!(segment("IDP123abc", "x").unwrap(), "IDP123abc");
        assert_eq!(segment("../../x", "x").unwrap(), "..%2F..%2Fx");
        assert_eq!(segment("a b?c#d%e", "x").unwrap(), "a%20b%3Fc%23d%25e");
        for bad in ["", " ", ".", ".."] {
            let e = segment(bad, "process").unwrap_err();
            assert!(e.to_string().contains("look like IDP"), "{e}");
        }
        assert!(segment(&"x".repeat(300), "x").is_err());
    }

    fn options(key: &str) -> ClientOptions {
        let url = Url::parse("http://127.0.0.1:9/").unwrap();
        ClientOptions::new(url.clone(), url, ApiKey::new(key.into()))
    }

    #[test]
    fn the_key_header_is_sensitive_and_a_bad_key_is_refused_up_front() {
        let client = Client::new(options("sk-good")).expect("client builds");
        assert!(client.inner.key_header.is_sensitive());
        assert_eq!(client.inner.key_header, "sk-good");
        for bad in ["top\nsecret", "top\u{7f}secret", "top\u{1b}secret"] {
            let Err(err) = Client::new(options(bad)) else {
                panic!("{bad:?} accepted");
            };
            assert!(matches!(err, ApiError::InvalidInput { .. }), "{err:?}");
            let text = err.to_string();
            assert!(
                text.contains("(a newline?): check TRUORA_API_KEY"),
                "{text}"
            );
            assert!(!text.contains("secret"), "{text}");
        }
    }

    #[test]
    fn request_build_errors_are_invalid_input_and_not_retried() {
        let e = reqwest::Client::new()
            .get("http://127.0.0.1:9/")
            .header("bad\nname", "v")
            .build()
            .expect_err("a header name with a newline");
        assert!(e.is_builder());
        let url = Url::parse("http://127.0.0.1:9/").unwrap();
        let err = transport_error(e, &url, "listing processes", Duration::from_secs(1));
        assert!(matches!(err, ApiError::InvalidInput { .. }), "{err:?}");
        assert!(!is_transient(&err));
        assert!(
            err.to_string()
                .starts_with("listing processes: the request could not be built ("),
            "{err}"
        );
    }

    /// The only timing assertion is a lower bound, which a slow machine cannot break.
    #[tokio::test]
    async fn a_task_that_queued_for_a_permit_still_waits_for_the_gate() {
        let mut opts = options("k");
        opts.concurrency = 1;
        let client = Client::new(opts).unwrap();
        let held = client.permit("first").await.unwrap();
        let started = Instant::now();
        let waiter = {
            let client = client.clone();
            tokio::spawn(async move {
                let _permit = client.permit("second").await.unwrap();
                Instant::now()
            })
        };
        // Let the waiter pass the open gate and queue for the permit, then close the gate
        // (as a 429 would) and free the permit.
        tokio::task::yield_now().await;
        client.close_gate(Duration::from_millis(300)).await;
        drop(held);
        let got_permit = waiter.await.unwrap();
        assert!(got_permit >= started + Duration::from_millis(300));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy::default();
        let waits: Vec<_> = (0..7).map(|r| p.backoff(r).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 30, 30]);
    }
}
