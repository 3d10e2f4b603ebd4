//! One validation of a process (document, face, signature, ...) and its details.

use serde_json::Value;

use super::enums::{CheckResult, FailureStatus, Status, ValidationType};
use super::images::{ImageLink, discover};
use super::{ParseError, json_kind, parse_object};
use crate::api::lenient::{Object, boolean, integer, number, object, objects, text, value_text};

/// One entry of `attachment_validations`: a check on an uploaded file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attachment {
    pub attachment_type: Option<String>,
    pub validation_name: Option<String>,
    pub validation_type: Option<String>,
    pub result: Option<CheckResult>,
}

/// One check of a document-validation group (`data_consistency`, `government_database`, ...).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Check {
    pub validation_name: Option<String>,
    pub validation_type: Option<String>,
    pub result: Option<CheckResult>,
    pub message: Option<String>,
    pub manually_reviewed: Option<bool>,
    pub created_at: Option<String>,
}

impl Check {
    pub fn is_failure(&self) -> bool {
        self.result.as_ref().is_some_and(CheckResult::is_failure)
    }
}

/// A named group of checks, in the order the server sent the groups.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckGroup {
    pub name: String,
    pub checks: Vec<Check>,
}

/// `details.face_recognition_validations`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaceRecognition {
    pub enrollment_id: Option<String>,
    pub similarity_status: Option<String>,
    pub confidence_score: Option<f64>,
    pub age_low: Option<f64>,
    pub age_high: Option<f64>,
    pub passive_liveness_status: Option<String>,
    pub face_search_status: Option<String>,
    pub face_search_confidence: Option<f64>,
}

/// A validation as it appears in a process result or the Validations API.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Validation {
    /// Position in the result's `validations`, so views can point into the raw JSON.
    pub index: usize,
    pub validation_id: Option<String>,
    pub validation_type: Option<ValidationType>,
    pub validation_status: Option<Status>,
    pub failure_status: Option<FailureStatus>,
    pub declined_reason: Option<String>,
    pub creation_date: Option<String>,
    pub identity_process_id: Option<String>,
    pub account_id: Option<String>,
    pub ip_address: Option<String>,
    pub threshold: Option<f64>,
    pub remaining_retries: Option<i64>,
    pub attachment_status: Option<CheckResult>,
    pub attachments: Vec<Attachment>,
    /// `details.document_details`, every scalar field in order (the set varies by country).
    pub document_details: Vec<(String, String)>,
    pub check_groups: Vec<CheckGroup>,
    pub face: Option<FaceRecognition>,
    pub background_check_id: Option<String>,
    /// `details.electronic_signature_details`, scalar fields that are not links.
    pub signature_details: Vec<(String, String)>,
    /// `validation_inputs` of the Validations API.
    pub input_country: Option<String>,
    pub input_document_type: Option<String>,
    pub images: Vec<ImageLink>,
}

impl Validation {
    pub fn from_object(obj: &Object, index: usize) -> Self {
        let validation_type = ValidationType::field(obj, "validation_type")
            .or_else(|| ValidationType::field(obj, "type"));
        let details = object(obj, "details");
        let inputs = object(obj, "validation_inputs");
        let images = discover(obj, validation_type.as_ref());
        Validation {
            index,
            validation_id: text(obj, "validation_id"),
            validation_status: Status::field(obj, "validation_status"),
            failure_status: FailureStatus::field(obj, "failure_status"),
            declined_reason: text(obj, "declined_reason"),
            creation_date: text(obj, "creation_date"),
            identity_process_id: text(obj, "identity_process_id"),
            account_id: text(obj, "account_id"),
            ip_address: text(obj, "ip_address"),
            threshold: number(obj, "threshold"),
            remaining_retries: integer(obj, "remaining_retries"),
            attachment_status: CheckResult::field(obj, "attachment_status"),
            attachments: objects(obj, "attachment_validations")
                .into_iter()
                .map(|a| Attachment {
                    attachment_type: text(a, "attachment_type"),
                    validation_name: text(a, "validation_name"),
                    validation_type: text(a, "validation_type"),
                    result: CheckResult::field(a, "result"),
                })
                .collect(),
            document_details: details
                .and_then(|d| object(d, "document_details"))
                .map(scalar_fields)
                .unwrap_or_default(),
            check_groups: details.map(check_groups).unwrap_or_default(),
            face: details
                .and_then(|d| object(d, "face_recognition_validations"))
                .map(face),
            background_check_id: details
                .and_then(|d| object(d, "background_check"))
                .and_then(|b| text(b, "check_id")),
            signature_details: details
                .and_then(|d| object(d, "electronic_signature_details"))
                .map(scalar_fields)
                .unwrap_or_default(),
            input_country: inputs.and_then(|i| text(i, "country")),
            input_document_type: inputs.and_then(|i| text(i, "document_type")),
            validation_type,
            images,
        }
    }

    pub fn is_failure(&self) -> bool {
        self.validation_status
            .as_ref()
            .is_some_and(Status::is_failure)
    }

    /// Every check that did not pass, with its group's name.
    pub fn failing_checks(&self) -> impl Iterator<Item = (&str, &Check)> {
        self.check_groups.iter().flat_map(|g| {
            g.checks
                .iter()
                .filter(|c| c.is_failure())
                .map(move |c| (g.name.as_str(), c))
        })
    }

    pub fn type_name(&self) -> &str {
        self.validation_type
            .as_ref()
            .map_or("validation", ValidationType::as_str)
    }
}

/// Scalar fields in order; links are left to the image list, nested values to the raw view.
fn scalar_fields(obj: &Object) -> Vec<(String, String)> {
    obj.iter()
        .filter_map(|(k, v)| {
            let t = value_text(v)?;
            (!t.starts_with("http://") && !t.starts_with("https://")).then(|| (k.clone(), t))
        })
        .collect()
}

/// `details.document_validations` is a map of group name to checks. A bare list (seen in no
/// payload yet, but cheap to accept) becomes one group called `checks`.
fn check_groups(details: &Object) -> Vec<CheckGroup> {
    let read = |items: Vec<&Object>| items.into_iter().map(check).collect();
    match details.get("document_validations") {
        Some(Value::Object(groups)) => groups
            .iter()
            .map(|(name, v)| CheckGroup {
                name: name.clone(),
                checks: match v {
                    Value::Array(a) => read(a.iter().filter_map(Value::as_object).collect()),
                    Value::Object(one) => read(vec![one]),
                    _ => Vec::new(),
                },
            })
            .collect(),
        Some(Value::Array(a)) => vec![CheckGroup {
            name: "checks".into(),
            checks: read(a.iter().filter_map(Value::as_object).collect()),
        }],
        _ => Vec::new(),
    }
}

fn check(obj: &Object) -> Check {
    Check {
        validation_name: text(obj, "validation_name"),
        validation_type: text(obj, "validation_type"),
        result: CheckResult::field(obj, "result"),
        message: text(obj, "message"),
        manually_reviewed: boolean(obj, "manually_reviewed"),
        created_at: text(obj, "created_at"),
    }
}

fn face(obj: &Object) -> FaceRecognition {
    let age = object(obj, "age_range");
    let search = object(obj, "face_search");
    FaceRecognition {
        enrollment_id: text(obj, "enrollment_id"),
        similarity_status: text(obj, "similarity_status"),
        confidence_score: number(obj, "confidence_score"),
        age_low: age.and_then(|a| number(a, "low")),
        age_high: age.and_then(|a| number(a, "high")),
        passive_liveness_status: text(obj, "passive_liveness_status"),
        face_search_status: search.and_then(|s| text(s, "status")),
        face_search_confidence: search.and_then(|s| number(s, "confidence_score")),
    }
}

/// `GET /v1/validations/{id}?show_details=true` from the Validations API.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValidationDetails {
    pub validation: Validation,
    pub raw: Value,
}

impl ValidationDetails {
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ParseError> {
        Self::from_value(parse_object(bytes)?)
    }

    pub fn from_value(raw: Value) -> Result<Self, ParseError> {
        let Some(obj) = raw.as_object() else {
            return Err(ParseError::NotAnObject(json_kind(&raw)));
        };
        Ok(ValidationDetails {
            validation: Validation::from_object(obj, 0),
            raw,
        })
    }
}
