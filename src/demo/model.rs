//! Compact in-memory form of the synthetic processes; JSON is rendered from it per request.
//!
//! Keeping structs (not JSON strings) means links can be signed fresh on every request and the
//! whole data set for 320 processes stays well under a megabyte.

use std::collections::HashMap;

use super::catalog::CheckDef;

/// How a process ended; determines `status`, `failure_status` and which validation failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    Success,
    Pending,
    Declined,
    Expired,
    SystemError,
    Canceled,
}

impl Outcome {
    pub(crate) fn status(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Pending => "pending",
            _ => "failure",
        }
    }

    pub(crate) fn failure_status(self) -> Option<&'static str> {
        match self {
            Outcome::Declined => Some("declined"),
            Outcome::Expired => Some("expired"),
            Outcome::SystemError => Some("system_error"),
            Outcome::Canceled => Some("canceled"),
            Outcome::Success | Outcome::Pending => None,
        }
    }
}

/// Validation types; `Unknown` stands for a type Truora adds later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Document,
    Face,
    Signature,
    Email,
    Phone,
    Questions,
    Unknown,
}

impl Kind {
    pub(crate) fn type_name(self) -> &'static str {
        match self {
            Kind::Document => "document-validation",
            Kind::Face => "face-recognition",
            Kind::Signature => "electronic-signature",
            Kind::Email => "email-verification",
            Kind::Phone => "phone-verification",
            Kind::Questions => "identity-questions",
            Kind::Unknown => super::catalog::UNKNOWN_VALIDATION_TYPE,
        }
    }
}

/// `validation_status` values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum VStatus {
    Success,
    Pending,
    Failure,
}

impl VStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            VStatus::Success => "success",
            VStatus::Pending => "pending",
            VStatus::Failure => "failure",
        }
    }
}

/// How `time_to_live` is written: the seed has a string, other sources a number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ttl {
    Text(u32),
    Number(u32),
    Absent,
}

/// Shape variations a client must tolerate; each is on a minority of processes.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Quirks {
    pub ttl: Ttl,
    /// `threshold` and `confidence_score` as JSON strings.
    pub numbers_as_text: bool,
    /// Optional fields present as `null` instead of absent, and a few usual fields missing.
    pub nulls: bool,
    /// Validation dates with minute precision, as in the seed (`2018-02-10T09:30Z`).
    pub minute_dates: bool,
    /// The seed's `photocopy-analysis` spelling instead of `photocopy_analysis`.
    pub hyphen_photocopy: bool,
    /// Fields no documentation mentions, at the top level and in a validation.
    pub extra_field: bool,
}

/// An embedded file the images host can serve.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Asset {
    DocFront(u8),
    DocBack(u8),
    Face(u8),
    FaceWatermark(u8),
    Signature,
    Pdf,
}

/// A link-bearing field of a validation. `asset: None` is a signed link to an object that no
/// longer exists (the images host answers 404 NoSuchKey), as happens after retention clean-ups.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FileRef {
    pub field: &'static str,
    pub asset: Option<Asset>,
}

#[derive(Debug)]
pub(crate) struct Check {
    pub def: &'static CheckDef,
    pub result: &'static str,
    pub message: String,
    pub manually_reviewed: bool,
    pub at: i64,
}

#[derive(Debug)]
pub(crate) struct Face {
    pub similarity_ok: bool,
    pub confidence: f64,
    pub age: (u32, u32),
    /// `None` when the flow uses similarity only (no liveness video).
    pub liveness: Option<&'static str>,
    pub search_ok: bool,
    pub search_confidence: f64,
    pub enrollment_id: String,
}

#[derive(Debug)]
pub(crate) struct Validation {
    pub id: String,
    pub kind: Kind,
    pub status: VStatus,
    pub failure_status: Option<&'static str>,
    pub declined_reason: Option<&'static str>,
    pub created: i64,
    pub remaining_retries: u32,
    pub threshold: f64,
    /// Document checks; empty when the document was never analysed.
    pub checks: Vec<Check>,
    pub face: Option<Face>,
    pub files: Vec<FileRef>,
    /// Whether the validation got as far as producing `details`.
    pub has_details: bool,
}

#[derive(Debug)]
pub(crate) struct Person {
    pub first_name: String,
    pub last_name: String,
    pub document_type: &'static str,
    pub document_number: String,
    pub date_of_birth: i64,
    pub gender: &'static str,
    pub issue_date: i64,
    pub expiration_date: i64,
}

/// One entry of `override_status_history`.
#[derive(Debug)]
pub(crate) struct Override {
    pub from: &'static str,
    pub to: &'static str,
    pub at: i64,
    pub category: &'static str,
    pub username: String,
}

#[derive(Debug)]
pub(crate) struct Process {
    pub id: String,
    pub flow: usize,
    pub client_user_id: String,
    pub country: &'static str,
    pub city: (&'static str, f64, f64),
    pub ip: String,
    pub created: i64,
    pub updated: i64,
    pub outcome: Outcome,
    pub declined_reason: Option<&'static str>,
    pub expired_reason: Option<&'static str>,
    pub person: Person,
    pub overrides: Vec<Override>,
    pub validations: Vec<Validation>,
    pub quirks: Quirks,
    /// Seed for cosmetic fields (device, channel, metadata) derived at render time.
    pub misc_seed: u64,
}

#[derive(Debug)]
pub(crate) struct Flow {
    pub id: String,
    pub version: u32,
}

/// Everything the demo serves, in list order (newest first).
#[derive(Debug)]
pub(crate) struct Dataset {
    pub account_id: String,
    pub client_id: String,
    pub flows: Vec<Flow>,
    pub processes: Vec<Process>,
    pub by_id: HashMap<String, usize>,
    /// validation id → (process index, validation index).
    pub by_validation: HashMap<String, (usize, usize)>,
}

impl Dataset {
    pub(crate) fn process(&self, id: &str) -> Option<&Process> {
        self.by_id.get(id).and_then(|i| self.processes.get(*i))
    }

    pub(crate) fn validation(&self, id: &str) -> Option<(&Process, &Validation)> {
        let (p, v) = *self.by_validation.get(id)?;
        let process = self.processes.get(p)?;
        Some((process, process.validations.get(v)?))
    }

    /// Rebuilds both indexes after the list changed (arrivals are rare: a full pass is fine).
    pub(crate) fn reindex(&mut self) {
        self.by_id.clear();
        self.by_validation.clear();
        for (pi, p) in self.processes.iter().enumerate() {
            self.by_id.insert(p.id.clone(), pi);
            for (vi, v) in p.validations.iter().enumerate() {
                self.by_validation.insert(v.id.clone(), (pi, vi));
            }
        }
    }
}
