//! The image types the app, the worker and the image pipeline share: which image
//! ([`ImageKey`], [`ImageRequest`]), at what size ([`CellSize`]), and what came out of decoding
//! ([`ImageInfo`], [`RenderedImage`]). They belong to `images`, which owns the pipeline; the app's
//! messages carry them.

use crate::api::model::{ImageKind, ImageLink};
// The zoom's geometry is the app's (what the reviewer chose); an image records which part of
// it was drawn.
use super::view::Region;

/// One image of one process: the unit of fetching, caching and saving.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ImageKey {
    pub process_id: String,
    /// `ProcessResult::validation_key`: the validation's id, made unique within the result
    /// (`id#index`, `#index`) when the server sent a duplicate or none.
    pub validation_id: String,
    /// The link's field (`front_image`, `input_files-0`).
    pub field: String,
}

/// An image request: what to fetch, with the type of the validation it belongs to (for naming).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageRequest {
    pub key: ImageKey,
    pub link: ImageLink,
    /// `document-validation`, `face-recognition`, ...: the first part of the save name.
    pub validation_type: String,
}

/// A cell area (columns, rows) an image is fitted into; images are encoded once per area.
pub type CellSize = (u16, u16);

/// Facts about a decoded image, shown under the preview.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageInfo {
    pub kind: ImageKind,
    pub width: u32,
    pub height: u32,
    pub bytes: usize,
    /// `jpeg`, `png`, `pdf`, ... from the bytes, not the URL.
    pub format: &'static str,
}

/// An image ready to draw: the terminal encoding for one area plus its facts.
pub struct RenderedImage {
    pub info: ImageInfo,
    /// `None` when the file is not a picture (a PDF) or images are off.
    pub protocol: Option<ratatui_image::protocol::Protocol>,
    /// The part of the image drawn: where zooming from this image starts.
    pub shown: Region,
    /// For [`ImageView::Portrait`](super::ImageView::Portrait): whether a face was found (else the whole card is shown).
    pub portrait: Option<bool>,
}

impl std::fmt::Debug for RenderedImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderedImage")
            .field("info", &self.info)
            .field("protocol", &self.protocol.is_some())
            .field("shown", &self.shown)
            .field("portrait", &self.portrait)
            .finish()
    }
}
