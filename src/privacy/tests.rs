use proptest::prelude::*;
use serde_json::json;

use super::*;

#[test]
fn field_names_decide_across_spellings_and_unknown_keys() {
    for key in [
        "first_name",
        "firstName",
        "LastName",
        "full-name",
        "name",
        "document_number",
        "documentNumber",
        "date_of_birth",
        "birthDate",
        "phone_number",
        "cellphone",
        "email",
        "contact_email",
        "home_address",
        "street",
        "city",
        "ip_address",
        "ip",
        "geolocation_ip",
        "username",
    ] {
        assert_eq!(field_kind(key), FieldKind::Personal, "{key}");
    }
    for key in ["client_user_id", "clientUserId", "account_id"] {
        assert_eq!(field_kind(key), FieldKind::Shortened, "{key}");
    }
    for key in [
        "process_id",
        "validation_id",
        "validation_name",
        "type",
        "status",
        "declined_reason",
        "confidence_score",
        "creation_date",
        "country",
        "document_type",
        "message",
    ] {
        assert_eq!(field_kind(key), FieldKind::Plain, "{key}");
    }
}

#[test]
fn shapes_in_free_text_are_hidden() {
    for (text, gone) in [
        (
            "write to ana.perez@mail.example now",
            "ana.perez@mail.example",
        ),
        ("call +57 300 123 4567.", "300 123 4567"),
        ("call +00 555 0001234", "0001234"),
        ("cell 300 123 4567", "4567"),
        ("document 1023456789 does not match", "1023456789"),
        ("CURP DEMO900101HDFXXX01 found", "900101"),
        ("passport AB123456", "AB123456"),
        ("from 190.24.13.7 at noon", "190.24.13.7"),
        ("from 2001:db8::1 at noon", "2001:db8::1"),
        ("(\"12.345.678\")", "12.345.678"),
    ] {
        let masked = mask_text(text);
        assert!(!masked.contains(gone), "{text} → {masked}");
        assert!(masked.contains(MASK), "{text} → {masked}");
    }
}

#[test]
fn what_a_reviewer_needs_stays() {
    for text in [
        "IDP0123456789abcdef0123456789abcdef",
        "VLD0123456789abcdef0123456789abcdef failed",
        "created 2026-03-01T10:22:33.123456Z",
        "expired on 2025-11-30",
        "similarity 0.93 (threshold 0.80)",
        "320 processes, 100000 in all",
        "geolocation -74.0721",
        "at 10:22",
        "The document expired on 2025-11-30",
        "Chrome 131 on Android 14",
    ] {
        assert_eq!(mask_text(text), text);
    }
}

/// Found by `masking_text_never_panics_and_is_idempotent`: the character before a scheme may be
/// wider than a byte, and the scheme starts after all of it.
#[test]
fn a_link_after_a_wide_character_is_still_cut_to_its_host() {
    assert_eq!(mask_text("﹨://e"), "﹨://e");
    assert_eq!(
        mask_text("﹨https://img.example/face.jpg"),
        format!("﹨https://img.example/{MASK}")
    );
}

#[test]
fn links_that_open_a_picture_keep_only_their_host() {
    let signed = "https://truora-di.s3.amazonaws.com/IDP0a1b/VLD2c3d/front_image.jpg?\
                  X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260304&\
                  X-Amz-Date=20260304T150405Z&X-Amz-Expires=900&X-Amz-Signature=0f3c9a";
    assert_eq!(
        mask_text(signed),
        format!("https://truora-di.s3.amazonaws.com/{MASK}")
    );
    for (text, shown) in [
        (
            format!("could not fetch {signed}: 403"),
            format!("could not fetch https://truora-di.s3.amazonaws.com/{MASK}: 403"),
        ),
        // Unsigned, but a picture all the same; credentials are never kept.
        (
            "see HTTP://user:secret@127.0.0.1:8080/bucket/face.PNG.".to_owned(),
            format!("see HTTP://127.0.0.1:8080/{MASK}."),
        ),
        (
            "\"selfie\": \"http://img.example/f?token=abc\"".to_owned(),
            format!("\"selfie\": \"http://img.example/{MASK}\""),
        ),
    ] {
        assert_eq!(mask_text(&text), shown);
    }
    // A link that opens no file by itself stays, as do other schemes.
    for text in [
        "https://api.identity.truora.com/v1/processes/IDP0123456789abcdef0123456789abcdef",
        "https://docs.truora.com/",
        "ftp://files.example/a.jpg?x=1",
        "see http:// nothing",
    ] {
        assert_eq!(mask_text(text), text);
    }
    let v = json!({"details": {"front_image": signed, "note": format!("was {signed}")}});
    let masked = serde_json::to_string(&mask_json(&v)).unwrap();
    assert!(
        !masked.contains("X-Amz") && !masked.contains("front_image.jpg"),
        "{masked}"
    );
}

#[test]
fn ids_are_shortened_to_their_last_four() {
    assert_eq!(shorten_id("USR-2026-00a1b2"), "…a1b2");
    assert_eq!(shorten_id("…a1b2"), "…a1b2");
    assert_eq!(shorten_id("abc"), MASK);
    assert_eq!(mask_field("client_user_id", "customer-778812"), "…8812");
    assert_eq!(mask_field("first_name", "Ana"), MASK);
    assert_eq!(
        mask_field("declined_reason", "face_not_found"),
        "face_not_found"
    );
}

#[test]
fn json_is_masked_at_any_depth_including_unknown_fields() {
    let v = json!({
        "process_id": "IDP0123456789abcdef0123456789abcdef",
        "status": "failure",
        "first_name": "Ana",
        "client_user_id": "user-0042-xyz9",
        "confidence_score": 0.93,
        "creation_date": "2026-03-01T10:22:33Z",
        "custom": {"holderFirstName": "Luz", "note": "mail luz@x.example", "dob": "1990-01-02",
                   "list": [{"phone": 3001234567_u64}], "address": {"street": "Cra 7 # 12-34"}},
    });
    let m = mask_json(&v);
    let text = m.to_string();
    for gone in [
        "Ana",
        "Luz",
        "luz@x.example",
        "1990-01-02",
        "3001234567",
        "Cra 7",
        "user-0042",
    ] {
        assert!(!text.contains(gone), "{gone} in {text}");
    }
    for kept in [
        "IDP0123456789abcdef0123456789abcdef",
        "failure",
        "0.93",
        "2026-03-01T10:22:33Z",
        "…xyz9",
    ] {
        assert!(text.contains(kept), "{kept} not in {text}");
    }
    assert_eq!(mask_json(&m), m, "idempotent");
    let bytes = mask_json_bytes(b"not json, ana@x.example");
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        format!("not json, {MASK}")
    );
}

#[test]
fn pixelated_images_keep_their_size_and_lose_their_detail() {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, ((x ^ y) * 7) as u8])
    });
    let original = image::DynamicImage::ImageRgb8(img);
    let p = pixelate(&original);
    assert_eq!((p.width(), p.height()), (64, 48));
    assert_ne!(p.to_rgb8().into_raw(), original.to_rgb8().into_raw());
    // 8 blocks across: within a block every pixel is the same.
    let rgb = p.to_rgb8();
    assert_eq!(rgb.get_pixel(0, 0), rgb.get_pixel(7, 5));
    let tiny = pixelate(&image::DynamicImage::new_rgb8(1, 1));
    assert_eq!((tiny.width(), tiny.height()), (1, 1));
}

/// A result whose validation message quotes the holder, as registries answer.
fn quoting_result() -> serde_json::Value {
    json!({
        "process_id": "IDP0123456789abcdef0123456789abcdef",
        "first_name": "Juan Andrés",
        "last_name": "PÉREZ-GÓMEZ de la Cruz",
        "document_number": "1023456789",
        "client_user_id": "user-0042-xyz9",
        "declined_reason": "data_not_match_with_government_database",
        "validations": [{
            "validation_id": "VLD0123456789abcdef0123456789abcdef",
            "details": {
                "document_details": {"date_of_birth": "1990-01-02", "gender": "M"},
                "document_validations": {"government_database": [{
                    "validation_name": "registry_data_match",
                    "message": "The name JUAN ANDRES PEREZ-GOMEZ DE LA CRUZ does not match",
                }]},
            },
        }],
        "metadata": {"contact": {"email": "jp@mail.example", "phone": "+57 300 123 4567"}},
    })
}

#[test]
fn known_values_are_hidden_in_free_text_as_whole_words_whatever_the_case_and_accents() {
    let known = Known::from_json(&quoting_result());
    for (text, shown) in [
        (
            "The name JUAN ANDRES PEREZ-GOMEZ DE LA CRUZ does not match",
            "The name ••• does not match",
        ),
        (
            "Called juan andrés, then Pérez-Gómez.",
            "Called •••, then •••.",
        ),
        // Each name part of three letters or more alone; hyphenated parts too.
        ("Sr. Perez (gómez) signed", "Sr. ••• (•••) signed"),
        ("Señora de la Cruz", "Señora de la •••"),
        ("born 1990-01-02; doc 1023456789", "born •••; doc •••"),
        ("write to jp@mail.example", "write to •••"),
        // Not inside other words, and short parts (`de`, `la`) stay.
        (
            "Juanita Perezoso de la tienda",
            "Juanita Perezoso de la tienda",
        ),
        ("the andresito crux", "the andresito crux"),
        (
            "validation_id VLD0123456789abcdef0123456789abcdef",
            "validation_id VLD0123456789abcdef0123456789abcdef",
        ),
    ] {
        assert_eq!(known.mask_text(text), shown, "{text}");
    }
    // Gender `M`, the decline code and ids are not personal values.
    assert_eq!(
        known.mask_text("M · data_not_match_with_government_database"),
        "M · data_not_match_with_government_database"
    );
    assert!(matches!(
        known.mask_text("nothing to hide here"),
        std::borrow::Cow::Borrowed(_)
    ));
    assert_eq!(Known::none().mask_text("JUAN PEREZ"), "JUAN PEREZ");
}

#[test]
fn known_values_are_hidden_in_json_labels_and_raw_views() {
    let raw = quoting_result();
    let known = Known::from_json(&raw);
    let masked = known.mask_json(&raw).to_string();
    for gone in [
        "JUAN",
        "PEREZ",
        "Andrés",
        "1990-01-02",
        "1023456789",
        "jp@mail",
        "300 123",
    ] {
        assert!(
            !masked.to_lowercase().contains(&gone.to_lowercase()),
            "{gone} in {masked}"
        );
    }
    assert!(masked.contains("registry_data_match"), "{masked}");
    assert!(masked.contains("…xyz9"), "{masked}");
    let lines: Vec<String> = serde_json::to_string_pretty(&raw["validations"])
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let view = known.mask_raw_view("/validations", &lines).join("\n");
    assert!(
        !view.contains("JUAN") && !view.contains("1990-01-02"),
        "{view}"
    );
    let label = known.mask_labelled(
        Some("/validations/0/details/document_validations/government_database/0"),
        1,
        "invalid · The name JUAN ANDRES PEREZ-GOMEZ DE LA CRUZ does not match",
    );
    assert_eq!(label, "invalid · The name ••• does not match");
    assert_eq!(known.mask_field("message", "Pérez said hi"), "••• said hi");
}

#[test]
fn account_logins_and_short_values_are_not_taken_for_names() {
    let known = Known::from_json(&json!({
        "override_status_history": [{"username": "analyst1@demo.example"}],
        "validations": [{"type": "document-validation", "name": "Al"}],
        "gender": "F",
    }));
    // `demo` is part of an analyst's login, not a name: it stays in other words.
    assert_eq!(known.mask_text("source demo"), "source demo");
    assert_eq!(known.mask_text("by analyst1@demo.example"), "by •••");
    // A name of two letters is not looked for in text (`al`, `de` are words of any sentence);
    // its own field still hides it.
    assert_eq!(known.mask_text("Al Capone"), "Al Capone");
}

proptest! {
    #[test]
    fn a_known_name_never_survives_in_any_sentence(
        first in "[A-Z][a-z]{2,8}",
        last in "[A-Z][a-z]{2,8}",
        before in "[a-z ,.()]{0,12}",
        after in "[a-z ,.()]{0,12}",
        upper in any::<bool>(),
    ) {
        let known = Known::from_json(&json!({"first_name": first, "last_name": last}));
        let name = format!("{first} {last}");
        let name = if upper { name.to_uppercase() } else { name };
        let text = format!("{before} {name} {after}");
        let masked = known.mask_text(&text).into_owned();
        for part in [&first, &last] {
            prop_assert!(!masked.to_lowercase().split(|c: char| !c.is_alphanumeric()).any(|w| w == part.to_lowercase()), "{} in {}", part, masked);
        }
        prop_assert_eq!(known.mask_text(&masked).into_owned(), masked.clone());
    }

    #[test]
    fn the_quick_checks_never_skip_a_text_the_full_pass_masks(
        s in "([0-9a-f:@. +()-]{1,6} ?){0,6}",
    ) {
        prop_assert_eq!(mask_text(&s), super::text::mask_words(&s));
    }

    #[test]
    fn masking_text_never_panics_and_is_idempotent(s in "\\PC{0,80}") {
        let once = mask_text(&s).into_owned();
        prop_assert_eq!(mask_text(&once).into_owned(), once.clone());
    }

    #[test]
    fn planted_values_never_survive(
        email in "[a-z]{1,8}\\.[a-z]{1,8}@[a-z]{2,8}\\.(com|example|co)",
        doc in "[1-9][0-9]{6,10}",
        phone in "\\+[0-9]{2} [0-9]{3} [0-9]{3} [0-9]{4}",
        ip in (0u8..=255, 0u8..=255, 0u8..=255, 0u8..=255),
        before in "[a-z ]{0,10}",
    ) {
        let ip = format!("{}.{}.{}.{}", ip.0, ip.1, ip.2, ip.3);
        let text = format!("{before} {email}, doc {doc}; tel {phone} ip {ip}.");
        let masked = mask_text(&text);
        for value in [&email, &doc, &phone, &ip] {
            prop_assert!(!masked.contains(value.as_str()), "{} in {}", value, masked);
        }
    }

    #[test]
    fn masking_json_hides_personal_keys_whatever_the_value(
        key in prop::sample::select(vec!["first_name", "lastName", "document_number", "email", "phone", "birth_date", "address"]),
        value in "[A-Za-z0-9 ]{1,20}",
    ) {
        let v = json!({"outer": [{ key: value.clone() }]});
        let m = mask_json(&v);
        prop_assert_eq!(&m["outer"][0][key], &json!(MASK));
        prop_assert_eq!(mask_json(&m), m.clone());
    }
}
