//! Property tests: random inputs over random data never panic and keep the state consistent.

use crate::app_support;

use std::collections::HashSet;

use app_support::*;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use serde_json::{Value, json};
use truora_tui::api::model::{ProcessResult, ProcessSummary, Status};
use truora_tui::app::cache::Lru;
use truora_tui::app::cursor::{Cursor, Movement, page_rows};
use truora_tui::app::layout::{MIN_SIZE, Panes, layout};
use truora_tui::app::list::StatusFilter;
use truora_tui::app::tree::Tree;
use truora_tui::app::tree::build::build;
use truora_tui::app::{App, Job, Message, ResultView};
use truora_tui::date::zone::DisplayZone;

fn summary_strategy() -> impl Strategy<Value = ProcessSummary> {
    (
        prop::option::of("[a-cA-C0-9]{1,4}"),
        prop::sample::select(vec!["success", "failure", "pending", "weird", ""]),
        prop::option::of("20[0-9]{2}-0[1-9]-1[0-9]T1[0-9]:00:00Z|garbage"),
        prop::option::of("[a-c_]{0,6}"),
        prop::sample::select(vec!["CO", "MX", "co", ""]),
    )
        .prop_map(|(id, status, date, reason, country)| {
            let v = json!({"process_id": id, "status": status, "creation_date": date,
                "declined_reason": reason, "country": country});
            ProcessSummary::from_object(v.as_object().expect("object"))
        })
}

fn check_json() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        "valid", "invalid", "skipped", "pending", "failed", "odd",
    ])
    .prop_map(|r| json!({"validation_name": "c", "result": r, "message": "m"}))
}

fn validation_json() -> impl Strategy<Value = Value> {
    (
        prop::sample::select(vec!["document-validation", "face-recognition", "x"]),
        prop::sample::select(vec!["success", "failure", "pending"]),
        prop::collection::vec(prop::collection::vec(check_json(), 0..4), 0..4),
        prop::option::of("V[0-9]"),
        any::<bool>(),
    )
        .prop_map(|(t, status, groups, id, image)| {
            let groups: serde_json::Map<String, Value> = groups
                .into_iter()
                .enumerate()
                .map(|(i, g)| (format!("group_{i}"), Value::Array(g)))
                .collect();
            let mut v = json!({"type": t, "validation_status": status, "validation_id": id,
                "details": {"document_validations": groups}});
            if image {
                v["front_image"] = json!("https://s3.example/f.jpg");
            }
            v
        })
}

fn result_strategy() -> impl Strategy<Value = ProcessResult> {
    (
        prop::collection::vec(validation_json(), 0..5),
        prop::sample::select(vec!["success", "failure"]),
    )
        .prop_map(|(validations, status)| {
            let v = json!({"process_id": "P", "status": status, "validations": validations,
                "metadata": {"a": 1}});
            ProcessResult::from_value(v).expect("object")
        })
}

#[derive(Clone, Debug)]
enum Input {
    Key(&'static str),
    Page(Vec<ProcessSummary>, bool),
    ResultForSelection(Box<ProcessResult>),
    ResultFailed,
    Resize(u16, u16),
    /// The worker gives up the n-th request the app awaits (modulo how many there are).
    Cancel(usize),
}

const KEYS: &[&str] = &[
    "j",
    "k",
    "g",
    "G",
    "pgdn",
    "pgup",
    "n",
    "N",
    "f",
    "o",
    "/",
    "a",
    "c",
    "1",
    "backspace",
    "enter",
    "esc",
    "tab",
    "shift-tab",
    "l",
    "h",
    "space",
    "e",
    "E",
    "x",
    "v",
    "s",
    "S",
    "y",
    "r",
    "?",
    "q",
];

fn input_strategy() -> impl Strategy<Value = Input> {
    prop_oneof![
        6 => prop::sample::select(KEYS).prop_map(Input::Key),
        1 => (prop::collection::vec(summary_strategy(), 0..20), any::<bool>())
            .prop_map(|(rows, more)| Input::Page(rows, more)),
        1 => result_strategy().prop_map(|r| Input::ResultForSelection(Box::new(r))),
        1 => Just(Input::ResultFailed),
        1 => size_strategy().prop_map(|(w, h)| Input::Resize(w, h)),
        1 => (0usize..8).prop_map(Input::Cancel),
    ]
}

/// Terminal sizes: mostly ordinary ones, some huge (a 4K screen at a small font), and the
/// degenerate 0×0 and 1×1.
fn size_strategy() -> impl Strategy<Value = (u16, u16)> {
    prop_oneof![
        4 => (40u16..220, 10u16..70),
        2 => (0u16..=4000, 0u16..=2000),
        1 => (1000u16..=4000, 1000u16..=2000),
        1 => Just((0, 0)),
        1 => Just((1, 1)),
    ]
}

/// Frames this big are drawn at most this many cells, so a case stays fast; the layout itself is
/// checked at the full size.
const MAX_DRAWN_CELLS: u32 = 1_000_000;

fn drawable((w, h): (u16, u16)) -> (u16, u16) {
    let cells = u32::from(w) * u32::from(h);
    if cells <= MAX_DRAWN_CELLS {
        (w, h)
    } else {
        (
            w,
            u16::try_from(MAX_DRAWN_CELLS / u32::from(w)).unwrap_or(h),
        )
    }
}

fn within(inner: Rect, outer: Rect) -> bool {
    inner.x >= outer.x
        && inner.y >= outer.y
        && inner.right() <= outer.right()
        && inner.bottom() <= outer.bottom()
}

/// Every pane lies inside the terminal, the panes tile the screen, and what is inside a pane
/// stays inside it.
fn check_layout(w: u16, h: u16, p: &Panes) {
    let area = Rect::new(0, 0, w, h);
    assert_eq!(p.too_small, w < MIN_SIZE.0 || h < MIN_SIZE.1, "{w}×{h}");
    if p.too_small {
        assert_eq!(p.list_rows() + p.tree_rows() + p.raw_rows(), 0);
        return;
    }
    for r in [p.body, p.status, p.list, p.tree, p.preview] {
        assert!(within(r, area), "{r:?} outside {w}×{h}");
    }
    assert_eq!(p.body.height + p.status.height, h);
    assert_eq!(p.tree.width, p.preview.width);
    assert_eq!(p.preview.y, p.tree.bottom());
    assert_eq!(p.compact, w < 120, "{w}×{h}");
    if p.compact && p.list.width > 0 {
        // One pane at a time: the list alone...
        assert_eq!(p.list, p.body);
        assert_eq!((p.tree.width, p.preview.width), (0, 0));
    } else if p.compact {
        // ...or a bar naming the process above the tree and the preview, full width.
        assert_eq!(p.process_bar.height, 1);
        assert_eq!(p.tree.width, w);
        assert_eq!(p.tree.y, p.process_bar.bottom());
        assert_eq!(p.tree.height + p.preview.height + 1, p.body.height);
    } else {
        assert_eq!(p.list.width + p.tree.width, w);
        assert_eq!(p.tree.height + p.preview.height, p.body.height);
        assert_eq!(p.tree.x, p.list.right());
        assert!(p.tree.width >= 40, "the tree keeps its minimum: {p:?}");
    }
    for r in [p.preview_image, p.preview_info] {
        assert!(within(r, p.preview), "{r:?} outside the preview");
    }
    for r in [p.compare_header]
        .into_iter()
        .chain(p.compare_images)
        .chain(p.compare_labels)
    {
        assert!(within(r, p.body), "{r:?} outside the body");
    }
    assert!(p.compare_images[0].right() <= p.compare_images[1].x);
    assert!(p.raw_rows() > 0);
    assert!(
        p.list_rows() > 0 || (p.compact && p.tree_rows() > 0),
        "{p:?}"
    );
    assert!(
        p.tree_rows() > 0 || (p.compact && p.list_rows() > 0),
        "{p:?}"
    );
}

fn matches(row: &ProcessSummary, filter: &str, status: StatusFilter) -> bool {
    let status_ok = match status {
        StatusFilter::All => true,
        StatusFilter::Failure => row.status == Some(Status::Failure),
        StatusFilter::Pending => row.status == Some(Status::Pending),
        StatusFilter::Success => row.status == Some(Status::Success),
    };
    let fields = [
        row.process_id.clone(),
        row.client_user_id.clone(),
        row.declined_reason.clone(),
        row.failure_status.as_ref().map(|f| f.as_str().to_owned()),
        row.country.clone(),
    ];
    let text_ok = filter.is_empty()
        || fields
            .iter()
            .flatten()
            .any(|f| f.to_lowercase().contains(&filter.to_lowercase()));
    status_ok && text_ok
}

fn check_invariants(app: &App) {
    let list = app.list();
    let visible = list.visible();
    match list.cursor() {
        None => assert!(visible.is_empty()),
        Some(c) => assert!(c < visible.len(), "cursor {c} of {}", visible.len()),
    }
    let unique: HashSet<_> = visible.iter().collect();
    assert_eq!(unique.len(), visible.len(), "no duplicates");
    for &i in visible {
        let row = list.row(i).expect("visible index is a loaded row");
        assert!(matches(row, list.filter(), list.status_filter()), "{row:?}");
    }
    let shown = (0..list.len() as u32)
        .filter(|&i| {
            matches(
                list.row(i).expect("row"),
                list.filter(),
                list.status_filter(),
            )
        })
        .count();
    assert_eq!(shown, visible.len(), "every matching row is visible");
    if let ResultView::Ready { tree, .. } = app.view() {
        check_tree(tree);
    }
    // Every request is answered exactly once, so what the app awaits is exact: the status bar
    // counts it, nothing loads without a request on its way, and nothing is asked twice.
    let pending: Vec<_> = app.pending_requests().collect();
    assert_eq!(app.status().in_flight, pending.len());
    if let ResultView::Loading { process_id } = app.view() {
        let asked = pending.iter().filter(
            |(_, j)| matches!(j, Job::FetchResult { process_id: p, .. } if p == process_id),
        );
        assert!(
            asked.count() >= 1,
            "loading {process_id} with nothing asked: {pending:?}"
        );
    }
    let pages = pending.iter().filter(|(_, j)| **j == Job::LoadPage).count();
    assert_eq!(pages, usize::from(app.loading().loading), "{pending:?}");
}

fn check_tree(tree: &Tree) {
    let nodes = tree.nodes();
    let visible = tree.visible();
    assert!(!nodes.is_empty() || visible.is_empty());
    if visible.is_empty() {
        return;
    }
    assert!(tree.cursor() < visible.len());
    assert!(
        visible.windows(2).all(|w| w[0] < w[1]),
        "visible rows are in tree order"
    );
    for &i in visible {
        let mut up = nodes[i].parent;
        while let Some(p) = up {
            assert!(
                tree.is_expanded(p),
                "{} is visible under a closed {}",
                nodes[i].id,
                nodes[p].id
            );
            up = nodes[p].parent;
        }
    }
}

#[test]
fn the_layout_fits_the_edge_sizes() {
    let edges = [
        (0, 0),
        (1, 1),
        (79, 24),
        (80, 23),
        (80, 24),
        (159, 24),
        (160, 24),
        (1092, 1092),
        (1093, 1093),
        (1100, 1100),
        (4000, 2000),
    ];
    for (w, h) in edges {
        check_layout(w, h, &layout(Rect::new(0, 0, w, h)));
    }
}

/// The whole app at sizes whose layout used to overflow `u16` (a panic in debug builds), and at
/// sizes with no room at all.
#[test]
fn huge_and_tiny_terminals_draw_and_take_keys() {
    for (w, h) in [(0, 0), (1, 1), (1100, 1100), (4000, 2000)] {
        let (mut app, _) = loaded(ten(), w, h);
        app.handle_message(result_message(&app, "IDP00", rich("IDP00")));
        press(&mut app, "j pgdn tab e G pgup l c esc v esc");
        check_invariants(&app);
        check_layout(w, h, &app.panes());
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        terminal
            .draw(|f| truora_tui::ui::draw(&app, f))
            .expect("draw");
    }
}

/// The process on screen, when its result is asked for and not answered.
fn view_asked(app: &truora_tui::app::App) -> Option<String> {
    let id = app.view().process_id()?.to_owned();
    app.pending_requests()
        .any(|(_, j)| matches!(j, Job::FetchResult { process_id, .. } if *process_id == id))
        .then_some(id)
}

fn movement_strategy() -> impl Strategy<Value = Movement> {
    prop_oneof![
        Just(Movement::Up),
        Just(Movement::Down),
        Just(Movement::ScrollUp),
        Just(Movement::ScrollDown),
        Just(Movement::PageUp),
        Just(Movement::PageDown),
        Just(Movement::Top),
        Just(Movement::Bottom),
        (0usize..400).prop_map(Movement::To),
    ]
}

/// A step of the cursor's life: its rows change, its viewport is laid out, or it moves.
#[derive(Clone, Debug)]
enum CursorStep {
    Rows(usize),
    Layout(usize),
    Move(Movement),
}

fn cursor_step_strategy() -> impl Strategy<Value = CursorStep> {
    prop_oneof![
        (0usize..300).prop_map(CursorStep::Rows),
        (0usize..60).prop_map(CursorStep::Layout),
        movement_strategy().prop_map(CursorStep::Move),
        movement_strategy().prop_map(CursorStep::Move),
    ]
}

/// A cursor on `at` of `len` rows, laid out in a viewport of `height` rows.
fn cursor_at(at: usize, len: usize, height: usize) -> Cursor {
    let mut cursor = Cursor::default();
    cursor.select(at, len);
    cursor.scroll_into_view(height, len);
    cursor
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_inputs_keep_the_app_consistent(
        first in prop::collection::vec(summary_strategy(), 0..30),
        inputs in prop::collection::vec(input_strategy(), 0..40),
    ) {
        let mut app = app();
        app.start();
        app.handle_message(page_message(&app, first, true));
        let mut size = (80u16, 24u16);
        for input in inputs {
            match input {
                Input::Key(k) => { app.handle_key(key(k)); }
                Input::Page(rows, more) => {
                    if app.pending_requests().any(|(_, j)| *j == Job::LoadPage) {
                        app.handle_message(page_message(&app, rows, more));
                    }
                }
                Input::ResultForSelection(r) => {
                    if let Some(id) = view_asked(&app) {
                        app.handle_message(result_message(&app, &id, std::sync::Arc::new(*r)));
                    }
                }
                Input::ResultFailed => {
                    if let Some(id) = view_asked(&app) {
                        app.handle_message(result_failed(&app, &id, not_found("x")));
                    }
                }
                Input::Resize(w, h) => {
                    size = (w, h);
                    app.handle_message(Message::Resize { width: w, height: h });
                }
                Input::Cancel(n) => {
                    let ids: Vec<_> = app.pending_requests().map(|(id, _)| id).collect();
                    if !ids.is_empty() {
                        app.handle_message(Message::Cancelled { id: ids[n % ids.len()] });
                    }
                }
            }
            check_invariants(&app);
        }
        let (w, h) = drawable(size);
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        terminal.draw(|f| truora_tui::ui::draw(&app, f)).expect("draw");
    }

    #[test]
    fn the_layout_fits_any_terminal_up_to_4000_by_2000((w, h) in (0u16..=4000, 0u16..=2000)) {
        check_layout(w, h, &layout(Rect::new(0, 0, w, h)));
    }

    #[test]
    fn tree_operations_keep_the_cursor_on_a_visible_node(
        result in result_strategy(),
        ops in prop::collection::vec(0u8..10, 0..60),
    ) {
        let mut tree = Tree::new(build("P", &result, &Lru::new(4), &DisplayZone::utc()));
        check_tree(&tree);
        for op in ops {
            match op {
                0 => tree.move_selection(Movement::Down),
                1 => tree.move_selection(Movement::Up),
                2 => { tree.toggle(); }
                3 => { tree.right(); }
                4 => tree.left(),
                5 => tree.expand_all(),
                6 => tree.collapse_all(),
                7 => { tree.expand_failures(); }
                8 => { tree.jump_to(true, |n| n.failing); }
                _ => tree.move_selection(Movement::To(tree.cursor() + 7)),
            }
            check_tree(&tree);
            tree.scroll_into_view(5);
            prop_assert!(tree.cursor() >= tree.offset() && tree.cursor() < tree.offset() + 5);
        }
    }

    #[test]
    fn the_cursor_stays_on_a_row_and_in_view(
        steps in prop::collection::vec(cursor_step_strategy(), 0..80),
    ) {
        let (mut cursor, mut len, mut height) = (Cursor::default(), 0, 0);
        for step in steps {
            match step {
                CursorStep::Rows(n) => {
                    len = n;
                    cursor.clamp(len);
                }
                CursorStep::Layout(h) => height = h,
                CursorStep::Move(m) => cursor.move_by(m, len),
            }
            prop_assert!(cursor.selected() < len.max(1), "{cursor:?} of {len}");
            cursor.scroll_into_view(height, len);
            let window = height.max(1);
            prop_assert_eq!(cursor.height(), height);
            prop_assert!(cursor.offset() <= len.saturating_sub(window), "{cursor:?} of {len}");
            if len > 0 {
                prop_assert!(
                    cursor.offset() <= cursor.selected()
                        && cursor.selected() < cursor.offset() + window,
                    "{cursor:?} of {len}"
                );
            }
        }
    }

    #[test]
    fn each_movement_lands_where_it_says(
        len in 1usize..400,
        at in 0usize..400,
        height in 0usize..60,
        movement in movement_strategy(),
    ) {
        let mut cursor = cursor_at(at, len, height);
        let from = cursor.selected();
        let last = len - 1;
        let page = page_rows(height);
        cursor.move_by(movement, len);
        let to = cursor.selected();
        prop_assert!(to <= last);
        match movement {
            Movement::Top => prop_assert_eq!(to, 0),
            Movement::Bottom => prop_assert_eq!(to, last),
            Movement::To(n) => prop_assert_eq!(to, n.min(last)),
            Movement::Down => prop_assert_eq!(to - from, usize::from(from < last)),
            Movement::Up => prop_assert_eq!(from - to, usize::from(from > 0)),
            Movement::ScrollDown => prop_assert_eq!(to - from, (last - from).min(3)),
            Movement::ScrollUp => prop_assert_eq!(from - to, from.min(3)),
            Movement::PageDown => prop_assert_eq!(to - from, (last - from).min(page)),
            Movement::PageUp => prop_assert_eq!(from - to, from.min(page)),
        }
        prop_assert!(page >= 1 && page <= height.max(1), "a page never skips a whole screen");
        if !matches!(movement, Movement::To(_)) {
            let went_forward = if movement.is_forward() { to >= from } else { to <= from };
            prop_assert!(went_forward, "{movement:?} went from {from} to {to}");
        }
    }

    #[test]
    fn a_page_down_and_back_up_returns_unless_it_hit_the_end(
        len in 1usize..400,
        at in 0usize..400,
        height in 0usize..60,
    ) {
        let mut cursor = cursor_at(at, len, height);
        let from = cursor.selected();
        cursor.move_by(Movement::PageDown, len);
        let hit_end = cursor.selected() == len - 1;
        cursor.move_by(Movement::PageUp, len);
        if hit_end {
            prop_assert_eq!(cursor.selected(), (len - 1).saturating_sub(page_rows(height)));
        } else {
            prop_assert_eq!(cursor.selected(), from);
        }
    }

    #[test]
    fn scrolling_moves_the_window_as_little_as_possible(
        len in 1usize..400,
        at in 0usize..400,
        height in 1usize..60,
        movement in movement_strategy(),
    ) {
        let mut cursor = cursor_at(at, len, height);
        let before = cursor.offset();
        cursor.move_by(movement, len);
        cursor.scroll_into_view(height, len);
        let (sel, after) = (cursor.selected(), cursor.offset());
        if (before..before + height).contains(&sel) {
            prop_assert_eq!(after, before, "the selection was already in view");
        } else if sel < before {
            prop_assert_eq!(after, sel, "scrolled up just to the selection");
        } else {
            prop_assert_eq!(after + height - 1, sel, "scrolled down just to the selection");
        }
    }
}
