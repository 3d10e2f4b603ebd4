//! Helpers shared by the export and archive tests: a demo server and a fast client, running an
//! export, and checking an archive file by file against what the server holds.

// Each test crate includes this module and uses a different subset of it.
#![allow(dead_code)]

pub mod mock;

use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use truora_tui::api::ApiKey;
use truora_tui::api::model::ProcessResult;
use truora_tui::api::{Client, ClientOptions, RetryPolicy};
use truora_tui::demo::{DEMO_API_KEY, DemoHost, DemoOptions, DemoServer, RecordedRequest};
use truora_tui::export::format::{FileKind, ProcessState, Record};
use truora_tui::export::manifest;
use truora_tui::export::{ExportOptions, ExportSummary, Progress, Stop};

pub fn options(processes: usize) -> DemoOptions {
    DemoOptions {
        processes,
        page_size: 16,
        ..DemoOptions::default()
    }
}

pub fn client(server: &DemoServer, key: &str, concurrency: usize) -> Client {
    client_for(
        server.identity_url(),
        server.validations_url(),
        key,
        concurrency,
    )
}

/// A fast client for any server (both API hosts may be the same).
pub fn client_for(
    identity: url::Url,
    validations: url::Url,
    key: &str,
    concurrency: usize,
) -> Client {
    let mut opts = ClientOptions::new(identity, validations, ApiKey::new(key.to_owned()));
    opts.retry = RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(5),
    };
    opts.timeout = Duration::from_secs(10);
    opts.concurrency = concurrency;
    Client::new(opts).expect("client builds")
}

pub async fn start(processes: usize) -> DemoServer {
    DemoServer::start(options(processes))
        .await
        .expect("demo starts")
}

pub fn export_options(out: &Path, concurrency: usize) -> ExportOptions {
    let mut opts = ExportOptions::new(out);
    opts.concurrency = concurrency;
    opts.rate_limit_pause = Duration::from_millis(1);
    opts
}

pub async fn export(
    server: &DemoServer,
    out: &Path,
    reporter: impl Progress,
    stop: Stop,
) -> ExportSummary {
    let client = client(server, DEMO_API_KEY, 8);
    truora_tui::export::run(client, export_options(out, 8), reporter, stop)
        .await
        .expect("export runs")
}

/// The latest record of each process, from the manifest and the journal.
pub fn records(dir: &Path) -> Vec<Record> {
    let mut all: Vec<Record> = manifest::read_manifest(dir)
        .expect("manifest readable")
        .and_then(|m| m.processes)
        .unwrap_or_default();
    manifest::read_journal(dir, |_, r| all.push(r)).expect("journal readable");
    let mut latest = std::collections::HashMap::new();
    for r in all {
        latest.insert(r.process_id.clone(), r);
    }
    let mut out: Vec<Record> = latest.into_values().collect();
    out.sort_by(|a, b| a.process_id.cmp(&b.process_id));
    out
}

pub fn complete_ids(dir: &Path) -> BTreeSet<String> {
    records(dir)
        .into_iter()
        .filter(|r| r.state == ProcessState::Complete)
        .map(|r| r.process_id)
        .collect()
}

/// Processes with an image link whose object the demo no longer holds (404 NoSuchKey): these
/// cannot be exported completely.
pub fn gone_processes(server: &DemoServer) -> BTreeSet<String> {
    let mut gone = BTreeSet::new();
    for id in server.process_ids() {
        let result = result_of(server, &id);
        for v in &result.validations {
            let vid = v.validation_id.clone().unwrap_or_default();
            if v.images
                .iter()
                .any(|l| server.image_bytes(&id, &vid, &l.field).is_none())
            {
                gone.insert(id.clone());
            }
        }
    }
    gone
}

/// Processes whose status is `pending`: a resumed export fetches them again (they may change), so
/// they are never skipped.
pub fn pending_processes(server: &DemoServer) -> BTreeSet<String> {
    server
        .process_ids()
        .into_iter()
        .filter(|id| result_of(server, id).status.as_ref().map(|s| s.as_str()) == Some("pending"))
        .collect()
}

pub fn result_of(server: &DemoServer, id: &str) -> ProcessResult {
    ProcessResult::from_value(server.result_json(id).expect("known process")).expect("parses")
}

/// A JSON value with every link's query (its signature and date) removed.
pub fn unsigned(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::String(s) if s.contains("X-Amz-") => {
                *s = truora_tui::export::layout::without_query(s);
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            Value::Object(o) => o.values_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

/// Checks every file of every complete process against the server: the result and details
/// (links aside, which are signed anew on every request) and each image byte for byte; and
/// that each file matches its recorded size and SHA-256; and that an image not exported is one
/// the server no longer has, recorded as permanently missing. Returns the processes checked.
pub async fn verify_against_server(server: &DemoServer, dir: &Path) -> usize {
    let client = client(server, DEMO_API_KEY, 8);
    let mut checked = 0;
    for r in records(dir)
        .iter()
        .filter(|r| r.state == ProcessState::Complete)
    {
        let folder = dir.join(&r.folder);
        let expected = result_of(server, &r.process_id);
        let kinds: HashSet<_> = r.files.iter().map(|f| f.kind).collect();
        assert!(
            kinds.contains(&FileKind::Result),
            "{} has a result",
            r.process_id
        );
        for v in &expected.validations {
            let key = expected.validation_key(v);
            for link in &v.images {
                let file = r.files.iter().any(|f| {
                    f.kind == FileKind::Image
                        && f.validation_id.as_deref() == Some(key.as_str())
                        && f.field.as_deref() == Some(link.field.as_str())
                });
                let gone = r.missing.iter().any(|m| {
                    m.permanent
                        && m.kind == FileKind::Image
                        && m.validation_id.as_deref() == Some(key.as_str())
                        && m.field.as_deref() == Some(link.field.as_str())
                });
                let at_server = server
                    .image_bytes(&r.process_id, &key, &link.field)
                    .is_some();
                assert!(
                    file != gone && gone != at_server,
                    "{} {key} {}: file {file}, recorded gone {gone}, at the server {at_server}",
                    r.process_id,
                    link.field
                );
            }
        }
        for f in &r.files {
            let bytes = std::fs::read(folder.join(&f.path)).expect("recorded file exists");
            assert_eq!(bytes.len() as u64, f.bytes, "{}", f.path);
            assert_eq!(
                truora_tui::export::layout::sha256_hex(&bytes),
                f.sha256,
                "{}",
                f.path
            );
            match f.kind {
                FileKind::Result => {
                    let got: Value = serde_json::from_slice(&bytes).expect("result is JSON");
                    let want = server.result_json(&r.process_id).expect("result");
                    assert_eq!(unsigned(got), unsigned(want), "result of {}", r.process_id);
                }
                FileKind::Details => {
                    let vid = f.validation_id.as_deref().expect("details have an id");
                    let want = client.validation_details(vid).await.expect("details");
                    let want: Value = serde_json::from_slice(&want.body).unwrap();
                    let got: Value = serde_json::from_slice(&bytes).expect("details JSON");
                    assert_eq!(unsigned(got), unsigned(want), "details {vid}");
                }
                FileKind::Image => {
                    let vid = f.validation_id.as_deref().expect("image has a validation");
                    let field = f.field.as_deref().expect("image has a field");
                    let want = server.image_bytes(&r.process_id, vid, field);
                    assert_eq!(Some(bytes), want, "{} {vid} {field}", r.process_id);
                }
            }
        }
        checked += 1;
    }
    checked
}

pub fn result_requests(requests: &[RecordedRequest]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.host == DemoHost::Identity && r.path.ends_with("/result"))
        .filter_map(|r| r.path.split('/').nth(3).map(str::to_owned))
        .collect()
}

/// Every file under `dir` (recursively) with its bytes.
pub fn all_files(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("readable file");
                out.push((path, bytes));
            }
        }
    }
    out
}
