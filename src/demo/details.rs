//! The `details` object of a validation, shared by the result endpoint and the validations host.

use serde_json::{Map, Value, json};

use super::clock;
use super::links::Links;
use super::model::*;

/// A number, or its text when the process has the `numbers_as_text` quirk.
pub(crate) fn number(x: f64, as_text: bool) -> Value {
    if as_text {
        Value::String(x.to_string())
    } else {
        json!(x)
    }
}

/// `details` for a validation that got far enough to have one.
pub(crate) fn details(
    p: &Process,
    v: &Validation,
    links: &Links<'_>,
    validations_host: bool,
) -> Value {
    let mut d = Map::new();
    match v.kind {
        Kind::Document => {
            let mut doc = document_details(p);
            if validations_host {
                // [guess] docs/truora-api.md: links may also sit in document_details as front_url/reverse_url.
                for (field, key) in [
                    ("front_image", "front_url"),
                    ("reverse_image", "reverse_url"),
                ] {
                    if let Some(f) = v.files.iter().find(|f| f.field == field) {
                        doc.insert(key.into(), links.url(p, v, f).into());
                    }
                }
            }
            d.insert("document_details".into(), Value::Object(doc));
            if super::catalog::has_government_database(p.country) {
                let check_id = background_check_id(v);
                let check_url = format!("{}v1/checks/{check_id}", links.identity_base);
                d.insert(
                    "background_check".into(),
                    json!({ "check_id": check_id, "check_url": check_url }),
                );
            }
            if !v.checks.is_empty() {
                d.insert("document_validations".into(), document_validations(p, v));
            }
        }
        Kind::Face => {
            if let Some(f) = &v.face {
                d.insert("face_recognition_validations".into(), face(p, f));
            }
        }
        Kind::Signature => {
            let mut s = Map::new();
            for (field, key) in [
                ("original_document", "original_document_url"),
                ("signed_document", "signed_document_url"),
                ("signature_image", "signature_image_url"),
            ] {
                match v.files.iter().find(|f| f.field == field) {
                    Some(f) => {
                        s.insert(key.into(), links.url(p, v, f).into());
                    }
                    None if p.quirks.nulls => {
                        s.insert(key.into(), Value::Null);
                    }
                    None => {}
                }
            }
            s.insert("document_id".into(), format!("DOC{}", &v.id[3..19]).into());
            s.insert("signer_id".into(), format!("SGN{}", &v.id[19..]).into());
            s.insert(
                "name".into(),
                format!("{} {}", p.person.first_name, p.person.last_name).into(),
            );
            s.insert("email".into(), demo_email(p).into());
            d.insert("electronic_signature_details".into(), Value::Object(s));
        }
        // [guess] the details of these types are not documented; small plausible objects.
        Kind::Email => {
            d.insert(
                "email_verification_details".into(),
                json!({ "email": demo_email(p), "attempts": 1 }),
            );
        }
        Kind::Phone => {
            let phone = format!(
                "+00 555 {:07}",
                p.person.last_name.len() * 1_000 + p.created as usize % 1_000
            );
            d.insert(
                "phone_verification_details".into(),
                json!({ "phone_number": phone, "channel": "sms" }),
            );
        }
        Kind::Questions => {
            d.insert(
                "identity_questions_details".into(),
                json!({ "questions": 4, "correct_answers": 4 }),
            );
        }
        Kind::Unknown => {
            d.insert(
                "nfc_chip_details".into(),
                json!({ "chip_read": true, "chip_authentic": true }),
            );
        }
    }
    Value::Object(d)
}

/// The background check a document validation started; the result's top-level `check_id` too.
pub(crate) fn background_check_id(v: &Validation) -> String {
    format!("CHK{}", v.id.get(3..).unwrap_or_default())
}

fn demo_email(p: &Process) -> String {
    format!(
        "{}@demo.example",
        p.person.last_name.to_lowercase().replace(' ', ".")
    )
}

fn document_details(p: &Process) -> Map<String, Value> {
    let person = &p.person;
    let id_key = if p.quirks.nulls {
        "doc_id"
    } else {
        "document_id"
    };
    let mut m = Map::new();
    m.insert(id_key.into(), format!("DOC{}", &p.id[3..19]).into());
    m.insert("country".into(), p.country.into());
    m.insert("document_type".into(), person.document_type.into());
    m.insert(
        "document_number".into(),
        person.document_number.clone().into(),
    );
    m.insert("name".into(), person.first_name.clone().into());
    m.insert("last_name".into(), person.last_name.clone().into());
    m.insert(
        "date_of_birth".into(),
        clock::date(person.date_of_birth).into(),
    );
    m.insert("gender".into(), person.gender.into());
    m.insert("issue_date".into(), clock::date(person.issue_date).into());
    let expiration = if p.quirks.nulls {
        Value::Null
    } else {
        clock::date(person.expiration_date).into()
    };
    m.insert("expiration_date".into(), expiration);
    m
}

fn document_validations(p: &Process, v: &Validation) -> Value {
    let mut groups = Map::new();
    for c in &v.checks {
        let key = c.def.group.key(p.quirks.hyphen_photocopy);
        let entry = json!({
            "validation_name": c.def.name,
            "validation_type": c.def.vtype,
            "result": c.result,
            "message": c.message,
            "manually_reviewed": c.manually_reviewed,
            "created_at": clock::iso(c.at),
        });
        match groups.get_mut(key) {
            Some(Value::Array(list)) => list.push(entry),
            _ => {
                groups.insert(key.into(), Value::Array(vec![entry]));
            }
        }
    }
    Value::Object(groups)
}

fn face(p: &Process, f: &Face) -> Value {
    let status = |ok: bool| if ok { "success" } else { "failure" };
    let mut m = Map::new();
    m.insert("enrollment_id".into(), f.enrollment_id.clone().into());
    m.insert("similarity_status".into(), status(f.similarity_ok).into());
    m.insert(
        "confidence_score".into(),
        number(f.confidence, p.quirks.numbers_as_text),
    );
    m.insert(
        "age_range".into(),
        json!({ "low": f.age.0, "high": f.age.1 }),
    );
    match f.liveness {
        Some(l) => {
            m.insert("passive_liveness_status".into(), l.into());
        }
        None if p.quirks.nulls => {
            m.insert("passive_liveness_status".into(), Value::Null);
        }
        None => {}
    }
    // [guess] face_search.status uses the same success/failure words: failure = found in a blocklist.
    m.insert(
        "face_search".into(),
        json!({ "status": status(f.search_ok), "confidence_score": number(f.search_confidence, p.quirks.numbers_as_text) }),
    );
    Value::Object(m)
}
