//! What a run of the export did, counted once: the progress display reads it as the run goes
//! ([`super::Snapshot`]), the summary at the end ([`super::ExportSummary`]), and the access log
//! records it as it is handed over (see `access_log.rs`).

use serde::Serialize;

/// One run's counters. The field names and their order are what the access log writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Processes in scope (after filters), as far as the list has been read.
    pub listed: u64,
    /// Exported in this run.
    pub exported: u64,
    /// Already complete from an earlier run.
    pub skipped: u64,
    /// Failed in this run.
    pub failed: u64,
    pub images: u64,
    pub files: u64,
    pub bytes: u64,
}

impl Counts {
    /// Processes done one way or another: exported, skipped or failed.
    pub fn finished(&self) -> u64 {
        self.exported
            .saturating_add(self.skipped)
            .saturating_add(self.failed)
    }

    /// Processes neither exported, skipped nor failed (only after an interruption).
    pub fn not_reached(&self) -> u64 {
        self.listed.saturating_sub(self.finished())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_finished_was_not_reached() {
        let counts = Counts {
            listed: 10,
            exported: 4,
            skipped: 3,
            failed: 1,
            ..Counts::default()
        };
        assert_eq!((counts.finished(), counts.not_reached()), (8, 2));
        let odd = Counts {
            listed: 1,
            exported: u64::MAX,
            skipped: 1,
            ..Counts::default()
        };
        assert_eq!((odd.finished(), odd.not_reached()), (u64::MAX, 0));
    }
}
