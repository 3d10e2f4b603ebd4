//! What the browser tells the access log: with the log on, the app returns `Command::Audit`s for
//! a process shown (once per session), an image drawn (once per image), the comparison and raw
//! views opened, an id copied and an image saved; with it off, none.

use crate::app_support;
use crate::review_support;

use std::path::PathBuf;

use app_support::*;
use truora_tui::api::model::ImageKind;
use truora_tui::app::message::Job;
use truora_tui::app::{App, AppOptions, Command, Message};
use truora_tui::audit::{AuditEvent, Code, ImageTag, ProcessRef, RawKind};

fn audited(commands: &[Command]) -> Vec<AuditEvent> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Audit(event) => Some(event.clone()),
            _ => None,
        })
        .collect()
}

/// A logging app at 120×40 with IDP1 and IDP2 listed and IDP1's result in; the commands it
/// returned on the way.
fn app_with_log(audit: bool) -> (App, Vec<Command>) {
    let mut app = App::new(AppOptions {
        audit,
        ..AppOptions::default()
    });
    let mut cmds = app.start();
    cmds.extend(app.handle_message(Message::Resize {
        width: 120,
        height: 40,
    }));
    let rows = vec![
        summary("IDP1", "failure", "", "", ""),
        summary("IDP2", "success", "", "", ""),
    ];
    let page = page_message(&app, rows, false);
    cmds.extend(app.handle_message(page));
    let result = result_message(&app, "IDP1", rich("IDP1"));
    cmds.extend(app.handle_message(result));
    (app, cmds)
}

fn p1() -> ProcessRef {
    ProcessRef::new("IDP1")
}

#[test]
fn what_the_reviewer_sees_and_does_is_recorded_once_each() {
    let (mut app, cmds) = app_with_log(true);
    assert_eq!(
        audited(&cmds),
        [AuditEvent::ProcessOpened { process: p1() }]
    );

    // The preview's image arrives and is drawn: recorded once, however often it is redrawn.
    assert!(
        jobs(&cmds)
            .iter()
            .any(|j| matches!(j, Job::FetchImage { .. })),
        "no image asked for: {cmds:?}"
    );
    let image = Message::Image {
        id: asked(&app, "the preview", |j| matches!(j, Job::FetchImage { .. })),
        result: Ok(info_only(ImageKind::DocumentFront)),
    };
    assert_eq!(
        audited(&app.handle_message(image)),
        [AuditEvent::ImageShown {
            process: p1(),
            image: ImageTag::DocumentFront
        }]
    );
    let resized = Message::Resize {
        width: 120,
        height: 40,
    };
    assert_eq!(
        audited(&app.handle_message(resized)),
        [],
        "drawn again, not shown again"
    );

    assert_eq!(
        audited(&press(&mut app, "c")),
        [AuditEvent::CompareOpened { process: p1() }]
    );
    assert_eq!(audited(&press(&mut app, "esc")), []);
    assert_eq!(
        audited(&press(&mut app, "v")),
        [AuditEvent::RawViewOpened {
            process: p1(),
            view: RawKind::Result
        }]
    );
    press(&mut app, "esc");
    assert_eq!(
        audited(&press(&mut app, "y")),
        [AuditEvent::IdCopied { process: p1() }]
    );

    assert!(
        audited(&press(&mut app, "s")).is_empty(),
        "recorded when saved"
    );
    let saved = PathBuf::from("/d/IDP1/IDP1-document-front.jpg");
    let id = asked(&app, "a save", |j| matches!(j, Job::Save { .. }));
    let answer = Message::Saved {
        id,
        result: Ok(truora_tui::images::SaveOutcome::Written(saved.clone())),
    };
    assert_eq!(
        audited(&app.handle_message(answer)),
        [AuditEvent::ImageSaved {
            process: p1(),
            image: ImageTag::DocumentFront,
            path: saved.display().to_string(),
        }]
    );

    // Saving bytes already on disk writes nothing, so nothing is recorded.
    press(&mut app, "s");
    let id = asked(&app, "a save", |j| matches!(j, Job::Save { .. }));
    let answer = Message::Saved {
        id,
        result: Ok(truora_tui::images::SaveOutcome::Identical(saved.clone())),
    };
    assert!(audited(&app.handle_message(answer)).is_empty());

    // Leaving and coming back does not open the process again in the log.
    let away = press(&mut app, "j");
    let back = press(&mut app, "k");
    assert!(
        !audited(&back).contains(&AuditEvent::ProcessOpened { process: p1() }),
        "{away:?} {back:?}"
    );
}

#[test]
fn a_decision_is_logged_before_the_process_its_advance_opens() {
    let (mut app, _) = app_with_log(true);
    let mut desk = review_support::FakeDesk::new("ana");
    desk.open(&mut app);
    // IDP2's result is cached without IDP2 having been shown: the advance opens it at once.
    press(&mut app, "j k");
    let cached = result_message(&app, "IDP2", plain("IDP2"));
    assert_eq!(audited(&app.handle_message(cached)), []);

    let decided = press(&mut app, "d");
    assert_eq!(
        app.list().selected().and_then(|r| r.process_id.as_deref()),
        Some("IDP2"),
        "deciding advanced"
    );
    let mut logged = audited(&decided);
    logged.extend(audited(&desk.serve(&mut app, decided)));
    assert_eq!(
        logged,
        [
            AuditEvent::Decision {
                process: p1(),
                verdict: Code::new("fail"),
                reason: None,
            },
            AuditEvent::ProcessOpened {
                process: ProcessRef::new("IDP2")
            },
        ],
        "in the order they happened, though the store answered after IDP2 was open"
    );
}

#[test]
fn a_decision_the_store_refuses_is_not_logged_and_holds_nothing_back() {
    let (mut app, _) = app_with_log(true);
    review_support::FakeDesk::new("ana").open(&mut app);
    press(&mut app, "j k");
    let cached = result_message(&app, "IDP2", plain("IDP2"));
    app.handle_message(cached);
    let decided = press(&mut app, "d");
    let id = decided
        .iter()
        .find_map(|c| match c {
            Command::Request(r) if matches!(r.job, Job::Review(_)) => Some(r.id),
            _ => None,
        })
        .expect("a decision asked");
    let refused = Message::Review(truora_tui::app::message::review::ReviewNews::Answer {
        id,
        result: Err(truora_tui::app::NotRecorded::Store(
            "the review store is read-only".into(),
        )),
    });
    let mut logged = audited(&decided);
    logged.extend(audited(&app.handle_message(refused)));
    assert_eq!(
        logged,
        [AuditEvent::ProcessOpened {
            process: ProcessRef::new("IDP2")
        }]
    );
}

#[test]
fn with_the_log_off_the_app_says_nothing() {
    let (mut app, mut cmds) = app_with_log(false);
    cmds.extend(press(&mut app, "c esc v esc y s"));
    assert_eq!(audited(&cmds), []);
}
