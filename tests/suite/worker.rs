//! The fetch worker against the demo server: one answer per request (aborted ones included),
//! newest-selection-wins, refresh, transparent refresh of expired image links, and saving.

use std::collections::BTreeMap;
use std::time::Duration;
use truora_tui::images::ImageView;

use ratatui_image::picker::Picker;
use tokio::sync::mpsc;
use truora_tui::api::ApiKey;
use truora_tui::api::model::ProcessResult;
use truora_tui::api::{Client, ClientOptions};
use truora_tui::app::{Job, Message, Request, RequestId};
use truora_tui::demo::{DEMO_API_KEY, DemoHost, DemoOptions, DemoServer};
use truora_tui::images::{ImageKey, ImageRequest};
use truora_tui::source::Source;
use truora_tui::worker::{self, WorkerOptions};

struct Rig {
    server: DemoServer,
    commands: mpsc::UnboundedSender<Request>,
    messages: mpsc::UnboundedReceiver<Message>,
    downloads: tempfile::TempDir,
    next_id: u64,
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
        next_id: 0,
    }
}

impl Rig {
    /// The next message; fails the test after 20 s of silence (a deadline, not a timing).
    async fn next(&mut self) -> Message {
        tokio::time::timeout(Duration::from_secs(20), self.messages.recv())
            .await
            .expect("the worker answers")
            .expect("the worker is alive")
    }

    /// Sends a job under a fresh id.
    fn send(&mut self, job: Job) -> RequestId {
        self.next_id += 1;
        let id = RequestId(self.next_id);
        self.commands
            .send(Request { id, job })
            .expect("worker alive");
        id
    }

    /// Sends a job and returns its answer, with any news that came before it.
    async fn ask(&mut self, job: Job) -> (Message, Vec<Message>) {
        let id = self.send(job);
        let mut news = Vec::new();
        loop {
            let message = self.next().await;
            match message.answers() {
                Some(answered) if answered == id => return (message, news),
                Some(other) => panic!("an answer for {other} while waiting for {id}: {message:?}"),
                None => news.push(message),
            }
        }
    }

    /// Collects messages until every id in `ids` has an answer; fails on an answer for an id
    /// not asked or answered before.
    async fn answers_to(
        &mut self,
        ids: &[RequestId],
    ) -> (BTreeMap<RequestId, Message>, Vec<Message>) {
        let mut answers = BTreeMap::new();
        let mut news = Vec::new();
        while answers.len() < ids.len() {
            let message = self.next().await;
            let Some(id) = message.answers() else {
                news.push(message);
                continue;
            };
            assert!(
                ids.contains(&id),
                "an answer for {id}, never asked: {message:?}"
            );
            if let Some(first) = answers.insert(id, message) {
                panic!("{id} answered twice; first {first:?}");
            }
        }
        (answers, news)
    }
}

fn fetch(process_id: &str) -> Job {
    Job::FetchResult {
        process_id: process_id.into(),
        refresh: false,
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

fn image_requests(server: &DemoServer) -> usize {
    server
        .requests()
        .iter()
        .filter(|r| r.host == DemoHost::Images)
        .count()
}

/// A process with a picture, and a request for its first one.
async fn picture_request(rig: &mut Rig) -> (ProcessResult, ImageRequest) {
    for id in rig.server.process_ids() {
        let (
            Message::Result {
                result: Ok(result), ..
            },
            _,
        ) = rig.ask(fetch(&id)).await
        else {
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
    let (
        Message::Page {
            result: Ok(page), ..
        },
        _,
    ) = rig.ask(Job::LoadPage).await
    else {
        panic!("expected a page");
    };
    assert_eq!(page.items.len(), 100);
    assert!(page.more);
    let id = page.items[3].process_id.clone().unwrap();
    match rig.ask(fetch(&id)).await.0 {
        Message::Result {
            result: Ok(result), ..
        } => {
            assert_eq!(result.process_id.as_deref(), Some(id.as_str()));
        }
        other => panic!("unexpected {other:?}"),
    }
}

/// The ids whose answer is an Ok result, and those answered cancelled.
fn outcomes(answers: &BTreeMap<RequestId, Message>) -> (Vec<RequestId>, Vec<RequestId>) {
    let done = answers
        .iter()
        .filter(|(_, m)| matches!(m, Message::Result { result: Ok(_), .. }))
        .map(|(id, _)| *id)
        .collect();
    let cancelled = answers
        .iter()
        .filter(|(_, m)| matches!(m, Message::Cancelled { .. }))
        .map(|(id, _)| *id)
        .collect();
    (done, cancelled)
}

#[tokio::test]
async fn the_newest_selection_wins_and_the_others_are_answered_cancelled() {
    // Slow answers: every fetch is still on the wire when the next selection arrives.
    let mut rig = rig(DemoOptions {
        latency: Duration::from_millis(400),
        ..DemoOptions::default()
    })
    .await;
    let ids = rig.server.process_ids();
    let asked: Vec<_> = ids.iter().take(30).map(|id| rig.send(fetch(id))).collect();
    let (answers, _) = rig.answers_to(&asked).await;
    let (done, cancelled) = outcomes(&answers);
    assert_eq!(
        done,
        [asked[29]],
        "only the last selection's result is delivered"
    );
    assert_eq!(
        cancelled,
        asked[..29],
        "the 29 left behind were aborted and said so"
    );
}

#[tokio::test]
async fn going_back_to_a_process_whose_fetch_was_aborted_fetches_it_again() {
    let mut rig = rig(DemoOptions {
        latency: Duration::from_millis(300),
        ..DemoOptions::default()
    })
    .await;
    let ids = rig.server.process_ids();
    let asked: Vec<_> = [&ids[0], &ids[1], &ids[0]]
        .into_iter()
        .map(|id| rig.send(fetch(id)))
        .collect();
    let (answers, _) = rig.answers_to(&asked).await;
    assert_eq!(
        outcomes(&answers),
        (vec![asked[2]], vec![asked[0], asked[1]])
    );
}

#[tokio::test]
async fn every_request_gets_exactly_one_answer_even_when_aborted() {
    // Overlapping work of every kind: selections that abort each other with their images in
    // flight, the same request twice, details and saves that no selection aborts, pages.
    let mut rig = rig(DemoOptions {
        latency: Duration::from_millis(200),
        ..DemoOptions::default()
    })
    .await;
    let (_, picture) = picture_request(&mut rig).await;
    let ids = rig.server.process_ids();
    let image = |area| Job::FetchImage {
        request: picture.clone(),
        area,
        view: ImageView::Whole,
    };
    let mut asked = vec![
        rig.send(Job::LoadPage),
        rig.send(image((40, 20))),
        rig.send(image((40, 20))), // the same request: waits on the first, answered too
        rig.send(image((30, 10))),
        rig.send(Job::Save {
            request: picture.clone(),
        }),
    ];
    for id in ids.iter().skip(1).take(6) {
        asked.push(rig.send(fetch(id))); // each aborts the one before, and the images above
        asked.push(rig.send(fetch(id))); // twice: joins the running fetch
    }
    asked.push(rig.send(Job::FetchDetails {
        process_id: picture.key.process_id.clone(),
        validation_id: picture.key.validation_id.clone(),
    }));
    asked.push(rig.send(Job::LoadPage));
    let (answers, _) = rig.answers_to(&asked).await;
    assert_eq!(answers.len(), asked.len());
    let cancelled = answers
        .values()
        .filter(|m| matches!(m, Message::Cancelled { .. }))
        .count();
    assert!(
        cancelled >= 10,
        "5 superseded selections asked twice each: {answers:#?}"
    );
    // The last selection's two requests share one fetch and both get its result.
    let last = &asked[asked.len() - 4..asked.len() - 2];
    for id in last {
        assert!(
            matches!(answers[id], Message::Result { result: Ok(_), .. }),
            "{:?}",
            answers[id]
        );
    }
    assert!(
        matches!(answers[&asked[4]], Message::Saved { result: Ok(_), .. }),
        "saves are never aborted"
    );
    // Nothing else is owed: a last request's answer is the very next answer.
    let marker = rig.send(Job::LoadPage);
    loop {
        let message = rig.next().await;
        match message.answers() {
            Some(id) => {
                assert_eq!(id, marker, "a second answer: {message:?}");
                break;
            }
            None => continue,
        }
    }
}

#[tokio::test]
async fn a_refresh_fetches_the_result_and_the_images_anew() {
    let mut rig = rig(DemoOptions::default()).await;
    let (_, request) = picture_request(&mut rig).await;
    let process_id = request.key.process_id.clone();
    let image = |area| Job::FetchImage {
        request: request.clone(),
        area,
        view: ImageView::Whole,
    };
    rig.server.clear_requests();
    let (answer, _) = rig.ask(image((40, 20))).await;
    assert!(
        matches!(answer, Message::Image { result: Ok(_), .. }),
        "{answer:?}"
    );
    let (answer, _) = rig.ask(image((20, 10))).await;
    assert!(
        matches!(answer, Message::Image { result: Ok(_), .. }),
        "{answer:?}"
    );
    assert_eq!(
        image_requests(&rig.server),
        1,
        "the second size is encoded from cached bytes"
    );

    let (answer, _) = rig.ask(fetch(&process_id)).await;
    assert!(matches!(answer, Message::Result { result: Ok(_), .. }));
    assert_eq!(
        result_requests(&rig.server).len(),
        1,
        "results are never cached by the worker"
    );
    let (answer, _) = rig.ask(image((40, 20))).await;
    assert!(matches!(answer, Message::Image { result: Ok(_), .. }));
    assert_eq!(
        image_requests(&rig.server),
        1,
        "a plain fetch keeps the bytes"
    );

    let (answer, _) = rig
        .ask(Job::FetchResult {
            process_id: process_id.clone(),
            refresh: true,
        })
        .await;
    assert!(matches!(answer, Message::Result { result: Ok(_), .. }));
    assert_eq!(result_requests(&rig.server).len(), 2);
    let (answer, _) = rig.ask(image((40, 20))).await;
    assert!(matches!(answer, Message::Image { result: Ok(_), .. }));
    assert_eq!(
        image_requests(&rig.server),
        2,
        "after a refresh the image is downloaded again"
    );
}
#[tokio::test]
async fn an_expired_link_is_refreshed_without_the_user_noticing() {
    let mut rig = rig(DemoOptions::default()).await;
    let (_, request) = picture_request(&mut rig).await;
    rig.server.advance_clock(Duration::from_secs(3600));
    rig.server.clear_requests();
    let (answer, news) = rig
        .ask(Job::FetchImage {
            request: request.clone(),
            area: (40, 20),
            view: ImageView::Whole,
        })
        .await;
    // The refresh re-fetched the result and tells the app about the fresh links.
    match news.as_slice() {
        [Message::FreshResult { process_id, .. }] => {
            assert_eq!(*process_id, request.key.process_id)
        }
        other => panic!("unexpected {other:?}"),
    }
    match answer {
        Message::Image {
            result: Ok(image), ..
        } => {
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
    use truora_tui::images::SaveOutcome;
    let mut rig = rig(DemoOptions::default()).await;
    let (_, request) = picture_request(&mut rig).await;
    let save = || Job::Save {
        request: request.clone(),
    };
    let asked = [rig.send(save()), rig.send(save())];
    let (answers, _) = rig.answers_to(&asked).await;
    let outcomes: Vec<SaveOutcome> = asked
        .iter()
        .map(|id| match &answers[id] {
            Message::Saved {
                result: Ok(outcome),
                ..
            } => outcome.clone(),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let expected = rig
        .server
        .image_bytes(
            &request.key.process_id,
            &request.key.validation_id,
            &request.key.field,
        )
        .unwrap();
    let SaveOutcome::Written(path) = &outcomes[0] else {
        panic!("the first save writes: {outcomes:?}")
    };
    assert_eq!(
        outcomes[1],
        SaveOutcome::Identical(path.clone()),
        "the same bytes again are not written twice"
    );
    assert!(path.starts_with(rig.downloads.path()));
    assert_eq!(std::fs::read(path).unwrap(), expected);
    assert_eq!(
        std::fs::read_dir(path.parent().unwrap()).unwrap().count(),
        1
    );
    // The tree's label, after the process id: `IDP…-document-front.jpg`.
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let label = request.link.kind.label().replace(' ', "-");
    assert!(
        name.starts_with(&format!("{}-{label}.", request.key.process_id)),
        "{name}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}

/// The browser's save (`s`/`S`) never writes through a link planted in place of the process
/// folder in `download_dir`: it fails with an error naming the link, and nothing outside changes.
#[cfg(unix)]
#[tokio::test]
async fn save_refuses_a_link_in_place_of_the_process_folder() {
    let mut rig = rig(DemoOptions::default()).await;
    let (_, request) = picture_request(&mut rig).await;
    let saved = rig.downloads.path().join("saved");
    let outside = rig.downloads.path().join("outside");
    std::fs::create_dir_all(&saved).unwrap();
    std::fs::create_dir(&outside).unwrap();
    let planted = saved.join(truora_tui::sanitize::file_component(
        &request.key.process_id,
    ));
    std::os::unix::fs::symlink(&outside, &planted).unwrap();
    let (answer, _) = rig.ask(Job::Save { request }).await;
    match answer {
        Message::Saved {
            result: Err(error), ..
        } => assert!(
            error
                .to_string()
                .contains(&format!("{} is a symbolic link", planted.display())),
            "{error}"
        ),
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(std::fs::read_dir(&outside).unwrap().count(), 0);
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
        let job = Job::FetchDetails {
            process_id: result.process_id.clone().unwrap(),
            validation_id: vid,
        };
        let (
            Message::Details {
                result: Ok(details),
                ..
            },
            _,
        ) = rig.ask(job).await
        else {
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
    let (answer, news) = rig
        .ask(Job::FetchImage {
            request: request.clone(),
            area: (30, 15),
            view: ImageView::Whole,
        })
        .await;
    assert!(
        matches!(
            news.as_slice(),
            [Message::FreshResult { .. }, Message::FreshDetails { .. }]
        ),
        "{news:?}"
    );
    assert!(
        matches!(answer, Message::Image { result: Ok(_), .. }),
        "{answer:?}"
    );
}
