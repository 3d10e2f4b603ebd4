//! A process as a list item and as a full result.

use serde_json::Value;

use super::enums::{FailureStatus, Status};
use super::validation::Validation;
use super::{ParseError, json_kind, parse_object};
use crate::api::lenient::{Object, integer, object, objects, text};

/// One row of the process list. Kept small: the browser may hold 100,000 of them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProcessSummary {
    pub process_id: Option<String>,
    pub account_id: Option<String>,
    pub flow_id: Option<String>,
    pub client_user_id: Option<String>,
    pub status: Option<Status>,
    pub creation_date: Option<String>,
    pub failure_status: Option<FailureStatus>,
    pub declined_reason: Option<String>,
    pub expired_reason: Option<String>,
    pub country: Option<String>,
    /// Seconds, sent as a string by some endpoints and a number by others.
    pub time_to_live: Option<String>,
    /// Fields this version does not know, kept for the raw view; `None` when there are none.
    pub extra: Option<Box<Object>>,
}

/// The fields of a list row: what [`ProcessSummary`] reads, and what an export keeps of each
/// result (`export::format::summary`) so an archive's rows match the live list's.
pub const SUMMARY_FIELDS: &[&str] = &[
    "process_id",
    "account_id",
    "flow_id",
    "client_user_id",
    "status",
    "creation_date",
    "failure_status",
    "declined_reason",
    "expired_reason",
    "country",
    "time_to_live",
];

impl ProcessSummary {
    pub fn from_object(obj: &Object) -> Self {
        let extra: Object = obj
            .iter()
            .filter(|(k, _)| !SUMMARY_FIELDS.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        ProcessSummary {
            process_id: text(obj, "process_id"),
            account_id: text(obj, "account_id"),
            flow_id: text(obj, "flow_id"),
            client_user_id: text(obj, "client_user_id"),
            status: Status::field(obj, "status"),
            creation_date: text(obj, "creation_date"),
            failure_status: FailureStatus::field(obj, "failure_status"),
            declined_reason: text(obj, "declined_reason"),
            expired_reason: text(obj, "expired_reason"),
            country: text(obj, "country"),
            time_to_live: text(obj, "time_to_live"),
            extra: (!extra.is_empty()).then(|| Box::new(extra)),
        }
    }

    /// A list item that is a bare string is a process id (the guide says the list "returns a list
    /// of process IDs"); anything else that is not an object is not a process.
    pub fn from_item(item: &Value) -> Option<Self> {
        match item {
            Value::Object(obj) => Some(Self::from_object(obj)),
            Value::String(id) => Some(ProcessSummary {
                process_id: Some(id.clone()),
                ..Default::default()
            }),
            _ => None,
        }
    }

    /// The list row as it would be summarised from a full result (used when only results are known,
    /// e.g. an ids file or an archive).
    pub fn from_result(r: &ProcessResult) -> Self {
        ProcessSummary {
            process_id: r.process_id.clone(),
            account_id: r.account_id.clone(),
            flow_id: r.flow_id.clone(),
            client_user_id: r.client_user_id.clone(),
            status: r.status.clone(),
            creation_date: r.creation_date.clone(),
            failure_status: r.failure_status.clone(),
            declined_reason: r.declined_reason.clone(),
            expired_reason: r.raw.as_object().and_then(|o| text(o, "expired_reason")),
            country: r.country.clone(),
            time_to_live: r.time_to_live.clone(),
            extra: None,
        }
    }
}

/// Who a process is about, as its result says: the full name and the document number. Read
/// from a result (never from the list, which does not carry them) so the list can show and find
/// the person once the result is known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    pub name: Option<String>,
    pub document_number: Option<String>,
}

impl Person {
    /// The person of a result; `None` when it names nobody.
    pub fn of(r: &ProcessResult) -> Option<Person> {
        let blank = |s: &Option<String>| s.as_deref().is_none_or(|s| s.trim().is_empty());
        let name: Vec<&str> = [&r.first_name, &r.last_name]
            .into_iter()
            .filter(|s| !blank(s))
            .filter_map(|s| s.as_deref().map(str::trim))
            .collect();
        let person = Person {
            name: (!name.is_empty()).then(|| name.join(" ")),
            document_number: (!blank(&r.document_number))
                .then(|| r.document_number.as_deref().unwrap_or("").trim().to_owned()),
        };
        (person.name.is_some() || person.document_number.is_some()).then_some(person)
    }
}

/// One entry of `override_status_history`: a person changed the process's status by hand.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OverrideEntry {
    pub current_status: Option<Status>,
    pub override_status: Option<Status>,
    pub date: Option<String>,
    pub ip_address: Option<String>,
    pub reason_category: Option<String>,
    pub reason_description: Option<String>,
    pub username: Option<String>,
}

impl OverrideEntry {
    fn from_object(obj: &Object) -> Self {
        OverrideEntry {
            current_status: Status::field(obj, "current_status"),
            override_status: Status::field(obj, "override_status"),
            date: text(obj, "date"),
            ip_address: text(obj, "ip_address"),
            reason_category: text(obj, "reason_category"),
            reason_description: text(obj, "reason_description"),
            username: text(obj, "username"),
        }
    }
}

/// `GET /v1/processes/{id}/result`: the whole process with its validations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProcessResult {
    pub process_id: Option<String>,
    pub account_id: Option<String>,
    pub client_id: Option<String>,
    pub client_user_id: Option<String>,
    pub flow_id: Option<String>,
    pub flow_version: Option<String>,
    pub created_via: Option<String>,
    pub country: Option<String>,
    pub status: Option<Status>,
    pub failure_status: Option<FailureStatus>,
    pub declined_reason: Option<String>,
    pub override_status: Option<Status>,
    pub override_history: Vec<OverrideEntry>,
    pub document_number: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub check_id: Option<String>,
    pub validations: Vec<Validation>,
    pub creation_date: Option<String>,
    pub update_date: Option<String>,
    pub ip_address: Option<String>,
    pub city: Option<String>,
    pub geolocation_ip: Option<String>,
    pub geolocation_device: Option<String>,
    pub time_to_live: Option<String>,
    pub current_step_index: Option<i64>,
    /// The body as received, for the raw view and for fields the model does not name
    /// (`metadata`, `devices_info`, `trigger_info`, `last_finished_step`, anything new).
    pub raw: Value,
}

/// The top-level fields the typed view reads; anything else shows up in [`ProcessResult::unknown_fields`].
pub const RESULT_FIELDS: &[&str] = &[
    "process_id",
    "account_id",
    "client_id",
    "client_user_id",
    "flow_id",
    "flow_version",
    "created_via",
    "country",
    "status",
    "failure_status",
    "declined_reason",
    "override_status",
    "override_status_history",
    "document_number",
    "first_name",
    "last_name",
    "check_id",
    "validations",
    "last_finished_step",
    "creation_date",
    "update_date",
    "ip_address",
    "city",
    "geolocation_ip",
    "geolocation_device",
    "devices_info",
    "trigger_info",
    "time_to_live",
    "current_step_index",
    "metadata",
];

impl ProcessResult {
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ParseError> {
        Self::from_value(parse_object(bytes)?)
    }

    pub fn from_value(raw: Value) -> Result<Self, ParseError> {
        let Some(obj) = raw.as_object() else {
            return Err(ParseError::NotAnObject(json_kind(&raw)));
        };
        let validations = objects(obj, "validations")
            .into_iter()
            .enumerate()
            .map(|(i, v)| Validation::from_object(v, i))
            .collect();
        Ok(ProcessResult {
            process_id: text(obj, "process_id"),
            account_id: text(obj, "account_id"),
            client_id: text(obj, "client_id"),
            client_user_id: text(obj, "client_user_id"),
            flow_id: text(obj, "flow_id"),
            flow_version: text(obj, "flow_version"),
            created_via: text(obj, "created_via"),
            country: text(obj, "country"),
            status: Status::field(obj, "status"),
            failure_status: FailureStatus::field(obj, "failure_status"),
            declined_reason: text(obj, "declined_reason"),
            override_status: Status::field(obj, "override_status"),
            override_history: objects(obj, "override_status_history")
                .into_iter()
                .map(OverrideEntry::from_object)
                .collect(),
            document_number: text(obj, "document_number"),
            first_name: text(obj, "first_name"),
            last_name: text(obj, "last_name"),
            check_id: text(obj, "check_id"),
            validations,
            creation_date: text(obj, "creation_date"),
            update_date: text(obj, "update_date"),
            ip_address: text(obj, "ip_address"),
            city: text(obj, "city"),
            geolocation_ip: text(obj, "geolocation_ip"),
            geolocation_device: text(obj, "geolocation_device"),
            time_to_live: text(obj, "time_to_live"),
            current_step_index: integer(obj, "current_step_index"),
            raw,
        })
    }

    /// Top-level fields this version does not know, in the order received.
    pub fn unknown_fields(&self) -> Vec<&str> {
        self.raw
            .as_object()
            .map(|o| {
                o.keys()
                    .map(String::as_str)
                    .filter(|k| !RESULT_FIELDS.contains(k))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The status a reviewer should act on: an override wins over the computed status.
    pub fn effective_status(&self) -> Option<&Status> {
        self.override_status.as_ref().or(self.status.as_ref())
    }

    pub fn is_failure(&self) -> bool {
        self.status.as_ref().is_some_and(Status::is_failure)
    }

    /// A key for `v` that is unique within this result: its id, or `id#index` when another
    /// validation shares the id (the seed's placeholders do), or `#index` when it has none.
    /// Images are fetched, cached and saved by this key, so two validations can never swap
    /// pictures.
    pub fn validation_key(&self, v: &super::Validation) -> String {
        match &v.validation_id {
            Some(id)
                if self
                    .validations
                    .iter()
                    .filter(|o| o.validation_id.as_ref() == Some(id))
                    .count()
                    == 1 =>
            {
                id.clone()
            }
            Some(id) => format!("{id}#{}", v.index),
            None => format!("#{}", v.index),
        }
    }

    /// The validation a [`Self::validation_key`] names.
    pub fn validation_by_key(&self, key: &str) -> Option<&super::Validation> {
        self.validations
            .iter()
            .find(|v| self.validation_key(v) == key)
    }

    /// A named object field of the raw body (`metadata`, `trigger_info`, ...), if it is an object.
    pub fn raw_object(&self, key: &str) -> Option<&Object> {
        object(self.raw.as_object()?, key)
    }
}

impl<'de> serde::Deserialize<'de> for ProcessResult {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = Value::deserialize(d)?;
        Self::from_value(raw).map_err(serde::de::Error::custom)
    }
}

impl serde::Serialize for ProcessResult {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}
