//! No waiting on advance: while the reviewer looks at a process (its view complete: result and
//! images drawn), the next unreviewed one's result and the images its view will show (the
//! preview's picture, or both sides of the compare view, at the sizes they will be drawn) are
//! fetched, decoded and encoded in the background. The advance after a decision then finds
//! everything cached and draws the next process at once, also on a slow API.
//!
//! The worker keeps the prefetch alive when the reviewer advances onto it, and aborts it when a
//! newer prefetch replaces it (the reviewer went elsewhere).

use crate::app::layout::Panes;
use crate::app::message::Job;
use crate::app::outbox::Outbox;
use crate::app::preview::zoom::Side;
use crate::app::preview::{ImageState, Images, auto_fetches, cells, comparison, preview_request};
use crate::app::tree::build as tree_build;
use crate::app::tree::{Tree, TreePane};
use crate::date::zone::DisplayZone;
use crate::images::{CellSize, ImageRequest, ImageView};

/// What has been asked for the process after this one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Prefetch {
    process_id: Option<String>,
    result_asked: bool,
    /// The view its images were asked for.
    images_for: Option<ImagesFor>,
}

/// The view (compare or not), the terminal size and the preview's size (the compact layout
/// shows the preview only with the process).
type ImagesFor = (bool, (u16, u16), CellSize);

/// The view the reviewer is looking at, as the next process will be shown in it.
pub struct Looking<'a> {
    /// The process on screen.
    pub current: &'a str,
    /// The compare view is open.
    pub compare: bool,
    pub size: (u16, u16),
    pub panes: &'a Panes,
    pub zone: &'a DisplayZone,
}

impl Prefetch {
    /// Fetches what the advance to `next` (the process after `looking.current`) will show.
    pub(super) fn ask(
        &mut self,
        next: String,
        looking: &Looking,
        process: &TreePane,
        images: &Images,
        out: &mut Outbox,
    ) {
        if self.process_id.as_deref() != Some(next.as_str()) {
            *self = Prefetch {
                process_id: Some(next.clone()),
                ..Prefetch::default()
            };
        }
        let Some(result) = process.result(&next).cloned() else {
            if !self.result_asked {
                self.result_asked = true;
                out.ask(Job::Prefetch { process_id: next });
            }
            return;
        };
        let panes = looking.panes;
        // The compact layout shows the preview only with the process: its size is what counts.
        let view = (looking.compare, looking.size, cells(panes.preview_image));
        if self.images_for == Some(view) {
            return;
        }
        self.images_for = Some(view);
        // The tree the advance will build (history aside, which holds no images), opened the
        // same way, so the preview's picture is the one it will show.
        let tree = Tree::new(tree_build::build(
            &next,
            &result,
            process.details(),
            looking.zone,
        ));
        // Each side as the advance will show it: a new process starts unzoomed, the document
        // on its portrait.
        let mut targets: Vec<(ImageRequest, CellSize, ImageView)> = Vec::new();
        if looking.compare {
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
            if !empty && matches!(images.state(&request.key, area, view), ImageState::Loading) {
                out.ask(Job::FetchImage {
                    request,
                    area,
                    view,
                });
            }
        }
    }
}
