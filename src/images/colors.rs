//! Which palette half-blocks use by default: true colour when the terminal says it has it, the
//! xterm 256-colour palette otherwise (right colours on every 256-colour terminal, and fewer
//! bytes). Decided once at start-up, from the environment and the terminfo database; the
//! choice is handed to the app.
//!
//! The evidence, in order: `COLORTERM=truecolor` or `24bit` (set by most terminals that have
//! it, though SSH does not pass it on by default); a `TERM` ending in `-direct`; a terminfo
//! entry with the `Tc` or `RGB` extended capability or 2²⁴ colours. Without any of it, 256.

use std::path::PathBuf;

use super::Palette;
use crate::config::{Env, ImageColors};

/// The palette for the configured `image_colors`: `Auto` asks `env` and `terminfo` (the
/// compiled entry for a `TERM` name, see [`read_terminfo`]).
pub fn palette_for(
    choice: ImageColors,
    env: &dyn Env,
    terminfo: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Palette {
    match choice {
        ImageColors::Truecolor => Palette::TrueColor,
        ImageColors::Xterm256 => Palette::Xterm256,
        ImageColors::Auto => detect(env, terminfo),
    }
}

fn detect(env: &dyn Env, terminfo: &dyn Fn(&str) -> Option<Vec<u8>>) -> Palette {
    let colorterm = env
        .var("COLORTERM")
        .unwrap_or_default()
        .to_ascii_lowercase();
    if matches!(colorterm.trim(), "truecolor" | "24bit") {
        return Palette::TrueColor;
    }
    let term = env.var("TERM").unwrap_or_default();
    if term.ends_with("-direct") {
        return Palette::TrueColor;
    }
    let entry = (!term.is_empty()).then(|| terminfo(&term)).flatten();
    match entry.as_deref().and_then(TermInfo::parse) {
        Some(info) if info.true_color => Palette::TrueColor,
        _ => Palette::Xterm256,
    }
}

/// The compiled terminfo entry for `term`, from the places ncurses looks: `$TERMINFO`,
/// `~/.terminfo`, `$TERMINFO_DIRS`, then the system folders; in `x/xterm` or (macOS) `78/xterm`
/// layout. `None` when there is none, or the name could climb out of the folder.
pub fn read_terminfo(env: &dyn Env, term: &str) -> Option<Vec<u8>> {
    let first = term.chars().next()?;
    if term.contains('/') || term.starts_with('.') {
        return None;
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    dirs.extend(env.var("TERMINFO").map(PathBuf::from));
    dirs.extend(
        env.var("HOME")
            .map(|home| PathBuf::from(home).join(".terminfo")),
    );
    if let Some(list) = env.var("TERMINFO_DIRS") {
        dirs.extend(list.split(':').filter(|d| !d.is_empty()).map(PathBuf::from));
    }
    for system in ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"] {
        dirs.push(PathBuf::from(system));
    }
    let letter = first.to_string();
    let hex = format!("{:02x}", u32::from(first));
    dirs.iter()
        .flat_map(|dir| [dir.join(&letter).join(term), dir.join(&hex).join(term)])
        .find_map(|path| std::fs::read(path).ok())
}

/// What a compiled terminfo entry says about colour.
#[derive(Debug, PartialEq, Eq)]
struct TermInfo {
    colors: Option<u32>,
    true_color: bool,
}

/// The `colors` capability's place among the standard numbers.
const COLORS: usize = 13;

impl TermInfo {
    /// Parses the legacy (16-bit numbers) and the extended (32-bit) compiled formats, with
    /// their extended capabilities; `None` when the bytes are not a terminfo entry.
    fn parse(bytes: &[u8]) -> Option<TermInfo> {
        let word = |at: usize| -> Option<i64> {
            let b = bytes.get(at..at + 2)?;
            Some(i64::from(i16::from_le_bytes([b[0], b[1]])))
        };
        let count = |at: usize| -> Option<usize> { usize::try_from(word(at)?).ok() };
        let number_size = match word(0)? {
            0o432 => 2,
            0o1036 => 4,
            _ => return None,
        };
        let (names, bools, numbers, strings, table) =
            (count(2)?, count(4)?, count(6)?, count(8)?, count(10)?);
        let number = |at: usize| -> Option<i64> {
            let b = bytes.get(at..at + number_size)?;
            Some(if number_size == 2 {
                i64::from(i16::from_le_bytes([b[0], b[1]]))
            } else {
                i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            })
        };
        let even = |n: usize| n + (n & 1);
        let numbers_at = even(12 + names + bools);
        let colors = (COLORS < numbers)
            .then(|| number(numbers_at + COLORS * number_size))
            .flatten()
            .and_then(|n| u32::try_from(n).ok());
        let mut true_color = colors.is_some_and(|n| n >= 1 << 24);
        // The extended part: its own header, booleans, numbers, string offsets, then a table
        // holding the string values and, last, every extended capability's name.
        let extended = even(numbers_at + numbers * number_size + strings * 2 + table);
        if let (Some(ext_bools), Some(ext_numbers), Some(ext_strings), Some(ext_table)) = (
            count(extended),
            count(extended + 2),
            count(extended + 4),
            count(extended + 8),
        ) {
            let flags_at = extended + 10;
            let offsets_at = even(flags_at + ext_bools) + ext_numbers * number_size;
            let table_at = offsets_at + (2 * ext_strings + ext_bools + ext_numbers) * 2;
            let table_bytes = bytes.get(table_at..table_at + ext_table)?;
            let texts: Vec<&[u8]> = table_bytes.split(|&b| b == 0).collect();
            // The table ends with a NUL, so the split's last piece is empty.
            let name_count = ext_bools + ext_numbers + ext_strings;
            let names = texts.len().checked_sub(name_count + 1)?;
            for (i, name) in texts[names..texts.len() - 1].iter().enumerate() {
                let set = if i < ext_bools {
                    bytes.get(flags_at + i) == Some(&1)
                } else {
                    // A number or a string named RGB: present is enough.
                    true
                };
                if set && matches!(*name, b"Tc" | b"RGB") {
                    true_color = true;
                }
            }
        }
        Some(TermInfo { colors, true_color })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// A compiled entry (legacy format) with `colors` and extended booleans `(name, set)`.
    fn entry(colors: i16, extended: &[(&str, bool)]) -> Vec<u8> {
        let mut b = Vec::new();
        let names = b"test|a test terminal\0";
        let numbers = 14usize;
        for n in [0o432, names.len(), 0, numbers, 0, 0] {
            b.extend_from_slice(&i16::try_from(n).unwrap().to_le_bytes());
        }
        b.extend_from_slice(names);
        if b.len() % 2 == 1 {
            b.push(0);
        }
        for i in 0..numbers {
            let n: i16 = if i == COLORS { colors } else { -1 };
            b.extend_from_slice(&n.to_le_bytes());
        }
        if !extended.is_empty() {
            let table: Vec<u8> = extended
                .iter()
                .flat_map(|(name, _)| name.bytes().chain([0]))
                .collect();
            let n = extended.len();
            for v in [n, 0, 0, n, table.len()] {
                b.extend_from_slice(&i16::try_from(v).unwrap().to_le_bytes());
            }
            b.extend(extended.iter().map(|(_, set)| u8::from(*set)));
            if n % 2 == 1 {
                b.push(0);
            }
            let mut at = 0i16;
            for (name, _) in extended {
                b.extend_from_slice(&at.to_le_bytes());
                at += i16::try_from(name.len() + 1).unwrap();
            }
            b.extend_from_slice(&table);
        }
        b
    }

    fn detect_with(vars: &[(&str, &str)], info: Option<Vec<u8>>) -> Palette {
        palette_for(ImageColors::Auto, &env(vars), &|_| info.clone())
    }

    #[test]
    fn colorterm_says_true_colour() {
        for value in ["truecolor", "24bit", "TrueColor"] {
            let found = detect_with(&[("COLORTERM", value), ("TERM", "xterm-256color")], None);
            assert_eq!(found, Palette::TrueColor, "{value}");
        }
        let found = detect_with(&[("COLORTERM", "yes"), ("TERM", "xterm-256color")], None);
        assert_eq!(found, Palette::Xterm256);
    }

    #[test]
    fn terminfo_says_true_colour_with_tc_rgb_or_direct_colours() {
        let term = [("TERM", "xterm-256color")];
        assert_eq!(detect_with(&term, Some(entry(256, &[]))), Palette::Xterm256);
        let tc = entry(256, &[("AX", true), ("Tc", true)]);
        assert_eq!(detect_with(&term, Some(tc)), Palette::TrueColor);
        let rgb = entry(256, &[("RGB", true)]);
        assert_eq!(detect_with(&term, Some(rgb)), Palette::TrueColor);
        let unset = entry(256, &[("Tc", false), ("XT", true)]);
        assert_eq!(detect_with(&term, Some(unset)), Palette::Xterm256);
        // 2^24 colours does not fit the legacy format's 16 bits; the name says it.
        assert_eq!(
            detect_with(&[("TERM", "xterm-direct")], None),
            Palette::TrueColor
        );
    }

    #[test]
    fn no_evidence_means_256_and_config_wins() {
        assert_eq!(detect_with(&[], None), Palette::Xterm256);
        assert_eq!(
            detect_with(&[("TERM", "vt100")], Some(b"junk".to_vec())),
            Palette::Xterm256
        );
        let truecolor = env(&[("COLORTERM", "truecolor")]);
        let none = |_: &str| None;
        assert_eq!(
            palette_for(ImageColors::Xterm256, &truecolor, &none),
            Palette::Xterm256
        );
        assert_eq!(
            palette_for(ImageColors::Truecolor, &env(&[]), &none),
            Palette::TrueColor
        );
    }

    #[test]
    fn parses_what_it_builds_and_never_panics_on_cut_entries() {
        let full = entry(256, &[("Tc", true)]);
        assert_eq!(
            TermInfo::parse(&full),
            Some(TermInfo {
                colors: Some(256),
                true_color: true
            })
        );
        for cut in 0..full.len() {
            let _ = TermInfo::parse(&full[..cut]);
        }
    }

    #[test]
    fn terminfo_names_cannot_leave_the_folder() {
        let none = env(&[]);
        assert!(read_terminfo(&none, "../../etc/passwd").is_none());
        assert!(read_terminfo(&none, "").is_none());
    }
}
