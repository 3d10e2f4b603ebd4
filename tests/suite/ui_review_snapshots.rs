//! The review desk on screen: the list's mark column and counts, the reason picker, the note
//! editor and the tree's decision history, as text snapshots (fixed ids and times).

use crate::app_support;
use crate::review_support;

use app_support::*;
use review_support::*;
use truora_tui::app::message::review::{ReviewNews, ReviewRequest};
use truora_tui::app::{App, Message};
use truora_tui::review::{Decision, OverrideReason, Verdict};

/// The ten processes with a few decisions: IDP00 overridden to pass (to apply), IDP01 passed,
/// IDP02 escalated, IDP03 noted and in conflict, IDP04 open by bob.
fn decided(width: u16, height: u16) -> (App, FakeDesk) {
    let (mut app, _) = loaded(ten(), width, height);
    let mut desk = FakeDesk::new("ana");
    desk.open(&mut app);
    let cmds = press(&mut app, "a 3 a ! i");
    let cmds = desk.serve(&mut app, cmds);
    assert!(
        cmds.iter()
            .all(|c| !matches!(c, truora_tui::app::Command::Quit))
    );
    for c in "needs a second look".chars() {
        app.handle_key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        ));
    }
    let cmds = press(&mut app, "enter");
    desk.serve(&mut app, cmds);
    // IDP03: bob passes, ana fails, at once.
    let decide = |verdict, reason| ReviewRequest::Decide {
        process_id: "IDP03".into(),
        decision: Decision { verdict, reason },
        truora_status: Some(truora_tui::api::model::Status::Failure),
        seen: None,
    };
    let bob = desk.record_as("bob", &decide(Verdict::Pass, Some(OverrideReason::Other)));
    desk.events.retain(|e| Some(e) != bob.as_ref());
    let ana = desk.record_as("ana", &decide(Verdict::Fail, None));
    app.handle_message(Message::Review(ReviewNews::Changes {
        events: bob.into_iter().chain(ana).collect(),
        taken: vec![("IDP04".into(), "bob".into())],
    }));
    (app, desk)
}

#[test]
fn list_with_marks_and_counts() {
    let (mut app, _) = decided(120, 24);
    press(&mut app, "g");
    insta::assert_snapshot!(screen(&app, 120, 24));
}

#[test]
fn list_with_marks_under_the_review_filter() {
    let (mut app, _) = decided(120, 24);
    // IDP00 is reviewed: "unreviewed only" hides it and the cursor goes to the first unreviewed
    // process (whose result and lease are asked: 9 in flight, not 6), then "reviewed only"
    // brings it back to IDP00. Only matching rows are shown and counted (issue 19).
    press(&mut app, "g F F");
    insta::assert_snapshot!(screen(&app, 120, 24));
}

#[test]
fn the_reason_picker() {
    let (mut app, _) = loaded(ten(), 100, 30);
    FakeDesk::new("ana").open(&mut app);
    press(&mut app, "j d");
    insta::assert_snapshot!(screen(&app, 100, 30));
}

#[test]
fn the_note_editor() {
    let (mut app, _) = loaded(ten(), 100, 30);
    FakeDesk::new("ana").open(&mut app);
    press(&mut app, "i");
    for c in "selfie taken from a screen — ask again".chars() {
        app.handle_key(crossterm::event::KeyEvent::new(
            crossterm::event::KeyCode::Char(c),
            crossterm::event::KeyModifiers::NONE,
        ));
    }
    insta::assert_snapshot!(screen(&app, 100, 30));
}

#[test]
fn the_tree_shows_the_decision_history() {
    let (mut app, _) = decided(140, 40);
    press(&mut app, "g");
    app.handle_message(result_message(&app, "IDP00", rich("IDP00")));
    // The review group is the second root, after the process.
    press(&mut app, "tab E g j enter");
    insta::assert_snapshot!(screen(&app, 140, 40));
}
