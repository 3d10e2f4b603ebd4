//! What the access log hears from the browser, derived from the state after each input rather
//! than from each handler: a process shown (once per session), an image on screen (once per
//! image per session), the comparison or a raw view opened, an id copied, an image saved. The
//! app stays pure: it only returns [`Command::Audit`]s, which the runtime hands to the log's
//! background task (see `crate::audit::app`).
//!
//! A decision is recorded when the store says it is, which is after the reviewer has moved on
//! (deciding advances to the next process, which is opened at once). So that the log keeps the
//! order things happened in, what happens after a decision is asked waits behind it until its
//! answer: `decision` on A, then `process_opened` on B, never the other way round.

use std::collections::{HashSet, VecDeque};

use super::list::ProcessList;
use super::message::review::ReviewRequest;
use super::message::{Command, Job, RequestId, SaveFailure};
use super::outbox::Outbox;
use super::overlays::Overlay;
use super::preview::{ImageState, Images};
use super::tree::ResultView;
use crate::audit::{AuditEvent, Code, ProcessRef, RawKind};
use crate::images::{CellSize, ImageKey, ImageRequest, ImageView};

/// What has already been recorded this session.
#[derive(Debug, Default)]
pub(super) struct Audited {
    opened: HashSet<String>,
    shown: HashSet<ImageKey>,
    compare_open: bool,
    raw_open: bool,
    /// Decisions asked and not answered, and the events that happened after the first of them,
    /// in the order they happened.
    waiting: VecDeque<Waiting>,
}

#[derive(Debug)]
enum Waiting {
    /// A decision, note or undo asked: `None` until answered, then what to record (nothing
    /// when the store did not record it).
    Decision(RequestId, Option<Option<AuditEvent>>),
    Event(AuditEvent),
}

impl Audited {
    /// Decisions, notes and undos asked by this input: what happens after them waits for their
    /// answers. Called before anything else of the input is recorded.
    pub(super) fn asked(&mut self, out: &Outbox) {
        for command in out.commands() {
            if let Command::Request(request) = command
                && let Job::Review(review) = &request.job
                && !matches!(review, ReviewRequest::Hold { .. })
                && !self.is_waiting_for(request.id)
            {
                self.waiting.push_back(Waiting::Decision(request.id, None));
            }
        }
    }

    fn is_waiting_for(&self, id: RequestId) -> bool {
        self.waiting
            .iter()
            .any(|w| matches!(w, Waiting::Decision(asked, _) if *asked == id))
    }

    /// Records `event` now, or behind the decisions still waiting for their answer.
    fn record(&mut self, event: AuditEvent, out: &mut Outbox) {
        if self.waiting.is_empty() {
            out.push(Command::Audit(event));
        } else {
            self.waiting.push_back(Waiting::Event(event));
        }
    }

    /// The store answered request `id` (or it was cancelled): its decision is recorded in its
    /// place if the store recorded it, and what waited behind it follows.
    pub(super) fn answered(
        &mut self,
        id: RequestId,
        request: &ReviewRequest,
        recorded: bool,
        out: &mut Outbox,
    ) {
        let event = recorded.then(|| decision_event(request)).flatten();
        let place = self.waiting.iter_mut().find_map(|w| match w {
            Waiting::Decision(asked, outcome) if *asked == id => Some(outcome),
            _ => None,
        });
        match place {
            Some(outcome) => *outcome = Some(event),
            // Asked before the log was listening: nothing waits on it.
            None => {
                if let Some(event) = event {
                    out.push(Command::Audit(event));
                }
            }
        }
        self.release(out);
    }

    /// Records from the front every event no unanswered decision stands before.
    fn release(&mut self, out: &mut Outbox) {
        while let Some(front) = self.waiting.front() {
            if matches!(front, Waiting::Decision(_, None)) {
                return;
            }
            if let Some(Waiting::Event(event) | Waiting::Decision(_, Some(Some(event)))) =
                self.waiting.pop_front()
            {
                out.push(Command::Audit(event));
            }
        }
    }

    /// Quitting: the answers still awaited will not be heard, so what waits for them is
    /// recorded now (the decisions themselves were not confirmed and are not).
    fn quitting(&mut self, out: &mut Outbox) {
        for waiting in std::mem::take(&mut self.waiting) {
            if let Waiting::Event(event) | Waiting::Decision(_, Some(Some(event))) = waiting {
                out.push(Command::Audit(event));
            }
        }
    }

    /// Images on screen that have been drawn, each recorded once.
    pub(super) fn shown(
        &mut self,
        images: &Images,
        targets: &[(&ImageRequest, CellSize, ImageView)],
        out: &mut Outbox,
    ) {
        for (request, area, view) in targets {
            if let ImageState::Ready(image) = images.state(&request.key, *area, *view)
                && self.shown.insert(request.key.clone())
            {
                let event = AuditEvent::ImageShown {
                    process: ProcessRef::new(&request.key.process_id),
                    image: image.info.kind.into(),
                };
                self.record(event, out);
            }
        }
    }

    /// After each input: a process newly shown, an overlay newly opened, an id copied (a copy
    /// among this input's commands).
    pub(super) fn after_input(
        &mut self,
        view: &ResultView,
        overlay: &Overlay,
        list: &ProcessList,
        out: &mut Outbox,
    ) {
        let process = view.process_id().map(ProcessRef::new);
        let mut events = Vec::new();
        if let ResultView::Ready { process_id, .. } = view
            && self.opened.insert(process_id.clone())
        {
            events.push(AuditEvent::ProcessOpened {
                process: ProcessRef::new(process_id),
            });
        }
        let compare_open = *overlay == Overlay::Compare;
        let raw = match overlay {
            // Only the details view is titled by its validation (see `overlays::raw::open`).
            Overlay::Raw(view) if view.title.starts_with("validation ") => Some(RawKind::Details),
            Overlay::Raw(_) => Some(RawKind::Result),
            _ => None,
        };
        if let Some(process) = &process {
            if compare_open && !self.compare_open {
                events.push(AuditEvent::CompareOpened {
                    process: process.clone(),
                });
            }
            if let Some(view) = raw.filter(|_| !self.raw_open) {
                events.push(AuditEvent::RawViewOpened {
                    process: process.clone(),
                    view,
                });
            }
        }
        self.compare_open = compare_open;
        self.raw_open = raw.is_some();
        if out.commands().iter().any(|c| matches!(c, Command::Copy(_))) {
            let copied = process.clone().or_else(|| {
                list.selected()
                    .and_then(|r| r.process_id.as_deref())
                    .map(ProcessRef::new)
            });
            if let Some(process) = copied {
                events.push(AuditEvent::IdCopied { process });
            }
        }
        for event in events {
            self.record(event, out);
        }
        if out.commands().iter().any(|c| matches!(c, Command::Quit)) {
            self.quitting(out);
        }
    }

    /// A file saved: the job said which image, the answer where it went.
    pub(super) fn saved(
        &mut self,
        request: &ImageRequest,
        result: &Result<crate::images::SaveOutcome, SaveFailure>,
        out: &mut Outbox,
    ) {
        // A save that found the bytes already on disk wrote nothing: nothing to record.
        if let Ok(crate::images::SaveOutcome::Written(path)) = result {
            let event = AuditEvent::ImageSaved {
                process: ProcessRef::new(&request.key.process_id),
                image: request.link.kind.into(),
                path: path.to_string_lossy().into_owned(),
            };
            self.record(event, out);
        }
    }
}

/// What the log says of a decision, note or undo the review store recorded: the verdict and
/// reason codes, never the note's text (the log must not become a copy of what it guards).
fn decision_event(request: &ReviewRequest) -> Option<AuditEvent> {
    let event = match request {
        ReviewRequest::Decide {
            process_id,
            decision,
            ..
        } => AuditEvent::Decision {
            process: ProcessRef::new(process_id),
            verdict: Code::new(decision.verdict.wire_name()),
            reason: decision.reason.map(|r| Code::new(r.wire_name())),
        },
        ReviewRequest::Undo { process_id, .. } => AuditEvent::Decision {
            process: ProcessRef::new(process_id),
            verdict: Code::new("undo"),
            reason: None,
        },
        ReviewRequest::Note { process_id, .. } => AuditEvent::NoteAdded {
            process: ProcessRef::new(process_id),
        },
        ReviewRequest::Hold { .. } => return None,
    };
    Some(event)
}
