//! The review desk's overlays: the override reason picker and the note editor, both small boxes
//! at the bottom of the body so the process being decided stays in sight above them.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::text::{fit, group, width};
use super::{Panes, Theme, inner};
use crate::api::model::ProcessSummary;
use crate::app::App;
use crate::app::review::input::{NoteEditor, ReasonPicker, digit};
use crate::app::review::{Access, ReviewFilter, ReviewInput};
use crate::app::tree::Tone;
use crate::review::Verdict;
use crate::sanitize::terminal_text;

pub(super) fn draw(input: &ReviewInput, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    match input {
        ReviewInput::None => {}
        ReviewInput::Picker(picker) => draw_picker(picker, frame, panes, theme),
        ReviewInput::Note(editor) => draw_note(editor, frame, panes, theme),
    }
}

/// A box of `rows` inner rows, as wide as the body less a margin, at the body's bottom.
fn popup(panes: &Panes, rows: u16) -> Rect {
    let body = panes.body;
    let width = body.width.saturating_sub(4).min(76);
    let height = (rows + 2).min(body.height);
    Rect {
        x: body.x + (body.width - width) / 2,
        y: body.y + body.height.saturating_sub(height + 1),
        width,
        height,
    }
}

fn draw_picker(picker: &ReasonPicker<Verdict>, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    let rows = u16::try_from(picker.reasons.len()).unwrap_or(10) + 1;
    let area = popup(panes, rows);
    let verdict = match picker.verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Escalate => "escalate",
    };
    let title = format!(
        " override: {verdict} {} · why? digit chooses, esc cancels ",
        terminal_text(&short(&picker.process_id))
    );
    frame.render_widget(Clear, area);
    frame.render_widget(theme.block(Line::from(title), true), area);
    let inside = inner(area);
    let mut lines: Vec<Line> = picker
        .reasons
        .iter()
        .enumerate()
        .filter_map(|(i, (_, label))| {
            let d = digit(i)?;
            Some(Line::from(vec![
                Span::styled(format!(" {d} "), theme.tone(Tone::Strong)),
                Span::raw(label.clone()),
            ]))
        })
        .collect();
    lines.push(Line::from(Span::styled(
        " Truora needs a reason for every status override",
        theme.tone(Tone::Dim),
    )));
    frame.render_widget(Paragraph::new(lines), inside);
}

fn draw_note(editor: &NoteEditor, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    let area = popup(panes, 2);
    let title = format!(
        " note on {} · enter saves, esc cancels ",
        terminal_text(&short(&editor.process_id))
    );
    frame.render_widget(Clear, area);
    frame.render_widget(theme.block(Line::from(title), true), area);
    let inside = inner(area);
    if inside.height == 0 || inside.width < 4 {
        return;
    }
    // Scroll horizontally so the cursor stays in the box: show the tail before the cursor.
    let room = usize::from(inside.width) - 2;
    let before = editor.before_cursor();
    let after = &editor.text()[before.len()..];
    let shown_before = tail(before, room.saturating_sub(1));
    let shown_after = fit(after, room.saturating_sub(width(&shown_before)));
    let line = Line::from(vec![
        Span::styled("› ", theme.tone(Tone::Strong)),
        Span::raw(shown_before.clone()),
        Span::raw(shown_after.into_owned()),
    ]);
    frame.render_widget(Paragraph::new(line), inside);
    let hint = Line::from(Span::styled(
        format!(
            "{}/{} characters · ctrl-w deletes a word, ctrl-u the line",
            editor.text().chars().count(),
            crate::app::review::input::NOTE_MAX_CHARS
        ),
        theme.tone(Tone::Dim),
    ));
    if inside.height > 1 {
        frame.render_widget(
            Paragraph::new(hint),
            Rect {
                y: inside.y + 1,
                height: 1,
                ..inside
            },
        );
    }
    let x = inside.x + 2 + u16::try_from(width(&shown_before)).unwrap_or(0);
    frame.set_cursor_position(Position::new(x.min(inside.right() - 1), inside.y));
}

/// The last `max` cells of `s`.
fn tail(s: &str, max: usize) -> String {
    let mut out: Vec<char> = Vec::new();
    let mut used = 0;
    let mut buf = [0u8; 4];
    for c in s.chars().rev() {
        let w = width(c.encode_utf8(&mut buf));
        if used + w > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out.iter().rev().collect()
}

/// A process id cut for a title: ids are 35 characters; the start and the end identify it.
fn short(id: &str) -> String {
    if id.chars().count() <= 20 {
        return id.to_owned();
    }
    let head: String = id.chars().take(10).collect();
    let tail: String = id
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("{head}…{tail}")
}

/// The list shows a mark column whenever a review store is open (read-only included).
pub(super) fn marks_shown(app: &App) -> bool {
    !matches!(app.review().access(), Access::Unavailable(_))
}

/// One row's mark: five fixed cells (see [`badge`]), toned by verdict.
pub(super) fn mark_cell(app: &App, row: &ProcessSummary, theme: &Theme) -> Span<'static> {
    let id = row.process_id.as_deref().unwrap_or("");
    let desk = app.review();
    let mark = desk.mark(id);
    let cells = desk.badge_of(id);
    let tone = match mark.and_then(|m| m.verdict()) {
        Some(Verdict::Pass) => Tone::Good,
        Some(Verdict::Fail) => Tone::Bad,
        Some(Verdict::Escalate) => Tone::Warn,
        None => Tone::Dim,
    };
    let mut text: String = cells.iter().collect();
    text.push(' ');
    Span::styled(text, theme.tone(tone))
}

/// `⧗ 1 decision not recorded yet — retrying`, for the status bar, while the desk is holding
/// decisions it could not record for now (a busy store, a full disk).
pub(super) fn pending_part(app: &App) -> Option<String> {
    let (text, _) = app.review().pending().summary()?;
    Some(format!("⧗ {text}"))
}

/// ` · reviewed 12 of 40 · unreviewed only · ⊘ bob has it open`: the counts for the rows shown,
/// the review filter, and who else has the selected process open.
pub(super) fn title_part(app: &App, title: &mut String) {
    if !marks_shown(app) {
        return;
    }
    let desk = app.review();
    let counts = desk.counts();
    title.push_str(&format!(
        " · reviewed {} of {}",
        group(counts.reviewed),
        group(counts.of)
    ));
    if desk.filter() != ReviewFilter::All {
        title.push_str(&format!(" · {} only", desk.filter().label()));
    }
    let selected = app.list().selected().and_then(|r| r.process_id.as_deref());
    if let Some(who) = selected.and_then(|id| desk.taken_by(id)) {
        // `ana, bob (another session)`: every browser that has it open.
        let verb = if who.contains(", ") { "have" } else { "has" };
        title.push_str(&format!(" · ⊘ {} {verb} it open", terminal_text(who)));
    }
}
