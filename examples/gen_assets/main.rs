//! Regenerates the synthetic demo images in `assets/`: `cargo run --example gen_assets`.
//!
//! Everything is drawn from shapes (cartoon faces, blocky text, stripes), so no real person or
//! real document appears anywhere in the demo. The output is deterministic and committed; the
//! demo server embeds it with `include_bytes!`.

use std::path::Path;

use image::{ImageEncoder, RgbImage, codecs::jpeg::JpegEncoder, codecs::png::PngEncoder};

mod draw;
mod people;

use draw::{Px, ellipse, gradient, rect, rgb, round_rect, stroke, text};
use people::{LOOKS, person, selfie};

fn card_base(img: &mut RgbImage, color: Px) -> (i32, i32, i32, i32) {
    gradient(img, rgb(120, 110, 100), rgb(85, 78, 70));
    let (w, h) = (img.width() as i32, img.height() as i32);
    round_rect(img, 18, 20, w - 10, h - 8, 16, rgb(60, 55, 50));
    round_rect(img, 14, 14, w - 14, h - 14, 16, color);
    // Faint guilloche waves, like security printing.
    for k in 0..6 {
        let pts: Vec<(f32, f32)> = (0..=60)
            .map(|i| {
                let x = 20.0 + i as f32 * (w as f32 - 40.0) / 60.0;
                (
                    x,
                    60.0 + k as f32 * 30.0 + (x / 23.0 + k as f32).sin() * 9.0,
                )
            })
            .collect();
        stroke(
            img,
            &pts,
            1.2,
            rgb(
                color.0[0].saturating_sub(25),
                color.0[1].saturating_sub(20),
                color.0[2].saturating_sub(10),
            ),
        );
    }
    (14, 14, w - 14, h - 14)
}

/// Background colours of the four card designs.
fn card_colors() -> [Px; 4] {
    [
        rgb(190, 215, 235),
        rgb(200, 230, 200),
        rgb(240, 215, 220),
        rgb(235, 225, 190),
    ]
}

fn document_front(i: usize) -> RgbImage {
    let colors = card_colors();
    let mut img = RgbImage::new(440, 280);
    let (x0, y0, x1, _) = card_base(&mut img, colors[i % 4]);
    let band = rgb(
        colors[i % 4].0[0] / 2,
        colors[i % 4].0[1] / 2,
        colors[i % 4].0[2] / 2 + 40,
    );
    rect(&mut img, x0, y0 + 10, x1, y0 + 46, band);
    text(
        &mut img,
        x0 + 16,
        y0 + 15,
        2,
        rgb(255, 255, 255),
        "REPUBLICA DEMO",
    );
    text(
        &mut img,
        x0 + 16,
        y0 + 33,
        1,
        rgb(230, 230, 240),
        "DOCUMENTO DE IDENTIDAD - NOT A REAL ID",
    );
    rect(
        &mut img,
        x0 + 16,
        y0 + 60,
        x0 + 136,
        y0 + 210,
        rgb(225, 228, 232),
    );
    person(
        &mut img,
        (x0 + 76) as f32,
        (y0 + 120) as f32,
        30.0,
        &LOOKS[i],
    );
    let ink = rgb(30, 35, 60);
    let rows = [
        ("APELLIDOS", format!("PERSONA {}", 10 + i)),
        ("NOMBRES", "DEMO".to_string()),
        ("NUMERO", format!("99 000 {:03}", 100 + i * 37)),
        ("NACIMIENTO", format!("0{}.0{}.199{}", i + 1, i + 2, i)),
    ];
    for (k, (label, value)) in rows.iter().enumerate() {
        let y = y0 + 62 + k as i32 * 36;
        text(&mut img, x0 + 152, y, 1, rgb(90, 90, 110), label);
        text(&mut img, x0 + 152, y + 11, 2, ink, value);
    }
    stroke(
        &mut img,
        &[
            (300.0, 230.0),
            (315.0, 215.0),
            (325.0, 235.0),
            (340.0, 212.0),
            (360.0, 232.0),
            (390.0, 220.0),
        ],
        2.0,
        rgb(20, 30, 90),
    );
    text(&mut img, x0 + 16, y0 + 222, 2, rgb(200, 30, 40), "SPECIMEN");
    img
}

fn document_reverse(i: usize) -> RgbImage {
    let colors = card_colors();
    let mut img = RgbImage::new(440, 280);
    let (x0, y0, x1, _) = card_base(&mut img, colors[i % 4]);
    rect(
        &mut img,
        x0 + 16,
        y0 + 20,
        x1 - 16,
        y0 + 90,
        rgb(250, 250, 250),
    );
    let mut x = x0 + 24;
    let mut state = 0x2545_f491_u32.wrapping_add(i as u32 * 7919);
    while x < x1 - 24 {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let w = 1 + (state % 4) as i32;
        if state & 16 != 0 {
            rect(&mut img, x, y0 + 28, x + w, y0 + 82, rgb(10, 10, 10));
        }
        x += w;
    }
    for k in 0..7 {
        ellipse(
            &mut img,
            (x1 - 60) as f32,
            (y0 + 140) as f32,
            30.0 - k as f32 * 4.0,
            38.0 - k as f32 * 5.0,
            if k % 2 == 0 {
                rgb(80, 80, 90)
            } else {
                colors[i % 4]
            },
        );
    }
    text(
        &mut img,
        x0 + 16,
        y0 + 110,
        1,
        rgb(60, 60, 80),
        "LUGAR DE EXPEDICION: CIUDAD DEMO",
    );
    text(
        &mut img,
        x0 + 16,
        y0 + 124,
        1,
        rgb(60, 60, 80),
        "ESTE DOCUMENTO ES FICTICIO",
    );
    rect(
        &mut img,
        x0 + 8,
        y0 + 180,
        x1 - 8,
        y0 + 244,
        rgb(245, 245, 240),
    );
    text(
        &mut img,
        x0 + 14,
        y0 + 186,
        2,
        rgb(20, 20, 20),
        &format!("IDDEM099000{:03}<<<<<<<", 100 + i * 37),
    );
    text(
        &mut img,
        x0 + 14,
        y0 + 206,
        2,
        rgb(20, 20, 20),
        &format!("90010{i}7M3112314DEM<<<<<<"),
    );
    text(
        &mut img,
        x0 + 14,
        y0 + 226,
        2,
        rgb(20, 20, 20),
        &format!("PERSONA<<DEMO<{}<<<<<<<<", 10 + i),
    );
    img
}

fn signature() -> RgbImage {
    let mut img = RgbImage::from_pixel(300, 100, rgb(255, 255, 255));
    let pts: Vec<(f32, f32)> = (0..=240)
        .map(|i| {
            let t = i as f32 / 240.0;
            (
                20.0 + t * 250.0 + (t * 40.0).sin() * 10.0,
                55.0 + (t * 17.0).sin() * 18.0 * (1.0 - t) + (t * 40.0).cos() * 12.0,
            )
        })
        .collect();
    stroke(&mut img, &pts, 2.5, rgb(20, 30, 110));
    stroke(
        &mut img,
        &[(30.0, 82.0), (280.0, 78.0)],
        1.5,
        rgb(20, 30, 110),
    );
    img
}

/// A one-page PDF with correct xref offsets, for the signature documents.
fn pdf() -> Vec<u8> {
    let content = "BT /F1 18 Tf 72 720 Td (DEMO CONTRACT - NOT A REAL DOCUMENT) Tj 0 -28 Td /F1 11 Tf \
                   (Synthetic file served by the truora-tui demo server.) Tj ET";
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_string(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (n, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", n + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn save_jpeg(dir: &Path, name: &str, img: &RgbImage) -> anyhow::Result<()> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, 78).encode_image(img)?;
    std::fs::write(dir.join(name), bytes)?;
    Ok(())
}

fn main() -> anyhow::Result<()> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets");
    std::fs::create_dir_all(&dir)?;
    // One card front per person (the holder's photo is on it), in the four card designs.
    for i in 0..LOOKS.len() {
        save_jpeg(&dir, &format!("doc_front_{i}.jpg"), &document_front(i))?;
    }
    for i in 0..4 {
        save_jpeg(&dir, &format!("doc_reverse_{i}.jpg"), &document_reverse(i))?;
    }
    for i in 0..LOOKS.len() {
        save_jpeg(&dir, &format!("face_{i}.jpg"), &selfie(i, false))?;
        save_jpeg(&dir, &format!("face_{i}_watermark.jpg"), &selfie(i, true))?;
    }
    let sig = signature();
    let mut png = Vec::new();
    PngEncoder::new(&mut png).write_image(
        sig.as_raw(),
        sig.width(),
        sig.height(),
        image::ExtendedColorType::Rgb8,
    )?;
    std::fs::write(dir.join("signature.png"), png)?;
    std::fs::write(dir.join("document.pdf"), pdf())?;
    println!("wrote synthetic assets to {}", dir.display());
    if let Some(preview) = std::env::args().nth(1) {
        contact_sheet(&dir, Path::new(&preview))?;
    }
    Ok(())
}

/// Writes a PNG of every generated JPEG (as decoded), to eyeball the output:
/// `cargo run --example gen_assets -- /tmp/sheet.png`.
fn contact_sheet(dir: &Path, out: &Path) -> anyhow::Result<()> {
    let mut sheet = RgbImage::from_pixel(4 * 450, 5 * 310, rgb(255, 255, 255));
    let mut names: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jpg" || x == "png"))
        .collect();
    names.sort();
    for (k, path) in names.iter().enumerate() {
        let img = image::open(path)?.to_rgb8();
        image::imageops::overlay(&mut sheet, &img, (k % 4) as i64 * 450, (k / 4) as i64 * 310);
    }
    sheet.save(out)?;
    Ok(())
}
