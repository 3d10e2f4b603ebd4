//! Turning transport failures and answers into `ApiError`s, and deciding what is worth a retry.

use std::time::Duration;

use reqwest::header;
use url::Url;

use super::error::ApiError;

pub(super) fn decode(what: &str, reason: &str) -> ApiError {
    ApiError::Decode {
        what: what.into(),
        reason: reason.into(),
    }
}

pub(super) fn is_transient(e: &ApiError) -> bool {
    matches!(
        e,
        ApiError::Timeout { .. } | ApiError::Connect { .. } | ApiError::Network { .. }
    )
}

pub(super) fn with_attempts(e: ApiError, attempts: u32) -> ApiError {
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

pub(super) fn transport_error(
    e: reqwest::Error,
    url: &Url,
    what: &str,
    timeout: Duration,
) -> ApiError {
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
pub(super) fn root_cause(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = e;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// `Retry-After` in seconds (the HTTP-date form is rare for APIs and treated as absent).
pub(super) fn parse_retry_after(headers: &header::HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?;
    let secs: f64 = value.trim().parse().ok()?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

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
