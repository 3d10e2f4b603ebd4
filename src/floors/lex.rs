//! Just enough of a Rust lexer to find paths: identifiers, `::` and punctuation, each with its
//! line, with comments, strings and character literals dropped (a `crate::x` in a doc comment or
//! a message is not an import).

/// One token of source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    /// An identifier or keyword (`r#type` is `type`).
    Ident(String),
    /// `::`.
    PathSep,
    /// Any other punctuation character.
    Punct(char),
    /// A string, character or number literal: kept as a token so `#[path = "…"]` can be read.
    Literal(String),
}

/// A token and the line (1-based) it starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned {
    pub token: Token,
    pub line: usize,
}

/// The tokens of a source file. Malformed input (an unterminated string or comment) ends the
/// token stream where it starts: the compiler refuses such a file anyway.
pub fn tokens(source: &str) -> Vec<Spanned> {
    let mut lexer = Lexer {
        chars: source.chars().collect(),
        at: 0,
        line: 1,
        out: Vec::new(),
    };
    lexer.run();
    lexer.out
}

struct Lexer {
    chars: Vec<char>,
    at: usize,
    line: usize,
    out: Vec<Spanned>,
}

impl Lexer {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.at + ahead).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek(0)?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn push(&mut self, token: Token, line: usize) {
        self.out.push(Spanned { token, line });
    }

    fn run(&mut self) {
        while let Some(c) = self.peek(0) {
            let line = self.line;
            match c {
                c if c.is_whitespace() => {
                    self.bump();
                }
                '/' if self.peek(1) == Some('/') => self.line_comment(),
                '/' if self.peek(1) == Some('*') => self.block_comment(),
                '"' => {
                    let text = self.string();
                    self.push(Token::Literal(text), line);
                }
                '\'' => self.quote(line),
                'r' | 'b' | 'c' if self.raw_or_byte_literal(line) => {}
                c if c == '_' || c.is_alphabetic() => {
                    let word = self.word();
                    self.push(Token::Ident(word), line);
                }
                c if c.is_ascii_digit() => {
                    let number = self.word();
                    self.push(Token::Literal(number), line);
                }
                ':' if self.peek(1) == Some(':') => {
                    self.at += 2;
                    self.push(Token::PathSep, line);
                }
                c => {
                    self.bump();
                    self.push(Token::Punct(c), line);
                }
            }
        }
    }

    fn word(&mut self) -> String {
        let mut word = String::new();
        while let Some(c) = self.peek(0).filter(|c| *c == '_' || c.is_alphanumeric()) {
            word.push(c);
            self.bump();
        }
        word
    }

    fn line_comment(&mut self) {
        while self.peek(0).is_some_and(|c| c != '\n') {
            self.bump();
        }
    }

    /// `/* … */`, nested as Rust nests them.
    fn block_comment(&mut self) {
        self.at += 2;
        let mut depth = 1;
        while depth > 0 {
            match (self.peek(0), self.peek(1)) {
                (Some('/'), Some('*')) => {
                    self.at += 2;
                    depth += 1;
                }
                (Some('*'), Some('/')) => {
                    self.at += 2;
                    depth -= 1;
                }
                (Some(_), _) => {
                    self.bump();
                }
                (None, _) => return,
            }
        }
    }

    /// A `"…"` string with escapes; the cursor is on the opening quote. Returns its contents.
    fn string(&mut self) -> String {
        self.bump();
        let mut text = String::new();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    if let Some(escaped) = self.bump() {
                        text.push('\\');
                        text.push(escaped);
                    }
                }
                '"' => break,
                c => text.push(c),
            }
        }
        text
    }

    /// `r"…"`, `r#"…"#`, `b"…"`, `br#"…"#`, `c"…"`, `b'x'` and raw identifiers `r#name`. Returns
    /// false when the letter starts a plain identifier.
    fn raw_or_byte_literal(&mut self, line: usize) -> bool {
        let prefix = match (self.peek(0), self.peek(1)) {
            (Some('b' | 'c'), Some('r')) => 2,
            (Some('b' | 'c'), Some('"' | '\'')) | (Some('r'), _) => 1,
            _ => return false,
        };
        let raw = self.peek(prefix - 1) == Some('r');
        let mut hashes = 0;
        while raw && self.peek(prefix + hashes) == Some('#') {
            hashes += 1;
        }
        match self.peek(prefix + hashes) {
            Some('"') if raw => {
                self.at += prefix + hashes + 1;
                let text = self.raw_string_body(hashes);
                self.push(Token::Literal(text), line);
            }
            Some('"') => {
                self.at += prefix;
                let text = self.string();
                self.push(Token::Literal(text), line);
            }
            Some('\'') if !raw => {
                self.at += prefix;
                self.quote(line);
            }
            Some(c) if raw && hashes == 1 && (c == '_' || c.is_alphabetic()) => {
                self.at += prefix + hashes;
                let word = self.word();
                self.push(Token::Ident(word), line);
            }
            _ => return false,
        }
        true
    }

    /// The body of a raw string after its opening quote, up to `"` and `hashes` hashes.
    fn raw_string_body(&mut self, hashes: usize) -> String {
        let mut text = String::new();
        while let Some(c) = self.bump() {
            if c == '"' && (0..hashes).all(|i| self.peek(i) == Some('#')) {
                self.at += hashes;
                break;
            }
            text.push(c);
        }
        text
    }

    /// A character literal (`'a'`, `'\n'`, `'\u{1F600}'`) or a lifetime or label (`'a`,
    /// `'static`); the cursor is on the quote.
    fn quote(&mut self, line: usize) {
        self.bump();
        if self.peek(0) == Some('\\') {
            // The backslash and the escaped character, then up to the closing quote.
            self.bump();
            self.bump();
            while self.bump().is_some_and(|c| c != '\'') {}
            self.push(Token::Literal(String::new()), line);
        } else if self.peek(1) == Some('\'') {
            self.at += 2;
            self.push(Token::Literal(String::new()), line);
        } else {
            // A lifetime or label: the name that follows is not a path.
            self.word();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idents(source: &str) -> Vec<String> {
        tokens(source)
            .into_iter()
            .filter_map(|t| match t.token {
                Token::Ident(word) => Some(word),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn comments_strings_and_chars_hide_what_they_hold() {
        let source = r####"
            // use crate::gone_1;
            /* crate::gone_2 /* nested crate::gone_3 */ crate::gone_4 */
            let s = "crate::gone_5 \" crate::gone_6";
            let r = r#"crate::gone_7 " crate::gone_8"#;
            let b = br##"crate::gone_9"#"##;
            let q = '"'; let e = '\''; let s = '\\'; let u = '\u{2764}'; let x = b'"';
            fn f<'a>(v: &'a str) -> &'static str { 'outer: loop {} }
            use crate::kept;
        "####;
        let words = idents(source);
        assert!(!words.iter().any(|w| w.starts_with("gone")), "{words:?}");
        assert!(words.ends_with(&["use".into(), "crate".into(), "kept".into()]));
        assert!(!words.contains(&"outer".to_owned()), "labels are not paths");
    }

    #[test]
    fn lines_are_counted_through_multiline_comments_and_strings() {
        let source = "/*\n\n*/ a \"x\ny\" b\nr\"\n\" c";
        let lines: Vec<(String, usize)> = tokens(source)
            .into_iter()
            .filter_map(|t| match t.token {
                Token::Ident(word) => Some((word, t.line)),
                _ => None,
            })
            .collect();
        let expected = [("a", 3), ("b", 4), ("c", 6)].map(|(w, l)| (w.to_owned(), l));
        assert_eq!(lines, expected);
    }

    #[test]
    fn path_separators_and_raw_identifiers() {
        let spanned = tokens("crate::r#type::x");
        let kinds: Vec<Token> = spanned.into_iter().map(|t| t.token).collect();
        assert_eq!(
            kinds,
            [
                Token::Ident("crate".into()),
                Token::PathSep,
                Token::Ident("type".into()),
                Token::PathSep,
                Token::Ident("x".into()),
            ]
        );
    }
}
