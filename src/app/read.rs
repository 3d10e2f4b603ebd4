//! Read access to the app's state, for the ui and the runtime: the ui draws from these and
//! never changes the state.

use super::overlays::Overlay;
use super::status::StatusLine;
use super::{
    App, AppOptions, Focus, Images, Job, Keymap, Loading, ProcessList, RequestId, ResultView,
    review,
};

impl App {
    /// Privacy mode: personal data masked, and photos not drawn (a placeholder says what each is).
    pub fn private(&self) -> bool {
        self.private
    }

    pub fn options(&self) -> &AppOptions {
        &self.opts
    }

    /// The zone the list, the tree and compare show times in.
    pub fn time_zone(&self) -> &crate::date::zone::DisplayZone {
        &self.opts.time_zone
    }

    pub fn keymap(&self) -> &Keymap {
        &self.opts.keymap
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn list(&self) -> &ProcessList {
        &self.list
    }

    pub fn loading(&self) -> &Loading {
        &self.loading
    }

    pub fn view(&self) -> &ResultView {
        &self.view
    }

    pub fn images(&self) -> &Images {
        &self.images
    }

    pub fn overlay(&self) -> &Overlay {
        &self.overlay
    }

    /// The filter text being typed, when the filter input is open.
    pub fn filter_input(&self) -> Option<&str> {
        self.input.as_deref()
    }

    pub fn status(&self) -> &StatusLine {
        &self.out.status
    }

    pub fn review(&self) -> &review::ReviewDesk {
        &self.review
    }

    /// Requests awaiting their answer, oldest first.
    pub fn pending_requests(&self) -> impl Iterator<Item = (RequestId, &Job)> {
        self.out.requests.pending()
    }
}
