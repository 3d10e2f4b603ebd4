//! The preview fetches pictures only: a link to a document or to anything else (any http(s)
//! string in user-submitted data is a link) shows its facts and is fetched only when saved.

use crate::app_support;

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

/// What the preview shows on every row of `result`'s fully open tree: node id → (kind, type of
/// the validation the image belongs to).
fn preview_by_row(
    result: Arc<ProcessResult>,
) -> (App, std::collections::BTreeMap<String, (ImageKind, String)>) {
    let (mut app, _) = loaded(vec![summary("IDP1", "failure", "", "", "")], 120, 40);
    app.handle_message(result_message(&app, "IDP1", result));
    press(&mut app, "tab e g");
    let mut shown = std::collections::BTreeMap::new();
    loop {
        let ResultView::Ready { tree, .. } = app.view() else {
            panic!("loaded")
        };
        let id = cursor_id(&app).expect("a cursor");
        let request = preview_request(tree).expect("the process has pictures");
        shown.insert(
            id.clone(),
            (request.link.kind, request.validation_type.clone()),
        );
        press(&mut app, "j");
        if cursor_id(&app).as_deref() == Some(id.as_str()) {
            return (app, shown);
        }
    }
}

#[test]
fn the_preview_follows_the_tree_cursor_to_the_face_or_the_document() {
    let (_, shown) = preview_by_row(rich("IDP1"));
    let doc = (ImageKind::DocumentFront, "document-validation".to_owned());
    let face = (ImageKind::FacePhoto, "face-recognition".to_owned());
    let cases = [
        // The process and what is not in a validation: the document front.
        ("p", &doc),
        // Inside the document validation: its front.
        ("v0", &doc),
        ("v0/g0/1", &doc),
        // Anywhere in the face validation, its face-recognition heading first: the face.
        ("v1", &face),
        ("v1/id", &face),
        ("v1/face", &face),
        ("v1/face/sim", &face),
        ("v1/face/live", &face),
        // The signature holds only a PDF: the process's first picture.
        ("v2", &doc),
    ];
    for (id, want) in cases {
        assert_eq!(shown.get(id), Some(want), "{id}: {shown:#?}");
    }
    // An image node shows itself.
    let images: Vec<ImageKind> = shown
        .iter()
        .filter(|(id, _)| id.contains("/img"))
        .map(|(_, (kind, _))| *kind)
        .collect();
    assert_eq!(
        images,
        [
            ImageKind::DocumentFront,
            ImageKind::DocumentReverse,
            ImageKind::FacePhoto,
            ImageKind::ReferenceFace,
            ImageKind::Document
        ]
    );
    // Stepping from the document into the face validation fetches the face for the preview,
    // and `s` saves what the preview shows.
    let (mut app, _) = loaded(vec![summary("IDP1", "failure", "", "", "")], 120, 40);
    app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    press(&mut app, "tab e");
    let ResultView::Ready { tree, .. } = app.view() else {
        panic!()
    };
    let face_at = tree
        .visible()
        .iter()
        .position(|&i| tree.nodes()[i].id == "v1")
        .expect("the face validation is visible");
    let cmds = press(&mut app, &format!("g {}", "j ".repeat(face_at)));
    assert_eq!(cursor_id(&app).as_deref(), Some("v1"));
    assert!(
        fetched_kinds(&cmds).contains(&ImageKind::FacePhoto),
        "{cmds:?}"
    );
    let saved: Vec<ImageKind> = jobs(&press(&mut app, "s"))
        .iter()
        .filter_map(|j| match j {
            Job::Save { request } => Some(request.link.kind),
            _ => None,
        })
        .collect();
    assert_eq!(saved, [ImageKind::FacePhoto]);
}

#[test]
fn a_face_heading_in_a_validation_without_a_face_shows_the_processs_face() {
    let mut v = rich_json("IDP1");
    v["validations"][0]["details"]["face_recognition_validations"] =
        json!({"similarity_status": "success", "confidence_score": 0.9});
    let (_, shown) = preview_by_row(Arc::new(ProcessResult::from_value(v).expect("parses")));
    let face = (ImageKind::FacePhoto, "face-recognition".to_owned());
    assert_eq!(shown.get("v0/face"), Some(&face), "{shown:#?}");
    assert_eq!(shown.get("v0/face/sim"), Some(&face));
    assert_eq!(
        shown.get("v0/g0/1"),
        Some(&(ImageKind::DocumentFront, "document-validation".to_owned())),
        "the rest of the document validation shows its front"
    );
}
