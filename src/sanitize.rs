//! Making server-provided text safe for the two places it must not be trusted: the terminal and the
//! file system. Truora's data is user-submitted (names, messages, ids); a value holding an escape
//! sequence could repaint the screen or rewrite the clipboard, and an id like `../../x` could escape
//! the download folder.

use std::borrow::Cow;

/// Removes control characters (C0, DEL, C1) and so every terminal escape sequence's introducer.
/// Tabs and newlines become spaces: every caller draws a single line.
pub fn terminal_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(needs_cleaning) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| match c {
                '\t' | '\n' | '\r' => Some(' '),
                c if needs_cleaning(c) => None,
                c => Some(c),
            })
            .collect(),
    )
}

fn needs_cleaning(c: char) -> bool {
    c.is_control() || ('\u{80}'..='\u{9f}').contains(&c) || is_invisible_or_bidi(c)
}

/// Bidirectional controls and invisible characters can make a displayed id read differently
/// from the stored one (or two different ids look the same); line and paragraph separators
/// break a row.
fn is_invisible_or_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}' | '\u{2029}' | '\u{061c}' | '\u{2060}' | '\u{feff}'
    )
}

/// Longest file-name component we produce; far below every file system's limit (255 bytes).
const MAX_COMPONENT: usize = 120;

/// Turns any string into one safe path component: ASCII letters, digits, `-`, `_` and `.` are kept,
/// everything else becomes `_`; it never is `.`, `..`, empty or hidden, and is at most 120 bytes.
/// Distinct ids that map to the same name are not disambiguated here: callers that need uniqueness
/// add a suffix (see the save code).
pub fn file_component(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(MAX_COMPONENT)
        .collect();
    if out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_text_strips_escape_sequences_and_controls() {
        let hostile =
            "ok\u{1b}]52;c;aGk=\u{7}\u{1b}[2J done\u{9b}31m\u{202e}x\u{200b}\u{200f}\u{feff}";
        let clean = terminal_text(hostile);
        assert!(!clean.chars().any(|c| c.is_control()));
        assert_eq!(clean, "ok]52;c;aGk=[2J done31mx");
    }

    #[test]
    fn terminal_text_borrows_clean_text() {
        assert!(matches!(terminal_text("José Ñandú 100%"), Cow::Borrowed(_)));
        assert_eq!(terminal_text("a\tb\nc"), "a b c");
    }

    #[test]
    fn file_component_cannot_escape_a_folder() {
        for hostile in [
            "../../x",
            "..",
            ".",
            "",
            "/etc/passwd",
            "a/../../b",
            "C:\\x",
            ".hidden",
        ] {
            let name = file_component(hostile);
            assert!(
                !name.contains('/') && !name.contains('\\'),
                "{hostile:?} -> {name:?}"
            );
            assert!(
                name != "." && name != ".." && !name.starts_with('.'),
                "{hostile:?} -> {name:?}"
            );
            assert!(!name.is_empty());
        }
        assert_eq!(file_component("IDPabc-123_x.json"), "IDPabc-123_x.json");
        assert_eq!(file_component("../../x"), "_._.._x");
    }

    #[test]
    fn file_component_is_bounded() {
        let long = "é".repeat(1000);
        assert!(file_component(&long).len() <= MAX_COMPONENT);
    }
}
