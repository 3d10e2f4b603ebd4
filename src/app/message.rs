//! The contract between the pure app and the outside world.
//!
//! `App::update` turns an [`Action`](super::keymap::Action) or a [`Message`] into state changes and
//! a list of [`Command`]s; the runtime hands commands to the worker (network, disk, decoding) or
//! performs them on the terminal (clipboard, quit), and the worker's results come back as
//! `Message`s. Results are plain data tagged with what they are for, so an answer for a process the
//! user has already left is simply not shown.

use std::path::PathBuf;
use std::sync::Arc;

use crate::api::ApiError;
use crate::api::model::{ImageKind, ImageLink, ProcessResult, ProcessSummary, ValidationDetails};

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

/// What the app asks for. Executed by the runtime; never blocks the UI.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// The next page of the process list (the worker keeps the cursor).
    LoadPage,
    /// A process result. The worker cancels result fetches for other processes still running:
    /// the newest selection wins. `refresh` bypasses any cache.
    FetchResult {
        process_id: String,
        refresh: bool,
    },
    /// Validations API details (`show_details=true`) for one validation.
    FetchDetails {
        process_id: String,
        validation_id: String,
    },
    /// Download (or take from cache), decode and encode an image for the terminal at this size.
    /// An expired link is refreshed by re-fetching the result and retried once.
    FetchImage {
        request: ImageRequest,
        area: CellSize,
    },
    /// Save these images into `download_dir/<process_id>/`.
    Save {
        requests: Vec<ImageRequest>,
    },
    /// The review desk's look-ahead: the next unreviewed process's result, fetched without
    /// selecting it (the worker keeps it alive across the next selection change).
    Prefetch {
        process_id: String,
    },
    /// A request to the review desk's store; answered by one `Message::Review` with this id.
    Review {
        id: super::review_msg::ReviewRequestId,
        request: super::review_msg::ReviewRequest,
    },
    /// Put text on the clipboard (OSC 52, works over SSH).
    Copy(String),
    Quit,
}

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
}

impl std::fmt::Debug for RenderedImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RenderedImage")
            .field("info", &self.info)
            .field("protocol", &self.protocol.is_some())
            .finish()
    }
}

/// What the worker reports back.
#[derive(Debug)]
pub enum Message {
    Page {
        items: Vec<ProcessSummary>,
        /// More pages remain.
        more: bool,
        /// List entries that were not processes (reported in the status bar).
        skipped: usize,
    },
    PageFailed {
        error: ApiError,
    },
    Result {
        process_id: String,
        result: Arc<ProcessResult>,
    },
    ResultFailed {
        process_id: String,
        error: ApiError,
    },
    Details {
        validation_id: String,
        details: Arc<ValidationDetails>,
    },
    DetailsFailed {
        validation_id: String,
        error: ApiError,
    },
    Image {
        key: ImageKey,
        area: CellSize,
        image: Arc<RenderedImage>,
    },
    ImageFailed {
        key: ImageKey,
        error: String,
    },
    Saved {
        path: PathBuf,
    },
    SaveFailed {
        error: String,
    },
    /// Requests currently on the wire.
    Busy {
        in_flight: usize,
    },
    /// The review desk: an answer to a request, or the store's news.
    Review(super::review_msg::ReviewNews),
    /// The terminal was resized.
    Resize {
        width: u16,
        height: u16,
    },
}
