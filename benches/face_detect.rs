//! Finding the portrait on a document photo: how long it takes and how often it works.
//!
//! `cargo bench --bench face_detect` (`harness = false`). Measures:
//! - detection on a 3000×2000 card (a demo card enlarged, JPEG-encoded like a phone photo):
//!   `find_face` on the decoded image (shrink to 640 px, grey, cascade), and `prepare` in the
//!   portrait view end to end (decode, detect, crop, encode) — target well under a second;
//! - the hit rate on every demo card front and selfie: a face found, and on cards the box lies
//!   inside the printed photo area (not on the text beside it); and false faces on card backs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use image::imageops::FilterType;
use image::{DynamicImage, ImageEncoder, codecs::jpeg::JpegEncoder};
use ratatui_image::picker::Picker;
use truora_tui::api::model::ImageKind;
use truora_tui::images::ImageView;
use truora_tui::images::face::find_face;
use truora_tui::images::{Limits, decode, prepare};

const RUNS: usize = 15;
/// The photo area printed on every demo card front (440×280): x 30..150, y 74..224.
const PHOTO_AREA: (u32, u32, u32, u32) = (30, 74, 150, 224);

fn measure(runs: usize, mut f: impl FnMut()) -> (Duration, Duration, Duration) {
    f();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.95), times[0])
}

fn asset(name: &str) -> Vec<u8> {
    let path = format!("{}/assets/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn main() {
    let limits = Limits::default();
    let card = decode(&asset("doc_front_0.jpg"), &limits).expect("demo card decodes");
    let big = card.resize_exact(3000, 2000, FilterType::CatmullRom);
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, 85)
        .write_image(big.as_bytes(), 3000, 2000, image::ExtendedColorType::Rgb8)
        .expect("encode");
    let big = DynamicImage::ImageRgb8(big.to_rgb8());

    println!("face detection (rustface, SeetaFace frontal model), {RUNS} runs");
    println!("{:<52} {:>10} {:>10} {:>10}", "", "median", "p95", "min");
    let found = find_face(&big);
    let (m, p, n) = measure(RUNS, || {
        black_box(find_face(black_box(&big)));
    });
    println!(
        "{:<52} {m:>10.1?} {p:>10.1?} {n:>10.1?}",
        "find_face, 3000×2000 card (decoded)"
    );
    let picker = Picker::halfblocks();
    let (m, p, n) = measure(RUNS, || {
        // A fresh copy of the bytes each run would still hit the detection cache (it is keyed by
        // content), so this row is decode + cached detection + crop + encode: what every zoom
        // step and re-size costs after the first look.
        black_box(
            prepare(
                &jpeg,
                ImageKind::DocumentFront,
                Some(&picker),
                (80, 40),
                ImageView::Portrait,
                &limits,
            )
            .expect("prepare"),
        );
    });
    println!(
        "{:<52} {m:>10.1?} {p:>10.1?} {n:>10.1?}",
        "prepare portrait 80×40, 3000×2000 jpeg (cached)"
    );
    let (m, p, n) = measure(RUNS, || {
        let image = decode(&jpeg, &limits).expect("decode");
        black_box(find_face(&image));
    });
    println!(
        "{:<52} {m:>10.1?} {p:>10.1?} {n:>10.1?}",
        "decode + find_face, 3000×2000 jpeg (first look)"
    );
    println!("face on the 3000×2000 card: {found:?}");

    println!();
    println!("hit rate on the demo images");
    let mut card_hits = 0;
    let mut cards = 0;
    for i in 0.. {
        let path = format!("{}/assets/doc_front_{i}.jpg", env!("CARGO_MANIFEST_DIR"));
        let Ok(bytes) = std::fs::read(&path) else {
            break;
        };
        cards += 1;
        let image = decode(&bytes, &limits).expect("decodes");
        let face = find_face(&image);
        let inside = face.is_some_and(|f| {
            let (x, y, w, h) = f.rect;
            let (cx, cy) = (x + w / 2, y + h / 2);
            let (x0, y0, x1, y1) = PHOTO_AREA;
            (x0..x1).contains(&cx) && (y0..y1).contains(&cy)
        });
        card_hits += usize::from(inside);
        println!(
            "  doc_front_{i}.jpg  {:<9} {face:?}",
            if inside { "portrait" } else { "MISSED" }
        );
    }
    let mut selfie_hits = 0;
    let mut selfies = 0;
    for i in 0.. {
        for suffix in ["", "_watermark"] {
            let path = format!("{}/assets/face_{i}{suffix}.jpg", env!("CARGO_MANIFEST_DIR"));
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            selfies += 1;
            let image = decode(&bytes, &limits).expect("decodes");
            let face = find_face(&image);
            selfie_hits += usize::from(face.is_some());
            println!(
                "  face_{i}{suffix}.jpg  {:<9} {face:?}",
                if face.is_some() { "face" } else { "MISSED" }
            );
        }
        if i >= 5 {
            break;
        }
    }
    println!(
        "card portraits found: {card_hits}/{cards}; selfie faces found: {selfie_hits}/{selfies}"
    );
}
