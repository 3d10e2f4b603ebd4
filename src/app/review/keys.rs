//! What the review keys do: "look, decide, look, decide".
//!
//! A verdict that agrees with Truora is recorded at once; one that overrides it opens the reason
//! picker first; pass or fail on a pending process is refused with the reason. After a verdict
//! the cursor moves to the next unreviewed process of the current filter (skipping those another
//! reviewer has open), and the focus and the compare view stay as they were, so the next process
//! opens in the view the reviewer was using.

use std::sync::Arc;

use crossterm::event::KeyEvent;

use super::badge::status_for_decision;
use super::desk::{Access, ReviewDesk, ReviewInput};
use super::input::{InputOutcome, NoteEditor, ReasonPicker};
use crate::api::model::{ProcessResult, Status};
use crate::app::cache::Lru;
use crate::app::list::ProcessList;
use crate::app::message::Job;
use crate::app::message::review::ReviewRequest;
use crate::app::outbox::Outbox;
use crate::keymap::Action;
use crate::review::{Decision, OverrideReason, ReasonNeed, Verdict};
use crate::sanitize::terminal_text;

/// What the review keys read and move beyond the desk: the list (the selection, the advance to
/// the next unreviewed process, the review filter's gate) and the results fetched (Truora's
/// status as a decision sees it).
pub struct Around<'a> {
    pub list: &'a mut ProcessList,
    pub results: &'a Lru<String, Arc<ProcessResult>>,
}

impl Around<'_> {
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
}

/// Whether a review key moved the list's cursor by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Moved {
    Stayed,
    /// The advance after a verdict: a deliberate move (and prefetched), whose images need not
    /// wait for the selection to rest.
    Advanced,
}

impl ReviewDesk {
    /// The review desk's keys: the verdicts, a note, undo, and the review filter.
    pub fn handle(&mut self, action: Action, around: Around, out: &mut Outbox) -> Moved {
        match action {
            Action::ReviewPass => return self.verdict(Verdict::Pass, around, out),
            Action::ReviewFail => return self.verdict(Verdict::Fail, around, out),
            Action::Escalate => return self.verdict(Verdict::Escalate, around, out),
            Action::Note => {
                if let Some(process_id) = self.decision_target(&around, out) {
                    self.input = ReviewInput::Note(NoteEditor::new(process_id));
                }
            }
            Action::UndoDecision => self.undo(around, out),
            Action::ReviewFilter => {
                self.filter = self.filter.next();
                around.list.set_gate(self.gate());
            }
            _ => {}
        }
        Moved::Stayed
    }

    /// Whether the reason picker or the note editor is open: it then takes every key.
    pub fn typing(&self) -> bool {
        self.input != ReviewInput::None
    }

    /// Keys while the reason picker or the note editor is open: all of them go there.
    pub fn key(&mut self, key: KeyEvent, around: Around, out: &mut Outbox) -> Moved {
        match std::mem::take(&mut self.input) {
            ReviewInput::None => {}
            ReviewInput::Picker(picker) => match picker.handle_key(key) {
                InputOutcome::Open => self.input = ReviewInput::Picker(picker),
                InputOutcome::Cancelled => out.info("override cancelled"),
                InputOutcome::Done(code) => {
                    let reason = OverrideReason::from_wire(&code);
                    let status = around.status_of(&picker.process_id);
                    match Decision::new(picker.verdict, reason, status.as_ref()) {
                        Ok(decision) => {
                            return self.record(picker.process_id, decision, status, around, out);
                        }
                        Err(refusal) => out.error(refusal.to_string()),
                    }
                }
            },
            ReviewInput::Note(mut editor) => match editor.handle_key(key) {
                InputOutcome::Open => self.input = ReviewInput::Note(editor),
                InputOutcome::Cancelled => out.info("note not saved"),
                InputOutcome::Done(text) => {
                    let truora_status = around.status_of(&editor.process_id);
                    self.ask(
                        ReviewRequest::Note {
                            process_id: editor.process_id,
                            text,
                            truora_status,
                        },
                        out,
                    );
                }
            },
        }
        Moved::Stayed
    }

    /// Whether decisions can be recorded; if not, says why.
    fn writable(&self, out: &mut Outbox) -> bool {
        if let Access::ReadOnly(why) | Access::Unavailable(why) = &self.access {
            out.error(format!(
                "cannot record decisions: {why} (browsing still works)"
            ));
            return false;
        }
        true
    }

    /// The selected process, if decisions can be recorded; else says why not.
    fn decision_target(&self, around: &Around, out: &mut Outbox) -> Option<String> {
        if !self.writable(out) {
            return None;
        }
        let id = around.selected_id();
        if id.is_none() {
            out.info("no process selected");
        }
        id
    }

    fn verdict(&mut self, verdict: Verdict, around: Around, out: &mut Outbox) -> Moved {
        let Some(process_id) = self.decision_target(&around, out) else {
            return Moved::Stayed;
        };
        if !self.look.seen(&process_id) {
            // A double tap after the advance: the second key lands on a process nobody saw.
            out.error(format!(
                "{verdict} not recorded: {} has not been on screen yet — look at it, then decide",
                terminal_text(&process_id)
            ));
            return Moved::Stayed;
        }
        let status = around.status_of(&process_id);
        match crate::review::decide(verdict, status.as_ref()) {
            Err(refusal) => out.error(refusal.to_string()),
            Ok(ReasonNeed::None) => {
                let decision = Decision {
                    verdict,
                    reason: None,
                };
                return self.record(process_id, decision, status, around, out);
            }
            Ok(ReasonNeed::Required(direction)) => {
                let reasons = OverrideReason::for_direction(direction)
                    .iter()
                    .map(|r| (r.wire_name().to_owned(), r.label().to_owned()))
                    .collect();
                self.input = ReviewInput::Picker(ReasonPicker {
                    process_id,
                    verdict,
                    reasons,
                });
            }
        }
        Moved::Stayed
    }

    /// Records a checked decision and moves on to the next unreviewed process.
    fn record(
        &mut self,
        process_id: String,
        decision: Decision,
        truora_status: Option<Status>,
        around: Around,
        out: &mut Outbox,
    ) -> Moved {
        // A decision made now supersedes an earlier refusal still on the status line ("a pending
        // process cannot be overridden"): the reviewer moved on, and the answer will say how it went.
        out.status.error = None;
        self.replacing = None;
        let seen = self.seen_head(&process_id);
        self.ask(
            ReviewRequest::Decide {
                process_id: process_id.clone(),
                decision,
                truora_status,
                seen,
            },
            out,
        );
        match self.next_open(around.list, &process_id) {
            Some(pos) => {
                around.list.select_position(pos);
                Moved::Advanced
            }
            None => {
                out.info("no unreviewed process left in this view");
                Moved::Stayed
            }
        }
    }

    /// Asks the desk; a request that records something is followed until its answer (see
    /// `pending`).
    pub(super) fn ask(&mut self, request: ReviewRequest, out: &mut Outbox) {
        let id = out.ask(Job::Review(request.clone()));
        self.pending.track(id, &request);
    }

    /// `q` with decisions or notes not recorded yet: what to say instead of quitting (a second
    /// `q` quits: the desk tries them once more as it closes, and the shell is told what was
    /// still not recorded, a note with its text).
    pub fn unrecorded_before_quit(&self) -> Option<String> {
        (!self.pending.is_empty()).then(|| {
            format!(
                "{} — press q again to quit anyway (the shell will list what was not recorded)",
                self.pending.count_text()
            )
        })
    }

    /// The list position of the next process after the cursor (wrapping) that is unreviewed
    /// and not open elsewhere, other than `skip`.
    pub fn next_open(&self, list: &ProcessList, skip: &str) -> Option<usize> {
        let cursor = list.cursor()?;
        let visible = list.visible();
        let n = visible.len();
        (1..=n).map(|step| (cursor + step) % n).find(|&pos| {
            list.row(visible[pos])
                .and_then(|r| r.process_id.as_deref())
                .is_some_and(|id| id != skip && self.is_open_for_review(id))
        })
    }

    /// `u`: takes back my latest decision or note that still stands, on the process shown. When
    /// that is on another process, `u` first goes there and says so (the next `u` takes it
    /// back), so nothing is withdrawn that is not on screen.
    fn undo(&mut self, around: Around, out: &mut Outbox) {
        if !self.writable(out) {
            return;
        }
        // A decision on its way to the store is my latest: the undo follows it there.
        let on_its_way = self.pending.newest_decision().map(str::to_owned);
        let Some(process_id) = on_its_way.or_else(|| self.my_last()) else {
            out.info("nothing of yours to undo");
            return;
        };
        if around.selected_id().as_deref() != Some(process_id.as_str()) {
            let list = &mut *around.list;
            let pos = list.visible().iter().position(|&i| {
                list.row(i).and_then(|r| r.process_id.as_deref()) == Some(process_id.as_str())
            });
            let id = terminal_text(&process_id);
            match pos {
                Some(pos) => {
                    list.select_position(pos);
                    out.info(format!(
                        "your last decision is on {id}: moved there — press u again to undo it"
                    ));
                }
                None => out.info(format!(
                    "your last decision is on {id}, which this view hides — clear the filter to \
                     go there and undo it"
                )),
            }
            return;
        }
        let truora_status = around.status_of(&process_id);
        self.ask(
            ReviewRequest::Undo {
                process_id,
                truora_status,
            },
            out,
        );
    }
}
