//! The client against the demo server over real loopback HTTP.

use std::time::Duration;

use truora_tui::api::ApiKey;
use truora_tui::api::model::Status;
use truora_tui::api::{ApiError, Client, ClientOptions, RetryPolicy};
use truora_tui::demo::{DEMO_API_KEY, DemoHost, DemoOptions, DemoServer, Fault, ProcessFault};

/// Fast retries so failure paths finish quickly; the policy itself is unit-tested.
fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
    }
}

fn client_for(server: &DemoServer, key: &str) -> Client {
    let mut opts = ClientOptions::new(
        server.identity_url(),
        server.validations_url(),
        ApiKey::new(key.to_owned()),
    );
    opts.retry = quick_retry();
    opts.timeout = Duration::from_secs(5);
    Client::new(opts).expect("client builds")
}

async fn demo(opts: DemoOptions) -> (DemoServer, Client) {
    let server = DemoServer::start(opts).await.expect("demo starts");
    let client = client_for(&server, DEMO_API_KEY);
    (server, client)
}

#[tokio::test]
async fn paging_visits_every_process_once() {
    let (server, client) = demo(DemoOptions {
        page_size: 37,
        ..DemoOptions::default()
    })
    .await;
    let mut pages = client.pages();
    let mut ids = Vec::new();
    let mut page_count = 0;
    while let Some(page) = pages.next().await {
        let page = page.expect("page loads");
        page_count += 1;
        assert!(page.items.len() <= 37);
        assert_eq!(page.items.len(), page.raw_items.len());
        ids.extend(page.items.into_iter().map(|p| p.process_id.expect("id")));
    }
    let expected = server.process_ids();
    assert!(expected.len() >= 300);
    assert_eq!(ids, expected, "every process, once, in list order");
    assert_eq!(page_count, expected.len().div_ceil(37));
    server.shutdown().await;
}

#[tokio::test]
async fn a_wrong_key_is_refused_with_advice() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let client = client_for(&server, "wrong-key");
    let err = client.pages().next().await.unwrap().unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err:?}");
    assert!(
        err.to_string().contains("check TRUORA_API_KEY / api_key"),
        "{err}"
    );
    assert!(err.is_fatal_for_session());
    server.shutdown().await;
}

#[tokio::test]
async fn rate_limit_then_success() {
    let (server, client) = demo(DemoOptions::default()).await;
    let id = server.process_ids()[0].clone();
    server.inject(Fault::Status {
        status: 429,
        retry_after: Some(0),
    });
    server.inject(Fault::Status {
        status: 429,
        retry_after: None,
    });
    let fetched = client
        .process_result(&id)
        .await
        .expect("succeeds after two 429s");
    assert_eq!(fetched.parsed.process_id.as_deref(), Some(id.as_str()));
    let tries = server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/result"))
        .count();
    assert_eq!(tries, 3);
    server.shutdown().await;
}

#[tokio::test]
async fn server_errors_until_retries_run_out() {
    let (server, client) = demo(DemoOptions::default()).await;
    let id = server.process_ids()[0].clone();
    for _ in 0..10 {
        server.inject(Fault::Status {
            status: 500,
            retry_after: None,
        });
    }
    let err = client.process_result(&id).await.unwrap_err();
    match &err {
        ApiError::Server {
            status, attempts, ..
        } => {
            assert_eq!(*status, 500);
            assert_eq!(*attempts, 4, "one try and three retries");
        }
        other => panic!("expected a server error, got {other:?}"),
    }
    assert!(err.to_string().contains("try again later"), "{err}");
    assert_eq!(
        server.requests().len(),
        4,
        "no more tries than the policy allows"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn not_found_and_hostile_ids() {
    let (server, client) = demo(DemoOptions::default()).await;
    let err = client.process_result("IDPdoesnotexist").await.unwrap_err();
    assert!(matches!(err, ApiError::NotFound { .. }), "{err:?}");
    assert!(err.to_string().contains("check the id"));

    // A hostile id stays one path segment: it reaches the server percent-encoded and is a 404,
    // never the list or another route.
    server.clear_requests();
    let err = client
        .process_result("../../v1/processes")
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::NotFound { .. }), "{err:?}");
    let seen = server.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].path,
        "/v1/processes/..%2F..%2Fv1%2Fprocesses/result"
    );

    for bad in ["", "..", "."] {
        let err = client.process_result(bad).await.unwrap_err();
        assert!(
            matches!(err, ApiError::InvalidInput { .. }),
            "{bad:?}: {err:?}"
        );
    }
    server.shutdown().await;
}

#[tokio::test]
async fn malformed_and_truncated_json_are_decode_errors() {
    let (server, client) = demo(DemoOptions::default()).await;
    let id = server.process_ids()[1].clone();
    server.inject(Fault::Malformed);
    let err = client.process_result(&id).await.unwrap_err();
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
    assert!(err.to_string().contains("not the JSON expected"), "{err}");

    server.inject(Fault::Truncated);
    let err = client.pages().next().await.unwrap().unwrap_err();
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");

    server.set_process_fault(&id, Some(ProcessFault::Truncated));
    assert!(matches!(
        client.process_result(&id).await,
        Err(ApiError::Decode { .. })
    ));
    server.set_process_fault(&id, None);
    assert!(
        client.process_result(&id).await.is_ok(),
        "recovers once the server does"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_hanging_server_times_out_with_advice() {
    let server = DemoServer::start(DemoOptions::default()).await.unwrap();
    let mut opts = ClientOptions::new(
        server.identity_url(),
        server.validations_url(),
        ApiKey::new(DEMO_API_KEY.into()),
    );
    opts.timeout = Duration::from_millis(200);
    opts.retry = RetryPolicy {
        max_retries: 1,
        ..quick_retry()
    };
    let client = Client::new(opts).unwrap();
    server.inject(Fault::Hang(Duration::from_secs(5)));
    server.inject(Fault::Hang(Duration::from_secs(5)));
    let err = client.pages().next().await.unwrap().unwrap_err();
    assert!(
        matches!(err, ApiError::Timeout { attempts: 2, .. }),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("raise request_timeout_secs"),
        "{err}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn images_download_without_the_key_and_expire_as_their_own_error() {
    let (server, client) = demo(DemoOptions::default()).await;
    let (process_id, result) = first_with_images(&server, &client).await;
    let validation = result
        .validations
        .iter()
        .find(|v| !v.images.is_empty())
        .expect("a validation with images");
    let link = &validation.images[0];
    let bytes = client
        .download(&link.url, "test image")
        .await
        .expect("image downloads");
    let expected = server
        .image_bytes(
            &process_id,
            validation.validation_id.as_deref().unwrap(),
            &link.field,
        )
        .expect("server knows the image");
    assert_eq!(bytes, expected);

    // The key went to the API hosts and never to the image host.
    let requests = server.requests();
    let has_key = |r: &truora_tui::demo::RecordedRequest| {
        r.headers
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("truora-api-key") || v.contains(DEMO_API_KEY))
    };
    let image_requests: Vec<_> = requests
        .iter()
        .filter(|r| r.host == DemoHost::Images)
        .collect();
    assert!(!image_requests.is_empty());
    assert!(
        image_requests.iter().all(|r| !has_key(r)),
        "key leaked to the image host"
    );
    assert!(
        requests
            .iter()
            .filter(|r| r.host != DemoHost::Images)
            .all(has_key),
        "API requests carry the key"
    );

    // Past the link's lifetime the image host answers 403 and the client says "expired".
    server.advance_clock(Duration::from_secs(16 * 60));
    let err = client.download(&link.url, "test image").await.unwrap_err();
    assert!(matches!(err, ApiError::LinkExpired { .. }), "{err:?}");
    assert!(err.is_stale_link());
    assert!(err.to_string().contains("refresh the process"), "{err}");

    // A fresh result carries freshly signed links that work again.
    let fresh = client.process_result(&process_id).await.unwrap().parsed;
    let fresh_link = fresh.validations[validation.index].images[0].url.clone();
    assert_ne!(fresh_link, link.url);
    assert_eq!(
        client.download(&fresh_link, "test image").await.unwrap(),
        expected
    );

    // A tampered signature is refused, and not mistaken for expiry.
    let tampered = fresh_link.replace("X-Amz-Signature=", "X-Amz-Signature=00");
    let err = client.download(&tampered, "test image").await.unwrap_err();
    assert!(
        matches!(err, ApiError::LinkRefused { status: 403, .. }),
        "{err:?}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn validation_details_come_from_the_validations_host() {
    let (server, client) = demo(DemoOptions::default()).await;
    let (_, result) = first_with_images(&server, &client).await;
    let vid = result.validations[0]
        .validation_id
        .clone()
        .expect("validation id");
    server.clear_requests();
    let details = client.validation_details(&vid).await.expect("details load");
    assert_eq!(
        details.parsed.validation.validation_id.as_deref(),
        Some(vid.as_str())
    );
    let req = &server.requests()[0];
    assert_eq!(req.host, DemoHost::Validations);
    assert_eq!(req.query.as_deref(), Some("show_details=true"));
    server.shutdown().await;
}

#[tokio::test]
async fn the_demo_data_reads_without_loss() {
    let (server, client) = demo(DemoOptions::default()).await;
    let mut statuses = std::collections::HashSet::new();
    for id in server.process_ids().iter().take(60) {
        let fetched = client.process_result(id).await.expect("result");
        let r = fetched.parsed;
        assert_eq!(r.process_id.as_deref(), Some(id.as_str()));
        statuses.insert(r.status.clone());
        if r.status == Some(Status::Failure) {
            let explained = r.declined_reason.is_some()
                || r.failure_status.is_some()
                || r.validations.iter().any(|v| v.is_failure());
            assert!(explained, "failed process {id} says why");
        }
    }
    assert!(statuses.len() >= 3, "{statuses:?}");
    server.shutdown().await;
}

async fn first_with_images(
    server: &DemoServer,
    client: &Client,
) -> (String, truora_tui::api::model::ProcessResult) {
    for id in server.process_ids() {
        let r = client.process_result(&id).await.expect("result").parsed;
        if r.validations
            .iter()
            .any(|v| !v.images.is_empty() && v.validation_id.is_some())
        {
            return (id, r);
        }
    }
    panic!("the demo has no process with images");
}

/// A list endpoint that answers fixed bodies by exact path and query, recording what was asked
/// (a 404 for anything else). Stops when dropped.
struct ScriptedList {
    url: url::Url,
    asked: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl ScriptedList {
    async fn start(prefix: &str, pages: &[(&str, serde_json::Value)]) -> ScriptedList {
        use axum::response::IntoResponse;
        let pages: std::collections::HashMap<String, String> = pages
            .iter()
            .map(|(uri, body)| (uri.to_string(), body.to_string()))
            .collect();
        let asked: std::sync::Arc<std::sync::Mutex<Vec<String>>> = Default::default();
        let log = asked.clone();
        let app = axum::Router::new().fallback(move |uri: axum::http::Uri| {
            let (log, pages) = (log.clone(), pages.clone());
            async move {
                let uri = uri.to_string();
                log.lock().unwrap().push(uri.clone());
                match pages.get(&uri) {
                    Some(body) => body.clone().into_response(),
                    None => (axum::http::StatusCode::NOT_FOUND, "{}").into_response(),
                }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}{prefix}", listener.local_addr().unwrap());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        ScriptedList {
            url: url.parse().unwrap(),
            asked,
            task,
        }
    }

    fn client(&self) -> Client {
        let mut opts =
            ClientOptions::new(self.url.clone(), self.url.clone(), ApiKey::new("k".into()));
        opts.retry = quick_retry();
        Client::new(opts).unwrap()
    }

    fn asked(&self) -> Vec<String> {
        self.asked.lock().unwrap().clone()
    }
}

impl Drop for ScriptedList {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn list_all(client: &Client) -> Vec<String> {
    let mut pages = client.pages();
    let mut ids = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.expect("page loads");
        ids.extend(page.items.into_iter().filter_map(|p| p.process_id));
    }
    ids
}

/// Relative `next` links resolve against the page that sent them (under a proxy prefix, too),
/// empty pages with a cursor are followed, and an object start key goes back as JSON.
#[tokio::test]
async fn paging_follows_relative_links_empty_pages_and_object_keys() {
    use serde_json::json;
    let server = ScriptedList::start(
        "/truora/",
        &[
            (
                "/truora/v1/processes/",
                json!({"processes": [{"process_id": "IDP1"}], "next": "?start_key=a"}),
            ),
            (
                "/truora/v1/processes/?start_key=a",
                json!({"processes": [], "last_evaluated_key": {"after": "IDP1"}}),
            ),
            (
                "/truora/v1/processes/?start_key=%7B%22after%22%3A%22IDP1%22%7D",
                json!({"processes": [], "next": "more/page3"}),
            ),
            (
                "/truora/v1/processes/more/page3",
                json!({"processes": [{"process_id": "IDP2"}], "next": "page4"}),
            ),
            (
                "/truora/v1/processes/more/page4",
                json!({"items": [{"process_id": "IDP3"}]}),
            ),
        ],
    )
    .await;
    assert_eq!(list_all(&server.client()).await, ["IDP1", "IDP2", "IDP3"]);
    assert_eq!(server.asked().len(), 5, "{:?}", server.asked());
}

#[tokio::test]
async fn paging_stops_after_three_empty_pages_or_a_repeated_link() {
    use serde_json::json;
    let server = ScriptedList::start(
        "/",
        &[
            (
                "/v1/processes/",
                json!({"processes": [{"process_id": "IDP1"}], "next": "?start_key=1"}),
            ),
            (
                "/v1/processes/?start_key=1",
                json!({"processes": [], "next": "?start_key=2"}),
            ),
            (
                "/v1/processes/?start_key=2",
                json!({"processes": [], "next": "?start_key=3"}),
            ),
            (
                "/v1/processes/?start_key=3",
                json!({"processes": [], "next": "?start_key=4"}),
            ),
            (
                "/v1/processes/?start_key=4",
                json!({"processes": [{"process_id": "IDPnever"}]}),
            ),
        ],
    )
    .await;
    assert_eq!(list_all(&server.client()).await, ["IDP1"]);
    assert_eq!(server.asked().len(), 4, "{:?}", server.asked());

    // A link back to a page already read (relative here, absolute once resolved) ends the list.
    let server = ScriptedList::start(
        "/",
        &[
            (
                "/v1/processes/?start_key=x",
                json!({"processes": [{"process_id": "IDP2"}], "next": "/v1/processes/?start_key=y"}),
            ),
            (
                "/v1/processes/?start_key=y",
                json!({"processes": [{"process_id": "IDP3"}], "next": "?start_key=y"}),
            ),
            (
                "/v1/processes/",
                json!({"processes": [{"process_id": "IDP1"}], "next": "./?start_key=x"}),
            ),
        ],
    )
    .await;
    assert_eq!(list_all(&server.client()).await, ["IDP1", "IDP2", "IDP3"]);
    assert_eq!(server.asked().len(), 3, "{:?}", server.asked());
}
