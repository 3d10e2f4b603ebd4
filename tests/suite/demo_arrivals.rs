//! `--demo-arrivals`: the demo's list grows on the server's clock, pending arrivals finish, and
//! the list stays newest first. Time moves by `advance_clock`, never by sleeping.

use crate::demo_support;

use std::time::Duration;

use demo_support::api;
use serde_json::Value;
use truora_tui::demo::{DemoOptions, DemoServer};

const EVERY: Duration = Duration::from_secs(60);

async fn list(server: &DemoServer) -> Vec<Value> {
    let page = api(server, "/v1/processes/").await.json();
    page["processes"].as_array().cloned().unwrap_or_default()
}

fn status_of<'a>(rows: &'a [Value], id: &str) -> Option<&'a str> {
    rows.iter()
        .find(|r| r["process_id"] == id)
        .and_then(|r| r["status"].as_str())
}

#[tokio::test]
async fn processes_arrive_on_the_demo_clock_and_pending_ones_finish() {
    let server = DemoServer::start(DemoOptions {
        processes: 20,
        page_size: 100,
        arrivals: Some(EVERY),
        ..DemoOptions::default()
    })
    .await
    .expect("demo starts");

    // Nothing arrives before the first interval has passed.
    let start = list(&server).await;
    assert_eq!(start.len(), 20);
    assert_eq!(list(&server).await.len(), 20);

    server.advance_clock(EVERY);
    let one = list(&server).await;
    assert_eq!(one.len(), 21);
    let first = one[0]["process_id"].as_str().expect("id").to_owned();
    assert!(!start.iter().any(|r| r["process_id"] == first.as_str()));
    assert_eq!(status_of(&one, &first), Some("pending"));
    assert_eq!(server.process_ids()[0], first);

    // The second arrives final; the first is still running.
    server.advance_clock(EVERY);
    let two = list(&server).await;
    assert_eq!(two.len(), 22);
    assert_ne!(two[0]["process_id"], first.as_str());
    assert_eq!(status_of(&two, &first), Some("pending"));

    // Two intervals after it arrived, the first finishes, declined, in the same place and with
    // its result and validations consistent with the new status.
    server.advance_clock(EVERY);
    let three = list(&server).await;
    assert_eq!(three.len(), 23);
    assert_eq!(status_of(&three, &first), Some("failure"));
    let result = api(&server, &format!("/v1/processes/{first}/result")).await;
    assert_eq!(result.status, 200);
    assert_eq!(result.json()["status"], "failure");
    assert!(
        result.json()["declined_reason"].is_string(),
        "{}",
        result.text()
    );

    // Newest first, every id once.
    let dates: Vec<&str> = three
        .iter()
        .map(|r| r["creation_date"].as_str().expect("date"))
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    let ids: std::collections::HashSet<_> = three.iter().map(|r| &r["process_id"]).collect();
    assert_eq!(ids.len(), 23);

    // A long absence catches up in one go (bounded), without a request per interval.
    server.advance_clock(EVERY * 10);
    assert_eq!(list(&server).await.len(), 33);
    server.shutdown().await;
}

#[tokio::test]
async fn without_arrivals_the_list_never_changes() {
    let server = DemoServer::start(DemoOptions {
        processes: 20,
        ..DemoOptions::default()
    })
    .await
    .expect("demo starts");
    server.advance_clock(Duration::from_secs(86_400));
    assert_eq!(list(&server).await.len(), 20);
    server.shutdown().await;
}
