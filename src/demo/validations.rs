//! Builds one validation of a process: its status, document checks, face result and files.
//!
//! A failed validation always shows why: a declined document has the invalid check that maps to
//! its declined reason (see [`catalog::CHECKS`]); a declined face has the failing score; expired or
//! canceled validations have no files because the end user never got that far.

use super::assets::{DOC_PICTURES, FACE_PICTURES};
use super::catalog::{self, Group};
use super::clock;
use super::model::*;
use super::rng::SplitMix64;

/// Builds a validation in `state` (`Outcome::Success` for a passed one).
pub(crate) fn build(
    rng: &mut SplitMix64,
    ctx: &Ctx,
    kind: Kind,
    state: Outcome,
    t: i64,
) -> Validation {
    let (status, failure_status) = match state {
        Outcome::Success => (VStatus::Success, None),
        Outcome::Pending => (VStatus::Pending, None),
        other => (VStatus::Failure, other.failure_status()),
    };
    let declined_reason = match state {
        Outcome::Declined => ctx.reason,
        Outcome::SystemError if kind == Kind::Document => Some("government_database_unavailable"),
        _ => None,
    };
    let mut v = Validation {
        id: format!("VLD{}", rng.hex32()),
        kind,
        status,
        failure_status,
        declined_reason,
        created: t,
        remaining_retries: if state == Outcome::Declined {
            rng.range(0, 1) as u32
        } else {
            2
        },
        threshold: 0.0,
        checks: Vec::new(),
        face: None,
        files: Vec::new(),
        has_details: !matches!(state, Outcome::Expired | Outcome::Canceled),
    };
    let submitted = !matches!(state, Outcome::Expired | Outcome::Canceled);
    match kind {
        Kind::Document if submitted => document(rng, ctx, state, &mut v),
        Kind::Face if submitted => face(rng, ctx, state, &mut v),
        Kind::Face => v.threshold = 0.65,
        Kind::Signature => {
            v.has_details = true;
            v.files.push(FileRef {
                field: "original_document",
                asset: Some(Asset::Pdf),
            });
            if state == Outcome::Success {
                v.files.push(FileRef {
                    field: "signature_image",
                    asset: Some(Asset::Signature),
                });
                v.files.push(FileRef {
                    field: "signed_document",
                    asset: Some(Asset::Pdf),
                });
            }
        }
        _ => {}
    }
    v
}

fn document(rng: &mut SplitMix64, ctx: &Ctx, state: Outcome, v: &mut Validation) {
    v.files.push(FileRef {
        field: "front_image",
        asset: Some(Asset::DocFront(ctx.holder)),
    });
    if !ctx.passport {
        // The back in the front's card design.
        let design = (u64::from(ctx.holder) % DOC_PICTURES) as u8;
        let asset = (!ctx.missing_object).then_some(Asset::DocBack(design));
        v.files.push(FileRef {
            field: "reverse_image",
            asset,
        });
    }
    let reason = if state == Outcome::Declined {
        ctx.reason
    } else {
        None
    };
    let manual =
        reason == Some("damaged_document") || state == Outcome::Pending || rng.chance(0.12);
    let blurry = reason == Some("blurry_image");
    let mut at = v.created + rng.range(3, 20);
    for def in catalog::CHECKS {
        let include = match def.group {
            Group::GovernmentDatabase if !catalog::has_government_database(ctx.country) => false,
            Group::ManualReview => manual,
            _ if def.name == "curp_validation" => ctx.country == "MX",
            _ if def.reason == Some(catalog::FUTURE_REASON) => {
                reason == Some(catalog::FUTURE_REASON)
            }
            _ => true,
        };
        if !include {
            continue;
        }
        let (result, message) = if reason.is_some() && def.reason == reason {
            // Registry answers quote the holder's name, as free text under no personal key.
            let message = match def.name {
                "expiration_date_validation" => {
                    format!("The document expired on {}", clock::date(ctx.expiration))
                }
                "registry_data_match" => format!(
                    "The name read on the document ({}) does not match the national registry",
                    ctx.holder_name
                ),
                "registry_vital_status" => format!(
                    "The national registry reports {} as deceased",
                    ctx.holder_name
                ),
                _ => def.bad.to_string(),
            };
            ("invalid", message)
        } else if state == Outcome::SystemError && def.group == Group::GovernmentDatabase {
            (
                "skipped",
                "The government registry did not answer in time; check not run".to_string(),
            )
        } else if blurry && def.group == Group::DataConsistency {
            (
                "skipped",
                "Skipped: the text on the document could not be read".to_string(),
            )
        } else if state == Outcome::Pending && def.group == Group::ManualReview {
            ("pending", "Waiting for a reviewer".to_string())
        } else {
            ("valid", def.ok.to_string())
        };
        at += rng.range(0, 3);
        v.checks.push(Check {
            def,
            result,
            message,
            manually_reviewed: def.group == Group::ManualReview && result != "pending",
            at,
        });
    }
    // Like the seed, a declined document often fails more than one check.
    if reason.is_some() && !blurry && rng.chance(0.3) {
        let spare = v
            .checks
            .iter_mut()
            .filter(|c| {
                c.def.group == Group::DataConsistency
                    && c.def.reason.is_none()
                    && c.result == "valid"
            })
            .last();
        if let Some(c) = spare {
            c.result = "invalid";
            c.message = c.def.bad.to_string();
        }
    }
}

fn face(rng: &mut SplitMix64, ctx: &Ctx, state: Outcome, v: &mut Validation) {
    let threshold = *rng.pick(&[0.65, 0.65, 0.65, 0.7, 0.8]);
    v.threshold = threshold;
    let reference = ctx.holder;
    let reason = if state == Outcome::Declined {
        ctx.reason
    } else {
        None
    };
    // A failed similarity is someone else in front of the camera: a plainly different face from
    // the card's and the enrolled reference, and a low score. Any other outcome is the holder.
    let selfie = if reason == Some("similarity_threshold_not_passed") {
        ((u64::from(reference) + 1 + rng.below(FACE_PICTURES - 1)) % FACE_PICTURES) as u8
    } else {
        reference
    };
    v.files.push(FileRef {
        field: "front_image",
        asset: Some(Asset::Face(reference)),
    });
    v.files.push(FileRef {
        field: "face_photo",
        asset: Some(Asset::Face(selfie)),
    });
    v.files.push(FileRef {
        field: "face_photo_watermark",
        asset: Some(Asset::FaceWatermark(selfie)),
    });
    if state == Outcome::Pending {
        v.has_details = false;
        return;
    }
    let similarity_ok = reason != Some("similarity_threshold_not_passed");
    // Scores agree with the pictures: the same drawing scores well above the threshold, a
    // different person far below any threshold (thresholds are 0.65 to 0.8).
    let confidence = if similarity_ok {
        threshold + (0.99 - threshold) * (0.2 + 0.8 * rng.unit())
    } else {
        0.05 + 0.3 * rng.unit()
    };
    let liveness = if reason == Some("passive_liveness_verification_not_passed") {
        Some("failure")
    } else if rng.chance(0.15) {
        None
    } else {
        Some("success")
    };
    let search_ok = reason != Some("face_in_blocklist");
    let search_confidence = if search_ok {
        0.35 * rng.unit()
    } else {
        0.9 + 0.09 * rng.unit()
    };
    // The estimate brackets the holder's real age, a few years off either way.
    let age = ctx.age_years.saturating_add_signed(rng.range(-3, 3) as i32);
    v.face = Some(Face {
        similarity_ok,
        confidence: round4(confidence),
        age: (
            age.saturating_sub(rng.range(2, 5) as u32),
            age + rng.range(2, 6) as u32,
        ),
        liveness,
        search_ok,
        search_confidence: round4(search_confidence),
        enrollment_id: format!("ENR{}", rng.hex32()),
    });
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// What validation builders need to know about their process.
pub(crate) struct Ctx {
    pub country: &'static str,
    pub passport: bool,
    pub reason: Option<&'static str>,
    pub missing_object: bool,
    /// The person on the card and (unless the face match is meant to fail) in the selfie.
    pub holder: u8,
    pub expiration: i64,
    /// The holder's age when the process ran, for the face age estimate.
    pub age_years: u32,
    /// The name as read from the document, which registry messages quote.
    pub holder_name: String,
}
