//! What `r` says when it is done. The answer to the refresh's own request is what ends it, so
//! the status moves from "refreshing…" to what came back (or what went wrong) exactly when the
//! worker answers, never on a timer.

use std::sync::Arc;

use super::pane::{ResultView, TreePane};
use crate::api::model::ProcessResult;
use crate::app::outbox::Outbox;
use crate::sanitize::terminal_text;

impl TreePane {
    /// The refreshed result of `process_id` arrived (`old` is what was shown before): says
    /// whether anything changed, when the process is still on screen.
    pub fn refreshed(
        &self,
        process_id: &str,
        old: Option<Arc<ProcessResult>>,
        new: &ProcessResult,
        out: &mut Outbox,
    ) {
        if self.view().process_id() != Some(process_id) {
            return;
        }
        let id = terminal_text(process_id);
        let news = match old {
            Some(old) if old.raw == new.raw => "no change".to_owned(),
            Some(old) if old.status != new.status => {
                format!("status {} → {}", status_text(&old), status_text(new))
            }
            Some(_) => "updated".to_owned(),
            None => "loaded".to_owned(),
        };
        out.info(format!("refreshed {id}: {news}"));
    }

    /// The refresh failed. The tree already on screen stays (it is what was loaded before) and
    /// the error says so; with nothing shown, the pane shows the error as any failed fetch.
    /// Returns false when the failure is left to the ordinary path.
    pub fn refresh_failed(&self, process_id: &str, error: &str, out: &mut Outbox) -> bool {
        let shown =
            matches!(self.view(), ResultView::Ready { process_id: p, .. } if p == process_id);
        if shown {
            out.error(format!(
                "refreshing {} failed: {}; showing what was loaded before (r tries again)",
                terminal_text(process_id),
                terminal_text(error)
            ));
        }
        shown
    }

    /// The refresh's request was given up (its task stopped) while its process is on screen.
    pub(super) fn refresh_cancelled(&self, process_id: &str, out: &mut Outbox) {
        if self.view().process_id() == Some(process_id) {
            out.info(format!(
                "refreshing {} stopped (r tries again)",
                terminal_text(process_id)
            ));
        }
    }
}

fn status_text(result: &ProcessResult) -> String {
    result
        .status
        .as_ref()
        .map_or_else(|| "no status".to_owned(), ToString::to_string)
}
