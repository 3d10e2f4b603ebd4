//! No bytes make the image pipeline panic: random bytes, valid images with bytes flipped, and
//! valid images cut short all come back as `Ok` or an error.

use std::sync::OnceLock;
use truora_tui::images::ImageView;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use proptest::prelude::*;
use ratatui_image::picker::Picker;
use truora_tui::api::model::ImageKind;
use truora_tui::images::{Limits, prepare, save_name, sniff};

fn samples() -> &'static [Vec<u8>; 2] {
    static SAMPLES: OnceLock<[Vec<u8>; 2]> = OnceLock::new();
    SAMPLES.get_or_init(|| {
        let image = DynamicImage::ImageRgb8(RgbImage::from_fn(48, 32, |x, y| {
            Rgb([(x * 5) as u8, (y * 7) as u8, ((x ^ y) * 3) as u8])
        }));
        [ImageFormat::Jpeg, ImageFormat::Png].map(|format| {
            let mut out = std::io::Cursor::new(Vec::new());
            image.write_to(&mut out, format).unwrap();
            out.into_inner()
        })
    })
}

/// Small limits, so a mutated header claiming a huge image is refused quickly.
fn limits() -> Limits {
    Limits {
        max_bytes: 1 << 20,
        max_pixels: 4_000_000,
        max_side: 4096,
    }
}

/// Made once: inside tmux, `Picker::halfblocks` runs `tmux set` every time it is called.
fn picker() -> &'static Picker {
    static PICKER: OnceLock<Picker> = OnceLock::new();
    PICKER.get_or_init(Picker::halfblocks)
}

fn run(bytes: &[u8], area: (u16, u16)) {
    let picker = picker();
    for kind in [ImageKind::FacePhoto, ImageKind::Other] {
        if let Ok(done) = prepare(bytes, kind, Some(picker), area, ImageView::Whole, &limits())
            && let Some(protocol) = &done.protocol
        {
            let size = protocol.size();
            assert!(size.width <= area.0 && size.height <= area.1);
        }
    }
    let _ = prepare(
        bytes,
        ImageKind::FacePhoto,
        None,
        area,
        ImageView::Whole,
        &limits(),
    );
    let link = truora_tui::api::model::ImageLink {
        field: "front_image".into(),
        path: "front_image".into(),
        kind: ImageKind::DocumentFront,
        url: "https://s3.example/f.jpg".into(),
    };
    let name = save_name("IDP1", &link, bytes);
    assert!(!name.contains('/') && !name.starts_with('.'));
    let _ = sniff(bytes);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..1024), cols in 0u16..100, rows in 0u16..50) {
        run(&bytes, (cols, rows));
    }

    #[test]
    fn random_bytes_behind_a_valid_magic(which in 0usize..2, tail in proptest::collection::vec(any::<u8>(), 0..1024)) {
        let magic: &[u8] = if which == 0 { b"\xff\xd8\xff\xe0" } else { b"\x89PNG\r\n\x1a\n" };
        let mut bytes = magic.to_vec();
        bytes.extend(tail);
        run(&bytes, (40, 20));
    }

    #[test]
    fn flipped_bytes(which in 0usize..2, flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12)) {
        let mut bytes = samples()[which].clone();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        run(&bytes, (40, 20));
    }

    #[test]
    fn cut_short(which in 0usize..2, at in any::<prop::sample::Index>()) {
        let bytes = &samples()[which];
        run(&bytes[..at.index(bytes.len())], (40, 20));
    }
}
