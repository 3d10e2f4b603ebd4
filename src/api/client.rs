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
use reqwest::{StatusCode, header};
use tokio::sync::{Mutex, Semaphore, SemaphorePermit};
use tokio::time::Instant;
use url::Url;

use super::error::ApiError;
use super::model::{ProcessResult, ProcessSummary, ValidationDetails};
use super::paging::{Cursor, Page, Pages, parse_page};
use crate::config::ApiKey;

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
    fn backoff(&self, retry: u32) -> Duration {
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
    inner: Arc<Inner>,
}

struct Inner {
    api: reqwest::Client,
    images: reqwest::Client,
    opts: ClientOptions,
    /// The key as a header value, built once and marked sensitive so HTTP/2's header compression
    /// never indexes it and debug output of the request hides it.
    key_header: HeaderValue,
    permits: Semaphore,
    /// No request starts before this instant (set by a 429). Checked again once a concurrency
    /// permit is held, since a task may have waited for that permit while the gate closed.
    gate: Mutex<Option<Instant>>,
    in_flight: AtomicUsize,
}

/// What a request is for: decides the key, the size limit and how a 403 reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
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

    /// The process list, page by page.
    pub fn pages(&self) -> Pages {
        Pages::new(self.clone())
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

    fn is_api_origin(&self, url: &Url) -> bool {
        let o = url.origin();
        o == self.inner.opts.identity_base.origin()
            || o == self.inner.opts.validations_base.origin()
    }

    /// One GET with retries; returns the body of a 2xx answer.
    async fn get(&self, url: Url, target: Target, what: &str) -> Result<Vec<u8>, ApiError> {
        let policy = &self.inner.opts.retry;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let outcome = self.try_once(&url, target, what).await;
            let retry_after = match &outcome {
                Ok(Answer::Success(_)) | Ok(Answer::Final(_)) => None,
                Ok(Answer::Retryable { retry_after, .. }) => Some(*retry_after),
                Err(e) if is_transient(e) => Some(None),
                Err(_) => None,
            };
            let out_of_tries = attempt > policy.max_retries;
            match (outcome, retry_after) {
                (Ok(Answer::Success(body)), _) => return Ok(body),
                (Ok(Answer::Final(status_body)), _) => {
                    return Err(self.status_error(&url, target, what, status_body, attempt));
                }
                (Ok(Answer::Retryable { status, body, .. }), Some(ra)) if !out_of_tries => {
                    let wait = ra.map_or_else(
                        || policy.backoff(attempt - 1),
                        |ra| ra.min(policy.max_delay),
                    );
                    tracing::debug!(what, status, ?wait, attempt, "retrying");
                    drop(body);
                    if status == 429 {
                        self.close_gate(wait).await;
                    }
                    tokio::time::sleep(wait).await;
                }
                (Ok(Answer::Retryable { status, body, .. }), _) => {
                    return Err(self.status_error(&url, target, what, (status, body), attempt));
                }
                (Err(e), Some(_)) if !out_of_tries => {
                    tracing::debug!(what, error = %e, attempt, "retrying");
                    tokio::time::sleep(policy.backoff(attempt - 1)).await;
                }
                (Err(e), _) => return Err(with_attempts(e, attempt)),
            }
        }
    }

    async fn try_once(&self, url: &Url, target: Target, what: &str) -> Result<Answer, ApiError> {
        let _permit = self.permit(what).await?;
        let _counted = InFlight::new(&self.inner.in_flight);
        let opts = &self.inner.opts;
        let request = match target {
            Target::Api => {
                debug_assert!(self.is_api_origin(url));
                self.inner
                    .api
                    .get(url.clone())
                    .header(API_KEY_HEADER, self.inner.key_header.clone())
                    .header(header::ACCEPT, "application/json")
            }
            Target::Image => self.inner.images.get(url.clone()),
        };
        let limit = match target {
            Target::Api => opts.max_json_bytes,
            Target::Image => opts.max_image_bytes,
        };
        let mut response = request
            .send()
            .await
            .map_err(|e| transport_error(e, url, what, opts.timeout))?;
        let status = response.status();
        let retry_after = parse_retry_after(response.headers());
        if let Some(len) = response.content_length()
            && len > limit as u64
        {
            return Err(ApiError::TooLarge {
                what: what.into(),
                limit,
            });
        }
        let mut body = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| transport_error(e, url, what, opts.timeout))?
        {
            if body.len() + chunk.len() > limit {
                return Err(ApiError::TooLarge {
                    what: what.into(),
                    limit,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(if status.is_success() {
            Answer::Success(body)
        } else if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            Answer::Retryable {
                status: status.as_u16(),
                body,
                retry_after,
            }
        } else {
            Answer::Final((status.as_u16(), body))
        })
    }

    fn status_error(
        &self,
        url: &Url,
        target: Target,
        what: &str,
        (status, body): (u16, Vec<u8>),
        attempts: u32,
    ) -> ApiError {
        if target == Target::Image && matches!(status, 400 | 403) {
            let text = String::from_utf8_lossy(&body);
            let expired = text.to_ascii_lowercase().contains("expired")
                || link_expiry(url).is_some_and(|t| t <= std::time::SystemTime::now());
            if expired {
                return ApiError::LinkExpired { what: what.into() };
            }
            return ApiError::LinkRefused {
                what: what.into(),
                status,
                detail: s3_code(&text).unwrap_or_else(|| "no reason given".into()),
            };
        }
        ApiError::from_status(what, status, attempts, &body)
    }

    /// A concurrency permit taken while the 429 gate is open. The gate is checked again once the
    /// permit is held: a task that queued for the permit before a 429 closed the gate must not
    /// slip through when the permit frees up. If it is closed, the permit goes back (others may
    /// hold it for nothing otherwise) and the task waits for the gate, then queues again.
    async fn permit(&self, what: &str) -> Result<SemaphorePermit<'_>, ApiError> {
        loop {
            self.wait_for_gate().await;
            let permit = self
                .inner
                .permits
                .acquire()
                .await
                .map_err(|_| ApiError::Network {
                    what: what.into(),
                    reason: "the client is shutting down".into(),
                })?;
            if self.gate_closed_until().await.is_none() {
                return Ok(permit);
            }
            drop(permit);
        }
    }

    /// When the gate opens, if it is closed now.
    async fn gate_closed_until(&self) -> Option<Instant> {
        let until = *self.inner.gate.lock().await;
        until.filter(|t| *t > Instant::now())
    }

    async fn wait_for_gate(&self) {
        while let Some(t) = self.gate_closed_until().await {
            tokio::time::sleep_until(t).await;
        }
    }

    async fn close_gate(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut gate = self.inner.gate.lock().await;
        if gate.is_none_or(|g| g < until) {
            *gate = Some(until);
        }
    }
}

enum Answer {
    Success(Vec<u8>),
    Final((u16, Vec<u8>)),
    Retryable {
        status: u16,
        body: Vec<u8>,
        retry_after: Option<Duration>,
    },
}

/// Counts a request as in flight for as long as it lives.
struct InFlight<'a>(&'a AtomicUsize);

impl<'a> InFlight<'a> {
    fn new(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        InFlight(counter)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
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

fn decode(what: &str, reason: &str) -> ApiError {
    ApiError::Decode {
        what: what.into(),
        reason: reason.into(),
    }
}

fn is_transient(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Timeout { .. } | ApiError::Connect { .. } | ApiError::Network { .. }
    )
}

fn with_attempts(e: ApiError, attempts: u32) -> ApiError {
    match e {
        ApiError::Timeout { what, secs, .. } => ApiError::Timeout {
            what,
            secs,
            attempts,
        },
        ApiError::Connect {
            what, host, reason, ..
        } => ApiError::Connect {
            what,
            host,
            reason,
            attempts,
        },
        other => other,
    }
}

fn transport_error(e: reqwest::Error, url: &Url, what: &str, timeout: Duration) -> ApiError {
    if e.is_builder() {
        // The request itself is malformed (a bad header value or URL): every retry would fail
        // the same way.
        ApiError::InvalidInput {
            what: what.into(),
            reason: format!(
                "the request could not be built ({}): check the base URLs and the API key in the config",
                root_cause(&e)
            ),
        }
    } else if e.is_timeout() {
        ApiError::Timeout {
            what: what.into(),
            secs: timeout.as_secs(),
            attempts: 1,
        }
    } else if e.is_connect() {
        ApiError::Connect {
            what: what.into(),
            host: url.host_str().unwrap_or("?").to_owned(),
            reason: root_cause(&e),
            attempts: 1,
        }
    } else {
        ApiError::Network {
            what: what.into(),
            reason: root_cause(&e),
        }
    }
}

/// The innermost error message, without the URL (which may hold a signed link).
fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// `Retry-After` in seconds (the HTTP-date form is rare for APIs and treated as absent).
fn parse_retry_after(headers: &header::HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

/// When a pre-signed S3 link stops working, from `X-Amz-Date` + `X-Amz-Expires`.
pub fn link_expiry(url: &Url) -> Option<std::time::SystemTime> {
    let mut date = None;
    let mut expires = None;
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "X-Amz-Date" => date = parse_amz_date(&v),
            "X-Amz-Expires" => expires = v.parse::<u64>().ok(),
            _ => {}
        }
    }
    date?.checked_add(Duration::from_secs(expires?))
}

/// `YYYYMMDDTHHMMSSZ` → a time.
fn parse_amz_date(s: &str) -> Option<std::time::SystemTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, se) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || se > 60 {
        return None;
    }
    let days = days_from_civil(y, mo, d);
    let secs = days * 86_400 + h * 3600 + mi * 60 + se;
    let secs = u64::try_from(secs).ok()?;
    std::time::UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `<Code>AccessDenied</Code>` → `AccessDenied`.
fn s3_code(body: &str) -> Option<String> {
    let start = body.find("<Code>")? + "<Code>".len();
    let end = start + body.get(start..)?.find("</Code>")?;
    let code = crate::sanitize::terminal_text(body.get(start..end)?);
    Some(code.chars().take(64).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn link_expiry_reads_amz_parameters() {
        let url = Url::parse(
            "https://s3.example/b/k.jpg?X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-Signature=ab",
        )
        .unwrap();
        let t = link_expiry(&url).unwrap();
        let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(secs, 1_704_164_645 + 900);
        assert_eq!(
            link_expiry(&Url::parse("https://x/y?X-Amz-Date=bad").unwrap()),
            None
        );
    }

    #[test]
    fn s3_error_codes_are_read() {
        let body = "<Error><Code>SignatureDoesNotMatch</Code><Message>x</Message></Error>";
        assert_eq!(s3_code(body).as_deref(), Some("SignatureDoesNotMatch"));
        assert_eq!(s3_code("<Code>unterminated"), None);
    }

    #[test]
    fn retry_after_in_seconds() {
        let mut h = header::HeaderMap::new();
        h.insert(header::RETRY_AFTER, "2".parse().unwrap());
        assert_eq!(parse_retry_after(&h), Some(Duration::from_secs(2)));
        h.insert(
            header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(parse_retry_after(&h), None);
    }
}
