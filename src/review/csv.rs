//! RFC 4180 CSV for the overrides export, safe to open in a spreadsheet and to print in a
//! terminal: it goes to standard output by default, so it is read by `cat` as often as by Excel.
//!
//! Each cell is made safe for both, by the one function for each threat ([`crate::sanitize`]):
//! - terminal controls (ESC, BEL, CR, C1, bidirectional and invisible characters) are shown as
//!   `\u{1b}` ([`terminal_escaped`]): a reviewer sees that an imported note carried an escape
//!   sequence, and no terminal runs it. Line feeds and tabs stay (a note's lines). The CSV is for
//!   applying overrides; the events themselves, byte for byte, are in the JSONL export.
//! - a cell a spreadsheet would run as a formula (starting, after any whitespace, with `=`, `+`,
//!   `-`, `@`, or with a tab) gets a leading `'` ([`spreadsheet_cell`]), which the spreadsheet
//!   shows as text.
//!
//! Then cells holding a comma, a quote or a line break are quoted, quotes doubled; lines end in
//! CRLF; the text is UTF-8.

use crate::sanitize::{spreadsheet_cell, terminal_escaped};

/// One cell, neutralised and quoted as needed.
pub fn cell(text: &str) -> String {
    let visible = terminal_escaped(text);
    let neutral = spreadsheet_cell(&visible);
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral.into_owned()
    }
}

/// One record, CRLF-terminated.
pub fn record<S: AsRef<str>>(cells: &[S]) -> String {
    let mut line = cells
        .iter()
        .map(|c| cell(c.as_ref()))
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+1"), "'+1");
        assert_eq!(cell("-2"), "'-2");
        assert_eq!(cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(cell("  =1+1"), "'  =1+1");
        assert_eq!(cell("\tx"), "'\tx");
        assert_eq!(cell("a=b"), "a=b");
    }

    /// A cell printed by `cat` carries no control a terminal would act on, and shows what was
    /// there.
    #[test]
    fn controls_are_shown_not_sent() {
        assert_eq!(cell("ok\u{1b}]52;c;aGk=\u{7}"), "ok\\u{1b}]52;c;aGk=\\u{7}");
        assert_eq!(cell("\u{1b}[2J"), "\\u{1b}[2J");
        assert_eq!(cell("\u{9b}31m\u{202e}x"), "\\u{9b}31m\\u{202e}x");
        assert_eq!(
            cell("\rx"),
            "\\u{d}x",
            "a CR shown, not returning the cursor"
        );
        assert_eq!(
            cell("\u{7}=1+1"),
            "\\u{7}=1+1",
            "starts with a backslash: text"
        );
        assert_eq!(cell("pass\rfail"), "pass\\u{d}fail");
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell(""), "");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell("failure→success"), "failure→success");
        assert_eq!(record(&["a", "b,c"]), "a,\"b,c\"\r\n");
    }
}
