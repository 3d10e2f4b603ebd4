//! Finding the portrait on a document photo, so compare can start on the face instead of a whole
//! card scaled into half a pane.
//!
//! The detector is SeetaFace's funnel-structured cascade (`rustface`, BSD-2-Clause) with the
//! frontal model the crate ships (copied into `assets/face_model/` with its licence and embedded
//! in the binary): it runs locally and offline, and no identity photo leaves the process. It runs
//! on a grey copy shrunk to at most [`DETECT_SIDE`] pixels, which keeps a 3000×2000 card well
//! under a second (`benches/face_detect.rs` measures it). Results are cached per image content,
//! so zooming and resizing never run it twice.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{LazyLock, Mutex};

use image::DynamicImage;

use super::view::Region;

static MODEL_BYTES: &[u8] = include_bytes!("../../assets/face_model/seeta_fd_frontal_v1.0.bin");

/// Parsed once, on the first document shown. `None` if the embedded model did not parse (a
/// broken build): every document is then shown whole.
static MODEL: LazyLock<Option<rustface::Model>> =
    LazyLock::new(|| rustface::read_model(std::io::Cursor::new(MODEL_BYTES)).ok());

/// Detection runs on a copy whose longer side is at most this many pixels: a portrait on an ID
/// card is a fifth of its width, so it stays well above the detector's smallest face.
pub const DETECT_SIDE: u32 = 640;
/// Smallest face searched for, in pixels of the shrunk copy.
const MIN_FACE: u32 = 24;
/// Windows scoring below this are not faces. rustface's default is 2.0; the cascade's later
/// stages already reject most non-faces, and a wrong guess costs the reviewer one key (`0`/`-`).
const SCORE_THRESHOLD: f64 = 0.8;

/// A face found on an image: its box in the image's pixels (x, y, w, h) and the detector's score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Face {
    pub rect: (u32, u32, u32, u32),
    pub score: f64,
}

/// The most confident face on `image`, if any. CPU-bound: call it on the blocking pool.
pub fn find_face(image: &DynamicImage) -> Option<Face> {
    let model = MODEL.as_ref()?;
    if image.width() < MIN_FACE || image.height() < MIN_FACE {
        return None;
    }
    let small = if image.width().max(image.height()) > DETECT_SIDE {
        image.thumbnail(DETECT_SIDE, DETECT_SIDE)
    } else {
        image.clone()
    };
    let grey = small.to_luma8();
    let scale = f64::from(image.width()) / f64::from(grey.width().max(1));
    // The detector is third-party code fed user data: a panic means "no face", not a crash.
    let best = catch_unwind(AssertUnwindSafe(|| {
        let mut detector = rustface::create_detector_with_model(model.clone());
        detector.set_min_face_size(MIN_FACE);
        detector.set_score_thresh(SCORE_THRESHOLD);
        detector.set_pyramid_scale_factor(0.8);
        detector.set_slide_window_step(4, 4);
        let data = rustface::ImageData::new(&grey, grey.width(), grey.height());
        detector
            .detect(&data)
            .into_iter()
            .max_by(|a, b| a.score().total_cmp(&b.score()))
    }))
    .ok()
    .flatten()?;
    let b = best.bbox();
    let px = |v: f64| (v * scale).max(0.0).round() as u32;
    let x = px(f64::from(b.x()));
    let y = px(f64::from(b.y()));
    let rect = (
        x.min(image.width().saturating_sub(1)),
        y.min(image.height().saturating_sub(1)),
        px(f64::from(b.width())).max(1),
        px(f64::from(b.height())).max(1),
    );
    Some(Face {
        rect,
        score: best.score(),
    })
}

/// The region to show for a face: the head and a little of the shoulders, shaped like the
/// pane (`aspect` = pane width / height in pixels) so the face fills it, inside the image.
pub fn portrait_region(face: Face, width: u32, height: u32, aspect: f64) -> Region {
    let (fx, fy, fw, fh) = face.rect;
    let (fx, fy, fw, fh) = (f64::from(fx), f64::from(fy), f64::from(fw), f64::from(fh));
    // Detectors box the eyes-to-mouth area; a portrait wants hair, ears and chin too.
    let cx = fx + fw / 2.0;
    let cy = fy + fh * 0.6;
    let mut h = fh * 2.4;
    let mut w = h * aspect.clamp(0.2, 5.0);
    if w < fw * 2.0 {
        w = fw * 2.0;
        h = w / aspect.clamp(0.2, 5.0);
    }
    let (iw, ih) = (f64::from(width), f64::from(height));
    let w = w.min(iw);
    let h = h.min(ih);
    let x = (cx - w / 2.0).clamp(0.0, iw - w);
    let y = (cy - h / 2.0).clamp(0.0, ih - h);
    let round = |v: f64| v.round().max(0.0) as u32;
    Region::from_pixels((round(x), round(y), round(w), round(h)), width, height)
}

/// Detection results by image content, so the same card is searched once however often it is
/// drawn (each zoom step and pane size encodes it again). Bounded: cleared when full.
static CACHE: LazyLock<Mutex<HashMap<u64, Option<Face>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));
const CACHE_ENTRIES: usize = 256;

/// [`find_face`] for the image decoded from `bytes`, cached by the bytes' hash.
pub fn find_face_cached(bytes: &[u8], image: &DynamicImage) -> Option<Face> {
    let mut hasher = DefaultHasher::new();
    bytes.hash(&mut hasher);
    let key = hasher.finish();
    let cached = CACHE.lock().ok().and_then(|c| c.get(&key).copied());
    if let Some(found) = cached {
        return found;
    }
    let found = find_face(image);
    if let Ok(mut cache) = CACHE.lock() {
        if cache.len() >= CACHE_ENTRIES {
            cache.clear();
        }
        cache.insert(key, found);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portrait_region_holds_the_face_and_fits_the_image() {
        let face = Face {
            rect: (100, 100, 50, 50),
            score: 5.0,
        };
        let r = portrait_region(face, 440, 280, 1.0);
        let (x, y, w, h) = r.to_pixels(440, 280);
        assert!(x <= 100 && y <= 100, "{r:?}");
        assert!(x + w >= 150 && y + h >= 150, "{r:?}");
        assert!(x + w <= 440 && y + h <= 280);
        assert!(w < 440 / 2, "a close-up, not the card");
        // A face at the edge is shown against the edge, not outside the image.
        let edge = portrait_region(
            Face {
                rect: (0, 0, 40, 40),
                score: 5.0,
            },
            440,
            280,
            2.0,
        );
        assert_eq!((edge.x, edge.y), (0, 0));
    }

    #[test]
    fn a_blank_image_has_no_face() {
        let blank = DynamicImage::new_rgb8(300, 200);
        assert!(find_face(&blank).is_none());
        assert!(find_face(&DynamicImage::new_rgb8(5, 5)).is_none());
    }
}
