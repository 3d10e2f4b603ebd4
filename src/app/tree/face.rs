//! The face recognition details of a validation (`details.face_recognition_validations`), whose
//! free-text statuses are coloured by what they say.

use super::Tone;
use super::builder::{Builder, Ctx, clean, part};
use crate::api::model::FaceRecognition;

/// `details.face_recognition_validations`: similarity, confidence, age, liveness, face search.
pub(super) fn face_nodes(b: &mut Builder, ctx: &Ctx, f: &FaceRecognition) {
    let pointer = "/details/face_recognition_validations";
    let mut title = vec![part("face recognition", Tone::Plain)];
    if let Some(s) = &f.similarity_status {
        title.push(part(clean(s), tone_of(s)));
    }
    let mut spec = ctx.spec("face", title, Some(pointer));
    spec.kind = super::NodeKind::Face;
    spec.failing = [&f.similarity_status, &f.passive_liveness_status]
        .into_iter()
        .flatten()
        .any(|s| tone_of(s) == Tone::Bad);
    b.push(spec);
    let num = |n: Option<f64>| n.map(|n| format!("{n:.2}"));
    let age = match (f.age_low, f.age_high) {
        (None, None) => None,
        (l, h) => {
            let n = |n: Option<f64>| n.map_or("?".to_owned(), |n| format!("{n:.0}"));
            Some(format!("{}–{}", n(l), n(h)))
        }
    };
    let search = match (&f.face_search_status, f.face_search_confidence) {
        (None, None) => None,
        (s, c) => Some(format!(
            "{}{}",
            s.as_deref().map_or("?".into(), clean),
            c.map_or(String::new(), |c| format!(" (confidence {c:.2})"))
        )),
    };
    let rows = [
        (
            "sim",
            "similarity status",
            "/similarity_status",
            f.similarity_status.as_deref().map(clean),
        ),
        (
            "conf",
            "confidence",
            "/confidence_score",
            num(f.confidence_score),
        ),
        ("age", "age range", "/age_range", age),
        (
            "live",
            "passive liveness",
            "/passive_liveness_status",
            f.passive_liveness_status.as_deref().map(clean),
        ),
        ("search", "face search", "/face_search", search),
        (
            "enroll",
            "enrollment id",
            "/enrollment_id",
            f.enrollment_id.as_deref().map(clean),
        ),
    ];
    for (id, label, p, value) in rows {
        if let Some(value) = value {
            let tone = tone_of(&value);
            let parts = vec![part(format!("{label}:"), Tone::Dim), part(value, tone)];
            b.leaf(ctx.spec(&format!("face/{id}"), parts, Some(&format!("{pointer}{p}"))));
        }
    }
    b.close();
}

/// Statuses in free text (`success`, `failure`, `passed`, ...) coloured by what they say.
fn tone_of(s: &str) -> Tone {
    match s.to_ascii_lowercase().as_str() {
        "success" | "passed" | "valid" | "approved" => Tone::Good,
        "failure" | "failed" | "invalid" | "declined" | "rejected" => Tone::Bad,
        "pending" => Tone::Warn,
        _ => Tone::Plain,
    }
}
