//! Commands the app emits (images, save, copy, refresh, quit) and its overlays.

use crate::app_support;

use std::path::PathBuf;
use truora_tui::images::ImageView;

use app_support::*;
use truora_tui::api::model::ImageKind;
use truora_tui::app::overlays::Overlay;
use truora_tui::app::preview::ImageState;
use truora_tui::app::{App, AppOptions, Command, Job, Message, RequestId, SaveFailure};
use truora_tui::images::SaveOutcome;
use truora_tui::keymap::Action;

fn rich_app(width: u16, height: u16) -> (App, Vec<Command>) {
    let (mut app, _) = loaded(vec![summary("IDP1", "failure", "", "", "")], width, height);
    let cmds = app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    (app, cmds)
}

fn image_fetches(cmds: &[Command]) -> Vec<(String, (u16, u16))> {
    cmds.iter()
        .filter_map(|c| match c.job() {
            Some(Job::FetchImage { request, area, .. }) => Some((request.key.field.clone(), *area)),
            _ => None,
        })
        .collect()
}

#[test]
fn the_preview_asks_for_the_document_front_once_per_area() {
    let (mut app, cmds) = rich_app(120, 40);
    let area = {
        let p = app.panes().preview_image;
        (p.width, p.height)
    };
    assert_eq!(image_fetches(&cmds), [("front_image".to_owned(), area)]);
    assert!(
        image_fetches(&press(&mut app, "tab j k")).is_empty(),
        "still pending: not asked again"
    );
    // A new terminal size asks again, for the new area.
    let cmds = app.handle_message(Message::Resize {
        width: 100,
        height: 30,
    });
    let p = app.panes().preview_image;
    assert_eq!(
        image_fetches(&cmds),
        [("front_image".to_owned(), (p.width, p.height))]
    );
}

#[test]
fn images_are_shown_only_for_their_key_and_area_and_errors_stay_in_the_preview() {
    let (mut app, cmds) = rich_app(120, 40);
    let Some((id, Job::FetchImage { request, area, .. })) =
        cmds.iter().find_map(|c| Some((c.request_id()?, c.job()?)))
    else {
        panic!("no image asked: {cmds:?}")
    };
    let (key, area) = (request.key.clone(), *area);
    assert!(matches!(
        app.images().state(&key, area, ImageView::Whole),
        ImageState::Loading
    ));
    app.handle_message(Message::Image {
        id,
        result: Ok(info_only(ImageKind::DocumentFront)),
    });
    assert!(matches!(
        app.images().state(&key, area, ImageView::Whole),
        ImageState::Ready(_)
    ));
    assert!(
        matches!(
            app.images().state(&key, (1, 1), ImageView::Whole),
            ImageState::Loading
        ),
        "another area is another image"
    );
    press(&mut app, "c"); // the compare view asks for the selfie
    let other = key_asked(&app, "face_photo");
    app.handle_message(Message::Image {
        id: asked(
            &app,
            "the selfie",
            |j| matches!(j, Job::FetchImage { request, .. } if request.key == other),
        ),
        result: Err("HTTP 403".into()),
    });
    assert!(matches!(
        app.images().state(&other, area, ImageView::Whole),
        ImageState::Failed("HTTP 403")
    ));
    assert!(
        app.status().error.is_none(),
        "image errors belong to the preview"
    );
}

#[test]
fn the_cursor_on_an_image_node_previews_that_image() {
    let (mut app, _) = rich_app(120, 40);
    press(&mut app, "tab e g");
    let mut asked = Vec::new();
    for _ in 0..80 {
        asked.extend(
            image_fetches(&press(&mut app, "j"))
                .into_iter()
                .map(|(f, _)| f),
        );
    }
    assert_eq!(
        asked,
        ["reverse_image", "face_photo", "front_image"],
        "one ask per new picture; the signed PDF is only fetched when saved"
    );
}

#[test]
fn the_preview_pane_steps_through_images() {
    let (mut app, _) = rich_app(120, 40);
    press(&mut app, "tab tab");
    assert!(
        press(&mut app, "j").is_empty(),
        "the document front is already on its way"
    );
    assert_eq!(cursor_id(&app).as_deref(), Some("v0/img0"));
    let cmds = press(&mut app, "j");
    assert_eq!(cursor_id(&app).as_deref(), Some("v0/img1"));
    assert_eq!(image_fetches(&cmds).len(), 1);
    press(&mut app, "k k");
    assert_eq!(
        cursor_id(&app).as_deref(),
        Some("v2/img0"),
        "wraps to the last image"
    );
}

#[test]
fn a_cancelled_image_still_on_screen_is_asked_again_once() {
    let (mut app, cmds) = rich_app(120, 40);
    let asked_first = image_fetches(&cmds);
    assert_eq!(asked_first.len(), 1);
    let id = image_id(&app);
    let cmds = app.handle_message(Message::Cancelled { id });
    assert_eq!(image_fetches(&cmds), asked_first);
    assert_ne!(image_id(&app), id);
    // Not on screen any more (another process): a cancellation asks nothing.
    let (mut app, _) = loaded(
        vec![
            summary("IDP1", "failure", "2024-03-20T10:00:00Z", "", ""),
            summary("IDP2", "failure", "2024-03-19T10:00:00Z", "", ""),
        ],
        120,
        40,
    );
    app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    let id = image_id(&app);
    press(&mut app, "j");
    assert!(image_fetches(&app.handle_message(Message::Cancelled { id })).is_empty());
}

/// The image request the app awaits.
fn image_id(app: &App) -> RequestId {
    asked(app, "an image", |j| matches!(j, Job::FetchImage { .. }))
}

/// The key of the awaited image request for `field`.
fn key_asked(app: &App, field: &str) -> truora_tui::images::ImageKey {
    app.pending_requests()
        .find_map(|(_, j)| match j {
            Job::FetchImage { request, .. } if request.key.field == field => {
                Some(request.key.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| panic!("no request for {field}"))
}

/// The images these commands ask to save, in order.
fn saves(cmds: &[Command]) -> Vec<&truora_tui::images::ImageRequest> {
    jobs(cmds)
        .into_iter()
        .filter_map(|j| match j {
            Job::Save { request } => Some(request),
            _ => None,
        })
        .collect()
}

/// Answers the oldest save the app awaits.
fn answer_save(app: &mut App, result: Result<SaveOutcome, SaveFailure>) {
    let id = asked(app, "a save", |j| matches!(j, Job::Save { .. }));
    app.handle_message(Message::Saved { id, result });
}

#[test]
fn save_copy_and_save_all() {
    let (mut app, _) = rich_app(120, 40);
    let cmds = press(&mut app, "s");
    let requests = saves(&cmds);
    assert_eq!(requests.len(), 1, "{cmds:?}");
    assert_eq!(
        requests[0].link.kind,
        ImageKind::DocumentFront,
        "the first picture when not on an image"
    );
    assert_eq!(requests[0].validation_type, "document-validation");
    let cmds = press(&mut app, "S");
    let kinds: Vec<_> = saves(&cmds).iter().map(|r| r.link.kind).collect();
    assert_eq!(
        kinds,
        [
            ImageKind::DocumentFront,
            ImageKind::DocumentReverse,
            ImageKind::FacePhoto,
            ImageKind::ReferenceFace,
            ImageKind::Document
        ]
    );
    assert_eq!(
        app.status().info.as_deref(),
        Some("saving 6 files…"),
        "s and S before any answer: one run"
    );
    let front = PathBuf::from("/tmp/d/IDP1/IDP1-document-front.jpg");
    answer_save(&mut app, Ok(SaveOutcome::Written(front.clone())));
    assert_eq!(app.status().info.as_deref(), Some("saving… 1 of 6 done"));
    answer_save(&mut app, Ok(SaveOutcome::Identical(front.clone())));
    for name in [
        "document-reverse.jpg",
        "face-photo.jpg",
        "reference-face.jpg",
    ] {
        let path = PathBuf::from(format!("/tmp/d/IDP1/IDP1-{name}"));
        answer_save(&mut app, Ok(SaveOutcome::Written(path)));
    }
    assert!(app.status().error.is_none());
    answer_save(&mut app, Err("disk full while saving x".into()));
    assert_eq!(
        app.status().error.as_deref(),
        Some(
            "saved 4 files to /tmp/d/IDP1 (1 identical copy skipped); 1 of 6 files failed: \
             disk full while saving x"
        ),
        "one summary when the last answer is in"
    );
    assert_eq!(
        app.pending_requests()
            .filter(|(_, j)| matches!(j, Job::Save { .. }))
            .count(),
        0
    );

    assert_eq!(press(&mut app, "y"), vec![Command::Copy("IDP1".into())]);
    press(&mut app, "tab"); // the tree cursor is inside the document validation
    assert_eq!(press(&mut app, "y"), vec![Command::Copy("VLD-doc".into())]);
    assert_eq!(app.status().info.as_deref(), Some("copied VLD-doc"));
}

#[test]
fn refresh_is_refused_offline() {
    let opts = AppOptions {
        can_refresh: false,
        source_label: "archive /x".into(),
        ..AppOptions::default()
    };
    let mut app = App::new(opts);
    app.start();
    app.handle_message(page_message(&app, ten(), false));
    app.handle_message(result_message(&app, "IDP00", plain("IDP00")));
    assert!(press(&mut app, "r").is_empty());
    assert!(
        app.status()
            .info
            .as_deref()
            .unwrap_or("")
            .contains("not available offline")
    );
}

#[test]
fn q_and_ctrl_c_quit_and_ctrl_c_quits_from_anywhere() {
    let (mut app, _) = loaded(ten(), 80, 24);
    assert_eq!(press(&mut app, "q"), vec![Command::Quit]);
    assert!(app.should_quit());
    for setup in ["/ a", "?", "tab v"] {
        let (mut app, _) = loaded(ten(), 80, 24);
        app.handle_message(result_message(&app, "IDP00", plain("IDP00")));
        press(&mut app, setup);
        assert_eq!(
            press(&mut app, "ctrl-c"),
            vec![Command::Quit],
            "after {setup}"
        );
        assert!(app.should_quit());
    }
}

/// `q` means what the help says — quit — wherever it is pressed; a view is closed by Esc or by
/// the key that opened it (as in lazygit: `q` quits, Esc goes back).
#[test]
fn q_quits_from_the_help_the_raw_view_and_compare_as_the_help_says() {
    let (app, _) = rich_app(120, 40);
    let quit = app
        .keymap()
        .keys(Action::Quit)
        .first()
        .map(|k| k.display())
        .expect("quit has a key");
    let help = truora_tui::app::overlays::help_entries(app.keymap());
    assert!(
        help.iter()
            .any(|e| e.keys.starts_with(&quit) && e.what.starts_with("quit")),
        "the help says {quit} quits"
    );
    for open in ["?", "v", "c"] {
        let (mut app, _) = rich_app(120, 40);
        press(&mut app, open);
        assert_ne!(*app.overlay(), Overlay::None, "{open} opens a view");
        assert_eq!(press(&mut app, "q"), vec![Command::Quit], "q in {open}");
        assert!(app.should_quit(), "q in {open}");

        let (mut app, _) = rich_app(120, 40);
        press(&mut app, &format!("{open} esc"));
        assert_eq!(*app.overlay(), Overlay::None, "esc closes {open}");
        assert!(!app.should_quit());
    }
    // With saves running, q asks once, from a view as from anywhere: a second q in a row quits.
    let (mut app, _) = rich_app(120, 40);
    press(&mut app, "S c");
    assert!(press(&mut app, "q").is_empty());
    assert!(!app.should_quit());
    assert_eq!(press(&mut app, "q"), vec![Command::Quit]);
}

#[test]
fn help_raw_and_compare_open_and_close() {
    let (mut app, _) = rich_app(120, 40);
    press(&mut app, "?");
    assert!(matches!(app.overlay(), Overlay::Help { .. }));
    press(&mut app, "j ?");
    assert_eq!(*app.overlay(), Overlay::None, "its own key closes it");
    assert!(!app.should_quit());

    press(&mut app, "tab v");
    let Overlay::Raw(raw) = app.overlay() else {
        panic!("{:?}", app.overlay())
    };
    assert!(
        raw.title
            .contains("/validations/0/details/document_validations/data_consistency/1")
    );
    assert!(raw.lines.iter().any(|l| l.contains("document expired")));
    press(&mut app, "v");
    assert_eq!(*app.overlay(), Overlay::None);

    // From the list, v shows the whole result, fields the model does not know included.
    press(&mut app, "shift-tab v");
    let Overlay::Raw(raw) = app.overlay() else {
        panic!()
    };
    assert!(raw.lines.iter().any(|l| l.contains("brand_new_field")));
    press(&mut app, "G");
    let Overlay::Raw(raw) = app.overlay() else {
        panic!()
    };
    assert!(raw.scroll > 0);
    press(&mut app, "esc");

    let cmds = press(&mut app, "c");
    assert_eq!(*app.overlay(), Overlay::Compare);
    let fields: Vec<_> = image_fetches(&cmds).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["front_image", "face_photo"]);
    press(&mut app, "c");
    assert_eq!(*app.overlay(), Overlay::None);
}

#[test]
fn a_save_run_says_how_many_files_went_where_and_what_was_skipped() {
    let (mut app, _) = rich_app(120, 40);
    let path = |name: &str| PathBuf::from(format!("/tmp/d/IDP1/IDP1-{name}.jpg"));
    // One file: its path.
    press(&mut app, "s");
    assert_eq!(app.status().info.as_deref(), Some("saving 1 file…"));
    answer_save(&mut app, Ok(SaveOutcome::Written(path("document-front"))));
    assert_eq!(
        app.status().info.as_deref(),
        Some("saved /tmp/d/IDP1/IDP1-document-front.jpg")
    );
    // Again: the bytes are there already.
    press(&mut app, "s");
    answer_save(&mut app, Ok(SaveOutcome::Identical(path("document-front"))));
    assert_eq!(
        app.status().info.as_deref(),
        Some("already saved: /tmp/d/IDP1/IDP1-document-front.jpg holds the same bytes")
    );
    // Everything: how many, where, how many skipped.
    press(&mut app, "S");
    assert_eq!(app.status().info.as_deref(), Some("saving 5 files…"));
    answer_save(&mut app, Ok(SaveOutcome::Identical(path("document-front"))));
    for name in [
        "document-reverse",
        "face-photo",
        "reference-face",
        "document-file",
    ] {
        answer_save(&mut app, Ok(SaveOutcome::Written(path(name))));
    }
    assert_eq!(
        app.status().info.as_deref(),
        Some("saved 4 files to /tmp/d/IDP1 (1 identical copy skipped)")
    );
    // Everything again: nothing new.
    press(&mut app, "S");
    for name in ["a", "b", "c", "d", "e"] {
        answer_save(&mut app, Ok(SaveOutcome::Identical(path(name))));
    }
    assert_eq!(
        app.status().info.as_deref(),
        Some("already saved: the 5 files are in /tmp/d/IDP1")
    );
    // In privacy mode the summary says the files are the originals.
    press(&mut app, "P s");
    answer_save(&mut app, Ok(SaveOutcome::Written(path("document-front-1"))));
    assert_eq!(
        app.status().info.as_deref(),
        Some(
            "saved /tmp/d/IDP1/IDP1-document-front-1.jpg (the original, unmasked: privacy mode \
             masks the screen only)"
        )
    );
}

/// The folder a save went to is the user's own, not personal data: privacy mode shows it, and
/// still masks what the server said in the same sentence.
#[test]
fn in_privacy_mode_the_save_message_still_says_which_folder() {
    let id = "IDP89e914d16d4624e02fc6392c59b72c18";
    let (mut app, _) = loaded(vec![summary(id, "failure", "", "", "")], 260, 40);
    app.handle_message(result_message(&app, id, rich(id)));
    let folder = format!("/home/ana/truora-tui/{id}");
    press(&mut app, "P s");
    answer_save(
        &mut app,
        Ok(SaveOutcome::Written(PathBuf::from(format!(
            "{folder}/{id}-document-front.jpg"
        )))),
    );
    let s = screen(&app, 260, 40);
    assert!(
        s.contains(&format!(
            "saved {folder}/{id}-document-front.jpg (the original"
        )),
        "{s}"
    );
    press(&mut app, "S");
    for name in ["document-reverse", "face-photo", "reference-face"] {
        let path = PathBuf::from(format!("{folder}/{id}-{name}.jpg"));
        answer_save(&mut app, Ok(SaveOutcome::Written(path)));
    }
    answer_save(
        &mut app,
        Ok(SaveOutcome::Identical(PathBuf::from(format!(
            "{folder}/{id}-document-front.jpg"
        )))),
    );
    answer_save(&mut app, Err("refused for ana.perez@mail.example".into()));
    let s = screen(&app, 260, 40);
    assert!(
        s.contains(&format!("saved 3 files to {folder} (1 identical")),
        "{s}"
    );
    assert!(
        !s.contains("ana.perez@mail.example"),
        "the server's words are masked: {s}"
    );
}

#[test]
fn esc_clears_the_error() {
    let (mut app, _) = rich_app(120, 40);
    press(&mut app, "s");
    answer_save(&mut app, Err("nope".into()));
    assert!(app.status().error.is_some());
    press(&mut app, "esc");
    assert!(app.status().error.is_none());
}

#[test]
fn requests_in_flight_are_counted_and_info_is_transient() {
    let (mut app, _) = loaded(ten(), 80, 24);
    assert_eq!(app.status().in_flight, 1, "IDP00's result");
    press(&mut app, "j j");
    assert_eq!(
        app.status().in_flight,
        3,
        "three results asked, none answered"
    );
    app.handle_message(result_cancelled(&app, "IDP00"));
    assert_eq!(app.status().in_flight, 2);
    press(&mut app, "y");
    assert!(app.status().info.is_some());
    press(&mut app, "j");
    assert!(app.status().info.is_none());
}

#[test]
fn too_small_terminal_has_no_image_area() {
    let (app, _) = loaded(ten(), 79, 24);
    assert!(app.panes().too_small);
    let (app, _) = loaded(ten(), 80, 23);
    assert!(app.panes().too_small);
    let (mut app, _) = loaded(vec![summary("IDP1", "failure", "", "", "")], 60, 20);
    let cmds = app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    assert!(
        image_fetches(&cmds).is_empty(),
        "no image is asked for a screen that cannot show it"
    );
}

#[test]
fn the_mouse_scrolls_focuses_and_selects() {
    use crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let (mut app, _) = loaded(ten(), 120, 40);
    let panes = app.panes();
    let at = |kind, column, row| MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    let cmds = app.handle_mouse(at(
        MouseEventKind::ScrollDown,
        panes.list.x + 3,
        panes.list.y + 3,
    ));
    assert_eq!(app.list().cursor(), Some(3));
    assert!(matches!(jobs(&cmds).as_slice(), [Job::FetchResult { .. }]));
    // Below the border comes the header, then the first process: y + 3 is the second.
    app.handle_mouse(at(
        MouseEventKind::Down(MouseButton::Left),
        panes.list.x + 3,
        panes.list.y + 3,
    ));
    assert_eq!(app.list().cursor(), Some(1));
    app.handle_message(result_message(&app, "IDP01", rich("IDP01")));
    app.handle_mouse(at(
        MouseEventKind::Down(MouseButton::Left),
        panes.tree.x + 5,
        panes.tree.y + 1,
    ));
    assert_eq!(app.focus(), truora_tui::app::Focus::Tree);
    assert_eq!(cursor_id(&app).as_deref(), Some("p"));
}

#[test]
fn quitting_while_saves_run_asks_once_and_ctrl_c_never_asks() {
    let (mut app, _) = rich_app(120, 40);
    let cmds = press(&mut app, "S");
    let n = saves(&cmds).len();
    assert!(n >= 2);

    // First q: a warning, no quit.
    assert!(press(&mut app, "q").is_empty());
    assert!(!app.should_quit());
    let info = app.status().info.clone().unwrap_or_default();
    assert!(
        info.contains(&format!("{n} file(s) still saving")),
        "{info}"
    );

    // Another key disarms; q warns again; a second q in a row quits.
    press(&mut app, "j");
    assert!(press(&mut app, "q").is_empty());
    assert_eq!(press(&mut app, "q"), vec![Command::Quit]);
    assert!(app.should_quit());

    // Once every file is reported, q quits at once; ctrl-c always does.
    let (mut app, _) = rich_app(120, 40);
    press(&mut app, "S");
    for i in 0..n {
        let path = PathBuf::from(format!("/dl/IDP1/f{i}.jpg"));
        answer_save(&mut app, Ok(SaveOutcome::Written(path)));
    }
    assert_eq!(
        app.status().info.clone().unwrap_or_default(),
        format!("saved {n} files to /dl/IDP1")
    );
    assert_eq!(press(&mut app, "q"), vec![Command::Quit]);
    let (mut app, _) = rich_app(120, 40);
    press(&mut app, "S");
    assert_eq!(press(&mut app, "ctrl-c"), vec![Command::Quit]);
}
