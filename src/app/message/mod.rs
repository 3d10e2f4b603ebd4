//! The contract between the pure app and the outside world.
//!
//! `App::update` (see `update.rs`) turns an [`Action`](crate::keymap::Action) or a [`Message`] into state changes and
//! a list of [`Command`]s; the runtime hands commands to the worker (network, disk, decoding) or
//! performs them on the terminal (clipboard, quit), and the worker's results come back as
//! `Message`s. Every [`Request`] carries a [`RequestId`] and gets exactly one answer with that id
//! (done, failed or cancelled), so the app knows what it asked and what came back: no guessing
//! from counters. An answer whose id the app has let go of is dropped.

pub mod error;
mod id;
pub mod review;

pub use error::{ImageFailure, NotRecorded, ReadOnly, SaveFailure};
pub use id::RequestId;

use std::sync::Arc;

use crate::api::ApiError;
use crate::api::model::{ProcessResult, ProcessSummary, ValidationDetails};
use crate::images::{CellSize, ImageRequest, ImageView, RenderedImage};

/// Work for the worker. Every job is answered exactly once, by the [`Message`] of its kind
/// (carrying a `Result`) or by [`Message::Cancelled`].
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    /// The next page of the process list (the worker keeps the cursor). Answered by `Page`.
    LoadPage,
    /// `--watch`: the newest processes, read until a page holds one of `known` (the list is
    /// newest first) or the list ends.
    Watch {
        known: Arc<std::collections::HashSet<String>>,
    },
    /// A process result; answered by `Result`. The worker cancels the result and image fetches
    /// of other processes still running: the newest selection wins. `refresh` drops what the
    /// worker holds for the process (image bytes, links) so everything is fetched anew.
    FetchResult { process_id: String, refresh: bool },
    /// Validations API details (`show_details=true`) for one validation. Answered by `Details`.
    FetchDetails {
        process_id: String,
        validation_id: String,
    },
    /// Download (or take from cache), decode and encode an image for the terminal at this size.
    /// An expired link is refreshed by re-fetching the result and retried once. Answered by
    /// `Image`.
    FetchImage {
        request: ImageRequest,
        area: CellSize,
        /// The part to show (zoom, or the portrait on a document), cropped before encoding.
        view: ImageView,
    },
    /// Save one image into `download_dir/<process_id>/`. Saves run one after another, in the
    /// order asked, and are never cancelled by a selection. Answered by `Saved`.
    Save { request: ImageRequest },
    /// The review desk's look-ahead: the next unreviewed process's result, fetched without
    /// selecting it (the worker keeps it alive across the next selection change, and cancels it
    /// when a newer prefetch replaces it). Answered by `Result`.
    Prefetch { process_id: String },
    /// A request to the review desk's store (routed to the desk's thread, not the worker).
    /// Answered by `Review(ReviewNews::Answer)`.
    Review(review::ReviewRequest),
}

/// A job with the id its answer will carry.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub id: RequestId,
    pub job: Job,
}

/// What the app asks for. Executed by the runtime; never blocks the UI.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Work for the worker, answered exactly once.
    Request(Request),
    /// Put text on the clipboard (OSC 52, works over SSH). Done by the runtime; no answer.
    Copy(String),
    /// Leave. No answer.
    Quit,
    /// Ring the terminal's bell (`--watch` found a new failure and `watch_bell` is on). Done
    /// by the runtime; no answer.
    Bell,
    /// Record this in the access log: the runtime hands it to the log's background task. No
    /// answer.
    Audit(crate::audit::AuditEvent),
}

impl Command {
    /// The job, when this is a request for the worker.
    pub fn job(&self) -> Option<&Job> {
        match self {
            Command::Request(r) => Some(&r.job),
            Command::Copy(_) | Command::Quit | Command::Bell | Command::Audit(_) => None,
        }
    }

    pub fn request_id(&self) -> Option<RequestId> {
        match self {
            Command::Request(r) => Some(r.id),
            Command::Copy(_) | Command::Quit | Command::Bell | Command::Audit(_) => None,
        }
    }
}

/// One page of the process list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListPage {
    pub items: Vec<ProcessSummary>,
    /// More pages remain.
    pub more: bool,
    /// List entries that were not processes (reported in the status bar).
    pub skipped: usize,
}

/// A person read in the background with where its row most likely is: an archive lists its
/// processes in the order the list loads them. The hint is checked, never trusted.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonAt {
    pub row: usize,
    pub process_id: String,
    pub person: crate::api::model::Person,
}

/// What the worker (and the runtime) report back. Answers carry the id of the request they
/// answer and a `Result`; what they are for is what the app asked under that id.
#[derive(Debug)]
pub enum Message {
    /// Answers [`Job::LoadPage`].
    Page {
        id: RequestId,
        result: Result<ListPage, ApiError>,
    },
    /// Answers [`Job::FetchResult`].
    Result {
        id: RequestId,
        result: Result<Arc<ProcessResult>, ApiError>,
    },
    /// Answers [`Job::FetchDetails`].
    Details {
        id: RequestId,
        result: Result<Arc<ValidationDetails>, ApiError>,
    },
    /// Answers [`Job::FetchImage`].
    Image {
        id: RequestId,
        result: Result<Arc<RenderedImage>, ImageFailure>,
    },
    /// Answers [`Job::Save`] with where the file went (or which file already held the bytes).
    Saved {
        id: RequestId,
        result: Result<crate::images::SaveOutcome, SaveFailure>,
    },
    /// Answers any job the worker gave up on: a newer selection aborted it, the runtime dropped
    /// it as superseded, or its task died.
    Cancelled { id: RequestId },
    /// Answers a job the worker cannot take because it has stopped (a bug ended its task; the
    /// log has the panic): the runtime, or the worker's last act, answers for it. The app shows
    /// it failed and asks nothing again for it, so neither waits for the other forever.
    WorkerStopped { id: RequestId },
    /// Not an answer: a result the worker fetched on its own to re-sign an expired image link.
    /// Its links are the freshest; the app keeps it like any result.
    FreshResult {
        process_id: String,
        result: Arc<ProcessResult>,
    },
    /// Not an answer: details fetched again to re-sign an expired link found only in them.
    FreshDetails {
        validation_id: String,
        details: Arc<ValidationDetails>,
    },
    /// Not an answer: a problem from the background for the status bar (the access log cannot
    /// be written).
    Warning(String),
    /// The review desk: the answer to a `Job::Review`, or the store's news.
    Review(review::ReviewNews),
    /// The terminal was resized.
    Resize { width: u16, height: u16 },
    /// The runtime's `--watch` timer fired.
    WatchTick,
    /// The runtime's rest timer fired: the selection of this generation has stayed put for
    /// `image_rest_ms` (see `app::preview::rest`).
    SelectionRested { generation: u64 },
    /// The runtime's look timer fired: the selected process's result of this generation has
    /// been on screen for `app::review::look::LOOK`.
    Looked { generation: u64 },
    /// Not an answer: the people of an archive's processes, read in the background so every
    /// row shows (and the filter finds) its person without opening it.
    People(Vec<PersonAt>),
    /// Answers [`Job::Watch`]: the processes read, newest first.
    Watched {
        id: RequestId,
        result: Result<ListPage, ApiError>,
    },
}

impl Message {
    /// The request this message answers; `None` for news that answers nothing.
    pub fn answers(&self) -> Option<RequestId> {
        match self {
            Message::Page { id, .. }
            | Message::Watched { id, .. }
            | Message::Result { id, .. }
            | Message::Details { id, .. }
            | Message::Image { id, .. }
            | Message::Saved { id, .. }
            | Message::Cancelled { id }
            | Message::WorkerStopped { id }
            | Message::Review(review::ReviewNews::Answer { id, .. }) => Some(*id),
            Message::Review(_) => None,
            Message::FreshResult { .. }
            | Message::FreshDetails { .. }
            | Message::Warning(_)
            | Message::Resize { .. }
            | Message::People(_)
            | Message::WatchTick
            | Message::SelectionRested { .. }
            | Message::Looked { .. } => None,
        }
    }
}
