//! Everything that can go wrong talking to Truora, each with a message that says what to do.
//!
//! Errors carry plain data (no `reqwest::Error`) so they can cross channels, be cloned into the
//! status bar and the export manifest, and be compared in tests. `what` names the request
//! ("process IDP… result") so a message makes sense on its own.

use std::fmt;

use serde_json::Value;

use crate::sanitize::terminal_text;

/// Truora's error body: `{"code": <number or string>, "http_code": <int>, "message": "..."}`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorBody {
    pub code: Option<String>,
    pub http_code: Option<u16>,
    pub message: Option<String>,
}

impl ErrorBody {
    /// Reads an error body leniently; an empty or non-JSON body gives an empty `ErrorBody` (the
    /// status code alone still explains the error).
    pub fn parse(bytes: &[u8]) -> ErrorBody {
        let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(bytes) else {
            return ErrorBody::default();
        };
        use crate::api::lenient::{integer, text};
        ErrorBody {
            code: text(&obj, "code"),
            http_code: integer(&obj, "http_code").and_then(|c| u16::try_from(c).ok()),
            message: text(&obj, "message").filter(|m| !m.is_empty()),
        }
    }
}

/// Shown after the status code: ` — "message" (code 40101)`, or nothing when the body said nothing.
impl fmt::Display for ErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(m) = &self.message {
            let m: String = terminal_text(m).chars().take(200).collect();
            write!(f, " — \"{m}\"")?;
        }
        if let Some(c) = &self.code {
            write!(f, " (code {})", terminal_text(c))?;
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    #[error(
        "{what}: Truora rejected the request as invalid (400){body}: check the id; if it is right, please report this"
    )]
    BadRequest { what: String, body: ErrorBody },
    #[error("{what}: the API key was refused (401){body}: check TRUORA_API_KEY / api_key")]
    Unauthorized { what: String, body: ErrorBody },
    #[error(
        "{what}: access denied (403){body}: the API key may have expired or lack permission for this resource; create a new key in the Truora dashboard"
    )]
    Forbidden { what: String, body: ErrorBody },
    #[error(
        "{what}: not found (404){body}: check the id; it may belong to another account or have been deleted"
    )]
    NotFound { what: String, body: ErrorBody },
    #[error("{what}: conflict (409){body}: the process is changing; refresh in a moment")]
    Conflict { what: String, body: ErrorBody },
    #[error("{what}: the process has expired (410){body}; Truora no longer serves its data")]
    Gone { what: String, body: ErrorBody },
    #[error(
        "{what}: rate limited by Truora (429) after {attempts} tries{body}: wait a minute, or lower `concurrency` in the config"
    )]
    RateLimited {
        what: String,
        attempts: u32,
        body: ErrorBody,
    },
    #[error(
        "{what}: Truora answered {status} after {attempts} tries{body}: a server-side problem; try again later"
    )]
    Server {
        what: String,
        status: u16,
        attempts: u32,
        body: ErrorBody,
    },
    /// API requests never follow redirects: the key header would go along to wherever they point.
    #[error(
        "{what}: the API answered with a redirect (HTTP {status}), which is not followed so the API \
         key stays with the configured host: check the base URL (https rather than http, the \
         right host and path)"
    )]
    Redirected { what: String, status: u16 },
    #[error("{what}: unexpected HTTP status {status}{body}")]
    Status {
        what: String,
        status: u16,
        body: ErrorBody,
    },
    #[error(
        "{what}: the image link has expired (links last 15 minutes): refresh the process to get new links"
    )]
    LinkExpired { what: String },
    #[error(
        "{what}: the image host refused the link (HTTP {status}, {detail}): refresh the process to get new links"
    )]
    LinkRefused {
        what: String,
        status: u16,
        detail: String,
    },
    #[error(
        "{what}: no answer within {secs} s after {attempts} tries: check the network, or raise request_timeout_secs"
    )]
    Timeout {
        what: String,
        secs: u64,
        attempts: u32,
    },
    #[error(
        "{what}: could not connect to {host} after {attempts} tries ({reason}): check the network and the configured base URL"
    )]
    Connect {
        what: String,
        host: String,
        reason: String,
        attempts: u32,
    },
    #[error("{what}: the connection failed ({reason}): try again")]
    Network { what: String, reason: String },
    #[error(
        "{what}: the response is not the JSON expected ({reason}): try again; if it persists, report it"
    )]
    Decode { what: String, reason: String },
    #[error("{what}: the response is larger than {limit} bytes; refusing to read it")]
    TooLarge { what: String, limit: usize },
    #[error("{what}: {reason}")]
    InvalidInput { what: String, reason: String },
}

impl ApiError {
    /// The HTTP status, when the error is one.
    pub fn status(&self) -> Option<u16> {
        Some(match self {
            ApiError::BadRequest { .. } => 400,
            ApiError::Unauthorized { .. } => 401,
            ApiError::Forbidden { .. } => 403,
            ApiError::NotFound { .. } => 404,
            ApiError::Conflict { .. } => 409,
            ApiError::Gone { .. } => 410,
            ApiError::RateLimited { .. } => 429,
            ApiError::Server { status, .. }
            | ApiError::Redirected { status, .. }
            | ApiError::Status { status, .. }
            | ApiError::LinkRefused { status, .. } => *status,
            _ => return None,
        })
    }

    /// A link that a fresh result would replace: the caller should re-fetch and retry once.
    pub fn is_stale_link(&self) -> bool {
        matches!(
            self,
            ApiError::LinkExpired { .. } | ApiError::LinkRefused { .. }
        )
    }

    /// Errors that end a whole session (every later request would fail the same way).
    pub fn is_fatal_for_session(&self) -> bool {
        matches!(self, ApiError::Unauthorized { .. })
    }

    /// Builds the error for an HTTP status from an API host.
    pub(crate) fn from_status(what: &str, status: u16, attempts: u32, bytes: &[u8]) -> ApiError {
        let what = what.to_owned();
        let body = ErrorBody::parse(bytes);
        match status {
            400 => ApiError::BadRequest { what, body },
            401 => ApiError::Unauthorized { what, body },
            403 => ApiError::Forbidden { what, body },
            404 => ApiError::NotFound { what, body },
            409 => ApiError::Conflict { what, body },
            410 => ApiError::Gone { what, body },
            429 => ApiError::RateLimited {
                what,
                attempts,
                body,
            },
            500..=599 => ApiError::Server {
                what,
                status,
                attempts,
                body,
            },
            300..=399 => ApiError::Redirected { what, status },
            _ => ApiError::Status { what, status, body },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_reads_code_as_number_or_string() {
        let b = ErrorBody::parse(br#"{"code": 40401, "http_code": 404, "message": "not here"}"#);
        assert_eq!(b.code.as_deref(), Some("40401"));
        assert_eq!(b.http_code, Some(404));
        let b = ErrorBody::parse(br#"{"code": "E_X", "http_code": "401"}"#);
        assert_eq!(b.code.as_deref(), Some("E_X"));
        assert_eq!(b.http_code, Some(401));
        assert_eq!(ErrorBody::parse(b"<html>"), ErrorBody::default());
    }

    #[test]
    fn every_status_maps_to_a_message_that_says_what_to_do() {
        let body = br#"{"code": 1, "message": "m"}"#;
        let cases = [
            (400, "check the id"),
            (
                401,
                "the API key was refused (401) — \"m\" (code 1): check TRUORA_API_KEY / api_key",
            ),
            (403, "create a new key"),
            (404, "check the id"),
            (409, "refresh in a moment"),
            (410, "no longer serves its data"),
            (429, "lower `concurrency`"),
            (503, "try again later"),
            (302, "redirect (HTTP 302), which is not followed"),
            (308, "check the base URL"),
            (418, "unexpected HTTP status 418"),
        ];
        for (status, expected) in cases {
            let e = ApiError::from_status("process X result", status, 4, body);
            let msg = e.to_string();
            assert!(msg.starts_with("process X result: "), "{msg}");
            assert!(msg.contains(expected), "{status}: {msg}");
            assert_eq!(e.status(), Some(status));
        }
    }

    #[test]
    fn server_text_in_messages_is_sanitised() {
        let e = ApiError::from_status("x", 400, 1, b"{\"message\": \"a\\u001b[2Jb\"}");
        assert!(!e.to_string().contains('\u{1b}'));
    }
}
