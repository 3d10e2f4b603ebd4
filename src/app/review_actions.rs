//! What the review keys do, and how the review desk's news lands: "look, decide, look, decide".
//!
//! A verdict that agrees with Truora is recorded at once; one that overrides it opens the reason
//! picker first; pass or fail on a pending process is refused with the reason. After a verdict
//! the cursor moves to the next unreviewed process of the current filter (skipping those another
//! reviewer has open), and the focus and the compare view stay as they were, so the next process
//! opens in the view the reviewer was using.

use crossterm::event::KeyEvent;

use super::review::{Access, ReviewInput, status_for_decision};
use super::review_input::{InputOutcome, NoteEditor, ReasonPicker};
use super::review_msg::{ReviewNews, ReviewRequest};
use super::{Action, App, Command, Job};
use crate::api::model::Status;
use crate::review::{Decision, OverrideReason, ReasonNeed, Verdict};
use crate::sanitize::terminal_text;

impl Action {
    /// The review desk's actions, which also work inside the compare view.
    pub fn is_review(self) -> bool {
        matches!(
            self,
            Action::ReviewPass
                | Action::ReviewFail
                | Action::Escalate
                | Action::Note
                | Action::UndoDecision
                | Action::ReviewFilter
        )
    }
}

impl App {
    pub(super) fn review_action(&mut self, action: Action, commands: &mut Vec<Command>) {
        match action {
            Action::ReviewPass => self.verdict_key(Verdict::Pass, commands),
            Action::ReviewFail => self.verdict_key(Verdict::Fail, commands),
            Action::Escalate => self.verdict_key(Verdict::Escalate, commands),
            Action::Note => self.open_note(),
            Action::UndoDecision => self.undo(commands),
            Action::ReviewFilter => {
                self.review.filter = self.review.filter.next();
                let selected = self.selected_id();
                self.list.set_gate(self.review.gate(selected.as_deref()));
            }
            _ => {}
        }
    }

    /// Keys while the reason picker or the note editor is open: all of them go there.
    pub(super) fn review_key(&mut self, key: KeyEvent, commands: &mut Vec<Command>) {
        match std::mem::take(&mut self.review.input) {
            ReviewInput::None => {}
            ReviewInput::Picker(picker) => match picker.handle_key(key) {
                InputOutcome::Open => self.review.input = ReviewInput::Picker(picker),
                InputOutcome::Cancelled => self.status.info("override cancelled"),
                InputOutcome::Done(code) => {
                    let reason = OverrideReason::from_wire(&code);
                    let status = self.status_of(&picker.process_id);
                    match Decision::new(picker.verdict, reason, status.as_ref()) {
                        Ok(decision) => {
                            self.record(picker.process_id, decision, status, commands);
                        }
                        Err(refusal) => self.status.error(refusal.to_string()),
                    }
                }
            },
            ReviewInput::Note(mut editor) => match editor.handle_key(key) {
                InputOutcome::Open => self.review.input = ReviewInput::Note(editor),
                InputOutcome::Cancelled => self.status.info("note not saved"),
                InputOutcome::Done(text) => {
                    let truora_status = self.status_of(&editor.process_id);
                    self.ask_review(
                        ReviewRequest::Note {
                            process_id: editor.process_id,
                            text,
                            truora_status,
                        },
                        commands,
                    );
                }
            },
        }
    }

    fn selected_id(&self) -> Option<String> {
        self.list.selected().and_then(|r| r.process_id.clone())
    }

    /// Truora's status of a process as a decision sees it (loaded result first, else its row).
    fn status_of(&self, process_id: &str) -> Option<Status> {
        let row = self
            .list
            .selected()
            .filter(|r| r.process_id.as_deref() == Some(process_id));
        status_for_decision(self.results.peek(&process_id.to_owned()).map(|r| &**r), row)
    }

    /// Whether decisions can be recorded; if not, says why.
    fn writable(&mut self) -> bool {
        if let Access::ReadOnly(why) | Access::Unavailable(why) = &self.review.access {
            let why = why.clone();
            self.status.error(format!(
                "cannot record decisions: {why} (browsing still works)"
            ));
            return false;
        }
        true
    }

    /// The selected process, if decisions can be recorded; else says why not.
    fn decision_target(&mut self) -> Option<String> {
        if !self.writable() {
            return None;
        }
        let id = self.selected_id();
        if id.is_none() {
            self.status.info("no process selected");
        }
        id
    }

    fn verdict_key(&mut self, verdict: Verdict, commands: &mut Vec<Command>) {
        let Some(process_id) = self.decision_target() else {
            return;
        };
        let status = self.status_of(&process_id);
        match crate::review::decide(verdict, status.as_ref()) {
            Err(refusal) => self.status.error(refusal.to_string()),
            Ok(ReasonNeed::None) => {
                let decision = Decision {
                    verdict,
                    reason: None,
                };
                self.record(process_id, decision, status, commands);
            }
            Ok(ReasonNeed::Required(direction)) => {
                let reasons = OverrideReason::for_direction(direction)
                    .iter()
                    .map(|r| (r.wire_name().to_owned(), r.label().to_owned()))
                    .collect();
                self.review.input = ReviewInput::Picker(ReasonPicker {
                    process_id,
                    verdict,
                    reasons,
                });
            }
        }
    }

    /// Records a checked decision and moves on to the next unreviewed process.
    fn record(
        &mut self,
        process_id: String,
        decision: Decision,
        truora_status: Option<Status>,
        commands: &mut Vec<Command>,
    ) {
        // A decision made now supersedes an earlier refusal still on the status line ("a pending
        // process cannot be overridden"): the reviewer moved on, and the answer will say how it went.
        self.status.error = None;
        self.ask_review(
            ReviewRequest::Decide {
                process_id: process_id.clone(),
                decision,
                truora_status,
            },
            commands,
        );
        self.advance_from(&process_id);
    }

    /// Asks the desk; a request that records something is followed until its answer (see
    /// `review_pending`).
    fn ask_review(&mut self, request: ReviewRequest, commands: &mut Vec<Command>) {
        let id = self.requests.ask(Job::Review(request.clone()), commands);
        self.review.pending.track(id, &request);
    }

    /// `q` with decisions or notes not recorded yet: what to say instead of quitting (a second
    /// `q` quits: the desk tries them once more as it closes, and the shell is told what was
    /// still not recorded, a note with its text).
    pub(super) fn unrecorded_before_quit(&self) -> Option<String> {
        (!self.review.pending.is_empty()).then(|| {
            format!(
                "{} — press q again to quit anyway (the shell will list what was not recorded)",
                self.review.pending.count_text()
            )
        })
    }

    /// Moves the cursor to the next process of the list (wrapping) that is unreviewed and not
    /// open elsewhere, other than `decided`; says so when there is none.
    fn advance_from(&mut self, decided: &str) {
        match self.next_open(decided) {
            Some(pos) => {
                // Deliberate, and prefetched: its images need not wait for a rest.
                self.rest_at_once();
                self.list.select_position(pos);
            }
            None => self.status.info("no unreviewed process left in this view"),
        }
    }

    /// The list position of the next unreviewed process after the cursor, other than `skip`.
    pub(super) fn next_open(&self, skip: &str) -> Option<usize> {
        let cursor = self.list.cursor()?;
        let visible = self.list.visible();
        let n = visible.len();
        (1..=n).map(|step| (cursor + step) % n).find(|&pos| {
            self.list
                .row(visible[pos])
                .and_then(|r| r.process_id.as_deref())
                .is_some_and(|id| id != skip && self.review.is_open_for_review(id))
        })
    }

    fn open_note(&mut self) {
        if let Some(process_id) = self.decision_target() {
            self.review.input = ReviewInput::Note(NoteEditor::new(process_id));
        }
    }

    /// `u`: takes back my latest decision or note that still stands, and goes back to its
    /// process, so it can be decided again.
    fn undo(&mut self, commands: &mut Vec<Command>) {
        if !self.writable() {
            return;
        }
        // A decision on its way to the store is my latest: the undo follows it there.
        let on_its_way = self.review.pending.newest_decision().map(str::to_owned);
        let Some(process_id) = on_its_way.or_else(|| self.review.my_last()) else {
            self.status.info("nothing of yours to undo");
            return;
        };
        let pos = self.list.visible().iter().position(|&i| {
            self.list.row(i).and_then(|r| r.process_id.as_deref()) == Some(process_id.as_str())
        });
        match pos {
            Some(pos) => self.list.select_position(pos),
            None => self.status.info(format!(
                "undoing on {} (not in this view)",
                terminal_text(&process_id)
            )),
        }
        let truora_status = self.status_of(&process_id);
        self.ask_review(
            ReviewRequest::Undo {
                process_id,
                truora_status,
            },
            commands,
        );
    }

    pub(super) fn apply_review(&mut self, news: ReviewNews) {
        match news {
            ReviewNews::Opened {
                reviewer,
                events,
                writable,
            } => {
                // Opened after failing for a while (busy, disk full): the failure (said when
                // it came, or when a decision was refused for it) is over.
                if let Access::Unavailable(failure) = &self.review.access
                    && self
                        .status
                        .error
                        .as_deref()
                        .is_some_and(|e| e.contains(failure.as_str()))
                {
                    self.status.error = None;
                    self.status.info("the review store is open");
                }
                self.review.reviewer = reviewer;
                self.review.access = match writable {
                    Ok(()) => Access::Writable,
                    Err(why) => Access::ReadOnly(why),
                };
                self.review_events(events);
            }
            ReviewNews::Marks(start) => self.review.start(start),
            ReviewNews::Loaded { events } => self.review_events(events),
            ReviewNews::Changes { events, taken } => {
                self.review.set_taken(taken);
                self.review_events(events);
            }
            ReviewNews::Remarked(marks) => self.review_marks(marks),
            ReviewNews::Failed { error } => {
                self.status.error(failure_text(&error));
                self.review.access = Access::Unavailable(error);
            }
            ReviewNews::Delayed { ids, why } => {
                self.review.pending.delayed(&ids, &why);
                self.status.error(format!(
                    "{} — retrying: {}",
                    self.review.pending.count_text(),
                    terminal_text(&why)
                ));
            }
            ReviewNews::Unreadable(events) => {
                let first = events.first().map(ToString::to_string).unwrap_or_default();
                self.status.error(format!(
                    "the review store holds {} event(s) it cannot read, left out of the marks \
                     ({first}); `truora-tui reviews list` names them all",
                    events.len()
                ));
                self.review.unreadable = events;
            }
            // Answers are matched to their request by `apply` (see `review_answered`).
            ReviewNews::Answer { .. } => {}
        }
    }

    /// The answer to a review request: the event recorded lands like any other, and the status
    /// line says what happened (leases answer silently). `waited`: the desk had said it could
    /// not record it yet. A note that was not recorded comes back into the editor, its text
    /// kept.
    pub(super) fn review_answered(
        &mut self,
        request: ReviewRequest,
        result: Result<Option<crate::review::Event>, String>,
        waited: bool,
    ) {
        if let ReviewRequest::Hold { .. } = &request {
            if let Err(e) = result {
                tracing::warn!("review lease: {e}");
            }
            return;
        }
        let what = super::review_msg::describe(&request);
        match result {
            Ok(event) => {
                self.review_events(event.into_iter().collect());
                let mut text = match request {
                    ReviewRequest::Undo { process_id, .. } => {
                        format!("undone on {}", terminal_text(&process_id))
                    }
                    _ => format!("recorded {what}"),
                };
                if waited {
                    text.push_str(" (after waiting for the store)");
                    // The retrying notice is over once nothing waits any more.
                    if self.review.pending.summary().is_none() {
                        self.status.error = None;
                    }
                }
                self.status.info(text);
            }
            Err(e) => match request {
                ReviewRequest::Note {
                    process_id, text, ..
                } if self.review.input == ReviewInput::None => {
                    self.status.error(format!(
                        "not recorded: {what}: {e} — the note is back in the editor (Enter \
                         tries again, Esc drops it)"
                    ));
                    self.review.input = ReviewInput::Note(NoteEditor::with_text(process_id, &text));
                }
                ReviewRequest::Note { text, .. } => self.status.error(format!(
                    "not recorded: {what}: {e} — its text: {}",
                    terminal_text(&text)
                )),
                _ => self.status.error(format!("not recorded: {what}: {e}")),
            },
        }
    }

    /// New events: marks derived again, and an open tree shows the new history.
    fn review_events(&mut self, events: Vec<crate::review::Event>) {
        let changed = self.review.add_events(events);
        for id in &changed {
            let result = self.results.peek(id).cloned();
            self.review.remark(id, result.as_deref());
        }
        if self
            .view
            .process_id()
            .is_some_and(|v| changed.iter().any(|c| c == v))
        {
            self.rebuild_tree();
        }
    }

    /// New marks from the store, read against the loaded results; the tree of a process shown
    /// meanwhile is built again (its events come next, when it is held).
    fn review_marks(&mut self, marks: Vec<super::review_msg::Remark>) {
        let shown = self.view.process_id().map(str::to_owned);
        let mut rebuild = false;
        for news in marks {
            let id = news.process_id.clone();
            rebuild |= shown.as_deref() == Some(id.as_str());
            self.review.remarked(news);
            let result = self.results.peek(&id).cloned();
            self.review.remark(&id, result.as_deref());
        }
        if rebuild {
            self.rebuild_tree();
        }
    }

    /// A result arrived: Truora's status may differ from what the mark was derived with.
    pub(super) fn review_result(&mut self, process_id: &str) {
        if self.review.knows(process_id) {
            let result = self.results.peek(&process_id.to_owned()).cloned();
            self.review.remark(process_id, result.as_deref());
        }
    }

    /// The tree's nodes for a result, with the process's decision history when it has one.
    pub(super) fn tree_nodes(
        &self,
        process_id: &str,
        result: &crate::api::model::ProcessResult,
    ) -> Vec<super::tree::Node> {
        let history = self.review.history(process_id);
        let mark = self.review.mark(process_id);
        super::tree::build::build_with_review(
            process_id,
            result,
            &self.details,
            (&history, mark),
            self.time_zone(),
        )
    }

    /// After each input: the lease follows the selection, and the title's counts are fresh.
    pub(super) fn reconcile_review(&mut self, commands: &mut Vec<Command>) {
        if matches!(self.review.access, Access::Unavailable(_)) {
            return;
        }
        let selected = self.selected_id();
        if selected != self.review.held {
            self.review.held.clone_from(&selected);
            self.ask_review(
                ReviewRequest::Hold {
                    process_id: selected,
                },
                commands,
            );
        }
        self.review.recount(&self.list);
    }
}

/// What the status line says while the store cannot be used.
fn failure_text(error: &str) -> String {
    format!("review store: {error}; browsing without review marks")
}
