//! Holding a key down: a burst of 1,000 moves over 1,000 processes asks for one result.

mod app_support;

use app_support::{key, loaded, summary};
use truora_tui::app::Command;
use truora_tui::tui::coalesce;

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
    let fetches_asked = burst
        .iter()
        .filter(|c| matches!(c, Command::FetchResult { .. }))
        .count();
    assert!(
        fetches_asked >= 1_000,
        "each move asks for its process ({fetches_asked})"
    );
    let sent = coalesce(burst);
    let fetches: Vec<_> = sent
        .iter()
        .filter_map(|c| match c {
            Command::FetchResult { process_id, .. } => Some(process_id.clone()),
            _ => None,
        })
        .collect();
    let selected = app.list().selected().and_then(|r| r.process_id.clone());
    assert_eq!(fetches.len(), 1);
    assert_eq!(Some(fetches[0].clone()), selected);
}

#[test]
fn coalescing_keeps_every_other_command_in_order() {
    let fetch = |id: &str| Command::FetchResult {
        process_id: id.into(),
        refresh: false,
    };
    let out = coalesce(vec![
        fetch("a"),
        Command::LoadPage,
        fetch("b"),
        Command::Copy("x".into()),
        fetch("c"),
    ]);
    assert_eq!(
        out,
        vec![Command::LoadPage, Command::Copy("x".into()), fetch("c")]
    );
}

#[test]
fn a_resize_burst_asks_for_each_image_once_at_the_last_size() {
    use truora_tui::api::model::{ImageKind, ImageLink};
    use truora_tui::app::{ImageKey, ImageRequest};
    let request = |field: &str| ImageRequest {
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
    let fetch = |field: &str, area: (u16, u16)| Command::FetchImage {
        request: request(field),
        area,
    };
    let burst = vec![
        fetch("front_image", (40, 20)),
        fetch("face_photo", (40, 20)),
        fetch("front_image", (41, 20)),
        Command::LoadPage,
        fetch("front_image", (42, 21)),
    ];
    assert_eq!(
        coalesce(burst),
        vec![
            fetch("face_photo", (40, 20)),
            Command::LoadPage,
            fetch("front_image", (42, 21))
        ]
    );
}
