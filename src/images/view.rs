//! Which part of an image to show, as plain data: a region in units independent of the image's
//! pixel size, and the view (whole, the portrait on a document, a region) an image is drawn in.
//!
//! The app chooses the region (zoom and pan, per side), the worker crops to it off the UI thread
//! before encoding, and images are cached per (image, area, view), so the type lives here, below
//! both.

/// The whole extent of a side, in [`Region`] units.
pub const FULL: u16 = 10_000;
/// Each zoom step magnifies (or shrinks) by this factor.
const STEP: f64 = 1.5;
/// The smallest region, in [`Region`] units: about 30× magnification, beyond which a phone photo
/// shows only blur.
const MIN_SIDE: u16 = 330;

/// A rectangle of an image in ten-thousandths of its width and height: independent of the image's
/// pixel size (the app never sees pixels) and hashable, so it can key the cache.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Region {
    pub x: u16,
    pub y: u16,
    pub w: u16,
    pub h: u16,
}

impl Region {
    pub const WHOLE: Region = Region {
        x: 0,
        y: 0,
        w: FULL,
        h: FULL,
    };

    pub fn is_whole(&self) -> bool {
        self.w >= FULL && self.h >= FULL
    }

    /// Magnified (`closer`) or shrunk by one step about its centre, kept inside the image.
    pub fn zoom(self, closer: bool) -> Region {
        let factor = if closer { 1.0 / STEP } else { STEP };
        let scale = |side: u16| {
            let side = (f64::from(side) * factor).round();
            // Clamped to [MIN_SIDE, FULL] first, so the cast cannot truncate.
            side.clamp(f64::from(MIN_SIDE), f64::from(FULL)) as u16
        };
        let (w, h) = (scale(self.w), scale(self.h));
        let centre = |at: u16, side: u16| u32::from(at) + u32::from(side) / 2;
        Region::around(centre(self.x, self.w), centre(self.y, self.h), w, h)
    }

    /// Moved by a quarter of its own size per step (`dx`, `dy` in steps), kept inside the image.
    pub fn pan(self, dx: i32, dy: i32) -> Region {
        let shift = |at: u16, side: u16, steps: i32| {
            let moved = i64::from(at) + i64::from(steps) * i64::from((side / 4).max(1));
            let max = i64::from(FULL - side.min(FULL));
            u16::try_from(moved.clamp(0, max)).unwrap_or(0)
        };
        Region {
            x: shift(self.x, self.w, dx),
            y: shift(self.y, self.h, dy),
            ..self
        }
    }

    /// A `w`×`h` region centred on (`cx`, `cy`) as far as the image's edges allow.
    fn around(cx: u32, cy: u32, w: u16, h: u16) -> Region {
        let start = |c: u32, side: u16| {
            let max = u32::from(FULL - side.min(FULL));
            u16::try_from(c.saturating_sub(u32::from(side) / 2).min(max)).unwrap_or(0)
        };
        Region {
            x: start(cx, w),
            y: start(cy, h),
            w,
            h,
        }
    }

    /// How much larger than the whole image this region is drawn, for the label (`2.3×`).
    pub fn magnification(&self) -> f64 {
        f64::from(FULL) / f64::from(self.w.max(self.h).max(1))
    }

    /// The region in pixels of a `width`×`height` image: (x, y, w, h), at least one pixel and
    /// always inside the image.
    pub fn to_pixels(self, width: u32, height: u32) -> (u32, u32, u32, u32) {
        let at = |v: u16, len: u32| {
            u32::try_from(u64::from(v) * u64::from(len) / u64::from(FULL)).unwrap_or(len)
        };
        let x = at(self.x, width).min(width.saturating_sub(1));
        let y = at(self.y, height).min(height.saturating_sub(1));
        let w = at(self.w, width).clamp(1, width.saturating_sub(x).max(1));
        let h = at(self.h, height).clamp(1, height.saturating_sub(y).max(1));
        (x, y, w, h)
    }

    /// The region covering pixels (x, y, w, h) of a `width`×`height` image.
    pub fn from_pixels(rect: (u32, u32, u32, u32), width: u32, height: u32) -> Region {
        let part = |v: u32, len: u32| {
            let v = u64::from(v.min(len)) * u64::from(FULL) / u64::from(len.max(1));
            u16::try_from(v).unwrap_or(FULL)
        };
        let (x, y, w, h) = rect;
        Region {
            x: part(x, width),
            y: part(y, height),
            w: part(w, width).max(1),
            h: part(h, height).max(1),
        }
    }
}

/// What part of an image to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ImageView {
    /// The whole image, fitted.
    #[default]
    Whole,
    /// The face on a document (found by a face detector in the worker), else the whole card.
    Portrait,
    /// A region the reviewer zoomed or panned to.
    Region(Region),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_in_and_out_returns_to_the_whole_image() {
        let mut r = Region::WHOLE;
        for _ in 0..3 {
            r = r.zoom(true);
        }
        assert!(r.w < FULL / 3 && r.w == r.h);
        assert!(r.magnification() > 3.0);
        // Centred: the margins on both sides are equal (within rounding).
        assert!((i32::from(r.x) - i32::from(FULL - r.x - r.w)).abs() <= 1);
        for _ in 0..3 {
            r = r.zoom(false);
        }
        assert!(r.is_whole(), "{r:?}");
        assert_eq!(r.zoom(false), Region::WHOLE);
    }

    #[test]
    fn zoom_stops_at_the_smallest_region() {
        let mut r = Region::WHOLE;
        for _ in 0..40 {
            r = r.zoom(true);
        }
        assert_eq!((r.w, r.h), (MIN_SIDE, MIN_SIDE));
    }

    #[test]
    fn panning_stays_inside_the_image() {
        let r = Region::WHOLE.zoom(true).zoom(true);
        let left = r.pan(-100, 0);
        assert_eq!(left.x, 0);
        let right = r.pan(100, 100);
        assert_eq!(right.x + right.w, FULL);
        assert_eq!(right.y + right.h, FULL);
        assert_eq!(Region::WHOLE.pan(3, -2), Region::WHOLE);
        let step = r.pan(1, 0);
        assert_eq!(step.x - r.x, r.w / 4);
    }

    #[test]
    fn pixels_round_trip_and_stay_inside() {
        let r = Region::from_pixels((300, 200, 600, 400), 3000, 2000);
        assert_eq!(
            r,
            Region {
                x: 1000,
                y: 1000,
                w: 2000,
                h: 2000
            }
        );
        assert_eq!(r.to_pixels(3000, 2000), (300, 200, 600, 400));
        let edge = Region {
            x: FULL,
            y: FULL,
            w: 1,
            h: 1,
        };
        assert_eq!(edge.to_pixels(10, 10), (9, 9, 1, 1));
        assert_eq!(Region::WHOLE.to_pixels(1, 1), (0, 0, 1, 1));
    }
}
