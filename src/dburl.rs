//! What a review store setting names — an SQLite file, or a PostgreSQL team store (a URL or a
//! libpq `key=value` string) — and such a string as it may be shown, every password replaced by
//! `***`. Down here, below `config` and `review`, because both ask.

/// Whether `raw` carries a password (a URL's, or a `password` option): what [`mask`] hides.
pub fn has_password(raw: &str) -> bool {
    mask(raw) != raw.trim()
}

/// `raw` as it may be shown: a URL's password replaced by `***`
/// (`postgres://alice:***@host/db`), as is any `password=` value (a `key=value` string's, a URL
/// parameter's). Where the text is ambiguous, more is masked, never less.
pub fn mask(raw: &str) -> String {
    let v = raw.trim();
    let scheme = ["postgresql://", "postgres://"]
        .into_iter()
        .find(|s| v.starts_with(s));
    let Some(scheme) = scheme else {
        return mask_password_values(v);
    };
    let rest = &v[scheme.len()..];
    // The user part ends at the last `@` (as `parse_url` reads it): a password holding `/`, `?`
    // or `@` unencoded is still all masked.
    let Some((userinfo, after)) = rest.rsplit_once('@') else {
        return format!("{scheme}{}", mask_password_values(rest));
    };
    let user = match userinfo.split_once(':') {
        Some((user, _)) => format!("{user}:***"),
        None => userinfo.to_owned(),
    };
    format!("{scheme}{user}@{}", mask_password_values(after))
}

/// Every `password=value` (also `password = 'quoted value'`) with its value replaced by `***`.
fn mask_password_values(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("password") {
        let (head, after) = rest.split_at(at + "password".len());
        out.push_str(head);
        let spaced = after.trim_start();
        let Some(value) = spaced.strip_prefix('=') else {
            rest = after;
            continue;
        };
        let value = value.trim_start();
        out.push_str(&after[..after.len() - spaced.len()]);
        out.push('=');
        out.push_str(&spaced[1..spaced.len() - value.len()]);
        out.push_str("***");
        rest = past_value(value);
    }
    out.push_str(rest);
    out
}

/// What follows a value: a quoted one ends at its closing quote, a bare one at a space or `&`;
/// `\` escapes the next character in both.
fn past_value(s: &str) -> &str {
    let (quoted, body) = match s.strip_prefix('\'') {
        Some(body) => (true, body),
        None => (false, s),
    };
    let mut escaped = false;
    for (i, c) in body.char_indices() {
        if escaped {
            escaped = false;
        } else if c == '\\' {
            escaped = true;
        } else if quoted && c == '\'' {
            return &body[i + 1..];
        } else if !quoted && (c.is_whitespace() || c == '&') {
            return &body[i..];
        }
    }
    ""
}

/// Whether `value` names a PostgreSQL store rather than an SQLite file: a `postgres://` or
/// `postgresql://` URL, or a libpq `key=value` string starting with a known key.
pub fn is_postgres(value: &str) -> bool {
    let v = value.trim_start();
    v.starts_with("postgres://")
        || v.starts_with("postgresql://")
        || [
            "host=",
            "dbname=",
            "user=",
            "port=",
            "hostaddr=",
            "service=",
        ]
        .iter()
        .any(|k| v.starts_with(k))
}
