//! Compare as a place to work: moving between processes without leaving it, and zoom and pan on
//! its two sides and on the preview.

use crate::app_support;

use std::sync::Arc;

use app_support::*;
use truora_tui::api::model::ImageKind;
use truora_tui::app::overlays::Overlay;
use truora_tui::app::preview::zoom::Side;
use truora_tui::app::{App, Command, Focus, Job, Message};
use truora_tui::images::{ImageKey, RenderedImage};
use truora_tui::images::{ImageView, Region};

/// Four processes: IDP1 and IDP3 failed, with document and selfie; IDP2 succeeded; IDP4 failed.
fn queue(width: u16, height: u16) -> App {
    let rows = vec![
        summary(
            "IDP1",
            "failure",
            "2024-03-20T10:00:00Z",
            "similarity_threshold_not_passed",
            "CO",
        ),
        summary("IDP2", "success", "2024-03-19T10:00:00Z", "", "CO"),
        summary(
            "IDP3",
            "failure",
            "2024-03-18T10:00:00Z",
            "blurry_image",
            "CO",
        ),
        summary(
            "IDP4",
            "failure",
            "2024-03-17T10:00:00Z",
            "blurry_image",
            "CO",
        ),
    ];
    let (mut app, _) = loaded(rows, width, height);
    app.handle_message(result_message(&app, "IDP1", rich("IDP1")));
    app
}

fn selected(app: &App) -> Option<String> {
    app.list().selected().and_then(|r| r.process_id.clone())
}

fn fetches(cmds: &[Command]) -> Vec<(ImageKey, (u16, u16), ImageView)> {
    cmds.iter()
        .filter_map(|c| match c.job() {
            Some(Job::FetchImage {
                request,
                area,
                view,
            }) => Some((request.key.clone(), *area, *view)),
            _ => None,
        })
        .collect()
}

fn result_asked(cmds: &[Command]) -> Option<&str> {
    cmds.iter().find_map(|c| match c.job() {
        Some(Job::FetchResult { process_id, .. }) => Some(process_id.as_str()),
        _ => None,
    })
}

/// The worker's answer for a fetch, showing `shown` of the image.
fn answer(app: &mut App, fetch: &(ImageKey, (u16, u16), ImageView), shown: Region) {
    let mut image = Arc::try_unwrap(info_only(ImageKind::DocumentFront)).expect("fresh");
    image.shown = shown;
    image.portrait = (fetch.2 == ImageView::Portrait).then_some(true);
    let image: Arc<RenderedImage> = Arc::new(image);
    let id = asked(app, "the image", |j| {
        matches!(j, Job::FetchImage { request, area, view }
            if request.key == fetch.0 && *area == fetch.1 && *view == fetch.2)
    });
    app.handle_message(Message::Image {
        id,
        result: Ok(image),
    });
}

#[test]
fn compare_asks_for_the_document_portrait_and_the_whole_selfie() {
    let mut app = queue(120, 40);
    let asks = fetches(&press(&mut app, "c"));
    assert_eq!(*app.overlay(), Overlay::Compare);
    let views: Vec<_> = asks
        .iter()
        .map(|(k, _, v)| (k.field.as_str(), *v))
        .collect();
    assert_eq!(
        views,
        [
            ("front_image", ImageView::Portrait),
            ("face_photo", ImageView::Whole)
        ]
    );
}

#[test]
fn n_and_shift_n_move_between_failures_and_stay_in_compare() {
    let mut app = queue(120, 40);
    press(&mut app, "c");
    let cmds = press(&mut app, "n");
    assert_eq!(*app.overlay(), Overlay::Compare, "still comparing");
    assert_eq!(selected(&app).as_deref(), Some("IDP3"), "success skipped");
    assert_eq!(result_asked(&cmds), Some("IDP3"));
    // The result arrives: compare asks for the new process's two pictures at once.
    let cmds = app.handle_message(result_message(&app, "IDP3", rich("IDP3")));
    let asks = fetches(&cmds);
    assert_eq!(asks.len(), 2, "{cmds:?}");
    assert!(asks.iter().all(|(k, _, _)| k.process_id == "IDP3"));
    press(&mut app, "N");
    assert_eq!(selected(&app).as_deref(), Some("IDP1"));
    assert_eq!(*app.overlay(), Overlay::Compare);
}

#[test]
fn j_and_k_step_through_every_process_in_compare() {
    let mut app = queue(120, 40);
    press(&mut app, "c");
    press(&mut app, "j");
    assert_eq!(selected(&app).as_deref(), Some("IDP2"));
    press(&mut app, "j j");
    assert_eq!(selected(&app).as_deref(), Some("IDP4"));
    press(&mut app, "k");
    assert_eq!(selected(&app).as_deref(), Some("IDP3"));
    assert_eq!(*app.overlay(), Overlay::Compare);
    press(&mut app, "esc");
    assert_eq!(*app.overlay(), Overlay::None);
}

#[test]
fn zooming_the_document_starts_from_the_portrait_then_pans_and_resets() {
    let mut app = queue(120, 40);
    let asks = fetches(&press(&mut app, "c"));
    let portrait = Region {
        x: 1000,
        y: 2000,
        w: 3000,
        h: 4000,
    };
    answer(&mut app, &asks[0], portrait);
    let zoomed = fetches(&press(&mut app, "+"));
    let [(key, _, ImageView::Region(r))] = zoomed.as_slice() else {
        panic!("one zoomed fetch: {zoomed:?}")
    };
    assert_eq!(key.field, "front_image");
    assert!(
        r.w < portrait.w && r.h < portrait.h,
        "closer than the portrait: {r:?}"
    );
    assert!(
        r.x > portrait.x && r.x + r.w < portrait.x + portrait.w,
        "inside it: {r:?}"
    );
    // Zoomed: the movement keys pan and the process stays.
    let panned = fetches(&press(&mut app, "l j"));
    let Some((_, _, ImageView::Region(p))) = panned.last() else {
        panic!("a panned fetch: {panned:?}")
    };
    assert!(p.x > r.x && p.y > r.y && (p.w, p.h) == (r.w, r.h), "{p:?}");
    assert_eq!(selected(&app).as_deref(), Some("IDP1"));
    // Reset: back to the portrait, already cached, so nothing is fetched.
    assert!(fetches(&press(&mut app, "0")).is_empty());
    assert_eq!(app.image_view(Side::Document, key), ImageView::Portrait);
    press(&mut app, "j");
    assert_eq!(
        selected(&app).as_deref(),
        Some("IDP2"),
        "not zoomed: j moves on"
    );
}

#[test]
fn tab_chooses_the_side_the_zoom_keys_act_on() {
    let mut app = queue(120, 40);
    press(&mut app, "c");
    assert_eq!(app.compare_side(), Side::Document);
    let cmds = press(&mut app, "tab +");
    assert_eq!(app.compare_side(), Side::Selfie);
    let asks = fetches(&cmds);
    assert_eq!(asks.len(), 1, "{asks:?}");
    assert_eq!(asks[0].0.field, "face_photo");
    assert!(matches!(asks[0].2, ImageView::Region(r) if r.w < 10_000));
    // Zooming out to the whole selfie gives the movement keys back to the list.
    press(&mut app, "-");
    press(&mut app, "j");
    assert_eq!(selected(&app).as_deref(), Some("IDP2"));
}

#[test]
fn a_zoom_belongs_to_its_image_and_the_next_process_starts_fresh() {
    let mut app = queue(120, 40);
    press(&mut app, "c + +");
    press(&mut app, "n");
    let cmds = app.handle_message(result_message(&app, "IDP3", rich("IDP3")));
    let views: Vec<_> = fetches(&cmds).into_iter().map(|(_, _, v)| v).collect();
    assert_eq!(views, [ImageView::Portrait, ImageView::Whole]);
}

#[test]
fn s_in_compare_saves_the_active_side() {
    let mut app = queue(120, 40);
    let cmds = press(&mut app, "c tab s");
    let saved: Vec<_> = cmds
        .iter()
        .filter_map(|c| match c.job() {
            Some(Job::Save { request }) => Some(request.key.field.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(saved, ["face_photo"]);
    assert_eq!(*app.overlay(), Overlay::Compare);
}

#[test]
fn the_preview_zooms_and_then_pans_with_the_movement_keys() {
    let mut app = queue(120, 40);
    let cmds = press(&mut app, "+");
    assert_eq!(
        app.focus(),
        Focus::Preview,
        "the zoomed pane takes the keys"
    );
    let asks = fetches(&cmds);
    let [(key, _, ImageView::Region(r))] = asks.as_slice() else {
        panic!("one zoomed fetch: {asks:?}")
    };
    assert_eq!(key.field, "front_image");
    let panned = fetches(&press(&mut app, "j"));
    let Some((k, _, ImageView::Region(p))) = panned.last() else {
        panic!("a panned fetch: {panned:?}")
    };
    assert_eq!(k, key, "still the same image: j panned, not stepped");
    assert!(p.y > r.y);
    press(&mut app, "0");
    assert_eq!(app.image_view(Side::Preview, key), ImageView::Whole);
    // Not zoomed, movement in the preview steps through the images again.
    // (The first j lands the tree cursor on the image shown, the second steps past it.)
    let key = key.clone();
    press(&mut app, "j j");
    assert_ne!(
        previewed(&app).as_ref(),
        Some(&key),
        "j stepped to the next image"
    );
}

fn previewed(app: &App) -> Option<ImageKey> {
    match app.view() {
        truora_tui::app::ResultView::Ready { tree, .. } => {
            truora_tui::app::preview::preview_request(tree).map(|r| r.key.clone())
        }
        _ => None,
    }
}

#[test]
fn zoom_keys_without_a_picture_say_so() {
    let (mut app, _) = loaded(vec![summary("IDP9", "success", "", "", "CO")], 100, 30);
    app.handle_message(result_message(&app, "IDP9", plain("IDP9")));
    let cmds = press(&mut app, "+");
    assert!(fetches(&cmds).is_empty());
    assert_eq!(
        app.status().info.as_deref(),
        Some("no picture here to zoom")
    );
}
