//! The Truora API key, owned by the HTTP layer that sends it.

use std::fmt;

/// The Truora API key. Debug and Display never show it, so it cannot leak through logs, panics
/// or `{:?}` of a `Config`; [`ApiKey::expose`] is for the one place that sends it.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    pub fn new(key: String) -> Self {
        ApiKey(key)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The key as a `Truora-API-Key` header value, marked sensitive; `None` when it cannot be
    /// sent in a header: control characters (a newline from `echo`, a stray escape) included,
    /// which reqwest would otherwise only reject at send time.
    pub fn to_header(&self) -> Option<reqwest::header::HeaderValue> {
        if self.0.chars().any(char::is_control) {
            return None;
        }
        let mut value = reqwest::header::HeaderValue::from_str(&self.0).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(***)")
    }
}
