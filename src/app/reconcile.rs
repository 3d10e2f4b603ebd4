//! What follows from the state, derived after every input in one place: the selected process's
//! result, the images on screen once the selection has rested (`preview/rest.rs`), the scroll
//! positions in view, what the access log hears, the review lease, and the look-ahead. Handlers
//! only change state; they never need to remember to request anything.

use super::App;
use super::layout::inner;
use super::overlays::Overlay;
use super::preview::preview_request;
use super::review::Looking;
use super::tree::{ResultView, rows};
use super::update::shown;

impl App {
    pub(super) fn reconcile(&mut self) {
        self.follow_selection();
        self.watch.seen(&self.list.rows);
        self.track_rest();
        self.track_look();
        let panes = self.panes();
        // A pane the compact layout hides keeps its scroll until it is shown again.
        if panes.list_rows() > 0 {
            self.list.rows.scroll_into_view(panes.list_rows());
        }
        let tall = match self.tree.view() {
            ResultView::Ready { tree, .. } => {
                let known = self.privacy.is_on().then(|| self.known());
                rows::cursor_height(tree, known, inner(panes.tree))
            }
            _ => 1,
        };
        if panes.tree_rows() > 0
            && let Some(tree) = self.tree.tree_mut()
        {
            tree.scroll_tall_into_view(panes.tree_rows(), tall);
        }
        let compare = self.overlay == Overlay::Compare;
        let targets = self.preview.targets(self.tree.view(), compare, &panes);
        self.preview.fetch(&targets, &mut self.out);
        let looking = self.preview.rest.rested()
            && matches!(self.tree.view(), ResultView::Ready { .. })
            && self.preview.drawn(&targets);
        if self.opts.audit {
            let out = &mut self.out;
            self.audited.asked(out);
            self.audited.shown(&self.preview.images, &targets, out);
            let (view, list) = (self.tree.view(), &self.list.rows);
            self.audited.after_input(view, &self.overlay, list, out);
        }
        self.review.reconcile(&self.list.rows, &mut self.out);
        if looking
            && self.opts.prefetch
            && let Some(current) = self.tree.view().process_id()
        {
            let looking = Looking {
                current,
                compare,
                size: self.size,
                panes: &panes,
                zone: &self.opts.time_zone,
            };
            let images = &self.preview.images;
            let (list, tree) = (&self.list.rows, &self.tree);
            self.review
                .prefetch(&looking, list, tree, images, &mut self.out);
        }
        self.out.status.in_flight = self.out.requests.len();
    }

    /// Keeps the tree pane on the list's selection, fetching the result when it is not cached.
    fn follow_selection(&mut self) {
        let selected = self.list.rows.selected().map(|r| r.process_id.as_deref());
        let shown = shown(&self.review, &self.opts);
        if self.tree.follow(selected, shown, &mut self.out) {
            self.privacy.refresh(self.tree.view(), &mut self.overlay);
        }
    }

    /// Notes where the selection is and whether its result is on screen, for the verdict keys.
    fn track_look(&mut self) {
        let process = self.list.selected_id();
        let view = self.tree.view();
        let shown = matches!(view, ResultView::Ready { .. })
            && process.is_some()
            && view.process_id() == process.as_deref();
        let no_wait = self.opts.review_look.is_zero();
        self.review.look.track(process, shown, no_wait);
    }

    /// Notes where the selection is, for the images' rest.
    fn track_rest(&mut self) {
        let process = self.list.selected_id();
        let image = match self.tree.view() {
            ResultView::Ready { tree, .. } => preview_request(tree).map(|r| r.key.clone()),
            _ => None,
        };
        let no_wait = self.opts.image_budget.rest.is_zero();
        self.preview.rest.track(process, image, no_wait);
    }
}
