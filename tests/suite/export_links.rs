//! Links planted inside `--out` before a resume: a process folder, an image folder, a file, and
//! the folder of a process the first run never reached. Nothing is written outside, each
//! refused process fails naming the link, and `--out` itself may be a link.
#![cfg(unix)]

use crate::export_support;

use std::collections::BTreeSet;
use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use export_support::*;
use truora_tui::demo::DEMO_API_KEY;
use truora_tui::export::format::{FileKind, ProcessState};
use truora_tui::export::{Event, ExportSummary, Progress, Silent, Snapshot, Stop, layout};

/// Every path under `dir` with its bytes (files) or link target, sorted: equal before and after
/// means nothing in it was written, removed or replaced.
fn snapshot(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = fs::symlink_metadata(&path).unwrap();
            let what = if meta.is_dir() {
                stack.push(path.clone());
                "folder".to_owned()
            } else if meta.is_symlink() {
                format!("link to {}", fs::read_link(&path).unwrap().display())
            } else {
                format!("{:?}", fs::read(&path).unwrap())
            };
            out.push((path, what));
        }
    }
    out.sort();
    out
}

async fn run(
    server: &truora_tui::demo::DemoServer,
    out: &Path,
    concurrency: usize,
    reporter: impl Progress,
    stop: Stop,
) -> ExportSummary {
    let client = client(server, DEMO_API_KEY, concurrency);
    truora_tui::export::run(client, export_options(out, concurrency), reporter, stop)
        .await
        .expect("export runs")
}

/// A folder beside the archive holding a decoy file, for a link to point at.
fn decoy(tmp: &Path, name: &str, file: &str) -> PathBuf {
    let dir = tmp.join(name);
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join(file), b"decoy: not theirs to overwrite").unwrap();
    dir
}

#[tokio::test]
async fn links_planted_before_a_resume_are_never_written_through() {
    const PROCESSES: usize = 16;
    let server = start(PROCESSES).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");

    // A first run stopped after four processes: the rest are not reached.
    let (handle, stop) = Stop::new();
    let done = Arc::new(AtomicU64::new(0));
    let counter = done.clone();
    let reporter = move |event: Event<'_>, _: &Snapshot| {
        if let Event::ProcessDone { skipped: false, .. } = event
            && counter.fetch_add(1, Ordering::SeqCst) + 1 == 4
        {
            handle.stop();
        }
    };
    let first = run(&server, &out, 1, reporter, stop).await;
    assert!(first.interrupted);

    let records = records(&out);
    let with_images: Vec<_> = records
        .iter()
        .filter(|r| r.state == ProcessState::Complete)
        .filter(|r| r.files.iter().any(|f| f.kind == FileKind::Image))
        .collect();
    assert!(with_images.len() >= 2, "two complete processes with images");
    let reached: BTreeSet<&str> = records.iter().map(|r| r.process_id.as_str()).collect();
    let unreached = server
        .process_ids()
        .into_iter()
        .find(|id| !reached.contains(id.as_str()))
        .expect("a process the first run did not reach");

    // 1. A reached process's folder becomes a link.
    let (folder_id, folder) = (&with_images[0].process_id, &with_images[0].folder);
    let outside_folder = decoy(tmp.path(), "outside-folder", "result.json");
    fs::remove_dir_all(out.join(folder)).unwrap();
    symlink(&outside_folder, out.join(folder)).unwrap();
    // 2. Another's image folder becomes a link to a folder holding its image names.
    let images_id = &with_images[1].process_id;
    let images = out.join(&with_images[1].folder).join(layout::IMAGES);
    let outside_images = tmp.path().join("outside-images");
    fs::create_dir(&outside_images).unwrap();
    for entry in fs::read_dir(&images).unwrap() {
        let name = entry.unwrap().file_name();
        fs::write(outside_images.join(name), b"decoy").unwrap();
    }
    fs::remove_dir_all(&images).unwrap();
    symlink(&outside_images, &images).unwrap();
    // 3. The folder of a process not reached yet is a link.
    let outside_unreached = decoy(tmp.path(), "outside-unreached", "result.json");
    let unreached_folder = out.join(layout::id_name(&unreached));
    symlink(&outside_unreached, &unreached_folder).unwrap();
    // 4. A file: a third process's result.json is a link to a file outside.
    let file_link = records
        .iter()
        .find(|r| {
            r.state == ProcessState::Complete
                && &r.process_id != folder_id
                && &r.process_id != images_id
        })
        .map(|r| out.join(&r.folder).join(layout::RESULT))
        .expect("a third complete process");
    let outside_file = decoy(tmp.path(), "outside-file", "target.json");
    fs::remove_file(&file_link).unwrap();
    symlink(outside_file.join("target.json"), &file_link).unwrap();

    let outside = [
        &outside_folder,
        &outside_images,
        &outside_unreached,
        &outside_file,
    ];
    let before: Vec<_> = outside.iter().map(|d| snapshot(d)).collect();
    let second = run(&server, &out, 8, Silent, Stop::never()).await;
    let after: Vec<_> = outside.iter().map(|d| snapshot(d)).collect();
    assert_eq!(before, after, "nothing outside --out was written");

    assert_eq!(second.exit_code(), 1, "some processes failed");
    let failed: std::collections::HashMap<&str, &str> = second
        .failed
        .iter()
        .map(|(id, e)| (id.as_str(), e.as_str()))
        .collect();
    for (id, link) in [
        (folder_id.as_str(), out.join(folder)),
        (images_id.as_str(), images.clone()),
        (unreached.as_str(), unreached_folder.clone()),
    ] {
        let error = failed
            .get(id)
            .unwrap_or_else(|| panic!("{id} failed: {:?}", second.failed));
        assert!(
            error.contains(&format!("{} is a symbolic link", link.display())),
            "{id}: {error}"
        );
        // The link is still there, as planted.
        assert!(fs::symlink_metadata(&link).unwrap().is_symlink());
    }
    assert_eq!(failed.len(), 3, "only the planted ones fail: {failed:?}");
    // The linked result.json was replaced by the real one, not written through.
    let meta = fs::symlink_metadata(&file_link).unwrap();
    assert!(meta.is_file() && !meta.is_symlink());
    assert!(layout::temp_files(&out).is_empty());
}

#[tokio::test]
async fn out_itself_may_be_a_link() {
    let server = start(4).await;
    let tmp = tempfile::tempdir().unwrap();
    let real = tmp.path().join("real");
    fs::create_dir(&real).unwrap();
    let named = tmp.path().join("named");
    symlink(&real, &named).unwrap();
    let first = run(&server, &named, 4, Silent, Stop::never()).await;
    assert_eq!(first.failed, Vec::new());
    assert!(real.join(layout::MANIFEST).is_file());
    assert!(fs::symlink_metadata(&named).unwrap().is_symlink());
    // A process folder others can read (and its image folder) is made private before the
    // resumed run writes into it.
    let loose = records(&real)
        .into_iter()
        .find(|r| r.state == ProcessState::Complete)
        .expect("a complete process");
    let folder = real.join(&loose.folder);
    fs::remove_file(folder.join(layout::RESULT)).unwrap();
    fs::create_dir_all(folder.join(layout::IMAGES)).unwrap();
    fs::set_permissions(&folder, fs::Permissions::from_mode(0o777)).unwrap();
    fs::set_permissions(
        folder.join(layout::IMAGES),
        fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let again = run(&server, &named, 4, Silent, Stop::never()).await;
    assert!(
        folder.join(layout::RESULT).is_file(),
        "the process was redone"
    );
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&folder), 0o700);
    assert_eq!(mode(&folder.join(layout::IMAGES)), 0o700);
    assert_eq!(again.failed, Vec::new());
    assert_eq!(again.exit_code(), 0);
    assert!(
        again.counts.skipped > 0,
        "the second run resumed through the link"
    );
}
