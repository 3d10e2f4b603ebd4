//! The two small inputs of the review desk: the reason picker an override opens, and the note
//! editor. Both are plain state with a `handle_key` that says what the key meant; the app
//! decides what follows (record the decision, close the overlay). No terminal, no IO.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Notes longer than this are cut as they are typed: a note is a remark, not a report, and it
/// travels in every export of the decision log.
pub const NOTE_MAX_CHARS: usize = 500;

/// What a key did to an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputOutcome<T> {
    /// The input is still open (the key edited it, or meant nothing).
    Open,
    /// Esc: close without doing anything.
    Cancelled,
    /// The user's choice.
    Done(T),
}

/// One-line text input with a cursor, edited by characters (never splitting a UTF-8 sequence):
/// arrows, Home/End, Backspace/Delete, Ctrl-A/E (start/end), Ctrl-U (clear to start), Ctrl-W
/// (delete the word before the cursor). Enter saves, Esc cancels.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NoteEditor {
    pub process_id: String,
    text: String,
    /// Byte offset of the cursor; always on a character boundary.
    cursor: usize,
}

impl NoteEditor {
    pub fn new(process_id: String) -> NoteEditor {
        NoteEditor {
            process_id,
            ..NoteEditor::default()
        }
    }

    /// An editor holding `text` (a note that could not be recorded), the cursor at its end.
    pub fn with_text(process_id: String, text: &str) -> NoteEditor {
        let mut editor = NoteEditor::new(process_id);
        for c in text.chars() {
            editor.insert(c);
        }
        editor
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text before the cursor (the ui measures it to place the terminal cursor).
    pub fn before_cursor(&self) -> &str {
        &self.text[..self.cursor]
    }

    /// Enter gives the trimmed text; an empty note is no note and cancels.
    pub fn handle_key(&mut self, key: KeyEvent) -> InputOutcome<String> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return InputOutcome::Cancelled,
            KeyCode::Enter => {
                let note = self.text.trim();
                return if note.is_empty() {
                    InputOutcome::Cancelled
                } else {
                    InputOutcome::Done(note.to_owned())
                };
            }
            KeyCode::Char('a') if ctrl => self.cursor = 0,
            KeyCode::Char('e') if ctrl => self.cursor = self.text.len(),
            KeyCode::Char('u') if ctrl => {
                self.text.drain(..self.cursor);
                self.cursor = 0;
            }
            KeyCode::Char('w') if ctrl => {
                let start = self.word_start();
                self.text.drain(start..self.cursor);
                self.cursor = start;
            }
            KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
                self.insert(c);
            }
            KeyCode::Backspace => {
                if let Some(c) = self.before_cursor().chars().next_back() {
                    self.cursor -= c.len_utf8();
                    self.text.remove(self.cursor);
                }
            }
            KeyCode::Delete if self.cursor < self.text.len() => {
                self.text.remove(self.cursor);
            }
            KeyCode::Left => {
                if let Some(c) = self.before_cursor().chars().next_back() {
                    self.cursor -= c.len_utf8();
                }
            }
            KeyCode::Right => {
                if let Some(c) = self.text[self.cursor..].chars().next() {
                    self.cursor += c.len_utf8();
                }
            }
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = self.text.len(),
            _ => {}
        }
        InputOutcome::Open
    }

    /// Inserts at the cursor; control characters (a pasted newline or escape) become spaces,
    /// so what is saved is what was shown.
    fn insert(&mut self, c: char) {
        if self.text.chars().count() >= NOTE_MAX_CHARS {
            return;
        }
        let c = if c.is_control() { ' ' } else { c };
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
    }

    /// Where Ctrl-W deletes back to: over spaces, then over the word.
    fn word_start(&self) -> usize {
        let before = self.before_cursor();
        let trimmed = before.trim_end();
        trimmed
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8())
    }
}

/// The reason picker an override opens: one reason per digit, Esc cancels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonPicker<V> {
    pub process_id: String,
    /// What the reviewer pressed (pass or fail), recorded once a reason is chosen.
    pub verdict: V,
    /// `(code, label)` per reason, in the order the digits choose them (1 is the first).
    pub reasons: Vec<(String, String)>,
}

impl<V: Clone> ReasonPicker<V> {
    /// A digit chooses its reason (1-9, then 0 for the tenth); other keys do nothing.
    pub fn handle_key(&self, key: KeyEvent) -> InputOutcome<String> {
        match key.code {
            KeyCode::Esc => InputOutcome::Cancelled,
            KeyCode::Char(d @ '0'..='9') => {
                let index = match d {
                    '0' => 9,
                    d => usize::from(d as u8 - b'1'),
                };
                match self.reasons.get(index) {
                    Some((code, _)) => InputOutcome::Done(code.clone()),
                    None => InputOutcome::Open,
                }
            }
            _ => InputOutcome::Open,
        }
    }
}

/// The digit that chooses the reason at `index` (`1`…`9`, `0`), for the picker's rows.
pub fn digit(index: usize) -> Option<char> {
    match index {
        0..=8 => char::from_digit(index as u32 + 1, 10),
        9 => Some('0'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::{KeyEventKind, KeyEventState};

    fn k(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent {
            code,
            modifiers: mods,
            kind: KeyEventKind::Press,
            state: KeyEventState::NONE,
        }
    }

    fn typed(editor: &mut NoteEditor, text: &str) {
        for c in text.chars() {
            editor.handle_key(k(KeyCode::Char(c), KeyModifiers::NONE));
        }
    }

    #[test]
    fn editing_works_by_characters_not_bytes() {
        let mut e = NoteEditor::new("IDP1".into());
        typed(&mut e, "señal 日本");
        e.handle_key(k(KeyCode::Backspace, KeyModifiers::NONE));
        assert_eq!(e.text(), "señal 日");
        for _ in 0..4 {
            e.handle_key(k(KeyCode::Left, KeyModifiers::NONE));
        }
        // The cursor is now after "señ"; delete around it.
        assert_eq!(e.before_cursor(), "señ");
        e.handle_key(k(KeyCode::Backspace, KeyModifiers::NONE));
        assert_eq!(e.text(), "seal 日");
        e.handle_key(k(KeyCode::Delete, KeyModifiers::NONE));
        assert_eq!(e.text(), "sel 日");
        typed(&mut e, "ü");
        assert_eq!(e.text(), "seül 日");
        e.handle_key(k(KeyCode::End, KeyModifiers::NONE));
        e.handle_key(k(KeyCode::Right, KeyModifiers::NONE));
        typed(&mut e, "!");
        assert_eq!(e.text(), "seül 日!");
        e.handle_key(k(KeyCode::Char('w'), KeyModifiers::CONTROL));
        assert_eq!(e.text(), "seül ");
        e.handle_key(k(KeyCode::Char('a'), KeyModifiers::CONTROL));
        typed(&mut e, "\n");
        assert_eq!(e.text(), " seül ", "a control character becomes a space");
        e.handle_key(k(KeyCode::Char('e'), KeyModifiers::CONTROL));
        e.handle_key(k(KeyCode::Char('u'), KeyModifiers::CONTROL));
        assert_eq!(e.text(), "");
    }

    #[test]
    fn enter_saves_the_trimmed_note_and_esc_or_blank_cancel() {
        let mut e = NoteEditor::new("IDP1".into());
        typed(&mut e, "  ask the user for a new selfie ");
        assert_eq!(
            e.handle_key(k(KeyCode::Enter, KeyModifiers::NONE)),
            InputOutcome::Done("ask the user for a new selfie".into())
        );
        assert_eq!(
            e.handle_key(k(KeyCode::Esc, KeyModifiers::NONE)),
            InputOutcome::Cancelled
        );
        let mut blank = NoteEditor::new("IDP1".into());
        typed(&mut blank, "   ");
        assert_eq!(
            blank.handle_key(k(KeyCode::Enter, KeyModifiers::NONE)),
            InputOutcome::Cancelled
        );
    }

    #[test]
    fn notes_are_capped() {
        let mut e = NoteEditor::new("IDP1".into());
        typed(&mut e, &"é".repeat(NOTE_MAX_CHARS + 20));
        assert_eq!(e.text().chars().count(), NOTE_MAX_CHARS);
    }

    #[test]
    fn digits_choose_reasons() {
        let p = ReasonPicker {
            process_id: "IDP1".into(),
            verdict: (),
            reasons: vec![("a".into(), "A".into()), ("b".into(), "B".into())],
        };
        let key = |c| k(KeyCode::Char(c), KeyModifiers::NONE);
        assert_eq!(p.handle_key(key('2')), InputOutcome::Done("b".into()));
        assert_eq!(p.handle_key(key('3')), InputOutcome::Open);
        assert_eq!(p.handle_key(key('x')), InputOutcome::Open);
        assert_eq!(
            p.handle_key(k(KeyCode::Esc, KeyModifiers::NONE)),
            InputOutcome::Cancelled
        );
        assert_eq!(digit(0), Some('1'));
        assert_eq!(digit(9), Some('0'));
        assert_eq!(digit(10), None);
    }
}
