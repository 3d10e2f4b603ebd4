//! What the access log records, as types: every field is an id, a kind, a count, an option name
//! or a path the user chose. There is no free-text field, so a name, a document number or a
//! note's text cannot be written into the log by mistake: the log must not become a second copy
//! of the data it guards.

use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::counts::NamedCounts;
use crate::api::model::ImageKind;

/// One thing the tool did with personal data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditEvent {
    /// The browser (or an export) started: who, where, on what data.
    SessionStart {
        /// The reviewer's name from the config, when the review desk has one.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reviewer: Option<Code>,
        /// `USER`/`LOGNAME`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        os_user: Option<Code>,
        /// The host name from `/etc/hostname` or `HOSTNAME`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        host: Option<Code>,
        source: SourceKind,
        /// The key's label from the config, or the first 8 hex digits of its SHA-256; never
        /// the key.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key: Option<Code>,
        /// The OS process id, to tell apart two sessions running at once.
        pid: u32,
    },
    SessionEnd,
    /// A process's result was shown (once per process per session).
    ProcessOpened {
        process: ProcessRef,
    },
    /// An image was drawn on screen.
    ImageShown {
        process: ProcessRef,
        image: ImageTag,
    },
    /// The document/selfie comparison was opened.
    CompareOpened {
        process: ProcessRef,
    },
    /// An image was written to disk, at a path the user chose (the download folder).
    ImageSaved {
        process: ProcessRef,
        image: ImageTag,
        path: String,
    },
    /// A process id was put on the clipboard.
    IdCopied {
        process: ProcessRef,
    },
    /// The raw JSON of a result or of a validation's details was opened.
    RawViewOpened {
        process: ProcessRef,
        view: RawKind,
    },
    /// `truora-tui export` ran: what it was asked, what it wrote, where.
    ExportRun {
        options: ExportRunOptions,
        /// The export's own counters, as it handed them (`listed`, `exported`, …).
        counts: NamedCounts,
        destination: String,
        outcome: ExportOutcome,
    },
    /// A review decision: the verdict and reason codes, never the note's text.
    Decision {
        process: ProcessRef,
        verdict: Code,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<Code>,
    },
    /// A review note was written; its text stays in the review store.
    NoteAdded {
        process: ProcessRef,
    },
    /// The writer found a record torn by a crash mid-write at the end of a file and cut it off
    /// before appending (the chain continues from the last whole record).
    TornTailRemoved {
        bytes: u64,
    },
    /// The writer could not anchor the log's head in the review store at `store` (a path the user
    /// chose or the default): this batch and those after it are not vouched for until one is.
    AnchorUnavailable {
        store: String,
        reason: AnchorFailure,
    },
    /// `show` printed a process somewhere other than a terminal: a pipe, a device, or a file
    /// (its path, where the system says it, is one the user chose by redirecting).
    OutputRedirected {
        process: ProcessRef,
        to: OutputKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<String>,
    },
}

impl AuditEvent {
    /// The Truora process the event is about, if any.
    pub fn process(&self) -> Option<&ProcessRef> {
        match self {
            AuditEvent::ProcessOpened { process }
            | AuditEvent::ImageShown { process, .. }
            | AuditEvent::CompareOpened { process }
            | AuditEvent::ImageSaved { process, .. }
            | AuditEvent::IdCopied { process }
            | AuditEvent::RawViewOpened { process, .. }
            | AuditEvent::Decision { process, .. }
            | AuditEvent::NoteAdded { process }
            | AuditEvent::OutputRedirected { process, .. } => Some(process),
            AuditEvent::SessionStart { .. }
            | AuditEvent::SessionEnd
            | AuditEvent::ExportRun { .. }
            | AuditEvent::TornTailRemoved { .. }
            | AuditEvent::AnchorUnavailable { .. } => None,
        }
    }

    /// `image_saved`, as in the JSON.
    pub fn name(&self) -> &'static str {
        match self {
            AuditEvent::SessionStart { .. } => "session_start",
            AuditEvent::SessionEnd => "session_end",
            AuditEvent::ProcessOpened { .. } => "process_opened",
            AuditEvent::ImageShown { .. } => "image_shown",
            AuditEvent::CompareOpened { .. } => "compare_opened",
            AuditEvent::ImageSaved { .. } => "image_saved",
            AuditEvent::IdCopied { .. } => "id_copied",
            AuditEvent::RawViewOpened { .. } => "raw_view_opened",
            AuditEvent::ExportRun { .. } => "export_run",
            AuditEvent::Decision { .. } => "decision",
            AuditEvent::NoteAdded { .. } => "note_added",
            AuditEvent::TornTailRemoved { .. } => "torn_tail_removed",
            AuditEvent::AnchorUnavailable { .. } => "anchor_unavailable",
            AuditEvent::OutputRedirected { .. } => "output_redirected",
        }
    }

    pub fn image_saved(process: &str, kind: ImageKind, path: &Path) -> AuditEvent {
        AuditEvent::ImageSaved {
            process: ProcessRef::new(process),
            image: kind.into(),
            path: path.to_string_lossy().into_owned(),
        }
    }
}

/// A Truora process id. Ids come from the server, so one that does not look like an id (letters,
/// digits, `-`, `_`, at most 64) is stored as `#` and the first 16 hex digits of its SHA-256:
/// still searchable with `audit --process`, never a way to smuggle text into the log.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProcessRef(String);

impl ProcessRef {
    pub fn new(id: &str) -> ProcessRef {
        if is_token(id, 64) {
            ProcessRef(id.to_owned())
        } else {
            ProcessRef(format!("#{}", &hex(&Sha256::digest(id.as_bytes()))[..16]))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A short code: a verdict, a reason, a user or host name, a key label. Letters, digits and
/// `-_.@`, at most 64; anything else becomes `#` and a hash prefix, like [`ProcessRef`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Code(String);

impl Code {
    pub fn new(text: &str) -> Code {
        let ok = |c: char| c.is_ascii_alphanumeric() || "-_.@".contains(c);
        if !text.is_empty() && text.len() <= 64 && text.chars().all(ok) {
            Code(text.to_owned())
        } else {
            Code(format!("#{}", &hex(&Sha256::digest(text.as_bytes()))[..16]))
        }
    }

    /// A person's name as the user configured it (the reviewer: the tool's user, recorded for
    /// accountability): letters, digits, spaces and `-_.@'`, at most 64; else hashed.
    pub fn name(text: &str) -> Code {
        let ok = |c: char| c.is_alphanumeric() || " -_.@'".contains(c);
        let text = text.trim();
        if !text.is_empty() && text.chars().count() <= 64 && text.chars().all(ok) {
            Code(text.to_owned())
        } else {
            Code::new(text)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn is_token(text: &str, max: usize) -> bool {
    !text.is_empty()
        && text.len() <= max
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// Where the session's data came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Live,
    Archive,
    Demo,
}

/// Which kind of image, as [`ImageKind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageTag {
    DocumentFront,
    DocumentReverse,
    ReferenceFace,
    FacePhoto,
    FacePhotoWatermark,
    Signature,
    Document,
    InputFile,
    Other,
}

impl From<ImageKind> for ImageTag {
    fn from(kind: ImageKind) -> ImageTag {
        match kind {
            ImageKind::DocumentFront => ImageTag::DocumentFront,
            ImageKind::DocumentReverse => ImageTag::DocumentReverse,
            ImageKind::ReferenceFace => ImageTag::ReferenceFace,
            ImageKind::FacePhoto => ImageTag::FacePhoto,
            ImageKind::FacePhotoWatermark => ImageTag::FacePhotoWatermark,
            ImageKind::Signature => ImageTag::Signature,
            ImageKind::Document => ImageTag::Document,
            ImageKind::InputFile => ImageTag::InputFile,
            ImageKind::Other => ImageTag::Other,
        }
    }
}

/// Why the log's head could not be anchored in the review store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnchorFailure {
    /// The store (or its folder) cannot be written.
    ReadOnly,
    /// Written by a newer truora-tui: left untouched.
    Newer,
    /// Not a readable SQLite database.
    Corrupt,
    /// Another program's SQLite file, refused untouched.
    Foreign,
    /// Another program held the store's lock beyond the busy timeout.
    Busy,
    /// The disk holding the store is full.
    DiskFull,
    /// It cannot be opened or created.
    Unavailable,
    /// Writing to it failed (busy beyond the timeout, disk full…).
    Failed,
    /// The log's own first record cannot be read, so the log cannot be named.
    LogUnreadable,
}

impl AnchorFailure {
    /// `read_only`, as in the JSON.
    pub fn code(self) -> &'static str {
        match self {
            AnchorFailure::ReadOnly => "read_only",
            AnchorFailure::Newer => "newer",
            AnchorFailure::Corrupt => "corrupt",
            AnchorFailure::Foreign => "foreign",
            AnchorFailure::Busy => "busy",
            AnchorFailure::DiskFull => "disk_full",
            AnchorFailure::Unavailable => "unavailable",
            AnchorFailure::Failed => "failed",
            AnchorFailure::LogUnreadable => "log_unreadable",
        }
    }
}

/// Where `show`'s output went when it was not a terminal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutputKind {
    /// A regular file: saved.
    File,
    /// A pipe or a socket: another program read it.
    Pipe,
    /// Anything else (`/dev/null`, a device).
    Device,
}

/// Which raw JSON was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RawKind {
    Result,
    Details,
}

/// The options an export ran with (flag values, not data).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportRunOptions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Code>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Code>,
    /// The ids file's path, when the export was restricted to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ids_file: Option<String>,
    pub images: bool,
    pub details: bool,
    pub concurrency: usize,
}

/// How an export ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportOutcome {
    Completed,
    /// Some processes failed; a re-run retries them.
    Partial,
    Interrupted,
    /// The export could not run or was ended by an error.
    Failed,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_are_not_ids_are_hashed() {
        assert_eq!(ProcessRef::new("IDNTY123abc").as_str(), "IDNTY123abc");
        let odd = ProcessRef::new("Juan Pérez 1020304050");
        assert!(
            odd.as_str().starts_with('#') && odd.as_str().len() == 17,
            "{odd:?}"
        );
        assert!(!odd.as_str().contains("Juan"));
        assert_eq!(odd, ProcessRef::new("Juan Pérez 1020304050"));
    }

    #[test]
    fn codes_refuse_free_text() {
        assert_eq!(Code::new("approved").as_str(), "approved");
        assert_eq!(Code::new("ana.lopez@host-1").as_str(), "ana.lopez@host-1");
        assert!(Code::new("looks fine, ID 123").as_str().starts_with('#'));
        assert!(Code::new("").as_str().starts_with('#'));
        assert_eq!(Code::name("Ana Ruiz").as_str(), "Ana Ruiz");
        assert!(Code::name("Ana; rm -rf /").as_str().starts_with('#'));
    }

    #[test]
    fn events_round_trip_through_json() {
        let event = AuditEvent::image_saved(
            "IDNTY1",
            ImageKind::DocumentFront,
            Path::new("/home/r/d/x.jpg"),
        );
        let json = serde_json::to_string(&event).expect("serialises");
        assert_eq!(
            json,
            r#"{"kind":"image_saved","process":"IDNTY1","image":"document_front","path":"/home/r/d/x.jpg"}"#
        );
        let back: AuditEvent = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, event);
        assert_eq!(back.name(), "image_saved");
    }
}
