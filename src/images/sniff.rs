//! Telling what a file is from its first bytes.
//!
//! The URL's extension (or the server's `Content-Type`) says what the uploader claimed; the bytes
//! say what the file is. Both the preview and the saved file's extension follow the bytes, so a
//! PDF named `selfie.jpg` is saved as `.pdf` and never handed to the JPEG decoder.

/// The format of a file from its magic bytes: `jpeg`, `png`, `gif`, `webp`, `pdf`, `bmp`, `tiff`
/// or `heic`; `None` when unrecognised.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.starts_with(b"\xff\xd8\xff") {
        Some("jpeg")
    } else if bytes.starts_with(PNG) {
        Some("png")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        Some("webp")
    } else if is_pdf(bytes) {
        Some("pdf")
    } else if bytes.starts_with(b"II*\0") || bytes.starts_with(b"MM\0*") {
        Some("tiff")
    } else if is_heic(bytes) {
        Some("heic")
    } else if is_bmp(bytes) {
        Some("bmp")
    } else {
        None
    }
}

/// The file extension for a format from [`sniff`]: `jpg` for JPEG, `bin` for anything unknown,
/// so a saved file never gets an extension the bytes do not back up.
pub fn extension(format: &str) -> &'static str {
    match format {
        "jpeg" => "jpg",
        "png" => "png",
        "gif" => "gif",
        "webp" => "webp",
        "pdf" => "pdf",
        "bmp" => "bmp",
        "tiff" => "tiff",
        "heic" => "heic",
        _ => "bin",
    }
}

/// PDF readers accept the `%PDF-` header anywhere in the first KiB (some generators put a BOM or
/// junk first), so we do too.
fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// HEIF files are ISO-BMFF: a `ftyp` box at offset 4 whose major brand names HEVC/HEIF.
fn is_heic(bytes: &[u8]) -> bool {
    const BRANDS: &[&[u8]] = &[
        b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1",
    ];
    bytes.get(4..8) == Some(b"ftyp") && bytes.get(8..12).is_some_and(|b| BRANDS.contains(&b))
}

/// `BM` alone is too weak (plenty of text starts with it): also require a known DIB header size.
fn is_bmp(bytes: &[u8]) -> bool {
    const DIB_SIZES: &[u32] = &[12, 40, 52, 56, 64, 108, 124];
    bytes.starts_with(b"BM")
        && bytes
            .get(14..18)
            .and_then(|s| s.try_into().ok())
            .is_some_and(|s: [u8; 4]| DIB_SIZES.contains(&u32::from_le_bytes(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_each_format_from_its_magic() {
        let mut bmp = b"BM\0\0\0\0\0\0\0\0\0\0\0\0".to_vec();
        bmp.extend_from_slice(&40u32.to_le_bytes());
        let cases: &[(&[u8], Option<&str>)] = &[
            (b"\xff\xd8\xff\xe0\0\x10JFIF", Some("jpeg")),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Some("png")),
            (b"GIF89a\x01\0", Some("gif")),
            (b"GIF87a", Some("gif")),
            (b"RIFF\x24\0\0\0WEBPVP8 ", Some("webp")),
            (b"%PDF-1.7\n", Some("pdf")),
            (b"\xef\xbb\xbf\n%PDF-1.4", Some("pdf")),
            (&bmp, Some("bmp")),
            (b"II*\0\x08\0\0\0", Some("tiff")),
            (b"MM\0*\0\0\0\x08", Some("tiff")),
            (b"\0\0\0\x18ftypheic\0\0\0\0", Some("heic")),
            (b"\0\0\0\x18ftypmif1\0\0\0\0", Some("heic")),
            (b"BMW is a car", None),
            (b"RIFF\x24\0\0\0WAVEfmt ", None),
            (b"<html>AccessDenied</html>", None),
            (b"", None),
            (b"\xff", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(sniff(bytes), *want, "{bytes:?}");
        }
    }

    #[test]
    fn extensions_follow_the_format() {
        assert_eq!(extension("jpeg"), "jpg");
        assert_eq!(extension("png"), "png");
        assert_eq!(extension("pdf"), "pdf");
        assert_eq!(extension("unknown"), "bin");
        assert_eq!(extension(""), "bin");
    }
}
