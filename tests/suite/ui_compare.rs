//! The compare view as whole screens: with and without a face check, zoomed, at the smallest
//! supported terminal (80×24) and a large one (200×60).

use crate::app_support;

use std::sync::Arc;

use app_support::*;
use serde_json::Value;
use truora_tui::api::model::{ImageKind, ProcessResult};
use truora_tui::app::{App, Command, Job, Message};
use truora_tui::images::{ImageInfo, RenderedImage};
use truora_tui::images::{ImageView, Region};

/// The rich failed process without its face-recognition validation: a document-only flow.
fn without_face(process_id: &str) -> Arc<ProcessResult> {
    let mut v = rich_json(process_id);
    if let Some(Value::Array(validations)) = v.get_mut("validations") {
        validations.retain(|x| x["type"] != "face-recognition");
    }
    Arc::new(ProcessResult::from_value(v).expect("parses"))
}

/// A real half-block encoding (stripes), as the worker would answer, showing `shown`.
fn rendered(
    kind: ImageKind,
    area: (u16, u16),
    view: ImageView,
    shown: Region,
) -> Arc<RenderedImage> {
    assert!(area.0 > 0 && area.1 > 0, "compare has room for images");
    let protocol = striped_halfblocks(area);
    let image = RenderedImage {
        info: ImageInfo {
            kind,
            width: 3000,
            height: 2000,
            bytes: 812_000,
            format: "jpeg",
        },
        protocol: Some(protocol),
        shown,
        portrait: (view == ImageView::Portrait).then_some(true),
    };
    Arc::new(image)
}

/// Answers every image fetch in `cmds`; the document shows a portrait region when asked for one.
fn answer_all(app: &mut App, cmds: &[Command]) {
    for c in cmds {
        if let (
            Some(id),
            Some(Job::FetchImage {
                request,
                area,
                view,
            }),
        ) = (c.request_id(), c.job())
        {
            let shown = match view {
                ImageView::Portrait => Region {
                    x: 500,
                    y: 2000,
                    w: 2500,
                    h: 5000,
                },
                ImageView::Region(r) => *r,
                ImageView::Whole => Region::WHOLE,
            };
            app.handle_message(Message::Image {
                id,
                result: Ok(rendered(request.link.kind, *area, *view, shown)),
            });
        }
    }
}

fn compare(result: Arc<ProcessResult>, width: u16, height: u16, keys: &str) -> String {
    let rows = vec![summary(
        "IDP1",
        "failure",
        "2024-03-20T10:00:00Z",
        "similarity_threshold_not_passed",
        "CO",
    )];
    let (mut app, _) = loaded(rows, width, height);
    app.handle_message(result_message(&app, "IDP1", result));
    let cmds = press(&mut app, "c");
    answer_all(&mut app, &cmds);
    let cmds = press(&mut app, keys);
    answer_all(&mut app, &cmds);
    screen(&app, width, height)
}

#[test]
fn compare_with_a_face_check_80x24() {
    let text = compare(rich("IDP1"), 80, 24, "");
    assert!(text.contains("similarity 0.41 / threshold 0.65"), "{text}");
    assert!(text.contains("portrait"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn compare_with_a_face_check_200x60() {
    let text = compare(rich("IDP1"), 200, 60, "");
    assert!(text.contains("IDP1 · Ana Pérez · doc 1234567"), "{text}");
    assert!(text.contains("liveness success"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn compare_without_a_face_check_80x24() {
    let text = compare(without_face("IDP1"), 80, 24, "");
    assert!(text.contains("no face check in this process"), "{text}");
    assert!(!text.contains("similarity ?"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn compare_without_a_face_check_200x60() {
    let text = compare(without_face("IDP1"), 200, 60, "");
    assert!(text.contains("it has: document-validation"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn compare_zoomed_80x24() {
    let text = compare(rich("IDP1"), 80, 24, "+ +");
    assert!(text.contains("zoom "), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn compare_zoomed_selfie_200x60() {
    let text = compare(rich("IDP1"), 200, 60, "tab + l");
    assert!(text.contains("zoom 1.5× · 0 resets"), "{text}");
    insta::assert_snapshot!(text);
}
