//! Regenerates the synthetic demo images in `assets/`: `cargo run --example gen_assets`.
//!
//! Everything is drawn from shapes (cartoon faces, blocky text, stripes), so no real person or
//! real document appears anywhere in the demo. The output is deterministic and committed; the
//! demo server embeds it with `include_bytes!`.

use std::path::Path;

use image::{ImageEncoder, Rgb, RgbImage, codecs::jpeg::JpegEncoder, codecs::png::PngEncoder};

type Px = Rgb<u8>;

fn rgb(r: u8, g: u8, b: u8) -> Px {
    Rgb([r, g, b])
}

/// Blends `c` over the pixel at (x, y) with opacity `a` (0..=1), ignoring out-of-bounds points.
fn blend(img: &mut RgbImage, x: i32, y: i32, c: Px, a: f32) {
    if x < 0 || y < 0 || x >= img.width() as i32 || y >= img.height() as i32 {
        return;
    }
    let p = img.get_pixel_mut(x as u32, y as u32);
    for i in 0..3 {
        p.0[i] = (f32::from(p.0[i]) * (1.0 - a) + f32::from(c.0[i]) * a).round() as u8;
    }
}

fn rect(img: &mut RgbImage, x0: i32, y0: i32, x1: i32, y1: i32, c: Px) {
    for y in y0..y1 {
        for x in x0..x1 {
            blend(img, x, y, c, 1.0);
        }
    }
}

fn round_rect(img: &mut RgbImage, x0: i32, y0: i32, x1: i32, y1: i32, r: i32, c: Px) {
    for y in y0..y1 {
        for x in x0..x1 {
            let dx = (x0 + r - x).max(x - (x1 - 1 - r)).max(0);
            let dy = (y0 + r - y).max(y - (y1 - 1 - r)).max(0);
            if dx * dx + dy * dy <= r * r {
                blend(img, x, y, c, 1.0);
            }
        }
    }
}

/// Filled ellipse with a one-pixel soft edge.
fn ellipse(img: &mut RgbImage, cx: f32, cy: f32, rx: f32, ry: f32, c: Px) {
    for y in (cy - ry - 1.0) as i32..=(cy + ry + 1.0) as i32 {
        for x in (cx - rx - 1.0) as i32..=(cx + rx + 1.0) as i32 {
            let d = ((x as f32 - cx) / rx).powi(2) + ((y as f32 - cy) / ry).powi(2);
            let edge = (1.0 - d.sqrt()) * rx.min(ry);
            if edge > 0.0 {
                blend(img, x, y, c, edge.min(1.0));
            }
        }
    }
}

/// A thick polyline, stamped with small discs.
fn stroke(img: &mut RgbImage, pts: &[(f32, f32)], width: f32, c: Px) {
    for w in pts.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        let steps = ((x1 - x0).hypot(y1 - y0) * 2.0).max(1.0) as i32;
        for s in 0..=steps {
            let t = s as f32 / steps as f32;
            ellipse(
                img,
                x0 + (x1 - x0) * t,
                y0 + (y1 - y0) * t,
                width / 2.0,
                width / 2.0,
                c,
            );
        }
    }
}

fn gradient(img: &mut RgbImage, top: Px, bottom: Px) {
    let h = img.height();
    for (_, y, p) in img.enumerate_pixels_mut() {
        let t = y as f32 / h as f32;
        for i in 0..3 {
            p.0[i] = (f32::from(top.0[i]) * (1.0 - t) + f32::from(bottom.0[i]) * t) as u8;
        }
    }
}

#[rustfmt::skip]
const FONT: &[(char, [&str; 7])] = &[
    ('A', [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"]),
    ('B', ["####.", "#...#", "#...#", "####.", "#...#", "#...#", "####."]),
    ('C', [".###.", "#...#", "#....", "#....", "#....", "#...#", ".###."]),
    ('D', ["####.", "#...#", "#...#", "#...#", "#...#", "#...#", "####."]),
    ('E', ["#####", "#....", "#....", "####.", "#....", "#....", "#####"]),
    ('F', ["#####", "#....", "#....", "####.", "#....", "#....", "#...."]),
    ('G', [".###.", "#...#", "#....", "#.###", "#...#", "#...#", ".####"]),
    ('H', ["#...#", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"]),
    ('I', [".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."]),
    ('J', ["..###", "...#.", "...#.", "...#.", "...#.", "#..#.", ".##.."]),
    ('K', ["#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"]),
    ('L', ["#....", "#....", "#....", "#....", "#....", "#....", "#####"]),
    ('M', ["#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"]),
    ('N', ["#...#", "#...#", "##..#", "#.#.#", "#..##", "#...#", "#...#"]),
    ('O', [".###.", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."]),
    ('P', ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."]),
    ('Q', [".###.", "#...#", "#...#", "#...#", "#.#.#", "#..#.", ".##.#"]),
    ('R', ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"]),
    ('S', [".####", "#....", "#....", ".###.", "....#", "....#", "####."]),
    ('T', ["#####", "..#..", "..#..", "..#..", "..#..", "..#..", "..#.."]),
    ('U', ["#...#", "#...#", "#...#", "#...#", "#...#", "#...#", ".###."]),
    ('V', ["#...#", "#...#", "#...#", "#...#", "#...#", ".#.#.", "..#.."]),
    ('W', ["#...#", "#...#", "#...#", "#.#.#", "#.#.#", "#.#.#", ".#.#."]),
    ('X', ["#...#", "#...#", ".#.#.", "..#..", ".#.#.", "#...#", "#...#"]),
    ('Y', ["#...#", "#...#", ".#.#.", "..#..", "..#..", "..#..", "..#.."]),
    ('Z', ["#####", "....#", "...#.", "..#..", ".#...", "#....", "#####"]),
    ('0', [".###.", "#...#", "#..##", "#.#.#", "##..#", "#...#", ".###."]),
    ('1', ["..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."]),
    ('2', [".###.", "#...#", "....#", "...#.", "..#..", ".#...", "#####"]),
    ('3', ["####.", "....#", "....#", ".###.", "....#", "....#", "####."]),
    ('4', ["...#.", "..##.", ".#.#.", "#..#.", "#####", "...#.", "...#."]),
    ('5', ["#####", "#....", "####.", "....#", "....#", "#...#", ".###."]),
    ('6', [".###.", "#....", "#....", "####.", "#...#", "#...#", ".###."]),
    ('7', ["#####", "....#", "...#.", "..#..", ".#...", ".#...", ".#..."]),
    ('8', [".###.", "#...#", "#...#", ".###.", "#...#", "#...#", ".###."]),
    ('9', [".###.", "#...#", "#...#", ".####", "....#", "....#", ".###."]),
    ('<', ["...#.", "..#..", ".#...", "#....", ".#...", "..#..", "...#."]),
    ('-', [".....", ".....", ".....", "#####", ".....", ".....", "....."]),
    ('.', [".....", ".....", ".....", ".....", ".....", ".##..", ".##.."]),
    (':', [".....", ".##..", ".##..", ".....", ".##..", ".##..", "....."]),
];

/// Blocky 5×7 text; `scale` pixels per font pixel. Unknown characters are blank.
fn text(img: &mut RgbImage, x: i32, y: i32, scale: i32, c: Px, s: &str) {
    for (i, ch) in s.chars().enumerate() {
        let Some((_, rows)) = FONT.iter().find(|(k, _)| *k == ch) else {
            continue;
        };
        for (ry, row) in rows.iter().enumerate() {
            for (rx, bit) in row.bytes().enumerate() {
                if bit == b'#' {
                    let (px, py) = (
                        x + (i as i32 * 6 + rx as i32) * scale,
                        y + ry as i32 * scale,
                    );
                    rect(img, px, py, px + scale, py + scale, c);
                }
            }
        }
    }
}

/// How one cartoon person looks.
struct Look {
    skin: Px,
    hair: Px,
    shirt: Px,
    bg: (Px, Px),
    hair_style: u8,
    glasses: bool,
}

#[rustfmt::skip]
const LOOKS: [Look; 6] = [
    Look { skin: Rgb([241, 200, 170]), hair: Rgb([60, 40, 30]), shirt: Rgb([40, 90, 160]), bg: (Rgb([200, 215, 230]), Rgb([150, 165, 185])), hair_style: 0, glasses: false },
    Look { skin: Rgb([198, 140, 100]), hair: Rgb([25, 20, 20]), shirt: Rgb([170, 50, 60]), bg: (Rgb([235, 225, 200]), Rgb([190, 175, 150])), hair_style: 1, glasses: false },
    Look { skin: Rgb([120, 80, 55]), hair: Rgb([20, 15, 15]), shirt: Rgb([60, 130, 80]), bg: (Rgb([215, 230, 215]), Rgb([160, 185, 165])), hair_style: 3, glasses: true },
    Look { skin: Rgb([250, 215, 190]), hair: Rgb([200, 160, 90]), shirt: Rgb([90, 90, 100]), bg: (Rgb([230, 210, 220]), Rgb([180, 160, 175])), hair_style: 1, glasses: false },
    Look { skin: Rgb([160, 110, 80]), hair: Rgb([110, 110, 115]), shirt: Rgb([220, 170, 60]), bg: (Rgb([210, 210, 210]), Rgb([140, 140, 150])), hair_style: 2, glasses: true },
    Look { skin: Rgb([225, 180, 140]), hair: Rgb([130, 60, 30]), shirt: Rgb([120, 60, 140]), bg: (Rgb([200, 225, 235]), Rgb([140, 175, 190])), hair_style: 0, glasses: false },
];

/// A cartoon head and shoulders centred at (cx, cy) with head radius `r`.
fn person(img: &mut RgbImage, cx: f32, cy: f32, r: f32, look: &Look) {
    ellipse(img, cx, cy + r * 2.3, r * 1.9, r * 1.1, look.shirt);
    rect(
        img,
        (cx - r * 0.35) as i32,
        (cy + r * 0.6) as i32,
        (cx + r * 0.35) as i32,
        (cy + r * 1.4) as i32,
        look.skin,
    );
    if look.hair_style == 1 {
        // Long hair: a crown behind the head and two side locks, leaving the chin clear.
        ellipse(img, cx, cy - r * 0.15, r * 1.1, r * 1.05, look.hair);
        for side in [-1.0, 1.0] {
            ellipse(
                img,
                cx + side * r * 0.85,
                cy + r * 0.55,
                r * 0.32,
                r * 0.85,
                look.hair,
            );
        }
    }
    ellipse(
        img,
        cx - r * 0.82,
        cy + r * 0.05,
        r * 0.18,
        r * 0.28,
        look.skin,
    );
    ellipse(
        img,
        cx + r * 0.82,
        cy + r * 0.05,
        r * 0.18,
        r * 0.28,
        look.skin,
    );
    ellipse(img, cx, cy, r * 0.82, r, look.skin);
    match look.hair_style {
        0 | 1 => ellipse(img, cx, cy - r * 0.7, r * 0.85, r * 0.42, look.hair),
        3 => {
            for i in 0..9 {
                let a = std::f32::consts::PI * (0.9 + 1.2 * i as f32 / 8.0);
                ellipse(
                    img,
                    cx + a.cos() * r * 0.8,
                    cy - r * 0.35 + a.sin() * r * 0.75,
                    r * 0.3,
                    r * 0.3,
                    look.hair,
                );
            }
        }
        _ => ellipse(img, cx, cy - r * 0.78, r * 0.6, r * 0.22, look.hair),
    }
    let eye_y = cy - r * 0.1;
    for dx in [-0.33, 0.33] {
        ellipse(
            img,
            cx + r * dx,
            eye_y,
            r * 0.14,
            r * 0.09,
            rgb(250, 250, 250),
        );
        ellipse(img, cx + r * dx, eye_y, r * 0.06, r * 0.07, rgb(40, 30, 30));
        stroke(
            img,
            &[
                (cx + r * (dx - 0.15), eye_y - r * 0.2),
                (cx + r * (dx + 0.15), eye_y - r * 0.22),
            ],
            r * 0.06,
            look.hair,
        );
        if look.glasses {
            for k in 0..24 {
                let a = k as f32 / 24.0 * std::f32::consts::TAU;
                blend(
                    img,
                    (cx + r * dx + a.cos() * r * 0.22) as i32,
                    (eye_y + a.sin() * r * 0.17) as i32,
                    rgb(30, 30, 30),
                    1.0,
                );
            }
        }
    }
    stroke(
        img,
        &[
            (cx, eye_y + r * 0.05),
            (cx - r * 0.07, cy + r * 0.3),
            (cx + r * 0.04, cy + r * 0.32),
        ],
        r * 0.04,
        rgb(150, 90, 70),
    );
    let mouth: Vec<(f32, f32)> = (0..=10)
        .map(|i| {
            let t = i as f32 / 10.0 - 0.5;
            (cx + t * r * 0.6, cy + r * 0.55 + (0.25 - t * t) * r * 0.25)
        })
        .collect();
    stroke(img, &mouth, r * 0.07, rgb(160, 50, 60));
}

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

fn document_front(i: usize) -> RgbImage {
    let colors = [
        rgb(190, 215, 235),
        rgb(200, 230, 200),
        rgb(240, 215, 220),
        rgb(235, 225, 190),
    ];
    let mut img = RgbImage::new(440, 280);
    let (x0, y0, x1, _) = card_base(&mut img, colors[i]);
    let band = rgb(
        colors[i].0[0] / 2,
        colors[i].0[1] / 2,
        colors[i].0[2] / 2 + 40,
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
    let colors = [
        rgb(190, 215, 235),
        rgb(200, 230, 200),
        rgb(240, 215, 220),
        rgb(235, 225, 190),
    ];
    let mut img = RgbImage::new(440, 280);
    let (x0, y0, x1, _) = card_base(&mut img, colors[i]);
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
                colors[i]
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

fn selfie(i: usize, watermark: bool) -> RgbImage {
    let look = &LOOKS[i];
    let mut img = RgbImage::new(240, 300);
    gradient(&mut img, look.bg.0, look.bg.1);
    person(&mut img, 120.0, 130.0, 62.0, look);
    if watermark {
        for row in 0..6 {
            for col in 0..3 {
                let (x, y) = (col * 90 - 20 + (row % 2) * 40, row * 55 + 10);
                let mut tmp = RgbImage::new(0, 0);
                std::mem::swap(&mut tmp, &mut img);
                let mut layer = tmp.clone();
                text(&mut layer, x, y, 2, rgb(255, 255, 255), "DEMO");
                for (a, b) in tmp.pixels_mut().zip(layer.pixels()) {
                    for c in 0..3 {
                        a.0[c] = ((u16::from(a.0[c]) * 3 + u16::from(b.0[c]) * 2) / 5) as u8;
                    }
                }
                img = tmp;
            }
        }
        rect(&mut img, 0, 276, 240, 300, rgb(20, 20, 20));
        text(
            &mut img,
            6,
            284,
            1,
            rgb(255, 255, 255),
            "TRUORA DEMO 2026-01-01 00:00",
        );
    }
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
    for i in 0..4 {
        save_jpeg(&dir, &format!("doc_front_{i}.jpg"), &document_front(i))?;
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
