//! Privacy mode's state: on or off, and the personal values of the shown result that its free
//! text is searched for (see [`Known`]) — found once when a result is shown, not per frame.

use std::sync::Arc;

use super::overlays::Overlay;
use super::{App, ResultView};
use crate::api::model::ProcessResult;
use crate::privacy::Known;

/// The personal values of one result, kept beside it.
pub(super) struct ShownKnown {
    result: Arc<ProcessResult>,
    known: Known,
}

impl App {
    /// Starts in privacy mode (`--private`, `private = true`).
    pub fn set_private(&mut self, on: bool) {
        self.private = on;
        self.refresh_known();
    }

    pub(super) fn toggle_privacy(&mut self) {
        self.private = !self.private;
        self.refresh_known();
        self.out.status.info(if self.private {
            "privacy on: personal data masked, photos not drawn (saving still saves the originals)"
        } else {
            "privacy off"
        });
    }

    /// What privacy mode hides in the shown process's texts beyond field names and shapes: the
    /// personal values of its result. Nothing when privacy is off or no result is shown.
    pub fn known(&self) -> &Known {
        match &self.view {
            ResultView::Ready {
                process_id, result, ..
            } => match self.knowns.peek(process_id) {
                Some(shown) if Arc::ptr_eq(&shown.result, result) => &shown.known,
                _ => Known::none(),
            },
            _ => Known::none(),
        }
    }

    /// Finds the shown result's personal values when privacy is on and they are not known yet;
    /// an open raw view is masked (or unmasked) to match.
    pub(super) fn refresh_known(&mut self) {
        self.find_known();
        if let Overlay::Raw(view) = &self.overlay {
            let mut view = view.clone();
            view.set_private(self.private.then(|| self.known()));
            self.overlay = Overlay::Raw(view);
        }
    }

    /// Finds the shown result's personal values, unless they are known from an earlier visit
    /// to the same result; with privacy off, none are kept.
    fn find_known(&mut self) {
        if !self.private {
            self.knowns.retain(|_, _| false);
            return;
        }
        let ResultView::Ready {
            process_id, result, ..
        } = &self.view
        else {
            return;
        };
        match self.knowns.peek(process_id) {
            Some(shown) if Arc::ptr_eq(&shown.result, result) => self.knowns.touch(process_id),
            _ => {
                let shown = ShownKnown {
                    result: Arc::clone(result),
                    known: Known::from_json(&result.raw),
                };
                self.knowns.insert(process_id.clone(), shown);
            }
        }
    }
}
