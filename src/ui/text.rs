//! Text helpers: display width, truncation with an ellipsis, statuses and sizes as shown
//! (times: [`crate::date::zone`]).

use std::borrow::Cow;

use ratatui::text::Span;

use crate::api::model::Status;
use crate::app::tree::Tone;

/// Display width in terminal cells (wide characters count two).
pub fn width(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        Span::raw(s).width()
    }
}

/// `s` cut to `max` cells, ending in `…` when something was cut.
pub fn fit(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut out = String::new();
    let mut used = 0;
    let mut buf = [0u8; 4];
    for c in s.chars() {
        let w = width(c.encode_utf8(&mut buf));
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    Cow::Owned(out)
}

/// `s` cut or padded to exactly `w` cells.
pub fn cell(s: &str, w: usize) -> String {
    let fitted = fit(s, w);
    let pad = w.saturating_sub(width(&fitted));
    let mut out = fitted.into_owned();
    out.extend(std::iter::repeat_n(' ', pad));
    out
}

/// A status as symbol and word, readable without colour.
pub fn status_word(status: Option<&Status>) -> (Cow<'static, str>, Tone) {
    match status {
        Some(Status::Success) => ("✓ success".into(), Tone::Good),
        Some(Status::Failure) => ("✗ failure".into(), Tone::Bad),
        Some(Status::Pending) => ("… pending".into(), Tone::Warn),
        Some(Status::Unknown(s)) => (
            format!("? {}", crate::sanitize::terminal_text(s)).into(),
            Tone::Dim,
        ),
        None => ("? unknown".into(), Tone::Dim),
    }
}

/// `52.1 KB`.
pub fn bytes(n: usize) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// 100000 → `100,000`.
pub(super) fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_cells() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 3), "abc");
        assert_eq!(fit("日本語テキスト", 5), "日本…");
        assert_eq!(cell("ab", 4), "ab  ");
        assert_eq!(fit("abc", 0), "");
    }

    #[test]
    fn numbers_are_grouped() {
        assert_eq!(group(100000), "100,000");
        assert_eq!(group(999), "999");
    }

    #[test]
    fn sizes() {
        assert_eq!(bytes(53_350), "52.1 KB");
        assert_eq!(bytes(12), "12 B");
    }
}
