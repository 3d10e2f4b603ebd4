//! The export against a misbehaving server: links that expire mid-export, 429 storms, a process
//! whose result always fails, and a refused key.

use crate::export_support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use export_support::*;
use truora_tui::demo::{DEMO_API_KEY, DemoHost, DemoServer, ProcessFault};
use truora_tui::export::format::ProcessState;
use truora_tui::export::{Event, ExportError, IdsInput, Silent, Snapshot, Stop};

#[tokio::test]
async fn links_that_expire_mid_export_are_re_signed_by_fetching_the_result_again() {
    let server = Arc::new(start(40).await);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    // Right after the 10th result arrives, before its images are asked for, the server's clock
    // jumps past every link signed so far.
    let results = Arc::new(AtomicU64::new(0));
    let (clock, count) = (server.clone(), results.clone());
    let reporter = move |event: Event<'_>, _: &Snapshot| {
        if let Event::ResultFetched { .. } = event
            && count.fetch_add(1, Ordering::SeqCst) + 1 == 10
        {
            clock.advance_clock(Duration::from_secs(20 * 60));
        }
    };
    let summary = export(&server, &out, reporter, Stop::never()).await;
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(verify_against_server(&server, &out).await, 40);

    let fetched = result_requests(&server.requests());
    let unique: BTreeSet<&String> = fetched.iter().collect();
    assert_eq!(unique.len(), 40);
    let refetched = fetched.len() - unique.len();
    assert!(refetched >= 1, "at least the 10th process was re-signed");
    // One re-fetch per process however many of its links expired.
    let mut per_process = std::collections::HashMap::new();
    for id in &fetched {
        *per_process.entry(id).or_insert(0) += 1;
    }
    assert!(per_process.values().all(|n| *n <= 2), "{per_process:?}");
    let expired_answers = server
        .requests()
        .iter()
        .filter(|r| r.host == DemoHost::Images)
        .count();
    assert!(
        expired_answers > summary.counts.images as usize,
        "some downloads met an expired link"
    );
    Arc::try_unwrap(server).ok().unwrap().shutdown().await;
}

#[tokio::test]
async fn a_429_storm_slows_the_export_down_instead_of_failing_it() {
    let mut opts = options(40);
    opts.rate_429 = 0.3;
    let server = DemoServer::start(opts).await.unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let summary = export(&server, &out, Silent, Stop::never()).await;
    server.set_options(|o| o.rate_429 = 0.0);
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(verify_against_server(&server, &out).await, 40);
    let api_requests = server
        .requests()
        .iter()
        .filter(|r| r.host != DemoHost::Images)
        .count();
    // The minimum is one result and one details call per validation, and the list pages.
    let minimum: usize = server
        .process_ids()
        .iter()
        .map(|id| 1 + result_of(&server, id).validations.len())
        .sum();
    assert!(
        api_requests > minimum + minimum / 10,
        "{api_requests} vs {minimum}: 429s were retried"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn a_process_whose_result_always_fails_is_reported_and_the_rest_exported() {
    let server = start(30).await;
    let broken = server.process_ids()[5].clone();
    server.set_process_fault(&broken, Some(ProcessFault::Status(500)));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let summary = export(&server, &out, Silent, Stop::never()).await;
    let (_, error) = summary
        .failed
        .iter()
        .find(|(id, _)| *id == broken)
        .expect("the broken process is reported");
    assert!(
        error.contains("500") && error.contains("try again later"),
        "{error}"
    );
    assert_eq!(summary.exit_code(), 1);
    let record = records(&out)
        .into_iter()
        .find(|r| r.process_id == broken)
        .unwrap();
    assert_eq!(record.state, ProcessState::Failed);
    assert_eq!(record.error.as_deref(), Some(error.as_str()));
    assert_eq!(complete_ids(&out).len(), 30 - 1);

    // Once the server recovers, a re-run completes it and fetches nothing else again.
    server.set_process_fault(&broken, None);
    server.clear_requests();
    let again = export(&server, &out, Silent, Stop::never()).await;
    assert!(again.failed.is_empty(), "{:?}", again.failed);
    assert_eq!(again.exit_code(), 0);
    assert!(complete_ids(&out).contains(&broken));
    let refetched: BTreeSet<String> = result_requests(&server.requests()).into_iter().collect();
    // The broken process, and the pending ones (they may have changed since).
    let mut expected = pending_processes(&server);
    expected.insert(broken);
    assert_eq!(refetched, expected);
    server.shutdown().await;
}

#[tokio::test]
async fn a_refused_key_stops_the_export_with_advice() {
    let server = start(10).await;
    let tmp = tempfile::tempdir().unwrap();
    // Through the list: the list cannot be read, nothing is exported.
    let client = client(&server, "wrong-key", 4);
    let summary = truora_tui::export::run(
        client.clone(),
        export_options(&tmp.path().join("a"), 4),
        Silent,
        Stop::never(),
    )
    .await
    .unwrap();
    let error = summary.list_error.clone().expect("the list was refused");
    assert!(error.contains("check TRUORA_API_KEY"), "{error}");
    assert_eq!(summary.exit_code(), 1);

    // Through an ids file: the first refused result stops everything.
    let mut opts = export_options(&tmp.path().join("b"), 1);
    opts.ids = Some(IdsInput {
        ids: server.process_ids(),
        file: None,
    });
    let err = truora_tui::export::run(client, opts, Silent, Stop::never())
        .await
        .unwrap_err();
    assert!(matches!(err.cause(), ExportError::Fatal(_)), "{err:?}");
    assert!(err.to_string().contains("API key was refused"), "{err}");
    assert_eq!(err.exit_code(), 1);
    let results = result_requests(&server.requests()).len();
    assert!(results < 10, "stopped early ({results} results asked)");
    // What the run did comes back with the error, and is printed before it.
    let summary = err.summary().expect("the summary of the run");
    assert!(!summary.failed.is_empty() && !summary.interrupted);
    assert!(summary.failed[0].1.contains("API key was refused"));
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    truora_tui::export::report(&Err(err), &mut out, &mut errors);
    let out = String::from_utf8(out).unwrap();
    let errors = String::from_utf8(errors).unwrap();
    assert!(out.contains("failed;"), "{out}");
    assert!(errors.starts_with("truora-tui: failed: "), "{errors}");
    assert!(
        errors
            .trim_end()
            .lines()
            .last()
            .unwrap()
            .contains("API key was refused"),
        "{errors}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn an_ids_file_with_unknown_ids_reports_them() {
    let server = start(6).await;
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = export_options(&tmp.path().join("a"), 2);
    let mut ids = server.process_ids();
    ids.push("IDPnot0a0real0id".into());
    opts.ids = Some(IdsInput { ids, file: None });
    let summary = truora_tui::export::run(
        client(&server, DEMO_API_KEY, 2),
        opts,
        Silent,
        Stop::never(),
    )
    .await
    .unwrap();
    let (id, error) = summary
        .failed
        .iter()
        .find(|(id, _)| id.starts_with("IDPnot"))
        .expect("the unknown id fails");
    assert_eq!(id, "IDPnot0a0real0id");
    assert!(error.contains("not found (404)"), "{error}");
    server.shutdown().await;
}
