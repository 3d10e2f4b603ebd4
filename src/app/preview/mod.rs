//! Which images are on screen, and fetching each once per area.
//!
//! The preview follows the tree cursor (an image node, else the face or document of the
//! validation the cursor is in: [`preview_request`]); the compare view shows the document front
//! beside the selfie. The
//! app asks for exactly the images it shows, at the cell size the ui will draw them, and looks
//! them up by key when drawing, so an image for a selection the user has left is never shown.
//! Links that are not pictures (documents, unknown files) are never fetched for showing.

mod pane;
pub mod rest;
pub mod zoom;

pub use pane::{Preview, Target, cells, side_image};

use std::collections::HashSet;
use std::sync::Arc;

use super::cache::Lru;
use super::tree::{NodeKind, RawSource, Tree};
use crate::api::model::{ImageKind, ProcessResult, Status, ValidationType};
use crate::images::{CellSize, ImageInfo, ImageKey, ImageRequest, ImageView, RenderedImage};

/// What the preview can show for one image.
pub enum ImageState<'a> {
    Loading,
    Failed(&'a str),
    Ready(&'a RenderedImage),
    /// The view asked for is on its way; this is the same image at the same size in the view
    /// shown before (a zoom step), drawn meanwhile so the pane does not blank.
    Stale(&'a RenderedImage),
}

/// An image encoded for one area in one view: the unit of caching.
type Rendering = (ImageKey, CellSize, ImageView);

/// Encoded images and errors, and which (image, area, view) triples are on their way.
#[derive(Debug)]
pub struct Images {
    cache: Lru<Rendering, Arc<RenderedImage>>,
    errors: Lru<ImageKey, String>,
    /// Asked for and not answered. Each leaves when its answer (image, error or cancelled)
    /// arrives, which the worker guarantees.
    pending: HashSet<Rendering>,
    /// The view last drawn per (image, area), for [`ImageState::Stale`].
    last_view: Lru<(ImageKey, CellSize), ImageView>,
    /// What is known of images decoded before (size, bytes, format), shown while the cursor
    /// moves and images wait for it to rest.
    facts: Lru<ImageKey, ImageInfo>,
}

impl Default for Images {
    fn default() -> Self {
        Images {
            cache: Lru::new(32),
            errors: Lru::new(64),
            pending: HashSet::new(),
            last_view: Lru::new(32),
            facts: Lru::new(1024),
        }
    }
}

impl Images {
    pub fn state(&self, key: &ImageKey, area: CellSize, view: ImageView) -> ImageState<'_> {
        if let Some(img) = self.cache.peek(&(key.clone(), area, view)) {
            ImageState::Ready(img)
        } else if let Some(e) = self.errors.peek(key) {
            ImageState::Failed(e)
        } else if let Some(img) = self
            .last_view
            .peek(&(key.clone(), area))
            .and_then(|&shown| self.cache.peek(&(key.clone(), area, shown)))
        {
            ImageState::Stale(img)
        } else {
            ImageState::Loading
        }
    }

    /// The facts of an image decoded earlier in the session, at any size.
    pub fn facts(&self, key: &ImageKey) -> Option<&ImageInfo> {
        self.facts.peek(key)
    }

    /// The rendering in `view`, if it has arrived: zooming starts from the region it shows.
    pub fn rendered(
        &self,
        key: &ImageKey,
        area: CellSize,
        view: ImageView,
    ) -> Option<&RenderedImage> {
        self.cache.peek(&(key.clone(), area, view)).map(|i| &**i)
    }

    pub fn insert(
        &mut self,
        key: ImageKey,
        area: CellSize,
        view: ImageView,
        image: Arc<RenderedImage>,
    ) {
        self.errors.remove(&key);
        self.facts.insert(key.clone(), image.info.clone());
        let rendering = (key, area, view);
        self.pending.remove(&rendering);
        self.cache.insert(rendering, image);
    }

    pub fn failed(&mut self, key: ImageKey, area: CellSize, view: ImageView, error: String) {
        self.pending.remove(&(key.clone(), area, view));
        self.errors.insert(key, error);
    }

    /// The worker gave the fetch up (the user had moved on, or a newer size replaced it): no
    /// longer on its way, so `sync` asks again if it is still on screen.
    pub fn cancelled(&mut self, key: &ImageKey, area: CellSize, view: ImageView) {
        self.pending.remove(&(key.clone(), area, view));
    }

    /// Forgets what is known of a process's images, encoded or failed, so a refresh fetches them
    /// anew.
    pub fn forget_process(&mut self, process_id: &str) {
        self.errors.retain(|k, _| k.process_id != process_id);
        self.cache.retain(|(k, _, _), _| k.process_id != process_id);
    }

    /// Marks every target that is not cached, failed or on its way as pending and returns it,
    /// for the app to ask for.
    pub fn sync(
        &mut self,
        targets: &[(&ImageRequest, CellSize, ImageView)],
    ) -> Vec<(ImageRequest, CellSize, ImageView)> {
        let mut wanted = Vec::new();
        for &(request, area, view) in targets {
            if area.0 == 0 || area.1 == 0 {
                continue;
            }
            let rendering = (request.key.clone(), area, view);
            if self.cache.contains(&rendering) {
                self.cache.touch(&rendering);
                self.last_view.insert((request.key.clone(), area), view);
            } else if !self.errors.contains(&request.key) && self.pending.insert(rendering) {
                wanted.push((request.clone(), area, view));
            }
        }
        wanted
    }
}

/// The image the preview shows: it follows the tree cursor.
///
/// - on an image (or file) node: that link;
/// - inside a face-recognition heading, or anywhere in a face-recognition validation: that
///   validation's face (face photo, else the watermarked one, else the reference face), else
///   the process's face;
/// - anywhere else in a validation: its document front, else its reverse, else its first
///   picture;
/// - elsewhere (the process node, its history), or when the validation has no picture: the
///   process's first picture, the document front preferred.
///
/// Only pictures are fetched for it (see [`auto_fetches`]); other links show their facts.
pub fn preview_request(tree: &Tree) -> Option<&ImageRequest> {
    let Some(at) = tree.cursor_index() else {
        return first_picture(tree);
    };
    let nodes = tree.nodes();
    if let NodeKind::Image(request) = &nodes[at].kind {
        return Some(request);
    }
    let ancestors = || std::iter::successors(Some(at), |&i| nodes[i].parent);
    let Some(validation) = ancestors().find(|&i| nodes[i].kind == NodeKind::Validation) else {
        return first_picture(tree);
    };
    let own: Vec<&ImageRequest> = nodes[validation..nodes[validation].end]
        .iter()
        .filter_map(|n| match (&n.kind, &n.raw) {
            (NodeKind::Image(r), Some(raw)) if raw.source == RawSource::Result => Some(r),
            _ => None,
        })
        .collect();
    let in_face_heading = ancestors().any(|i| nodes[i].kind == NodeKind::Face);
    let face_validation = own.iter().any(|r| r.validation_type == FACE_VALIDATION);
    let of_kinds = |kinds: &[ImageKind]| {
        kinds
            .iter()
            .find_map(|&kind| own.iter().copied().find(|r| r.link.kind == kind))
    };
    if in_face_heading || face_validation {
        return of_kinds(&FACE_KINDS).or_else(|| selfie(tree));
    }
    of_kinds(&[ImageKind::DocumentFront, ImageKind::DocumentReverse])
        .or_else(|| own.iter().copied().find(|r| r.link.kind.is_picture()))
        .or_else(|| first_picture(tree))
}

/// The kinds that show a face, best first.
const FACE_KINDS: [ImageKind; 3] = [
    ImageKind::FacePhoto,
    ImageKind::FacePhotoWatermark,
    ImageKind::ReferenceFace,
];
const FACE_VALIDATION: &str = "face-recognition";

/// The process's face: of its face-recognition validation first, like the compare view's.
fn selfie(tree: &Tree) -> Option<&ImageRequest> {
    find_kind(tree, &FACE_KINDS, Some(FACE_VALIDATION))
        .or_else(|| find_kind(tree, &FACE_KINDS, None))
}

/// Whether showing a link fetches it. Only pictures are: every http(s) string in user-submitted
/// data is a link, and merely moving the cursor over one must not download whatever it points
/// at. Documents and unknown files are fetched only when the user saves them.
pub fn auto_fetches(request: &ImageRequest) -> bool {
    request.link.kind.is_picture()
}

/// Image requests of the result itself (not of fetched details), in tree order.
pub fn result_images(tree: &Tree) -> impl Iterator<Item = &ImageRequest> {
    tree.nodes().iter().filter_map(|n| match (&n.kind, &n.raw) {
        (NodeKind::Image(r), Some(raw)) if raw.source == RawSource::Result => Some(r),
        _ => None,
    })
}

/// The document front if there is one, else the first picture (not a PDF).
pub fn first_picture(tree: &Tree) -> Option<&ImageRequest> {
    find_kind(tree, &[ImageKind::DocumentFront], None)
        .or_else(|| result_images(tree).find(|r| r.link.kind.is_picture()))
}

fn find_kind<'a>(
    tree: &'a Tree,
    kinds: &[ImageKind],
    vtype: Option<&str>,
) -> Option<&'a ImageRequest> {
    kinds.iter().find_map(|&kind| {
        let mut of_kind = result_images(tree).filter(|r| r.link.kind == kind);
        match vtype {
            Some(t) => of_kind.find(|r| r.validation_type == t),
            None => of_kind.next(),
        }
    })
}

/// What the compare view puts side by side, and the face match numbers.
pub struct Comparison<'a> {
    pub document: Option<&'a ImageRequest>,
    pub selfie: Option<&'a ImageRequest>,
    /// The process has a face check (a face-recognition validation, or face data in another).
    pub face_check: bool,
    pub similarity: Option<f64>,
    pub threshold: Option<f64>,
    pub status: Option<&'a Status>,
    pub similarity_status: Option<&'a str>,
    pub liveness: Option<&'a str>,
    /// The types of the process's validations, in order, for saying what it has instead.
    pub validation_types: Vec<&'a str>,
}

pub fn comparison<'a>(tree: &'a Tree, result: &'a ProcessResult) -> Comparison<'a> {
    let doc_kinds = [ImageKind::DocumentFront];
    let face = result
        .validations
        .iter()
        .find(|v| v.validation_type == Some(ValidationType::FaceRecognition))
        .or_else(|| result.validations.iter().find(|v| v.face.is_some()));
    Comparison {
        document: find_kind(tree, &doc_kinds, Some("document-validation"))
            .or_else(|| find_kind(tree, &doc_kinds, None)),
        selfie: selfie(tree),
        face_check: face.is_some(),
        similarity: face.and_then(|v| v.face.as_ref()?.confidence_score),
        threshold: face.and_then(|v| v.threshold),
        status: face.and_then(|v| v.validation_status.as_ref()),
        similarity_status: face.and_then(|v| v.face.as_ref()?.similarity_status.as_deref()),
        liveness: face.and_then(|v| v.face.as_ref()?.passive_liveness_status.as_deref()),
        validation_types: result
            .validations
            .iter()
            .filter_map(|v| v.validation_type.as_ref().map(|t| t.as_str()))
            .collect(),
    }
}
