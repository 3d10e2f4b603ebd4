//! What the access log hears from the browser, derived from the state after each input rather
//! than from each handler: a process shown (once per session), an image on screen (once per
//! image per session), the comparison or a raw view opened, an id copied, an image saved. The
//! app stays pure: it only returns [`Command::Audit`]s, which the runtime hands to the log's
//! background task (see `crate::audit::app`).

use std::collections::HashSet;

use super::list::ProcessList;
use super::message::review::ReviewRequest;
use super::message::{Command, SaveFailure};
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
}

impl Audited {
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
                out.push(Command::Audit(AuditEvent::ImageShown {
                    process: ProcessRef::new(&request.key.process_id),
                    image: image.info.kind.into(),
                }));
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
            out.push(Command::Audit(event));
        }
    }

    /// A file saved: the job said which image, the answer where it went.
    pub(super) fn saved(
        request: &ImageRequest,
        result: &Result<crate::images::SaveOutcome, SaveFailure>,
        out: &mut Outbox,
    ) {
        // A save that found the bytes already on disk wrote nothing: nothing to record.
        if let Ok(crate::images::SaveOutcome::Written(path)) = result {
            out.push(Command::Audit(AuditEvent::ImageSaved {
                process: ProcessRef::new(&request.key.process_id),
                image: request.link.kind.into(),
                path: path.to_string_lossy().into_owned(),
            }));
        }
    }

    /// A decision, note or undo the review store recorded: the verdict and reason codes, never
    /// the note's text (the log must not become a copy of what it guards).
    pub(super) fn review(request: &ReviewRequest, out: &mut Outbox) {
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
            ReviewRequest::Hold { .. } => return,
        };
        out.push(Command::Audit(event));
    }
}
