//! The process list through the app: paging, selection, filter, status filter, sort, n/N.

use crate::app_support;

use app_support::*;
use truora_tui::app::list::StatusFilter;
use truora_tui::app::{Job, ListPage, Message, ResultView};

fn selected_id(app: &truora_tui::app::App) -> Option<String> {
    app.list().selected().and_then(|r| r.process_id.clone())
}

#[test]
fn start_loads_the_first_page_and_each_page_with_more_asks_for_the_next() {
    let mut app = app();
    assert_eq!(jobs(&app.start()), [&Job::LoadPage]);
    assert!(app.loading().loading);
    let rows = ten();
    let cmds = app.handle_message(Message::Page {
        id: asked(&app, "the first page", |j| *j == Job::LoadPage),
        result: Ok(ListPage {
            items: rows[..5].to_vec(),
            more: true,
            skipped: 1,
        }),
    });
    assert!(jobs(&cmds).contains(&&Job::LoadPage));
    assert_eq!(
        fetches(&cmds),
        ["IDP00"],
        "the first row is selected and its result asked for"
    );
    assert!(app.loading().loading);
    assert_eq!(app.loading().skipped, 1);
    let cmds = app.handle_message(page_message(&app, rows[5..].to_vec(), false));
    assert!(!jobs(&cmds).contains(&&Job::LoadPage));
    assert!(fetches(&cmds).is_empty(), "the selection did not change");
    assert!(!app.loading().loading);
    assert_eq!(app.list().len(), 10);
}

#[test]
fn a_failed_page_is_shown_and_r_retries() {
    let mut app = app();
    app.start();
    app.handle_message(Message::Page {
        id: asked(&app, "the first page", |j| *j == Job::LoadPage),
        result: Err(not_found("process list")),
    });
    assert!(app.loading().error.is_some());
    assert!(
        app.status()
            .error
            .as_deref()
            .unwrap_or("")
            .contains("not found")
    );
    let cmds = press(&mut app, "r");
    assert_eq!(jobs(&cmds), [&Job::LoadPage]);
    assert!(app.loading().loading && app.loading().error.is_none());
}

#[test]
fn moving_selects_and_fetches_once_and_cached_results_need_no_command() {
    let (mut app, cmds) = loaded(ten(), 120, 40);
    assert_eq!(fetches(&cmds), ["IDP00"]);
    assert_eq!(fetches(&press(&mut app, "j")), ["IDP01"]);
    app.handle_message(result_message(&app, "IDP01", plain("IDP01")));
    assert!(matches!(app.view(), ResultView::Ready { .. }));
    assert_eq!(fetches(&press(&mut app, "j")), ["IDP02"]);
    // Back to a cached process: shown at once, nothing asked.
    assert!(press(&mut app, "k").is_empty());
    assert!(matches!(app.view(), ResultView::Ready { process_id, .. } if process_id == "IDP01"));
    // The worker cancelled IDP00's fetch for the newer selection; back there, asked again.
    app.handle_message(result_cancelled(&app, "IDP00"));
    assert_eq!(fetches(&press(&mut app, "k")), ["IDP00"]);
    // Pressing k at the top changes nothing and asks nothing.
    assert!(fetches(&press(&mut app, "k")).is_empty());
}

#[test]
fn a_result_for_a_process_the_user_left_is_cached_but_not_shown() {
    let (mut app, _) = loaded(ten(), 120, 40);
    press(&mut app, "j");
    app.handle_message(result_message(&app, "IDP00", plain("IDP00")));
    assert!(matches!(app.view(), ResultView::Loading { process_id } if process_id == "IDP01"));
    assert!(press(&mut app, "k").is_empty(), "cached");
    assert!(matches!(app.view(), ResultView::Ready { process_id, .. } if process_id == "IDP00"));
    // A refresh of IDP00 fails after the user left it: the error is not shown either.
    press(&mut app, "r j");
    app.handle_message(result_failed(&app, "IDP00", not_found("x")));
    assert!(
        matches!(app.view(), ResultView::Loading { process_id } if process_id == "IDP01"),
        "a stale error is not shown"
    );
    assert!(press(&mut app, "k").is_empty(), "still cached");
    assert!(matches!(app.view(), ResultView::Ready { process_id, .. } if process_id == "IDP00"));
}

#[test]
fn a_failed_result_is_shown_and_r_retries_it() {
    let (mut app, _) = loaded(ten(), 120, 40);
    app.handle_message(result_failed(&app, "IDP00", not_found("IDP00")));
    assert!(matches!(app.view(), ResultView::Failed { .. }));
    assert!(app.status().error.is_some());
    let cmds = press(&mut app, "r");
    assert_eq!(fetches(&cmds), ["IDP00"]);
}

#[test]
fn paging_moves_by_a_screen_and_g_and_shift_g_jump_to_the_ends() {
    let rows: Vec<_> = (0..100)
        .map(|i| summary(&format!("P{i:03}"), "success", "", "", "CO"))
        .collect();
    let (mut app, _) = loaded(rows, 80, 24);
    let page = app.panes().list_rows() - 1;
    press(&mut app, "pgdn");
    assert_eq!(app.list().cursor(), Some(page));
    press(&mut app, "ctrl-u");
    assert_eq!(app.list().cursor(), Some(0));
    press(&mut app, "G");
    assert_eq!(app.list().cursor(), Some(99));
    assert!(
        app.list().offset() + app.panes().list_rows() > 99,
        "the cursor is in view"
    );
    press(&mut app, "g");
    assert_eq!((app.list().cursor(), app.list().offset()), (Some(0), 0));
}

#[test]
fn filter_typing_is_live_enter_keeps_esc_clears() {
    let (mut app, _) = loaded(ten(), 120, 40);
    press(&mut app, "/ m x");
    assert_eq!(app.filter_input(), Some("mx"));
    assert_eq!(
        app.list().visible_len(),
        5,
        "country MX matches case-insensitively"
    );
    press(&mut app, "backspace backspace b l u r");
    assert_eq!(app.list().visible_len(), 4, "declined reason blurry_image");
    let before = app.list().cursor().unwrap_or(0);
    press(&mut app, "down");
    let after = app.list().cursor().unwrap_or(0);
    assert_eq!(after, before + 1, "arrows move the list while typing");
    press(&mut app, "enter");
    assert_eq!(app.filter_input(), None);
    assert_eq!(app.list().filter(), "blur");
    // Keys act normally again; the filter stays.
    press(&mut app, "j");
    assert_eq!(app.list().visible_len(), 4);
    press(&mut app, "/ x esc");
    assert_eq!(app.list().filter(), "");
    assert_eq!(app.list().visible_len(), 10);
    // Typing q in the filter types it; it does not quit.
    press(&mut app, "/ q");
    assert!(!app.should_quit());
    assert_eq!(app.list().visible_len(), 0);
}

#[test]
fn filter_matches_ids_users_and_failure_status() {
    let (mut app, _) = loaded(ten(), 120, 40);
    press(&mut app, "/ i d p 0 7 enter");
    assert_eq!(selected_id(&app).as_deref(), Some("IDP07"));
    press(&mut app, "esc / U S E R - I D P 0 3 enter");
    assert_eq!(app.list().visible_len(), 1);
    press(&mut app, "esc / d e c l i n e d enter");
    assert_eq!(app.list().visible_len(), 4);
}

#[test]
fn the_selection_stays_on_its_process_when_the_filter_changes() {
    let (mut app, _) = loaded(ten(), 120, 40);
    press(&mut app, "j j j"); // IDP03, a failure in MX
    assert_eq!(selected_id(&app).as_deref(), Some("IDP03"));
    press(&mut app, "/ m x enter");
    assert_eq!(selected_id(&app).as_deref(), Some("IDP03"));
    press(&mut app, "esc");
    assert_eq!(selected_id(&app).as_deref(), Some("IDP03"));
}

#[test]
fn a_filter_that_drops_the_selected_row_puts_the_cursor_on_the_first_match() {
    let (mut app, _) = loaded(ten(), 120, 40);
    press(&mut app, "j j j j j"); // IDP05, pending in MX: position 5
    assert_eq!(selected_id(&app).as_deref(), Some("IDP05"));
    press(&mut app, "/ c o");
    // Not the row at position 5 of the matches (clamped to IDP08): the first one.
    assert_eq!(selected_id(&app).as_deref(), Some("IDP00"));
    assert_eq!(app.list().cursor(), Some(0));
    press(&mut app, "esc j j j j j f");
    assert_eq!(
        selected_id(&app).as_deref(),
        Some("IDP00"),
        "the status filter too: IDP05 is no failure, IDP00 the first that is"
    );
}

#[test]
fn status_filter_cycles_all_failure_pending_success() {
    let (mut app, _) = loaded(ten(), 120, 40);
    let mut seen = Vec::new();
    for _ in 0..4 {
        press(&mut app, "f");
        seen.push((app.list().status_filter(), app.list().visible_len()));
    }
    assert_eq!(
        seen,
        [
            (StatusFilter::Failure, 4),
            (StatusFilter::Pending, 3),
            (StatusFilter::Success, 3),
            (StatusFilter::All, 10)
        ]
    );
}

#[test]
fn sort_flips_between_newest_and_oldest_first_keeping_the_selection() {
    let mut rows = ten();
    rows.reverse(); // arrive oldest first: the default sort still shows newest first
    let (mut app, _) = loaded(rows, 120, 40);
    assert_eq!(selected_id(&app).as_deref(), Some("IDP00"));
    press(&mut app, "j");
    press(&mut app, "o");
    assert_eq!(selected_id(&app).as_deref(), Some("IDP01"));
    press(&mut app, "g");
    assert_eq!(selected_id(&app).as_deref(), Some("IDP09"));
}

#[test]
fn o_cycles_newest_oldest_and_by_reason_with_the_same_reasons_together() {
    // Newest first: IDP00 … IDP09. Failures 00, 03, 06, 09 with three reasons.
    let reasons = [
        ("IDP00", "document_is_a_photocopy"),
        ("IDP03", "blurry_image"),
        ("IDP06", "document_is_a_photocopy"),
        ("IDP09", "face_in_blocklist"),
    ];
    let rows = ten()
        .into_iter()
        .map(|mut r| {
            let id = r.process_id.clone().unwrap_or_default();
            r.declined_reason = reasons
                .iter()
                .find(|(p, _)| *p == id)
                .map(|(_, c)| (*c).to_owned());
            r
        })
        .collect();
    let (mut app, _) = loaded(rows, 120, 40);
    let order = |app: &truora_tui::app::App| -> Vec<String> {
        let list = app.list();
        list.visible()
            .iter()
            .filter_map(|&i| list.row(i).and_then(|r| r.process_id.clone()))
            .collect()
    };
    use truora_tui::app::list::SortOrder;
    assert_eq!(app.list().sort(), SortOrder::NewestFirst);
    press(&mut app, "o");
    assert_eq!(app.list().sort(), SortOrder::OldestFirst);
    assert_eq!(order(&app).first().map(String::as_str), Some("IDP09"));
    press(&mut app, "o");
    assert_eq!(app.list().sort(), SortOrder::Reason);
    // By the reason in words: "document image too blurry" < "document is a photocopy" (both,
    // newest first) < "face is on a blocklist"; then the rows without a reason, newest first.
    assert_eq!(
        order(&app)[..6],
        ["IDP03", "IDP00", "IDP06", "IDP09", "IDP01", "IDP02"]
    );
    press(&mut app, "o");
    assert_eq!(app.list().sort(), SortOrder::NewestFirst);
    assert_eq!(order(&app).first().map(String::as_str), Some("IDP00"));
    // `/` finds a reason by the words the column shows ("document image too blurry") as well
    // as by its code.
    press(&mut app, "/ t o o enter");
    assert_eq!(order(&app), ["IDP03"]);
}

#[test]
fn pages_arriving_out_of_order_are_merged_in_sort_order() {
    let rows = ten();
    let mut app = app();
    app.start();
    app.handle_message(page_message(&app, rows[5..].to_vec(), true));
    app.handle_message(page_message(&app, rows[..5].to_vec(), false));
    let order: Vec<_> = app
        .list()
        .visible()
        .iter()
        .map(|&i| {
            app.list()
                .row(i)
                .and_then(|r| r.process_id.clone())
                .unwrap_or_default()
        })
        .collect();
    let expected: Vec<_> = (0..10).map(|i| format!("IDP{i:02}")).collect();
    assert_eq!(order, expected);
    assert_eq!(
        selected_id(&app).as_deref(),
        Some("IDP05"),
        "the selection did not jump"
    );
}

#[test]
fn n_and_shift_n_jump_between_failed_processes_and_wrap() {
    let (mut app, _) = loaded(ten(), 120, 40);
    let mut seen = Vec::new();
    for _ in 0..5 {
        press(&mut app, "n");
        seen.push(selected_id(&app).unwrap_or_default());
    }
    assert_eq!(seen, ["IDP03", "IDP06", "IDP09", "IDP00", "IDP03"]);
    press(&mut app, "N N");
    assert_eq!(selected_id(&app).as_deref(), Some("IDP09"));
}

#[test]
fn an_empty_list_is_empty_and_keys_do_nothing_harmful() {
    let (mut app, cmds) = loaded(Vec::new(), 80, 24);
    assert!(cmds.is_empty());
    let cmds = press(
        &mut app,
        "j k g G n N pgdn enter l h tab e E x v c s S y r f o",
    );
    assert!(cmds.is_empty(), "{cmds:?}");
    assert!(matches!(app.view(), ResultView::Empty));
}

#[test]
fn a_row_without_a_process_id_fetches_nothing() {
    let mut row = summary("", "failure", "", "", "");
    row.process_id = None;
    let (app, cmds) = loaded(vec![row], 80, 24);
    assert!(cmds.is_empty());
    assert!(matches!(app.view(), ResultView::NoId));
}

#[test]
fn the_filter_title_shows_the_query_as_typed_and_matching_ignores_case() {
    let (mut app, _) = loaded(ten(), 120, 40);
    press(&mut app, "/ M x");
    assert_eq!(app.filter_input(), Some("Mx"));
    assert_eq!(app.list().visible_len(), 5, "country MX, whatever the case");
    press(&mut app, "enter");
    assert_eq!(app.list().filter(), "Mx");
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).expect("terminal");
    terminal
        .draw(|f| truora_tui::ui::draw(&app, f))
        .expect("draw");
    let top: String = (0..120)
        .map(|x| terminal.backend().buffer()[(x, 0)].symbol().to_owned())
        .collect();
    assert!(top.contains(" · /Mx · "), "{top}");
    // Editing the filter again starts from what was typed.
    press(&mut app, "/");
    assert_eq!(app.filter_input(), Some("Mx"));
}
