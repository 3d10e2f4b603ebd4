//! `--watch` at the app level, with scripted polls: the runtime's tick asks for the newest
//! processes, the answer is merged without moving the cursor's process, new rows are counted
//! until seen, new failures are announced, stale results are dropped, and failures back off.

use crate::app_support;

use std::time::Duration;

use app_support::*;
use truora_tui::api::model::ProcessSummary;
use truora_tui::app::{App, AppOptions, Job, ListPage, Message};

const EVERY: Duration = Duration::from_secs(30);

fn watching(rows: Vec<ProcessSummary>) -> App {
    let mut app = App::new(AppOptions {
        watch: Some(EVERY),
        ..AppOptions::default()
    });
    app.start();
    app.handle_message(Message::Resize {
        width: 160,
        height: 40,
    });
    app.handle_message(page_message(&app, rows, false));
    app
}

fn selected(app: &App) -> Option<String> {
    app.list().selected().and_then(|r| r.process_id.clone())
}

/// The answer to the app's pending watch poll.
fn poll_answer(
    app: &App,
    result: Result<Vec<ProcessSummary>, truora_tui::api::ApiError>,
) -> Message {
    Message::Watched {
        id: asked(app, "a watch poll", |job| matches!(job, Job::Watch { .. })),
        result: result.map(|items| ListPage {
            items,
            more: false,
            skipped: 0,
        }),
    }
}

fn polls(app: &App) -> usize {
    app.pending_requests()
        .filter(|(_, job)| matches!(job, Job::Watch { .. }))
        .count()
}

#[test]
fn a_poll_adds_new_rows_updates_changed_ones_and_keeps_the_cursor() {
    let mut app = watching(ten());
    // IDP02 (pending) is looked at and its result cached, then the cursor moves on to IDP03.
    press(&mut app, "j j");
    assert_eq!(selected(&app).as_deref(), Some("IDP02"));
    app.handle_message(result_message(&app, "IDP02", plain("IDP02")));
    press(&mut app, "j");
    assert_eq!(selected(&app).as_deref(), Some("IDP03"));

    let cmds = app.handle_message(Message::WatchTick);
    let known = match jobs(&cmds).as_slice() {
        [Job::Watch { known }] => known.clone(),
        other => panic!("a tick should ask one poll, asked {other:?}"),
    };
    assert_eq!(known.len(), 10);
    assert!(known.contains("IDP00") && known.contains("IDP09"));
    // A second tick while the poll is out asks nothing more.
    assert!(jobs(&app.handle_message(Message::WatchTick)).is_empty());

    let fresh = vec![
        summary("IDP11", "success", "2024-03-22T10:00:00Z", "", "CO"),
        summary(
            "IDP10",
            "failure",
            "2024-03-21T10:00:00Z",
            "blurry_image",
            "MX",
        ),
        summary(
            "IDP00",
            "failure",
            "2024-03-20T10:00:00Z",
            "blurry_image",
            "CO",
        ),
        summary("IDP01", "success", "2024-03-19T10:00:00Z", "", "MX"),
        summary(
            "IDP02",
            "failure",
            "2024-03-18T10:00:00Z",
            "blurry_image",
            "CO",
        ),
    ];
    app.handle_message(poll_answer(&app, Ok(fresh)));
    assert_eq!(app.list().len(), 12);
    assert_eq!(
        selected(&app).as_deref(),
        Some("IDP03"),
        "the cursor keeps its process"
    );
    assert_eq!(app.list().cursor(), Some(5), "two rows arrived above it");
    assert_eq!(app.watch_unseen(), 2);
    assert_eq!(
        app.status().info.as_deref(),
        Some("2 new failures"),
        "IDP10 arrived failed and IDP02 failed"
    );
    let row2 = app.list().visible()[4];
    assert_eq!(
        app.list().row(row2).and_then(|r| r.process_id.as_deref()),
        Some("IDP02")
    );
    assert!(
        app.list()
            .row(row2)
            .and_then(|r| r.status.as_ref())
            .is_some_and(|s| s.is_failure())
    );

    // IDP02's cached result was dropped: going back to it fetches it again.
    let cmds = press(&mut app, "k");
    assert_eq!(selected(&app).as_deref(), Some("IDP02"));
    assert_eq!(fetches(&cmds), ["IDP02"]);

    // New rows count as seen when the cursor rests on them.
    press(&mut app, "g");
    assert_eq!(selected(&app).as_deref(), Some("IDP11"));
    assert_eq!(app.watch_unseen(), 1);
    press(&mut app, "j");
    assert_eq!(app.watch_unseen(), 0);
}

#[test]
fn failed_polls_back_off_quietly_and_a_success_resets() {
    let mut app = watching(ten());
    assert_eq!(app.watch_interval(), Some(EVERY));
    for expected in [60, 120, 240, 480, 600, 600] {
        app.handle_message(Message::WatchTick);
        app.handle_message(poll_answer(&app, Err(not_found("the list"))));
        assert_eq!(app.watch_interval(), Some(Duration::from_secs(expected)));
        assert!(app.watch_failing());
        assert_eq!(
            app.status().error,
            None,
            "a failed poll does not interrupt the user"
        );
    }
    app.handle_message(Message::WatchTick);
    app.handle_message(poll_answer(&app, Ok(Vec::new())));
    assert_eq!(app.watch_interval(), Some(EVERY));
    assert!(!app.watch_failing());
    assert_eq!(polls(&app), 0);
}

#[test]
fn without_watch_or_while_loading_a_tick_asks_nothing() {
    let (mut app, _) = loaded(ten(), 160, 40);
    assert_eq!(app.watch_interval(), None);
    assert!(jobs(&app.handle_message(Message::WatchTick)).is_empty());

    let mut loading = App::new(AppOptions {
        watch: Some(EVERY),
        ..AppOptions::default()
    });
    loading.start();
    assert!(jobs(&loading.handle_message(Message::WatchTick)).is_empty());
}

/// A poll finding `IDP10` newly failed, on an app watching with `bell` as configured.
fn poll_with_new_failure(bell: bool) -> Vec<truora_tui::app::Command> {
    let mut app = App::new(AppOptions {
        watch: Some(EVERY),
        watch_bell: bell,
        ..AppOptions::default()
    });
    app.start();
    app.handle_message(page_message(&app, ten(), false));
    app.handle_message(Message::WatchTick);
    let failed = summary(
        "IDP10",
        "failure",
        "2024-03-21T10:00:00Z",
        "blurry_image",
        "MX",
    );
    let cmds = app.handle_message(poll_answer(&app, Ok(vec![failed])));
    assert_eq!(app.status().info.as_deref(), Some("new failure: IDP10"));
    cmds
}

#[test]
fn a_new_failure_rings_the_bell_only_when_configured() {
    use truora_tui::app::Command;
    let rings = |cmds: &[Command]| cmds.iter().filter(|c| **c == Command::Bell).count();
    assert_eq!(rings(&poll_with_new_failure(true)), 1);
    assert_eq!(rings(&poll_with_new_failure(false)), 0);
    // A poll with nothing new failed is silent even with the bell on.
    let mut app = App::new(AppOptions {
        watch: Some(EVERY),
        watch_bell: true,
        ..AppOptions::default()
    });
    app.start();
    app.handle_message(page_message(&app, ten(), false));
    app.handle_message(Message::WatchTick);
    let fine = summary("IDP10", "success", "2024-03-21T10:00:00Z", "", "MX");
    assert_eq!(
        rings(&app.handle_message(poll_answer(&app, Ok(vec![fine])))),
        0
    );
}
