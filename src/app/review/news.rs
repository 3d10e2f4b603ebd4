//! How the review desk's news lands in the browser: the store opening (or failing), every
//! process's mark at start, what others decided since, the answer to each request, and the lease
//! that follows the selection.
//!
//! Events change marks; the processes whose events changed are returned, so the app rebuilds the
//! tree on screen when its process is one of them (its history is in the tree).

use std::sync::Arc;

use super::desk::{Access, ReviewDesk, ReviewInput};
use super::input::NoteEditor;
use crate::api::model::ProcessResult;
use crate::app::cache::Lru;
use crate::app::list::ProcessList;
use crate::app::message::review::{ReviewNews, ReviewRequest, describe};
use crate::app::message::{NotRecorded, RequestId};
use crate::app::outbox::Outbox;
use crate::app::tree::Reviews;
use crate::review::{Event, HistoryLine, Mark};
use crate::sanitize::terminal_text;

/// The results fetched so far: Truora's status, which a mark is derived with.
type Results = Lru<String, Arc<ProcessResult>>;

impl ReviewDesk {
    /// The store's news (not an answer). Returns the processes whose events changed.
    pub fn news(&mut self, news: ReviewNews, results: &Results, out: &mut Outbox) -> Vec<String> {
        match news {
            ReviewNews::Opened {
                reviewer,
                events,
                writable,
            } => {
                // Opened after failing for a while (busy, disk full): the failure (said when
                // it came, or when a decision was refused for it) is over.
                if let Access::Unavailable(failure) = &self.access
                    && out
                        .status
                        .error
                        .as_deref()
                        .is_some_and(|e| e.contains(failure.as_str()))
                {
                    out.status.error = None;
                    out.info("the review store is open");
                }
                self.reviewer = reviewer;
                self.access = match writable {
                    Ok(()) => Access::Writable,
                    Err(why) => Access::ReadOnly(why.to_string()),
                };
                return self.events_arrived(events, results);
            }
            ReviewNews::Marks(start) => self.start(start),
            ReviewNews::Loaded { events } => return self.events_arrived(events, results),
            ReviewNews::Changes { events, taken } => {
                self.set_taken(taken);
                return self.events_arrived(events, results);
            }
            ReviewNews::Remarked(marks) => {
                // Marks read against the results loaded; a process shown meanwhile has its tree
                // built again (its events come next, when it is held).
                let mut changed = Vec::with_capacity(marks.len());
                for news in marks {
                    let id = news.process_id.clone();
                    self.remarked(news);
                    self.remark(&id, results.peek(&id).map(|r| &**r));
                    changed.push(id);
                }
                return changed;
            }
            ReviewNews::Failed { error } => {
                out.error(failure_text(&error));
                self.access = Access::Unavailable(error);
            }
            ReviewNews::Delayed { ids, why } => {
                self.pending.delayed(&ids, &why);
                out.error(format!(
                    "{} — retrying: {}",
                    self.pending.count_text(),
                    terminal_text(&why)
                ));
            }
            ReviewNews::Unreadable(events) => {
                let first = events.first().map(ToString::to_string).unwrap_or_default();
                out.error(format!(
                    "the review store holds {} event(s) it cannot read, left out of the marks \
                     ({first}); `truora-tui reviews list` names them all",
                    events.len()
                ));
                self.unreadable = events;
            }
            // Answers are matched to their request by the app (see `answered`).
            ReviewNews::Answer { .. } => {}
        }
        Vec::new()
    }

    /// The answer to a review request: the event recorded lands like any other, and the status
    /// line says what happened (leases answer silently). `waited`: the desk had said it could
    /// not record it yet. A note that was not recorded comes back into the editor, its text
    /// kept. Returns the processes whose events changed.
    pub fn answered(
        &mut self,
        request: ReviewRequest,
        result: Result<Option<Event>, NotRecorded>,
        waited: bool,
        results: &Results,
        out: &mut Outbox,
    ) -> Vec<String> {
        if let ReviewRequest::Hold { .. } = &request {
            if let Err(e) = result {
                tracing::warn!("review lease: {e}");
            }
            return Vec::new();
        }
        let what = describe(&request);
        match result {
            Ok(event) => {
                let changed = self.events_arrived(event.into_iter().collect(), results);
                let mut text = match request {
                    ReviewRequest::Undo { process_id, .. } => {
                        format!("undone on {}", terminal_text(&process_id))
                    }
                    _ => format!("recorded {what}"),
                };
                if waited {
                    text.push_str(" (after waiting for the store)");
                    // The retrying notice is over once nothing waits any more.
                    if self.pending.summary().is_none() {
                        out.status.error = None;
                    }
                }
                out.info(text);
                return changed;
            }
            Err(e) => match request {
                ReviewRequest::Note {
                    process_id, text, ..
                } if self.input == ReviewInput::None => {
                    out.error(format!(
                        "not recorded: {what}: {e} — the note is back in the editor (Enter \
                         tries again, Esc drops it)"
                    ));
                    self.input = ReviewInput::Note(NoteEditor::with_text(process_id, &text));
                }
                ReviewRequest::Note { text, .. } => out.error(format!(
                    "not recorded: {what}: {e} — its text: {}",
                    terminal_text(&text)
                )),
                _ => out.error(format!("not recorded: {what}: {e}")),
            },
        }
        Vec::new()
    }

    /// An answer came for request `id`: a decision or note answered (or cancelled) is no longer
    /// shown as on its way. Returns whether the desk had said it could not record it yet.
    pub fn settle(&mut self, id: RequestId) -> bool {
        self.pending.settle(id)
    }

    /// A request the runtime or the desk gave up on: answered as not recorded.
    pub fn cancelled(&mut self, request: ReviewRequest, results: &Results, out: &mut Outbox) {
        self.answered(request, Err(NotRecorded::NoAnswer), false, results, out);
    }

    /// New events: marks derived again. Returns the processes whose events changed.
    fn events_arrived(&mut self, events: Vec<Event>, results: &Results) -> Vec<String> {
        let changed = self.add_events(events);
        for id in &changed {
            self.remark(id, results.peek(id).map(|r| &**r));
        }
        changed
    }

    /// A result arrived: Truora's status may differ from what the mark was derived with.
    pub fn result_arrived(&mut self, process_id: &str, result: Option<&ProcessResult>) {
        if self.knows(process_id) {
            self.remark(process_id, result);
        }
    }

    /// After each input: the lease follows the selection, and the title's counts are fresh.
    pub fn reconcile(&mut self, list: &ProcessList, out: &mut Outbox) {
        if matches!(self.access, Access::Unavailable(_)) {
            return;
        }
        let selected = list.selected().and_then(|r| r.process_id.clone());
        // Moving on from a refused decision keeps the colleague's: the question is over.
        if self
            .replacing
            .as_ref()
            .is_some_and(|r| selected.as_deref() != Some(r.process_id.as_str()))
        {
            self.replacing = None;
        }
        if selected != self.held {
            self.held.clone_from(&selected);
            self.ask(
                ReviewRequest::Hold {
                    process_id: selected,
                },
                out,
            );
        }
        self.recount(list);
    }
}

/// The tree shows a process's decision history and mark.
impl Reviews for ReviewDesk {
    fn history(&self, process_id: &str) -> Vec<HistoryLine> {
        ReviewDesk::history(self, process_id)
    }

    fn mark(&self, process_id: &str) -> Option<&Mark> {
        ReviewDesk::mark(self, process_id)
    }
}

/// What the status line says while the store cannot be used.
fn failure_text(error: &str) -> String {
    format!("review store: {error}; browsing without review marks")
}
