//! The review desk's state in the browser: every decision event the store holds (by process), the
//! mark derived from them, who has which process open, the review filter and the inputs (reason
//! picker, note editor). Pure: the store lives in its own task (`crate::reviewdesk`), and
//! everything here changes only through `App::update`.

use std::collections::HashMap;
use std::sync::Arc;

use indexmap::IndexMap;

use super::badge::badge;
use super::filter::ReviewFilter;
use super::input::{NoteEditor, ReasonPicker};
use super::prefetch::{Looking, Prefetch};
use crate::api::model::{ProcessResult, ProcessSummary};
use crate::app::list::{ProcessList, RowGate, StatusFilter};
use crate::app::message::review::Remark;
use crate::app::outbox::Outbox;
use crate::app::preview::Images;
use crate::app::tree::TreePane;
use crate::review::{Event, EventId, HistoryLine, Mark, Marks, Mine, StartUp, Verdict};

/// How many processes' events the app keeps at most: the one shown, those with a decision or
/// note on its way, and the most recently loaded others (going back to one does not read its
/// events again). Their marks stay whatever is dropped, so memory does not grow with the store.
const KEEP_EVENTS: usize = 64;

/// Whether decisions can be recorded, and if not, why (said when the user tries).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    Writable,
    /// Marks are shown, nothing can be recorded.
    ReadOnly(String),
    /// No store: no marks, nothing can be recorded.
    Unavailable(String),
}

/// The review filter as the list applies it: a snapshot of the marks taken when the filter was
/// set, so rows do not vanish under the cursor as the reviewer decides (a queue of unreviewed
/// processes keeps its decided rows until the filter is applied again). Only rows that match pass,
/// the selected one too: the list puts the cursor on the first match when its row goes.
#[derive(Debug)]
struct Gate {
    filter: ReviewFilter,
    /// Shared with the desk until the desk changes a mark (copy on write: setting a filter
    /// copies nothing, and the first decision after it copies the marks once).
    marks: Arc<Marks>,
}

impl RowGate for Gate {
    fn admits(&self, row: &ProcessSummary) -> bool {
        let Some(id) = row.process_id.as_deref() else {
            return self.filter == ReviewFilter::Unreviewed;
        };
        self.filter.admits(self.marks.get(id))
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

/// The question the status line asks after a decision refused because a
/// colleague's stood where it was taken (`replace.rs`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replacing {
    pub process_id: String,
    /// Whose decision stands: `alice's`.
    pub theirs: String,
}

#[derive(Debug)]
pub struct ReviewDesk {
    pub(super) access: Access,
    pub(super) reviewer: String,
    /// The events of the processes the store has sent in full (shown, recorded on), the most
    /// recently loaded last; a process is here with all its events or not at all, and at most
    /// [`KEEP_EVENTS`] are.
    events: IndexMap<String, Vec<Event>>,
    /// Every process's mark: from the start-up load, or derived from its events. Shared with
    /// the review filter's snapshot ([`Gate`]) until a mark changes.
    marks: Arc<Marks>,
    /// At start-up, my newest standing decision or note on each process: where `u` goes for
    /// processes whose events are not here.
    mine: Mine,
    /// The same, since start-up, for processes remarked by the store or whose events were let
    /// go: it stands over `mine` for them.
    mine_since: HashMap<String, Option<EventId>>,
    /// Processes other reviewers have open: process → reviewer.
    taken: HashMap<String, String>,
    pub(super) filter: ReviewFilter,
    pub(super) input: ReviewInput,
    /// The process this browser last asked to hold (lease).
    pub(super) held: Option<String>,
    /// Bumped whenever a mark changes.
    generation: u64,
    counts: Counts,
    pub(super) prefetch: Prefetch,
    /// Decisions, notes and undos asked and not answered yet.
    pub(super) pending: super::pending::Pending,
    /// Events the store holds but cannot read (left out of the marks), as it last said.
    pub(super) unreadable: Vec<crate::review::Unreadable>,
    /// A decision refused because a colleague's stood where it was taken: the status line asks
    /// whether to replace theirs (`replace.rs`).
    pub(super) replacing: Option<Replacing>,
    /// Whether the selected process's result has been on screen (`look.rs`).
    pub look: super::look::Look,
}

impl Default for ReviewDesk {
    fn default() -> Self {
        ReviewDesk {
            access: Access::Unavailable("the review store is not open".into()),
            reviewer: String::new(),
            events: IndexMap::new(),
            marks: Arc::default(),
            mine: Mine::default(),
            mine_since: HashMap::new(),
            taken: HashMap::new(),
            filter: ReviewFilter::All,
            input: ReviewInput::None,
            held: None,
            generation: 0,
            counts: Counts::default(),
            prefetch: Default::default(),
            pending: Default::default(),
            unreadable: Vec::new(),
            replacing: None,
            look: super::look::Look::default(),
        }
    }
}

impl ReviewDesk {
    /// Called after each input while the current view is complete: fetches what the advance
    /// from `looking.current` will show.
    pub fn prefetch(
        &mut self,
        looking: &Looking,
        list: &ProcessList,
        process: &TreePane,
        images: &Images,
        out: &mut Outbox,
    ) {
        if matches!(self.access, Access::Unavailable(_)) {
            return;
        }
        let next = self
            .next_open(list, looking.current)
            .and_then(|pos| list.visible().get(pos).copied())
            .and_then(|i| list.row(i)?.process_id.clone());
        if let Some(next) = next {
            self.prefetch.ask(next, looking, process, images, out);
        }
    }

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

    /// What was asked and is not recorded yet.
    pub fn pending(&self) -> &super::pending::Pending {
        &self.pending
    }

    /// Events the store holds but cannot read, left out of the marks.
    pub fn unreadable(&self) -> &[crate::review::Unreadable] {
        &self.unreadable
    }

    /// A row's mark as drawn: [`badge`], with `…` in the verdict cell while a decision or undo on
    /// it is not recorded yet, and in the note cell while a note is not (what stands is shown
    /// only once the store has it).
    pub fn badge_of(&self, process_id: &str) -> [char; 5] {
        let mut cells = badge(self.mark(process_id), self.taken_by(process_id).is_some());
        let (decision, note) = self.pending.on(process_id);
        if decision {
            cells[0] = '…';
        }
        if note {
            cells[2] = '…';
        }
        cells
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

    /// The store's start-up load: every mark, and where `u` goes. Events known already (none,
    /// from the desk) keep their marks.
    pub(super) fn start(&mut self, start: StartUp) {
        self.marks = Arc::new(start.marks);
        self.mine = start.mine;
        self.mine_since.clear();
        for (id, events) in &self.events {
            let mark = crate::review::derive(events, None, None);
            Arc::make_mut(&mut self.marks).insert(id.clone(), mark);
        }
        self.generation += 1;
    }

    /// Whether the process has a mark or events (its mark is derived again when its result
    /// arrives).
    pub(super) fn knows(&self, process_id: &str) -> bool {
        self.marks.contains_key(process_id) || self.events.contains_key(process_id)
    }

    /// Adds events (from the store or an answer); known ones are ignored. Returns the processes
    /// whose events changed, so their marks (and an open tree's history) are derived again.
    pub(super) fn add_events(&mut self, events: Vec<Event>) -> Vec<String> {
        let mut changed = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for event in events {
            if seen.insert(event.process_id.clone()) {
                // Loaded again: the most recent now.
                let list = self
                    .events
                    .shift_remove(&event.process_id)
                    .unwrap_or_default();
                self.events.insert(event.process_id.clone(), list);
            }
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
        self.let_go();
        changed
    }

    /// Drops the events of the least recently loaded processes beyond [`KEEP_EVENTS`], but the
    /// one shown and those with something on its way (its answer lands on all of them); each
    /// keeps its mark, and where `u` goes on it.
    fn let_go(&mut self) {
        while self.events.len() > KEEP_EVENTS {
            let kept = |p: &String| {
                self.held.as_ref() == Some(p) || {
                    let (decision, note) = self.pending.on(p);
                    decision || note
                }
            };
            let Some(at) = self.events.keys().position(|p| !kept(p)) else {
                return;
            };
            if let Some((process, events)) = self.events.shift_remove_index(at) {
                let mine = crate::review::latest_standing_of(&events, &self.reviewer);
                self.mine_since.insert(process, mine);
            }
        }
    }

    /// The store's new mark of a process whose events it did not send: any events kept of it are
    /// out of date and dropped. [`ReviewDesk::remark`] then reads the mark against the result.
    pub(super) fn remarked(&mut self, news: Remark) {
        self.events.shift_remove(&news.process_id);
        if self.marks.get(&news.process_id) != Some(&news.mark) {
            Arc::make_mut(&mut self.marks).insert(news.process_id.clone(), news.mark);
            self.generation += 1;
        }
        self.mine_since.insert(news.process_id, news.mine);
    }

    /// Derives the mark of one process from its events and what is known of Truora's status:
    /// the loaded result (its overrides included) or nothing; a process whose result was never
    /// loaded shows an override as still to apply until loading it proves otherwise.
    pub(super) fn remark(&mut self, process_id: &str, result: Option<&ProcessResult>) {
        let current = result.and_then(crate::review::truora_status_of);
        let history = result.map(|r| r.override_history.as_slice());
        let mark = match (self.events.get(process_id), self.marks.get(process_id)) {
            (Some(events), _) if !events.is_empty() => {
                crate::review::fold(events).into_mark(current.as_ref(), history)
            }
            // Known from the start-up load only: its review stands as loaded.
            (None, Some(mark)) => mark.relook(current.as_ref(), history),
            _ => {
                if self.marks.contains_key(process_id) {
                    Arc::make_mut(&mut self.marks).swap_remove(process_id);
                    self.generation += 1;
                }
                return;
            }
        };
        if self.marks.get(process_id) != Some(&mark) {
            Arc::make_mut(&mut self.marks).insert(process_id.to_owned(), mark);
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

    /// Whether "next unreviewed" may stop here: not reviewed, not open elsewhere, no decision
    /// on it on its way to the store.
    pub fn is_open_for_review(&self, process_id: &str) -> bool {
        !self.marks.get(process_id).is_some_and(Mark::is_reviewed)
            && !self.taken.contains_key(process_id)
            && !self.pending.on(process_id).0
    }

    /// The gate the list applies for the current filter (none for `All`).
    pub(super) fn gate(&self) -> Option<Box<dyn RowGate>> {
        if self.filter == ReviewFilter::All {
            return None;
        }
        Some(Box::new(Gate {
            filter: self.filter,
            marks: Arc::clone(&self.marks),
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

    /// The head of a process's decisions as this browser shows it: what a decision made now is
    /// taken on. A process whose events are not here (none sent yet) counts as undecided: if
    /// a decision stands there after all, the desk refuses and sends its events, so the
    /// reviewer sees it before anything is replaced.
    pub(super) fn seen_head(&self, process_id: &str) -> Option<EventId> {
        self.events
            .get(process_id)
            .and_then(|events| crate::review::fold(events).head)
    }

    /// My latest decision or note that still stands: what `u` takes back.
    pub(super) fn my_last(&self) -> Option<String> {
        let loaded = self.events.iter().filter_map(|(process, events)| {
            crate::review::latest_standing_of(events, &self.reviewer).map(|id| (id, process))
        });
        // A process loaded or remarked since start-up is judged by its events, or by what the
        // store last said of it, not by the start-up list.
        let since = self
            .mine_since
            .iter()
            .filter(|(process, _)| !self.events.contains_key(*process))
            .filter_map(|(process, id)| Some(((*id)?, process.as_str())));
        let from_start = self.mine.newest(|process| {
            !self.events.contains_key(process) && !self.mine_since.contains_key(process)
        });
        loaded
            .map(|(id, process)| (id, process.as_str()))
            .chain(since)
            .chain(from_start)
            .max_by_key(|(id, _)| *id)
            .map(|(_, process)| process.to_owned())
    }
}
