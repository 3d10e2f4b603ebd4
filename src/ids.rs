//! A user's own list of processes (`--ids-file`): one id per line, or a CSV such as the
//! dashboard's history download.
//!
//! Parsing is a pure function over the file's text so every oddity is cheap to test: a UTF-8 BOM,
//! CRLF line ends, blank lines, `#` comments (but a CSV header whose first column is named `#` is
//! a header), a CSV header row (the id column is found by its name), quoted fields holding
//! commas, doubled quotes or line breaks, `;` or tab separators (spreadsheets in Spanish locales
//! write `;`). Nothing is dropped silently: a value that is not an id, a repeated id, and a quote
//! left open (which swallows the rest of the file) are reported with their line number, and the
//! caller shows them.

use std::fmt;
use std::path::{Path, PathBuf};

/// Files larger than this are refused: a list of a million ids is ~30 MB.
const MAX_FILE_BYTES: u64 = 64 << 20;

/// Header names (compared lower-case with spaces, `_` and `-` removed) that name the id column.
const ID_HEADERS: &[&str] = &[
    "processid",
    "id",
    "identityprocessid",
    "idprocess",
    "idproceso",
    "iddelproceso",
    "procesoid",
];

/// The ids found, in file order without repeats, and what was not understood.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IdList {
    pub ids: Vec<String>,
    /// The CSV header of the column the ids came from (`None` for a plain list).
    pub column: Option<String>,
    pub problems: Vec<IdProblem>,
}

/// A line that did not give a new id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdProblem {
    /// A value that does not look like a process id (1-based line of the record).
    NotAnId { line: usize, text: String },
    /// An id already listed on `first_line`; kept once.
    Duplicate {
        line: usize,
        id: String,
        first_line: usize,
    },
    /// A quote opened on `line` is never closed: that record and every line after it (`lines`
    /// in all) were not read.
    UnclosedQuote { line: usize, lines: usize },
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdProblem::NotAnId { line, text } => {
                let shown: String = crate::sanitize::terminal_text(text)
                    .chars()
                    .take(60)
                    .collect();
                write!(f, "line {line}: not a process id: \"{shown}\"")
            }
            IdProblem::Duplicate {
                line,
                id,
                first_line,
            } => write!(f, "line {line}: {id} repeats line {first_line}; kept once"),
            IdProblem::UnclosedQuote { line, lines } => write!(
                f,
                "line {line}: unclosed quote, {lines} {} ignored (close the quote to read them)",
                if *lines == 1 { "line" } else { "lines" }
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum IdsError {
    #[error("cannot read the ids file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the ids file {} is larger than 64 MiB; split it", path.display())]
    TooLarge { path: PathBuf },
    #[error("the ids file {} is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in spreadsheets)", path.display())]
    NotText { path: PathBuf },
    #[error(
        "the ids file is a CSV with no process id column (headers seen: {}); name the column \
         `process_id` or give one id per line",
        headers.join(", ")
    )]
    NoIdColumn { headers: Vec<String> },
    #[error("the ids file holds no process ids{}", first_problem(problems))]
    NoIds { problems: Vec<IdProblem> },
}

fn first_problem(problems: &[IdProblem]) -> String {
    match problems.first() {
        Some(p) => format!(" ({p}; {} lines not understood)", problems.len()),
        None => String::new(),
    }
}

impl IdsError {
    /// Every ids-file error is a usage error.
    pub fn exit_code(&self) -> u8 {
        2
    }
}

/// Reads and parses an ids file.
pub fn read(path: &Path) -> Result<IdList, IdsError> {
    let read_err = |source| IdsError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(IdsError::TooLarge { path: path.into() });
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    let text = String::from_utf8(bytes).map_err(|_| IdsError::NotText { path: path.into() })?;
    parse(&text)
}

/// Reads an ids file for the command line: the ids, and lines to show the user (what was not
/// understood, capped at 20, and which CSV column the ids came from).
pub fn read_reported(path: &Path) -> Result<(Vec<String>, Vec<String>), IdsError> {
    let list = read(path)?;
    let name = path.display();
    let mut lines: Vec<String> = list
        .problem_lines(20)
        .into_iter()
        .map(|line| format!("{name}: {line}"))
        .collect();
    if let Some(column) = &list.column {
        lines.push(format!(
            "{name}: {} process ids read from column \"{}\"",
            list.ids.len(),
            crate::sanitize::terminal_text(column)
        ));
    }
    Ok((list.ids, lines))
}

/// Parses the text of an ids file. Fails only when no id at all can be found, or when the file
/// is a CSV whose header names no id column.
pub fn parse(text: &str) -> Result<IdList, IdsError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = IdList::default();
    let mut records: Vec<Record> = Vec::new();
    for record in Records::new(text) {
        if let Some(lines) = record.unclosed {
            out.problems.push(IdProblem::UnclosedQuote {
                line: record.line,
                lines,
            });
            continue;
        }
        if record.is_blank() {
            continue;
        }
        // A line starting with `#` is a comment, except a header naming the id column (a
        // spreadsheet's row-number column is often titled `#`).
        if record.comment && !(records.is_empty() && is_header(&record)) {
            continue;
        }
        records.push(record);
    }
    let Some(first) = records.first() else {
        return Err(IdsError::NoIds {
            problems: out.problems,
        });
    };
    let (column, skip_first) = match pick_column(first)? {
        Pick::Header(i) => {
            out.column = Some(first.fields[i].trim().to_owned());
            (i, true)
        }
        Pick::Data(i) => (i, false),
    };
    let mut seen = std::collections::HashMap::new();
    for record in records.iter().skip(usize::from(skip_first)) {
        let value = record.fields.get(column).map_or("", |v| v.trim());
        if value.is_empty() {
            continue;
        }
        if !looks_like_id(value) {
            out.problems.push(IdProblem::NotAnId {
                line: record.line,
                text: value.to_owned(),
            });
            continue;
        }
        match seen.get(value) {
            Some(&first_line) => out.problems.push(IdProblem::Duplicate {
                line: record.line,
                id: value.to_owned(),
                first_line,
            }),
            None => {
                seen.insert(value.to_owned(), record.line);
                out.ids.push(value.to_owned());
            }
        }
    }
    if out.ids.is_empty() {
        return Err(IdsError::NoIds {
            problems: out.problems,
        });
    }
    Ok(out)
}

fn is_header(record: &Record) -> bool {
    matches!(pick_column(record), Ok(Pick::Header(_)))
}

/// A header cell as compared with [`ID_HEADERS`].
fn normal_header(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Any token of `[A-Za-z0-9_-]{6,128}`; Truora's look like `IDP` + 32 hex digits.
pub fn looks_like_id(s: &str) -> bool {
    (6..=128).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Truora's own shape, used to spot the id column of a CSV that has no header.
fn looks_like_truora_id(s: &str) -> bool {
    s.len() > 3 && s.starts_with("IDP") && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

enum Pick {
    Header(usize),
    Data(usize),
}

/// Which column holds the ids, from the first record.
fn pick_column(first: &Record) -> Result<Pick, IdsError> {
    let names: Vec<String> = first.fields.iter().map(|f| normal_header(f)).collect();
    // The most specific name wins: `process_id` over a plain `id` column in the same header.
    for wanted in ID_HEADERS {
        if let Some(i) = names.iter().position(|n| n == wanted) {
            return Ok(Pick::Header(i));
        }
    }
    if first.fields.len() == 1 {
        return Ok(Pick::Data(0));
    }
    if let Some(i) = first
        .fields
        .iter()
        .position(|f| looks_like_truora_id(f.trim()))
    {
        return Ok(Pick::Data(i));
    }
    Err(IdsError::NoIdColumn {
        headers: first
            .fields
            .iter()
            .map(|h| crate::sanitize::terminal_text(h.trim()).into_owned())
            .collect(),
    })
}

/// One CSV record with the line it starts on.
struct Record {
    line: usize,
    fields: Vec<String>,
    /// The record's text started with `#` (outside quotes).
    comment: bool,
    /// A quote was still open at the end of the text: how many lines the record swallowed.
    unclosed: Option<usize>,
}

impl Record {
    fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }
}

/// Splits text into CSV records (RFC 4180 quoting, any of `,` `;` tab as the separator, chosen
/// from the first line). A plain one-id-per-line file is a CSV with one column.
struct Records<'a> {
    rest: &'a str,
    line: usize,
    separator: Option<char>,
}

impl<'a> Records<'a> {
    fn new(text: &'a str) -> Self {
        Records {
            rest: text,
            line: 1,
            separator: guess_separator(text),
        }
    }
}

/// The separator is the most frequent of `,` `;` tab on the first line that has content and is
/// not a comment (a `#` line counts when it is a header naming the id column).
fn guess_separator(text: &str) -> Option<char> {
    const SEPARATORS: [char; 3] = [',', ';', '\t'];
    let header_with = |line: &str| {
        SEPARATORS.into_iter().find(|sep| {
            line.split(*sep)
                .any(|cell| ID_HEADERS.contains(&normal_header(cell.trim_matches('"')).as_str()))
                && line.contains(*sep)
        })
    };
    for line in text.lines().map(|l| l.trim_matches([' ', '\r'])) {
        if line.is_empty() {
            continue;
        }
        if line.starts_with('#') {
            match header_with(line) {
                Some(sep) => return Some(sep),
                None => continue,
            }
        }
        return SEPARATORS
            .into_iter()
            .map(|c| (line.matches(c).count(), c))
            .filter(|(n, _)| *n > 0)
            .max_by_key(|(n, _)| *n)
            .map(|(_, c)| c);
    }
    None
}

impl Iterator for Records<'_> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        if self.rest.is_empty() {
            return None;
        }
        let start_line = self.line;
        let comment = self.rest.trim_start_matches([' ', '\t']).starts_with('#');
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut chars = self.rest.char_indices().peekable();
        let mut consumed = self.rest.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' if quoted => {
                    if chars.peek().map(|(_, n)| *n) == Some('"') {
                        field.push('"');
                        chars.next();
                    } else {
                        quoted = false;
                    }
                }
                '"' if field.trim().is_empty() => {
                    field.clear();
                    quoted = true;
                }
                // A comment ends with its line, whatever quotes it holds.
                '\n' if !quoted || comment => {
                    consumed = i + 1;
                    self.line += 1;
                    break;
                }
                '\r' if !quoted => {}
                '\n' => {
                    self.line += 1;
                    field.push(c);
                }
                c if !quoted && Some(c) == self.separator => {
                    fields.push(std::mem::take(&mut field))
                }
                c => field.push(c),
            }
        }
        fields.push(field);
        let unclosed = (quoted && !comment).then(|| {
            let swallowed = &self.rest[..consumed];
            swallowed.matches('\n').count() + usize::from(!swallowed.ends_with('\n'))
        });
        self.rest = &self.rest[consumed..];
        Some(Record {
            line: start_line,
            fields,
            comment,
            unclosed,
        })
    }
}

impl IdList {
    /// The problems as lines for stderr or the status bar: at most `max`, then a count.
    pub fn problem_lines(&self, max: usize) -> Vec<String> {
        let mut lines: Vec<String> = self
            .problems
            .iter()
            .take(max)
            .map(|p| p.to_string())
            .collect();
        if self.problems.len() > max {
            lines.push(format!(
                "… and {} more lines that gave no new id",
                self.problems.len() - max
            ));
        }
        lines
    }
}
