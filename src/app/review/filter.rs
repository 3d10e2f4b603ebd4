//! The review filter (`F`): which processes the list shows by their review.

use crate::review::{Mark, OverrideState};

/// The review filter: which processes the list shows by their review.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ReviewFilter {
    #[default]
    All,
    Unreviewed,
    Reviewed,
    Escalated,
    /// Overrides decided here and not yet applied in Truora (pending or stale).
    OverridesToApply,
}

impl ReviewFilter {
    pub fn next(self) -> ReviewFilter {
        match self {
            ReviewFilter::All => ReviewFilter::Unreviewed,
            ReviewFilter::Unreviewed => ReviewFilter::Reviewed,
            ReviewFilter::Reviewed => ReviewFilter::Escalated,
            ReviewFilter::Escalated => ReviewFilter::OverridesToApply,
            ReviewFilter::OverridesToApply => ReviewFilter::All,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ReviewFilter::All => "all",
            ReviewFilter::Unreviewed => "unreviewed",
            ReviewFilter::Reviewed => "reviewed",
            ReviewFilter::Escalated => "escalated",
            ReviewFilter::OverridesToApply => "overrides to apply",
        }
    }

    pub fn admits(self, mark: Option<&Mark>) -> bool {
        let reviewed = mark.is_some_and(Mark::is_reviewed);
        match self {
            ReviewFilter::All => true,
            ReviewFilter::Unreviewed => !reviewed,
            ReviewFilter::Reviewed => reviewed,
            ReviewFilter::Escalated => mark.is_some_and(Mark::escalated),
            ReviewFilter::OverridesToApply => mark
                .and_then(|m| m.override_mark)
                .is_some_and(|o| o.state != OverrideState::Applied),
        }
    }
}
