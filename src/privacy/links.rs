//! Links that open a person's photos: Truora's image links are pre-signed (S3's `X-Amz-Signature`
//! and friends in the query), so whoever reads one off a shared screen or a recording can fetch
//! the document or the face for as long as it is valid. In privacy mode such a link keeps its
//! scheme and host (enough to tell where it points) and loses the rest.
//!
//! What counts: an `http`/`https` URL with a query (a signature, a token, an expiry) or whose
//! path ends in a picture or document extension. A plain URL (`https://api…/v1/processes/IDP…`)
//! opens nothing by itself and stays.

use std::borrow::Cow;

use super::MASK;

/// Extensions of files that hold a person's picture or document.
const FILE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "bmp", "tif", "tiff", "heic", "heif", "pdf", "mp4", "mov",
    "webm",
];

/// `s` with every such link cut to `scheme://host/•••`; borrowed when there is none.
pub(super) fn hide_links(s: &str) -> Cow<'_, str> {
    if !s.contains("://") {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut last = 0;
    let mut from = 0;
    while let Some(found) = s[from..].find("://") {
        let sep = from + found;
        // After the last character that cannot be in a scheme (which may be wider than a byte).
        let scheme_start = s[..sep]
            .char_indices()
            .rfind(|&(_, c)| !c.is_ascii_alphabetic())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = s[sep..].find(ends_link).map_or(s.len(), |i| sep + i);
        from = end.max(sep + 3);
        // Punctuation after a link in a sentence is the sentence's.
        let end = (sep + s[sep..end].trim_end_matches(TRAILING).len()).max(sep + 3);
        let scheme = &s[scheme_start..sep];
        if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
            continue;
        }
        let rest = &s[sep + 3..end];
        let Some(host) = host_if_it_opens_a_file(rest) else {
            continue;
        };
        if out.is_empty() {
            out.reserve(s.len());
        }
        out.push_str(&s[last..scheme_start]);
        out.push_str(scheme);
        out.push_str("://");
        out.push_str(host);
        out.push('/');
        out.push_str(MASK);
        last = end;
    }
    if last == 0 {
        return Cow::Borrowed(s);
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// What may follow a link in a sentence without being part of it.
const TRAILING: &[char] = &['.', ',', ';', ':', '!', '?', ')', ']', '}'];

/// Where a link written in text stops: at white space, a quote or an angle bracket.
fn ends_link(c: char) -> bool {
    c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`')
}

/// The host (and port) of a link given without its `scheme://`, when the link is one that opens
/// a file: a query, or a path ending in a file extension. Credentials before an `@` are never
/// part of what is returned.
fn host_if_it_opens_a_file(rest: &str) -> Option<&str> {
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let after = &rest[authority_end..];
    let (path, query) = match after.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (after.split_once('#').map_or(after, |(p, _)| p), None),
    };
    let file = path.rsplit_once('.').is_some_and(|(before, ext)| {
        !before.ends_with('/') && FILE_EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e))
    });
    let signed = query.is_some_and(|q| !q.is_empty());
    (!host.is_empty() && (signed || file)).then_some(host)
}
