//! No waiting on advance: while the reviewer looks at a process (its view complete: result and
//! images drawn), the next unreviewed one's result and the images its view will show (the
//! preview's picture, or both sides of the compare view, at the sizes they will be drawn) are
//! fetched, decoded and encoded in the background. The advance after a decision then finds
//! everything cached and draws the next process at once, also on a slow API.
//!
//! The worker keeps the prefetch alive when the reviewer advances onto it, and aborts it when a
//! newer prefetch replaces it (the reviewer went elsewhere).

use crate::app::overlays::Overlay;
use crate::app::preview::zoom::Side;
use crate::app::preview::{ImageState, auto_fetches, comparison, preview_request};
use crate::app::review::Access;
use crate::app::tree::Tree;
use crate::app::tree::build as tree_build;
use crate::app::{App, Job, cells};
use crate::images::{CellSize, ImageRequest, ImageView};

/// What has been asked for the process after this one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(in crate::app) struct Prefetch {
    process_id: Option<String>,
    result_asked: bool,
    /// The view its images were asked for.
    images_for: Option<ImagesFor>,
}

/// The view (compare or not), the terminal size and the preview's size (the compact layout
/// shows the preview only with the process).
type ImagesFor = (bool, (u16, u16), CellSize);

impl App {
    /// Called after each input while the current view is complete.
    pub(in crate::app) fn prefetch_next(&mut self) {
        if !self.opts.prefetch || matches!(self.review.access, Access::Unavailable(_)) {
            return;
        }
        let Some(current) = self.view.process_id().map(str::to_owned) else {
            return;
        };
        let Some(next) = self
            .next_open(&current)
            .and_then(|pos| self.list.visible().get(pos).copied())
            .and_then(|i| self.list.row(i)?.process_id.clone())
        else {
            return;
        };
        if self.review.prefetch.process_id.as_deref() != Some(next.as_str()) {
            self.review.prefetch = Prefetch {
                process_id: Some(next.clone()),
                ..Prefetch::default()
            };
        }
        let Some(result) = self.results.peek(&next).cloned() else {
            if !self.review.prefetch.result_asked {
                self.review.prefetch.result_asked = true;
                self.out.ask(Job::Prefetch { process_id: next });
            }
            return;
        };
        let compare = self.overlay == Overlay::Compare;
        let panes = self.panes();
        // The compact layout shows the preview only with the process: its size is what counts.
        let view = (compare, self.size, cells(panes.preview_image));
        if self.review.prefetch.images_for == Some(view) {
            return;
        }
        self.review.prefetch.images_for = Some(view);
        // The tree the advance will build (history aside, which holds no images), opened the
        // same way, so the preview's picture is the one it will show.
        let tree = Tree::new(tree_build::build(
            &next,
            &result,
            &self.details,
            self.time_zone(),
        ));
        // Each side as the advance will show it: a new process starts unzoomed, the document
        // on its portrait.
        let mut targets: Vec<(ImageRequest, CellSize, ImageView)> = Vec::new();
        if compare {
            let c = comparison(&tree, &result);
            let [left, right] = panes.compare_images;
            targets.extend(
                c.document
                    .map(|r| (r.clone(), cells(left), Side::Document.start_view())),
            );
            targets.extend(
                c.selfie
                    .map(|r| (r.clone(), cells(right), Side::Selfie.start_view())),
            );
        } else if let Some(r) = preview_request(&tree).filter(|r| auto_fetches(r)) {
            targets.push((
                r.clone(),
                cells(panes.preview_image),
                Side::Preview.start_view(),
            ));
        }
        for (request, area, view) in targets {
            let empty = area.0 == 0 || area.1 == 0;
            if !empty
                && matches!(
                    self.images.state(&request.key, area, view),
                    ImageState::Loading
                )
            {
                self.out.ask(Job::FetchImage {
                    request,
                    area,
                    view,
                });
            }
        }
    }
}
