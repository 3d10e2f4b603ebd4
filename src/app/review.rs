//! The review desk's state in the browser: every decision event the store holds (by process), the
//! mark derived from them, who has which process open, the review filter and the inputs (reason
//! picker, note editor). Pure: the store lives in its own task (`crate::reviewdesk`), and
//! everything here changes only through `App::update`.

use std::collections::HashMap;

use super::list::{ProcessList, RowGate, StatusFilter};
use super::review_input::{NoteEditor, ReasonPicker};
use crate::api::model::{ProcessResult, ProcessSummary, Status};
use crate::review::{Event, EventKind, HistoryLine, Mark, OverrideState, Verdict};

/// Whether decisions can be recorded, and if not, why (said when the user tries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    Writable,
    /// Marks are shown, nothing can be recorded.
    ReadOnly(String),
    /// No store: no marks, nothing can be recorded.
    Unavailable(String),
}

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

/// The review filter as the list applies it: a snapshot of the marks taken when the filter was
/// set, so rows do not vanish under the cursor as the reviewer decides (a queue of unreviewed
/// processes keeps its decided rows until the filter is applied again). The process selected
/// then always passes.
#[derive(Debug)]
struct Gate {
    filter: ReviewFilter,
    marks: HashMap<String, Mark>,
    keep: Option<String>,
}

impl RowGate for Gate {
    fn admits(&self, row: &ProcessSummary) -> bool {
        let Some(id) = row.process_id.as_deref() else {
            return self.filter == ReviewFilter::Unreviewed;
        };
        self.keep.as_deref() == Some(id) || self.filter.admits(self.marks.get(id))
    }
}

/// The input open over the panes, if any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ReviewInput {
    #[default]
    None,
    Picker(ReasonPicker<Verdict>),
    Note(NoteEditor),
}

/// `reviewed N of M` of the rows the list shows, recounted only when the rows or the marks
/// change (never per frame: 100,000 rows take milliseconds to count).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub reviewed: usize,
    pub of: usize,
    key: Option<CountKey>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct CountKey {
    rows: usize,
    visible: usize,
    filter: String,
    status: StatusFilter,
    review: ReviewFilter,
    generation: u64,
}

#[derive(Debug)]
pub struct ReviewDesk {
    pub(super) access: Access,
    pub(super) reviewer: String,
    events: HashMap<String, Vec<Event>>,
    marks: HashMap<String, Mark>,
    /// Processes other reviewers have open: process → reviewer.
    taken: HashMap<String, String>,
    pub(super) filter: ReviewFilter,
    pub(super) input: ReviewInput,
    /// The process this browser last asked to hold (lease).
    pub(super) held: Option<String>,
    /// Bumped whenever a mark changes.
    generation: u64,
    counts: Counts,
    pub(super) prefetch: super::review_prefetch::Prefetch,
}

impl Default for ReviewDesk {
    fn default() -> Self {
        ReviewDesk {
            access: Access::Unavailable("the review store is not open".into()),
            reviewer: String::new(),
            events: HashMap::new(),
            marks: HashMap::new(),
            taken: HashMap::new(),
            filter: ReviewFilter::All,
            input: ReviewInput::None,
            held: None,
            generation: 0,
            counts: Counts::default(),
            prefetch: Default::default(),
        }
    }
}

impl ReviewDesk {
    pub fn access(&self) -> &Access {
        &self.access
    }

    pub fn reviewer(&self) -> &str {
        &self.reviewer
    }

    pub fn filter(&self) -> ReviewFilter {
        self.filter
    }

    pub fn input(&self) -> &ReviewInput {
        &self.input
    }

    pub fn mark(&self, process_id: &str) -> Option<&Mark> {
        self.marks.get(process_id)
    }

    /// The other reviewer who has this process open, if any.
    pub fn taken_by(&self, process_id: &str) -> Option<&str> {
        self.taken.get(process_id).map(String::as_str)
    }

    pub fn events(&self, process_id: &str) -> &[Event] {
        self.events.get(process_id).map_or(&[], Vec::as_slice)
    }

    pub fn history(&self, process_id: &str) -> Vec<HistoryLine> {
        crate::review::history(self.events(process_id))
    }

    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    pub fn has_marks(&self) -> bool {
        !self.marks.is_empty()
    }

    /// Adds events (from the store or an answer); known ones are ignored. Returns the processes
    /// whose events changed, so their marks (and an open tree's history) are derived again.
    pub(super) fn add_events(&mut self, events: Vec<Event>) -> Vec<String> {
        let mut changed = Vec::new();
        for event in events {
            let list = self.events.entry(event.process_id.clone()).or_default();
            if list.iter().any(|e| e.id == event.id) {
                continue;
            }
            if !changed.contains(&event.process_id) {
                changed.push(event.process_id.clone());
            }
            let at = list.partition_point(|e| e.id < event.id);
            list.insert(at, event);
        }
        changed
    }

    /// Derives the mark of one process from its events and what is known of Truora's status:
    /// the loaded result (its overrides included) or nothing; a process whose result was never
    /// loaded shows an override as still to apply until loading it proves otherwise.
    pub(super) fn remark(&mut self, process_id: &str, result: Option<&ProcessResult>) {
        let events = self.events(process_id);
        if events.is_empty() {
            if self.marks.remove(process_id).is_some() {
                self.generation += 1;
            }
            return;
        }
        let current = result.and_then(crate::review::truora_status_of);
        let history = result.map(|r| r.override_history.as_slice());
        let mark = crate::review::derive(events, current.as_ref(), history);
        if self.marks.get(process_id) != Some(&mark) {
            self.marks.insert(process_id.to_owned(), mark);
            self.generation += 1;
        }
    }

    pub(super) fn set_taken(&mut self, taken: Vec<(String, String)>) {
        let taken: HashMap<String, String> = taken.into_iter().collect();
        if taken != self.taken {
            self.taken = taken;
            self.generation += 1;
        }
    }

    /// Whether "next unreviewed" may stop here: not reviewed, not open elsewhere.
    pub fn is_open_for_review(&self, process_id: &str) -> bool {
        !self.marks.get(process_id).is_some_and(Mark::is_reviewed)
            && !self.taken.contains_key(process_id)
    }

    /// The gate the list applies for the current filter (none for `All`).
    pub(super) fn gate(&self, selected: Option<&str>) -> Option<Box<dyn RowGate>> {
        if self.filter == ReviewFilter::All {
            return None;
        }
        Some(Box::new(Gate {
            filter: self.filter,
            marks: self.marks.clone(),
            keep: selected.map(str::to_owned),
        }))
    }

    /// Recounts `reviewed N of M` if the visible rows or the marks changed since the last count.
    pub(super) fn recount(&mut self, list: &ProcessList) {
        let key = CountKey {
            rows: list.len(),
            visible: list.visible_len(),
            filter: list.filter().to_owned(),
            status: list.status_filter(),
            review: self.filter,
            generation: self.generation,
        };
        if self.counts.key.as_ref() == Some(&key) {
            return;
        }
        let reviewed = if self.marks.is_empty() {
            0
        } else {
            list.visible()
                .iter()
                .filter_map(|&i| list.row(i)?.process_id.as_deref())
                .filter(|id| self.marks.get(*id).is_some_and(Mark::is_reviewed))
                .count()
        };
        self.counts = Counts {
            reviewed,
            of: list.visible_len(),
            key: Some(key),
        };
    }

    /// My latest decision or note that still stands, newest first: what `u` takes back.
    pub(super) fn my_last(&self) -> Option<String> {
        let mut mine: Vec<&Event> = self
            .events
            .values()
            .flatten()
            .filter(|e| e.reviewer == self.reviewer && !matches!(e.kind, EventKind::Withdraw))
            .collect();
        mine.sort_by_key(|e| std::cmp::Reverse(e.id));
        mine.into_iter()
            .find(|e| {
                self.history(&e.process_id)
                    .iter()
                    .any(|l| l.event.id == e.id && !l.superseded)
            })
            .map(|e| e.process_id.clone())
    }
}

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
        if m.review.notes > 0 {
            cells[2] = '✎';
        }
        if m.review.conflict {
            cells[3] = '≠';
        }
    }
    if taken {
        cells[4] = '⊘';
    }
    cells
}

/// The legend of [`badge`], for the help overlay.
pub const BADGE_LEGEND: &str = "✓ pass  ✗ fail  ! escalated  → override to apply  = applied  ~ stale  ✎ note  ≠ conflict  ⊘ open by another reviewer";
