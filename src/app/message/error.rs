//! Why a request failed, as its answer carries it: small enums, so the app (and its tests) can
//! tell the cases apart, each worded exactly as the status line shows it.

use std::path::Path;
use std::sync::Arc;

use crate::api::ApiError;
use crate::images::{ImageError, SaveError};
use crate::review::{HeadMoved, Refusal};

/// Why an image could not be shown ([`Message::Image`](super::Message::Image)). Cloned: the
/// worker answers every request for the same image from one fetch.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ImageFailure {
    /// Downloading it, or re-signing its expired link, failed.
    #[error(transparent)]
    Fetch(#[from] ApiError),
    /// The bytes are not a picture that can be shown: corrupt, too large, another format.
    #[error(transparent)]
    Decode(Arc<ImageError>),
    /// Anything else, in words: the task decoding it stopped (`decoding stopped: …`).
    #[error("{0}")]
    Other(String),
}

/// Why an image was not saved ([`Message::Saved`](super::Message::Saved)).
#[derive(Clone, Debug, thiserror::Error)]
pub enum SaveFailure {
    /// Downloading it, or re-signing its expired link, failed.
    #[error(transparent)]
    Fetch(#[from] ApiError),
    /// Writing the file failed or was refused (disk full, a link where the file would go).
    #[error(transparent)]
    Write(Arc<SaveError>),
    /// Anything else, in words: the task saving it stopped (`saving stopped: …`).
    #[error("{0}")]
    Other(String),
    /// No answer came: the worker gave the save up. `what`: `document front of process IDP1`.
    #[error("{what} was not saved (the task stopped)")]
    Cancelled { what: String },
}

impl From<ImageError> for ImageFailure {
    fn from(e: ImageError) -> Self {
        ImageFailure::Decode(Arc::new(e))
    }
}

impl From<SaveError> for SaveFailure {
    fn from(e: SaveError) -> Self {
        SaveFailure::Write(Arc::new(e))
    }
}

/// Why the review desk did not record a request
/// ([`ReviewNews::Answer`](super::review::ReviewNews::Answer)).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotRecorded {
    /// The review rules refuse it: an empty note, nothing of yours to undo.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The store refuses it for good (read-only, not a review store…) or cannot be opened:
    /// the store's words.
    #[error("{0}")]
    Store(String),
    /// It waited for the store (busy, disk full) and the browser was closed first: why it
    /// waited.
    #[error("not recorded: {0}")]
    GaveUp(String),
    /// A colleague's decision stands where this one was taken (the head moved since the
    /// reviewer saw it): nothing was recorded, and nothing of theirs replaced. `ago`: how long
    /// ago theirs was recorded, when the desk refused (`2 s`).
    #[error("{} {ago} ago", .moved.what())]
    Superseded { moved: HeadMoved, ago: String },
    /// No answer came: the desk or the runtime gave the request up.
    #[error("no answer")]
    NoAnswer,
}

/// Why a store that opened cannot record decisions (its marks are still shown):
/// [`ReviewNews::Opened`](super::review::ReviewNews::Opened).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReadOnly(pub String);

impl ReadOnly {
    /// `the review store PATH is read-only (WHY)`.
    pub fn new(path: &Path, why: &str) -> ReadOnly {
        ReadOnly(format!(
            "the review store {} is read-only ({why})",
            path.display()
        ))
    }
}

/// Failures told in words only convert from them: the words are what the status line shows.
macro_rules! from_words {
    ($($ty:ty => $make:expr;)*) => {$(
        impl From<String> for $ty {
            fn from(words: String) -> Self {
                $make(words)
            }
        }

        impl From<&str> for $ty {
            fn from(words: &str) -> Self {
                $make(words.to_owned())
            }
        }
    )*};
}

from_words! {
    ImageFailure => ImageFailure::Other;
    SaveFailure => SaveFailure::Other;
    NotRecorded => NotRecorded::Store;
    ReadOnly => ReadOnly;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Typing the failures changed no word on screen: each reads as the text it replaced.
    #[test]
    fn failures_read_as_the_words_they_replaced() {
        let expired = ApiError::LinkExpired {
            what: "document front".into(),
        };
        assert_eq!(
            ImageFailure::from(expired.clone()).to_string(),
            expired.to_string()
        );
        let empty = ImageError::Empty;
        let text = empty.to_string();
        assert_eq!(ImageFailure::from(empty).to_string(), text);
        let full = SaveError::DiskFull {
            path: "/tmp/d/x.jpg".into(),
        };
        let text = full.to_string();
        assert_eq!(SaveFailure::from(full).to_string(), text);
        assert_eq!(
            SaveFailure::Cancelled {
                what: "document front of process IDP1".into()
            }
            .to_string(),
            "document front of process IDP1 was not saved (the task stopped)"
        );
        assert_eq!(
            NotRecorded::from(Refusal::NothingToUndo).to_string(),
            Refusal::NothingToUndo.to_string()
        );
        assert_eq!(
            NotRecorded::GaveUp("the store is busy".into()).to_string(),
            "not recorded: the store is busy"
        );
        assert_eq!(NotRecorded::NoAnswer.to_string(), "no answer");
        assert_eq!(
            ReadOnly::new(Path::new("/r/reviews.sqlite3"), "permission denied").to_string(),
            "the review store /r/reviews.sqlite3 is read-only (permission denied)"
        );
        assert_eq!(
            ImageFailure::from("decoding stopped: panicked").to_string(),
            "decoding stopped: panicked"
        );
    }
}
