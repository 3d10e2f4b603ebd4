//! The demo's face pictures agree with its face match scores: the card's portrait and the selfie
//! are the same drawing when the score passes, and plainly different people with a low score
//! when it fails (a reviewer trying the product must not see two strangers "pass").

use truora_tui::api::model::{ProcessResult, ValidationType};
use truora_tui::demo::{DemoOptions, DemoServer};

/// Which synthetic person an image is: the index of the asset it is byte-for-byte.
fn person(bytes: &[u8], stem: &str) -> Option<usize> {
    (0..6).find(|i| {
        let path = format!("{}/assets/{stem}_{i}.jpg", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).is_ok_and(|asset| asset == bytes)
    })
}

#[tokio::test]
async fn the_card_and_the_selfie_agree_with_the_score() {
    let server = DemoServer::start(DemoOptions {
        processes: 300,
        ..DemoOptions::default()
    })
    .await
    .expect("start");
    let (mut same, mut different) = (0, 0);
    for id in server.process_ids() {
        let json = server.result_json(&id).expect("result");
        let result = ProcessResult::from_value(json).expect("parses");
        let by_type = |t: ValidationType| {
            result
                .validations
                .iter()
                .find(|v| v.validation_type.as_ref() == Some(&t))
        };
        let (Some(doc), Some(face)) = (
            by_type(ValidationType::DocumentValidation),
            by_type(ValidationType::FaceRecognition),
        ) else {
            continue;
        };
        let (Some(score), Some(threshold)) = (
            face.face.as_ref().and_then(|f| f.confidence_score),
            face.threshold,
        ) else {
            continue; // pending: no score yet
        };
        let image = |v: &truora_tui::api::model::Validation, field: &str| {
            let vid = v.validation_id.as_deref().expect("validation id");
            server.image_bytes(&id, vid, field).expect("image")
        };
        let card = person(&image(doc, "front_image"), "doc_front").expect("a demo card");
        let selfie = person(&image(face, "face_photo"), "face").expect("a demo face");
        if score >= threshold {
            assert_eq!(card, selfie, "{id}: passes at {score} but shows two people");
            same += 1;
        } else {
            assert_ne!(card, selfie, "{id}: fails at {score} but shows one person");
            assert!(
                score < 0.4,
                "{id}: a different person scores low, not {score}"
            );
            different += 1;
        }
    }
    assert!(
        same > 20 && different > 3,
        "both cases covered: {same} / {different}"
    );
}
