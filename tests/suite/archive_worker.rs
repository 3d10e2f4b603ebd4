//! The browser's worker running on an archive source: the same commands the app sends for a
//! live session, answered from disk with no network.

use crate::export_support;

use std::sync::Mutex;
use std::time::Duration;
use truora_tui::images::ImageView;

use export_support::*;
use tokio::sync::mpsc;
use truora_tui::app::list::PersonAt;
use truora_tui::app::{Job, ListPage, Message, Request, RequestId};
use truora_tui::export::{Silent, Stop};
use truora_tui::images::{ImageKey, ImageRequest};
use truora_tui::source::Source;
use truora_tui::worker::{self, WorkerOptions};

/// The archive's people, as the worker's background reading sent them (news between answers).
static PEOPLE: Mutex<Vec<PersonAt>> = Mutex::new(Vec::new());

/// The next message that is not the people's news (kept in [`PEOPLE`]). The timeout only turns
/// a hang into a failure; nothing here depends on timing.
async fn next(rx: &mut mpsc::UnboundedReceiver<Message>) -> Message {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), rx.recv())
            .await
            .expect("the worker answers")
            .expect("the worker runs");
        match message {
            Message::People(batch) => PEOPLE.lock().unwrap().extend(batch),
            other => return other,
        }
    }
}

/// Sends `job` as request number `n` and checks the next message answers it.
async fn ask(
    commands: &mpsc::UnboundedSender<Request>,
    rx: &mut mpsc::UnboundedReceiver<Message>,
    n: u64,
    job: Job,
) -> Message {
    commands
        .send(Request {
            id: RequestId(n),
            job,
        })
        .unwrap();
    let answer = next(rx).await;
    assert_eq!(answer.answers(), Some(RequestId(n)), "{answer:?}");
    answer
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

    let Message::Page {
        result: Ok(ListPage {
            items,
            more,
            skipped,
        }),
        ..
    } = ask(&commands, &mut rx, 1, Job::LoadPage).await
    else {
        panic!("a page");
    };
    transcript.push(format!(
        "page: {} items, more {more}, skipped {skipped}",
        items.len()
    ));
    assert_eq!(items[0].process_id.as_deref(), Some(id.as_str()));

    let job = Job::FetchResult {
        process_id: id.clone(),
        refresh: false,
    };
    let Message::Result {
        result: Ok(result), ..
    } = ask(&commands, &mut rx, 2, job).await
    else {
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
    let job = Job::FetchDetails {
        process_id: id.clone(),
        validation_id: vid.clone(),
    };
    let Message::Details {
        result: Ok(details),
        ..
    } = ask(&commands, &mut rx, 3, job).await
    else {
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
    let job = Job::FetchImage {
        request: request.clone(),
        area: (40, 20),
        view: ImageView::Whole,
    };
    let Message::Image {
        result: Ok(image), ..
    } = ask(&commands, &mut rx, 4, job).await
    else {
        panic!("an image");
    };
    transcript.push(format!(
        "image: {} {}x{} {}",
        image.info.kind.label(),
        image.info.width,
        image.info.height,
        image.info.format
    ));

    let Message::Saved {
        result: Ok(truora_tui::images::SaveOutcome::Written(path)),
        ..
    } = ask(&commands, &mut rx, 5, Job::Save { request }).await
    else {
        panic!("saved");
    };
    transcript.push(format!(
        "saved: {}",
        path.strip_prefix(&downloads).unwrap().display()
    ));

    let job = Job::FetchResult {
        process_id: "IDPnot0exported".into(),
        refresh: false,
    };
    let Message::Result {
        result: Err(error), ..
    } = ask(&commands, &mut rx, 6, job).await
    else {
        panic!("a failure");
    };
    transcript.push(format!("missing: {error}"));
    insta::assert_snapshot!(transcript.join("\n").replace(&id, "<ID>"));

    // Every exported process's person arrives in the background, each at its row, as its
    // result names them.
    while PEOPLE.lock().unwrap().len() < items.len() {
        let Ok(Some(Message::People(batch))) =
            tokio::time::timeout(Duration::from_secs(10), rx.recv()).await
        else {
            panic!("the people of every process: {:?}", PEOPLE.lock().unwrap());
        };
        PEOPLE.lock().unwrap().extend(batch);
    }
    let people = PEOPLE.lock().unwrap();
    let archive = truora_tui::archive::Archive::open(&out).unwrap();
    for (row, item) in items.iter().enumerate() {
        let id = item.process_id.as_deref().unwrap();
        let at = people
            .iter()
            .find(|p| p.process_id == id)
            .expect("a person");
        assert_eq!(at.row, row);
        let (_, result) = archive.result(id).unwrap();
        assert_eq!(
            Some(&at.person),
            truora_tui::api::model::Person::of(&result).as_ref()
        );
    }
}
