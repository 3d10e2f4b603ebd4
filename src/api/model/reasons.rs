//! Truora's declined-reason codes in words. The codes are what Truora sends
//! (`similarity_threshold_not_passed`); a reviewer reads "face does not match the document".
//! Each known code has a label, and a short form that keeps the part telling it from the others
//! (`document_is_a_photocopy` and `document_is_a_photo_of_photo` both start `document_is_a_`,
//! so their short forms are `photocopy` and `recaptured`). Truora adds codes over time: a
//! code not listed here is shown as it is.

/// One declined reason Truora is known to send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reason {
    pub code: &'static str,
    /// In words, for wide columns, the tree and `show`.
    pub label: &'static str,
    /// At most [`SHORT_MAX`] cells and distinct from every other within its first
    /// [`SHORT_DISTINCT`] cells, for narrow columns.
    pub short: &'static str,
}

/// The widest short form: a list column of 12 cells (a side-by-side list at 160 columns) shows
/// every known reason whole.
pub const SHORT_MAX: usize = 12;
/// Short forms differ within this many cells, so even one cut to fit (with `…`) is unambiguous.
pub const SHORT_DISTINCT: usize = 9;

const fn reason(code: &'static str, label: &'static str, short: &'static str) -> Reason {
    Reason { code, label, short }
}

/// The codes from Truora's documentation and those seen in processes, by how often they occur.
pub const KNOWN: [Reason; 15] = [
    reason("blurry_image", "document image too blurry", "blurry image"),
    reason(
        "similarity_threshold_not_passed",
        "face does not match the document",
        "face differs",
    ),
    reason(
        "document_has_expired",
        "document has expired",
        "expired doc",
    ),
    reason(
        "data_not_match_with_government_database",
        "data differs from the government database",
        "gov mismatch",
    ),
    reason(
        "passive_liveness_verification_not_passed",
        "liveness check not passed",
        "no liveness",
    ),
    reason(
        "document_is_a_photocopy",
        "document is a photocopy",
        "photocopy",
    ),
    reason(
        "document_is_a_photo_of_photo",
        "document is a photo of a photo or screen",
        "recaptured",
    ),
    reason(
        "document_not_recognized",
        "document type not recognised",
        "unknown doc",
    ),
    reason(
        "document_unregistered",
        "document number not in the registry",
        "unregistered",
    ),
    reason("face_in_blocklist", "face is on a blocklist", "blocklisted"),
    reason(
        "invalid_curp",
        "CURP invalid or not registered",
        "invalid CURP",
    ),
    reason(
        "identity_belongs_to_dead_person",
        "registry reports the holder deceased",
        "deceased",
    ),
    reason(
        "face_not_detected",
        "no face found on the document",
        "no card face",
    ),
    reason(
        "age_above_threshold",
        "age outside the accepted range",
        "age range",
    ),
    reason(
        "damaged_document",
        "document too damaged to verify",
        "damaged doc",
    ),
];

/// The known reason with this code (Truora's codes are lower case; case is ignored).
pub fn known(code: &str) -> Option<&'static Reason> {
    let code = code.trim();
    KNOWN.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// The reason in words, or the code as it is when it is not known.
pub fn label(code: &str) -> &str {
    known(code).map_or(code, |r| r.label)
}

/// What a column `width` cells wide shows for `code`: the label when it fits, else the short
/// form, else the code as it is (the caller cuts what is still too wide, with `…`).
pub fn for_width(code: &str, width: usize) -> &str {
    match known(code) {
        Some(r) if r.label.chars().count() <= width => r.label,
        Some(r) => r.short,
        None => code,
    }
}

/// The widest text [`for_width`] gives `code` when there is room for it whole.
pub fn full_width(code: &str) -> usize {
    label(code).chars().count()
}

/// The narrowest width at which `code` shows whole (its short form, or the code).
pub fn short_width(code: &str) -> usize {
    known(code).map_or(code, |r| r.short).chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_fit_and_tell_every_reason_apart_even_cut() {
        for (i, a) in KNOWN.iter().enumerate() {
            assert!(a.short.chars().count() <= SHORT_MAX, "{a:?}");
            assert_eq!(known(a.code), Some(a));
            for b in &KNOWN[i + 1..] {
                assert_ne!(a.code, b.code);
                assert_ne!(a.label, b.label);
                let cut = |s: &str| s.chars().take(SHORT_DISTINCT).collect::<String>();
                assert_ne!(cut(a.short), cut(b.short), "{a:?} and {b:?}");
            }
        }
    }

    #[test]
    fn a_column_shows_the_label_then_the_short_form_and_unknown_codes_as_they_are() {
        let code = "similarity_threshold_not_passed";
        assert_eq!(for_width(code, 40), "face does not match the document");
        assert_eq!(for_width(code, 20), "face differs");
        assert_eq!(
            for_width("document_generated_by_ai", 10),
            "document_generated_by_ai"
        );
        assert_eq!(
            label("document_generated_by_ai"),
            "document_generated_by_ai"
        );
        assert_eq!(label("BLURRY_IMAGE"), "document image too blurry");
        assert_eq!(short_width("face_in_blocklist"), 11);
        assert_eq!(full_width("invalid_curp"), 30);
    }
}
