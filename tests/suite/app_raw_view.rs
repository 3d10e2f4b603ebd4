//! The raw JSON view's keys: scrolling counts wrapped rows (no scrolling past the end, `G` is the
//! real end), `w` toggles wrapping, `h`/`l` scroll sideways while lines are cut.

use crate::app_support;

use std::collections::BTreeMap;

use app_support::*;
use serde_json::json;
use truora_tui::api::model::ProcessResult;
use truora_tui::app::overlays::{Overlay, RawView};
use truora_tui::app::{App, AppOptions, Message};
use truora_tui::keymap::Keymap;

/// A process whose raw JSON has forty long lines: a list of 200-letter strings.
fn long_app(opts: AppOptions) -> App {
    app_with_result(
        opts,
        json!({
            "process_id": "IDP00",
            "status": "failure",
            "notes": vec!["a".repeat(200); 40],
            "validations": []
        }),
    )
}

/// The browser at 80×24 on ten processes, the first one's result `value`.
fn app_with_result(opts: AppOptions, value: serde_json::Value) -> App {
    let mut app = App::new(opts);
    app.start();
    app.handle_message(Message::Resize {
        width: 80,
        height: 24,
    });
    app.handle_message(page_message(&app, ten(), false));
    let result = ProcessResult::from_value(value).expect("parses");
    app.handle_message(result_message(&app, "IDP00", std::sync::Arc::new(result)));
    app
}

fn raw(app: &App) -> &RawView {
    match app.overlay() {
        Overlay::Raw(raw) => raw,
        other => panic!("the raw view is not open: {other:?}"),
    }
}

/// At 80×24 the raw view is 78 cells wide and 20 rows high (the body less its border).
const WIDTH: usize = 78;
const ROWS: usize = 20;

#[test]
fn g_goes_to_the_real_end_of_wrapped_lines_and_no_further() {
    let mut app = long_app(AppOptions::default());
    // From the list, `v` shows the whole result.
    press(&mut app, "v");
    let lines = raw(&app).lines.len();
    assert!(raw(&app).wrap, "long lines wrap by default");
    // Each `    "a…a",` line (207 cells) wraps into three rows at 78 cells.
    assert_eq!(
        RawView::wrapped(&raw(&app).lines, WIDTH).len(),
        lines + 2 * 40
    );
    press(&mut app, "G");
    assert_eq!(raw(&app).scroll, lines + 2 * 40 - ROWS);
    press(&mut app, "j pgdn");
    assert_eq!(raw(&app).scroll, lines + 2 * 40 - ROWS, "not past the end");
    press(&mut app, "g");
    assert_eq!(raw(&app).scroll, 0);
}

#[test]
fn w_cuts_long_lines_and_h_l_scroll_sideways() {
    let mut app = long_app(AppOptions::default());
    press(&mut app, "v l");
    assert_eq!(raw(&app).column, 0, "wrapped: nothing to the side");
    let info = app.status().info.clone().unwrap_or_default();
    assert!(info.contains("w cuts them"), "{info}");

    press(&mut app, "w");
    assert!(!raw(&app).wrap);
    let lines = raw(&app).lines.len();
    press(&mut app, "G");
    assert_eq!(raw(&app).scroll, lines - ROWS, "cut, a line is a row");
    press(&mut app, "l");
    assert_eq!(raw(&app).column, WIDTH / 2, "half a view at a time");
    press(&mut app, "right right right right right right");
    assert_eq!(
        raw(&app).column,
        207 - WIDTH,
        "the longest line's end at the right edge, no further"
    );
    press(&mut app, "h left");
    assert_eq!(raw(&app).column, 207 - WIDTH - WIDTH);
    // Wrapping again starts at the left edge, on the same line.
    let top = raw(&app).scroll;
    press(&mut app, "w");
    assert!(raw(&app).wrap);
    assert_eq!(raw(&app).column, 0);
    let rows = RawView::wrapped(&raw(&app).lines, WIDTH);
    assert_eq!(rows[raw(&app).scroll].line, top);
    assert!(!rows[raw(&app).scroll].continued);
}

#[test]
fn w_outside_the_raw_view_says_where_it_acts() {
    let mut app = long_app(AppOptions::default());
    press(&mut app, "w");
    let info = app.status().info.clone().unwrap_or_default();
    assert!(info.contains("raw JSON view (v opens it)"), "{info}");
    assert_eq!(*app.overlay(), Overlay::None);
}

#[test]
fn the_wrap_key_can_be_remapped() {
    let keys: BTreeMap<String, Vec<String>> =
        BTreeMap::from([("wrap".to_owned(), vec!["W".to_owned()])]);
    let (keymap, problems) = Keymap::from_config(&keys);
    assert!(problems.is_empty(), "{problems:?}");
    let mut app = long_app(AppOptions {
        keymap,
        ..AppOptions::default()
    });
    press(&mut app, "v w");
    assert!(raw(&app).wrap, "w is no longer the wrap key");
    press(&mut app, "W");
    assert!(!raw(&app).wrap);
}

#[test]
fn privacy_mode_scrolls_by_the_masked_text() {
    // A personal value of 300 letters wraps into six rows; masked it is `•••`, one row. The
    // rows scrolled through are the ones drawn: the masked ones.
    let mut app = app_with_result(
        AppOptions::default(),
        json!({
            "process_id": "IDP00",
            "first_name": "A".repeat(300),
            "notes": vec!["a".repeat(200); 40],
        }),
    );
    press(&mut app, "v G");
    let lines = raw(&app).lines.len();
    // `  "first_name": "A…A",`: the key on its row, then the 303-cell value in rows of 74
    // (under an indent of two and `↪ `): six rows.
    assert_eq!(raw(&app).scroll, lines + 2 * 40 + 5 - ROWS);
    press(&mut app, "esc P v G");
    assert_eq!(raw(&app).scroll, lines + 2 * 40 - ROWS, "masked, one row");
}

/// Every row the raw view shows, scrolled from the top to the end.
fn whole_view(app: &mut App) -> String {
    press(app, "g");
    let mut seen = String::new();
    let mut last = String::new();
    loop {
        let now = screen(app, 80, 24);
        if now == last {
            return seen;
        }
        seen.push_str(&now);
        last = now;
        press(app, "pgdn");
    }
}

#[test]
fn p_toggles_privacy_in_the_raw_view_and_masks_it_at_once() {
    let mut app = app_with_result(AppOptions::default(), rich_json("IDP00"));
    press(&mut app, "v");
    assert!(whole_view(&mut app).contains("Pérez"));
    press(&mut app, "P");
    assert!(app.private(), "P works with the raw view open");
    assert!(
        matches!(app.overlay(), Overlay::Raw(_)),
        "and the view stays"
    );
    let masked = whole_view(&mut app);
    assert!(masked.contains("◼ PRIVATE"), "{masked}");
    for personal in ["Pérez", "1234567", "10.0.0.1"] {
        assert!(!masked.contains(personal), "{personal} shown:\n{masked}");
    }
    press(&mut app, "P");
    assert!(!app.private());
    assert!(whole_view(&mut app).contains("Pérez"), "unmasked at once");
}

#[test]
fn no_signed_image_link_is_on_screen_while_private() {
    let mut app = app_with_result(AppOptions::default(), rich_json("IDP00"));
    press(&mut app, "v");
    let open = whole_view(&mut app);
    assert!(open.contains("doc-front.jpg?X-Amz-Expires=900"), "{open}");
    press(&mut app, "esc P v");
    let private = whole_view(&mut app);
    for link in ["X-Amz", "doc-front.jpg", "doc-reverse.jpg", "selfie.jpg"] {
        assert!(!private.contains(link), "{link} on screen:\n{private}");
    }
    assert!(private.contains("https://s3.example/•••"), "{private}");
    // Opened with privacy already on, from a node inside the tree: the same.
    press(&mut app, "esc tab x v");
    let node = whole_view(&mut app);
    assert!(!node.contains("X-Amz"), "{node}");
}
