//! Long text is never cut silently: the tree's cursor row wraps whole and other rows end in `…`;
//! the raw JSON view wraps long lines (a signed URL) or cuts them with `…` and scrolls sideways.
//! Whole screens as snapshots, plus the facts behind them checked on the drawn text.

use crate::app_support;

use std::sync::Arc;

use app_support::*;
use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use truora_tui::api::model::ProcessResult;
use truora_tui::app::App;
use truora_tui::app::overlays::Overlay;

/// The demo's longest check message, on the check the cursor opens on.
const LONG_MESSAGE: &str = "The document image shows signs of having been generated digitally";
/// Another, on a check below it (not under the cursor).
const OTHER_MESSAGE: &str =
    "The image is too blurry to read the document number and the holder's name reliably";
/// A pre-signed S3 link as Truora sends them: one word of 300-odd characters.
const SIGNED_URL: &str = "https://truora-di-demo.s3.amazonaws.com/IDP1/VLD-doc/front_image.jpg\
    ?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIADEMO%2F20240320%2Fus-east-1%2Fs3%2F\
    aws4_request&X-Amz-Date=20240320T100000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host\
    &X-Amz-Signature=0f3c9a7d5e2b41c8a6f09d3e7b5c1a2f4e6d8b0c9a7f5e3d1b2c4a6e8f0d2b4c";

fn long_result(expiry_message: &str) -> Arc<ProcessResult> {
    let mut v = rich_json("IDP1");
    let doc = &mut v["validations"][0];
    doc["details"]["document_validations"]["data_consistency"][1]["message"] =
        expiry_message.into();
    doc["details"]["document_validations"]["image_analysis"][0]["message"] = OTHER_MESSAGE.into();
    doc["front_image"] = SIGNED_URL.into();
    Arc::new(ProcessResult::from_value(v).expect("parses"))
}

/// One failed process, loaded, at `width`×`height`; the tree opens on the expiry check, whose
/// message is `expiry_message`.
fn app_with(expiry_message: &str, width: u16, height: u16) -> App {
    let rows = vec![summary(
        "IDP1",
        "failure",
        "2024-03-20T10:00:00Z",
        "document_has_expired",
        "CO",
    )];
    let (mut app, _) = loaded(rows, width, height);
    app.handle_message(result_message(&app, "IDP1", long_result(expiry_message)));
    app
}

fn long_app(width: u16, height: u16) -> App {
    app_with(LONG_MESSAGE, width, height)
}

/// The drawn text of the tree pane, row by row, inside its border.
fn tree_text(app: &App, width: u16, height: u16) -> Vec<String> {
    let tree = app.panes().tree;
    screen(app, width, height)
        .lines()
        .skip(usize::from(tree.y) + 1)
        .take(usize::from(tree.height.saturating_sub(2)))
        .map(|line| {
            line.trim_matches('"')
                .chars()
                .skip(usize::from(tree.x) + 1)
                .take(usize::from(tree.width.saturating_sub(2)))
                .collect()
        })
        .collect()
}

/// The tree cursor's label, its parts joined as drawn.
fn cursor_label(app: &App) -> String {
    match app.view() {
        truora_tui::app::ResultView::Ready { tree, .. } => tree.cursor_node().map(|n| {
            n.parts
                .iter()
                .map(|p| p.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        }),
        _ => None,
    }
    .unwrap_or_default()
}

/// Moves the tree cursor (focused) down until its row's text contains `text`.
fn cursor_to(app: &mut App, text: &str) {
    for _ in 0..60 {
        if cursor_label(app).contains(text) {
            return;
        }
        press(app, "j");
    }
    panic!("no tree row reads {text:?}");
}

/// Moves the tree cursor (focused) up until its row's text contains `text`.
fn cursor_up_to(app: &mut App, text: &str) {
    for _ in 0..60 {
        if cursor_label(app).contains(text) {
            return;
        }
        press(app, "k");
    }
    panic!("no tree row reads {text:?}");
}

/// A left click on row `row` inside the tree pane.
fn click_tree_row(app: &mut App, row: usize) {
    let tree = app.panes().tree;
    app.handle_mouse(MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: tree.x + 10,
        row: tree.y + 1 + u16::try_from(row).expect("fits"),
        modifiers: KeyModifiers::NONE,
    });
}

/// The words of `text` in order in `rows`, however they were wrapped.
fn reads_whole(rows: &[String], text: &str) -> bool {
    let drawn: Vec<&str> = rows.iter().flat_map(|r| r.split_whitespace()).collect();
    let words: Vec<&str> = text.split_whitespace().collect();
    drawn.windows(words.len()).any(|w| w == words.as_slice())
}

#[test]
fn the_tree_wraps_the_cursor_row_80x24() {
    let mut app = long_app(80, 24);
    // A narrow screen shows one pane at a time: tab opens the process's tree.
    press(&mut app, "tab");
    let rows = tree_text(&app, 80, 24);
    assert!(
        reads_whole(&rows, LONG_MESSAGE),
        "the cursor's message is drawn whole:\n{}",
        rows.join("\n")
    );
    // (At 80 columns the tree has the screen's width to itself; rows cut there are checked by
    // `no_tree_row_is_cut_without_an_ellipsis`.)
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn the_tree_wraps_the_cursor_row_200x60() {
    let mut app = long_app(200, 60);
    press(&mut app, "tab");
    cursor_to(&mut app, "too blurry");
    let rows = tree_text(&app, 200, 60);
    assert!(reads_whole(&rows, OTHER_MESSAGE), "{}", rows.join("\n"));
    insta::assert_snapshot!(screen(&app, 200, 60));
}

#[test]
fn no_tree_row_is_cut_without_an_ellipsis() {
    // Everything open, every row visited: a drawn row that reaches the border is a node's whole
    // label or ends in `…`.
    let mut app = long_app(80, 24);
    press(&mut app, "tab e g");
    let (len, labels) = match app.view() {
        truora_tui::app::ResultView::Ready { tree, .. } => (
            tree.visible().len(),
            tree.nodes()
                .iter()
                .map(|n| {
                    n.parts
                        .iter()
                        .map(|p| p.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>(),
        ),
        _ => (0, Vec::new()),
    };
    assert!(len > 20);
    let mut cut = 0;
    for _ in 0..len {
        let rows = tree_text(&app, 80, 24);
        let cursor = cursor_label(&app);
        // The cursor's own rows are its whole label wrapped (checked by the tests above).
        let others = rows
            .iter()
            .filter(|r| !r.starts_with('›') && !cursor.contains(r.trim()));
        for row in others.filter(|r| !r.ends_with(' ')) {
            let text = row
                .trim_start_matches(['›', ' '])
                .trim_start_matches(['▸', '▾', ' ']);
            cut += usize::from(row.ends_with('…'));
            assert!(
                row.ends_with('…') || labels.iter().any(|l| l == text),
                "a row reaches the border without …: {row:?}\n{}",
                rows.join("\n")
            );
        }
        press(&mut app, "j");
    }
    assert!(cut > 0, "some rows at 80 columns are too long for the pane");
}

#[test]
fn the_wrapped_cursor_row_stays_in_view_while_walking_down() {
    let mut app = long_app(80, 24);
    press(&mut app, "tab g");
    cursor_to(&mut app, LONG_MESSAGE);
    let rows = tree_text(&app, 80, 24);
    assert!(reads_whole(&rows, LONG_MESSAGE), "{}", rows.join("\n"));
    assert!(
        rows.iter().any(|r| r.contains("▾ data_consistency")),
        "its parent stays in view with it\n{}",
        rows.join("\n")
    );
    // Coming up from the bottom, the wrapped row is whole too, its parent above it.
    press(&mut app, "G");
    cursor_up_to(&mut app, LONG_MESSAGE);
    let rows = tree_text(&app, 80, 24);
    assert!(reads_whole(&rows, LONG_MESSAGE), "{}", rows.join("\n"));
    let parent = rows.iter().position(|r| r.contains("▾ data_consistency"));
    let cursor = rows.iter().position(|r| r.starts_with('›'));
    assert!(parent < cursor && parent.is_some(), "{}", rows.join("\n"));
}

#[test]
fn a_click_below_the_wrapped_row_lands_on_the_row_drawn_there() {
    for (width, height) in [(200, 60), (80, 24)] {
        let mut app = long_app(width, height);
        // From the bottom up, so the rows under the wrapped one are on screen at 80×24 too.
        press(&mut app, "tab G");
        cursor_up_to(&mut app, "too blurry");
        let rows = tree_text(&app, width, height);
        let end = rows
            .iter()
            .rposition(|r| r.contains("reliably"))
            .expect("the message's last word is drawn");
        assert!(end + 1 < rows.len(), "{}", rows.join("\n"));
        let under = rows[end + 1].clone();
        assert!(under.contains("skipped glare"), "{}", rows.join("\n"));
        click_tree_row(&mut app, end + 1);
        assert!(
            cursor_label(&app).contains("glare"),
            "{width}×{height}: clicked {under:?}, the cursor is on {:?}",
            cursor_label(&app)
        );
        // And a click inside the wrapped row keeps it.
        press(&mut app, "k");
        let rows = tree_text(&app, width, height);
        let inside = rows
            .iter()
            .position(|r| r.contains("reliably"))
            .expect("drawn");
        click_tree_row(&mut app, inside);
        assert!(cursor_label(&app).contains("too blurry"));
    }
}

#[test]
fn privacy_masks_before_wrapping() {
    // Unmasked, the e-mail address would straddle the wrap; masked first, it never reaches the
    // screen in pieces.
    let message = "contact holder ana.perez@example.com before the review ends today";
    let mut app = app_with(message, 80, 24);
    press(&mut app, "tab");
    assert!(reads_whole(&tree_text(&app, 80, 24), message));
    press(&mut app, "P");
    let rows = tree_text(&app, 80, 24);
    let text = rows.join("\n");
    assert!(
        !text.contains("ana.perez") && !text.contains("example.com"),
        "{text}"
    );
    assert!(
        reads_whole(&rows, "contact holder ••• before the review ends today"),
        "{text}"
    );
}

/// The raw JSON of the document validation (its signed front-image link inside), at 100×30.
fn raw_of_the_document(app: &mut App) {
    press(app, "tab g");
    cursor_to(app, "document-validation");
    press(app, "v");
    assert!(matches!(app.overlay(), Overlay::Raw(_)));
}

#[test]
fn the_raw_view_wraps_a_signed_url_whole() {
    let mut app = long_app(100, 30);
    raw_of_the_document(&mut app);
    let text = screen(&app, 100, 30);
    let drawn: String = text
        .lines()
        .map(|l| {
            l.trim_matches('"')
                .trim_matches(|c| c == '│' || c == '┃')
                .trim()
                .trim_start_matches("↪ ")
        })
        .collect();
    assert!(
        drawn.contains(SIGNED_URL),
        "the whole link is on screen:\n{text}"
    );
    assert!(text.contains("↪ "), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn the_raw_view_cut_and_scrolled_sideways() {
    let mut app = long_app(100, 30);
    raw_of_the_document(&mut app);
    press(&mut app, "w");
    let cut = screen(&app, 100, 30);
    assert!(!cut.contains("↪"), "{cut}");
    assert!(
        cut.lines()
            .any(|l| l.contains("front_image") && l.contains("…")),
        "the cut link ends in …:\n{cut}"
    );
    press(&mut app, "l");
    let scrolled = screen(&app, 100, 30);
    insta::assert_snapshot!(scrolled);
    press(&mut app, "l l l l l l");
    let end = screen(&app, 100, 30);
    assert!(
        end.contains("f0d2b4c\","),
        "the link's end is reachable:\n{end}"
    );
    press(&mut app, "h h h h h h h");
    assert_eq!(screen(&app, 100, 30), cut, "h scrolls back to the start");
}

#[test]
fn the_help_wraps_long_descriptions_and_g_reaches_its_end_at_80x24() {
    let mut app = long_app(80, 24);
    press(&mut app, "?");
    let top = screen(&app, 80, 24);
    assert!(
        !top.lines()
            .any(|l| l.contains("┃") && l.matches('┃').count() == 2 && {
                let inner = l.split('┃').nth(1).unwrap_or("");
                !inner.ends_with(' ') && !inner.ends_with('…')
            }),
        "no help row runs into the border:\n{top}"
    );
    press(&mut app, "G");
    let end = screen(&app, 80, 24);
    assert!(
        end.contains("list marks"),
        "the last entry is reachable:\n{end}"
    );
    insta::assert_snapshot!(end);
}

#[test]
fn the_raw_view_title_never_cuts_the_process_id() {
    let id = "IDP89e914d16d4624e02fc6392c59b72c18";
    let (mut app, _) = loaded(
        vec![summary(id, "failure", "2024-03-20T10:00:00Z", "x", "CO")],
        80,
        24,
    );
    let mut v = rich_json(id);
    v["validations"][0]["front_image"] = SIGNED_URL.into();
    let result = Arc::new(ProcessResult::from_value(v).expect("parses"));
    app.handle_message(result_message(&app, id, result));
    for keys in ["tab x v", "w", "l"] {
        press(&mut app, keys);
        let text = screen(&app, 80, 24);
        let title = text.lines().next().unwrap_or_default().to_owned();
        assert!(title.contains(id), "{keys}: {title}");
        assert!(title.contains("lines "), "{keys}: {title}");
    }
}
