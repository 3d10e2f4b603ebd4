//! What a fetched result does beyond the tree: it fills in list rows that came as bare ids, and
//! a result fetch the worker cancelled is asked for again while it is still wanted, and answers
//! nobody awaits are dropped.

use crate::app_support;

use app_support::*;
use std::sync::Arc;

use serde_json::json;
use truora_tui::api::model::{FailureStatus, ProcessResult, ProcessSummary, Status};
use truora_tui::app::list::StatusFilter;
use truora_tui::app::{App, Job, Message, ResultView};
use truora_tui::images::ImageView;

fn selected_id(app: &App) -> Option<String> {
    app.list().selected().and_then(|r| r.process_id.clone())
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
    app.handle_message(result_message(&app, "IDPa", plain("IDPa")));
    assert_eq!(row(&app, "IDPa").status, Some(Status::Success));

    assert_eq!(fetches(&press(&mut app, "j")), ["IDPb"]);
    app.handle_message(result_message(&app, "IDPb", rich("IDPb")));
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
    app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
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
    app.handle_message(result_message(&app, "IDPa", rich("IDPa")));
    assert_eq!(visible_ids(&app), ["IDPa", "IDPb", "IDPc"]);
    assert_eq!(row(&app, "IDPa").status, Some(Status::Failure));
    assert_eq!(selected_id(&app).as_deref(), Some("IDPc"));
    assert!(matches!(app.view(), ResultView::Loading { process_id } if process_id == "IDPc"));
    // Under "failure only" the filled row appears while the list is filtered.
    press(&mut app, "f");
    assert_eq!(visible_ids(&app), ["IDPa"]);
    app.handle_message(result_message(&app, "IDPb", rich("IDPb")));
    assert_eq!(visible_ids(&app), ["IDPa", "IDPb"]);
    assert_eq!(selected_id(&app).as_deref(), Some("IDPa"));
}

#[test]
fn a_cancelled_fetch_for_the_selected_process_is_asked_again_once() {
    let (mut app, cmds) = loaded(ten(), 120, 40);
    assert_eq!(fetches(&cmds), ["IDP00"]);
    let first = asked_result(&app, "IDP00");
    // The worker gave it up (say the runtime found it superseded): asked again, once.
    let cmds = app.handle_message(Message::Cancelled { id: first });
    assert_eq!(fetches(&cmds), ["IDP00"]);
    let second = asked_result(&app, "IDP00");
    assert_ne!(first, second, "a new request, a new id");
    assert!(matches!(app.view(), ResultView::Loading { process_id } if process_id == "IDP00"));
    // The same cancellation again is not awaited any more: nothing more is asked.
    assert!(
        app.handle_message(Message::Cancelled { id: first })
            .is_empty()
    );
    assert_eq!(app.pending_requests().count(), 1);
    // The answer comes: shown, and nothing is awaited.
    app.handle_message(result_message(&app, "IDP00", plain("IDP00")));
    assert!(matches!(app.view(), ResultView::Ready { .. }));
    assert_eq!(app.pending_requests().count(), 0);
    assert_eq!(app.status().in_flight, 0);
}

#[test]
fn a_cancelled_fetch_for_a_process_the_user_left_is_dropped() {
    let (mut app, _) = loaded(ten(), 120, 40);
    assert_eq!(fetches(&press(&mut app, "j")), ["IDP01"]);
    // The worker aborted IDP00's fetch for the newer selection: nothing to do.
    assert!(
        app.handle_message(result_cancelled(&app, "IDP00"))
            .is_empty()
    );
    assert!(matches!(app.view(), ResultView::Loading { process_id } if process_id == "IDP01"));
    // Coming back asks again, since nothing for it is on its way.
    assert_eq!(fetches(&press(&mut app, "k")), ["IDP00"]);
}

#[test]
fn going_back_before_the_cancellation_arrives_asks_when_it_does() {
    let (mut app, _) = loaded(ten(), 120, 40);
    press(&mut app, "j");
    // IDP00's first request is still awaited: not asked twice.
    assert!(fetches(&press(&mut app, "k")).is_empty());
    // Its cancellation arrives while it is selected again: asked once more.
    assert_eq!(
        fetches(&app.handle_message(result_cancelled(&app, "IDP00"))),
        ["IDP00"]
    );
    // IDP01's cancellation asks nothing: the user left it.
    assert!(fetches(&app.handle_message(result_cancelled(&app, "IDP01"))).is_empty());
}

#[test]
fn stale_answers_are_dropped_by_id() {
    let (mut app, _) = loaded(ten(), 120, 40);
    let id = asked_result(&app, "IDP00");
    app.handle_message(Message::Result {
        id,
        result: Err(not_found("IDP00")),
    });
    assert!(matches!(app.view(), ResultView::Failed { .. }));
    // A second answer under the same id, and one under an id never issued: both dropped.
    for stale in [id, truora_tui::app::RequestId(9_999)] {
        app.handle_message(Message::Result {
            id: stale,
            result: Ok(plain("IDP00")),
        });
        assert!(matches!(app.view(), ResultView::Failed { .. }));
    }
    // A failed answer is an answer: nothing awaited, nothing re-asked.
    assert_eq!(app.pending_requests().count(), 0);
}

#[test]
fn a_refresh_asks_anew_and_fetches_the_images_again() {
    let (mut app, _) = loaded(vec![summary("IDP1", "failure", "", "", "")], 120, 40);
    let cmds = app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    let image = jobs(&cmds)
        .into_iter()
        .find_map(|job| match job {
            Job::FetchImage { request, area, .. } => Some((request.clone(), *area)),
            _ => None,
        })
        .expect("the preview asks for its image");
    let id = asked(&app, "the image", |j| matches!(j, Job::FetchImage { .. }));
    app.handle_message(Message::Image {
        id,
        result: Ok(info_only(image.0.link.kind)),
    });
    assert!(jobs(&press(&mut app, "tab j k")).is_empty(), "cached");
    let cmds = press(&mut app, "r");
    assert_eq!(
        jobs(&cmds),
        [
            &Job::FetchResult {
                process_id: "IDP1".into(),
                refresh: true
            },
            &Job::FetchImage {
                request: image.0,
                area: image.1,
                view: ImageView::Whole,
            }
        ]
    );
    // The cached result stays on screen while the fresh one is on its way.
    assert!(matches!(app.view(), ResultView::Ready { .. }));
}

#[test]
fn r_says_when_the_refresh_is_done_and_what_changed() {
    let (mut app, _) = loaded(vec![summary("IDP1", "failure", "", "", "")], 120, 40);
    app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    let info = |app: &App| app.status().info.clone().unwrap_or_default();

    press(&mut app, "r");
    assert_eq!(info(&app), "refreshing IDP1…");
    // Messages that are not the refresh's answer leave it as it is.
    app.handle_message(Message::Resize {
        width: 121,
        height: 40,
    });
    assert_eq!(info(&app), "refreshing IDP1…");
    app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    assert_eq!(info(&app), "refreshed IDP1: no change");

    press(&mut app, "r");
    let mut v = rich_json("IDP1");
    v["status"] = json!("success");
    let passed = Arc::new(ProcessResult::from_value(v).expect("parses"));
    app.handle_message(result_message(&app, "IDP1", passed));
    assert_eq!(info(&app), "refreshed IDP1: status failure → success");

    press(&mut app, "r");
    let mut v = rich_json("IDP1");
    v["status"] = json!("success");
    v["update_date"] = json!("2024-03-21T09:00:00Z");
    let touched = Arc::new(ProcessResult::from_value(v).expect("parses"));
    app.handle_message(result_message(&app, "IDP1", touched));
    assert_eq!(info(&app), "refreshed IDP1: updated");
    assert_eq!(
        app.pending_requests()
            .filter(|(_, j)| matches!(j, Job::FetchResult { .. }))
            .count(),
        0
    );
}

#[test]
fn a_failed_refresh_keeps_the_tree_and_says_so() {
    let (mut app, _) = loaded(vec![summary("IDP1", "failure", "", "", "")], 120, 40);
    app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    press(&mut app, "r");
    app.handle_message(result_failed(&app, "IDP1", not_found("process IDP1")));
    assert!(
        matches!(app.view(), ResultView::Ready { .. }),
        "what was loaded stays"
    );
    let error = app.status().error.clone().unwrap_or_default();
    assert!(
        error.starts_with("refreshing IDP1 failed: ")
            && error.ends_with("; showing what was loaded before (r tries again)"),
        "{error}"
    );
    // Given up by the worker: said too, not left at "refreshing…".
    press(&mut app, "r");
    app.handle_message(result_cancelled(&app, "IDP1"));
    assert_eq!(
        app.status().info.as_deref(),
        Some("refreshing IDP1 stopped (r tries again)")
    );
}

#[test]
fn r_on_a_failed_list_says_when_it_has_loaded() {
    let mut app = app_support::app();
    app.start();
    app.handle_message(Message::Resize {
        width: 120,
        height: 40,
    });
    let id = asked(&app, "a page", |j| *j == Job::LoadPage);
    app.handle_message(Message::Page {
        id,
        result: Err(not_found("the list")),
    });
    assert!(app.status().error.is_some());
    press(&mut app, "r");
    assert_eq!(
        app.status().info.as_deref(),
        Some("loading the list again…")
    );
    app.handle_message(page_message(&app, ten()[..4].to_vec(), true));
    assert_eq!(
        app.status().info.as_deref(),
        Some("loading the list again…")
    );
    app.handle_message(page_message(&app, ten()[4..].to_vec(), false));
    assert_eq!(
        app.status().info.as_deref(),
        Some("list loaded: 10 processes")
    );
}
