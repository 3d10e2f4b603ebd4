//! The identity and validations hosts: routing, auth, faults, then the handlers.
//!
//! Order of checks, as a request meets them on the real API: scripted fault (test hook) → route
//! (the API gateway answers unknown routes before anything else) → API key → random 429/500 →
//! handler → per-process fault → scripted body mangling.

use axum::http::request::Parts as Request;
use percent_encoding::percent_decode_str;

use super::reply::Reply;
use super::state::Shared;
use super::{DEMO_API_KEY, DemoHost, Fault, ProcessFault, list, render};

/// A known route, with its path parameter percent-decoded.
#[derive(Debug, PartialEq, Eq)]
enum Route {
    List,
    Process(String),
    Result(String),
    Validation(String),
}

fn decode(segment: &str) -> String {
    percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

fn route(host: DemoHost, method: &str, path: &str) -> Option<Route> {
    if method != "GET" {
        return None;
    }
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    match (host, segments.as_slice()) {
        (DemoHost::Identity, ["v1", "processes"] | ["v1", "processes", ""]) => Some(Route::List),
        (DemoHost::Identity, ["v1", "processes", id]) => Some(Route::Process(decode(id))),
        (DemoHost::Identity, ["v1", "processes", id, "result"]) => Some(Route::Result(decode(id))),
        (DemoHost::Validations, ["v1", "validations", id]) if !id.is_empty() => {
            Some(Route::Validation(decode(id)))
        }
        _ => None,
    }
}

/// Handles one request on an API host (after latency).
pub(crate) async fn serve(shared: &Shared, host: DemoHost, req: &Request) -> Reply {
    let mut mangle = None;
    match shared.pop_fault() {
        Some(Fault::Status {
            status,
            retry_after,
        }) => return Reply::status(status).with_retry_after(retry_after),
        Some(Fault::Malformed) => mangle = Some(ProcessFault::Malformed),
        Some(Fault::Truncated) => mangle = Some(ProcessFault::Truncated),
        Some(Fault::Hang(d)) => shared.sleep(d).await,
        None => {}
    }
    let reply = handle(shared, host, req);
    match mangle {
        Some(ProcessFault::Malformed) => reply.malformed(),
        Some(ProcessFault::Truncated) => reply.truncated(),
        _ => reply,
    }
}

fn handle(shared: &Shared, host: DemoHost, req: &Request) -> Reply {
    let Some(route) = route(host, req.method.as_str(), req.uri.path()) else {
        return Reply::missing_authentication_token();
    };
    match req.headers.get("truora-api-key") {
        None => return Reply::error(401, "Missing Truora-API-Key header"),
        Some(key) if key.as_bytes() != DEMO_API_KEY.as_bytes() => {
            return Reply::error(401, "Invalid API key");
        }
        Some(_) => {}
    }
    match shared.roll_rate_fault() {
        Some(429) => {
            return Reply::error(429, "Too many requests, slow down").with_retry_after(Some(1));
        }
        Some(status) => return Reply::error(status, "Internal server error"),
        None => {}
    }
    shared.catch_up_arrivals();
    if route == Route::List {
        return list::page(shared, req.uri.query());
    }
    let data = shared.data();
    let ds = &*data;
    match route {
        Route::List => list::page(shared, req.uri.query()),
        Route::Process(id) => match ds.process(&id) {
            Some(p) => Reply::json(200, &render::summary(ds, p)),
            None => Reply::error(404, "Process not found"),
        },
        Route::Result(id) => {
            let Some(p) = ds.process(&id) else {
                return Reply::error(404, "Process not found");
            };
            let fault = shared.process_fault(&id);
            if let Some(ProcessFault::Status(status)) = fault {
                return Reply::status(status);
            }
            let reply = Reply::json(200, &render::result(ds, p, &shared.links()));
            match fault {
                Some(ProcessFault::Malformed) => reply.malformed(),
                Some(ProcessFault::Truncated) => reply.truncated(),
                _ => reply,
            }
        }
        Route::Validation(id) => {
            let show_details =
                url::form_urlencoded::parse(req.uri.query().unwrap_or("").as_bytes())
                    .any(|(k, v)| k == "show_details" && v == "true");
            match ds.validation(&id) {
                Some((p, v)) => Reply::json(
                    200,
                    &render::validation(ds, p, v, show_details, &shared.links()),
                ),
                None => Reply::error(404, "Validation not found"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_match_only_known_paths() {
        use DemoHost::*;
        assert_eq!(route(Identity, "GET", "/v1/processes"), Some(Route::List));
        assert_eq!(route(Identity, "GET", "/v1/processes/"), Some(Route::List));
        assert_eq!(
            route(Identity, "GET", "/v1/processes/IDP%41"),
            Some(Route::Process("IDPA".into()))
        );
        assert_eq!(
            route(Identity, "GET", "/v1/processes/a%2Fb/result"),
            Some(Route::Result("a/b".into()))
        );
        assert_eq!(
            route(Identity, "GET", "/v1/processes/%FF%FE/result"),
            Some(Route::Result("\u{FFFD}\u{FFFD}".into()))
        );
        assert_eq!(route(Identity, "POST", "/v1/processes/"), None);
        assert_eq!(route(Identity, "GET", "/v1/validations/VLD1"), None);
        assert_eq!(
            route(Validations, "GET", "/v1/validations/VLD1"),
            Some(Route::Validation("VLD1".into()))
        );
        assert_eq!(route(Validations, "GET", "/v1/validations/"), None);
        assert_eq!(route(Identity, "GET", "/v1/processes/x/result/more"), None);
        assert_eq!(route(Identity, "GET", ""), None);
    }
}
