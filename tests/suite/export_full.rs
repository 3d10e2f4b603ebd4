//! A whole export against the demo server, compared file by file with what the server holds.

use crate::export_support;

use std::collections::BTreeSet;

use export_support::*;
use serde_json::Value;
use truora_tui::demo::{DEMO_API_KEY, DemoHost};
use truora_tui::export::format::{self, ProcessState, RunState};
use truora_tui::export::manifest;
use truora_tui::export::{Filter, IdsInput, Silent, Stop, layout};

#[tokio::test]
async fn a_full_export_matches_the_server_file_by_file() {
    let server = start(60).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let summary = export(&server, &out, Silent, Stop::never()).await;

    let gone = gone_processes(&server);
    assert!(
        !gone.is_empty(),
        "the demo data has a deleted image to cope with"
    );
    // An image Truora no longer has is recorded, warned about, and does not fail its process.
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    let missing: BTreeSet<String> = summary.missing.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(
        missing, gone,
        "the processes whose image is gone are reported"
    );
    for (_, what) in &summary.missing {
        assert!(what.contains("no such file (404)"), "{what}");
    }
    assert!(summary.render().contains("no longer exist at Truora"));
    assert_eq!(summary.exit_code(), 0);
    assert_eq!(summary.counts.listed, 60);
    assert_eq!(summary.counts.exported, 60);
    assert!(!summary.interrupted && summary.list_error.is_none());

    let checked = verify_against_server(&server, &out).await;
    assert_eq!(checked, 60);

    // processes.jsonl: the list items as received, in list order.
    let lines = std::fs::read_to_string(out.join(layout::PROCESSES)).unwrap();
    let ids: Vec<String> = lines
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["process_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(ids, server.process_ids());

    // The manifest: what was asked, final state, counts that add up, a record per process.
    let m = manifest::read_manifest(&out).unwrap().expect("manifest");
    assert_eq!(m.head.format, format::FORMAT);
    assert_eq!(m.head.state, RunState::Complete);
    assert!(m.head.list.complete);
    assert_eq!(m.head.counts.processes, 60);
    assert_eq!(m.head.counts.complete, 60);
    assert_eq!(m.head.counts.failed, 0);
    assert_eq!(m.head.counts.missing as usize, summary.missing.len());
    assert_eq!(m.head.counts.images, summary.counts.images);
    assert_eq!(m.processes.as_ref().map(Vec::len), Some(60));
    for r in m.processes.unwrap() {
        assert_eq!(r.state, ProcessState::Complete);
        assert_eq!(gone.contains(&r.process_id), !r.missing.is_empty(), "{r:?}");
        assert!(r.missing.iter().all(|m| m.permanent), "{r:?}");
    }
    assert!(layout::temp_files(&out).is_empty());
    assert!(!out.join(layout::LOCK).exists(), "the lock is released");
    server.shutdown().await;
}

#[tokio::test]
async fn the_archive_never_holds_the_key_and_is_private() {
    let server = start(24).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    export(&server, &out, Silent, Stop::never()).await;
    let files = all_files(&out);
    assert!(files.len() > 24 * 2);
    let key = DEMO_API_KEY.as_bytes();
    for (path, bytes) in &files {
        assert!(
            !bytes.windows(key.len()).any(|w| w == key),
            "{} holds the API key",
            path.display()
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for (path, _) in &files {
            let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", path.display());
            let folder = path.parent().unwrap();
            let mode = std::fs::metadata(folder).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "{}", folder.display());
        }
    }
    // The key went only to the API hosts, never to the image host.
    for r in server.requests() {
        let sent = r
            .headers
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case("truora-api-key"));
        assert_eq!(sent, r.host != DemoHost::Images, "{} {}", r.path, sent);
    }
    server.shutdown().await;
}

#[tokio::test]
async fn status_and_date_filters_apply_to_the_list_items() {
    let server = start(48).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("failures");
    let mut opts = export_options(&out, 8);
    opts.filter = Filter::parse(Some("failure"), Some("2026-01-01"), None).unwrap();
    opts.images = false;
    let client = client(&server, DEMO_API_KEY, 8);
    let summary = truora_tui::export::run(client, opts, Silent, Stop::never())
        .await
        .unwrap();
    let lines = std::fs::read_to_string(out.join(layout::PROCESSES)).unwrap();
    let kept: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(!kept.is_empty());
    assert!(kept.iter().all(|p| p["status"] == "failure"));
    assert_eq!(kept.len() as u64 + summary.filtered_out, 48);
    assert_eq!(
        summary.exit_code(),
        0,
        "no images asked, so none can be gone"
    );
    let exported = complete_ids(&out);
    assert_eq!(exported.len(), kept.len());
    let m = manifest::read_manifest(&out).unwrap().unwrap();
    assert_eq!(m.head.request.status.as_deref(), Some("failure"));
    assert_eq!(m.head.request.since.as_deref(), Some("2026-01-01"));
    assert!(!m.head.request.images);
    // No image was requested.
    assert!(server.requests().iter().all(|r| r.host != DemoHost::Images));
    server.shutdown().await;
}

#[tokio::test]
async fn an_ids_file_exports_exactly_those_processes_without_the_list() {
    let server = start(30).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("ids");
    let wanted: Vec<String> = server.process_ids().into_iter().step_by(7).collect();
    let mut opts = export_options(&out, 4);
    opts.details = false;
    opts.ids = Some(IdsInput {
        ids: wanted.clone(),
        file: Some("mine.csv".into()),
    });
    let client = client(&server, DEMO_API_KEY, 4);
    let summary = truora_tui::export::run(client, opts, Silent, Stop::never())
        .await
        .unwrap();
    assert_eq!(summary.counts.listed as usize, wanted.len());
    let done: BTreeSet<String> = records(&out).into_iter().map(|r| r.process_id).collect();
    assert_eq!(done, wanted.iter().cloned().collect());
    let requests = server.requests();
    assert!(
        !requests
            .iter()
            .any(|r| r.path == "/v1/processes/" || r.path == "/v1/processes"),
        "the list endpoint is not used"
    );
    assert!(
        !requests.iter().any(|r| r.host == DemoHost::Validations),
        "--no-details"
    );
    let m = manifest::read_manifest(&out).unwrap().unwrap();
    assert_eq!(m.head.request.source, "ids-file");
    assert_eq!(m.head.request.ids_file.as_deref(), Some("mine.csv"));
    server.shutdown().await;
}

#[tokio::test]
async fn an_occupied_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), b"mine").unwrap();
    let server = start(4).await;
    let client = client(&server, DEMO_API_KEY, 2);
    let err = truora_tui::export::run(client, export_options(tmp.path(), 2), Silent, Stop::never())
        .await
        .unwrap_err();
    assert!(err.to_string().contains("holds no export"), "{err}");
    assert_eq!(err.exit_code(), 2, "a wrong --out is a usage error");
    assert!(server.requests().is_empty(), "nothing fetched");
    server.shutdown().await;
}
