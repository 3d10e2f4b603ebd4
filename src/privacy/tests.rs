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

proptest! {
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
