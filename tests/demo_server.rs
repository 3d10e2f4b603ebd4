//! The demo server over real loopback HTTP: paging, auth, gateway and not-found answers, signed
//! links and their expiry, scripted and per-process faults, rate knobs, hostile input.

use std::time::Duration;

use serde_json::Value;
use truora_tui::demo::{DEMO_API_KEY, DemoHost, DemoOptions, DemoServer, Fault, ProcessFault};

struct Answer {
    status: u16,
    content_type: String,
    retry_after: Option<String>,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

async fn get(url: &str, key: Option<&str>) -> Answer {
    let mut req = reqwest::Client::new().get(url);
    if let Some(key) = key {
        req = req.header("Truora-API-Key", key);
    }
    let resp = req.send().await.expect("request");
    let header = |name: &str| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (status, content_type, retry_after) = (resp.status().as_u16(), header("content-type").unwrap_or_default(), header("retry-after"));
    Answer { status, content_type, retry_after, body: resp.bytes().await.expect("body").to_vec() }
}

async fn api(server: &DemoServer, path: &str) -> Answer {
    get(&format!("{}{}", server.identity_url(), path.trim_start_matches('/')), Some(DEMO_API_KEY)).await
}

async fn start() -> DemoServer {
    DemoServer::start(DemoOptions::default()).await.expect("demo server starts")
}

/// Follows `next` links from the first page; returns every id seen, in order, and the page count.
async fn walk_list(server: &DemoServer) -> (Vec<String>, usize) {
    let (mut ids, mut pages, mut path) = (Vec::new(), 0, "/v1/processes/".to_string());
    loop {
        let page = api(server, &path).await;
        assert_eq!(page.status, 200, "{}", page.text());
        let body = page.json();
        let items = body["processes"].as_array().expect("processes array");
        assert!(items.len() <= 50);
        ids.extend(items.iter().map(|p| p["process_id"].as_str().expect("id").to_string()));
        pages += 1;
        match body.get("next").and_then(Value::as_str) {
            Some(next) => path = next.to_string(),
            None => return (ids, pages),
        }
        assert!(pages < 100, "paging does not end");
    }
}

#[tokio::test]
async fn paging_returns_every_process_exactly_once() {
    let server = start().await;
    let (ids, pages) = walk_list(&server).await;
    assert_eq!(ids, server.process_ids());
    assert_eq!(pages, 7);
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), 320);

    server.set_options(|o| o.page_size = 7);
    let first = api(&server, "/v1/processes").await.json();
    assert_eq!(first["processes"].as_array().map(Vec::len), Some(7));
    assert_eq!(first["self"], "/v1/processes/");
    let bad = api(&server, "/v1/processes/?start_key=not-a-key").await;
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["http_code"], 400);
    server.shutdown().await;
}

#[tokio::test]
async fn api_key_is_required_on_api_hosts() {
    let server = start().await;
    let list = format!("{}v1/processes/", server.identity_url());
    for key in [None, Some("wrong-key")] {
        let a = get(&list, key).await;
        assert_eq!(a.status, 401);
        let body = a.json();
        assert_eq!((body["code"].as_i64(), body["http_code"].as_i64()), (Some(401), Some(401)));
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let id = &server.process_ids()[0];
    let v = get(&format!("{}v1/validations/VLD0", server.validations_url()), None).await;
    assert_eq!(v.status, 401);
    assert_eq!(get(&format!("{list}{id}"), Some(DEMO_API_KEY)).await.status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn unknown_routes_and_ids() {
    let server = start().await;
    for url in [
        format!("{}v1/nothing", server.identity_url()),
        format!("{}v1/validations/VLD1", server.identity_url()),
        format!("{}v1/processes/", server.validations_url()),
    ] {
        let a = get(&url, None).await;
        assert_eq!((a.status, a.json()), (403, serde_json::json!({"message": "Missing Authentication Token"})), "{url}");
    }
    let missing = api(&server, "/v1/processes/IDPdoesnotexist/result").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json()["code"], 404);
    let v404 = get(&format!("{}v1/validations/VLDnope?show_details=true", server.validations_url()), Some(DEMO_API_KEY)).await;
    assert_eq!(v404.status, 404);
    // The id is percent-decoded: %49 is 'I'.
    let id = &server.process_ids()[3];
    let encoded = api(&server, &format!("/v1/processes/%49{}/result", &id[1..])).await;
    assert_eq!(encoded.status, 200);
    assert_eq!(encoded.json()["process_id"], id.as_str());
    server.shutdown().await;
}

/// The first process with a document validation whose reverse image exists, and its validation.
fn document_process(server: &DemoServer) -> (String, Value) {
    for id in server.process_ids() {
        let result = server.result_json(&id).expect("result");
        for v in result["validations"].as_array().expect("validations") {
            let vid = v["validation_id"].as_str().unwrap_or_default();
            if v["type"] == "document-validation" && server.image_bytes(&id, vid, "reverse_image").is_some() {
                return (id, v.clone());
            }
        }
    }
    panic!("no document validation with images");
}

#[tokio::test]
async fn signed_links_serve_bytes_then_expire() {
    let server = start().await;
    let (id, _) = document_process(&server);
    let result = api(&server, &format!("/v1/processes/{id}/result")).await.json();
    let doc = result["validations"].as_array().and_then(|vs| vs.iter().find(|v| v["type"] == "document-validation")).expect("doc");
    let vid = doc["validation_id"].as_str().expect("vid");
    let link = doc["front_image"].as_str().expect("front_image link");
    assert!(link.starts_with(server.images_url().as_str()) && link.contains("X-Amz-Expires=900"));

    let image = get(link, None).await;
    assert_eq!((image.status, image.content_type.as_str()), (200, "image/jpeg"));
    assert_eq!(Some(image.body), server.image_bytes(&id, vid, "front_image"));
    let recorded = server.requests();
    let last = recorded.last().expect("recorded");
    assert_eq!(last.host, DemoHost::Images);
    assert!(last.headers.iter().all(|(k, _)| k != "truora-api-key"));
    assert!(recorded.iter().any(|r| r.host == DemoHost::Identity && r.headers.iter().any(|(k, v)| k == "truora-api-key" && v == DEMO_API_KEY)));

    server.advance_clock(Duration::from_secs(901));
    let expired = get(link, None).await;
    assert_eq!((expired.status, expired.content_type.as_str()), (403, "application/xml"));
    assert!(expired.text().contains("<Code>AccessDenied</Code><Message>Request has expired</Message>"), "{}", expired.text());

    // Asking for the result again gives a fresh link that works at the new "now".
    let fresh = api(&server, &format!("/v1/processes/{id}/result")).await.json();
    let fresh_doc = fresh["validations"].as_array().and_then(|vs| vs.iter().find(|v| v["type"] == "document-validation")).expect("doc");
    assert_eq!(get(fresh_doc["front_image"].as_str().expect("link"), None).await.status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn bad_signatures_and_missing_objects() {
    let server = start().await;
    let (id, doc) = document_process(&server);
    let link = doc["front_image"].as_str().expect("link").to_string();
    let sig_at = link.find("X-Amz-Signature=").expect("signature") + "X-Amz-Signature=".len();
    let flipped = if &link[sig_at..sig_at + 1] == "0" { "1" } else { "0" };
    let tampered = format!("{}{flipped}{}", &link[..sig_at], &link[sig_at + 1..]);
    let unsigned = link.split('?').next().expect("path").to_string();
    let other_file = link.replace("front_image.jpg", "reverse_image.jpg");
    for url in [tampered, unsigned, other_file, link.replace("X-Amz-Expires=900", "X-Amz-Expires=90000")] {
        let a = get(&url, None).await;
        assert_eq!(a.status, 403, "{url}");
        assert!(a.text().contains("<Code>SignatureDoesNotMatch</Code>"));
    }
    // A signed link to an object that no longer exists: 404 NoSuchKey.
    let gone = server.process_ids().into_iter().find_map(|pid| {
        let r = server.result_json(&pid)?;
        r["validations"].as_array()?.iter().find_map(|v| {
            let vid = v["validation_id"].as_str()?;
            let link = v["reverse_image"].as_str()?;
            server.image_bytes(&pid, vid, "reverse_image").is_none().then(|| link.to_string())
        })
    });
    let a = get(&gone.expect("a process with a missing reverse image"), None).await;
    assert_eq!(a.status, 404);
    assert!(a.text().contains("<Code>NoSuchKey</Code>"));
    assert!(id.starts_with("IDP"));
    server.shutdown().await;
}

#[tokio::test]
async fn scripted_faults_are_consumed_in_order() {
    let server = start().await;
    let id = server.process_ids()[0].clone();
    let path = format!("/v1/processes/{id}/result");
    let normal = api(&server, &path).await;
    server.inject(Fault::Status { status: 503, retry_after: None });
    server.inject(Fault::Status { status: 429, retry_after: Some(7) });
    server.inject(Fault::Malformed);
    server.inject(Fault::Truncated);
    server.inject(Fault::Hang(Duration::from_millis(1)));

    // The images host does not take scripted faults.
    let (pid, doc) = document_process(&server);
    assert_eq!(get(doc["front_image"].as_str().expect("link"), None).await.status, 200);
    assert!(pid.starts_with("IDP"));

    let a = api(&server, &path).await;
    assert_eq!((a.status, a.json()["http_code"].as_i64(), a.retry_after), (503, Some(503), None));
    let a = api(&server, &path).await;
    assert_eq!((a.status, a.retry_after.as_deref()), (429, Some("7")));
    let a = api(&server, &path).await;
    assert_eq!(a.status, 200);
    assert!(serde_json::from_slice::<Value>(&a.body).is_err());
    let a = api(&server, "/v1/processes/").await;
    assert_eq!(a.status, 200);
    assert!(serde_json::from_slice::<Value>(&a.body).is_err());
    assert!(a.body.len() > 100);
    let a = api(&server, &path).await;
    assert_eq!((a.status, a.body.len()), (200, normal.body.len()));
    let a = api(&server, &path).await;
    assert_eq!(a.json()["process_id"], id.as_str());
    server.shutdown().await;
}

#[tokio::test]
async fn process_faults_stick_to_one_result() {
    let server = start().await;
    let ids = server.process_ids();
    let (bad, good) = (&ids[10], &ids[11]);
    server.set_process_fault(bad, Some(ProcessFault::Status(500)));
    for _ in 0..2 {
        let a = api(&server, &format!("/v1/processes/{bad}/result")).await;
        assert_eq!((a.status, a.json()["code"].as_i64()), (500, Some(500)));
    }
    assert_eq!(api(&server, &format!("/v1/processes/{bad}")).await.status, 200);
    assert_eq!(api(&server, &format!("/v1/processes/{good}/result")).await.status, 200);
    for fault in [ProcessFault::Malformed, ProcessFault::Truncated] {
        server.set_process_fault(bad, Some(fault));
        let a = api(&server, &format!("/v1/processes/{bad}/result")).await;
        assert_eq!(a.status, 200);
        assert!(serde_json::from_slice::<Value>(&a.body).is_err());
    }
    server.set_process_fault(bad, None);
    assert_eq!(api(&server, &format!("/v1/processes/{bad}/result")).await.json()["process_id"], bad.as_str());
    server.shutdown().await;
}

#[tokio::test]
async fn rate_knobs_answer_429_and_500() {
    let server = start().await;
    server.set_options(|o| o.rate_429 = 1.0);
    let a = api(&server, "/v1/processes/").await;
    assert_eq!((a.status, a.retry_after.as_deref(), a.json()["http_code"].as_i64()), (429, Some("1"), Some(429)));
    server.set_options(|o| {
        o.rate_429 = 0.0;
        o.rate_500 = 1.0;
    });
    assert_eq!(api(&server, "/v1/processes/").await.status, 500);
    server.set_options(|o| {
        o.rate_500 = 0.0;
        o.latency = Duration::from_millis(1);
    });
    assert_eq!(api(&server, "/v1/processes/").await.status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn validations_host_with_and_without_details() {
    let server = start().await;
    let (_, doc) = document_process(&server);
    let vid = doc["validation_id"].as_str().expect("vid");
    let base = server.validations_url();
    let plain = get(&format!("{base}v1/validations/{vid}"), Some(DEMO_API_KEY)).await.json();
    assert!(plain.get("details").is_none());
    assert_eq!(plain["validation_inputs"]["country"], doc["details"]["document_details"]["country"]);
    let full = get(&format!("{base}v1/validations/{vid}?show_details=true"), Some(DEMO_API_KEY)).await.json();
    assert!(full["details"]["document_validations"].is_object());
    for link in full["user_response"]["input_files"].as_array().expect("input_files") {
        assert_eq!(get(link.as_str().expect("url"), None).await.status, 200);
    }
    server.shutdown().await;
}

#[tokio::test]
async fn hostile_input_never_breaks_the_server() {
    let server = start().await;
    let long = "a".repeat(60_000);
    for path in [
        format!("/v1/processes/?start_key={long}"),
        "/v1/processes/%FF%FE%00/result".to_string(),
        "/v1/processes/..%2F..%2Fetc%2Fpasswd/result".to_string(),
        "/v1/processes/%E2%9C%93".to_string(),
        "/v1/processes/?start_key=%F0%9F%92%A5&start_key=".to_string(),
        format!("/v1/processes/{long}/result"),
    ] {
        assert!(matches!(api(&server, &path).await.status, 400 | 404), "{:.60}", path);
    }
    let img = server.images_url();
    for path in ["", "truora-di-demo-files", "x/y/z/w.jpg?X-Amz-Date=%FF&X-Amz-Expires=-1&X-Amz-Signature=zz", "a?X-Amz-Signature=00"] {
        assert_eq!(get(&format!("{img}{path}"), None).await.status, 403, "{path}");
    }
    assert_eq!(api(&server, "/v1/processes/").await.status, 200);
    server.shutdown().await;
}
