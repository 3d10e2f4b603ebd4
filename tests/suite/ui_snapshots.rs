//! Whole screens as text snapshots (`TestBackend`), in every state a pane can be in.

use crate::app_support;

use std::sync::Arc;
use truora_tui::images::ImageView;

use app_support::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;
use truora_tui::api::model::ImageKind;
use truora_tui::app::overlays::Overlay;
use truora_tui::app::preview::{ImageState, preview_request};
use truora_tui::app::{App, AppOptions, Command, ImageFailure, Job, ListPage, Message, ResultView};
use truora_tui::images::{ImageInfo, RenderedImage};

/// The list of ten with the rich failed process selected and loaded.
fn full(width: u16, height: u16) -> (App, Vec<Command>) {
    let mut rows = ten();
    rows[0] = summary(
        "IDP1",
        "failure",
        "2024-03-20T10:00:00Z",
        "similarity_threshold_not_passed",
        "CO",
    );
    let (mut app, _) = loaded(rows, width, height);
    let cmds = app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    (app, cmds)
}

fn image_asks(cmds: &[Command]) -> Vec<(truora_tui::images::ImageKey, (u16, u16))> {
    cmds.iter()
        .filter_map(|c| match c.job() {
            Some(Job::FetchImage { request, area, .. }) => Some((request.key.clone(), *area)),
            _ => None,
        })
        .collect()
}

/// The answer to the app's pending request for `key` at `area`.
fn image_answer(
    app: &App,
    key: &truora_tui::images::ImageKey,
    area: (u16, u16),
    result: Result<Arc<truora_tui::images::RenderedImage>, ImageFailure>,
) -> Message {
    let id = asked(
        app,
        "the image",
        |j| matches!(j, Job::FetchImage { request, area: a, .. } if request.key == *key && *a == area),
    );
    Message::Image { id, result }
}

/// A real half-block encoding of a small two-colour picture.
fn halfblocks(kind: ImageKind, area: (u16, u16)) -> Arc<RenderedImage> {
    let protocol = striped_halfblocks(area);
    let info = ImageInfo {
        kind,
        width: 200,
        height: 200,
        bytes: 1_234,
        format: "png",
    };
    Arc::new(RenderedImage {
        info,
        protocol: Some(protocol),
        shown: truora_tui::images::Region::WHOLE,
        portrait: None,
    })
}

#[test]
fn list_loading() {
    let mut app = app();
    app.start();
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn list_empty() {
    let (app, _) = loaded(Vec::new(), 80, 24);
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn list_error() {
    let mut app = app();
    app.start();
    app.handle_message(Message::Page {
        id: asked(&app, "a page", |j| *j == Job::LoadPage),
        result: Err(not_found("process list")),
    });
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn list_and_result_loading_with_more_pages() {
    let mut app = app();
    app.start();
    app.handle_message(Message::Resize {
        width: 120,
        height: 30,
    });
    app.handle_message(Message::Page {
        id: asked(&app, "a page", |j| *j == Job::LoadPage),
        result: Ok(ListPage {
            items: ten(),
            more: true,
            skipped: 2,
        }),
    });
    insta::assert_snapshot!(screen(&app, 120, 30));
}

#[test]
fn result_error() {
    let (mut app, _) = loaded(ten(), 100, 24);
    app.handle_message(result_failed(
        &app,
        "IDP00",
        not_found("process IDP00 result"),
    ));
    // 100 columns show one pane at a time: enter opens the process.
    press(&mut app, "enter");
    insta::assert_snapshot!(screen(&app, 100, 24));
}

#[test]
fn full_80x24() {
    let (app, _) = full(80, 24);
    insta::assert_snapshot!(screen(&app, 80, 24));
}

#[test]
fn full_wide_with_image_info_and_filter_input() {
    let (mut app, cmds) = full(160, 40);
    let (key, area) = image_asks(&cmds).remove(0);
    app.handle_message(image_answer(
        &app,
        &key,
        area,
        Ok(info_only(ImageKind::DocumentFront)),
    ));
    press(&mut app, "/ c o");
    insta::assert_snapshot!(screen(&app, 160, 40));
}

#[test]
fn preview_with_a_halfblocks_image() {
    let (mut app, cmds) = full(120, 40);
    let (key, area) = image_asks(&cmds).remove(0);
    let image = halfblocks(ImageKind::DocumentFront, area);
    app.handle_message(image_answer(&app, &key, area, Ok(image)));
    insta::assert_snapshot!(screen(&app, 120, 40));
}

#[test]
fn preview_error() {
    let (mut app, cmds) = full(120, 30);
    let (key, area) = image_asks(&cmds).remove(0);
    let error = "the image link has expired (links last 15 minutes)".to_owned();
    app.handle_message(image_answer(&app, &key, area, Err(error.into())));
    insta::assert_snapshot!(screen(&app, 120, 30));
}

#[test]
fn preview_of_a_document_link_shows_its_facts_and_fetches_nothing() {
    let (mut app, _) = full(120, 30);
    // The preview steps back from the document front and wraps to the signed PDF.
    let cmds = press(&mut app, "tab tab k");
    assert!(image_asks(&cmds).is_empty(), "{cmds:?}");
    let text = screen(&app, 120, 30);
    assert!(text.contains("document file link — s saves it"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn images_off_shows_the_info_only() {
    let opts = AppOptions {
        images_enabled: false,
        image_protocol: "off".into(),
        ..AppOptions::default()
    };
    let mut app = App::new(opts);
    app.start();
    app.handle_message(Message::Resize {
        width: 100,
        height: 30,
    });
    let row = summary("IDP1", "failure", "2024-03-20T10:00:00Z", "", "CO");
    app.handle_message(page_message(&app, vec![row], false));
    // 100 columns show one pane at a time: enter opens the process (and its preview).
    press(&mut app, "enter");
    let cmds = app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    let (key, area) = image_asks(&cmds).remove(0);
    app.handle_message(image_answer(
        &app,
        &key,
        area,
        Ok(info_only(ImageKind::DocumentFront)),
    ));
    insta::assert_snapshot!(screen(&app, 100, 30));
}

#[test]
fn help_overlay() {
    let (mut app, _) = full(100, 40);
    press(&mut app, "?");
    insta::assert_snapshot!(screen(&app, 100, 40));
}

#[test]
fn raw_view() {
    let (mut app, _) = full(100, 30);
    press(&mut app, "tab k k v");
    insta::assert_snapshot!(screen(&app, 100, 30));
}

#[test]
fn compare_view() {
    let (mut app, _) = full(120, 30);
    let cmds = press(&mut app, "c");
    let asks = image_asks(&cmds);
    assert_eq!(asks.len(), 2);
    let (key, area) = asks[1].clone();
    app.handle_message(image_answer(
        &app,
        &key,
        area,
        Ok(info_only(ImageKind::FacePhoto)),
    ));
    insta::assert_snapshot!(screen(&app, 120, 30));
}

#[test]
fn too_small() {
    let (app, _) = full(79, 24);
    insta::assert_snapshot!(screen(&app, 79, 24));
}

#[test]
fn seed_tree_expanded() {
    let (mut app, _) = loaded(vec![summary("some text", "failure", "", "", "CO")], 120, 50);
    app.handle_message(result_message(&app, "some text", seed()));
    press(&mut app, "tab e g");
    insta::assert_snapshot!(screen(&app, 120, 50));
}

#[test]
fn scrolled_tree_keeps_the_cursor_in_view() {
    let (mut app, _) = full(80, 24);
    press(&mut app, "tab e G");
    let text = screen(&app, 80, 24);
    assert!(
        text.contains("› "),
        "the cursor row is drawn after scrolling:\n{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn no_color_means_no_foreground_colours() {
    let opts = AppOptions {
        color: false,
        ..AppOptions::default()
    };
    let mut app = App::new(opts);
    app.start();
    app.handle_message(page_message(&app, ten(), false));
    app.handle_message(result_message(&app, "IDP00", rich("IDP00")));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    terminal
        .draw(|f| truora_tui::ui::draw(&app, f))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    assert!(buffer.content.iter().all(|c| c.fg == Color::Reset));
    let text = terminal.backend().to_string();
    assert!(text.contains("✗ failure") && text.contains("✓ success"));
}

/// A character that must never reach the terminal from server text: controls (C0, DEL, C1, and
/// so every escape sequence's introducer) and bidi overrides.
fn unsafe_char(c: char) -> bool {
    c.is_control()
        || ('\u{80}'..='\u{9f}').contains(&c)
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Every string the app hands the ui: tree labels, the status line, the result and image errors
/// and the raw view. ratatui itself drops control characters when drawing, so the drawn buffer
/// alone would hide a missing sanitisation; these are checked before drawing.
fn app_strings(app: &App) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let status = app.status();
    out.extend(status.error.clone().map(|e| ("status error".to_owned(), e)));
    out.extend(status.info.clone().map(|i| ("status info".to_owned(), i)));
    match app.view() {
        ResultView::Ready { tree, .. } => {
            for node in tree.nodes() {
                for part in &node.parts {
                    out.push((format!("tree node {}", node.id), part.text.clone()));
                }
            }
            if let Some(request) = preview_request(tree) {
                let area = app.panes().preview_image;
                let state =
                    app.images()
                        .state(&request.key, (area.width, area.height), ImageView::Whole);
                if let ImageState::Failed(e) = state {
                    out.push(("image error".to_owned(), e.to_owned()));
                }
            }
        }
        ResultView::Failed { error, .. } => {
            out.push(("result error".to_owned(), error.clone()));
        }
        _ => {}
    }
    if let Overlay::Raw(raw) = app.overlay() {
        out.push(("raw view title".to_owned(), raw.title.clone()));
        out.extend(
            raw.lines
                .iter()
                .map(|l| ("raw view line".to_owned(), l.clone())),
        );
    }
    out
}

#[test]
fn hostile_server_text_is_sanitised() {
    // An OSC 52 clipboard write, a screen clear, a C1 CSI and a right-to-left override.
    let evil = "\u{1b}]52;c;aGk=\u{7}\u{1b}[2J\u{9b}31m\u{202e}";
    let mut row = summary(&format!("IDP{evil}"), "failure", evil, evil, evil);
    row.client_user_id = Some(evil.into());
    row.flow_id = Some(evil.into());
    let (mut app, _) = loaded(vec![row], 200, 40);
    let id = app
        .view()
        .process_id()
        .map(str::to_owned)
        .expect("selected");
    let result = serde_json::json!({
        "process_id": id, "status": evil, "declined_reason": evil, evil: evil,
        "flow_id": evil, "client_user_id": evil, "failure_status": evil,
        "validations": [{"validation_id": evil, "type": evil, "validation_status": "failure",
            "declined_reason": evil, "failure_status": evil,
            "front_image": format!("https://s3.example/{evil}"),
            "details": {"document_details": {evil: evil},
                "document_validations": {evil: [{"validation_name": evil, "result": evil, "message": evil}]}}}]
    });
    let result = truora_tui::api::model::ProcessResult::from_value(result).expect("object");
    app.handle_message(result_message(&app, &id, Arc::new(result)));
    press(&mut app, "s");
    app.handle_message(Message::Saved {
        id: asked(&app, "a save", |j| matches!(j, Job::Save { .. })),
        result: Err(evil.into()),
    });
    let mut checked = 0;
    let mut check = |app: &App, step: &str| {
        let strings = app_strings(app);
        assert!(
            strings.iter().any(|(_, s)| s.contains("52;c;aGk=")),
            "{step}: the hostile text is on screen somewhere"
        );
        for (what, s) in &strings {
            assert!(!s.chars().any(unsafe_char), "{step}: {what}: {s:?}");
        }
        checked += strings.len();
        let mut terminal = Terminal::new(TestBackend::new(200, 40)).expect("terminal");
        terminal
            .draw(|f| truora_tui::ui::draw(app, f))
            .expect("draw");
        for cell in &terminal.backend().buffer().content {
            let symbol = cell.symbol();
            assert!(!symbol.chars().any(unsafe_char), "{step}: {symbol:?}");
        }
    };
    check(&app, "loaded");
    press(&mut app, "tab e");
    check(&app, "expanded");
    let key = match app.view() {
        ResultView::Ready { tree, .. } => preview_request(tree).map(|r| r.key.clone()),
        _ => None,
    }
    .expect("the document front is previewed");
    let image_id = asked(
        &app,
        "the preview",
        |j| matches!(j, Job::FetchImage { request, .. } if request.key == key),
    );
    app.handle_message(Message::Image {
        id: image_id,
        result: Err(evil.into()),
    });
    check(&app, "image failed");
    assert!(
        app_strings(&app)
            .iter()
            .any(|(what, _)| what == "image error")
    );
    // `y` on the process row: the status line says what was copied.
    press(&mut app, "g y");
    assert!(app.status().info.is_some());
    check(&app, "copied");
    // The raw view of every row: titles carry the JSON pointer, made of server keys.
    press(&mut app, "g");
    let rows = match app.view() {
        ResultView::Ready { tree, .. } => tree.visible().len(),
        _ => 0,
    };
    let mut titles = Vec::new();
    for row in 0..rows {
        press(&mut app, "v");
        if let Overlay::Raw(raw) = app.overlay() {
            titles.push(raw.title.clone());
        }
        check(&app, &format!("raw view of row {row}"));
        press(&mut app, "esc j");
    }
    assert!(
        titles.iter().any(|t| t.contains("52;c;aGk=")),
        "a raw view title carries server text: {titles:?}"
    );
    press(&mut app, "shift-tab v");
    check(&app, "raw view of the result");
    press(&mut app, "esc");
    // Validations API details, fetched and then failed, carrying the same text.
    let details = serde_json::json!({
        "validation_id": evil, "type": evil, "validation_status": evil, "declined_reason": evil,
        evil: evil, "details": {"document_validations": {evil: [{"validation_name": evil,
            "result": "invalid", "message": evil}]}}
    });
    let details = truora_tui::api::model::ValidationDetails::from_value(details).expect("details");
    press(&mut app, "tab e g");
    let mut guard = 0;
    while cursor_id(&app).as_deref() != Some("v0/d") && guard < 200 {
        press(&mut app, "j");
        guard += 1;
    }
    let details_asked =
        |app: &App| asked(app, "details", |j| matches!(j, Job::FetchDetails { .. }));
    press(&mut app, "l");
    app.handle_message(Message::Details {
        id: details_asked(&app),
        result: Err(not_found(evil)),
    });
    check(&app, "details failed");
    press(&mut app, "h l");
    app.handle_message(Message::Details {
        id: details_asked(&app),
        result: Ok(Arc::new(details)),
    });
    press(&mut app, "e");
    check(&app, "details");
    press(&mut app, "r");
    app.handle_message(result_failed(&app, &id, not_found(evil)));
    check(&app, "result failed");
    assert!(checked > 100, "{checked} strings checked");
}
