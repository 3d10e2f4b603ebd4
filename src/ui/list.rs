//! The process list pane: only the rows in view are formatted, whatever the list's size.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use std::borrow::Cow;

use super::text::{cell, fit, group, status_word};
use super::{Panes, Theme, focused, inner};
use crate::api::model::{Person, ProcessSummary};
use crate::app::list::columns::{self, Col, ORDER};
use crate::app::list::{SortOrder, StatusFilter};
use crate::app::tree::Tone;
use crate::app::{App, Focus};
use crate::date::zone::TimeStyle;
use crate::sanitize::terminal_text;

/// A cell's text and tone. The person's name and number are masked in privacy mode, as the
/// user id is shortened (both decided in `privacy/`).
fn value<'a>(
    app: &App,
    row: &'a ProcessSummary,
    person: Option<&'a Person>,
    col: Col,
) -> (Cow<'a, str>, Tone) {
    fn text(s: Option<&str>) -> Cow<'_, str> {
        terminal_text(s.unwrap_or(""))
    }
    let private = app.private();
    let personal = |key: &str, s: Option<&'a str>| -> Cow<'a, str> {
        let s = text(s);
        if private {
            crate::privacy::mask_field(key, &s).into_owned().into()
        } else {
            s
        }
    };
    match col {
        Col::Created => {
            let zone = app.time_zone();
            match text(row.creation_date.as_deref()) {
                Cow::Borrowed(d) => (zone.show(d, TimeStyle::Column), Tone::Plain),
                Cow::Owned(d) => {
                    let shown = zone.show(&d, TimeStyle::Column).into_owned();
                    (shown.into(), Tone::Plain)
                }
            }
        }
        Col::Status => status_word(row.status.as_ref()),
        Col::Reason => (
            text(columns::reason(row).map(crate::api::model::reasons::label)),
            Tone::Bad,
        ),
        Col::Country => (text(row.country.as_deref()), Tone::Plain),
        Col::Process => (text(row.process_id.as_deref()), Tone::Plain),
        Col::Name => (
            personal("full_name", person.and_then(|p| p.name.as_deref())),
            Tone::Plain,
        ),
        Col::Document => (
            personal(
                "document_number",
                person.and_then(|p| p.document_number.as_deref()),
            ),
            Tone::Plain,
        ),
        Col::User => (
            personal("client_user_id", row.client_user_id.as_deref()),
            Tone::Dim,
        ),
        Col::Flow => (text(row.flow_id.as_deref()), Tone::Dim),
    }
}

/// One row's cells at these widths.
fn cells<'a>(
    app: &'a App,
    row: &'a ProcessSummary,
    person: Option<&'a Person>,
    widths: &[usize; 9],
    theme: &'a Theme,
) -> impl Iterator<Item = Span<'static>> + 'a {
    ORDER
        .iter()
        .zip(*widths)
        .filter(|(_, w)| *w > 0)
        .map(move |(col, w)| {
            let (mut text, tone) = value(app, row, person, *col);
            // A date without room for its time shows the date alone.
            if *col == Col::Created && w < 16 {
                text = text.chars().take(w).collect::<String>().into();
            }
            // A reason in words when they fit, else in the short form that tells it apart.
            if *col == Col::Reason {
                let content = app.list().content_widths();
                text = terminal_text(columns::reason_text(row, w, content));
            }
            Span::styled(format!("{} ", cell(&text, w)), theme.tone(tone))
        })
}

pub(super) fn draw(app: &App, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    if panes.process_bar.height > 0 {
        process_bar(app, frame, panes.process_bar, theme);
    }
    if panes.list.is_empty() {
        return;
    }
    let list = app.list();
    let block = theme.block(title(app), focused(app, Focus::List));
    frame.render_widget(block, panes.list);
    let area = inner(panes.list);
    if area.height == 0 || area.width < 3 {
        return;
    }
    if list.visible_len() == 0 {
        let loading = app.loading();
        let text = if let Some(e) = &loading.error {
            format!("✗ {}", terminal_text(e))
        } else if loading.loading {
            "loading processes…".into()
        } else if list.is_empty() {
            "no processes".into()
        } else {
            "no process matches the filter (esc clears it)".into()
        };
        let p = Paragraph::new(text).wrap(ratatui::widgets::Wrap { trim: true });
        frame.render_widget(p, area);
        return;
    }
    let marks = super::review::marks_shown(app);
    let widths = columns::widths(
        usize::from(area.width).saturating_sub(app.list_row_chrome()),
        list.content_widths(),
    );
    let mark_header = if marks { "mark  " } else { "" };
    let header: Vec<Span> = [
        Span::raw("  "),
        Span::styled(mark_header, theme.tone(Tone::Strong)),
    ]
    .into_iter()
    .chain(
        ORDER
            .iter()
            .zip(widths)
            .filter(|(_, w)| *w > 0)
            .map(|(col, w)| {
                let name = match col {
                    Col::Created => created_header(app.time_zone().label(), w),
                    _ => col.header().into(),
                };
                Span::styled(format!("{} ", cell(&name, w)), theme.tone(Tone::Strong))
            }),
    )
    .collect();
    let buf = frame.buffer_mut();
    buf.set_line(area.x, area.y, &Line::from(header), area.width);
    let rows = Rect {
        y: area.y + 1,
        height: area.height - 1,
        ..area
    };
    // Keep the cursor visible even if the app was told another size than the frame's.
    let height = usize::from(rows.height);
    let cursor = list.cursor().unwrap_or(0);
    let offset = list
        .offset()
        .min(cursor)
        .max((cursor + 1).saturating_sub(height));
    for (i, (pos, row)) in list.window_from(offset, height).enumerate() {
        let selected = pos == cursor;
        let mut spans = vec![Span::raw(if selected { "› " } else { "  " })];
        if marks {
            spans.push(super::review::mark_cell(app, row, theme));
        }
        let person = list.visible().get(pos).and_then(|&i| list.person(i));
        spans.extend(cells(app, row, person, &widths, theme));
        let y = rows.y + i as u16;
        buf.set_line(rows.x, y, &Line::from(spans), rows.width);
        if selected {
            buf.set_style(
                Rect {
                    y,
                    height: 1,
                    ..rows
                },
                theme.selected(),
            );
        }
    }
}

/// The compact layout's process view names the selected process on one row above its tree:
/// the whole id, the status and the reason first (they always fit in 80 columns), then the
/// person and the date as room allows, and where it stands in the list.
fn process_bar(app: &App, frame: &mut Frame, area: Rect, theme: &Theme) {
    let list = app.list();
    let (Some(index), Some(pos)) = (list.selected_index(), list.cursor()) else {
        return;
    };
    let Some(row) = list.row(index) else { return };
    let person = list.person(index);
    let part = |col: Col| value(app, row, person, col);
    let (id, _) = part(Col::Process);
    let mut spans = vec![
        Span::styled("‹ esc ", theme.tone(Tone::Dim)),
        Span::styled(id.into_owned(), theme.tone(Tone::Strong)),
    ];
    for col in [
        Col::Status,
        Col::Reason,
        Col::Name,
        Col::Document,
        Col::Created,
    ] {
        let (text, tone) = part(col);
        if !text.trim().is_empty() {
            spans.push(Span::raw("  "));
            spans.push(Span::styled(text.into_owned(), theme.tone(tone)));
        }
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let place = format!(" {}/{}", group(pos + 1), group(list.visible_len()));
    let room = usize::from(area.width);
    if used + place.len() < room {
        spans.push(Span::raw(" ".repeat(room - used - place.len())));
        spans.push(Span::styled(place, theme.tone(Tone::Dim)));
    }
    let line = Line::from(spans);
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let line = if super::text::width(&text) > room {
        // Cut at the edge with an ellipsis, never silently; the id leads, so it stays whole.
        let mut kept = Vec::new();
        let mut left = room;
        for span in line.spans {
            let w = span.width();
            if w <= left {
                left -= w;
                kept.push(span);
            } else {
                kept.push(Span::styled(
                    fit(&span.content, left).into_owned(),
                    span.style,
                ));
                break;
            }
        }
        Line::from(kept)
    } else {
        line
    };
    frame
        .buffer_mut()
        .set_line(area.x, area.y, &line, area.width);
}

/// The date column's header names the zone its times are in: `created -05`; in a narrow column
/// (which shows the day only) `date -05`, or the zone alone (`Madrid`): which zone matters more
/// than the word, since it decides the day.
fn created_header(zone: &str, width: usize) -> Cow<'static, str> {
    ["created", "date", ""]
        .into_iter()
        .map(|word| format!("{word} {zone}").trim_start().to_owned())
        .find(|header| super::text::width(header) <= width)
        .unwrap_or_else(|| format!("created {zone}"))
        .into()
}

/// `--watch`: ` · 3 new` until they are seen, and ` · watch ⚠` while polls fail (backing off).
fn watch_part(app: &App) -> String {
    let mut part = String::new();
    if app.watch_unseen() > 0 {
        part.push_str(&format!(" · {} new", group(app.watch_unseen())));
    }
    if app.watch_failing() {
        part.push_str(" · watch ⚠");
    }
    part
}

/// `1,204 processes` when done, `loaded 1,204 · loading…` while loading, plus what filters apply
/// and where the cursor is.
fn title(app: &App) -> Line<'static> {
    let list = app.list();
    let loading = app.loading();
    let total = group(list.len());
    let mut t = if loading.error.is_some() {
        format!(" loaded {total} · load failed (r retries)")
    } else if loading.loading {
        format!(" loaded {total} · loading…")
    } else {
        let noun = if list.len() == 1 {
            "process"
        } else {
            "processes"
        };
        format!(" {total} {noun}")
    };
    if loading.skipped > 0 {
        t.push_str(&format!(" · {} skipped", loading.skipped));
    }
    t.push_str(&watch_part(app));
    if list.status_filter() != StatusFilter::All {
        t.push_str(&format!(" · {} only", list.status_filter().label()));
    }
    if !list.filter().is_empty() {
        t.push_str(&format!(" · /{}", terminal_text(list.filter())));
    }
    if list.sort() != SortOrder::NewestFirst {
        t.push_str(&format!(" · {}", list.sort().label()));
    }
    if let Some(c) = list.cursor() {
        t.push_str(&format!(
            " · {}/{}",
            group(c + 1),
            group(list.visible_len())
        ));
    }
    super::review::title_part(app, &mut t);
    t.push(' ');
    Line::from(Span::styled(t, Style::new().add_modifier(Modifier::BOLD)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_created_header_keeps_the_zone_when_cut() {
        assert_eq!(created_header("-05", 16), "created -05");
        assert_eq!(created_header("Madrid", 14), "created Madrid");
        assert_eq!(created_header("UTC", 10), "date UTC");
        assert_eq!(created_header("Madrid", 10), "Madrid");
        // Too narrow even for the zone: the cell cuts the full header with an ellipsis.
        assert_eq!(
            created_header("America/Argentina", 10),
            "created America/Argentina"
        );
    }
}
