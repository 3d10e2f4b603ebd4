//! The Truora data model: list items, process results and validation details.
//!
//! Every field is optional and read leniently (see [`lenient`](super::lenient)); every enum keeps
//! values it does not know; the raw JSON is kept beside the typed view so nothing the server sent
//! is lost (the browser's raw view and the export show it). Parsing fails only when the body is not
//! JSON or not an object, never on a field.

mod enums;
mod images;
mod process;
pub mod reasons;
mod validation;

pub use enums::{CheckResult, FailureStatus, Status, ValidationType};
pub use images::{ImageKind, ImageLink};
pub use process::{OverrideEntry, Person, ProcessResult, ProcessSummary, SUMMARY_FIELDS};
pub use validation::{
    Attachment, Check, CheckGroup, FaceRecognition, Validation, ValidationDetails,
};

/// Why a body could not be read as the expected JSON object.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("not valid JSON: {0}")]
    Json(String),
    #[error("expected a JSON object, got {0}")]
    NotAnObject(&'static str),
}

pub(crate) fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// Parses bytes into a JSON object, the first step of every model parser.
pub(crate) fn parse_object(bytes: &[u8]) -> Result<serde_json::Value, ParseError> {
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| ParseError::Json(e.to_string()))?;
    if value.is_object() {
        Ok(value)
    } else {
        Err(ParseError::NotAnObject(json_kind(&value)))
    }
}
