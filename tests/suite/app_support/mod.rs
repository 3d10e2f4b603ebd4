//! Fixed test data and helpers shared by the app and ui tests: no clock, no random ids.
#![allow(dead_code)]

use std::sync::Arc;

use crossterm::event::{KeyEvent, KeyEventKind, KeyEventState};
use serde_json::{Value, json};
use truora_tui::api::model::{ProcessResult, ProcessSummary, ValidationDetails};
use truora_tui::api::{ApiError, ErrorBody};
use truora_tui::app::{App, AppOptions, Command, Job, ListPage, Message, RequestId};
use truora_tui::keymap::Key;

pub const SEED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/seed_result.json"
));

/// The whole screen as the ui draws `app` on a `width`×`height` terminal, as text.
pub fn screen(app: &App, width: u16, height: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let mut terminal = ratatui::Terminal::new(backend).expect("test terminal");
    terminal
        .draw(|f| truora_tui::ui::draw(app, f))
        .expect("draw");
    terminal.backend().to_string()
}

/// A key press as the terminal reports it, from the config spelling (`j`, `ctrl-c`, `enter`).
pub fn key(spelling: &str) -> KeyEvent {
    let k = Key::parse(spelling).expect("test key parses");
    KeyEvent {
        code: k.code,
        modifiers: k.mods,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    }
}

pub fn press(app: &mut App, keys: &str) -> Vec<Command> {
    keys.split_whitespace()
        .flat_map(|k| app.handle_key(key(k)))
        .collect()
}

pub fn summary(id: &str, status: &str, date: &str, reason: &str, country: &str) -> ProcessSummary {
    let v = json!({
        "process_id": id, "status": status, "creation_date": date,
        "declined_reason": reason, "country": country, "flow_id": "IPFflow01",
        "client_user_id": format!("user-{id}"),
        "failure_status": if status == "failure" { "declined" } else { "" },
    });
    ProcessSummary::from_object(v.as_object().expect("object"))
}

/// Ten processes, newest first: every third one failed.
pub fn ten() -> Vec<ProcessSummary> {
    (0..10)
        .map(|i| {
            let status = match i % 3 {
                0 => "failure",
                1 => "success",
                _ => "pending",
            };
            let reason = if status == "failure" {
                "blurry_image"
            } else {
                ""
            };
            let country = if i % 2 == 0 { "CO" } else { "MX" };
            summary(
                &format!("IDP{i:02}"),
                status,
                &format!("2024-03-{:02}T10:00:00Z", 20 - i),
                reason,
                country,
            )
        })
        .collect()
}

pub fn app() -> App {
    App::new(AppOptions::default())
}

/// An app at `width`×`height` with the given rows loaded (no more pages).
pub fn loaded(rows: Vec<ProcessSummary>, width: u16, height: u16) -> (App, Vec<Command>) {
    let mut app = app();
    app.start();
    app.handle_message(Message::Resize { width, height });
    let cmds = app.handle_message(page_message(&app, rows, false));
    (app, cmds)
}

/// The id of the oldest request the app awaits whose job matches; fails the test when the app
/// asked nothing such.
pub fn asked(app: &App, what: &str, matches: impl Fn(&Job) -> bool) -> RequestId {
    app.pending_requests()
        .find(|(_, job)| matches(job))
        .map(|(id, _)| id)
        .unwrap_or_else(|| {
            let pending: Vec<_> = app.pending_requests().collect();
            panic!("the app did not ask for {what}; it awaits {pending:?}")
        })
}

pub fn asked_result(app: &App, process_id: &str) -> RequestId {
    asked(
        app,
        process_id,
        |job| matches!(job, Job::FetchResult { process_id: p, .. } if p == process_id),
    )
}

/// The answer to the app's pending page request.
pub fn page_message(
    app: &App,
    items: Vec<truora_tui::api::model::ProcessSummary>,
    more: bool,
) -> Message {
    Message::Page {
        id: asked(app, "a page", |job| *job == Job::LoadPage),
        result: Ok(ListPage {
            items,
            more,
            skipped: 0,
        }),
    }
}

/// The processes whose results these commands ask for.
pub fn fetches(cmds: &[Command]) -> Vec<&str> {
    cmds.iter()
        .filter_map(|c| match c.job() {
            Some(Job::FetchResult { process_id, .. }) => Some(process_id.as_str()),
            _ => None,
        })
        .collect()
}

/// The jobs of these commands, in order (requests only).
pub fn jobs(cmds: &[Command]) -> Vec<&Job> {
    cmds.iter().filter_map(Command::job).collect()
}

pub fn not_found(what: &str) -> ApiError {
    ApiError::NotFound {
        what: what.into(),
        body: ErrorBody::default(),
    }
}

/// A failed process with a document validation (two failing checks, front and reverse images),
/// a face validation (similarity 0.41 below threshold 0.65) and a signature PDF.
pub fn rich_json(process_id: &str) -> Value {
    json!({
        "process_id": process_id,
        "account_id": "ACC1",
        "client_user_id": "user-42",
        "flow_id": "IPF123",
        "flow_version": "3",
        "country": "CO",
        "status": "failure",
        "failure_status": "declined",
        "declined_reason": "similarity_threshold_not_passed",
        "creation_date": "2024-03-20T10:00:00Z",
        "update_date": "2024-03-20T10:05:00Z",
        "first_name": "Ana",
        "last_name": "Pérez",
        "document_number": "1234567",
        "city": "Bogotá",
        "ip_address": "10.0.0.1",
        "metadata": {"channel": "web"},
        "brand_new_field": {"x": 1},
        "validations": [
            {
                "validation_id": "VLD-doc",
                "type": "document-validation",
                "validation_status": "failure",
                "failure_status": "declined",
                "declined_reason": "document_has_expired",
                "creation_date": "2024-03-20T10:01:00Z",
                "front_image": "https://s3.example/doc-front.jpg?X-Amz-Expires=900",
                "reverse_image": "https://s3.example/doc-reverse.jpg?X-Amz-Expires=900",
                "details": {
                    "document_details": {"document_number": "1234567", "name": "ANA", "expiration_date": "2020-01-01"},
                    "document_validations": {
                        "data_consistency": [
                            {"validation_name": "name_match", "result": "valid", "message": "ok"},
                            {"validation_name": "expiry", "result": "invalid", "message": "document expired"}
                        ],
                        "image_analysis": [
                            {"validation_name": "blur", "result": "invalid", "message": "image too blurry"},
                            {"validation_name": "glare", "result": "skipped"}
                        ]
                    }
                }
            },
            {
                "validation_id": "VLD-face",
                "type": "face-recognition",
                "validation_status": "failure",
                "failure_status": "declined",
                "declined_reason": "similarity_threshold_not_passed",
                "threshold": 0.65,
                "face_photo": "https://s3.example/selfie.jpg",
                "front_image": "https://s3.example/reference.jpg",
                "details": {
                    "face_recognition_validations": {
                        "similarity_status": "failure",
                        "confidence_score": 0.41,
                        "age_range": {"low": 25, "high": 32},
                        "passive_liveness_status": "success",
                        "face_search": {"status": "not_found", "confidence_score": 0.1}
                    }
                }
            },
            {
                "validation_id": "VLD-sig",
                "type": "electronic-signature",
                "validation_status": "success",
                "details": {
                    "electronic_signature_details": {
                        "signed_document_url": "https://s3.example/signed.pdf",
                        "name": "Ana Pérez"
                    }
                }
            }
        ]
    })
}

pub fn rich(process_id: &str) -> Arc<ProcessResult> {
    Arc::new(ProcessResult::from_value(rich_json(process_id)).expect("rich result parses"))
}

/// A successful process with no images.
pub fn plain(process_id: &str) -> Arc<ProcessResult> {
    let v = json!({"process_id": process_id, "status": "success", "validations": [
        {"validation_id": "VLD-ok", "type": "email-verification", "validation_status": "success"}
    ]});
    Arc::new(ProcessResult::from_value(v).expect("parses"))
}

pub fn seed() -> Arc<ProcessResult> {
    Arc::new(ProcessResult::from_slice(SEED.as_bytes()).expect("seed parses"))
}

pub fn details(id: &str) -> Arc<ValidationDetails> {
    let v = json!({
        "validation_id": id, "type": "document-validation", "validation_status": "failure",
        "validation_inputs": {"country": "CO", "document_type": "national-id"},
        "details": {"document_validations": {"government_database": [
            {"validation_name": "registry", "result": "invalid", "message": "not in registry"}
        ]}},
        "user_response": {"input_files": ["https://s3.example/input-0.jpg"]}
    });
    Arc::new(ValidationDetails::from_value(v).expect("parses"))
}

/// The answer to the app's pending request for `process_id`'s result.
pub fn result_message(app: &App, process_id: &str, result: Arc<ProcessResult>) -> Message {
    Message::Result {
        id: asked_result(app, process_id),
        result: Ok(result),
    }
}

/// A failed answer to the app's pending request for `process_id`'s result.
pub fn result_failed(app: &App, process_id: &str, error: ApiError) -> Message {
    Message::Result {
        id: asked_result(app, process_id),
        result: Err(error),
    }
}

/// The worker gave up the app's pending request for `process_id`'s result.
pub fn result_cancelled(app: &App, process_id: &str) -> Message {
    Message::Cancelled {
        id: asked_result(app, process_id),
    }
}

/// The labels of the visible tree rows, indented by depth, with `>` on the cursor row.
pub fn tree_rows(app: &App) -> Vec<String> {
    let truora_tui::app::ResultView::Ready { tree, .. } = app.view() else {
        return Vec::new();
    };
    tree.visible()
        .iter()
        .enumerate()
        .map(|(pos, &i)| {
            let n = &tree.nodes()[i];
            let text: Vec<&str> = n.parts.iter().map(|p| p.text.as_str()).collect();
            let mark = if pos == tree.cursor() { ">" } else { " " };
            format!("{mark}{}{}", "  ".repeat(n.depth), text.join(" "))
        })
        .collect()
}

pub fn cursor_id(app: &App) -> Option<String> {
    match app.view() {
        truora_tui::app::ResultView::Ready { tree, .. } => tree.cursor_node().map(|n| n.id.clone()),
        _ => None,
    }
}

/// A decoded image's facts with no terminal encoding (images off, or a test that only looks at
/// the info line).
pub fn info_only(
    kind: truora_tui::api::model::ImageKind,
) -> Arc<truora_tui::images::RenderedImage> {
    Arc::new(truora_tui::images::RenderedImage {
        info: truora_tui::images::ImageInfo {
            kind,
            width: 640,
            height: 480,
            bytes: 53_350,
            format: "jpeg",
        },
        protocol: None,
        shown: truora_tui::images::Region::WHOLE,
        portrait: None,
    })
}

/// A real half-block encoding of a 200×200 picture striped half a cell high, so every cell of
/// `area` is drawn as `▀` in two colours.
pub fn striped_halfblocks(area: (u16, u16)) -> ratatui_image::protocol::Protocol {
    let img = image::RgbImage::from_fn(200, 200, |_, y| {
        if (y / 10) % 2 == 0 {
            image::Rgb([200, 30, 30])
        } else {
            image::Rgb([30, 30, 200])
        }
    });
    ratatui_image::picker::Picker::halfblocks()
        .new_protocol(
            image::DynamicImage::ImageRgb8(img),
            ratatui::layout::Size::new(area.0, area.1),
            ratatui_image::Resize::Fit(None),
        )
        .expect("halfblocks encode")
}
