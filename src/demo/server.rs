//! The three loopback listeners and the per-request pipeline shared by all hosts.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::Response;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use super::state::{Shared, lock};
use super::{DemoHost, RecordedRequest, api, images};

/// Requests kept for [`super::DemoServer::requests`].
const MAX_RECORDED: usize = 100_000;

#[derive(Clone)]
struct HostCtx {
    shared: Arc<Shared>,
    host: DemoHost,
}

/// Every request on every host: record it, wait the configured latency, answer.
async fn handle(State(ctx): State<HostCtx>, req: Request) -> Response {
    // Only the head is needed; `Parts` is `Sync`, so references to it may live across awaits.
    let (req, _body) = req.into_parts();
    let shared = &ctx.shared;
    let recorded = RecordedRequest {
        host: ctx.host,
        method: req.method.to_string(),
        path: req.uri.path().to_string(),
        query: req.uri.query().map(str::to_string),
        headers: req
            .headers
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
    };
    {
        // Bounded so a long `--demo` session or an export bench does not grow without limit;
        // tests look at far fewer requests than this.
        let mut log = lock(&shared.requests);
        if log.len() >= MAX_RECORDED {
            log.drain(..MAX_RECORDED / 2);
        }
        log.push(recorded);
    }
    shared.sleep(shared.options().latency).await;
    let reply = match ctx.host {
        DemoHost::Images => images::serve(shared, &req),
        host => api::serve(shared, host, &req).await,
    };
    reply.into_response()
}

/// Starts serving `host` on `listener` until `stop` turns true.
pub(crate) fn spawn(
    listener: TcpListener,
    shared: Arc<Shared>,
    host: DemoHost,
    stop: watch::Receiver<bool>,
) -> JoinHandle<()> {
    let router = Router::new()
        .fallback(handle)
        .with_state(HostCtx { shared, host });
    tokio::spawn(async move {
        let mut stop = stop;
        let shutdown = async move {
            let _ = stop.wait_for(|s| *s).await;
        };
        if let Err(e) = axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await
        {
            tracing::warn!(?host, error = %e, "demo server listener stopped");
        }
    })
}
