//! The browser's side of a decision refused because a colleague's stood where it was taken:
//! the browser goes back to the process, shows theirs, and asks; the same key again replaces
//! it (on the head now on screen), Esc keeps theirs.

use crate::app_support;
use crate::review_support;

use app_support::*;
use review_support::*;
use truora_tui::api::model::Status;
use truora_tui::app::App;
use truora_tui::app::message::review::ReviewRequest;
use truora_tui::app::review::badge;
use truora_tui::review::{Decision, Verdict};

/// The ten processes (IDP00 failed) with the review store open and empty.
fn desk() -> (App, FakeDesk) {
    let (mut app, _) = loaded(ten(), 120, 40);
    let desk = FakeDesk::new("ana");
    desk.open(&mut app);
    (app, desk)
}

fn selected(app: &App) -> String {
    app.list()
        .selected()
        .and_then(|r| r.process_id.clone())
        .unwrap_or_default()
}

fn mark(app: &App, id: &str) -> String {
    badge(app.review().mark(id), false)
        .iter()
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// Alice fails IDP00 in her browser; Ana's has not heard of it yet and shows it undecided.
fn alice_decided_first(desk: &mut FakeDesk) {
    desk.record_as(
        "alice",
        &ReviewRequest::Decide {
            process_id: "IDP00".into(),
            decision: Decision {
                verdict: Verdict::Fail,
                reason: None,
            },
            truora_status: Some(Status::Failure),
            seen: None,
        },
    );
}

fn error(app: &App) -> String {
    app.status().error.clone().unwrap_or_default()
}

#[test]
fn a_refused_decision_goes_back_shows_theirs_and_the_same_key_replaces_it() {
    let (mut app, mut desk) = desk();
    alice_decided_first(&mut desk);
    assert_eq!(
        (selected(&app), mark(&app, "IDP00")),
        ("IDP00".into(), String::new())
    );

    let cmds = press(&mut app, "!");
    assert_eq!(selected(&app), "IDP01", "the advance, as after any verdict");
    desk.serve(&mut app, cmds);
    assert_eq!(
        selected(&app),
        "IDP00",
        "back where the decision was refused"
    );
    assert_eq!(mark(&app, "IDP00"), "✗", "alice's fail, not ana's escalate");
    let said = error(&app);
    assert!(
        said.starts_with("not recorded: escalate on IDP00: alice recorded fail ")
            && said.ends_with(" ago — press ! again to replace it, Esc to keep alice's"),
        "{said}"
    );
    assert_eq!(
        desk.of("IDP00").len(),
        1,
        "nothing recorded, nothing replaced"
    );

    // The same key again: taken on alice's decision, which the screen now shows.
    let cmds = press(&mut app, "!");
    let asked = requests(&cmds);
    let alices = desk.of("IDP00")[0].id;
    assert!(
        matches!(&asked[..], [ReviewRequest::Decide { seen, .. }] if *seen == Some(alices)),
        "{asked:?}"
    );
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP00"), "!");
    let events = desk.of("IDP00");
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[1].supersedes,
        Some(alices),
        "hers replaced, knowingly"
    );
    assert_eq!(app.review().replacing(), None);
}

#[test]
fn esc_keeps_theirs_and_records_nothing() {
    let (mut app, mut desk) = desk();
    alice_decided_first(&mut desk);
    let cmds = press(&mut app, "!");
    desk.serve(&mut app, cmds);
    assert!(app.review().replacing().is_some());
    let cmds = press(&mut app, "Esc");
    assert!(requests(&cmds).is_empty());
    assert_eq!(app.status().error, None);
    assert_eq!(
        app.status().info.as_deref(),
        Some("kept alice's decision on IDP00")
    );
    assert_eq!(mark(&app, "IDP00"), "✗");
    assert_eq!(desk.of("IDP00").len(), 1);
}

/// The app as the runtime runs it: a verdict key waits until the result has been on screen a
/// moment (the runtime's look timer; tests send its message). No look-ahead, so each result is
/// asked when selected.
fn looking_desk() -> (App, FakeDesk) {
    use truora_tui::app::AppOptions;
    use truora_tui::app::review::look::LOOK;
    let mut app = App::new(AppOptions {
        review_look: LOOK,
        prefetch: false,
        ..AppOptions::default()
    });
    app.start();
    app.handle_message(truora_tui::app::Message::Resize {
        width: 120,
        height: 40,
    });
    app.handle_message(page_message(&app, ten(), false));
    let desk = FakeDesk::new("ana");
    desk.open(&mut app);
    (app, desk)
}

/// The selected process's result arrives and stays on screen until the look timer fires.
fn look_at(app: &mut App, process: &str) {
    assert_eq!(selected(app), process);
    app.handle_message(result_message(app, process, rich(process)));
    let generation = app
        .awaiting_look()
        .expect("the runtime is asked to time the look");
    app.handle_message(truora_tui::app::Message::Looked { generation });
    assert_eq!(app.awaiting_look(), None);
}

#[test]
fn a_double_tap_after_the_advance_does_not_decide_the_next_process_unseen() {
    let (mut app, mut desk) = looking_desk();
    let cmds = press(&mut app, "!");
    assert!(requests(&cmds).is_empty(), "IDP00 was never on screen");
    assert!(
        error(&app).contains("IDP00 has not been on screen yet"),
        "{}",
        error(&app)
    );

    look_at(&mut app, "IDP00");
    // `! !`: the first decides IDP00 and advances, the second lands on IDP01 unseen.
    let cmds = press(&mut app, "! !");
    let asked = requests(&cmds);
    assert!(
        matches!(&asked[..], [ReviewRequest::Decide { process_id, .. }] if process_id == "IDP00"),
        "{asked:?}"
    );
    assert_eq!(selected(&app), "IDP01", "stays on the next, undecided");
    assert_eq!(
        error(&app),
        "escalate not recorded: IDP01 has not been on screen yet — look at it, then decide"
    );
    desk.serve(&mut app, cmds);
    assert_eq!(desk.of("IDP01").len(), 0);

    // Its result arrives, but the key comes before the look is up: still refused.
    app.handle_message(result_message(&app, "IDP01", rich("IDP01")));
    assert!(requests(&press(&mut app, "!")).is_empty());
    // Once it has stood, the key acts.
    let generation = app.awaiting_look().expect("timing the look");
    app.handle_message(truora_tui::app::Message::Looked { generation });
    let asked = requests(&press(&mut app, "!"));
    assert!(
        matches!(&asked[..], [ReviewRequest::Decide { process_id, .. }] if process_id == "IDP01"),
        "{asked:?}"
    );
}

/// `u` never withdraws a decision that is not on screen: one on a process the view hides is
/// named, and nothing is asked.
#[test]
fn undo_of_a_decision_the_view_hides_says_so_and_asks_nothing() {
    let (mut app, mut desk) = desk();
    press(&mut app, "j");
    assert_eq!(selected(&app), "IDP01");
    // IDP01 succeeded: `a` agrees, one key.
    let cmds = press(&mut app, "a");
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP01"), "✓");
    // Failures only: IDP01 leaves the view.
    press(&mut app, "f");
    assert!(
        app.list().visible().iter().all(|&i| app
            .list()
            .row(i)
            .and_then(|r| r.process_id.as_deref())
            != Some("IDP01"))
    );
    let cmds = press(&mut app, "u");
    assert!(requests(&cmds).is_empty(), "{:?}", requests(&cmds));
    assert_eq!(
        app.status().info.as_deref(),
        Some(
            "your last decision is on IDP01, which this view hides — clear the filter to go \
             there and undo it"
        )
    );
    assert_eq!(desk.of("IDP01").len(), 1);
}
