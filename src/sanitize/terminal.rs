//! The terminal threat: untrusted text printed as it is can drive the terminal.
//!
//! `ESC ]52;c;…BEL` rewrites the clipboard, `ESC ]0;…` the window title, `ESC [2J` clears the
//! screen; U+009B is CSI on its own for a terminal that reads 8-bit controls; a lone CR returns
//! to the start of the line so what follows hides what came before; U+202E (RLO) shows the rest
//! of a line reversed. [`is_terminal_control`] is the one rule for which characters are
//! dangerous; each function here replaces them in the way its output needs:
//!
//! | function | what a control becomes | for |
//! |---|---|---|
//! | [`terminal_text`] | nothing (tab, LF, CR: a space) | one line: the browser's cells, each line a command prints |
//! | [`terminal_lines`] | nothing (LF and tab kept) | several lines quoted whole (a command's stderr) |
//! | [`terminal_escaped`] | `\u{1b}`, visible (LF and tab kept) | text that must show it was tampered with: CSV cells |
//! | [`terminal_json`] | a JSON escape, `\u001b` | JSON (`show --json`, the JSONL event log): read back unchanged |

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must never reach a terminal as it is: C0 controls, DEL and C1 controls (every
/// escape sequence's introducer, BEL and the 8-bit CSI U+009B among them), bidirectional
/// controls, invisible characters, and the line and paragraph separators. Tab, LF and CR are
/// controls too: each function says what it keeps of them.
pub fn is_terminal_control(c: char) -> bool {
    // `char::is_control` is Unicode's Cc: U+0000–U+001F, U+007F and U+0080–U+009F.
    c.is_control() || is_invisible_or_bidi(c)
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

/// One line for a terminal: every terminal control is removed, and so every escape sequence's
/// introducer; tabs and line breaks become spaces (every caller prints a single line).
pub fn terminal_text(s: &str) -> Cow<'_, str> {
    replace(s, &[], |c, out| {
        if matches!(c, '\t' | '\n' | '\r') {
            out.push(' ');
        }
    })
}

/// Several lines for a terminal: line feeds and tabs are kept, every other terminal control
/// (CR included: it could hide a line's start) is removed.
pub fn terminal_lines(s: &str) -> Cow<'_, str> {
    replace(s, &['\n', '\t'], |_, _| {})
}

/// Text for a terminal that keeps the evidence: line feeds and tabs are kept, every other
/// terminal control is shown as Rust writes it, `\u{1b}`, `\u{202e}`. The text is no longer the
/// original (a literal `\u{1b}` reads the same), so use it where the original is kept elsewhere:
/// the CSV's cells, whose events the JSONL export carries byte for byte.
pub fn terminal_escaped(s: &str) -> Cow<'_, str> {
    replace(s, &['\n', '\t'], |c, out| {
        let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
    })
}

/// JSON for a terminal, still the same JSON: every terminal control is written as a JSON escape
/// (`\u001b`, `\u202e`), which any JSON reader reads back as the same character. Line feeds and
/// tabs are kept (JSON whitespace; inside a string they are already escaped); a CR that does not
/// start a CRLF becomes a line feed (whitespace either way, and no longer able to hide a line's
/// start). JSON's own escaping leaves DEL, C1 and bidirectional characters raw, so a JSON
/// serialiser's output needs this as much as bytes from a server do.
pub fn terminal_json(json: &str) -> Cow<'_, str> {
    if !json.chars().any(is_terminal_control) {
        return Cow::Borrowed(json);
    }
    let mut chars = json.chars().peekable();
    let mut out = String::with_capacity(json.len() + 16);
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' if chars.peek() == Some(&'\n') => out.push(c),
            '\r' => out.push('\n'),
            c if is_terminal_control(c) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `s` with each terminal control but those `kept` handed to `put` (which writes its
/// replacement, if any); `s` itself when it has none.
fn replace<'a>(s: &'a str, kept: &[char], mut put: impl FnMut(char, &mut String)) -> Cow<'a, str> {
    let replaced = |c: char| is_terminal_control(c) && !kept.contains(&c);
    if !s.chars().any(replaced) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if replaced(c) {
            put(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// OSC 52 (clipboard), OSC 0 (title), CSI 2J (clear), the 8-bit CSI, RLO, invisibles, DEL.
    const HOSTILE: &str = "ok\u{1b}]52;c;aGk=\u{7}\u{1b}]0;t\u{7}\u{1b}[2J done\u{9b}31m\u{202e}x\u{200b}\u{200f}\u{feff}\u{7f}";

    fn no_control_but(text: &str, allowed: &[char]) -> bool {
        !text
            .chars()
            .any(|c| is_terminal_control(c) && !allowed.contains(&c))
    }

    #[test]
    fn terminal_text_strips_escape_sequences_and_controls() {
        let clean = terminal_text(HOSTILE);
        assert!(no_control_but(&clean, &[]));
        assert_eq!(clean, "ok]52;c;aGk=]0;t[2J done31mx");
    }

    #[test]
    fn terminal_text_borrows_clean_text() {
        assert!(matches!(terminal_text("José Ñandú 100%"), Cow::Borrowed(_)));
        assert_eq!(terminal_text("a\tb\nc\rd"), "a b c d");
    }

    #[test]
    fn terminal_lines_keeps_lines_and_tabs_only() {
        let text = format!("{HOSTILE}\nsecond\tline\rhidden");
        let clean = terminal_lines(&text);
        assert!(no_control_but(&clean, &['\n', '\t']));
        assert!(clean.ends_with("x\nsecond\tlinehidden"), "{clean:?}");
    }

    #[test]
    fn terminal_escaped_shows_what_was_there() {
        let text = format!("{HOSTILE}\nnext\tcell\r");
        let shown = terminal_escaped(&text);
        assert!(no_control_but(&shown, &['\n', '\t']));
        assert_eq!(
            shown,
            "ok\\u{1b}]52;c;aGk=\\u{7}\\u{1b}]0;t\\u{7}\\u{1b}[2J done\\u{9b}31m\\u{202e}x\
             \\u{200b}\\u{200f}\\u{feff}\\u{7f}\nnext\tcell\\u{d}"
        );
        assert!(matches!(terminal_escaped("a\nb\tc ñ"), Cow::Borrowed(_)));
    }

    #[test]
    fn terminal_json_is_the_same_json_without_raw_controls() {
        let value = serde_json::json!({ "note": HOSTILE, "emoji": "😀", "n": 1 });
        let text = value.to_string();
        assert!(!no_control_but(&text, &[]), "serde_json leaves some raw");
        let safe = terminal_json(&text);
        assert!(no_control_but(&safe, &[]), "{safe}");
        assert!(safe.contains("\\u009b") && safe.contains("\\u202e") && safe.contains("\\u007f"));
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, value, "read back unchanged");
        // Whitespace stays whitespace; a lone CR can no longer hide a line's start.
        let spaced = "{\r\n\t\"a\": 1,\r\"b\": 2\n}";
        let safe = terminal_json(spaced);
        assert_eq!(safe, "{\r\n\t\"a\": 1,\n\"b\": 2\n}");
        assert!(serde_json::from_str::<serde_json::Value>(&safe).is_ok());
        assert!(matches!(terminal_json("{\"a\": \"ñ\"}"), Cow::Borrowed(_)));
    }
}
