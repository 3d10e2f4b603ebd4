//! The export against a scripted server ([`mock::Mock`]): what the demo's well-formed data cannot
//! show. Two validations sharing an id (the guide's seed), hostile ids and fields, two ids that
//! map to one folder, the concurrency cap, links already expired by the local clock, links that
//! change objects, empty and non-image bodies, deleted files, list statuses that change, undated
//! list items.

use crate::export_support;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::time::Duration;

use export_support::mock::Mock;
use export_support::*;
use serde_json::{Value, json};
use truora_tui::api::model::ProcessResult;
use truora_tui::archive::Archive;
use truora_tui::export::format::{FileKind, ProcessState};
use truora_tui::export::{ExportOptions, ExportSummary, Filter, IdsInput, Silent, Stop, layout};
use truora_tui::images::ImageKey;
use truora_tui::source::Source;

const SEED: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/seed_result.json"
));

/// Bytes `images::sniff` takes for a JPEG, tagged so each file differs.
fn jpeg(tag: &str) -> Vec<u8> {
    let mut bytes = b"\xff\xd8\xff\xe0".to_vec();
    bytes.extend_from_slice(tag.as_bytes());
    bytes
}

fn options(mock: &Mock, out: &Path, ids: Option<&[&str]>, concurrency: usize) -> ExportOptions {
    let mut opts = export_options(out, concurrency);
    opts.ids = ids.map(|ids| IdsInput {
        ids: ids.iter().map(|s| (*s).to_owned()).collect(),
        file: None,
    });
    opts.identity_url = mock.base.to_string();
    opts.validations_url = mock.base.to_string();
    opts
}

async fn run(mock: &Mock, opts: ExportOptions) -> ExportSummary {
    let client = client_for(
        mock.base.clone(),
        mock.base.clone(),
        "key",
        opts.concurrency,
    );
    let run = truora_tui::export::run(client, opts, Silent, Stop::never());
    // Only turns a hang into a failure; nothing here depends on timing.
    tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .expect("the export ends")
        .expect("the export runs")
}

fn process(id: &str, status: &str, validations: Value) -> Value {
    json!({"process_id": id, "status": status, "validations": validations})
}

fn requests_to(mock: &Mock, prefix: &str) -> Vec<String> {
    mock.requests()
        .into_iter()
        .filter(|r| r.starts_with(prefix))
        .collect()
}

#[tokio::test]
async fn the_seeds_two_validations_sharing_an_id_keep_their_own_images() {
    let mock = Mock::start().await;
    let mut seed: Value = serde_json::from_slice(SEED).unwrap();
    for (i, v) in seed["validations"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .enumerate()
    {
        for field in ["front_image", "reverse_image"] {
            let path = format!("files/seed/{i}/{field}.jpg");
            v[field] = json!(format!("{}?X-Amz-Signature=s{i}", mock.link(&path)));
            mock.set_file(&format!("/{path}"), 200, &jpeg(&format!("{i} {field}")));
        }
    }
    mock.set_results("some text", vec![seed.clone()]);
    mock.set_details(
        "some text",
        json!({"validation_id": "some text", "type": "identity-questions", "validation_status": "success"}),
    );
    let result = ProcessResult::from_value(seed).unwrap();
    let keys: Vec<String> = result
        .validations
        .iter()
        .map(|v| result.validation_key(v))
        .collect();
    assert_eq!(keys.len(), 2);
    assert_ne!(
        keys[0], keys[1],
        "the two validations have keys of their own"
    );

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    let summary = run(&mock, options(&mock, &out, Some(&["some text"]), 4)).await;
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!((summary.counts.exported, summary.counts.images), (1, 4));
    assert_eq!(
        requests_to(&mock, "/v1/validations/").len(),
        1,
        "the shared id's details are fetched once"
    );

    let record = records(&out).pop().expect("recorded");
    assert_eq!(record.folder, layout::id_name("some text"));
    let images: Vec<_> = record
        .files
        .iter()
        .filter(|f| f.kind == FileKind::Image)
        .collect();
    assert_eq!(images.len(), 4);
    let paths: BTreeSet<&str> = images.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths.len(), 4, "no two images share a file: {paths:?}");
    for f in &images {
        let key = f.validation_id.as_deref().unwrap();
        let field = f.field.as_deref().unwrap();
        let v = result.validation_by_key(key).expect("a key of the result");
        let bytes = std::fs::read(out.join(&record.folder).join(&f.path)).unwrap();
        assert_eq!(
            bytes,
            jpeg(&format!("{} {field}", v.index)),
            "{key} {field}"
        );
    }

    // The browser's keys find each validation's own pictures in the archive.
    let source = Source::archive(&out).unwrap();
    for v in &result.validations {
        for link in &v.images {
            let key = ImageKey {
                process_id: "some text".into(),
                validation_id: result.validation_key(v),
                field: link.field.clone(),
            };
            let bytes = source.file(&key, &link.url, "image").await.unwrap();
            assert_eq!(bytes, jpeg(&format!("{} {}", v.index, link.field)));
        }
    }
    mock.shutdown().await;
}

#[tokio::test]
async fn hostile_ids_and_fields_stay_inside_the_archive() {
    let mock = Mock::start().await;
    let ids = [
        "../../escape",
        "IDP/a/../../b",
        "manifest.json",
        "progress.jsonl",
        ".hidden",
        "IDP\u{1b}[2J\u{202e}x",
        "..\\..\\windows",
        "IDPnormal0001",
    ];
    let mut list = Vec::new();
    for (n, id) in ids.iter().enumerate() {
        list.push(json!({"process_id": id, "status": "success"}));
        let (front, other) = (format!("files/{n}/front.jpg"), format!("files/{n}/other"));
        mock.set_file(&format!("/{front}"), 200, &jpeg(id));
        mock.set_file(
            &format!("/{other}"),
            200,
            b"not a picture, not a known file",
        );
        let vid = format!("../../v{n}\u{1b}]0;x");
        mock.set_details(&vid, json!({"validation_id": vid, "type": "../../t"}));
        mock.set_results(
            id,
            vec![process(
                id,
                "success",
                json!([{
                    "validation_id": vid,
                    "type": "../../doc\u{1b}[31m/x",
                    "validation_status": "success",
                    "front_image": mock.link(&front),
                    "../../../evil/../field": mock.link(&other),
                }]),
            )],
        );
    }
    mock.set_list(Value::Array(list));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    let summary = run(&mock, options(&mock, &out, None, 4)).await;
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(summary.counts.exported as usize, ids.len());
    assert_eq!(summary.counts.images as usize, 2 * ids.len());

    // Nothing outside the archive; nothing hidden in it; each process in its own folder.
    let beside: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(beside.len(), 1, "only the archive folder");
    for (path, _) in all_files(&out) {
        let rel = path.strip_prefix(&out).unwrap();
        assert!(
            rel.components()
                .all(|c| !c.as_os_str().to_string_lossy().starts_with('.')),
            "{}",
            rel.display()
        );
    }
    let mut folders: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut expected: Vec<String> = ids.iter().map(|id| layout::id_name(id)).collect();
    expected.sort();
    assert_eq!(folders, expected);
    assert!(out.join("manifest.json").is_file() && out.join("progress.jsonl").is_file());

    // The archive reads every process back under its own id.
    let archive = Archive::open(&out).unwrap();
    assert!(archive.problems().is_empty(), "{:?}", archive.problems());
    for id in ids {
        let (_, result) = archive.result(id).unwrap();
        assert_eq!(result.process_id.as_deref(), Some(id));
        let v = &result.validations[0];
        let key = result.validation_key(v);
        assert_eq!(
            archive.image(id, &key, "front_image", None).unwrap(),
            jpeg(id)
        );
        assert!(archive.details(v.validation_id.as_deref().unwrap()).is_ok());
    }
    mock.shutdown().await;
}

#[tokio::test]
async fn two_ids_that_map_to_one_folder_never_share_it() {
    let hashed = "IDP/a";
    let plain = layout::id_name(hashed);
    assert_ne!(hashed, plain);
    // Whichever comes first in the list keeps the folder; the other fails, unfetched.
    for (first, second) in [(hashed, plain.as_str()), (plain.as_str(), hashed)] {
        let mock = Mock::start().await;
        let mut list = Vec::new();
        for id in [first, second] {
            list.push(json!({"process_id": id}));
            mock.set_results(id, vec![process(id, "success", json!([]))]);
        }
        mock.set_list(Value::Array(list));
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("a");
        let summary = run(&mock, options(&mock, &out, None, 2)).await;
        assert_eq!(summary.counts.exported, 1);
        assert_eq!(summary.failed.len(), 1);
        let (id, error) = &summary.failed[0];
        assert_eq!(id, second);
        assert!(
            error.contains(&format!("already used by process {first}"))
                && error.contains("report it"),
            "{error}"
        );
        assert_eq!(summary.exit_code(), 1);
        let (_, result) = Archive::open(&out).unwrap().result(first).unwrap();
        assert_eq!(
            result.process_id.as_deref(),
            Some(first),
            "the folder is the first's"
        );
        let asked: Vec<String> = requests_to(&mock, "/v1/processes/IDP");
        assert_eq!(asked.len(), 1, "the second was not fetched: {asked:?}");
        // A later run keeps it that way, whatever the order.
        mock.set_list(Value::Array(list_reversed(&[first, second])));
        let again = run(&mock, options(&mock, &out, None, 2)).await;
        assert_eq!(again.failed.len(), 1);
        assert_eq!(again.failed[0].0, second);
        mock.shutdown().await;
    }
}

fn list_reversed(ids: &[&str]) -> Vec<Value> {
    ids.iter()
        .rev()
        .map(|id| json!({"process_id": id}))
        .collect()
}

#[tokio::test]
async fn concurrency_caps_the_requests_in_flight() {
    for cap in [1, 3] {
        let mock = Mock::start().await;
        let ids: Vec<String> = (0..12).map(|i| format!("IDPcap{i:04}")).collect();
        for id in &ids {
            mock.set_results(id, vec![process(id, "success", json!([]))]);
        }
        // Each request waits at the server until `cap` are there together (or all 12 came).
        mock.hold_until(cap, ids.len());
        let tmp = tempfile::tempdir().unwrap();
        let mut opts = options(&mock, &tmp.path().join("a"), None, cap);
        opts.ids = Some(IdsInput {
            ids: ids.clone(),
            file: None,
        });
        let summary = run(&mock, opts).await;
        assert_eq!(summary.counts.exported, 12);
        assert_eq!(mock.max_in_flight(), cap, "--concurrency {cap}");
        mock.shutdown().await;
    }
}

#[tokio::test]
async fn a_link_expired_by_the_local_clock_is_re_signed_before_it_is_used() {
    let mock = Mock::start().await;
    let file = "files/p/front.jpg";
    mock.set_file(&format!("/{file}"), 200, &jpeg("front"));
    let signed = |date: &str, sig: &str| {
        format!(
            "{}?X-Amz-Date={date}&X-Amz-Expires=900&X-Amz-Signature={sig}",
            mock.link(file)
        )
    };
    let v = |link: String| json!([{"validation_id": "VLD1", "type": "document-validation", "front_image": link}]);
    let old = process(
        "IDPclock01",
        "success",
        v(signed("20000101T000000Z", "old")),
    );
    let fresh = process(
        "IDPclock01",
        "success",
        v(signed("29991231T000000Z", "new")),
    );
    mock.set_results("IDPclock01", vec![old.clone(), fresh]);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    let mut opts = options(&mock, &out, Some(&["IDPclock01"]), 2);
    opts.details = false;
    let summary = run(&mock, opts).await;
    assert!(summary.failed.is_empty(), "{:?}", summary.failed);
    assert_eq!(
        requests_to(&mock, "/v1/processes/").len(),
        2,
        "re-signed once"
    );
    let downloads = requests_to(&mock, "/files/");
    assert_eq!(downloads.len(), 1, "{downloads:?}");
    assert!(
        downloads[0].contains("Signature=new"),
        "the expired link is never sent"
    );
    // `result.json` is the result the files were planned from.
    let record = records(&out).pop().unwrap();
    let written: Value = serde_json::from_slice(
        &std::fs::read(out.join(&record.folder).join("result.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(written, old);
    mock.shutdown().await;
}

#[tokio::test]
async fn a_re_signed_link_to_another_object_fails_the_process_rather_than_mixing_results() {
    let mock = Mock::start().await;
    mock.set_file("/files/old.jpg", 200, &jpeg("old"));
    mock.set_file("/files/new.jpg", 200, &jpeg("new"));
    let v = |path: &str, date: &str| {
        json!([{"validation_id": "VLD1", "type": "document-validation",
            "front_image": format!("{}?X-Amz-Date={date}&X-Amz-Expires=900", mock.link(path))}])
    };
    let first = process(
        "IDPmoved01",
        "success",
        v("files/old.jpg", "20000101T000000Z"),
    );
    let second = process(
        "IDPmoved01",
        "success",
        v("files/new.jpg", "29991231T000000Z"),
    );
    mock.set_results("IDPmoved01", vec![first.clone(), second]);
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    let mut opts = options(&mock, &out, Some(&["IDPmoved01"]), 2);
    opts.details = false;
    let summary = run(&mock, opts).await;
    assert_eq!(summary.failed.len(), 1);
    assert!(
        summary.failed[0]
            .1
            .contains("changed while it was exported"),
        "{:?}",
        summary.failed
    );
    assert!(requests_to(&mock, "/files/").is_empty(), "nothing mixed in");
    let record = records(&out).pop().unwrap();
    assert_eq!(record.state, ProcessState::Failed);
    let written: Value = serde_json::from_slice(
        &std::fs::read(out.join(&record.folder).join("result.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(written, first);
    mock.shutdown().await;
}

#[tokio::test]
async fn empty_and_non_image_bodies_fail_and_deleted_files_are_recorded_as_gone() {
    let mock = Mock::start().await;
    let one = |id: &str, field: &str, path: &str| {
        mock.set_results(
            id,
            vec![process(
                id,
                "success",
                json!([{"validation_id": format!("V{id}"), "type": "document-validation", field: mock.link(path)}]),
            )],
        );
    };
    one("IDPempty001", "front_image", "files/empty.jpg");
    mock.set_file("/files/empty.jpg", 200, b"");
    one("IDPhtml0001", "front_image", "files/html.jpg");
    mock.set_file("/files/html.jpg", 200, b"<html>login</html>");
    one("IDPdoc00001", "original_document_url", "files/doc");
    mock.set_file("/files/doc", 200, b"some document format");
    one("IDPgone0001", "face_photo", "files/gone.jpg");
    let ids = ["IDPempty001", "IDPhtml0001", "IDPdoc00001", "IDPgone0001"];
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    let mut opts = options(&mock, &out, Some(&ids), 2);
    opts.details = false;
    let summary = run(&mock, opts.clone()).await;
    let failed: HashMap<&str, &str> = summary
        .failed
        .iter()
        .map(|(id, e)| (id.as_str(), e.as_str()))
        .collect();
    assert_eq!(failed.len(), 2, "{failed:?}");
    assert!(failed["IDPempty001"].contains("an empty file, not a picture"));
    assert!(failed["IDPhtml0001"].contains("18 bytes in no image format"));
    assert!(failed["IDPhtml0001"].contains("run the export again"));
    // A document link holding a format we do not know is kept as it came.
    let doc = records(&out)
        .into_iter()
        .find(|r| r.process_id == "IDPdoc00001")
        .unwrap();
    assert_eq!(doc.state, ProcessState::Complete);
    assert!(doc.files.iter().any(|f| f.path.ends_with(".bin")));
    // Deleted at the image host: complete, recorded as gone, warned about, exit 0 on its own.
    let gone = records(&out)
        .into_iter()
        .find(|r| r.process_id == "IDPgone0001")
        .unwrap();
    assert_eq!(gone.state, ProcessState::Complete);
    assert!(gone.missing[0].permanent, "{:?}", gone.missing);
    assert_eq!(summary.missing.len(), 1);
    assert_eq!(summary.missing[0].0, "IDPgone0001");
    assert_eq!(summary.exit_code(), 1, "the empty and non-image bodies");

    // Fixed at the server: the failures are fetched again; the gone file is not asked again.
    mock.set_file("/files/empty.jpg", 200, &jpeg("e"));
    mock.set_file("/files/html.jpg", 200, &jpeg("h"));
    mock.clear_requests();
    let again = run(&mock, opts).await;
    assert!(again.failed.is_empty(), "{:?}", again.failed);
    assert_eq!((again.counts.exported, again.counts.skipped), (2, 2));
    assert_eq!(again.exit_code(), 0);
    let asked = requests_to(&mock, "/files/");
    assert!(!asked.iter().any(|r| r.contains("gone")), "{asked:?}");
    assert_eq!(asked.len(), 2);
    mock.shutdown().await;
}

#[tokio::test]
async fn a_resume_reuses_an_image_only_while_its_link_names_the_same_object() {
    let mock = Mock::start().await;
    let id = "IDPlinks001";
    let v = |front: &str, reverse: &str, sig: &str| {
        json!([{"validation_id": "VLD1", "type": "document-validation",
            "front_image": format!("{}?X-Amz-Signature={sig}", mock.link(front)),
            "reverse_image": format!("{}?X-Amz-Signature={sig}", mock.link(reverse))}])
    };
    mock.set_details("VLD1", json!({"validation_id": "VLD1"}));
    for (path, tag) in [("f1", "front"), ("r1", "reverse 1"), ("r2", "reverse 2")] {
        mock.set_file(&format!("/files/{path}.jpg"), 200, &jpeg(tag));
    }
    // Exported while pending (it may change, so the next run exports it again)...
    mock.set_results(
        id,
        vec![process(
            id,
            "pending",
            v("files/f1.jpg", "files/r1.jpg", "a"),
        )],
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    let opts = options(&mock, &out, Some(&[id]), 2);
    let first = run(&mock, opts.clone()).await;
    assert!(first.failed.is_empty(), "{:?}", first.failed);
    // ...and since then the front was signed again and the reverse replaced by another file.
    mock.set_results(
        id,
        vec![process(
            id,
            "success",
            v("files/f1.jpg", "files/r2.jpg", "b"),
        )],
    );
    mock.clear_requests();
    let summary = run(&mock, opts).await;
    assert_eq!((summary.counts.exported, summary.counts.skipped), (1, 0));
    assert_eq!(
        requests_to(&mock, "/files/"),
        ["/files/r2.jpg?X-Amz-Signature=b"]
    );
    assert_eq!(
        requests_to(&mock, "/v1/validations/").len(),
        1,
        "details of a process that was pending are fetched again"
    );
    let record = records(&out).pop().unwrap();
    let reverse = record
        .files
        .iter()
        .find(|f| f.field.as_deref() == Some("reverse_image"))
        .unwrap();
    let bytes = std::fs::read(out.join(&record.folder).join(&reverse.path)).unwrap();
    assert_eq!(bytes, jpeg("reverse 2"));
    assert_eq!(
        reverse.link.as_deref(),
        Some(mock.link("files/r2.jpg").as_str())
    );
    mock.shutdown().await;
}

#[tokio::test]
async fn a_process_whose_status_changed_in_the_list_is_exported_again() {
    let mock = Mock::start().await;
    let list = |second: &str| {
        json!([{"process_id": "IDPsame0001", "status": "failure"},
               {"process_id": "IDPmoved001", "status": second}])
    };
    for (id, status) in [("IDPsame0001", "failure"), ("IDPmoved001", "failure")] {
        mock.set_results(id, vec![process(id, status, json!([]))]);
    }
    mock.set_list(list("failure"));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("a");
    run(&mock, options(&mock, &out, None, 2)).await;
    // A reviewer overrode it meanwhile.
    mock.set_list(list("success"));
    mock.set_results(
        "IDPmoved001",
        vec![process("IDPmoved001", "success", json!([]))],
    );
    mock.clear_requests();
    let summary = run(&mock, options(&mock, &out, None, 2)).await;
    assert_eq!((summary.counts.exported, summary.counts.skipped), (1, 1));
    assert_eq!(
        requests_to(&mock, "/v1/processes/IDP"),
        ["/v1/processes/IDPmoved001/result"]
    );
    let moved = records(&out)
        .into_iter()
        .find(|r| r.process_id == "IDPmoved001")
        .unwrap();
    assert_eq!(moved.summary["status"], "success");
    mock.shutdown().await;
}

#[tokio::test]
async fn list_items_without_a_date_are_counted_and_warned_about() {
    let mock = Mock::start().await;
    mock.set_list(json!([
        {"process_id": "IDPdated001", "creation_date": "2026-02-01T10:00:00Z"},
        {"process_id": "IDPold00001", "creation_date": "2025-02-01T10:00:00Z"},
        {"process_id": "IDPnodate01"},
        {"process_id": "IDPbaddate1", "creation_date": "yesterday"},
    ]));
    mock.set_results(
        "IDPdated001",
        vec![process("IDPdated001", "success", json!([]))],
    );
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = options(&mock, &tmp.path().join("a"), None, 2);
    opts.filter = Filter::parse(None, Some("2026-01-01"), None).unwrap();
    let summary = run(&mock, opts).await;
    assert_eq!(summary.counts.exported, 1);
    assert_eq!((summary.filtered_out, summary.undated), (1, 2));
    assert!(
        summary
            .render()
            .contains("2 list items have no readable creation_date"),
        "{}",
        summary.render()
    );
    assert_eq!(summary.exit_code(), 0);
    mock.shutdown().await;
}
