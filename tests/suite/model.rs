//! The data model against Truora's published sample (the seed) and against hostile input.

use proptest::prelude::*;
use serde_json::{Value, json};
use truora_tui::api::model::{
    CheckResult, FailureStatus, ProcessResult, Status, ValidationDetails, ValidationType,
};
use truora_tui::api::paging::parse_page;

const SEED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/seed_result.json"
));

fn seed_value() -> Value {
    serde_json::from_str(SEED).expect("the fixture is JSON")
}

#[test]
fn the_seed_sample_reads_completely() {
    let r = ProcessResult::from_slice(SEED.as_bytes()).expect("seed parses");
    assert_eq!(r.status, Some(Status::Failure));
    assert_eq!(r.override_status, Some(Status::Success));
    assert_eq!(r.effective_status(), Some(&Status::Success));
    assert_eq!(r.country.as_deref(), Some("CO"));
    assert_eq!(r.time_to_live.as_deref(), Some("120"));
    assert_eq!(r.geolocation_ip.as_deref(), Some("1.12345, -123.456"));
    assert_eq!(r.override_history.len(), 1);
    let o = &r.override_history[0];
    assert_eq!(o.current_status, Some(Status::Failure));
    assert_eq!(o.reason_category.as_deref(), Some("in_person_customer"));
    assert_eq!(o.username.as_deref(), Some("john@example.com"));

    assert_eq!(r.validations.len(), 2);
    let v = &r.validations[0];
    assert_eq!(v.validation_type, Some(ValidationType::IdentityQuestions));
    assert_eq!(v.validation_status, Some(Status::Failure));
    assert_eq!(v.failure_status, Some(FailureStatus::Declined));
    assert_eq!(v.declined_reason.as_deref(), Some("invalid_curp"));
    assert_eq!(v.attachment_status, Some(CheckResult::Valid));
    assert_eq!(v.attachments.len(), 2);
    assert_eq!(
        v.attachments[0].attachment_type.as_deref(),
        Some("document-front")
    );
    assert_eq!(
        v.document_details,
        [("document_id".to_string(), "some text".to_string())]
    );
    let groups: Vec<_> = v.check_groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        groups,
        [
            "data_consistency",
            "government_database",
            "image_analysis",
            "manual_review",
            "photocopy-analysis"
        ]
    );
    assert_eq!(v.failing_checks().count(), 8);
    // "some text" is not a link: the seed has no images to find.
    assert!(v.images.is_empty());
    assert_eq!(
        r.validations[1].failure_status,
        Some(FailureStatus::Expired)
    );
    assert!(r.unknown_fields().is_empty());
}

#[test]
fn unknown_values_and_fields_are_kept() {
    let mut v = seed_value();
    v["status"] = json!("under_review");
    v["brand_new_field"] = json!({"x": 1});
    v["validations"][0]["type"] = json!("voice-verification");
    v["validations"][0]["details"]["document_validations"]["data_consistency"][0]["result"] =
        json!("needs_human");
    let r = ProcessResult::from_value(v).unwrap();
    assert_eq!(r.status, Some(Status::Unknown("under_review".into())));
    assert_eq!(r.unknown_fields(), ["brand_new_field"]);
    assert_eq!(r.raw["brand_new_field"]["x"], 1);
    let val = &r.validations[0];
    assert_eq!(val.type_name(), "voice-verification");
    assert_eq!(
        val.check_groups[0].checks[0].result,
        Some(CheckResult::Unknown("needs_human".into()))
    );
}

#[test]
fn one_wrongly_typed_field_loses_nothing_else() {
    let mut v = seed_value();
    v["time_to_live"] = json!(120);
    v["country"] = json!({"odd": true});
    v["override_status_history"] = json!({"current_status": "failure", "username": "u"});
    v["validations"][0]["threshold"] = json!("0.65");
    v["validations"][0]["attachment_validations"] = json!("not a list");
    v["validations"][1] = json!("not an object");
    let r = ProcessResult::from_value(v).unwrap();
    assert_eq!(r.time_to_live.as_deref(), Some("120"));
    assert_eq!(r.country, None, "an object is not a country");
    assert_eq!(r.raw["country"]["odd"], true, "but the raw view keeps it");
    assert_eq!(
        r.override_history.len(),
        1,
        "an object where a list belongs is a list of one"
    );
    assert_eq!(r.validations.len(), 1);
    assert_eq!(r.validations[0].threshold, Some(0.65));
    assert!(r.validations[0].attachments.is_empty());
    assert_eq!(
        r.validations[0].check_groups.len(),
        5,
        "the rest of the validation is intact"
    );
    assert_eq!(r.status, Some(Status::Failure));
}

#[test]
fn non_objects_are_clear_errors() {
    for body in ["", "[]", "42", "\"x\"", "{\"a\":", "nul"] {
        let e = ProcessResult::from_slice(body.as_bytes()).unwrap_err();
        assert!(!e.to_string().is_empty());
    }
    assert!(ValidationDetails::from_slice(b"[1]").is_err());
}

#[test]
fn validation_details_read_inputs_and_links() {
    let body = json!({
        "validation_id": "VLD1", "type": "document-validation", "validation_status": "success",
        "validation_inputs": {"country": "MX", "document_type": "national-id"},
        "user_response": {"input_files": ["https://s3.example/in.jpg"]},
        "details": {"document_details": {"front_url": "https://s3.example/f.jpg", "name": "DEMO"}}
    });
    let d = ValidationDetails::from_value(body).unwrap();
    assert_eq!(d.validation.input_country.as_deref(), Some("MX"));
    assert_eq!(
        d.validation.input_document_type.as_deref(),
        Some("national-id")
    );
    assert_eq!(d.validation.images.len(), 2);
    assert_eq!(
        d.validation.document_details,
        [("name".to_string(), "DEMO".to_string())]
    );
}

/// Any JSON value, up to a few levels deep, with keys the model looks for mixed in.
fn arbitrary_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("validations".to_string()),
        Just("details".to_string()),
        Just("document_validations".to_string()),
        Just("face_recognition_validations".to_string()),
        Just("threshold".to_string()),
        Just("status".to_string()),
        Just("front_image".to_string()),
        Just("processes".to_string()),
        Just("next".to_string()),
        "[a-z_]{1,12}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,20}".prop_map(Value::from),
        Just(Value::from("https://s3.example/x.jpg?X-Amz-Expires=900")),
    ];
    leaf.prop_recursive(5, 64, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(key.clone(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_json_never_panics(v in arbitrary_json()) {
        let bytes = serde_json::to_vec(&v).unwrap();
        let _ = ProcessResult::from_slice(&bytes);
        let _ = ValidationDetails::from_slice(&bytes);
        let _ = parse_page(&bytes);
        if let Ok(r) = ProcessResult::from_value(v.clone()) {
            for val in &r.validations {
                let _ = val.failing_checks().count();
            }
        }
    }

    #[test]
    fn arbitrary_json_inside_the_seed_never_panics(at in any::<prop::sample::Index>(), v in arbitrary_json()) {
        // Replace one node of the real sample with anything.
        let mut seed = seed_value();
        let mut nodes = Vec::new();
        collect_pointers(&seed, String::new(), &mut nodes);
        // Any node of the sample: the face validation and override history included.
        let pointer = &nodes[at.index(nodes.len())];
        if let Some(slot) = seed.pointer_mut(pointer) {
            *slot = v;
        }
        let r = ProcessResult::from_value(seed);
        prop_assert!(r.is_ok() || pointer.is_empty());
        if let Ok(r) = r {
            for v in &r.validations {
                let key = r.validation_key(v);
                prop_assert!(r.validation_by_key(&key).is_some());
            }
        }
    }

    #[test]
    fn mutated_bytes_never_panic(cut in 0usize..5000, flips in prop::collection::vec((0usize..5000, any::<u8>()), 0..8)) {
        let mut bytes = SEED.as_bytes().to_vec();
        for (at, b) in flips {
            let at = at % bytes.len();
            bytes[at] = b;
        }
        bytes.truncate(cut.min(bytes.len()));
        let _ = ProcessResult::from_slice(&bytes);
        let _ = parse_page(&bytes);
    }
}

fn collect_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(o) => {
            for (k, child) in o {
                collect_pointers(child, format!("{at}/{k}"), out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                collect_pointers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn validations_sharing_an_id_get_distinct_keys() {
    // The seed's two validations both say "some text".
    let r = ProcessResult::from_slice(SEED.as_bytes()).unwrap();
    let keys: Vec<_> = r.validations.iter().map(|v| r.validation_key(v)).collect();
    assert_eq!(keys, ["some text#0", "some text#1"]);
    assert_eq!(r.validation_by_key("some text#1").map(|v| v.index), Some(1));
    assert!(r.validation_by_key("some text").is_none());
}
