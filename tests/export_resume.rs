//! Stopping an export at chosen points and resuming it; cleaning up after a killed run.

mod export_support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use export_support::*;
use truora_tui::demo::{DEMO_API_KEY, DemoHost};
use truora_tui::export::manifest::{self, ProcessState};
use truora_tui::export::{Event, Silent, Snapshot, Stop, layout};

/// Points to stop at, from a seeded generator so failures reproduce: early, middle, late.
fn stop_points(seed: u64, processes: u64, n: usize) -> Vec<u64> {
    let mut state = seed;
    (0..n)
        .map(|_| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            1 + (state >> 33) % (processes - 1)
        })
        .collect()
}

#[tokio::test]
async fn resuming_after_a_stop_at_any_point_redoes_only_what_was_not_complete() {
    const PROCESSES: usize = 48;
    let server = start(PROCESSES).await;
    let gone = gone_processes(&server);
    for stop_after in stop_points(0x5eed, PROCESSES as u64, 4) {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("archive");
        server.clear_requests();

        let (handle, stop) = Stop::new();
        let finished = Arc::new(AtomicU64::new(0));
        let counter = finished.clone();
        let reporter = move |event: Event<'_>, _: &Snapshot| {
            if let Event::ProcessDone { skipped: false, .. } = event
                && counter.fetch_add(1, Ordering::SeqCst) + 1 == stop_after
            {
                handle.stop();
            }
        };
        let first = export(&server, &out, reporter, stop).await;
        assert!(first.interrupted, "stopped after {stop_after}");
        assert_eq!(first.exit_code(), 130);
        assert!(
            layout::temp_files(&out).is_empty(),
            "no partial file after a stop"
        );
        let m = manifest::read_manifest(&out)
            .unwrap()
            .expect("manifest written on stop");
        assert_eq!(m.head.state, "interrupted");
        let done_before = complete_ids(&out);
        assert!(
            records(&out).len() as u64 >= stop_after,
            "each finished process is recorded"
        );
        // Every file recorded so far is whole and right.
        verify_against_server(&server, &out).await;

        server.clear_requests();
        let second = export(&server, &out, Silent, Stop::never()).await;
        assert!(!second.interrupted);
        assert_eq!(
            second.skipped as usize,
            done_before.len(),
            "stop after {stop_after}"
        );
        let refetched: BTreeSet<String> = result_requests(&server.requests()).into_iter().collect();
        let again: Vec<_> = refetched.intersection(&done_before).collect();
        assert!(
            again.is_empty(),
            "complete processes fetched again: {again:?}"
        );
        for r in server
            .requests()
            .iter()
            .filter(|r| r.host == DemoHost::Images)
        {
            let owner = r.path.split('/').nth(2).unwrap_or_default();
            assert!(
                !done_before.contains(owner),
                "image of a complete process fetched again: {}",
                r.path
            );
        }
        let failed: BTreeSet<String> = second.failed.iter().map(|(id, _)| id.clone()).collect();
        assert_eq!(failed, gone);
        assert_eq!(complete_ids(&out).len(), PROCESSES - gone.len());
        assert_eq!(
            verify_against_server(&server, &out).await,
            PROCESSES - gone.len()
        );
        assert!(layout::temp_files(&out).is_empty());
    }
    server.shutdown().await;
}

#[tokio::test]
async fn a_killed_run_leaves_nothing_that_breaks_the_next_one() {
    let server = start(20).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    export(&server, &out, Silent, Stop::never()).await;
    let complete = complete_ids(&out);
    // What a kill leaves: temp files at every level, a journal line cut short, a manifest that
    // still says running, and a lock file of a process that no longer exists.
    let some = records(&out)
        .into_iter()
        .find(|r| r.state == ProcessState::Complete)
        .unwrap();
    let folder = out.join(&some.folder);
    for leftover in [
        out.join(".manifest.json.99999-0.part"),
        folder.join(".result.json.99999-1.part"),
        folder.join("images/.document-validation-front_image.jpg.99999-2.part"),
    ] {
        std::fs::write(leftover, b"half written").unwrap();
    }
    let mut journal = std::fs::OpenOptions::new()
        .append(true)
        .open(out.join(layout::JOURNAL))
        .unwrap();
    std::io::Write::write_all(&mut journal, br#"{"process_id":"IDPtorn","folder":"IDPto"#).unwrap();
    drop(journal);
    std::fs::write(out.join(layout::LOCK), b"4000000000\n").unwrap();

    server.clear_requests();
    let summary = export(&server, &out, Silent, Stop::never()).await;
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.contains("removed 3 partly written files")),
        "{:?}",
        summary.warnings
    );
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.contains("could not be read")),
        "{:?}",
        summary.warnings
    );
    assert_eq!(summary.skipped as usize, complete.len());
    assert!(layout::temp_files(&out).is_empty());
    let refetched: BTreeSet<String> = result_requests(&server.requests()).into_iter().collect();
    assert!(refetched.is_disjoint(&complete));
    // The journal was compacted: one line per process, the torn line gone.
    let journal = std::fs::read_to_string(out.join(layout::JOURNAL)).unwrap();
    assert_eq!(journal.lines().count(), 20);
    server.shutdown().await;
}

#[tokio::test]
async fn a_changed_option_redoes_what_it_adds_and_reuses_the_rest() {
    let server = start(12).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let client = client(&server, DEMO_API_KEY, 4);
    let mut opts = export_options(&out, 4);
    opts.images = false;
    truora_tui::export::run(client.clone(), opts, Silent, Stop::never())
        .await
        .unwrap();
    assert!(server.requests().iter().all(|r| r.host != DemoHost::Images));

    server.clear_requests();
    let summary = truora_tui::export::run(client, export_options(&out, 4), Silent, Stop::never())
        .await
        .unwrap();
    assert_eq!(
        summary.skipped, 0,
        "a --no-images export is not complete for a run with images"
    );
    let requests = server.requests();
    assert!(requests.iter().any(|r| r.host == DemoHost::Images));
    assert!(
        !requests.iter().any(|r| r.host == DemoHost::Validations),
        "details from the first run are reused"
    );
    verify_against_server(&server, &out).await;
    server.shutdown().await;
}

#[tokio::test]
async fn a_live_lock_is_respected() {
    let server = start(4).await;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join(layout::LOCK),
        format!("{}\n", std::process::id()),
    )
    .unwrap();
    let err = truora_tui::export::run(
        client(&server, DEMO_API_KEY, 2),
        export_options(tmp.path(), 2),
        Silent,
        Stop::never(),
    )
    .await
    .unwrap_err();
    assert!(
        err.to_string().contains("another export is writing"),
        "{err}"
    );
    server.shutdown().await;
}
