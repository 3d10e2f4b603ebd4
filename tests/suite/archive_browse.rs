//! Browsing an export offline: the archive reader and the `Source` the browser runs on, over
//! complete, partial, `--no-images` and damaged archives.

use crate::export_support;

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use export_support::*;
use truora_tui::api::model::ProcessSummary;
use truora_tui::archive::{Archive, ArchiveError};
use truora_tui::demo::DEMO_API_KEY;
use truora_tui::export::format::ProcessState;
use truora_tui::export::{Event, Silent, Snapshot, Stop, layout};
use truora_tui::images::ImageKey;
use truora_tui::source::Source;

/// The rows the list pane would show.
fn rows(list: &[ProcessSummary]) -> String {
    let mut out = String::new();
    for p in list {
        let _ = writeln!(
            out,
            "{} {:8} {:21} {}",
            p.process_id.as_deref().unwrap_or("?"),
            p.status.as_ref().map_or("-", |s| s.as_str()),
            p.creation_date.as_deref().unwrap_or("-"),
            p.declined_reason.as_deref().unwrap_or(""),
        );
    }
    out
}

fn redact(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "<DIR>")
}

async fn all_pages(source: &Source) -> Vec<ProcessSummary> {
    let mut pages = source.pages();
    let mut items = Vec::new();
    while let Some(page) = pages.next().await {
        items.extend(page.expect("archive pages never fail").items);
    }
    assert!(!pages.has_more());
    items
}

#[tokio::test]
async fn a_complete_archive_browses_like_the_server() {
    let server = start(30).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    export(&server, &out, Silent, Stop::never()).await;
    let source = Source::archive(&out).expect("opens");
    assert!(!source.can_refresh());
    assert_eq!(source.label(), format!("archive {}", out.display()));
    assert_eq!(source.in_flight(), 0);

    let list = all_pages(&source).await;
    let ids: Vec<String> = list.iter().filter_map(|p| p.process_id.clone()).collect();
    assert_eq!(ids, server.process_ids(), "the list order of the export");

    for id in server.process_ids() {
        let result = source.result(&id).await;
        let Some(record) = records(&out).into_iter().find(|r| r.process_id == id) else {
            panic!("{id} recorded");
        };
        let fetched = result.expect("every result was exported");
        assert_eq!(
            fetched.body,
            std::fs::read(out.join(&record.folder).join("result.json")).unwrap()
        );
        for v in &fetched.parsed.validations {
            let vid = v.validation_id.clone().expect("demo validations have ids");
            let details = source.details(&vid).await.expect("details exported");
            assert_eq!(
                details.parsed.validation.validation_id.as_deref(),
                Some(vid.as_str())
            );
            for link in &v.images {
                let key = ImageKey {
                    process_id: id.clone(),
                    validation_id: vid.clone(),
                    field: link.field.clone(),
                };
                let bytes = source.file(&key, &link.url, "image").await;
                match server.image_bytes(&id, &vid, &link.field) {
                    Some(want) => assert_eq!(bytes.expect("image exported"), want),
                    None => {
                        let e = bytes.expect_err("gone at the server, so not in the archive");
                        assert!(e.to_string().contains("Truora no longer had it"), "{e}");
                    }
                }
            }
        }
    }
    insta::assert_snapshot!("complete_problems", source.problems().join("\n"));
    insta::assert_snapshot!("complete_first_rows", rows(&list[..8]));
    server.shutdown().await;
}

#[tokio::test]
async fn a_partial_archive_shows_what_it_holds_and_says_what_is_missing() {
    let server = start(30).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let (handle, stop) = Stop::new();
    let done = Arc::new(AtomicU64::new(0));
    let count = done.clone();
    let reporter = move |event: Event<'_>, _: &Snapshot| {
        if let Event::ProcessDone { .. } = event
            && count.fetch_add(1, Ordering::SeqCst) + 1 == 3
        {
            handle.stop();
        }
    };
    let client = client(&server, DEMO_API_KEY, 1);
    truora_tui::export::run(client, export_options(&out, 1), reporter, stop)
        .await
        .unwrap();
    let archive = Archive::open(&out).unwrap();
    let listed = std::fs::read_to_string(out.join(layout::PROCESSES))
        .unwrap()
        .lines()
        .count();
    assert!(listed < 30, "stopped while listing");
    assert_eq!(
        archive.processes().len(),
        listed,
        "every listed process is shown"
    );
    let exported = records(&out).len();
    assert!(exported < 30);
    let missing = archive
        .processes()
        .iter()
        .filter_map(|p| p.process_id.clone())
        .find(|id| archive.result(id).is_err())
        .expect("one not reached");
    let e = archive.result(&missing).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "process {missing} is not in the archive (the export did not reach it); re-run the export to resume it"
        )
    );
    let problems = archive.problems().join("\n");
    let absent = listed - exported;
    assert!(
        problems.contains(&format!("{absent} listed processes are not in the archive")),
        "{problems}"
    );
    assert!(
        problems.contains("before reading the whole process list"),
        "{problems}"
    );
    assert!(
        problems.contains("the export did not finish (state: interrupted)"),
        "{problems}"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn an_archive_without_images_says_how_to_get_them() {
    let server = start(8).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let mut opts = export_options(&out, 4);
    opts.images = false;
    truora_tui::export::run(
        client(&server, DEMO_API_KEY, 4),
        opts,
        Silent,
        Stop::never(),
    )
    .await
    .unwrap();
    let source = Source::archive(&out).unwrap();
    let id = server.process_ids()[0].clone();
    let result = source.result(&id).await.unwrap().parsed;
    let v = result
        .validations
        .iter()
        .find(|v| !v.images.is_empty())
        .unwrap();
    let key = ImageKey {
        process_id: id.clone(),
        validation_id: v.validation_id.clone().unwrap(),
        field: v.images[0].field.clone(),
    };
    let e = source
        .file(&key, &v.images[0].url, "image")
        .await
        .unwrap_err();
    insta::assert_snapshot!("no_images_error", e.to_string().replace(&id, "<ID>"));
    insta::assert_snapshot!("no_images_problems", source.problems().join("\n"));
    server.shutdown().await;
}

#[tokio::test]
async fn a_damaged_archive_is_browsed_by_scanning_its_folders() {
    let server = start(12).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    export(&server, &out, Silent, Stop::never()).await;
    std::fs::write(out.join(layout::MANIFEST), b"{\"format\": \"truora-tui-exp").unwrap();
    std::fs::remove_file(out.join(layout::JOURNAL)).unwrap();
    std::fs::remove_file(out.join(layout::PROCESSES)).unwrap();
    let archive = Archive::open(&out).expect("still opens");
    insta::assert_snapshot!(
        "damaged_problems",
        redact(&archive.problems().join("\n"), &out)
    );
    assert_eq!(archive.processes().len(), 12);
    // Images are found by their save names, details by validation id.
    let id = server.process_ids()[1].clone();
    let (_, result) = archive.result(&id).unwrap();
    for v in &result.validations {
        let vid = v.validation_id.clone().unwrap();
        assert!(archive.details(&vid).is_ok());
        for link in &v.images {
            if let Some(want) = server.image_bytes(&id, &vid, &link.field) {
                assert_eq!(archive.image(&id, &vid, &link.field, None).unwrap(), want);
            }
        }
    }
    server.shutdown().await;
}

#[tokio::test]
async fn tampered_files_and_paths_are_refused() {
    let server = start(6).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    export(&server, &out, Silent, Stop::never()).await;
    let record = records(&out)
        .into_iter()
        .find(|r| r.state == ProcessState::Complete)
        .unwrap();
    std::fs::write(out.join(&record.folder).join("result.json"), b"{}").unwrap();
    let archive = Archive::open(&out).unwrap();
    let e = archive.result(&record.process_id).unwrap_err();
    assert!(matches!(e, ArchiveError::Damaged { .. }), "{e}");
    assert!(e.to_string().contains("SHA-256 differs"), "{e}");

    // A record pointing outside the archive is ignored, not followed.
    let mut journal = std::fs::OpenOptions::new()
        .append(true)
        .open(out.join(layout::JOURNAL))
        .unwrap();
    let evil = r#"{"process_id":"IDPevil000","folder":"..","state":"complete","files":[{"path":"../../etc/passwd","kind":"result","bytes":1,"sha256":""}]}"#;
    std::io::Write::write_all(&mut journal, format!("{evil}\n").as_bytes()).unwrap();
    let archive = Archive::open(&out).unwrap();
    assert!(
        archive
            .problems()
            .iter()
            .any(|p| p == "the record of IDPevil000 names an unsafe folder; ignored"),
        "{:?}",
        archive.problems()
    );
    let e = archive.result("IDPevil000").unwrap_err();
    assert!(matches!(e, ArchiveError::Missing { .. }), "{e:?}");
    assert!(
        e.to_string()
            .starts_with("process IDPevil000 is not in the archive (the export did not reach it)"),
        "{e}"
    );

    // A safe folder of its own, but a file outside it: refused when read, never followed.
    let secret = tmp.path().join("secret.json");
    std::fs::write(&secret, b"{}").unwrap();
    std::fs::create_dir(out.join("IDPevil001")).unwrap();
    let outside = r#"{"process_id":"IDPevil001","folder":"IDPevil001","state":"complete","files":[{"path":"../../secret.json","kind":"result","bytes":2,"sha256":""},{"path":"images/../../../secret.json","kind":"image","validation_id":"V","field":"front_image","bytes":2,"sha256":""}]}"#;
    // And a record that claims another process's folder.
    let other = format!(
        r#"{{"process_id":"IDPevil002","folder":"{}","state":"complete","files":[]}}"#,
        record.folder
    );
    std::io::Write::write_all(&mut journal, format!("{outside}\n{other}\n").as_bytes()).unwrap();
    let archive = Archive::open(&out).unwrap();
    for e in [
        archive.result("IDPevil001").unwrap_err(),
        archive
            .image("IDPevil001", "V", "front_image", None)
            .unwrap_err(),
    ] {
        assert!(matches!(e, ArchiveError::Damaged { .. }), "{e:?}");
        assert!(
            e.to_string()
                .contains("its recorded path leaves its folder"),
            "{e}"
        );
    }
    assert!(
        archive
            .problems()
            .iter()
            .any(|p| p == "the record of IDPevil002 names a folder that is not its own; ignored"),
        "{:?}",
        archive.problems()
    );
    assert!(matches!(
        archive.result("IDPevil002"),
        Err(ArchiveError::Missing { .. })
    ));
    server.shutdown().await;
}

#[tokio::test]
async fn an_ids_file_narrows_an_archive() {
    let server = start(10).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    export(&server, &out, Silent, Stop::never()).await;
    let mut archive = Archive::open(&out).unwrap();
    let ids = server.process_ids();
    let wanted = vec![ids[3].clone(), "IDPnotexported".to_owned(), ids[1].clone()];
    archive.retain_ids(&wanted);
    let shown: Vec<_> = archive
        .processes()
        .iter()
        .filter_map(|p| p.process_id.clone())
        .collect();
    assert_eq!(shown, wanted);
    assert!(
        archive
            .problems()
            .iter()
            .any(|p| p == "1 id of the ids file not in the archive")
    );
    assert!(
        archive.processes()[0].status.is_some(),
        "rows keep their list fields"
    );
    assert!(matches!(
        Archive::open(tmp.path().join("nope")),
        Err(ArchiveError::NotAFolder { .. })
    ));
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        Archive::open(empty.path()),
        Err(ArchiveError::Empty { .. })
    ));
    server.shutdown().await;
}
