//! The browser's worker running on an archive source: the same commands the app sends for a
//! live session, answered from disk with no network.

mod export_support;

use std::time::Duration;

use export_support::*;
use tokio::sync::mpsc;
use truora_tui::app::{Command, ImageKey, ImageRequest, Message};
use truora_tui::export::{Silent, Stop};
use truora_tui::source::Source;
use truora_tui::worker::{self, WorkerOptions};

/// The next message that is not a busy-count update. The timeout only turns a hang into a
/// failure; nothing here depends on timing.
async fn next(rx: &mut mpsc::UnboundedReceiver<Message>) -> Message {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("the worker answers")
            .expect("the worker runs");
        if !matches!(message, Message::Busy { .. }) {
            return message;
        }
    }
}

#[tokio::test]
async fn the_worker_browses_an_archive_offline() {
    let server = start(12).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    export(&server, &out, Silent, Stop::never()).await;
    let id = server.process_ids()[0].clone();
    let expected = result_of(&server, &id);
    // From here on the server is gone: everything comes from disk.
    server.shutdown().await;

    let downloads = tmp.path().join("saved");
    let (tx, mut rx) = mpsc::unbounded_channel();
    let commands = worker::spawn(
        WorkerOptions {
            source: Source::archive(&out).unwrap(),
            picker: None,
            download_dir: downloads.clone(),
        },
        tx,
    );
    let mut transcript = Vec::new();

    commands.send(Command::LoadPage).unwrap();
    let Message::Page {
        items,
        more,
        skipped,
    } = next(&mut rx).await
    else {
        panic!("a page");
    };
    transcript.push(format!(
        "page: {} items, more {more}, skipped {skipped}",
        items.len()
    ));
    assert_eq!(items[0].process_id.as_deref(), Some(id.as_str()));

    commands
        .send(Command::FetchResult {
            process_id: id.clone(),
            refresh: false,
        })
        .unwrap();
    let Message::Result { result, .. } = next(&mut rx).await else {
        panic!("a result");
    };
    assert_eq!(result.validations.len(), expected.validations.len());
    transcript.push(format!("result: {} validations", result.validations.len()));

    let v = result
        .validations
        .iter()
        .find(|v| !v.images.is_empty())
        .unwrap();
    let vid = v.validation_id.clone().unwrap();
    commands
        .send(Command::FetchDetails {
            process_id: id.clone(),
            validation_id: vid.clone(),
        })
        .unwrap();
    let Message::Details { details, .. } = next(&mut rx).await else {
        panic!("details");
    };
    transcript.push(format!("details: {}", details.validation.type_name()));

    let request = ImageRequest {
        key: ImageKey {
            process_id: id.clone(),
            validation_id: vid,
            field: v.images[0].field.clone(),
        },
        link: v.images[0].clone(),
        validation_type: v.type_name().to_owned(),
    };
    commands
        .send(Command::FetchImage {
            request: request.clone(),
            area: (40, 20),
        })
        .unwrap();
    let Message::Image { image, .. } = next(&mut rx).await else {
        panic!("an image");
    };
    transcript.push(format!(
        "image: {} {}x{} {}",
        image.info.kind.label(),
        image.info.width,
        image.info.height,
        image.info.format
    ));

    commands
        .send(Command::Save {
            requests: vec![request],
        })
        .unwrap();
    let Message::Saved { path } = next(&mut rx).await else {
        panic!("saved");
    };
    transcript.push(format!(
        "saved: {}",
        path.strip_prefix(&downloads).unwrap().display()
    ));

    commands
        .send(Command::FetchResult {
            process_id: "IDPnot0exported".into(),
            refresh: false,
        })
        .unwrap();
    let Message::ResultFailed { error, .. } = next(&mut rx).await else {
        panic!("a failure");
    };
    transcript.push(format!("missing: {error}"));
    insta::assert_snapshot!(transcript.join("\n").replace(&id, "<ID>"));
}
