//! The spreadsheet threat (CSV injection): Excel, LibreOffice Calc and Google Sheets run a cell
//! that starts like a formula (`=HYPERLINK(…)` sends data away when clicked; `=cmd|…` ran
//! programs through DDE in older Excel).

use std::borrow::Cow;

/// The characters that start a formula: `=`, and `+`, `-`, `@`, which spreadsheets turn into one.
const FORMULA_STARTS: [char; 4] = ['=', '+', '-', '@'];

/// Characters that start a formula on their own as the first of a cell (OWASP's tab and CR,
/// ASVS 1.2.10's NUL): spreadsheets drop them and read what follows.
const FIRST_ONLY: [char; 3] = ['\t', '\r', '\0'];

/// A cell a spreadsheet shows as text: when it would read `text` as a formula, a leading `'`
/// (shown by every spreadsheet as the mark of a text cell, not as part of it). A formula start
/// counts after leading whitespace and controls too (` =1+1`: spreadsheets trim spaces before
/// deciding); text that only contains them further on (`a=b`) is left as it is.
pub fn spreadsheet_cell(text: &str) -> Cow<'_, str> {
    let first = text
        .chars()
        .find(|c| !(c.is_whitespace() || c.is_control()));
    let formula =
        text.starts_with(FIRST_ONLY) || first.is_some_and(|c| FORMULA_STARTS.contains(&c));
    if formula {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_get_a_quote() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2",
            "@SUM(A1)",
            " =1+1",
            "\u{a0}\u{3000}@x",
            "\n-1",
            "\tx",
            "\rx",
            "\0x",
        ] {
            assert_eq!(
                spreadsheet_cell(formula),
                format!("'{formula}"),
                "{formula:?}"
            );
        }
    }

    #[test]
    fn other_text_is_left_alone() {
        for text in [
            "a=b",
            "plain",
            "",
            "   ",
            "failure→success",
            "'=already",
            "x-1",
        ] {
            assert!(
                matches!(spreadsheet_cell(text), Cow::Borrowed(t) if t == text),
                "{text:?}"
            );
        }
    }
}
