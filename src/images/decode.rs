//! Decoding downloaded bytes into pixels without trusting them.
//!
//! Image files come from end users through Truora, so a file may be truncated, corrupt, or a
//! decompression bomb (a few KiB claiming 100000×100000 pixels). Every limit is checked against the
//! header before a pixel buffer is allocated, and the image crate's own [`image::Limits`] are set
//! as a second line. A panic inside a decoder is turned into an error rather than taking the
//! worker down.

use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use super::error::{ImageError, mib};
use super::sniff::sniff;

/// What a file may cost to decode. The defaults fit any phone photo or document scan with a wide
/// margin while keeping one decode under ~250 MiB.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
    /// Largest image, in pixels (width × height).
    pub max_pixels: u64,
    /// Longest side, in pixels.
    pub max_side: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 64 << 20,
            max_pixels: 60_000_000,
            max_side: 16_384,
        }
    }
}

impl Limits {
    /// Memory one decoded image may take: RGBA at 8 bits for the largest allowed image. A 16-bit
    /// PNG needs twice that per pixel, so those are refused at half the pixel limit.
    fn max_alloc(&self) -> u64 {
        self.max_pixels.saturating_mul(4)
    }

    /// The image crate's equivalent, set on the decoder as a second line of defence.
    fn for_image_crate(&self) -> image::Limits {
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(self.max_side);
        limits.max_image_height = Some(self.max_side);
        limits.max_alloc = Some(self.max_alloc());
        limits
    }

    fn check_file(&self, bytes: &[u8]) -> Result<(), ImageError> {
        if bytes.is_empty() {
            return Err(ImageError::Empty);
        }
        if bytes.len() > self.max_bytes {
            return Err(ImageError::FileTooLarge {
                bytes: bytes.len(),
                max: self.max_bytes,
            });
        }
        Ok(())
    }

    fn check_dimensions(&self, width: u32, height: u32, buffer: u64) -> Result<(), ImageError> {
        let too_large = |limit: String| ImageError::TooLarge {
            width,
            height,
            limit,
        };
        if u64::from(width) * u64::from(height) > self.max_pixels {
            return Err(too_large(megapixels(self.max_pixels)));
        }
        if width.max(height) > self.max_side {
            return Err(too_large(format!("{}-pixel side", self.max_side)));
        }
        if buffer > self.max_alloc() {
            let max = usize::try_from(self.max_alloc()).unwrap_or(usize::MAX);
            return Err(too_large(format!("{} memory", mib(max))));
        }
        Ok(())
    }
}

fn megapixels(pixels: u64) -> String {
    if pixels >= 1_000_000 {
        format!("{} MP", pixels / 1_000_000)
    } else {
        format!("{pixels}-pixel")
    }
}

/// Decodes a JPEG or PNG within `limits`, turned upright per its EXIF orientation (phones store
/// selfies sideways and set a flag). Other formats are refused with a message saying why.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<DynamicImage, ImageError> {
    let (format, image_format) = decodable(bytes)?;
    limits.check_file(bytes)?;
    guard(format, || {
        let mut decoder = open(bytes, image_format, format, limits)?;
        let (width, height) = decoder.dimensions();
        limits.check_dimensions(width, height, decoder.total_bytes())?;
        decoder
            .set_limits(limits.for_image_crate())
            .map_err(|e| ImageError::from_decoder(format, e))?;
        // A broken EXIF block only loses the rotation, never the picture.
        let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
        let mut image =
            DynamicImage::from_decoder(decoder).map_err(|e| ImageError::from_decoder(format, e))?;
        image.apply_orientation(orientation);
        Ok(image)
    })
}

/// The size a picture will be shown at (after EXIF rotation), read from its header only: for the
/// info line when images are off. `None` for anything [`decode`] would refuse.
pub fn dimensions(bytes: &[u8], limits: &Limits) -> Option<(u32, u32)> {
    let (format, image_format) = decodable(bytes).ok()?;
    limits.check_file(bytes).ok()?;
    guard(format, || {
        let mut decoder = open(bytes, image_format, format, limits)?;
        let (width, height) = decoder.dimensions();
        Ok(match decoder.orientation() {
            Ok(
                Orientation::Rotate90
                | Orientation::Rotate270
                | Orientation::Rotate90FlipH
                | Orientation::Rotate270FlipH,
            ) => (height, width),
            _ => (width, height),
        })
    })
    .ok()
}

/// The sniffed format, if it is one this build decodes.
fn decodable(bytes: &[u8]) -> Result<(&'static str, ImageFormat), ImageError> {
    match sniff(bytes) {
        Some("jpeg") => Ok(("jpeg", ImageFormat::Jpeg)),
        Some("png") => Ok(("png", ImageFormat::Png)),
        Some("pdf") => Err(ImageError::NotAnImage { format: "pdf" }),
        Some(format) => Err(ImageError::Unsupported {
            format,
            detail: "this build decodes only jpeg and png".into(),
        }),
        None if bytes.is_empty() => Err(ImageError::Empty),
        None => Err(ImageError::NotAnImage {
            format: "unknown format",
        }),
    }
}

/// Reads the header. Width and height limits are left off here so that an oversized image is
/// reported with its dimensions by [`Limits::check_dimensions`]; the allocation limit stays on.
fn open<'a>(
    bytes: &'a [u8],
    image_format: ImageFormat,
    format: &'static str,
    limits: &Limits,
) -> Result<impl ImageDecoder + 'a, ImageError> {
    let mut header_limits = limits.for_image_crate();
    header_limits.max_image_width = None;
    header_limits.max_image_height = None;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    reader.limits(header_limits);
    reader
        .into_decoder()
        .map_err(|e| ImageError::from_decoder(format, e))
}

thread_local! {
    static IN_GUARD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread is inside [`guard`]: a panic hook uses it to stay quiet about panics
/// that are caught and reported as errors.
pub fn inside_guard() -> bool {
    IN_GUARD.with(std::cell::Cell::get)
}

/// Runs third-party decoding, turning a panic on malformed data into an error.
pub(super) fn guard<T>(
    format: &'static str,
    f: impl FnOnce() -> Result<T, ImageError>,
) -> Result<T, ImageError> {
    let was = IN_GUARD.with(|g| g.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    IN_GUARD.with(|g| g.set(was));
    outcome.unwrap_or_else(|_| {
        Err(ImageError::Corrupt {
            format,
            detail: "the decoder gave up on malformed data".into(),
        })
    })
}
