//! A process's review at a glance: the list's badge and its legend, and the status a decision is
//! checked against.

use crate::api::model::{ProcessResult, ProcessSummary, Status};
use crate::review::{Mark, OverrideState, Verdict};

/// Truora's status as a decision sees it: the loaded result's (overrides included), else the
/// list row's.
pub fn status_for_decision(
    result: Option<&ProcessResult>,
    row: Option<&ProcessSummary>,
) -> Option<Status> {
    result
        .and_then(crate::review::truora_status_of)
        .or_else(|| row.and_then(|r| r.status.clone()))
}

/// The mark as five fixed cells that read without colour: verdict (`✓` pass, `✗` fail, `!`
/// escalated), override (`→` to apply, `=` applied, `~` stale: Truora's status moved since),
/// `✎` notes, `≠` conflicting decisions, `⊘` open by another reviewer. Blank when unreviewed.
pub fn badge(mark: Option<&Mark>, taken: bool) -> [char; 5] {
    let mut cells = [' '; 5];
    if let Some(m) = mark {
        cells[0] = match m.verdict() {
            Some(Verdict::Pass) => '✓',
            Some(Verdict::Fail) => '✗',
            Some(Verdict::Escalate) => '!',
            None => ' ',
        };
        cells[1] = match m.override_mark.map(|o| o.state) {
            Some(OverrideState::Pending) => '→',
            Some(OverrideState::Applied) => '=',
            Some(OverrideState::Stale) => '~',
            None if m.outdated => '~',
            None => ' ',
        };
        if m.notes > 0 {
            cells[2] = '✎';
        }
        if m.conflict {
            cells[3] = '≠';
        }
    }
    if taken {
        cells[4] = '⊘';
    }
    cells
}

/// The legend of [`badge`] (and [`ReviewDesk::badge_of`]'s `…`), for the help overlay.
pub const BADGE_LEGEND: &str = "✓ pass  ✗ fail  ! escalated  → override to apply  = applied  ~ stale  ✎ note  ≠ conflict  ⊘ open by another reviewer  … not recorded yet";
