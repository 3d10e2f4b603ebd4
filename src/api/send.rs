//! Sending one request: the concurrency limit, the 429 gate, retries with backoff, the size
//! limit, and turning the answer into bytes or an `ApiError`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::{StatusCode, header};
use tokio::sync::SemaphorePermit;
use tokio::time::Instant;
use url::Url;

use super::client::{API_KEY_HEADER, Client, Target};
use super::error::ApiError;
use super::links::{link_expiry, s3_code};
use super::transport::{is_transient, parse_retry_after, transport_error, with_attempts};

impl Client {
    /// One GET with retries; returns the body of a 2xx answer.
    pub(super) async fn get(
        &self,
        url: Url,
        target: Target,
        what: &str,
    ) -> Result<Vec<u8>, ApiError> {
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

    pub(super) async fn try_once(
        &self,
        url: &Url,
        target: Target,
        what: &str,
    ) -> Result<Answer, ApiError> {
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

    pub(super) fn status_error(
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
    pub(super) async fn permit(&self, what: &str) -> Result<SemaphorePermit<'_>, ApiError> {
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
    pub(super) async fn gate_closed_until(&self) -> Option<Instant> {
        let until = *self.inner.gate.lock().await;
        until.filter(|t| *t > Instant::now())
    }

    pub(super) async fn wait_for_gate(&self) {
        while let Some(t) = self.gate_closed_until().await {
            tokio::time::sleep_until(t).await;
        }
    }

    pub(super) async fn close_gate(&self, wait: Duration) {
        let until = Instant::now() + wait;
        let mut gate = self.inner.gate.lock().await;
        if gate.is_none_or(|g| g < until) {
            *gate = Some(until);
        }
    }
}

pub(super) enum Answer {
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
