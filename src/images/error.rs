//! What can go wrong between downloaded bytes and a picture on screen, worded for the reviewer who
//! reads it in the status bar: what happened, and what to do about it.

use super::CellSize;

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("empty file: the download returned no bytes")]
    Empty,
    /// A PDF, or bytes no picture format claims.
    #[error("not an image ({format}): save it with s to open it elsewhere")]
    NotAnImage { format: &'static str },
    /// A picture in a format this build does not decode (only JPEG and PNG are compiled in).
    #[error("can't preview this {format}: {detail}; save it with s to open it elsewhere")]
    Unsupported {
        format: &'static str,
        detail: String,
    },
    #[error("image file too large: {} exceeds the {} limit", mib(*.bytes), mib(*.max))]
    FileTooLarge { bytes: usize, max: usize },
    /// Refused from the header alone, before any pixel memory was allocated.
    #[error("image too large: {width}×{height} exceeds the {limit} limit")]
    TooLarge {
        width: u32,
        height: u32,
        /// `60 MP`, `16384-pixel side`, `240 MiB memory`.
        limit: String,
    },
    #[error("corrupt {format}: {detail}")]
    Corrupt {
        format: &'static str,
        detail: String,
    },
    #[error("no room to show the image: the pane is {}×{} cells", .area.0, .area.1)]
    NoRoom { area: CellSize },
    #[error("could not encode the image for the terminal: {0}")]
    Encode(String),
}

impl ImageError {
    /// Maps the image crate's error for a file whose format we already know.
    pub(super) fn from_decoder(format: &'static str, error: image::ImageError) -> Self {
        use image::ImageError as E;
        match error {
            E::Limits(e) => ImageError::Corrupt {
                format,
                detail: format!("the decoder's memory limit was hit ({e})"),
            },
            E::Unsupported(e) => ImageError::Unsupported {
                format,
                detail: e.to_string(),
            },
            E::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => ImageError::Corrupt {
                format,
                detail: "the file is truncated".into(),
            },
            other => ImageError::Corrupt {
                format,
                detail: other.to_string(),
            },
        }
    }
}

/// `64 MiB`, or bytes below one MiB so small limits (in tests) still read right.
pub(super) fn mib(bytes: usize) -> String {
    if bytes >= 1 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_say_what_to_do() {
        assert_eq!(
            ImageError::NotAnImage { format: "pdf" }.to_string(),
            "not an image (pdf): save it with s to open it elsewhere"
        );
        let big = ImageError::TooLarge {
            width: 20000,
            height: 20000,
            limit: "60 MP".into(),
        };
        assert_eq!(
            big.to_string(),
            "image too large: 20000×20000 exceeds the 60 MP limit"
        );
        let file = ImageError::FileTooLarge {
            bytes: 80 << 20,
            max: 64 << 20,
        };
        assert_eq!(
            file.to_string(),
            "image file too large: 80 MiB exceeds the 64 MiB limit"
        );
    }
}
