//! Helpers shared by the demo-server test files: plain HTTP calls and finding useful processes.

// Each test crate includes this module and uses a different subset of it.
#![allow(dead_code)]

use serde_json::Value;
use truora_tui::demo::{DEMO_API_KEY, DemoOptions, DemoServer};

pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub retry_after: Option<String>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub async fn get(url: &str, key: Option<&str>) -> Answer {
    let mut req = reqwest::Client::new().get(url);
    if let Some(key) = key {
        req = req.header("Truora-API-Key", key);
    }
    let resp = req.send().await.expect("request");
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (status, content_type, retry_after) = (
        resp.status().as_u16(),
        header("content-type").unwrap_or_default(),
        header("retry-after"),
    );
    Answer {
        status,
        content_type,
        retry_after,
        body: resp.bytes().await.expect("body").to_vec(),
    }
}

pub async fn api(server: &DemoServer, path: &str) -> Answer {
    get(
        &format!("{}{}", server.identity_url(), path.trim_start_matches('/')),
        Some(DEMO_API_KEY),
    )
    .await
}

pub async fn start() -> DemoServer {
    DemoServer::start(DemoOptions::default())
        .await
        .expect("demo server starts")
}

/// Follows `next` links from the first page; returns every id seen, in order, and the page count.
pub async fn walk_list(server: &DemoServer) -> (Vec<String>, usize) {
    let (mut ids, mut pages, mut path) = (Vec::new(), 0, "/v1/processes/".to_string());
    loop {
        let page = api(server, &path).await;
        assert_eq!(page.status, 200, "{}", page.text());
        let body = page.json();
        let items = body["processes"].as_array().expect("processes array");
        assert!(items.len() <= 50);
        ids.extend(
            items
                .iter()
                .map(|p| p["process_id"].as_str().expect("id").to_string()),
        );
        pages += 1;
        match body.get("next").and_then(Value::as_str) {
            Some(next) => path = next.to_string(),
            None => return (ids, pages),
        }
        assert!(pages < 100, "paging does not end");
    }
}

/// The first process with a document validation whose reverse image exists, and its validation.
pub fn document_process(server: &DemoServer) -> (String, Value) {
    for id in server.process_ids() {
        let result = server.result_json(&id).expect("result");
        for v in result["validations"].as_array().expect("validations") {
            let vid = v["validation_id"].as_str().unwrap_or_default();
            if v["type"] == "document-validation"
                && server.image_bytes(&id, vid, "reverse_image").is_some()
            {
                return (id, v.clone());
            }
        }
    }
    panic!("no document validation with images");
}
