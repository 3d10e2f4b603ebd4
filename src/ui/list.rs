//! The process list pane: only the rows in view are formatted, whatever the list's size.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{cell, status_word};
use super::{Panes, Theme, focused, inner};
use crate::api::model::ProcessSummary;
use crate::app::list::{SortOrder, StatusFilter};
use crate::app::tree::Tone;
use crate::app::{App, Focus};
use crate::date::zone::TimeStyle;
use crate::sanitize::terminal_text;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Created,
    Status,
    Reason,
    Country,
    Process,
    User,
    Flow,
}

/// (column, header, min width, preferred width), in display order.
const COLS: [(Col, &str, usize, usize); 7] = [
    (Col::Created, "created", 10, 16),
    (Col::Status, "status", 9, 9),
    (Col::Reason, "reason", 10, 32),
    (Col::Country, "cc", 2, 2),
    (Col::Process, "process id", 12, 35),
    (Col::User, "user", 10, 20),
    (Col::Flow, "flow", 8, 20),
];

/// Column widths for a row of `total` cells (one-cell gaps). What a reviewer needs comes first:
/// status, date, reason, process id and country at their minimum; then the date gets its time;
/// then the reason, the id, the user and the flow as room allows; anything left over widens the
/// reason.
fn widths(total: usize) -> [usize; 7] {
    let pos = |c: Col| COLS.iter().position(|(k, ..)| *k == c).unwrap_or(0);
    let mut w = [0usize; 7];
    let mut avail = total;
    let add = |w: &mut [usize; 7], c: Col, width: usize, avail: &mut usize| {
        let need = width + usize::from(*avail != total);
        if *avail >= need {
            w[pos(c)] = width;
            *avail -= need;
        }
    };
    for c in [
        Col::Status,
        Col::Created,
        Col::Reason,
        Col::Process,
        Col::Country,
    ] {
        add(&mut w, c, COLS[pos(c)].2, &mut avail);
    }
    let created = pos(Col::Created);
    if w[created] > 0 && avail >= 6 {
        w[created] = 16;
        avail -= 6;
    }
    // Grow in steps of importance: a readable reason, the whole process id, the user, then
    // the rest of the reason, then the flow.
    let grow = |w: &mut [usize; 7], c: Col, to: usize, avail: &mut usize| {
        let i = pos(c);
        if w[i] > 0 {
            let by = to.saturating_sub(w[i]).min(*avail);
            w[i] += by;
            *avail -= by;
        }
    };
    grow(&mut w, Col::Reason, 26, &mut avail);
    grow(&mut w, Col::Process, COLS[pos(Col::Process)].3, &mut avail);
    add(&mut w, Col::User, COLS[pos(Col::User)].2, &mut avail);
    grow(&mut w, Col::Reason, COLS[pos(Col::Reason)].3, &mut avail);
    grow(&mut w, Col::User, COLS[pos(Col::User)].3, &mut avail);
    let flow = pos(Col::Flow);
    if avail > COLS[flow].3 {
        add(&mut w, Col::Flow, COLS[flow].3, &mut avail);
    } else {
        add(&mut w, Col::Flow, COLS[flow].2, &mut avail);
    }
    let reason = pos(Col::Reason);
    if w[reason] > 0 {
        w[reason] += avail;
    }
    w
}

fn value<'a>(app: &App, row: &'a ProcessSummary, col: Col) -> (std::borrow::Cow<'a, str>, Tone) {
    fn text(s: Option<&str>) -> std::borrow::Cow<'_, str> {
        terminal_text(s.unwrap_or(""))
    }
    let private = app.private();
    match col {
        Col::Created => {
            let zone = app.time_zone();
            match text(row.creation_date.as_deref()) {
                std::borrow::Cow::Borrowed(d) => (zone.show(d, TimeStyle::Column), Tone::Plain),
                std::borrow::Cow::Owned(d) => {
                    let shown = zone.show(&d, TimeStyle::Column).into_owned();
                    (shown.into(), Tone::Plain)
                }
            }
        }
        Col::Status => status_word(row.status.as_ref()),
        Col::Reason => {
            // The most specific reason that is not blank.
            let reason = [
                row.declined_reason.as_deref(),
                row.failure_status.as_ref().map(|f| f.as_str()),
                row.expired_reason.as_deref(),
            ]
            .into_iter()
            .flatten()
            .find(|s| !s.trim().is_empty());
            (text(reason), Tone::Bad)
        }
        Col::Country => (text(row.country.as_deref()), Tone::Plain),
        Col::Process => (text(row.process_id.as_deref()), Tone::Plain),
        Col::User if private => (
            crate::privacy::mask_field("client_user_id", &text(row.client_user_id.as_deref()))
                .into_owned()
                .into(),
            Tone::Dim,
        ),
        Col::User => (text(row.client_user_id.as_deref()), Tone::Dim),
        Col::Flow => (text(row.flow_id.as_deref()), Tone::Dim),
    }
}

pub(super) fn draw(app: &App, frame: &mut Frame, panes: &Panes, theme: &Theme) {
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
    let mark_w = if marks { super::review::MARK_WIDTH } else { 0 };
    let widths = widths((usize::from(area.width) - 2).saturating_sub(mark_w));
    let mark_header = if marks { "mark  " } else { "" };
    let header: Vec<Span> = [
        Span::raw("  "),
        Span::styled(mark_header, theme.tone(Tone::Strong)),
    ]
    .into_iter()
    .chain(
        COLS.iter()
            .zip(widths)
            .filter(|(_, w)| *w > 0)
            .map(|((col, name, ..), w)| {
                let name = match col {
                    Col::Created => created_header(app.time_zone().label(), w),
                    _ => (*name).into(),
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
        for ((col, ..), w) in COLS.iter().zip(widths) {
            if w > 0 {
                let (mut text, tone) = value(app, row, *col);
                if *col == Col::Created && w < 16 {
                    text = text.chars().take(w).collect::<String>().into();
                }
                spans.push(Span::styled(
                    format!("{} ", cell(&text, w)),
                    theme.tone(tone),
                ));
            }
        }
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

/// The date column's header names the zone its times are in: `created -05`; in a narrow column
/// (which shows the day only) `date -05`, or the zone alone (`Madrid`): which zone matters more
/// than the word, since it decides the day.
fn created_header(zone: &str, width: usize) -> std::borrow::Cow<'static, str> {
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

/// 100000 → `100,000`.
pub(super) fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_the_width() {
        for total in 0..200 {
            let w = widths(total);
            let used: usize =
                w.iter().sum::<usize>() + w.iter().filter(|&&x| x > 0).count().saturating_sub(1);
            assert!(used <= total.max(1), "{total}: {w:?}");
        }
        // An 80-column terminal's list still shows the date, the status and the reason.
        let w = widths(32);
        assert!(w[0] >= 10 && w[1] == 9 && w[2] >= 10, "{w:?}");
        assert_eq!(group(100000), "100,000");
    }

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
