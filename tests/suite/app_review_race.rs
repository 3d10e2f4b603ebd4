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
