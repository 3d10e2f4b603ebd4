//! JSON rendering of processes and validations, with image links signed at render time.
//!
//! Field names and nesting follow docs/truora-api.md and the guide's sample result
//! (`tests/fixtures/seed_result.json`); fields marked [guess] there are filled with plausible
//! values. Optional fields are omitted when they do not apply, or written as `null` on processes
//! with the `nulls` quirk.

use serde_json::{Map, Value, json};

use super::clock;
use super::details::{self, number};
use super::links::Links;
use super::model::*;
use super::rng::SplitMix64;

/// Inserts `value`, or `null` (nulls quirk) / nothing when it is `None`.
fn put(m: &mut Map<String, Value>, key: &str, value: Option<Value>, nulls: bool) {
    match value {
        Some(v) => {
            m.insert(key.into(), v);
        }
        None if nulls => {
            m.insert(key.into(), Value::Null);
        }
        None => {}
    }
}

fn ttl(p: &Process) -> Option<Value> {
    match p.quirks.ttl {
        Ttl::Text(n) => Some(n.to_string().into()),
        Ttl::Number(n) => Some(n.into()),
        Ttl::Absent => None,
    }
}

/// Identity fields every process shape starts with.
fn process_head(ds: &Dataset, p: &Process) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("process_id".into(), p.id.clone().into());
    m.insert("account_id".into(), ds.account_id.clone().into());
    let flow_id = ds.flows.get(p.flow).map(|f| f.id.clone().into());
    put(&mut m, "flow_id", flow_id, p.quirks.nulls);
    m.insert("client_user_id".into(), p.client_user_id.clone().into());
    m
}

/// `status` and what explains it.
fn put_outcome(m: &mut Map<String, Value>, p: &Process) {
    let nulls = p.quirks.nulls;
    m.insert("status".into(), p.outcome.status().into());
    put(
        m,
        "failure_status",
        p.outcome.failure_status().map(Into::into),
        nulls,
    );
    put(
        m,
        "declined_reason",
        p.declined_reason.map(Into::into),
        nulls,
    );
    put(m, "expired_reason", p.expired_reason.map(Into::into), nulls);
}

/// The single-process shape (list items and `GET /v1/processes/{id}`).
pub(crate) fn summary(ds: &Dataset, p: &Process) -> Value {
    let mut m = process_head(ds, p);
    m.insert("creation_date".into(), clock::iso(p.created).into());
    put_outcome(&mut m, p);
    m.insert("country".into(), p.country.into());
    put(&mut m, "time_to_live", ttl(p), false);
    Value::Object(m)
}

/// The full result (`GET /v1/processes/{id}/result`).
pub(crate) fn result(ds: &Dataset, p: &Process, links: &Links<'_>) -> Value {
    let nulls = p.quirks.nulls;
    let mut misc = SplitMix64::new(p.misc_seed);
    let flow = ds.flows.get(p.flow);
    let mut m = process_head(ds, p);
    m.insert("client_id".into(), ds.client_id.clone().into());
    put(
        &mut m,
        "flow_version",
        flow.map(|f| f.version.into()),
        nulls,
    );
    let created_via = *misc.pick(&["web", "web", "whatsapp", "api"]);
    m.insert("created_via".into(), created_via.into());
    m.insert("country".into(), p.country.into());
    put_outcome(&mut m, p);
    put(
        &mut m,
        "override_status",
        p.overrides.last().map(|o| o.to.into()),
        false,
    );
    if !p.overrides.is_empty() {
        let history: Vec<Value> = p
            .overrides
            .iter()
            .map(|o| {
                json!({
                    "current_status": o.from,
                    "date": clock::iso_micros(o.at),
                    "ip_address": p.ip,
                    "override_status": o.to,
                    "reason_category": o.category,
                    "reason_description": super::catalog::override_description(o.category),
                    "username": o.username,
                })
            })
            .collect();
        m.insert("override_status_history".into(), history.into());
    }
    let read_document = p
        .validations
        .iter()
        .find(|v| v.kind == Kind::Document && !v.checks.is_empty());
    if let Some(doc) = read_document {
        m.insert(
            "document_number".into(),
            p.person.document_number.clone().into(),
        );
        put(
            &mut m,
            "first_name",
            (!nulls).then(|| p.person.first_name.clone().into()),
            nulls,
        );
        m.insert("last_name".into(), p.person.last_name.clone().into());
        if super::catalog::has_government_database(p.country) {
            let check_id = details::background_check_id(doc);
            m.insert("check_id".into(), check_id.into());
        }
    }
    let validations: Vec<Value> = p
        .validations
        .iter()
        .map(|v| validation_in_result(ds, p, v, links))
        .collect();
    m.insert("validations".into(), validations.into());
    if let Some(last) = p
        .validations
        .iter()
        .rev()
        .find(|v| v.status != VStatus::Pending)
    {
        // [guess] the content of last_finished_step is not documented.
        m.insert(
            "last_finished_step".into(),
            json!({ "step_id": format!("STP{}", &last.id[3..19]), "type": last.kind.type_name(),
                    "status": last.status.as_str(), "finished_at": clock::iso(last.created + 30) }),
        );
    }
    m.insert("creation_date".into(), clock::iso(p.created).into());
    m.insert("update_date".into(), clock::iso(p.updated).into());
    m.insert("ip_address".into(), p.ip.clone().into());
    put(&mut m, "city", (!nulls).then(|| p.city.0.into()), nulls);
    m.insert(
        "geolocation_ip".into(),
        format!("{:.4}, {:.4}", p.city.1, p.city.2).into(),
    );
    if misc.chance(0.7) {
        let (dlat, dlon) = (misc.unit() * 0.1 - 0.05, misc.unit() * 0.1 - 0.05);
        m.insert(
            "geolocation_device".into(),
            format!("{:.5}, {:.5}", p.city.1 + dlat, p.city.2 + dlon).into(),
        );
    }
    m.insert("devices_info".into(), json!([device(&mut misc)]));
    m.insert(
        "trigger_info".into(),
        json!({ "trigger_type": *misc.pick(&["link", "qr", "api"]), "source": "demo" }),
    );
    put(&mut m, "time_to_live", ttl(p), false);
    let finished = p
        .validations
        .iter()
        .filter(|v| v.status != VStatus::Pending)
        .count();
    m.insert("current_step_index".into(), finished.into());
    m.insert("metadata".into(), json!({ "demo": true, "campaign": *misc.pick(&["spring-2026", "branch-onboarding", "app-v5"]) }));
    if p.quirks.extra_field {
        // Not in any documentation: clients must keep or ignore unknown fields.
        m.insert(
            "risk_signals".into(),
            json!({ "velocity": "low", "device_reuse_count": 1 }),
        );
    }
    Value::Object(m)
}

/// [guess] devices_info items are not documented beyond their existence.
fn device(misc: &mut SplitMix64) -> Value {
    let (device_type, os, browser) = *misc.pick(&[
        ("mobile", "Android 14", "Chrome 131"),
        ("mobile", "iOS 18.2", "Safari 18"),
        ("desktop", "Windows 11", "Edge 131"),
    ]);
    json!({ "device_type": device_type, "os": os, "browser": browser })
}

fn date_of(p: &Process, secs: i64) -> Value {
    if p.quirks.minute_dates {
        clock::iso_minutes(secs).into()
    } else {
        clock::iso(secs).into()
    }
}

/// Fields every validation shape shares.
fn validation_head(ds: &Dataset, p: &Process, v: &Validation) -> Map<String, Value> {
    let nulls = p.quirks.nulls;
    let mut m = Map::new();
    m.insert("validation_id".into(), v.id.clone().into());
    m.insert("type".into(), v.kind.type_name().into());
    m.insert("validation_status".into(), v.status.as_str().into());
    put(
        &mut m,
        "failure_status",
        v.failure_status.map(Into::into),
        nulls,
    );
    put(
        &mut m,
        "declined_reason",
        v.declined_reason.map(Into::into),
        nulls,
    );
    m.insert("creation_date".into(), date_of(p, v.created));
    m.insert("account_id".into(), ds.account_id.clone().into());
    if v.kind == Kind::Face {
        m.insert(
            "threshold".into(),
            number(v.threshold, p.quirks.numbers_as_text),
        );
    }
    m.insert("remaining_retries".into(), v.remaining_retries.into());
    m
}

fn validation_in_result(ds: &Dataset, p: &Process, v: &Validation, links: &Links<'_>) -> Value {
    let mut m = validation_head(ds, p, v);
    m.insert("identity_process_id".into(), p.id.clone().into());
    put(
        &mut m,
        "flow_id",
        ds.flows.get(p.flow).map(|f| f.id.clone().into()),
        false,
    );
    m.insert("ip_address".into(), p.ip.clone().into());
    if v.kind == Kind::Document && !v.checks.is_empty() {
        let blurry = v.declined_reason == Some("blurry_image");
        let result = |side_ok: bool| if side_ok { "valid" } else { "invalid" };
        m.insert("attachment_status".into(), result(!blurry).into());
        let mut attachments = vec![
            json!({ "attachment_type": "document-front", "validation_name": "ocr_validation",
            "validation_type": "ocr-validation", "result": result(!blurry) }),
        ];
        if v.files.iter().any(|f| f.field == "reverse_image") {
            attachments.push(
                json!({ "attachment_type": "document-reverse", "validation_name": "ocr_validation",
                "validation_type": "ocr-validation", "result": "valid" }),
            );
        }
        m.insert("attachment_validations".into(), attachments.into());
    }
    if v.has_details {
        m.insert("details".into(), details::details(p, v, links, false));
    }
    if matches!(v.kind, Kind::Document | Kind::Face) {
        for f in &v.files {
            m.insert(f.field.into(), links.url(p, v, f).into());
        }
    }
    if p.quirks.extra_field {
        m.insert("review_priority".into(), "normal".into());
    }
    Value::Object(m)
}

/// `GET /v1/validations/{id}` on the validations host; `details` only with `show_details=true`.
pub(crate) fn validation(
    ds: &Dataset,
    p: &Process,
    v: &Validation,
    show_details: bool,
    links: &Links<'_>,
) -> Value {
    let mut m = validation_head(ds, p, v);
    let inputs = if v.kind == Kind::Document {
        json!({ "country": p.country, "document_type": p.person.document_type })
    } else {
        json!({ "country": p.country })
    };
    m.insert("validation_inputs".into(), inputs);
    let files: Vec<Value> = v.files.iter().map(|f| links.url(p, v, f).into()).collect();
    m.insert("user_response".into(), json!({ "input_files": files }));
    if show_details && v.has_details {
        m.insert("details".into(), details::details(p, v, links, true));
    }
    Value::Object(m)
}
