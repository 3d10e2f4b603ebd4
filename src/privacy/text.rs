//! Masking by value shape: what in free text is personal when no field name says so.
//! (Signed links to a person's pictures are cut first: see `links`.)
//!
//! The text is cut into words at whitespace; each word's core (its wrapping punctuation aside) is
//! classified. E-mail addresses, IP addresses and document-number-like runs are hidden word by
//! word; a phone number written in groups (`+57 300 123 4567`) is hidden as one span. Dates,
//! times, decimals (scores) and Truora ids stay, as do numbers of fewer than seven digits (counts).

use std::borrow::Cow;

use super::MASK;

/// Digits a bare number needs to count as a document or phone number; counts stay below.
const MIN_NUMBER_DIGITS: usize = 7;
/// Digits a number mixed with letters needs (passports `AB123456`, CURPs).
const MIN_MIXED_DIGITS: usize = 5;

/// `s` with every personal-looking value replaced by [`MASK`], and every link that opens a
/// picture or document (a signed one) cut to its host; borrowed when nothing is.
pub fn mask_text(s: &str) -> Cow<'_, str> {
    match super::links::hide_links(s) {
        Cow::Borrowed(s) => mask_shapes(s),
        Cow::Owned(s) => Cow::Owned(mask_shapes(&s).into_owned()),
    }
}

/// [`mask_text`] but for links.
fn mask_shapes(s: &str) -> Cow<'_, str> {
    if !may_hold_shape(s) {
        return Cow::Borrowed(s);
    }
    // Most texts with digits hold only dates, scores and ids: one pass without allocating.
    if s.split_whitespace()
        .all(|w| matches!(classify(core_of(w).1), Shape::Keep))
    {
        return Cow::Borrowed(s);
    }
    mask_words(s)
}

/// [`mask_text`] without its quick checks: every word looked at.
pub(super) fn mask_words(s: &str) -> Cow<'_, str> {
    let words = split_words(s);
    let mut hide = vec![false; words.len()];
    let mut i = 0;
    while i < words.len() {
        let (_, core) = core_of(words[i].1);
        match classify(core) {
            Shape::Personal => {
                hide[i] = true;
                i += 1;
            }
            Shape::Digits { digits, plus } => {
                // A phone written in groups (`+57 300 123 4567`, `300 123 4567`) is one span.
                let mut total = digits;
                let mut end = i + 1;
                if plus || digits <= 4 {
                    while end < words.len() && single_space_between(s, &words, end) {
                        match classify(core_of(words[end].1).1) {
                            Shape::Digits {
                                digits: d,
                                plus: false,
                            } if plus || d <= 4 => {
                                total += d;
                                end += 1;
                            }
                            _ => break,
                        }
                    }
                }
                if total >= MIN_NUMBER_DIGITS {
                    hide[i..end].iter_mut().for_each(|h| *h = true);
                }
                i = end;
            }
            Shape::Keep => i += 1,
        }
    }
    if !hide.contains(&true) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    let mut k = 0;
    while k < words.len() {
        let (start, word) = words[k];
        if !hide[k] {
            k += 1;
            continue;
        }
        let mut j = k;
        while j + 1 < words.len() && hide[j + 1] {
            j += 1;
        }
        let (lead, _) = core_of(word);
        let (end_start, end_word) = words[j];
        let (end_lead, end_core) = core_of(end_word);
        out.push_str(&s[last..start]);
        out.push_str(lead);
        out.push_str(MASK);
        let core_end = end_start + end_lead.len() + end_core.len();
        last = core_end;
        k = j + 1;
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

/// Whether `s` can hold a shape [`classify`] hides: an `@`, four digits (an IPv4 address has
/// them; a phone or document number more), or the colons of an IPv6 address. Labels such as
/// `similarity 0.93` are passed without looking at their words.
fn may_hold_shape(s: &str) -> bool {
    let (mut digits, mut colons) = (0, 0);
    for b in s.bytes() {
        match b {
            b'@' => return true,
            b'0'..=b'9' => digits += 1,
            b':' => colons += 1,
            _ => {}
        }
    }
    digits >= 4 || colons >= 5 || (colons >= 2 && s.contains("::"))
}

/// The words of `s` with their byte offsets.
fn split_words(s: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                words.push((st, &s[st..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        words.push((st, &s[st..]));
    }
    words
}

/// Whether the words at `k - 1` and `k` are separated by exactly one space.
fn single_space_between(s: &str, words: &[(usize, &str)], k: usize) -> bool {
    let (prev_start, prev) = words[k - 1];
    let gap = &s[prev_start + prev.len()..words[k].0];
    gap == " " && core_of(prev).1.len() + core_of(prev).0.len() == prev.len()
}

/// A word split into its leading punctuation and its core (trailing punctuation dropped).
fn core_of(word: &str) -> (&str, &str) {
    let wrap = |c: char| {
        matches!(
            c,
            '"' | '\'' | '(' | '[' | ']' | '{' | '}' | '<' | '>' | '`'
        )
    };
    let trail = |c: char| wrap(c) || matches!(c, ',' | ';' | ':' | '.' | '!' | '?' | ')');
    let core_start = word.len() - word.trim_start_matches(wrap).len();
    let core = word[core_start..].trim_end_matches(trail);
    (&word[..core_start], core)
}

enum Shape {
    /// Hide this word.
    Personal,
    /// Digits, maybe with `-`, `(`, `)` or a leading `+`: a phone or document number in part.
    Digits {
        digits: usize,
        plus: bool,
    },
    Keep,
}

fn classify(core: &str) -> Shape {
    let digits = core.bytes().filter(u8::is_ascii_digit).count();
    if is_email(core) || is_ipv4(core) || is_ipv6(core) {
        return Shape::Personal;
    }
    if digits == 0 || is_date_or_time(core) || is_truora_id(core) || is_decimal(core) {
        return Shape::Keep;
    }
    let body = core.strip_prefix('+').unwrap_or(core);
    if body
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'(' | b')'))
    {
        return Shape::Digits {
            digits,
            plus: core.starts_with('+'),
        };
    }
    let letters = core.bytes().filter(u8::is_ascii_alphabetic).count();
    let number_like = core
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'/'));
    if number_like && (digits >= MIN_NUMBER_DIGITS || (letters > 0 && digits >= MIN_MIXED_DIGITS)) {
        return Shape::Personal;
    }
    Shape::Keep
}

fn is_email(core: &str) -> bool {
    match core.split_once('@') {
        Some((user, host)) => {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.')
        }
        None => false,
    }
}

fn is_ipv4(core: &str) -> bool {
    let core = core.split_once('/').map_or(core, |(ip, _)| ip);
    core.split('.').count() == 4
        && core.split('.').all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.bytes().all(|b| b.is_ascii_digit())
                && p.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

fn is_ipv6(core: &str) -> bool {
    let colons = core.matches(':').count();
    colons >= 2
        && core.len() >= 3
        && core
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        && (core.contains("::") || colons >= 5)
}

/// `2026-03-01`, `2026-03-01T10:22:33.123Z`, `10:22` and the like.
fn is_date_or_time(core: &str) -> bool {
    let b = core.as_bytes();
    let date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    let time = b.len() >= 5
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2] == b':'
        && b[3..5].iter().all(u8::is_ascii_digit);
    date || time
}

/// Truora's ids: three capital letters and a long hex tail (`IDP…`, `VLD…`, `ACC…`); also any
/// long run of hex (hashes). They identify a process, not a person.
fn is_truora_id(core: &str) -> bool {
    let tail = match core.get(..3) {
        Some(prefix) if prefix.bytes().all(|b| b.is_ascii_uppercase()) => &core[3..],
        _ => core,
    };
    tail.len() >= 16
        && tail
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Scores and amounts: `0.93`, `-74.0721`, `12.5%`.
fn is_decimal(core: &str) -> bool {
    let n = core.trim_end_matches('%');
    n.matches('.').count() == 1 && n.parse::<f64>().is_ok()
}
