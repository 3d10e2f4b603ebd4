//! The validation tree through the app: opening at failures, movement, expand/collapse, details.

use crate::app_support;

use app_support::*;
use truora_tui::app::tree::NodeKind;
use truora_tui::app::{Focus, Job, Message, ResultView};

/// An app showing the rich failed process, tree focused.
fn rich_app() -> truora_tui::app::App {
    let (mut app, _) = loaded(
        vec![summary("IDP1", "failure", "2024-03-20T10:00:00Z", "", "CO")],
        120,
        40,
    );
    app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    press(&mut app, "tab");
    assert_eq!(app.focus(), Focus::Tree);
    app
}

#[test]
fn a_failed_process_opens_at_its_first_failing_check_with_every_failure_path_open() {
    let app = rich_app();
    assert_eq!(
        cursor_id(&app).as_deref(),
        Some("v0/g0/1"),
        "{:#?}",
        tree_rows(&app)
    );
    let rows = tree_rows(&app);
    insta::assert_snapshot!(rows.join("\n"));
}

#[test]
fn the_seed_opens_at_its_first_failing_check() {
    let (mut app, _) = loaded(vec![summary("some text", "failure", "", "", "")], 120, 40);
    app.handle_message(result_message(&app, "some text", seed()));
    assert_eq!(cursor_id(&app).as_deref(), Some("v0/g0/1"));
    let rows = tree_rows(&app);
    assert!(
        rows.iter().any(|r| r.contains("photocopy-analysis")),
        "{rows:#?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("override history (1)")),
        "{rows:#?}"
    );
}

#[test]
fn a_successful_process_opens_with_the_process_node_expanded() {
    let (mut app, _) = loaded(vec![summary("OK1", "success", "", "", "")], 120, 40);
    app.handle_message(result_message(&app, "OK1", plain("OK1")));
    assert_eq!(cursor_id(&app).as_deref(), Some("p"));
    assert!(
        tree_rows(&app)
            .iter()
            .any(|r| r.contains("process id: OK1"))
    );
}

#[test]
fn h_and_l_collapse_expand_and_walk_the_hierarchy() {
    let mut app = rich_app();
    press(&mut app, "h"); // on a leaf: go to the group
    assert_eq!(cursor_id(&app).as_deref(), Some("v0/g0"));
    press(&mut app, "h"); // the group is open: close it
    assert_eq!(cursor_id(&app).as_deref(), Some("v0/g0"));
    assert!(!tree_rows(&app).iter().any(|r| r.contains("name_match")));
    press(&mut app, "l"); // open again
    assert!(tree_rows(&app).iter().any(|r| r.contains("name_match")));
    press(&mut app, "l"); // step into the first child
    assert_eq!(cursor_id(&app).as_deref(), Some("v0/g0/0"));
    press(&mut app, "h h h"); // leaf → group → collapse group → validation
    assert_eq!(cursor_id(&app).as_deref(), Some("v0"));
    press(&mut app, "h h"); // collapse the validation, then at the root: back to the list
    assert_eq!(app.focus(), Focus::List);
}

#[test]
fn collapse_all_expand_all_and_expand_to_failures() {
    let mut app = rich_app();
    press(&mut app, "E");
    assert_eq!(
        cursor_id(&app).as_deref(),
        Some("v0"),
        "the cursor climbs to the top-level node"
    );
    assert_eq!(tree_rows(&app).len(), 4, "process, three validations");
    press(&mut app, "e");
    let all = tree_rows(&app).len();
    assert!(all > 30, "{all}");
    assert!(
        !tree_rows(&app)
            .iter()
            .any(|r| r.contains("enter or l to fetch")),
        "unloaded details stay closed"
    );
    press(&mut app, "x");
    assert_eq!(cursor_id(&app).as_deref(), Some("v0/g0/1"));
    assert!(tree_rows(&app).len() < all);
}

#[test]
fn n_in_the_tree_goes_to_the_next_failed_process_and_opens_it_at_its_failure() {
    let rows = vec![
        summary("IDP1", "failure", "2024-03-20T10:00:00Z", "", "CO"),
        summary("OK", "success", "2024-03-19T10:00:00Z", "", "CO"),
        summary("IDP2", "failure", "2024-03-18T10:00:00Z", "", "CO"),
    ];
    let (mut app, _) = loaded(rows, 120, 40);
    app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    press(&mut app, "G");
    app.handle_message(result_message(&app, "IDP2", rich("IDP2")));
    press(&mut app, "g tab j j");
    let cmds = press(&mut app, "n");
    assert!(fetches(&cmds).is_empty(), "cached: {cmds:?}");
    assert_eq!(app.view().process_id(), Some("IDP2"));
    assert_eq!(app.focus(), Focus::Tree);
    assert_eq!(cursor_id(&app).as_deref(), Some("v0/g0/1"));
}

#[test]
fn the_details_node_fetches_once_then_shows_the_details() {
    let mut app = rich_app();
    press(&mut app, "E");
    let cmds = press(&mut app, "l"); // open the document validation
    assert!(cmds.is_empty());
    // Walk to the details node of the document validation.
    let mut guard = 0;
    while cursor_id(&app).as_deref() != Some("v0/d") && guard < 100 {
        press(&mut app, "j");
        guard += 1;
    }
    let cmds = press(&mut app, "enter");
    let fetch = Job::FetchDetails {
        process_id: "IDP1".into(),
        validation_id: "VLD-doc".into(),
    };
    assert_eq!(jobs(&cmds), [&fetch]);
    assert!(tree_rows(&app).iter().any(|r| r.contains("loading…")));
    // Closing and opening again while loading asks nothing more.
    assert!(press(&mut app, "enter enter").is_empty());
    app.handle_message(Message::Details {
        id: asked(&app, "the details", |j| *j == fetch),
        result: Ok(details("VLD-doc")),
    });
    let rows = tree_rows(&app);
    assert!(
        rows.iter().any(|r| r.contains("not in registry")),
        "{rows:#?}"
    );
    assert!(
        rows.iter().any(|r| r.contains("inputs: CO · national-id")),
        "{rows:#?}"
    );
    assert_eq!(
        cursor_id(&app).as_deref(),
        Some("v0/d"),
        "the cursor stayed"
    );
    assert!(
        press(&mut app, "enter enter").is_empty(),
        "loaded: never fetched again"
    );
}

#[test]
fn a_details_error_is_shown_and_reopening_retries() {
    let mut app = rich_app();
    let ResultView::Ready { tree, .. } = app.view() else {
        panic!()
    };
    let pos = tree
        .nodes()
        .iter()
        .position(|n| n.id == "v1/d")
        .expect("face details node");
    assert!(matches!(tree.nodes()[pos].kind, NodeKind::Details { .. }));
    press(&mut app, "E");
    press(&mut app, "j l"); // on v1, open it
    while cursor_id(&app).as_deref() != Some("v1/d") {
        press(&mut app, "j");
    }
    assert_eq!(press(&mut app, "l").len(), 1);
    app.handle_message(Message::Details {
        id: asked(&app, "the details", |j| {
            matches!(j, Job::FetchDetails { .. })
        }),
        result: Err(not_found("VLD-face")),
    });
    assert!(tree_rows(&app).iter().any(|r| r.contains("error:")));
    let again = press(&mut app, "h l");
    assert!(
        matches!(jobs(&again).as_slice(), [Job::FetchDetails { .. }]),
        "{again:?}"
    );
}

#[test]
fn a_refresh_keeps_the_tree_state() {
    let mut app = rich_app();
    press(&mut app, "j");
    let at = cursor_id(&app);
    let cmds = press(&mut app, "r");
    assert_eq!(
        jobs(&cmds)[0],
        &Job::FetchResult {
            process_id: "IDP1".into(),
            refresh: true
        }
    );
    app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    assert_eq!(cursor_id(&app), at);
}

#[test]
fn face_validations_show_similarity_against_threshold() {
    let app = rich_app();
    let rows = tree_rows(&app);
    assert!(
        rows.iter()
            .any(|r| r.contains("face-recognition")
                && r.contains("similarity 0.41 / threshold 0.65")),
        "{rows:#?}"
    );
}

/// The visible positions of the cursor and of its parent, the first row drawn, and the rows.
fn scroll_state(app: &truora_tui::app::App) -> (usize, Option<usize>, usize, usize) {
    let ResultView::Ready { tree, .. } = app.view() else {
        panic!("no tree")
    };
    let parent = tree
        .cursor_node()
        .and_then(|n| n.parent)
        .and_then(|p| tree.visible().iter().position(|&i| i == p));
    (
        tree.cursor(),
        parent,
        tree.offset(),
        app.panes().tree_rows(),
    )
}

#[test]
fn after_a_resize_the_cursor_and_its_parent_stay_in_view() {
    let mut app = rich_app();
    press(&mut app, "e");
    let rows = tree_rows(&app).len();
    let mut checked = 0;
    // Walk up from the bottom of a short pane (the cursor reaches the top line with its parent
    // above), then resize to another short pane at each step.
    for (width, height) in [(100, 27), (80, 24)] {
        app.handle_message(Message::Resize { width, height });
        press(&mut app, "G");
        for _ in 0..rows {
            press(&mut app, "k");
            for size in [(width + 7, height + 3), (width, height)] {
                app.handle_message(Message::Resize {
                    width: size.0,
                    height: size.1,
                });
                let (cursor, parent, offset, shown) = scroll_state(&app);
                assert!(
                    offset <= cursor && cursor < offset + shown,
                    "cursor {cursor} outside {offset}+{shown}"
                );
                if let Some(parent) = parent.filter(|&p| cursor - p < shown) {
                    assert!(
                        offset <= parent,
                        "{size:?}: parent row {parent} of cursor {cursor} is above the first row \
                         drawn, {offset}\n{:#?}",
                        tree_rows(&app)
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 20, "{checked}");
}
