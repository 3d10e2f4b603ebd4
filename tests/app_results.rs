//! What a fetched result does beyond the tree: it fills in list rows that came as bare ids, and
//! a result fetch the worker dropped is asked for again.

mod app_support;

use app_support::*;
use serde_json::json;
use truora_tui::api::model::{FailureStatus, ProcessSummary, Status};
use truora_tui::app::list::StatusFilter;
use truora_tui::app::{App, Command, Message, ResultView};

fn selected_id(app: &App) -> Option<String> {
    app.list().selected().and_then(|r| r.process_id.clone())
}

fn fetches(cmds: &[Command]) -> Vec<&str> {
    cmds.iter()
        .filter_map(|c| match c {
            Command::FetchResult { process_id, .. } => Some(process_id.as_str()),
            _ => None,
        })
        .collect()
}

/// Rows as the list endpoint may send them ("returns a list of process IDs"), or an ids file.
fn id_only(ids: &[&str]) -> Vec<ProcessSummary> {
    ids.iter()
        .filter_map(|id| ProcessSummary::from_item(&json!(id)))
        .collect()
}

fn row<'a>(app: &'a App, id: &str) -> &'a ProcessSummary {
    let list = app.list();
    (0..list.len() as u32)
        .filter_map(|i| list.row(i))
        .find(|r| r.process_id.as_deref() == Some(id))
        .expect("the row is loaded")
}

fn visible_ids(app: &App) -> Vec<String> {
    let list = app.list();
    list.visible()
        .iter()
        .filter_map(|&i| list.row(i)?.process_id.clone())
        .collect()
}

#[test]
fn id_only_rows_are_filled_from_results_so_filters_and_n_see_them() {
    let (mut app, cmds) = loaded(id_only(&["IDPa", "IDPb", "IDPc"]), 120, 40);
    assert_eq!(fetches(&cmds), ["IDPa"]);
    // Nothing is known yet: no failed process to jump to, nothing under "failure only".
    press(&mut app, "n");
    assert_eq!(selected_id(&app).as_deref(), Some("IDPa"));
    assert_eq!(
        app.status().info.as_deref(),
        Some("no failed process in the list")
    );
    app.handle_message(result_message("IDPa", plain("IDPa")));
    assert_eq!(row(&app, "IDPa").status, Some(Status::Success));

    assert_eq!(fetches(&press(&mut app, "j")), ["IDPb"]);
    app.handle_message(result_message("IDPb", rich("IDPb")));
    let b = row(&app, "IDPb");
    assert_eq!(b.status, Some(Status::Failure));
    assert_eq!(b.failure_status, Some(FailureStatus::Declined));
    assert_eq!(
        b.declined_reason.as_deref(),
        Some("similarity_threshold_not_passed")
    );
    assert_eq!(b.creation_date.as_deref(), Some("2024-03-20T10:00:00Z"));
    assert_eq!(b.country.as_deref(), Some("CO"));
    // It now has a date, so newest-first puts it on top; the cursor went with it.
    assert_eq!(visible_ids(&app), ["IDPb", "IDPa", "IDPc"]);
    assert_eq!(selected_id(&app).as_deref(), Some("IDPb"));
    assert_eq!(app.list().cursor(), Some(0));
    assert!(matches!(app.view(), ResultView::Ready { process_id, .. } if process_id == "IDPb"));

    // `f`: failure only shows it, pending nothing, success the other filled row; then all.
    press(&mut app, "f");
    assert_eq!(app.list().status_filter(), StatusFilter::Failure);
    assert_eq!(visible_ids(&app), ["IDPb"]);
    press(&mut app, "f");
    assert!(visible_ids(&app).is_empty());
    press(&mut app, "f");
    assert_eq!(visible_ids(&app), ["IDPa"]);
    press(&mut app, "f");
    assert_eq!(app.list().status_filter(), StatusFilter::All);
    assert_eq!(visible_ids(&app).len(), 3);
    // The text filter sees the filled reason.
    press(&mut app, "/ s i m i l enter");
    assert_eq!(visible_ids(&app), ["IDPb"]);
    press(&mut app, "esc");
    // `n` from elsewhere finds it.
    press(&mut app, "G");
    assert_eq!(selected_id(&app).as_deref(), Some("IDPc"));
    press(&mut app, "n");
    assert_eq!(selected_id(&app).as_deref(), Some("IDPb"));
    // `o` sorts by the filled dates: the dated row goes last, the others keep arrival order.
    press(&mut app, "o");
    assert_eq!(visible_ids(&app), ["IDPa", "IDPc", "IDPb"]);
    assert_eq!(selected_id(&app).as_deref(), Some("IDPb"));
}

#[test]
fn a_result_fills_only_what_the_list_did_not_send() {
    let mut listed = summary(
        "IDP1",
        "success",
        "2024-01-01T00:00:00Z",
        "listed_reason",
        "",
    );
    listed.country = None;
    listed.client_user_id = Some(String::new());
    let (mut app, _) = loaded(vec![listed], 100, 30);
    app.handle_message(result_message("IDP1", rich("IDP1")));
    let r = row(&app, "IDP1");
    assert_eq!(r.status, Some(Status::Success), "the list's status stays");
    assert_eq!(r.creation_date.as_deref(), Some("2024-01-01T00:00:00Z"));
    assert_eq!(r.declined_reason.as_deref(), Some("listed_reason"));
    assert_eq!(r.flow_id.as_deref(), Some("IPFflow01"));
    assert_eq!(r.country.as_deref(), Some("CO"), "missing: filled");
    assert_eq!(
        r.client_user_id.as_deref(),
        Some("user-42"),
        "blank: filled"
    );
    assert_eq!(r.account_id.as_deref(), Some("ACC1"));
}

#[test]
fn a_result_for_a_row_the_user_left_fills_it_without_moving_the_cursor() {
    let (mut app, _) = loaded(id_only(&["IDPa", "IDPb", "IDPc"]), 120, 40);
    press(&mut app, "j j");
    assert_eq!(selected_id(&app).as_deref(), Some("IDPc"));
    // IDPa's answer arrives late; it jumps to the top (it has a date) and the cursor stays on c.
    app.handle_message(result_message("IDPa", rich("IDPa")));
    assert_eq!(visible_ids(&app), ["IDPa", "IDPb", "IDPc"]);
    assert_eq!(row(&app, "IDPa").status, Some(Status::Failure));
    assert_eq!(selected_id(&app).as_deref(), Some("IDPc"));
    assert!(matches!(app.view(), ResultView::Loading { process_id } if process_id == "IDPc"));
    // Under "failure only" the filled row appears while the list is filtered.
    press(&mut app, "f");
    assert_eq!(visible_ids(&app), ["IDPa"]);
    app.handle_message(result_message("IDPb", rich("IDPb")));
    assert_eq!(visible_ids(&app), ["IDPa", "IDPb"]);
    assert_eq!(selected_id(&app).as_deref(), Some("IDPa"));
}

fn idle() -> Message {
    Message::Busy { in_flight: 0 }
}

#[test]
fn an_idle_worker_with_a_result_pending_is_asked_again() {
    let (mut app, cmds) = loaded(ten(), 120, 40);
    assert_eq!(fetches(&cmds), ["IDP00"]);
    // Still working: nothing to do.
    assert!(fetches(&app.handle_message(Message::Busy { in_flight: 1 })).is_empty());
    // Idle with no answer: the fetch was dropped; asked again, once per idle report.
    let cmds = app.handle_message(idle());
    assert_eq!(
        cmds,
        vec![Command::FetchResult {
            process_id: "IDP00".into(),
            refresh: false
        }]
    );
    assert!(matches!(app.view(), ResultView::Loading { process_id } if process_id == "IDP00"));
    // The answer comes: shown, and later idleness asks nothing.
    app.handle_message(result_message("IDP00", plain("IDP00")));
    assert!(matches!(app.view(), ResultView::Ready { .. }));
    assert!(fetches(&app.handle_message(idle())).is_empty());
}

#[test]
fn an_idle_worker_asks_nothing_when_nothing_is_missing() {
    let (mut app, _) = loaded(ten(), 120, 40);
    // A failure is an answer.
    app.handle_message(Message::ResultFailed {
        process_id: "IDP00".into(),
        error: not_found("IDP00"),
    });
    assert!(fetches(&app.handle_message(idle())).is_empty());
    // A refresh whose answer was dropped: the cached result is still shown, nothing re-asked.
    press(&mut app, "j");
    app.handle_message(result_message("IDP01", plain("IDP01")));
    assert_eq!(fetches(&press(&mut app, "r")), ["IDP01"]);
    assert!(fetches(&app.handle_message(idle())).is_empty());
    assert!(matches!(app.view(), ResultView::Ready { .. }));
    // Pending for a process the user left for a cached one: nothing either.
    assert_eq!(fetches(&press(&mut app, "j")), ["IDP02"]);
    press(&mut app, "k");
    assert!(fetches(&app.handle_message(idle())).is_empty());
    // A row without a process id has nothing to ask.
    let mut row = summary("", "failure", "", "", "");
    row.process_id = None;
    let (mut app, _) = loaded(vec![row], 80, 24);
    assert!(app.handle_message(idle()).is_empty());
}

#[test]
fn an_idle_worker_is_asked_again_a_few_times_then_the_tree_says_so() {
    let (mut app, _) = loaded(ten(), 120, 40);
    for _ in 0..3 {
        assert_eq!(fetches(&app.handle_message(idle())), ["IDP00"]);
    }
    assert!(fetches(&app.handle_message(idle())).is_empty());
    let ResultView::Failed { error, .. } = app.view() else {
        panic!("{:?}", app.view())
    };
    assert_eq!(error, "no answer after 4 requests");
    assert!(app.status().error.is_some());
    // `r` asks again, with a fresh allowance.
    assert_eq!(fetches(&press(&mut app, "r")), ["IDP00"]);
    assert!(matches!(app.view(), ResultView::Loading { .. }));
    assert_eq!(fetches(&app.handle_message(idle())), ["IDP00"]);
}
