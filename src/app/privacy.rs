//! Privacy mode's state: on or off, and the personal values of the shown result that its free
//! text is searched for (see [`Known`]) — found once when a result is shown, not per frame.
//! Its key: `P`.

use std::sync::Arc;

use super::cache::Lru;
use super::outbox::Outbox;
use super::overlays::Overlay;
use super::tree::ResultView;
use crate::api::model::ProcessResult;
use crate::privacy::Known;

/// The personal values of one result, kept beside it.
struct ShownKnown {
    result: Arc<ProcessResult>,
    known: Known,
}

pub struct Privacy {
    /// The ui masks what it draws (see `crate::privacy`); a visual aid, not access control.
    on: bool,
    /// In privacy mode, the personal values of the results shown by process id, found once per
    /// result rather than on every frame or every visit.
    knowns: Lru<String, ShownKnown>,
}

impl Default for Privacy {
    fn default() -> Self {
        Privacy {
            on: false,
            knowns: Lru::new(256),
        }
    }
}

impl std::fmt::Debug for Privacy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Privacy")
            .field("on", &self.on)
            .field("knowns", &self.knowns.len())
            .finish()
    }
}

impl Privacy {
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// Turns privacy mode on or off (at start: `--private`, `private = true`).
    pub fn set(&mut self, on: bool, view: &ResultView, overlay: &mut Overlay) {
        self.on = on;
        self.refresh(view, overlay);
    }

    /// `P`.
    pub fn toggle(&mut self, view: &ResultView, overlay: &mut Overlay, out: &mut Outbox) {
        self.set(!self.on, view, overlay);
        out.info(if self.on {
            "privacy on: personal data masked, photos not drawn (saving still saves the originals)"
        } else {
            "privacy off"
        });
    }

    /// What privacy mode hides in the shown process's texts beyond field names and shapes: the
    /// personal values of its result. Nothing when privacy is off or no result is shown.
    pub fn known<'a>(&'a self, view: &ResultView) -> &'a Known {
        match view {
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
    pub fn refresh(&mut self, view: &ResultView, overlay: &mut Overlay) {
        self.find_known(view);
        if let Overlay::Raw(raw) = overlay {
            raw.set_private(self.on.then(|| self.known(view)));
        }
    }

    /// Finds the shown result's personal values, unless they are known from an earlier visit
    /// to the same result; with privacy off, none are kept.
    fn find_known(&mut self, view: &ResultView) {
        if !self.on {
            self.knowns.retain(|_, _| false);
            return;
        }
        let ResultView::Ready {
            process_id, result, ..
        } = view
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
