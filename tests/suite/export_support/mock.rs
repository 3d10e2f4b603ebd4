//! A scripted Truora on loopback, for what the demo cannot express: hostile ids and fields, the
//! guide's seed result with real links, deleted or non-image files, links signed in the past,
//! and a gate that holds requests to count how many are in flight.
//!
//! One listener serves both API hosts and the files:
//! - `GET /v1/processes/` answers [`Mock::set_list`] (a bare array), or `[]`;
//! - `GET /v1/processes/{id}/result` answers the next of [`Mock::set_results`] (the last one
//!   repeats), 404 when none;
//! - `GET /v1/validations/{id}` answers [`Mock::set_details`], 404 when none;
//! - any other path is a file: [`Mock::set_file`], else S3's 404 `NoSuchKey`; a path given to
//!   [`Mock::hold`] is never answered (until [`Mock::release`] or shutdown).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use serde_json::Value;
use tokio::sync::{oneshot, watch};
use tokio::task::JoinHandle;

pub struct Mock {
    pub base: url::Url,
    state: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

#[derive(Default)]
struct Shared {
    list: Mutex<Option<Value>>,
    results: Mutex<HashMap<String, VecDeque<Value>>>,
    details: Mutex<HashMap<String, Value>>,
    files: Mutex<HashMap<String, (u16, Vec<u8>)>>,
    requests: Mutex<Vec<String>>,
    gate: Mutex<Option<Gate>>,
    held: Mutex<std::collections::HashSet<String>>,
    release: Mutex<Option<watch::Sender<bool>>>,
}

/// Holds each request until `size` are held at once (then lets them all go), or until `total`
/// have arrived: with a client that keeps `size` requests in flight this never waits for long,
/// and the most requests ever in flight at the server is exactly what the client allows.
struct Gate {
    size: usize,
    total: usize,
    arrived: usize,
    held: usize,
    in_flight: usize,
    max: usize,
    generation: watch::Sender<u64>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Mock {
    pub async fn start() -> Mock {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("bind");
        let base = url::Url::parse(&format!("http://{}/", listener.local_addr().unwrap())).unwrap();
        let state = Arc::new(Shared::default());
        let router = Router::new().fallback(handle).with_state(state.clone());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Mock {
            base,
            state,
            stop: Some(stop),
            task: Some(task),
        }
    }

    /// An absolute link to a file of this server.
    pub fn link(&self, path: &str) -> String {
        self.base.join(path).unwrap().to_string()
    }

    pub fn set_list(&self, items: Value) {
        *lock(&self.state.list) = Some(items);
    }

    /// The answers of a process's result endpoint, in order; the last one repeats.
    pub fn set_results(&self, process_id: &str, answers: Vec<Value>) {
        lock(&self.state.results).insert(process_id.to_owned(), answers.into());
    }

    pub fn set_details(&self, validation_id: &str, details: Value) {
        lock(&self.state.details).insert(validation_id.to_owned(), details);
    }

    /// A file at `path` (no query): its status and body.
    pub fn set_file(&self, path: &str, status: u16, body: &[u8]) {
        lock(&self.state.files).insert(path.to_owned(), (status, body.to_vec()));
    }

    /// Requests for `path` get no answer until [`Mock::release`] (a download that never ends).
    pub fn hold(&self, path: &str) {
        lock(&self.state.held).insert(path.to_owned());
    }

    /// Answers the held requests, and no longer holds any.
    pub fn release(&self) {
        lock(&self.state.held).clear();
        if let Some(release) = lock(&self.state.release).as_ref() {
            release.send_replace(true);
        }
    }

    /// Every request so far: its path (as sent, percent-encoded) and query.
    pub fn requests(&self) -> Vec<String> {
        lock(&self.state.requests).clone()
    }

    pub fn clear_requests(&self) {
        lock(&self.state.requests).clear();
    }

    /// Starts holding requests (see [`Gate`]): `total` is how many the test will make.
    pub fn hold_until(&self, size: usize, total: usize) {
        *lock(&self.state.gate) = Some(Gate {
            size,
            total,
            arrived: 0,
            held: 0,
            in_flight: 0,
            max: 0,
            generation: watch::channel(0).0,
        });
    }

    /// The most requests the server handled at once while the gate was set.
    pub fn max_in_flight(&self) -> usize {
        lock(&self.state.gate).as_ref().map_or(0, |g| g.max)
    }

    pub async fn shutdown(mut self) {
        self.release();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

async fn handle(State(state): State<Arc<Shared>>, req: Request) -> Response {
    let path = req.uri().path().to_owned();
    let query = req.uri().query().map(str::to_owned);
    lock(&state.requests).push(match &query {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    });
    enter(&state).await;
    let held = lock(&state.held).contains(&path).then(|| {
        lock(&state.release)
            .get_or_insert_with(|| watch::channel(false).0)
            .subscribe()
    });
    if let Some(mut released) = held {
        let _ = released.wait_for(|r| *r).await;
    }
    let response = route(&state, &path);
    if let Some(gate) = lock(&state.gate).as_mut() {
        gate.in_flight -= 1;
    }
    response
}

async fn enter(state: &Shared) {
    let (mut rx, mine) = {
        let mut guard = lock(&state.gate);
        let Some(gate) = guard.as_mut() else {
            return;
        };
        gate.in_flight += 1;
        gate.arrived += 1;
        gate.max = gate.max.max(gate.in_flight);
        gate.held += 1;
        if gate.held >= gate.size || gate.arrived >= gate.total {
            gate.held = 0;
            gate.generation.send_modify(|g| *g += 1);
            return;
        }
        let rx = gate.generation.subscribe();
        let mine = *rx.borrow();
        (rx, mine)
    };
    let _ = rx.wait_for(|g| *g > mine).await;
}

fn route(state: &Shared, path: &str) -> Response {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    if path == "/v1/processes/" || path == "/v1/processes" {
        let list = lock(&state.list)
            .clone()
            .unwrap_or(Value::Array(Vec::new()));
        return json(200, &list);
    }
    if let Some(rest) = path.strip_prefix("/v1/processes/")
        && let Some(id) = rest.strip_suffix("/result")
        && !id.contains('/')
    {
        let mut results = lock(&state.results);
        let answer = results.get_mut(&decode(id)).and_then(|answers| {
            if answers.len() > 1 {
                answers.pop_front()
            } else {
                answers.front().cloned()
            }
        });
        return match answer {
            Some(body) => json(200, &body),
            None => not_found(),
        };
    }
    if let Some(id) = path.strip_prefix("/v1/validations/")
        && !id.contains('/')
    {
        return match lock(&state.details).get(&decode(id)) {
            Some(body) => json(200, body),
            None => not_found(),
        };
    }
    match lock(&state.files).get(path) {
        Some((status, body)) => Response::builder()
            .status(*status)
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(body.clone()))
            .unwrap(),
        None => Response::builder()
            .status(StatusCode::NOT_FOUND)
            .header(header::CONTENT_TYPE, "application/xml")
            .body(Body::from(
                "<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
            ))
            .unwrap(),
    }
}

fn json(status: u16, body: &Value) -> Response {
    Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(serde_json::to_vec(body).unwrap()))
        .unwrap()
}

fn not_found() -> Response {
    json(
        404,
        &serde_json::json!({"code": 40401, "http_code": 404, "message": "not found"}),
    )
}
