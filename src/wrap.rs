//! Soft wrapping and cutting of one line of text by terminal cells.
//!
//! Shared by the app, which must know how many rows a text takes (to scroll without passing the
//! end and to map a click to a row), and the ui, which draws exactly those rows: one function for
//! both, so they cannot disagree. Widths come from `unicode-width` (a wide character takes two
//! cells and is never split); text arriving here is already sanitised, so it holds no controls,
//! tabs or newlines. Whatever is cut ends in [`ELLIPSIS`]: nothing is cut silently.

use unicode_width::UnicodeWidthChar;

/// The mark where text was cut.
pub const ELLIPSIS: char = '…';

/// A run of text drawn one way; `T` is a tone, a style, or `()` when only the count matters.
pub type Piece<T> = (String, T);

/// One screen row of wrapped text.
pub type Row<T> = Vec<Piece<T>>;

/// Cells a character takes (zero for combining marks).
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Cells a string takes.
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Cells a row takes.
pub fn row_width<T>(row: &[Piece<T>]) -> usize {
    row.iter().map(|(text, _)| width(text)).sum()
}

/// Wraps styled text into rows, the first `first` cells wide and the others `rest` wide (a
/// continuation can be narrower: it leaves room for a marker). It breaks after a space where it
/// can (the space at the break is not drawn), and inside a word only when the word alone is wider
/// than a row, as a signed URL is. Leading spaces (an indent) are kept and are no place to break.
/// Always at least one row; a row narrower than a wide character still holds that one character.
pub fn wrap<T: Copy + PartialEq>(pieces: &[(&str, T)], first: usize, rest: usize) -> Vec<Row<T>> {
    let mut rows: Vec<Vec<(char, T)>> = Vec::new();
    let mut row: Vec<(char, T)> = Vec::new();
    let mut used = 0;
    // Index in `row` just after its last space that follows some text: where a break may go.
    let mut brk: Option<usize> = None;
    let mut seen_text = false;
    for &(text, style) in pieces {
        for c in text.chars() {
            let w = char_width(c);
            let limit = if rows.is_empty() { first } else { rest }.max(1);
            if c == ' ' && row.is_empty() && !rows.is_empty() {
                // A continuation does not start with the space it was broken at.
                continue;
            }
            if used + w > limit && !row.is_empty() {
                if c == ' ' {
                    rows.push(std::mem::take(&mut row));
                    (used, brk, seen_text) = (0, None, false);
                    continue;
                }
                let carry = match brk {
                    Some(b) if b < row.len() => row.split_off(b),
                    _ => Vec::new(),
                };
                rows.push(std::mem::replace(&mut row, carry));
                used = row.iter().map(|&(c, _)| char_width(c)).sum();
                brk = None;
                seen_text = !row.is_empty();
                let limit = rest.max(1);
                if used + w > limit && !row.is_empty() {
                    rows.push(std::mem::take(&mut row));
                    (used, seen_text) = (0, false);
                }
            }
            row.push((c, style));
            used += w;
            if c == ' ' {
                if seen_text {
                    brk = Some(row.len());
                }
            } else {
                seen_text = true;
            }
        }
    }
    rows.push(row);
    rows.into_iter().map(|r| pieces_of(&r)).collect()
}

/// Cells grouped back into pieces, trailing spaces dropped (a break leaves them behind).
fn pieces_of<T: Copy + PartialEq>(cells: &[(char, T)]) -> Row<T> {
    let end = cells
        .iter()
        .rposition(|&(c, _)| c != ' ')
        .map_or(0, |i| i + 1);
    let mut out: Row<T> = Vec::new();
    for &(c, style) in &cells[..end] {
        match out.last_mut() {
            Some((text, s)) if *s == style => text.push(c),
            _ => out.push((c.to_string(), style)),
        }
    }
    out
}

/// Styled text on one row of `max` cells: whole when it fits, else cut to end in `…` (in the
/// style of the text it follows).
pub fn fit<T: Copy>(pieces: &[(&str, T)], max: usize) -> Row<T> {
    let total: usize = pieces.iter().map(|(text, _)| width(text)).sum();
    if total <= max {
        return pieces.iter().map(|&(t, s)| (t.to_owned(), s)).collect();
    }
    let mut out: Row<T> = Vec::new();
    if max == 0 {
        return out;
    }
    let mut used = 0;
    'outer: for &(text, style) in pieces {
        let mut piece = String::new();
        for c in text.chars() {
            let w = char_width(c);
            if used + w > max - 1 {
                out.push((piece, style));
                break 'outer;
            }
            used += w;
            piece.push(c);
        }
        out.push((piece, style));
    }
    mark_cut(out, max)
}

/// A row that continues beyond what is shown, made to end in `…` within `max` cells.
pub fn mark_cut<T: Copy>(mut row: Row<T>, max: usize) -> Row<T> {
    if max == 0 {
        return Vec::new();
    }
    while row_width(&row) + 1 > max {
        let Some((text, _)) = row.last_mut() else {
            break;
        };
        if text.pop().is_none() {
            row.pop();
        }
    }
    match row.last_mut() {
        Some((text, _)) => text.push(ELLIPSIS),
        None => return Vec::new(),
    }
    row
}

/// The part of a line seen through a window `width` cells wide, scrolled `from` cells to the
/// right: `…` takes the first cell when text is hidden on the left and the last when text is
/// hidden on the right. A wide character split by an edge becomes a space, so columns stay
/// aligned between rows.
pub fn window(line: &str, from: usize, width: usize) -> String {
    let total = self::width(line);
    if width == 0 {
        return String::new();
    }
    let left_cut = from > 0 && total > 0;
    let right_cut = total > from.saturating_add(width);
    if width == 1 && (left_cut || right_cut) {
        return ELLIPSIS.to_string();
    }
    let start = from + usize::from(left_cut);
    let end = from + width - usize::from(right_cut);
    let mut out = String::new();
    if left_cut {
        out.push(ELLIPSIS);
    }
    let mut at = 0;
    for c in line.chars() {
        let w = char_width(c);
        let (cell_start, cell_end) = (at, at + w);
        at = cell_end;
        if cell_end <= start {
            continue;
        }
        if cell_start >= end {
            break;
        }
        if cell_start < start || cell_end > end {
            // Straddles an edge: only the cells inside are drawn, as spaces.
            let inside = cell_end.min(end) - cell_start.max(start);
            out.extend(std::iter::repeat_n(' ', inside));
        } else {
            out.push(c);
        }
    }
    if right_cut {
        out.push(ELLIPSIS);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str, first: usize, rest: usize) -> Vec<String> {
        wrap(&[(text, ())], first, rest)
            .into_iter()
            .map(|row| row.into_iter().map(|(t, ())| t).collect())
            .collect()
    }

    #[test]
    fn wraps_at_spaces_and_keeps_every_word() {
        let text = "The document image shows signs of having been generated digitally";
        let rows = plain(text, 20, 20);
        assert_eq!(
            rows,
            [
                "The document image",
                "shows signs of",
                "having been",
                "generated digitally"
            ]
        );
        assert!(rows.iter().all(|r| width(r) <= 20));
        assert_eq!(rows.join(" "), text);
    }

    #[test]
    fn a_word_longer_than_a_row_is_broken_by_cells() {
        let url = "https://s3.example/doc.jpg?X-Amz-Signature=abcdef0123456789";
        let rows = plain(&format!("\"url\": \"{url}\""), 24, 20);
        assert_eq!(rows[0], "\"url\":");
        assert!(rows[1..].iter().all(|r| width(r) <= 20), "{rows:?}");
        assert_eq!(rows[1..].concat(), format!("\"{url}\""));
    }

    #[test]
    fn an_indent_is_kept_and_is_no_place_to_break() {
        let rows = plain("    \"abcdefghijklmnopqrstuvwxyz\"", 16, 10);
        assert_eq!(rows, ["    \"abcdefghijk", "lmnopqrstu", "vwxyz\""]);
    }

    #[test]
    fn wide_characters_are_never_split() {
        let rows = plain("日本語のテキスト", 5, 5);
        assert_eq!(rows, ["日本", "語の", "テキ", "スト"]);
        // A row too narrow for a wide character still makes progress.
        assert_eq!(plain("日本", 1, 1), ["日", "本"]);
        assert_eq!(plain("", 10, 10), [""]);
    }

    #[test]
    fn styles_stay_with_their_text() {
        let rows = wrap(
            &[("✗ invalid", 1), (" ", 0), ("expiry date passed", 2)],
            12,
            12,
        );
        assert_eq!(
            rows,
            [
                vec![("✗ invalid".to_owned(), 1)],
                vec![("expiry date".to_owned(), 2)],
                vec![("passed".to_owned(), 2)],
            ]
        );
    }

    #[test]
    fn fit_cuts_with_an_ellipsis_only_when_needed() {
        let pieces = [("✗ invalid", 1), (" ", 0), ("document expired", 2)];
        assert_eq!(row_width(&fit(&pieces, 26)), 26);
        assert_eq!(
            fit(&pieces, 26).last().map(|p| p.0.as_str()),
            Some("document expired")
        );
        let cut = fit(&pieces, 14);
        assert_eq!(
            cut,
            vec![
                ("✗ invalid".to_owned(), 1),
                (" ".to_owned(), 0),
                ("doc…".to_owned(), 2)
            ]
        );
        assert_eq!(fit(&[("日本語", ())], 4), vec![("日…".to_owned(), ())]);
        assert!(fit(&[("abc", ())], 0).is_empty());
        assert_eq!(
            mark_cut(vec![("abc".to_owned(), ())], 10),
            vec![("abc…".to_owned(), ())]
        );
        assert_eq!(
            mark_cut(vec![("abc".to_owned(), ())], 3),
            vec![("ab…".to_owned(), ())]
        );
    }

    #[test]
    fn a_window_marks_hidden_text_on_either_side() {
        let line = "0123456789abcdef";
        assert_eq!(window(line, 0, 20), line);
        assert_eq!(window(line, 0, 8), "0123456…");
        assert_eq!(window(line, 4, 8), "…56789a…");
        assert_eq!(window(line, 8, 8), "…9abcdef");
        assert_eq!(window("ab", 4, 8), "…");
        assert_eq!(window("", 4, 8), "");
        // A wide character cut by an edge leaves a space; the columns stay aligned.
        assert_eq!(window("a日本語", 1, 4), "…  …");
        assert_eq!(window("a日本語x", 1, 5), "… 本…");
    }
}
