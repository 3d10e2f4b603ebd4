//! Decoding, limits and terminal encoding, on images generated here (no fixtures of real people).

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageEncoder, ImageFormat, Rgb, RgbImage};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use ratatui_image::Image;
use ratatui_image::picker::Picker;
use truora_tui::api::model::ImageKind;
use truora_tui::images::ImageView;
use truora_tui::images::{Growth, ImageError, Limits, decode, dimensions, prepare, render};

fn picture(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            (x * 255 / width.max(1)) as u8,
            (y * 255 / height.max(1)) as u8,
            128,
        ])
    }))
}

fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encoded(&picture(width, height), ImageFormat::Jpeg)
}

fn png(width: u32, height: u32) -> Vec<u8> {
    encoded(&picture(width, height), ImageFormat::Png)
}

/// A JPEG whose EXIF says "rotate 90° clockwise to display", as phones write selfies.
fn rotated_jpeg(width: u32, height: u32) -> Vec<u8> {
    let mut exif = b"II*\0\x08\0\0\0\x01\0".to_vec();
    exif.extend_from_slice(&0x0112u16.to_le_bytes()); // Orientation
    exif.extend_from_slice(&3u16.to_le_bytes()); // SHORT
    exif.extend_from_slice(&1u32.to_le_bytes()); // one value
    exif.extend_from_slice(&[6, 0, 0, 0]); // 6 = rotate 90° CW
    exif.extend_from_slice(&[0; 4]); // no next IFD
    let mut out = Vec::new();
    let mut encoder = JpegEncoder::new_with_quality(&mut out, 90);
    encoder.set_exif_metadata(exif).unwrap();
    picture(width, height).write_with_encoder(encoder).unwrap();
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc_input = kind.to_vec();
    crc_input.extend_from_slice(data);
    out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    out
}

/// A valid-looking PNG of a few dozen bytes whose header claims `width`×`height` RGBA pixels.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

#[test]
fn decodes_generated_jpeg_and_png() {
    let limits = Limits::default();
    let image = decode(&jpeg(64, 48), &limits).unwrap();
    assert_eq!((image.width(), image.height()), (64, 48));
    let image = decode(&png(30, 70), &limits).unwrap();
    assert_eq!((image.width(), image.height()), (30, 70));
    assert_eq!(dimensions(&png(30, 70), &limits), Some((30, 70)));
}

#[test]
fn exif_orientation_turns_phone_photos_upright() {
    let bytes = rotated_jpeg(40, 20);
    let image = decode(&bytes, &Limits::default()).unwrap();
    assert_eq!((image.width(), image.height()), (20, 40));
    assert_eq!(dimensions(&bytes, &Limits::default()), Some((20, 40)));
}

#[test]
fn a_decompression_bomb_is_refused_from_its_header() {
    let bomb = png_claiming(100_000, 100_000);
    assert!(bomb.len() < 100);
    let err = decode(&bomb, &Limits::default()).unwrap_err();
    assert!(matches!(err, ImageError::TooLarge { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "image too large: 100000×100000 exceeds the 60 MP limit"
    );
    let picker = Picker::halfblocks();
    let err = prepare(
        &bomb,
        ImageKind::FacePhoto,
        Some(&picker),
        (80, 40),
        ImageView::Whole,
        &Limits::default(),
    )
    .unwrap_err();
    assert!(err.to_string().contains("exceeds the 60 MP limit"), "{err}");
}

#[test]
fn every_limit_is_enforced_with_its_own_message() {
    let side = decode(&png_claiming(20_000, 10), &Limits::default()).unwrap_err();
    assert_eq!(
        side.to_string(),
        "image too large: 20000×10 exceeds the 16384-pixel side limit"
    );
    let small = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    let file = decode(&png(64, 64), &small).unwrap_err();
    assert!(matches!(file, ImageError::FileTooLarge { .. }), "{file:?}");
    assert!(
        file.to_string().contains("exceeds the 100 bytes limit"),
        "{file}"
    );
}

#[test]
fn files_that_are_not_pictures_say_so() {
    let limits = Limits::default();
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
    assert_eq!(
        decode(pdf, &limits).unwrap_err().to_string(),
        "not an image (pdf): save it with s to open it elsewhere"
    );
    let gif = decode(b"GIF89a\x01\0\x01\0\0\0\0;", &limits).unwrap_err();
    assert!(
        matches!(gif, ImageError::Unsupported { format: "gif", .. }),
        "{gif:?}"
    );
    assert!(matches!(decode(b"", &limits), Err(ImageError::Empty)));
    let html = decode(b"<Error><Code>AccessDenied</Code></Error>", &limits).unwrap_err();
    assert!(
        html.to_string()
            .starts_with("not an image (unknown format)"),
        "{html}"
    );
}

#[test]
fn corrupt_and_truncated_files_are_errors() {
    let limits = Limits::default();
    let picker = Picker::halfblocks();
    for bytes in [jpeg(64, 48), png(64, 48)] {
        for cut in [4, 20, 40, bytes.len() / 2, bytes.len() - 1] {
            // Must not panic; a JPEG cut late may still decode (the decoder pads), which is fine.
            let _ = prepare(
                &bytes[..cut],
                ImageKind::FacePhoto,
                Some(&picker),
                (20, 10),
                ImageView::Whole,
                &limits,
            );
        }
        let err = decode(&bytes[..40], &limits).unwrap_err();
        assert!(err.to_string().starts_with("corrupt "), "{err}");
    }
}

#[test]
fn prepare_gives_facts_without_a_picture_for_pdfs_and_when_images_are_off() {
    let limits = Limits::default();
    let picker = Picker::halfblocks();
    let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
    let done = prepare(
        pdf,
        ImageKind::Document,
        Some(&picker),
        (80, 40),
        ImageView::Whole,
        &limits,
    )
    .unwrap();
    assert!(done.protocol.is_none());
    assert_eq!(
        (
            done.info.format,
            done.info.width,
            done.info.height,
            done.info.bytes
        ),
        ("pdf", 0, 0, pdf.len())
    );
    assert_eq!(done.info.kind, ImageKind::Document);

    // A PDF behind a link that should have been a photo is still not an error.
    let done = prepare(
        pdf,
        ImageKind::DocumentFront,
        Some(&picker),
        (80, 40),
        ImageView::Whole,
        &limits,
    )
    .unwrap();
    assert!(done.protocol.is_none());

    let unknown = b"PK\x03\x04 a zip";
    let done = prepare(
        unknown,
        ImageKind::Other,
        Some(&picker),
        (80, 40),
        ImageView::Whole,
        &limits,
    )
    .unwrap();
    assert_eq!(done.info.format, "unknown");

    let off = prepare(
        &jpeg(300, 200),
        ImageKind::FacePhoto,
        None,
        (80, 40),
        ImageView::Whole,
        &limits,
    )
    .unwrap();
    assert!(off.protocol.is_none());
    assert_eq!(
        (off.info.format, off.info.width, off.info.height),
        ("jpeg", 300, 200)
    );
}

#[test]
fn prepare_encodes_pictures_to_fit_the_pane() {
    let picker = Picker::halfblocks();
    let bytes = jpeg(600, 400);
    let done = prepare(
        &bytes,
        ImageKind::DocumentFront,
        Some(&picker),
        (80, 40),
        ImageView::Whole,
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(
        (
            done.info.format,
            done.info.width,
            done.info.height,
            done.info.bytes
        ),
        ("jpeg", 600, 400, bytes.len())
    );
    let size = done.protocol.expect("a picture").size();
    assert!(size.width <= 80 && size.height <= 40, "{size:?}");
}

#[test]
fn halfblocks_rendering_fits_any_area_and_draws() {
    let picker = Picker::halfblocks();
    let images = [
        picture(3000, 2000),
        picture(20, 2000),
        picture(2000, 20),
        picture(5, 5),
        picture(1, 1),
    ];
    let areas = [(80, 40), (10, 5), (1, 1), (200, 3), (3, 200)];
    for image in &images {
        for (&(columns, rows), growth) in areas
            .iter()
            .flat_map(|a| [(a, Growth::Limited), (a, Growth::Fill)])
        {
            let protocol = render(&picker, image, (columns, rows), growth).unwrap();
            let size = protocol.size();
            assert!(
                size.width >= 1 && size.width <= columns && size.height >= 1 && size.height <= rows,
                "{}×{} into {columns}×{rows}: {size:?}",
                image.width(),
                image.height()
            );
            let area = Rect::new(0, 0, columns, rows);
            let mut buffer = Buffer::empty(area);
            Image::new(&protocol).render(area, &mut buffer);
            assert!(
                buffer
                    .content
                    .iter()
                    .any(|cell| cell.bg != ratatui::style::Color::Reset),
                "nothing drawn for {}×{} into {columns}×{rows}",
                image.width(),
                image.height()
            );
        }
    }
}

#[test]
fn a_zero_area_is_an_error_not_a_panic() {
    let picker = Picker::halfblocks();
    for area in [(0, 0), (0, 10), (10, 0)] {
        let Err(err) = render(&picker, &picture(10, 10), area, Growth::Fill) else {
            panic!("rendered into {area:?}");
        };
        assert!(matches!(err, ImageError::NoRoom { .. }), "{err:?}");
    }
}
