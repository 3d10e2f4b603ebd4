//! Responses as plain data, so faults can rewrite a body before it becomes an HTTP response.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

/// A response about to be sent.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub retry_after: Option<u64>,
}

impl Reply {
    pub(crate) fn json(status: u16, value: &Value) -> Self {
        Self {
            status,
            content_type: "application/json",
            body: serde_json::to_vec(value).unwrap_or_default(),
            retry_after: None,
        }
    }

    /// Truora's error body: `{"code": n, "http_code": n, "message": "…"}`.
    pub(crate) fn error(status: u16, message: &str) -> Self {
        Self::json(
            status,
            &json!({ "code": status, "http_code": status, "message": message }),
        )
    }

    /// An error with the status's standard reason as message, for injected statuses.
    pub(crate) fn status(status: u16) -> Self {
        let message = StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Unexpected error");
        Self::error(status, message)
    }

    /// The API gateway's answer for a route it does not know (any method, any auth).
    pub(crate) fn missing_authentication_token() -> Self {
        Self::json(403, &json!({ "message": "Missing Authentication Token" }))
    }

    pub(crate) fn xml(status: u16, xml: String) -> Self {
        Self {
            status,
            content_type: "application/xml",
            body: xml.into_bytes(),
            retry_after: None,
        }
    }

    pub(crate) fn bytes(content_type: &'static str, body: &[u8]) -> Self {
        Self {
            status: 200,
            content_type,
            body: body.to_vec(),
            retry_after: None,
        }
    }

    pub(crate) fn with_retry_after(mut self, secs: Option<u64>) -> Self {
        self.retry_after = secs;
        self
    }

    /// Replaces the body with text that is not JSON, keeping status and `Content-Type`: the worst
    /// case for a client, which must not trust the header.
    pub(crate) fn malformed(mut self) -> Self {
        self.body = b"<html><head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center></body></html>\r\n".to_vec();
        self
    }

    /// Keeps the first half of the body (with a matching `Content-Length`), like a proxy that cut
    /// the upstream answer: the client sees JSON that ends too early.
    pub(crate) fn truncated(mut self) -> Self {
        let half = self.body.len() / 2;
        self.body.truncate(half);
        self
    }

    pub(crate) fn into_response(self) -> Response {
        let mut resp = Response::new(Body::from(self.body));
        *resp.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.content_type),
        );
        if let Some(secs) = self.retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}
