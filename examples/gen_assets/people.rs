//! Cartoon people: a head-and-shoulders drawing in six looks, used for selfies and card photos.

use image::{Rgb, RgbImage};

use crate::draw::{Px, blend, ellipse, gradient, rect, rgb, stroke, text};

/// How one cartoon person looks.
pub struct Look {
    pub skin: Px,
    pub hair: Px,
    pub shirt: Px,
    pub bg: (Px, Px),
    pub hair_style: u8,
    pub glasses: bool,
}

#[rustfmt::skip]
pub const LOOKS: [Look; 6] = [
    Look { skin: Rgb([241, 200, 170]), hair: Rgb([60, 40, 30]), shirt: Rgb([40, 90, 160]), bg: (Rgb([200, 215, 230]), Rgb([150, 165, 185])), hair_style: 0, glasses: false },
    Look { skin: Rgb([198, 140, 100]), hair: Rgb([25, 20, 20]), shirt: Rgb([170, 50, 60]), bg: (Rgb([235, 225, 200]), Rgb([190, 175, 150])), hair_style: 1, glasses: false },
    Look { skin: Rgb([120, 80, 55]), hair: Rgb([20, 15, 15]), shirt: Rgb([60, 130, 80]), bg: (Rgb([215, 230, 215]), Rgb([160, 185, 165])), hair_style: 3, glasses: true },
    Look { skin: Rgb([250, 215, 190]), hair: Rgb([200, 160, 90]), shirt: Rgb([90, 90, 100]), bg: (Rgb([230, 210, 220]), Rgb([180, 160, 175])), hair_style: 1, glasses: false },
    Look { skin: Rgb([160, 110, 80]), hair: Rgb([110, 110, 115]), shirt: Rgb([220, 170, 60]), bg: (Rgb([210, 210, 210]), Rgb([140, 140, 150])), hair_style: 2, glasses: true },
    Look { skin: Rgb([225, 180, 140]), hair: Rgb([130, 60, 30]), shirt: Rgb([120, 60, 140]), bg: (Rgb([200, 225, 235]), Rgb([140, 175, 190])), hair_style: 0, glasses: false },
];

/// A cartoon head and shoulders centred at (cx, cy) with head radius `r`.
pub fn person(img: &mut RgbImage, cx: f32, cy: f32, r: f32, look: &Look) {
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
    shade_face(img, cx, cy, r, look.skin);
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
    let shadow = darker(look.skin, 0.55);
    for dx in [-0.33, 0.33] {
        // Eye sockets are darker than the cheeks and the bridge of the nose: the contrast a face
        // detector (and a person) reads as "eyes".
        soft(
            img,
            cx + r * dx,
            eye_y - r * 0.02,
            r * 0.26,
            r * 0.17,
            shadow,
            0.55,
        );
        ellipse(
            img,
            cx + r * dx,
            eye_y,
            r * 0.15,
            r * 0.085,
            rgb(235, 230, 225),
        );
        ellipse(
            img,
            cx + r * dx,
            eye_y,
            r * 0.085,
            r * 0.085,
            rgb(70, 45, 30),
        );
        ellipse(img, cx + r * dx, eye_y, r * 0.04, r * 0.04, rgb(15, 10, 10));
        let brow = darker(look.hair, 0.8);
        stroke(
            img,
            &[
                (cx + r * (dx - 0.17), eye_y - r * 0.2),
                (cx + r * dx, eye_y - r * 0.25),
                (cx + r * (dx + 0.17), eye_y - r * 0.22),
            ],
            r * 0.08,
            brow,
        );
        if look.glasses {
            for k in 0..48 {
                let a = k as f32 / 48.0 * std::f32::consts::TAU;
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
    // The nose: a shadow down one side and dark nostrils.
    soft(
        img,
        cx + r * 0.08,
        cy + r * 0.12,
        r * 0.08,
        r * 0.22,
        shadow,
        0.35,
    );
    for side in [-1.0, 1.0] {
        ellipse(
            img,
            cx + side * r * 0.09,
            cy + r * 0.3,
            r * 0.05,
            r * 0.035,
            darker(look.skin, 0.35),
        );
    }
    // Lips: a dark line between two tinted lips, with a shadow below.
    let lip = rgb(
        (u16::from(look.skin.0[0]) * 3 / 4 + 40).min(255) as u8,
        look.skin.0[1] / 2,
        look.skin.0[2] / 2,
    );
    ellipse(img, cx, cy + r * 0.55, r * 0.26, r * 0.09, lip);
    let mouth: Vec<(f32, f32)> = (0..=10)
        .map(|i| {
            let t = i as f32 / 10.0 - 0.5;
            (cx + t * r * 0.5, cy + r * 0.55 + (0.25 - t * t) * r * 0.08)
        })
        .collect();
    stroke(img, &mouth, r * 0.05, darker(lip, 0.4));
    soft(img, cx, cy + r * 0.72, r * 0.18, r * 0.06, shadow, 0.3);
}

/// The face lit from the front: cheeks and forehead stay bright, the sides and the jaw darken.
fn shade_face(img: &mut RgbImage, cx: f32, cy: f32, r: f32, skin: Px) {
    let edge = darker(skin, 0.6);
    for y in (cy - r) as i32..=(cy + r) as i32 {
        for x in (cx - r * 0.82) as i32..=(cx + r * 0.82) as i32 {
            let d = ((x as f32 - cx) / (r * 0.82)).powi(2) + ((y as f32 - cy) / r).powi(2);
            if d < 1.0 {
                blend(img, x, y, edge, (d.sqrt() - 0.6).max(0.0) * 0.9);
            }
        }
    }
}

/// An ellipse of `c` that fades out towards its rim, at most `alpha` opaque.
fn soft(img: &mut RgbImage, cx: f32, cy: f32, rx: f32, ry: f32, c: Px, alpha: f32) {
    for y in (cy - ry) as i32..=(cy + ry) as i32 {
        for x in (cx - rx) as i32..=(cx + rx) as i32 {
            let d = ((x as f32 - cx) / rx).powi(2) + ((y as f32 - cy) / ry).powi(2);
            if d < 1.0 {
                blend(img, x, y, c, (1.0 - d) * alpha);
            }
        }
    }
}

fn darker(c: Px, f: f32) -> Px {
    rgb(
        (f32::from(c.0[0]) * f) as u8,
        (f32::from(c.0[1]) * f) as u8,
        (f32::from(c.0[2]) * f) as u8,
    )
}

pub fn selfie(i: usize, watermark: bool) -> RgbImage {
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
