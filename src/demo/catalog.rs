//! The vocabulary of the synthetic data: countries, documents, checks and declined reasons.
//!
//! Declined-reason codes are Truora's documented ones (docs/truora-api.md and Truora's
//! declined-reasons table) except [`FUTURE_REASON`], which stands for a code Truora adds later:
//! clients must show it as text. Check names, types and messages are invented but plausible — the real ones are not
//! published — and each declined reason is tied to the check that explains it, so a reviewer can
//! always see *why* a process failed.

/// Countries of docs/truora-api.md's reference values (without `ALL`).
pub(crate) const COUNTRIES: &[&str] = &["CO", "CL", "MX", "BR", "PE", "CR", "VE"];
/// How often each country appears (Colombia and Mexico dominate, as for a typical customer).
pub(crate) const COUNTRY_WEIGHTS: &[u32] = &[30, 12, 24, 12, 12, 5, 5];

/// Countries whose government registries are queried (per Truora's declined-reason table).
pub(crate) fn has_government_database(country: &str) -> bool {
    matches!(country, "BR" | "CL" | "CO" | "MX" | "PE")
}

/// Document types plausible for a country.
pub(crate) fn document_types(country: &str) -> &'static [&'static str] {
    match country {
        "CO" => &["national-id", "national-id", "foreign-id", "passport"],
        "BR" => &["general-registration", "driver-license", "passport"],
        "CR" => &["identity-card", "passport"],
        _ => &["national-id", "national-id", "driver-license", "passport"],
    }
}

/// (city, latitude, longitude): public city-centre coordinates, so geolocations look real.
pub(crate) fn cities(country: &str) -> &'static [(&'static str, f64, f64)] {
    match country {
        "CO" => &[
            ("Bogotá", 4.711, -74.072),
            ("Medellín", 6.244, -75.581),
            ("Cali", 3.452, -76.532),
        ],
        "CL" => &[
            ("Santiago", -33.449, -70.669),
            ("Valparaíso", -33.047, -71.612),
        ],
        "MX" => &[
            ("Ciudad de México", 19.433, -99.133),
            ("Guadalajara", 20.659, -103.349),
            ("Monterrey", 25.686, -100.316),
        ],
        "BR" => &[
            ("São Paulo", -23.551, -46.633),
            ("Rio de Janeiro", -22.907, -43.173),
        ],
        "PE" => &[("Lima", -12.046, -77.043), ("Arequipa", -16.409, -71.537)],
        "CR" => &[("San José", 9.928, -84.091)],
        _ => &[("Caracas", 10.481, -66.904), ("Maracaibo", 10.654, -71.64)],
    }
}

/// A `document_validations` group. The photocopy group is spelled two ways (see [`Group::key`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Group {
    DataConsistency,
    GovernmentDatabase,
    ImageAnalysis,
    Photocopy,
    PhotoOfPhoto,
    ManualReview,
}

impl Group {
    /// The JSON key. docs/truora-api.md lists `photocopy_analysis`; the seed spells it
    /// `photocopy-analysis`, so some processes use each and clients must accept both.
    pub(crate) fn key(self, hyphenated_photocopy: bool) -> &'static str {
        match self {
            Group::DataConsistency => "data_consistency",
            Group::GovernmentDatabase => "government_database",
            Group::ImageAnalysis => "image_analysis",
            Group::Photocopy if hyphenated_photocopy => "photocopy-analysis",
            Group::Photocopy => "photocopy_analysis",
            Group::PhotoOfPhoto => "photo_of_photo",
            Group::ManualReview => "manual_review",
        }
    }
}

/// One document check: where it is reported, how it reads, and which declined reason it explains.
#[derive(Debug)]
pub(crate) struct CheckDef {
    pub group: Group,
    pub name: &'static str,
    pub vtype: &'static str,
    pub ok: &'static str,
    pub bad: &'static str,
    pub reason: Option<&'static str>,
}

const fn check(
    group: Group,
    name: &'static str,
    vtype: &'static str,
    ok: &'static str,
    bad: &'static str,
    reason: Option<&'static str>,
) -> CheckDef {
    CheckDef {
        group,
        name,
        vtype,
        ok,
        bad,
        reason,
    }
}

/// A declined reason Truora does not have yet: the client must keep and show the text.
pub(crate) const FUTURE_REASON: &str = "document_generated_by_ai";

use Group::*;

/// Every document check the demo can report, in display order.
#[rustfmt::skip]
pub(crate) const CHECKS: &[CheckDef] = &[
    check(DataConsistency, "expiration_date_validation", "expiration-date", "The document has not expired",
        "The document expired before the process started", Some("document_has_expired")),
    check(DataConsistency, "age_validation", "age-check", "The holder's age is within the accepted range",
        "The date of birth on the document implies an age above 100 years", Some("age_above_threshold")),
    check(DataConsistency, "document_number_format", "document-number-format", "The document number has the country's format",
        "The document number does not follow the country's format", None),
    check(DataConsistency, "front_reverse_consistency", "front-reverse-match", "Front and reverse belong to the same document",
        "The data read on the front does not match the reverse", None),
    check(GovernmentDatabase, "registry_data_match", "government-database-match", "Name and number match the national registry",
        "The name read on the document does not match the national registry", Some("data_not_match_with_government_database")),
    check(GovernmentDatabase, "registry_existence", "government-database-existence", "The document number is registered",
        "The document number was not found in the national registry", Some("document_unregistered")),
    check(GovernmentDatabase, "registry_vital_status", "government-database-vital-status", "The registry does not report the holder as deceased",
        "The national registry reports the document holder as deceased", Some("identity_belongs_to_dead_person")),
    check(GovernmentDatabase, "curp_validation", "curp-check", "The CURP is registered in RENAPO",
        "The CURP is not valid or not registered in RENAPO", Some("invalid_curp")),
    check(ImageAnalysis, "image_quality", "blur-detection", "The text on the document is legible",
        "The document image is too blurry to read", Some("blurry_image")),
    check(ImageAnalysis, "document_recognition", "document-type-detection", "The document was recognised as a valid version for the country",
        "The document was not recognised as a valid version for the country", Some("document_not_recognized")),
    check(ImageAnalysis, "face_on_document", "face-detection", "A face was found on the front side",
        "No face was found on the front side of the document", Some("face_not_detected")),
    check(ImageAnalysis, "synthetic_image_detection", "ai-generation-detection", "No signs of digital generation",
        "The document image shows signs of having been generated digitally", Some(FUTURE_REASON)),
    check(Photocopy, "photocopy_detection", "photocopy-detection", "The document is an original",
        "The document appears to be a photocopy", Some("document_is_a_photocopy")),
    check(PhotoOfPhoto, "photo_of_photo_detection", "photo-of-photo-detection", "No re-captured image detected",
        "The image is a photo of another photo or of a screen", Some("document_is_a_photo_of_photo")),
    check(ManualReview, "manual_review", "manual-review", "A reviewer confirmed the document is authentic",
        "A reviewer marked the document as too damaged to verify", Some("damaged_document")),
];

/// The check that explains a document declined reason.
pub(crate) fn check_for_reason(reason: &str) -> Option<&'static CheckDef> {
    CHECKS.iter().find(|c| c.reason == Some(reason))
}

/// Declined reasons of face-recognition validations (docs/truora-api.md).
pub(crate) const FACE_REASONS: &[&str] = &[
    "similarity_threshold_not_passed",
    "passive_liveness_verification_not_passed",
    "face_in_blocklist",
];

/// Declined reasons with how often a declined process carries each one.
pub(crate) const DECLINED_REASONS: &[(&str, u32)] = &[
    ("blurry_image", 14),
    ("similarity_threshold_not_passed", 12),
    ("document_has_expired", 8),
    ("data_not_match_with_government_database", 8),
    ("passive_liveness_verification_not_passed", 8),
    ("document_is_a_photocopy", 5),
    ("document_is_a_photo_of_photo", 5),
    ("document_not_recognized", 4),
    ("document_unregistered", 4),
    ("face_in_blocklist", 3),
    ("invalid_curp", 3),
    ("identity_belongs_to_dead_person", 2),
    ("face_not_detected", 2),
    ("age_above_threshold", 1),
    ("damaged_document", 2),
    (FUTURE_REASON, 2),
];

/// Override reason categories (docs/truora-api.md) that turn a failure into a success.
pub(crate) const OVERRIDE_TO_SUCCESS: &[&str] = &[
    "regular_client",
    "in_person_customer",
    "meets_all_requirements",
    "internal_reasons",
    "other",
];
/// Override reason categories that turn a success into a failure.
pub(crate) const OVERRIDE_TO_FAILURE: &[&str] = &[
    "manipulated_document",
    "manipulated_photo",
    "internal_reasons",
    "other",
];

/// A reviewer's note for an override category.
pub(crate) fn override_description(category: &str) -> &'static str {
    match category {
        "regular_client" => "Long-standing client, identity confirmed by the account manager.",
        "in_person_customer" => "Customer came to the branch and showed the original document.",
        "meets_all_requirements" => {
            "Checked by hand: the document and selfie meet all requirements."
        }
        "manipulated_document" => "Fonts around the document number look edited.",
        "manipulated_photo" => "The selfie shows signs of editing around the face.",
        "internal_reasons" => "Decision by the compliance team.",
        _ => "See ticket DEMO-1234.",
    }
}

/// Validation types Truora does not document yet: shown to make clients keep unknown types.
pub(crate) const UNKNOWN_VALIDATION_TYPE: &str = "nfc-chip-validation";
