//! What the access log records of a run. The export describes its own run (the options as flag
//! values, its [`Counts`], the folder, how it ended) and hands the record to the log, which
//! knows nothing of the export's types.

use super::{ExportError, ExportOptions, ExportSummary};
use crate::audit::{AuditEvent, Code, ExportOutcome, ExportRunOptions, NamedCounts};

/// The record of one run of `opts` that ended with `outcome`.
pub(super) fn export_run(
    opts: &ExportOptions,
    outcome: &Result<ExportSummary, ExportError>,
) -> AuditEvent {
    let (status, since, until) = &opts.filter.text;
    let code = |text: &Option<String>| text.as_deref().map(Code::new);
    let options = ExportRunOptions {
        status: code(status),
        since: code(since),
        until: code(until),
        ids_file: opts.ids.as_ref().map(|ids| {
            ids.file
                .clone()
                .unwrap_or_else(|| format!("{} ids", ids.ids.len()))
        }),
        images: opts.images,
        details: opts.details,
        concurrency: opts.concurrency,
    };
    let summary = match outcome {
        Ok(summary) => Some(summary),
        Err(e) => e.summary(),
    };
    let counts = summary.map(|s| s.counts).unwrap_or_default();
    let outcome = match outcome {
        Ok(s) if s.interrupted => ExportOutcome::Interrupted,
        Ok(s) if s.exit_code() != 0 => ExportOutcome::Partial,
        Ok(_) => ExportOutcome::Completed,
        Err(_) => ExportOutcome::Failed,
    };
    AuditEvent::ExportRun {
        options,
        counts: NamedCounts::of(&counts),
        destination: opts.out.to_string_lossy().into_owned(),
        outcome,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Counts, Filter, IdsInput};
    use super::*;

    fn json(opts: &ExportOptions, outcome: &Result<ExportSummary, ExportError>) -> String {
        serde_json::to_string(&export_run(opts, outcome)).expect("serialises")
    }

    /// The records are byte for byte those the access log held before the export described its
    /// own run (logs already written verify and read the same).
    #[test]
    fn records_keep_the_logs_format() {
        let mut opts = ExportOptions::new("/tmp/out");
        opts.filter = Filter::parse(Some("failure"), Some("2024-01-01"), None).expect("flags");
        let summary = ExportSummary {
            counts: Counts {
                listed: 9,
                exported: 5,
                skipped: 2,
                failed: 1,
                images: 7,
                files: 11,
                bytes: 1234,
            },
            failed: vec![("IDP1".into(), "refused".into())],
            ..ExportSummary::default()
        };
        let options = r#""options":{"status":"failure","since":"2024-01-01","images":true,"details":true,"concurrency":8}"#;
        assert_eq!(
            json(&opts, &Ok(summary)),
            format!(
                r#"{{"kind":"export_run",{options},"counts":{{"listed":9,"exported":5,"skipped":2,"failed":1,"images":7,"files":11,"bytes":1234}},"destination":"/tmp/out","outcome":"partial"}}"#
            )
        );
        let locked = Err(ExportError::Locked { dir: "/x".into() });
        assert_eq!(
            json(&opts, &locked),
            format!(
                r#"{{"kind":"export_run",{options},"counts":{{"listed":0,"exported":0,"skipped":0,"failed":0,"images":0,"files":0,"bytes":0}},"destination":"/tmp/out","outcome":"failed"}}"#
            )
        );
        let mut by_ids = ExportOptions::new("/tmp/o2");
        by_ids.ids = Some(IdsInput {
            ids: vec!["a".into(), "b".into()],
            file: None,
        });
        let interrupted = Ok(ExportSummary {
            interrupted: true,
            ..ExportSummary::default()
        });
        assert_eq!(
            json(&by_ids, &interrupted),
            r#"{"kind":"export_run","options":{"ids_file":"2 ids","images":true,"details":true,"concurrency":8},"counts":{"listed":0,"exported":0,"skipped":0,"failed":0,"images":0,"files":0,"bytes":0},"destination":"/tmp/o2","outcome":"interrupted"}"#
        );
    }

    #[test]
    fn a_run_stopped_by_an_error_records_what_it_did() {
        let opts = ExportOptions::new("/tmp/out");
        let stopped = Err(ExportError::Stopped {
            error: Box::new(ExportError::Locked { dir: "/x".into() }),
            summary: Box::new(ExportSummary {
                counts: Counts {
                    exported: 3,
                    ..Counts::default()
                },
                ..ExportSummary::default()
            }),
        });
        let AuditEvent::ExportRun {
            counts, outcome, ..
        } = export_run(&opts, &stopped)
        else {
            panic!("an export_run record");
        };
        assert_eq!(
            (counts.get("exported"), outcome),
            (Some(3), ExportOutcome::Failed)
        );
    }
}
