//! The `export_run` record: the options an export was given, what it wrote, where.

use super::event::{AuditEvent, Code, ExportCounts, ExportOutcome, ExportRunOptions};
use crate::export::{ExportError, ExportOptions, ExportSummary};

/// The record for one run of `opts` that ended with `outcome`.
pub fn export_run(
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
    let counts = summary.map_or_else(ExportCounts::default, |s| ExportCounts {
        listed: s.listed,
        exported: s.exported,
        skipped: s.skipped,
        failed: s.failed.len() as u64,
        images: s.images,
        files: s.files,
        bytes: s.bytes,
    });
    let outcome = match outcome {
        Ok(s) if s.interrupted => ExportOutcome::Interrupted,
        Ok(s) if s.exit_code() != 0 => ExportOutcome::Partial,
        Ok(_) => ExportOutcome::Completed,
        Err(_) => ExportOutcome::Failed,
    };
    AuditEvent::ExportRun {
        options,
        counts,
        destination: opts.out.to_string_lossy().into_owned(),
        outcome,
    }
}
