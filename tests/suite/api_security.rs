//! The client's safety rules over real loopback HTTP: the API key goes only to the configured
//! API host (no redirects followed, no next-page links to other hosts), a 429 holds back the
//! whole client, and a key that cannot be sent in a header is refused before any request.
//!
//! Each test runs small axum servers on 127.0.0.1:0 that record what reaches them. Two ports on
//! the same address are two origins, like two hosts.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{Uri, header};
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use truora_tui::api::ApiKey;
use truora_tui::api::{ApiError, Client, ClientOptions, RetryPolicy};
use truora_tui::config::{self, ConfigError, ENV_API_KEY, ENV_CONFIG, Overrides};
use url::Url;

const KEY: &str = "sk-test-key-1234";

/// One request as a test server saw it.
#[derive(Clone, Debug)]
struct Seen {
    uri: String,
    key: Option<String>,
    arrived: Instant,
    /// When the server finished building its answer and handed it to the connection.
    answered: Option<Instant>,
}

type Respond = dyn Fn(usize, &Uri) -> Response + Send + Sync;

/// A loopback HTTP server that records every request and answers with `respond(n, uri)`, `n`
/// counting requests from 0. Stops when dropped.
struct TestServer {
    url: Url,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl TestServer {
    async fn start(respond: impl Fn(usize, &Uri) -> Response + Send + Sync + 'static) -> Self {
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let respond: Arc<Respond> = Arc::new(respond);
        let log = seen.clone();
        let app = Router::new().fallback(move |request: Request| {
            let (log, respond) = (log.clone(), respond.clone());
            async move {
                let n = {
                    let mut log = log.lock().unwrap();
                    log.push(Seen {
                        uri: request.uri().to_string(),
                        key: request
                            .headers()
                            .get(truora_tui::api::client::API_KEY_HEADER)
                            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
                        arrived: Instant::now(),
                        answered: None,
                    });
                    log.len() - 1
                };
                let response = respond(n, request.uri());
                log.lock().unwrap()[n].answered = Some(Instant::now());
                response
            }
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        TestServer { url, seen, task }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// `http://127.0.0.1:<port>` + `path`.
    fn at(&self, path: &str) -> String {
        self.url.join(path).unwrap().to_string()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn json(status: u16, body: &str) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_owned()))
        .unwrap()
}

fn redirect(status: u16, location: &str) -> Response {
    Response::builder()
        .status(status)
        .header(header::LOCATION, location)
        .body(Body::from("moved"))
        .unwrap()
}

fn client_for(api: &TestServer, tune: impl FnOnce(&mut ClientOptions)) -> Client {
    let mut opts = ClientOptions::new(api.url.clone(), api.url.clone(), ApiKey::new(KEY.into()));
    opts.timeout = Duration::from_secs(10);
    opts.retry = RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(5),
        // Long enough to honour a `Retry-After: 1`.
        max_delay: Duration::from_secs(5),
    };
    tune(&mut opts);
    Client::new(opts).expect("client builds")
}

const OTHER_HOST_BODY: &str = r#"{"processes": [{"process_id": "IDPfromtheotherhost"}], "process_id": "IDPfromtheotherhost"}"#;

#[tokio::test]
async fn api_requests_do_not_follow_redirects() {
    let other = TestServer::start(|_, _| json(200, OTHER_HOST_BODY)).await;
    let target = other.at("/v1/processes/");
    for status in [301, 302, 303, 307, 308] {
        let target = target.clone();
        let identity = TestServer::start(move |_, _| redirect(status, &target)).await;
        let client = client_for(&identity, |_| {});

        let err = client
            .pages()
            .next()
            .await
            .expect("a first page")
            .unwrap_err();
        assert!(
            matches!(err, ApiError::Redirected { status: s, .. } if s == status),
            "{status}: {err:?}"
        );
        assert!(err.to_string().contains("check the base URL"), "{err}");
        let err = client.process_result("IDPabc").await.unwrap_err();
        assert!(matches!(err, ApiError::Redirected { .. }), "{err:?}");

        let asked = identity.seen();
        assert_eq!(asked.len(), 2, "{status}: one try each, no retries");
        assert!(asked.iter().all(|r| r.key.as_deref() == Some(KEY)));
    }
    let leaked = other.seen();
    assert!(
        leaked.iter().all(|r| r.key.is_none()),
        "the key reached the other host: {leaked:?}"
    );
    assert!(
        leaked.is_empty(),
        "nothing reaches the other host: {leaked:?}"
    );
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let other = TestServer::start(|_, _| json(200, OTHER_HOST_BODY)).await;
    let other_port = other.url.port().unwrap();
    // An absolute link and a scheme-relative one (relative, but to another host).
    for next in [
        other.at("/v1/processes/?start_key=k"),
        format!("//127.0.0.1:{other_port}/v1/processes/?start_key=k"),
        format!("//localhost:{other_port}/v1/processes/"),
    ] {
        let body = serde_json::json!({
            "processes": [{"process_id": "IDP1"}],
            "next": next,
        })
        .to_string();
        let identity = TestServer::start(move |_, _| json(200, &body)).await;
        let client = client_for(&identity, |_| {});
        let mut pages = client.pages();
        let first = pages.next().await.unwrap().expect("first page loads");
        assert_eq!(first.items.len(), 1);

        let err = pages.next().await.expect("a next page").unwrap_err();
        assert!(matches!(err, ApiError::InvalidInput { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.contains("points to another host")
                && text.contains("refusing to send the API key there"),
            "{next}: {text}"
        );
        assert_eq!(identity.seen().len(), 1, "{next}");
    }
    assert!(other.seen().is_empty(), "{:?}", other.seen());
}

/// Two requests of one client with a single permit: the first takes the permit, the second
/// queues for it. The first gets a 429 with `Retry-After: 1`; when it gives the permit back, the
/// queued request must still wait out the second, and so must the retry.
#[tokio::test]
async fn a_429_holds_back_a_request_already_queued_for_a_permit() {
    let api = TestServer::start(|n, uri| {
        if n == 0 {
            let mut response = json(429, r#"{"code": 42900, "message": "slow down"}"#);
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, "1".parse().unwrap());
            return response;
        }
        let id = uri.path().trim_end_matches('/').rsplit('/').next().unwrap();
        json(200, &format!(r#"{{"process_id": "{id}"}}"#))
    })
    .await;
    let client = client_for(&api, |opts| opts.concurrency = 1);

    // `join!` polls both on the same task, in order: the first takes the only permit before the
    // second is polled and queues behind it, past the (still open) gate.
    let (a, b) = tokio::join!(client.process("IDPa"), client.process("IDPb"));
    assert_eq!(
        a.expect("IDPa after the wait").process_id.as_deref(),
        Some("IDPa")
    );
    assert_eq!(
        b.expect("IDPb after the wait").process_id.as_deref(),
        Some("IDPb")
    );

    let seen = api.seen();
    assert_eq!(seen.len(), 3, "one 429, then each request once: {seen:?}");
    let limited = seen[0].answered.expect("the 429 was answered");
    for later in &seen[1..] {
        let gap = later.arrived.duration_since(limited);
        assert!(
            later.arrived >= limited && gap >= Duration::from_millis(900),
            "{} arrived {gap:?} after the 429",
            later.uri
        );
    }
    let mut uris: Vec<&str> = seen.iter().map(|s| s.uri.as_str()).collect();
    uris[1..].sort_unstable();
    assert!(
        uris[1].ends_with("/IDPa") && uris[2].ends_with("/IDPb"),
        "{uris:?}"
    );
}

/// A private config file in a fresh folder, so the real user's config is never read.
fn config_file(text: &str) -> (tempfile::TempDir, HashMap<String, String>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, text).expect("write config");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let env = HashMap::from([(ENV_CONFIG.to_owned(), path.display().to_string())]);
    (dir, env)
}

fn assert_refused_without_the_key(err: &ConfigError, from: &str) {
    assert!(matches!(err, ConfigError::InvalidApiKey { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(
            "the API key contains characters that cannot be sent in a header (a newline?): check "
        ) && text.contains(from),
        "{text}"
    );
    // Each half of the key; the commands spell them with octal escapes, so only a leaked key
    // could put them in the message.
    for part in ["mango", "papaya"] {
        assert!(!text.contains(part), "the key leaked: {text}");
        assert!(
            !format!("{err:?}").contains(part),
            "the key leaked: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_key_with_a_newline_is_refused_by_config_without_showing_it() {
    // From the environment.
    let (_dir, mut env) = config_file("");
    env.insert(ENV_API_KEY.into(), "mango\npapaya".into());
    let err = config::load(&Overrides::default(), &env).expect_err("refused");
    assert_refused_without_the_key(&err, "the TRUORA_API_KEY environment variable");

    // From the file.
    let (_dir, env) = config_file("api_key = \"mango\\r\\npapaya\"\n");
    let err = config::load(&Overrides::default(), &env).expect_err("refused");
    assert_refused_without_the_key(&err, "`api_key` in ");

    // From api_key_command: the first non-empty line is the key, and it is checked too.
    #[cfg(unix)]
    {
        let (_dir, env) = config_file(
            "api_key_command = \"printf '\\\\n\\\\155ango\\\\033papay\\\\141\\\\n'\"\n",
        );
        let loaded = config::load(&Overrides::default(), &env).expect("loads");
        let err = loaded.config.resolve_api_key().await.expect_err("refused");
        assert_refused_without_the_key(&err, "the first line printed by api_key_command");

        let (_dir, env) =
            config_file("api_key_command = \"printf '\\\\n  sk-pass  \\\\nlogin: me\\\\n'\"\n");
        let loaded = config::load(&Overrides::default(), &env).expect("loads");
        let key = loaded
            .config
            .resolve_api_key()
            .await
            .expect("the first line");
        assert_eq!(key.expose(), "sk-pass");
    }

    // And a client built around such a key by other means refuses it before any request.
    let err = Client::new(ClientOptions::new(
        Url::parse("http://127.0.0.1:9/").unwrap(),
        Url::parse("http://127.0.0.1:9/").unwrap(),
        ApiKey::new("mango\npapaya".into()),
    ))
    .err()
    .expect("refused");
    assert!(matches!(err, ApiError::InvalidInput { .. }), "{err:?}");
    assert!(!err.to_string().contains("papaya"), "{err}");
}

/// The key is sent to the API host, as a plain header value, and to nothing else.
#[tokio::test]
async fn the_key_reaches_the_api_host_intact() {
    let api = TestServer::start(|_, _| json(200, r#"{"process_id": "IDPa"}"#)).await;
    let client = client_for(&api, |_| {});
    client.process("IDPa").await.expect("loads");
    let seen = api.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].key.as_deref(), Some(KEY));
}
