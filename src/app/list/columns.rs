//! The process list's columns as pure geometry: which columns a row of a given width shows, and
//! how wide each is, from what the loaded rows hold.
//!
//! The app needs this as much as the ui does: the list pane's width follows its content (the
//! layout asks [`wanted`] and [`essential`]), and a process id is never cut, so the layout must
//! know how wide the ids are before it splits the screen.

use crate::api::model::ProcessSummary;
use crate::api::model::reasons;

/// A column of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    Created,
    Status,
    Process,
    Name,
    Document,
    Reason,
    Country,
    User,
    Flow,
}

/// The columns in display order.
pub const ORDER: [Col; 9] = [
    Col::Created,
    Col::Status,
    Col::Process,
    Col::Name,
    Col::Document,
    Col::Reason,
    Col::Country,
    Col::User,
    Col::Flow,
];

impl Col {
    pub fn header(self) -> &'static str {
        match self {
            Col::Created => "created",
            Col::Status => "status",
            Col::Process => "process id",
            Col::Name => "name",
            Col::Document => "document",
            Col::Reason => "reason",
            Col::Country => "cc",
            Col::User => "user",
            Col::Flow => "flow",
        }
    }

    fn index(self) -> usize {
        ORDER.iter().position(|c| *c == self).unwrap_or(0)
    }
}

/// Cells of the review desk's mark column (drawn by `ui::review`), its gap included.
pub const MARKS: usize = 6;

/// `✗ failure`, `… pending`: the status column's text is at most this wide.
const STATUS: usize = 9;
/// `2024-03-05 10:20` whole, or its date alone.
const CREATED: usize = 16;
const CREATED_SHORT: usize = 10;
/// The reason is the one column that may be cut (it ends in `…`): from this width on, where a
/// known reason's short form still tells it from every other (see `api::model::reasons`).
const REASON_MIN: usize = reasons::SHORT_DISTINCT + 1;
/// Room for every known reason's short form whole; an unknown code gets up to this much early.
const REASON_READABLE: usize = 24;
const REASON_MAX: usize = 48;
const NAME_MIN: usize = 12;
const NAME_MAX: usize = 28;
const DOCUMENT_MAX: usize = 18;
const USER: (usize, usize) = (10, 20);
const FLOW: (usize, usize) = (8, 20);

/// The widest value of each column over every loaded row, in cells. It only grows, so the
/// columns do not jump while a filter narrows the rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ContentWidths {
    pub process: usize,
    /// The widest reason in words (see [`reason_text`]).
    pub reason: usize,
    /// The widest reason in its short form: what a narrow column needs to show every reason
    /// whole.
    pub reason_short: usize,
    pub name: usize,
    pub document: usize,
    pub country: usize,
    pub user: usize,
    pub flow: usize,
}

fn cells(s: Option<&str>) -> usize {
    s.map_or(0, |s| s.chars().count())
}

impl ContentWidths {
    pub fn add_row(&mut self, row: &ProcessSummary) {
        self.process = self.process.max(cells(row.process_id.as_deref()));
        if let Some(code) = reason(row) {
            self.reason = self.reason.max(reasons::full_width(code));
            self.reason_short = self.reason_short.max(reasons::short_width(code));
        }
        self.country = self.country.max(cells(row.country.as_deref()));
        self.user = self.user.max(cells(row.client_user_id.as_deref()));
        self.flow = self.flow.max(cells(row.flow_id.as_deref()));
    }

    pub fn add_person(&mut self, name: Option<&str>, document: Option<&str>) {
        self.name = self.name.max(cells(name));
        self.document = self.document.max(cells(document));
    }

    /// The process id column: exactly the widest id (its header is narrower).
    fn process_width(&self) -> usize {
        self.process.max(Col::Process.header().len())
    }
}

/// The most specific reason a row gives that is not blank: declined, failure status, expired.
pub fn reason(row: &ProcessSummary) -> Option<&str> {
    [
        row.declined_reason.as_deref(),
        row.failure_status.as_ref().map(|f| f.as_str()),
        row.expired_reason.as_deref(),
    ]
    .into_iter()
    .flatten()
    .find(|s| !s.trim().is_empty())
}

/// The reason a column `width` cells wide shows for `row`: in words when every row's reason fits
/// in words, else the short form that still tells it from the others (one form for the whole
/// column, so the rows read alike); a code not known as the code Truora sent.
pub fn reason_text<'a>(row: &'a ProcessSummary, width: usize, content: &ContentWidths) -> &'a str {
    let room = if content.reason <= width {
        usize::MAX
    } else {
        0
    };
    reason(row).map_or("", |code| reasons::for_width(code, room))
}

/// Column widths (0: not shown) for a row of `total` cells with one-cell gaps, in [`ORDER`].
///
/// What a reviewer needs comes first and is never cut: the whole process id and the status;
/// then the start of the reason (from [`REASON_MIN`] cells, where known reasons' short forms
/// already differ), the person's name, the date, its time, the reason whole; then the document
/// number and the reason in words, the country, the user and the flow as room allows. Room left over
/// stays blank at the end (the layout gives the list only what it wants when it can).
pub fn widths(total: usize, content: &ContentWidths) -> [usize; 9] {
    let mut plan = Plan {
        w: [0; 9],
        left: total,
        total,
    };
    let id = content.process_width();
    if total < id {
        // Only a terminal below the minimum size gets here (the layout keeps the id whole).
        plan.w[Col::Process.index()] = total;
        return plan.w;
    }
    plan.add(Col::Process, id);
    plan.add(Col::Status, STATUS);
    plan.add(Col::Reason, REASON_MIN);
    if content.name > 0 {
        plan.add(Col::Name, NAME_MIN.min(content.name.max(4)));
    }
    plan.add(Col::Created, CREATED_SHORT);
    // The time comes whole or not at all.
    if plan.left >= CREATED - CREATED_SHORT {
        plan.grow(Col::Created, CREATED);
    }
    plan.grow(
        Col::Reason,
        REASON_READABLE.min(content.reason_short.max(REASON_MIN)),
    );
    if content.document > 0 {
        plan.add(
            Col::Document,
            content
                .document
                .clamp(Col::Document.header().len(), DOCUMENT_MAX),
        );
    }
    plan.grow(Col::Name, content.name.min(NAME_MAX));
    plan.grow(Col::Reason, content.reason.min(REASON_MAX));
    if content.country > 0 {
        plan.add(Col::Country, content.country.clamp(2, 3));
    }
    for (col, width, (min, max)) in [
        (Col::User, content.user, USER),
        (Col::Flow, content.flow, FLOW),
    ] {
        if width > 0 {
            plan.add(col, width.min(min));
            plan.grow(col, width.min(max));
        }
    }
    plan.w
}

/// The cells a row needs to show every column it has whole (up to each column's cap).
pub fn wanted(content: &ContentWidths) -> usize {
    let w = widths(usize::MAX / 2, content);
    used(&w)
}

/// The cells a row needs for what must always show: the whole id, the status, the date and a
/// readable start of the reason.
pub fn essential(content: &ContentWidths) -> usize {
    content.process_width() + 1 + STATUS + 1 + REASON_MIN + 1 + CREATED_SHORT
}

/// Cells taken by widths with their gaps.
pub fn used(w: &[usize; 9]) -> usize {
    let shown = w.iter().filter(|&&x| x > 0).count();
    w.iter().sum::<usize>() + shown.saturating_sub(1)
}

struct Plan {
    w: [usize; 9],
    left: usize,
    total: usize,
}

impl Plan {
    /// Shows `col` at `width` if it fits with its gap.
    fn add(&mut self, col: Col, width: usize) {
        let gap = usize::from(self.left != self.total);
        if width > 0 && self.left >= width + gap {
            self.w[col.index()] = width;
            self.left -= width + gap;
        }
    }

    /// Widens a shown column towards `to`.
    fn grow(&mut self, col: Col, to: usize) {
        let i = col.index();
        if self.w[i] > 0 {
            let by = to.saturating_sub(self.w[i]).min(self.left);
            self.w[i] += by;
            self.left -= by;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> ContentWidths {
        ContentWidths {
            process: 35,
            reason: 32,
            reason_short: 12,
            name: 20,
            document: 10,
            country: 2,
            user: 12,
            flow: 35,
        }
    }

    #[test]
    fn columns_fit_and_the_id_is_never_cut() {
        let content = demo();
        for total in 0..260 {
            let w = widths(total, &content);
            assert!(used(&w) <= total.max(1), "{total}: {w:?}");
            if total >= 35 {
                assert_eq!(w[Col::Process.index()], 35, "{total}: {w:?}");
            }
        }
        // An 80-column terminal's list (76 cells of row) shows id, status and reason, then the
        // name when rows have one, else the date.
        let w = widths(76, &content);
        for col in [Col::Process, Col::Status, Col::Reason, Col::Name] {
            assert!(w[col.index()] > 0, "{col:?} in {w:?}");
        }
        let nameless = ContentWidths { name: 0, ..content };
        assert!(widths(76, &nameless)[Col::Created.index()] > 0);
        assert!(essential(&content) <= 76);
        assert_eq!(used(&widths(wanted(&content), &content)), wanted(&content));
    }

    #[test]
    fn known_reasons_read_whole_beside_the_date_at_80_and_160_columns() {
        let content = ContentWidths {
            reason_short: reasons::SHORT_MAX,
            ..demo()
        };
        // 80 columns (76 cells of row) and a 160-column side-by-side list with the desk's marks
        // (79 cells): every short form whole.
        for total in [76, 79] {
            let w = widths(total, &content);
            assert!(
                w[Col::Reason.index()] >= reasons::SHORT_MAX,
                "{total}: {w:?}"
            );
        }
        let w = widths(79, &ContentWidths { name: 0, ..content });
        assert!(w[Col::Created.index()] > 0, "{w:?}");
    }

    #[test]
    fn the_name_column_only_when_a_row_has_one() {
        let mut content = demo();
        content.name = 0;
        content.document = 0;
        let w = widths(200, &content);
        assert_eq!(w[Col::Name.index()], 0);
        assert_eq!(w[Col::Document.index()], 0);
        let w = widths(200, &demo());
        assert_eq!((w[Col::Name.index()], w[Col::Document.index()]), (20, 10));
    }
}
