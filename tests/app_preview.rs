//! The preview fetches pictures only: a link to a document or to anything else (any http(s)
//! string in user-submitted data is a link) shows its facts and is fetched only when saved.

mod app_support;

use std::sync::Arc;

use app_support::*;
use serde_json::json;
use truora_tui::api::model::{ImageKind, ProcessResult};
use truora_tui::app::preview::{auto_fetches, preview_request};
use truora_tui::app::{App, Command, Job, ResultView};

/// The rich process plus a validation whose only link is a stranger's URL.
fn with_a_stranger_link(process_id: &str) -> Arc<ProcessResult> {
    let mut v = rich_json(process_id);
    if let Some(validations) = v["validations"].as_array_mut() {
        validations.push(json!({
            "validation_id": "VLD-x",
            "type": "phone-verification",
            "validation_status": "success",
            "details": {"profile": {"homepage": "https://tracker.example/p.gif?u=42"}}
        }));
    }
    Arc::new(ProcessResult::from_value(v).expect("parses"))
}

fn loaded_app() -> (App, Vec<Command>) {
    let (mut app, _) = loaded(vec![summary("IDP1", "failure", "", "", "")], 120, 40);
    let cmds = app.handle_message(result_message(&app, "IDP1", with_a_stranger_link("IDP1")));
    (app, cmds)
}

fn fetched_kinds(cmds: &[Command]) -> Vec<ImageKind> {
    cmds.iter()
        .filter_map(|c| match c.job() {
            Some(Job::FetchImage { request, .. }) => Some(request.link.kind),
            _ => None,
        })
        .collect()
}

fn previewed_kind(app: &App) -> Option<ImageKind> {
    match app.view() {
        ResultView::Ready { tree, .. } => preview_request(tree).map(|r| r.link.kind),
        _ => None,
    }
}

#[test]
fn only_pictures_are_fetched_for_the_preview() {
    let (mut app, cmds) = loaded_app();
    assert_eq!(fetched_kinds(&cmds), [ImageKind::DocumentFront]);
    // Step the preview through every link, twice round: each picture is asked once, the
    // document and the stranger's link never.
    let mut seen = Vec::new();
    let mut fetched = Vec::new();
    press(&mut app, "tab tab");
    for _ in 0..12 {
        fetched.extend(fetched_kinds(&press(&mut app, "j")));
        seen.extend(previewed_kind(&app));
    }
    assert!(seen.contains(&ImageKind::Document) && seen.contains(&ImageKind::Other));
    assert_eq!(
        fetched,
        [
            ImageKind::DocumentReverse,
            ImageKind::FacePhoto,
            ImageKind::ReferenceFace
        ]
    );
    assert!(fetched.iter().all(|k| k.is_picture()));
}

#[test]
fn a_file_link_is_fetched_only_when_saved() {
    let (mut app, _) = loaded_app();
    press(&mut app, "tab tab");
    for _ in 0..12 {
        if previewed_kind(&app) == Some(ImageKind::Other) {
            break;
        }
        press(&mut app, "j");
    }
    assert_eq!(previewed_kind(&app), Some(ImageKind::Other));
    let ResultView::Ready { tree, .. } = app.view() else {
        panic!("loaded")
    };
    let request = preview_request(tree).cloned().expect("on the link");
    assert!(!auto_fetches(&request));
    assert_eq!(request.link.url, "https://tracker.example/p.gif?u=42");
    // Resizing: still never fetched.
    let cmds = app.handle_message(truora_tui::app::Message::Resize {
        width: 150,
        height: 45,
    });
    assert!(fetched_kinds(&cmds).is_empty(), "{cmds:?}");
    // `s` saves exactly that link.
    let cmds = press(&mut app, "s");
    assert_eq!(jobs(&cmds), [&Job::Save { request }]);
}
