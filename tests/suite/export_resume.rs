//! Stopping an export at chosen points and resuming it; cleaning up after a killed run.

use crate::export_support;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use export_support::mock::Mock;
use export_support::*;
use truora_tui::demo::{DEMO_API_KEY, DemoHost};
use truora_tui::export::format::{ProcessState, RunState};
use truora_tui::export::manifest;
use truora_tui::export::{Event, ExportError, Filter, IdsInput, Silent, Snapshot, Stop, layout};

type Reporter = dyn Fn(Event<'_>, &Snapshot) + Send + Sync;

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
    let pending = pending_processes(&server);
    assert!(!pending.is_empty(), "the demo has pending processes");
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
        assert_eq!(m.head.state, RunState::Interrupted);
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
        // A process exported while pending may have changed since: it is exported again.
        let settled: BTreeSet<String> = done_before.difference(&pending).cloned().collect();
        assert_eq!(
            second.counts.skipped as usize,
            settled.len(),
            "stop after {stop_after}"
        );
        let refetched: BTreeSet<String> = result_requests(&server.requests()).into_iter().collect();
        let again: Vec<_> = refetched.intersection(&settled).collect();
        assert!(
            again.is_empty(),
            "complete processes fetched again: {again:?}"
        );
        let redone: BTreeSet<String> = done_before.intersection(&pending).cloned().collect();
        assert!(redone.is_subset(&refetched), "pending processes are redone");
        // Images of complete processes are not fetched again, not even for the pending ones
        // that are redone: their links still point to the same objects.
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
        assert!(second.failed.is_empty(), "{:?}", second.failed);
        let missing: BTreeSet<String> = second.missing.iter().map(|(id, _)| id.clone()).collect();
        assert!(missing.is_subset(&gone), "{missing:?}");
        assert_eq!(complete_ids(&out).len(), PROCESSES);
        assert_eq!(verify_against_server(&server, &out).await, PROCESSES);
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
    let complete: BTreeSet<String> = complete_ids(&out)
        .difference(&pending_processes(&server))
        .cloned()
        .collect();
    // What a kill leaves: temp files at every level, a journal line cut short, a manifest that
    // still says running, and a lock file nobody holds a lock on.
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
    assert_eq!(summary.counts.skipped as usize, complete.len());
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
        summary.counts.skipped, 0,
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
async fn a_live_lock_is_respected_and_released_with_its_holder() {
    let server = start(4).await;
    let tmp = tempfile::tempdir().unwrap();
    // Another export holds the lock (an advisory lock on the lock file, as a run takes it).
    let holder = std::fs::File::create(tmp.path().join(layout::LOCK)).unwrap();
    holder.try_lock().unwrap();
    let run = || {
        truora_tui::export::run(
            client(&server, DEMO_API_KEY, 2),
            export_options(tmp.path(), 2),
            Silent,
            Stop::never(),
        )
    };
    let err = run().await.unwrap_err();
    assert!(matches!(err, ExportError::Locked { .. }), "{err:?}");
    assert!(
        err.to_string().contains("another export is writing"),
        "{err}"
    );
    assert!(server.requests().is_empty(), "nothing fetched");
    // However its holder ends, the kernel releases the lock: the file left behind is no obstacle.
    drop(holder);
    assert!(tmp.path().join(layout::LOCK).exists());
    let summary = run().await.expect("the lock is free");
    assert_eq!(summary.counts.exported, 4);
    assert!(!tmp.path().join(layout::LOCK).exists());
    server.shutdown().await;
}

#[tokio::test]
async fn a_folder_whose_manifest_is_not_ours_is_refused_untouched() {
    let server = start(4).await;
    let tmp = tempfile::tempdir().unwrap();
    let run = |dir: std::path::PathBuf| {
        truora_tui::export::run(
            client(&server, DEMO_API_KEY, 2),
            export_options(&dir, 2),
            Silent,
            Stop::never(),
        )
    };
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "other",
            br#"{"name": "my-app", "version": "1.0.0"}"#,
            "no \"format\" field",
        ),
        (
            "format",
            br#"{"format": "webpack-manifest"}"#,
            "\"webpack-manifest\"",
        ),
        (
            "newer",
            br#"{"format": "truora-tui-export", "format_version": 99}"#,
            "written by a newer truora-tui",
        ),
        ("text", b"just some notes", "not the JSON of an export"),
    ];
    for (name, manifest, reason) in cases {
        let dir = tmp.path().join(name);
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join(layout::MANIFEST), manifest).unwrap();
        let err = run(dir.clone()).await.unwrap_err();
        assert!(
            matches!(err, ExportError::NotOurs { .. }),
            "{name}: {err:?}"
        );
        assert_eq!(err.exit_code(), 2, "{name}");
        let text = err.to_string();
        assert!(
            text.contains(&dir.join(layout::MANIFEST).display().to_string())
                && text.contains(reason)
                && text.contains("choose an empty or new folder"),
            "{name}: {text}"
        );
        assert_eq!(std::fs::read(dir.join(layout::MANIFEST)).unwrap(), manifest);
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(names.len(), 1, "{name}: nothing written beside it");
    }
    // Someone else's progress.jsonl alone is not taken over either.
    let dir = tmp.path().join("journal");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join(layout::JOURNAL), b"{\"step\": 1}\n").unwrap();
    let err = run(dir.clone()).await.unwrap_err();
    assert_eq!(err.exit_code(), 2, "{err}");
    assert!(server.requests().is_empty(), "nothing fetched");

    // Our own export with a damaged manifest resumes from its journal.
    let ours = tmp.path().join("ours");
    run(ours.clone()).await.unwrap();
    std::fs::write(
        ours.join(layout::MANIFEST),
        b"{\"format\": \"truora-tui-exp",
    )
    .unwrap();
    let summary = run(ours.clone()).await.expect("resumes");
    assert!(
        summary.warnings.iter().any(|w| w.contains("damaged")),
        "{:?}",
        summary.warnings
    );
    server.shutdown().await;
}

#[tokio::test]
async fn resuming_with_other_filters_is_refused_with_what_to_do() {
    let server = start(8).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let run = |filter: Filter, images: bool| {
        let mut opts = export_options(&out, 2);
        opts.filter = filter;
        opts.images = images;
        truora_tui::export::run(
            client(&server, DEMO_API_KEY, 2),
            opts,
            Silent,
            Stop::never(),
        )
    };
    let failures = || Filter::parse(Some("failure"), Some("2026-01-01"), None).unwrap();
    run(failures(), false).await.unwrap();
    let before = std::fs::read(out.join(layout::MANIFEST)).unwrap();
    server.clear_requests();
    let err = run(Filter::parse(Some("success"), None, None).unwrap(), false)
        .await
        .unwrap_err();
    assert_eq!(err.exit_code(), 2);
    let text = err.to_string();
    assert!(
        text.contains("--status was failure, now success")
            && text.contains("--since was 2026-01-01, now not given")
            && text.contains("run the same command as before to resume it")
            && text.contains("choose a new --out"),
        "{text}"
    );
    assert_eq!(std::fs::read(out.join(layout::MANIFEST)).unwrap(), before);
    assert!(server.requests().is_empty(), "nothing fetched");
    // The same filters resume it, and images may be added to a --no-images export...
    run(failures(), true)
        .await
        .expect("adding images is allowed");
    // ...but not taken away again.
    let err = run(failures(), false).await.unwrap_err();
    assert!(
        err.to_string()
            .contains("--no-images: the export has images"),
        "{err}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn files_written_before_a_stop_are_reused_by_the_next_run() {
    let mock = Mock::start().await;
    let id = "IDPstopped1";
    let link = |path: &str| format!("{}?X-Amz-Signature=s", mock.link(path));
    mock.set_results(
        id,
        vec![
            serde_json::json!({"process_id": id, "status": "success", "validations": [
            {"validation_id": "VLD1", "type": "document-validation",
             "front_image": link("files/front.jpg"), "reverse_image": link("files/reverse.jpg")}]}),
        ],
    );
    mock.set_file("/files/front.jpg", 200, b"\xff\xd8\xff front");
    mock.set_file("/files/reverse.jpg", 200, b"\xff\xd8\xff reverse");
    // The reverse never arrives in the first run, which is stopped once the front is on disk.
    mock.hold("/files/reverse.jpg");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let mut opts = export_options(&out, 2);
    opts.details = false;
    opts.ids = Some(IdsInput {
        ids: vec![id.into()],
        file: None,
    });
    let run = |reporter: Box<Reporter>, stop| {
        let client = client_for(mock.base.clone(), mock.base.clone(), "key", 2);
        truora_tui::export::run(client, opts.clone(), reporter, stop)
    };
    let (handle, stop) = Stop::new();
    let reporter = move |event: Event<'_>, _: &Snapshot| {
        if let Event::FileWritten { image: true, .. } = event {
            handle.stop();
        }
    };
    let first = run(Box::new(reporter), stop).await.unwrap();
    assert!(first.interrupted && first.counts.exported == 0);
    let record = records(&out)
        .pop()
        .expect("the stopped process is journaled");
    assert_eq!(record.state, ProcessState::Interrupted);
    let kept: Vec<&str> = record.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(kept.len(), 2, "result.json and the front: {kept:?}");
    let archive = truora_tui::archive::Archive::open(&out).unwrap();
    assert!(
        archive
            .problems()
            .iter()
            .any(|p| p.contains("stopped part way")),
        "{:?}",
        archive.problems()
    );
    let e = archive
        .image(id, "VLD1", "reverse_image", None)
        .unwrap_err();
    assert!(e.to_string().contains("stopped before fetching it"), "{e}");

    mock.release();
    mock.clear_requests();
    let second = run(Box::new(|_: Event<'_>, _: &Snapshot| {}), Stop::never())
        .await
        .unwrap();
    assert_eq!((second.counts.exported, second.counts.images), (1, 1));
    let files: Vec<String> = mock
        .requests()
        .into_iter()
        .filter(|r| r.starts_with("/files/"))
        .collect();
    assert_eq!(
        files,
        ["/files/reverse.jpg?X-Amz-Signature=s"],
        "the front is reused"
    );
    let record = records(&out).pop().unwrap();
    assert_eq!(record.state, ProcessState::Complete);
    assert_eq!(record.files.len(), 3);
    mock.shutdown().await;
}

#[tokio::test]
async fn records_pointing_outside_their_folder_are_dropped_on_resume() {
    let server = start(6).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    export(&server, &out, Silent, Stop::never()).await;
    let ids = server.process_ids();
    let pending = pending_processes(&server);
    let settled: Vec<&String> = ids.iter().filter(|id| !pending.contains(*id)).collect();
    let (a, b) = (settled[0].clone(), settled[1].clone());
    let secret = tmp.path().join("secret.txt");
    std::fs::write(&secret, b"not the archive's").unwrap();
    // A complete record of `a` that points at another process's folder, and one of `b` whose
    // folder is its own but whose file is outside the archive.
    let mut tampered = records(&out)
        .into_iter()
        .find(|r| r.process_id == a)
        .unwrap();
    tampered.folder = layout::id_name(&ids[5]);
    let mut outside = records(&out)
        .into_iter()
        .find(|r| r.process_id == b)
        .unwrap();
    outside.files[0].path = "../../secret.txt".into();
    outside.files[0].bytes = 17;
    let mut journal = std::fs::OpenOptions::new()
        .append(true)
        .open(out.join(layout::JOURNAL))
        .unwrap();
    for r in [&tampered, &outside] {
        let line = format!("{}\n", serde_json::to_string(r).unwrap());
        std::io::Write::write_all(&mut journal, line.as_bytes()).unwrap();
    }
    drop(journal);

    server.clear_requests();
    let summary = export(&server, &out, Silent, Stop::never()).await;
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.starts_with("2 records of progress.jsonl name a folder that is not their process's, or a file outside it")),
        "{:?}",
        summary.warnings
    );
    let redone: BTreeSet<String> = result_requests(&server.requests()).into_iter().collect();
    assert!(redone.contains(&a) && redone.contains(&b), "{redone:?}");
    assert_eq!(std::fs::read(&secret).unwrap(), b"not the archive's");
    assert_eq!(verify_against_server(&server, &out).await, 6);
    for r in records(&out) {
        assert_eq!(r.folder, layout::id_name(&r.process_id));
    }
    server.shutdown().await;
}

#[cfg(unix)]
#[tokio::test]
async fn an_existing_out_folder_is_made_private() {
    use std::os::unix::fs::PermissionsExt;
    let server = start(2).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("shared");
    std::fs::create_dir(&out).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o755)).unwrap();
    export(&server, &out, Silent, Stop::never()).await;
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    server.shutdown().await;
}
