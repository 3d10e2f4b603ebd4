//! Images wait for the selection to rest: while the cursor moves, no image is asked for or
//! drawn (the pane shows the image's facts), and only a rest message for the current selection
//! lets them follow. The runtime's timer is not involved: the tests send the message.

use crate::app_support;
use crate::review_support;

use std::sync::Arc;
use std::time::Duration;

use app_support::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use truora_tui::api::model::{ImageKind, ProcessSummary};
use truora_tui::app::{App, AppOptions, Command, ImageBudget, Job, Message, RequestId};
use truora_tui::images::{CellSize, ImageInfo, RenderedImage};

fn rows(n: usize) -> Vec<ProcessSummary> {
    (0..n)
        .map(|i| summary(&format!("IDP{i:05}"), "failure", "", "blurry_image", "CO"))
        .collect()
}

/// An app that waits 120 ms for the selection to rest, with `n` processes listed at 120×40.
fn resting_app(n: usize) -> App {
    resting_app_with(rows(n))
}

/// The same with these processes listed.
fn resting_app_with(listed: Vec<ProcessSummary>) -> App {
    let mut app = App::new(AppOptions {
        image_budget: ImageBudget {
            rest: Duration::from_millis(120),
            ..ImageBudget::default()
        },
        ..AppOptions::default()
    });
    app.start();
    app.handle_message(Message::Resize {
        width: 120,
        height: 40,
    });
    app.handle_message(page_message(&app, listed, false));
    app
}

fn selected(app: &App) -> String {
    app.list()
        .selected()
        .and_then(|r| r.process_id.clone())
        .expect("a selection")
}

/// The selected process's result arrives, as the worker would answer it.
fn answer_result(app: &mut App) -> Vec<Command> {
    let id = selected(app);
    app.handle_message(result_message(app, &id, rich(&id)))
}

/// The processes whose images these commands ask for.
fn image_fetches(cmds: &[Command]) -> Vec<String> {
    cmds.iter()
        .filter_map(|c| match c.job() {
            Some(Job::FetchImage { request, .. }) => Some(request.key.process_id.clone()),
            _ => None,
        })
        .collect()
}

/// The request for the preview's picture among `cmds`, and the area it is asked for.
fn picture_request(cmds: &[Command]) -> (RequestId, CellSize) {
    cmds.iter()
        .find_map(|c| match c {
            Command::Request(r) => match &r.job {
                Job::FetchImage { area, .. } => Some((r.id, *area)),
                _ => None,
            },
            _ => None,
        })
        .expect("the picture is asked for")
}

fn rest(app: &mut App) -> Vec<Command> {
    let generation = app.awaiting_rest().expect("the app waits for a rest");
    app.handle_message(Message::SelectionRested { generation })
}

#[test]
fn holding_j_over_a_thousand_processes_asks_no_image_until_the_selection_rests() {
    let mut app = resting_app(1_001);
    let mut asked = answer_result(&mut app);
    for _ in 0..1_000 {
        asked.extend(press(&mut app, "j"));
        // Every result arrives at once: the worst case, each could ask for its picture.
        asked.extend(answer_result(&mut app));
        assert!(!app.images_rested());
    }
    assert_eq!(image_fetches(&asked), Vec::<String>::new());
    assert!(
        app.pending_requests()
            .all(|(_, job)| !matches!(job, Job::FetchImage { .. })),
        "no image is queued"
    );
    // The rest: the picture of the process the cursor stopped on, and only it.
    let after = rest(&mut app);
    assert_eq!(image_fetches(&after), [selected(&app)]);
    assert_eq!(selected(&app), "IDP01000");
    assert_eq!(app.awaiting_rest(), None);
}

#[test]
fn a_rest_for_a_selection_already_left_is_ignored() {
    let mut app = resting_app(10);
    answer_result(&mut app);
    press(&mut app, "j");
    answer_result(&mut app);
    let left = app.awaiting_rest().expect("waiting");
    press(&mut app, "j");
    answer_result(&mut app);
    let current = app.awaiting_rest().expect("waiting");
    assert_ne!(left, current, "each move is a new generation");

    let stale = app.handle_message(Message::SelectionRested { generation: left });
    assert!(image_fetches(&stale).is_empty(), "{stale:?}");
    assert!(!app.images_rested());
    assert_eq!(app.awaiting_rest(), Some(current));

    let fresh = app.handle_message(Message::SelectionRested {
        generation: current,
    });
    assert_eq!(image_fetches(&fresh), [selected(&app)]);
}

#[test]
fn a_result_arriving_after_the_rest_draws_at_once_and_is_not_a_move() {
    let mut app = resting_app(10);
    answer_result(&mut app);
    press(&mut app, "j");
    // The cursor rests before the result is back: nothing to show yet.
    assert!(image_fetches(&rest(&mut app)).is_empty());
    let cmds = answer_result(&mut app);
    assert_eq!(image_fetches(&cmds), [selected(&app)]);
    assert!(
        app.images_rested(),
        "a result arriving does not restart the wait"
    );
}

#[test]
fn stepping_onto_another_image_of_the_same_process_waits_too() {
    let mut app = resting_app(3);
    answer_result(&mut app);
    let first = rest(&mut app);
    assert_eq!(image_fetches(&first).len(), 1);
    // Into the tree, and down until the preview shows another image.
    press(&mut app, "tab");
    let mut moved = Vec::new();
    for _ in 0..30 {
        if !app.images_rested() {
            break;
        }
        moved.extend(press(&mut app, "j"));
    }
    assert!(!app.images_rested(), "the tree has a second picture");
    assert!(image_fetches(&moved).is_empty(), "{moved:?}");
    assert_eq!(image_fetches(&rest(&mut app)).len(), 1);
}

#[test]
fn with_no_rest_images_follow_every_move() {
    let (mut app, _) = loaded(rows(3), 120, 40);
    let first = answer_result(&mut app);
    assert_eq!(image_fetches(&first).len(), 1);
    press(&mut app, "j");
    assert_eq!(image_fetches(&answer_result(&mut app)).len(), 1);
    assert_eq!(app.awaiting_rest(), None);
}

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    terminal
        .draw(|frame| truora_tui::ui::draw(app, frame))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

/// A decoded picture drawn in half-blocks: stripes, so every cell is `▀`.
fn picture(area: (u16, u16)) -> Arc<RenderedImage> {
    let protocol = striped_halfblocks(area);
    Arc::new(RenderedImage {
        info: ImageInfo {
            kind: ImageKind::DocumentFront,
            width: 200,
            height: 200,
            bytes: 1_234,
            format: "png",
        },
        protocol: Some(protocol),
        shown: truora_tui::images::Region::WHOLE,
        portrait: None,
    })
}

fn half_blocks(screen: &str) -> usize {
    screen.chars().filter(|c| matches!(c, '▀' | '▄')).count()
}

#[test]
fn while_moving_the_pane_shows_facts_and_never_the_image_left_behind() {
    let mut app = resting_app(3);
    answer_result(&mut app);
    let cmds = rest(&mut app);
    let (id, area) = picture_request(&cmds);
    app.handle_message(Message::Image {
        id,
        result: Ok(picture(area)),
    });
    let drawn = screen(&app);
    assert!(half_blocks(&drawn) > 100, "{drawn}");

    // Moving on: the next process's picture is not known yet, so its kind is shown.
    press(&mut app, "j");
    answer_result(&mut app);
    let moving = screen(&app);
    assert_eq!(
        half_blocks(&moving),
        0,
        "the picture left behind stays:\n{moving}"
    );
    assert!(
        moving.contains("document front · drawn when the cursor rests"),
        "{moving}"
    );

    // Back onto the first: its picture was decoded, so its facts are known.
    press(&mut app, "k");
    let back = screen(&app);
    assert_eq!(half_blocks(&back), 0, "{back}");
    assert!(back.contains("200×200 px"), "{back}");
    // Resting there draws it again from the cache, asking nothing.
    assert!(image_fetches(&rest(&mut app)).is_empty());
    assert!(half_blocks(&screen(&app)) > 100);
}

#[test]
fn image_max_cells_caps_the_area_asked_for_and_drawn() {
    let mut app = App::new(AppOptions {
        image_budget: ImageBudget {
            max_cells: Some((20, 8)),
            ..ImageBudget::default()
        },
        ..AppOptions::default()
    });
    app.start();
    app.handle_message(Message::Resize {
        width: 120,
        height: 40,
    });
    app.handle_message(page_message(&app, rows(2), false));
    let cmds = answer_result(&mut app);
    let (id, area) = picture_request(&cmds);
    let mut uncapped = App::new(AppOptions::default());
    uncapped.handle_message(Message::Resize {
        width: 120,
        height: 40,
    });
    let pane = uncapped.panes().preview_image;
    assert!(pane.width > 20 && pane.height > 8, "the pane is larger");
    assert_eq!(area, (20, 8));
    app.handle_message(Message::Image {
        id,
        result: Ok(picture(area)),
    });
    let drawn = screen(&app);
    assert!(half_blocks(&drawn) > 0);
    assert!(half_blocks(&drawn) <= 20 * 8, "{drawn}");
}

#[test]
fn the_review_desks_advance_after_a_verdict_does_not_wait() {
    let mut app = resting_app_with(ten());
    let desk = review_support::FakeDesk::new("ana");
    desk.open(&mut app);
    answer_result(&mut app);
    press(&mut app, "j k");
    assert!(!app.images_rested(), "moving waits");
    rest(&mut app);
    // `d` on the failed IDP00 agrees with Truora: recorded, and the cursor advances.
    press(&mut app, "d");
    assert_eq!(selected(&app), "IDP01");
    assert!(
        app.images_rested(),
        "a deliberate advance shows its images at once"
    );
    let cmds = answer_result(&mut app);
    assert_eq!(image_fetches(&cmds), ["IDP01"]);
}
