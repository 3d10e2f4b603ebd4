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

/// The README's review-speed figure: keystrokes from launch (the newest process selected) to
/// the compare view of the first failed process that has a face check. In compare, `n` moves to
/// the next failure and shows it side by side, so a queue costs one key per process.
#[tokio::test]
async fn keystrokes_from_launch_to_the_first_face_comparison() {
    let server = DemoServer::start(DemoOptions::default())
        .await
        .expect("start");
    let failed_with_face: Vec<(bool, bool)> = server
        .process_ids()
        .iter()
        .map(|id| {
            let json = server.result_json(id).expect("result");
            let result = ProcessResult::from_value(json).expect("parses");
            let failed = result.status.as_ref().is_some_and(|s| s.is_failure());
            let face = result
                .validations
                .iter()
                .any(|v| v.validation_type == Some(ValidationType::FaceRecognition));
            (failed, face)
        })
        .collect();
    let target = failed_with_face
        .iter()
        .position(|&(failed, face)| failed && face)
        .expect("the demo has a failed face check");
    // `n` from the first row lands on each failure in turn; the first row counts if it failed.
    let failures_before = failed_with_face[..target].iter().filter(|f| f.0).count();
    let n_presses = failures_before + usize::from(!failed_with_face[0].0);
    let keys = n_presses + 1; // and `c`
    assert_eq!(keys, 4, "update the README's review-speed figure");
}
