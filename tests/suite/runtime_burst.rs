//! Holding a key down: a burst of 1,000 moves over 1,000 processes asks for one result.

use crate::app_support;

use app_support::{fetches, key, loaded, summary};
use truora_tui::app::{Command, Job, Message, Request, RequestId};
use truora_tui::images::ImageView;
use truora_tui::tui::coalesce;

fn request(id: u64, job: Job) -> Command {
    Command::Request(Request {
        id: RequestId(id),
        job,
    })
}

#[test]
fn holding_j_over_1000_processes_fetches_only_the_last_selection() {
    let rows = (0..1_001)
        .map(|i| {
            summary(
                &format!("IDP{i:05}"),
                "failure",
                &format!("2026-01-01T00:{:02}:00Z", i % 60),
                "blurry_image",
                "CO",
            )
        })
        .collect();
    let (mut app, _) = loaded(rows, 200, 60);
    // The runtime drains every key already queued before it dispatches anything.
    let mut burst = Vec::new();
    for _ in 0..1_000 {
        burst.extend(app.handle_key(key("j")));
    }
    let fetches_asked = fetches(&burst).len();
    assert!(
        fetches_asked >= 1_000,
        "each move asks for its process ({fetches_asked})"
    );
    let (sent, dropped) = coalesce(burst);
    let sent_fetches = fetches(&sent);
    let selected = app.list().selected().and_then(|r| r.process_id.clone());
    assert_eq!(sent_fetches.len(), 1);
    assert_eq!(Some(sent_fetches[0].to_owned()), selected);
    // Every dropped request still gets its answer: the runtime answers it cancelled, and the
    // app, whose selection moved on, asks nothing more.
    assert_eq!(dropped.len(), fetches_asked - 1);
    let waiting_before = app.pending_requests().count();
    for id in dropped {
        assert!(app.handle_message(Message::Cancelled { id }).is_empty());
    }
    assert_eq!(
        app.pending_requests().count(),
        waiting_before - (fetches_asked - 1)
    );
    assert_eq!(app.status().in_flight, app.pending_requests().count());
}

#[test]
fn coalescing_keeps_every_other_command_in_order() {
    let fetch = |n: u64, id: &str| {
        request(
            n,
            Job::FetchResult {
                process_id: id.into(),
                refresh: false,
            },
        )
    };
    let out = coalesce(vec![
        fetch(1, "a"),
        request(2, Job::LoadPage),
        fetch(3, "b"),
        Command::Copy("x".into()),
        fetch(4, "c"),
    ]);
    assert_eq!(
        out,
        (
            vec![
                request(2, Job::LoadPage),
                Command::Copy("x".into()),
                fetch(4, "c")
            ],
            vec![RequestId(1), RequestId(3)]
        )
    );
}

#[test]
fn a_resize_burst_asks_for_each_image_once_at_the_last_size() {
    use truora_tui::api::model::{ImageKind, ImageLink};
    use truora_tui::images::{ImageKey, ImageRequest};
    let image = |field: &str| ImageRequest {
        key: ImageKey {
            process_id: "IDP1".into(),
            validation_id: "VLD1".into(),
            field: field.into(),
        },
        link: ImageLink {
            field: field.into(),
            path: field.into(),
            kind: ImageKind::DocumentFront,
            url: format!("https://s3.example/{field}.jpg"),
        },
        validation_type: "document-validation".into(),
    };
    let fetch = |n: u64, field: &str, area: (u16, u16)| {
        request(
            n,
            Job::FetchImage {
                request: image(field),
                area,
                view: ImageView::Whole,
            },
        )
    };
    let burst = vec![
        fetch(1, "front_image", (40, 20)),
        fetch(2, "face_photo", (40, 20)),
        fetch(3, "front_image", (41, 20)),
        request(4, Job::LoadPage),
        fetch(5, "front_image", (42, 21)),
    ];
    assert_eq!(
        coalesce(burst),
        (
            vec![
                fetch(2, "face_photo", (40, 20)),
                request(4, Job::LoadPage),
                fetch(5, "front_image", (42, 21))
            ],
            vec![RequestId(1), RequestId(3)]
        )
    );
}
