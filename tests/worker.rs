//! The fetch worker against the demo server: results, newest-selection-wins, transparent refresh
//! of expired image links, and saving.

use std::time::Duration;

use ratatui_image::picker::Picker;
use tokio::sync::mpsc;
use truora_tui::api::model::ProcessResult;
use truora_tui::api::{Client, ClientOptions};
use truora_tui::app::{Command, ImageKey, ImageRequest, Message};
use truora_tui::config::ApiKey;
use truora_tui::demo::{DEMO_API_KEY, DemoHost, DemoOptions, DemoServer};
use truora_tui::source::Source;
use truora_tui::worker::{self, WorkerOptions};

struct Rig {
    server: DemoServer,
    commands: mpsc::UnboundedSender<Command>,
    messages: mpsc::UnboundedReceiver<Message>,
    downloads: tempfile::TempDir,
}

async fn rig(opts: DemoOptions) -> Rig {
    let server = DemoServer::start(opts).await.expect("demo");
    let client = Client::new(ClientOptions::new(
        server.identity_url(),
        server.validations_url(),
        ApiKey::new(DEMO_API_KEY.into()),
    ))
    .expect("client");
    let downloads = tempfile::tempdir().expect("tempdir");
    let (tx, messages) = mpsc::unbounded_channel();
    let commands = worker::spawn(
        WorkerOptions {
            source: Source::api(client, "demo"),
            picker: Some(Picker::halfblocks()),
            download_dir: downloads.path().join("saved"),
        },
        tx,
    );
    Rig {
        server,
        commands,
        messages,
        downloads,
    }
}

impl Rig {
    /// The next message that is not a `Busy` report; fails the test after 20 s of silence.
    async fn next(&mut self) -> Message {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(20), self.messages.recv())
                .await
                .expect("the worker answers")
                .expect("the worker is alive");
            if !matches!(msg, Message::Busy { .. }) {
                return msg;
            }
        }
    }

    fn send(&self, c: Command) {
        self.commands.send(c).expect("worker alive");
    }
}

fn result_requests(server: &DemoServer) -> Vec<String> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.host == DemoHost::Identity && r.path.ends_with("/result"))
        .map(|r| r.path)
        .collect()
}

/// A process with a picture, and a request for its first one.
async fn picture_request(rig: &mut Rig) -> (ProcessResult, ImageRequest) {
    for id in rig.server.process_ids() {
        rig.send(Command::FetchResult {
            process_id: id.clone(),
            refresh: false,
        });
        let Message::Result { result, .. } = rig.next().await else {
            panic!("expected a result");
        };
        for v in &result.validations {
            if let (Some(vid), Some(link)) = (
                &v.validation_id,
                v.images.iter().find(|l| l.kind.is_picture()),
            ) {
                let request = ImageRequest {
                    key: ImageKey {
                        process_id: id.clone(),
                        validation_id: vid.clone(),
                        field: link.field.clone(),
                    },
                    link: link.clone(),
                    validation_type: v.type_name().to_owned(),
                };
                return ((*result).clone(), request);
            }
        }
    }
    panic!("no process with a picture");
}

#[tokio::test]
async fn pages_then_results() {
    let mut rig = rig(DemoOptions {
        page_size: 100,
        ..DemoOptions::default()
    })
    .await;
    rig.send(Command::LoadPage);
    let Message::Page { items, more, .. } = rig.next().await else {
        panic!("expected a page");
    };
    assert_eq!(items.len(), 100);
    assert!(more);
    let id = items[3].process_id.clone().unwrap();
    rig.send(Command::FetchResult {
        process_id: id.clone(),
        refresh: false,
    });
    match rig.next().await {
        Message::Result { process_id, result } => {
            assert_eq!(process_id, id);
            assert_eq!(result.process_id.as_deref(), Some(id.as_str()));
        }
        other => panic!("unexpected {other:?}"),
    }
}

/// Every message until the worker reports it is idle (`Busy { in_flight: 0 }`).
async fn until_idle(rig: &mut Rig) -> Vec<Message> {
    let mut seen = Vec::new();
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(20), rig.messages.recv())
            .await
            .expect("the worker answers")
            .expect("the worker is alive");
        match msg {
            Message::Busy { in_flight: 0 } => return seen,
            Message::Busy { .. } => {}
            other => seen.push(other),
        }
    }
}

fn results_in(messages: &[Message]) -> Vec<String> {
    messages
        .iter()
        .filter_map(|m| match m {
            Message::Result { process_id, .. } => Some(process_id.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn the_newest_selection_wins() {
    // Slow answers: every fetch is still on the wire when the next selection arrives.
    let mut rig = rig(DemoOptions {
        latency: Duration::from_millis(400),
        ..DemoOptions::default()
    })
    .await;
    let ids = rig.server.process_ids();
    for id in ids.iter().take(30) {
        rig.send(Command::FetchResult {
            process_id: id.clone(),
            refresh: false,
        });
    }
    // Until the worker is idle, the only result delivered is the last selection's: the 29
    // left behind were aborted.
    let messages = until_idle(&mut rig).await;
    assert_eq!(results_in(&messages), [ids[29].clone()]);
}

#[tokio::test]
async fn going_back_to_a_process_whose_fetch_was_aborted_fetches_it_again() {
    let mut rig = rig(DemoOptions {
        latency: Duration::from_millis(300),
        ..DemoOptions::default()
    })
    .await;
    let ids = rig.server.process_ids();
    for id in [&ids[0], &ids[1], &ids[0]] {
        rig.send(Command::FetchResult {
            process_id: id.clone(),
            refresh: false,
        });
    }
    let messages = until_idle(&mut rig).await;
    assert_eq!(results_in(&messages), [ids[0].clone()]);
}

#[tokio::test]
async fn an_expired_link_is_refreshed_without_the_user_noticing() {
    let mut rig = rig(DemoOptions::default()).await;
    let (_, request) = picture_request(&mut rig).await;
    rig.server.advance_clock(Duration::from_secs(3600));
    rig.server.clear_requests();
    rig.send(Command::FetchImage {
        request: request.clone(),
        area: (40, 20),
    });
    match rig.next().await {
        // The refresh re-fetched the result and tells the app about the fresh links.
        Message::Result { process_id, .. } => assert_eq!(process_id, request.key.process_id),
        other => panic!("unexpected {other:?}"),
    }
    match rig.next().await {
        Message::Image { key, area, image } => {
            assert_eq!(key, request.key);
            assert_eq!(area, (40, 20));
            assert!(image.protocol.is_some());
            assert!(image.info.width > 0 && image.info.bytes > 0);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(
        result_requests(&rig.server).len(),
        1,
        "one refresh, one retry"
    );
    let images: Vec<_> = rig
        .server
        .requests()
        .into_iter()
        .filter(|r| r.host == DemoHost::Images)
        .collect();
    assert_eq!(images.len(), 2, "the expired try and the fresh one");
}

#[tokio::test]
async fn save_writes_private_files_and_reports_where() {
    let mut rig = rig(DemoOptions::default()).await;
    let (_, request) = picture_request(&mut rig).await;
    rig.send(Command::Save {
        requests: vec![request.clone(), request.clone()],
    });
    let mut paths = Vec::new();
    for _ in 0..2 {
        match rig.next().await {
            Message::Saved { path } => paths.push(path),
            other => panic!("unexpected {other:?}"),
        }
    }
    let expected = rig
        .server
        .image_bytes(
            &request.key.process_id,
            &request.key.validation_id,
            &request.key.field,
        )
        .unwrap();
    assert_ne!(
        paths[0], paths[1],
        "the second save does not overwrite the first"
    );
    for path in &paths {
        assert!(path.starts_with(rig.downloads.path()));
        assert_eq!(std::fs::read(path).unwrap(), expected);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(&format!(
                "{}-{}",
                request.validation_type, request.key.field
            )),
            "{name}"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}

#[tokio::test]
async fn an_expired_link_from_the_details_is_re_signed_by_fetching_the_details_again() {
    let mut rig = rig(DemoOptions::default()).await;
    // A process whose validation details carry a file link the result does not have.
    let (result, _) = picture_request(&mut rig).await;
    let mut found = None;
    for v in &result.validations {
        let Some(vid) = v.validation_id.clone() else {
            continue;
        };
        rig.send(Command::FetchDetails {
            process_id: result.process_id.clone().unwrap(),
            validation_id: vid,
        });
        let Message::Details { details, .. } = rig.next().await else {
            panic!("expected details");
        };
        let in_result: Vec<_> = v.images.iter().map(|l| l.field.clone()).collect();
        if let Some(link) = details
            .validation
            .images
            .iter()
            .find(|l| !in_result.contains(&l.field))
        {
            found = Some((
                result.validation_key(v),
                v.type_name().to_owned(),
                link.clone(),
            ));
            break;
        }
    }
    let (validation_key, validation_type, link) =
        found.expect("the demo's details have input files");
    let request = ImageRequest {
        key: ImageKey {
            process_id: result.process_id.clone().unwrap(),
            validation_id: validation_key,
            field: link.field.clone(),
        },
        link,
        validation_type,
    };
    rig.server.advance_clock(Duration::from_secs(3600));
    rig.send(Command::FetchImage {
        request: request.clone(),
        area: (30, 15),
    });
    assert!(matches!(rig.next().await, Message::Result { .. }));
    assert!(matches!(rig.next().await, Message::Details { .. }));
    match rig.next().await {
        Message::Image { key, .. } => assert_eq!(key, request.key),
        other => panic!("unexpected {other:?}"),
    }
}
