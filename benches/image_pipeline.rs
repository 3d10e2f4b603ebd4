//! The image pipeline's two costs a reviewer feels: opening a photo (decode + resize + encode, on
//! the blocking pool) and showing it again from the cache (lookup + drawing into the frame).
//!
//! `cargo bench --bench image_pipeline` (needs `[[bench]] name = "image_pipeline" harness = false`).
//! Targets: opening a 3000×2000 JPEG into 80×40 cells ≤ 150 ms; showing it again ≤ 1 ms.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};
use truora_tui::images::ImageView;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use ratatui_image::Image;
use ratatui_image::picker::{Picker, ProtocolType};
use truora_tui::api::model::ImageKind;
use truora_tui::images::{CellSize, ImageKey, RenderedImage};
use truora_tui::images::{Growth, Limits, decode, prepare, render};

const AREA: CellSize = (80, 40);
const RUNS: usize = 20;

/// A photo-like 3000×2000 JPEG: smooth gradients, a few shapes, and sensor-like noise, so it
/// compresses like a real phone photo (about 1–2 MB) rather than like a flat test card.
fn photo_jpeg() -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 41) as i32 - 20
    };
    let image = RgbImage::from_fn(3000, 2000, |x, y| {
        let (fx, fy) = (x as i32, y as i32);
        let face = (fx - 1500).pow(2) / 4 + (fy - 1000).pow(2) / 9 < 40_000;
        let card = (200..1100).contains(&x) && (300..900).contains(&y);
        let base = if face {
            [210, 160, 130]
        } else if card {
            [40 + (x / 30 % 2 * 150) as i32, 90, 160]
        } else {
            [
                fx * 255 / 3000,
                fy * 255 / 2000,
                255 - (fx + fy) * 255 / 5000,
            ]
        };
        Rgb(base.map(|c| (c + noise()).clamp(0, 255) as u8))
    });
    let mut out = std::io::Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(image)
        .write_to(&mut out, ImageFormat::Jpeg)
        .expect("encoding the sample");
    out.into_inner()
}

struct Stats {
    median: Duration,
    p95: Duration,
    min: Duration,
}

fn measure(runs: usize, mut f: impl FnMut()) -> Stats {
    f(); // warm up caches and the allocator
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    Stats {
        median: at(0.5),
        p95: at(0.95),
        min: times[0],
    }
}

fn row(what: &str, stats: &Stats, target: Option<Duration>) {
    let verdict = match target {
        Some(t) if stats.p95 <= t => format!("ok (≤ {t:?})"),
        Some(t) => format!("OVER ({t:?})"),
        None => String::new(),
    };
    println!(
        "{what:<44} {:>11.3?} {:>11.3?} {:>11.3?}  {verdict}",
        stats.median, stats.p95, stats.min
    );
}

fn key(i: usize) -> ImageKey {
    ImageKey {
        process_id: format!("IDP{i:032x}"),
        validation_id: format!("VLD{i:032x}"),
        field: "front_image".into(),
    }
}

fn main() {
    let bytes = photo_jpeg();
    let limits = Limits::default();
    let halfblocks = Picker::halfblocks();
    println!(
        "sample: 3000×2000 JPEG, {:.2} MB; area {}×{} cells; {RUNS} runs",
        bytes.len() as f64 / 1e6,
        AREA.0,
        AREA.1
    );
    println!("{:<44} {:>11} {:>11} {:>11}", "", "median", "p95", "min");

    let prepare_with = |picker: &Picker| {
        prepare(
            &bytes,
            ImageKind::FacePhoto,
            Some(picker),
            AREA,
            ImageView::Whole,
            &limits,
        )
        .expect("prepare")
    };
    let stats = measure(RUNS, || {
        black_box(prepare_with(&halfblocks));
    });
    row(
        "prepare, halfblocks (decode+resize+encode)",
        &stats,
        Some(Duration::from_millis(150)),
    );

    let decoded = decode(&bytes, &limits).expect("decode");
    row(
        "  of which decode",
        &measure(RUNS, || drop(black_box(decode(&bytes, &limits)))),
        None,
    );
    let stats = measure(RUNS, || {
        drop(black_box(render(
            &halfblocks,
            &decoded,
            AREA,
            Growth::Limited,
        )))
    });
    row("  of which resize+encode", &stats, None);

    for (name, protocol) in [
        ("prepare, kitty (font 10×20)", ProtocolType::Kitty),
        ("prepare, iterm2 (font 10×20)", ProtocolType::Iterm2),
        ("prepare, sixel (font 10×20)", ProtocolType::Sixel),
    ] {
        let mut picker = Picker::halfblocks();
        picker.set_protocol_type(protocol);
        row(
            name,
            &measure(RUNS, || drop(black_box(prepare_with(&picker)))),
            None,
        );
    }

    // Showing it again: the app keeps encoded images per (image, area); a redraw looks one up
    // among many and draws it into the frame's buffer (reset each frame, as ratatui does).
    let shown: Arc<RenderedImage> = Arc::new(prepare_with(&halfblocks));
    let mut encoded: HashMap<(ImageKey, CellSize), Arc<RenderedImage>> =
        (0..200).map(|i| ((key(i), AREA), shown.clone())).collect();
    encoded.insert((key(1000), AREA), Arc::new(prepare_with(&halfblocks)));
    let wanted = (key(1000), AREA);
    let area = Rect::new(0, 0, AREA.0, AREA.1);
    let mut buffer = Buffer::empty(area);
    let stats = measure(1000, || {
        buffer.reset();
        let image = encoded.get(&wanted).cloned().expect("cached");
        if let Some(protocol) = &image.protocol {
            Image::new(protocol).render(area, &mut buffer);
        }
        black_box(&buffer);
    });
    row(
        "from cache: lookup + draw into 80×40 buffer",
        &stats,
        Some(Duration::from_millis(1)),
    );
}
