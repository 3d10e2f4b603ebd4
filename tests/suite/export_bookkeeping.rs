//! The archive's bookkeeping when it cannot be taken at its word: a final manifest that could not
//! be written (a full disk) leaves it `running`, which the export says and `--archive` explains;
//! a damaged or foreign manifest is said, with what was read instead; and an archive written by
//! an earlier version still reads.

use crate::export_support;

use std::path::Path;
use std::sync::{Mutex, Once};

use export_support::*;
use truora_tui::archive::Archive;
use truora_tui::demo::{DEMO_API_KEY, ProcessFault};
use truora_tui::export::format::{MANIFEST, PROCESSES, ProcessState, RunState};
use truora_tui::export::{Event, ExportError, Silent, Snapshot, Stop, manifest};

#[tokio::test]
async fn a_final_manifest_that_cannot_be_written_is_said_and_explained_by_the_archive() {
    let server = start(20).await;
    let broken = server.process_ids()[3].clone();
    server.set_process_fault(&broken, Some(ProcessFault::Status(500)));
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let started = tmp.path().join("manifest-as-started.json");

    // Once a process is done: open the archive while the export holds it, then make the final
    // manifest impossible to write, as a full disk does (it cannot replace the one of the start;
    // a folder in its place refuses the rename even to root).
    let during: &'static Mutex<Vec<String>> = Box::leak(Box::default());
    let once: &'static Once = Box::leak(Box::new(Once::new()));
    let (dir, keep) = (out.clone(), started.clone());
    let reporter = move |event: Event<'_>, _: &Snapshot| {
        if matches!(event, Event::ProcessDone { .. }) {
            once.call_once(|| {
                let archive = Archive::open(&dir).expect("opens while exporting");
                *during.lock().unwrap() = archive.problems().to_vec();
                std::fs::rename(dir.join(MANIFEST), &keep).unwrap();
                std::fs::create_dir(dir.join(MANIFEST)).unwrap();
                std::fs::write(dir.join(MANIFEST).join("in-the-way"), b"").unwrap();
            });
        }
    };
    let client = client(&server, DEMO_API_KEY, 8);
    let outcome =
        truora_tui::export::run(client, export_options(&out, 8), reporter, Stop::never()).await;

    let during = during.lock().unwrap().join("\n");
    assert!(
        during.contains(
            "an export is writing to this archive right now (manifest.json says running)"
        ),
        "{during}"
    );
    let e = outcome.expect_err("the manifest could not be written");
    assert!(
        matches!(e.cause(), ExportError::ManifestNotWritten { .. }),
        "{e:?}"
    );
    assert_eq!(e.exit_code(), 1);
    let text = e.to_string();
    assert!(
        text.contains("so it still says the export is running: what became of each process is in progress.jsonl"),
        "{text}"
    );
    let summary = e.summary().expect("the run's summary");
    assert!(!summary.manifest_written);
    assert_eq!(summary.failed.len(), 1, "{:?}", summary.failed);
    let rendered = summary.render();
    assert!(
        rendered.contains(
            "failed processes are listed above and in progress.jsonl (manifest.json could not be written)"
        ),
        "{rendered}"
    );
    assert!(!rendered.contains("in manifest.json"), "{rendered}");

    // What the disk leaves: the manifest of the start, still `running`, without records.
    std::fs::remove_dir_all(out.join(MANIFEST)).unwrap();
    std::fs::rename(&started, out.join(MANIFEST)).unwrap();
    let m = manifest::read_manifest(&out).unwrap().unwrap();
    assert_eq!(m.head.state, RunState::Running);
    assert!(m.processes.is_none());

    // The archive explains it and takes each process's state from the journal.
    let archive = Archive::open(&out).unwrap();
    let problems = archive.problems().join("\n");
    assert!(
        problems.contains(
            "manifest.json still says the export is running, but no export is: it was stopped or crashed, or could not write its end (a full disk); the state of each process comes from progress.jsonl (20 records), not from the manifest"
        ),
        "{problems}"
    );
    assert!(
        problems.contains("1 process failed to export"),
        "{problems}"
    );
    assert_eq!(archive.processes().len(), 20);
    let fine = server.process_ids()[4].clone();
    assert!(archive.result(&fine).is_ok());
    assert!(archive.result(&broken).is_err());

    // The next run writes the manifest whole again.
    server.set_process_fault(&broken, None);
    let again = export(&server, &out, Silent, Stop::never()).await;
    assert!(again.manifest_written && again.failed.is_empty());
    let m = manifest::read_manifest(&out).unwrap().unwrap();
    assert_eq!(m.head.state, RunState::Complete);
    assert_eq!(m.processes.map(|p| p.len()), Some(20));
    let problems = Archive::open(&out).unwrap().problems().join("\n");
    assert!(!problems.contains("running"), "{problems}");
    server.shutdown().await;
}

#[tokio::test]
async fn a_damaged_or_foreign_manifest_is_said_with_what_was_read_instead() {
    // Enough processes for the demo to have expired ones (its data is fixed by a seed).
    let server = start(40).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    export(&server, &out, Silent, Stop::never()).await;
    let id = server.process_ids()[2].clone();

    std::fs::write(out.join(MANIFEST), b"{\"format\": \"truora-tui-exp").unwrap();
    // Without the list file the rows come from the records, with the live list's fields.
    std::fs::remove_file(out.join(PROCESSES)).unwrap();
    let archive = Archive::open(&out).unwrap();
    assert_eq!(
        archive.problems()[0],
        "manifest.json is damaged (EOF while parsing a string at line 1 column 26) and was not used: the states and checksums of 40 processes come from progress.jsonl; what the export was asked (filters, --no-images, --no-details) is unknown"
    );
    assert!(archive.head().is_none());
    assert_eq!(archive.processes().len(), 40);
    assert!(
        archive.result(&id).is_ok(),
        "read from the journal's record"
    );
    let mut expired = 0;
    for row in archive.processes() {
        let (_, result) = archive.result(row.process_id.as_deref().unwrap()).unwrap();
        let live = result.raw.get("expired_reason").and_then(|v| v.as_str());
        assert_eq!(row.expired_reason.as_deref(), live);
        assert_eq!(row.status, result.status);
        expired += usize::from(live.is_some());
    }
    assert!(expired > 0, "the demo has expired processes");

    // Valid JSON that is not ours is not read as an export's manifest either.
    std::fs::write(
        out.join(MANIFEST),
        br#"{"format": "someone-else", "state": "complete", "processes": []}"#,
    )
    .unwrap();
    let archive = Archive::open(&out).unwrap();
    assert!(
        archive.problems()[0].starts_with(
            "manifest.json is not the manifest of an export (its format is \"someone-else\", not \"truora-tui-export\") and was not used: the states and checksums of 40 processes come from progress.jsonl"
        ),
        "{:?}",
        archive.problems()
    );
    assert!(archive.head().is_none());
    server.shutdown().await;
}

/// An archive as version 0.1 wrote it (a `state` string, records without the fields that have
/// defaults): still read.
#[test]
fn an_archive_written_by_an_earlier_version_still_reads() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/archive-v1");
    let m = manifest::read_manifest(&dir).unwrap().expect("manifest");
    assert_eq!(m.head.state, RunState::Incomplete);
    let records = m.processes.expect("records");
    assert_eq!(records.len(), 2);
    assert_eq!(records[1].state, ProcessState::Failed);

    let archive = Archive::open(&dir).unwrap();
    let rows = archive.processes();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].process_id.as_deref(), Some("IDPfixture0001"));
    assert_eq!(rows[0].declined_reason.as_deref(), Some("document_expired"));
    let (_, result) = archive.result("IDPfixture0001").expect("checksum matches");
    assert_eq!(result.process_id.as_deref(), Some("IDPfixture0001"));
    let problems = archive.problems().join("\n");
    assert!(
        problems.contains("1 process failed to export"),
        "{problems}"
    );
    assert!(!problems.contains("manifest.json"), "{problems}");
}

/// A journal lost since the last run is rebuilt from the manifest's records (streamed), and the
/// run resumes from them: nothing complete is fetched again.
#[tokio::test]
async fn a_lost_journal_is_rebuilt_from_the_manifest() {
    let server = start(20).await;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("archive");
    let first = export(&server, &out, Silent, Stop::never()).await;
    assert_eq!(first.counts.exported, 20);
    let journal = out.join(truora_tui::export::format::JOURNAL);
    std::fs::remove_file(&journal).unwrap();

    server.clear_requests();
    let again = export(&server, &out, Silent, Stop::never()).await;
    let pending = pending_processes(&server);
    assert_eq!(again.counts.skipped as usize, 20 - pending.len());
    assert_eq!(again.counts.exported as usize, pending.len());
    let refetched: std::collections::BTreeSet<String> =
        result_requests(&server.requests()).into_iter().collect();
    assert_eq!(refetched, pending);
    let mut lines = 0;
    manifest::read_journal(&out, |_, r| {
        assert_eq!(r.state, ProcessState::Complete);
        lines += 1;
    })
    .unwrap();
    assert_eq!(lines, 20, "compacted to one record per process");
    server.shutdown().await;
}
