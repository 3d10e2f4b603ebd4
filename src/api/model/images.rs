//! Finding the image links of a validation.
//!
//! Links are documented in a few places (`front_image`, `face_photo`, `details.
//! electronic_signature_details.signature_image_url`, `user_response.input_files`) and guessed in
//! others (`details.document_details.front_url`). Rather than hard-code them, every http(s) string
//! in a validation is a file link, named by the key that holds it.

use serde_json::Value;

use super::enums::ValidationType;
use crate::api::lenient::Object;

/// What an image link shows, which decides where it appears and how it is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImageKind {
    DocumentFront,
    DocumentReverse,
    /// `front_image` of a face validation: the enrolled reference photo.
    ReferenceFace,
    FacePhoto,
    FacePhotoWatermark,
    Signature,
    /// A signed or original document (a PDF): saved, never previewed.
    Document,
    InputFile,
    Other,
}

impl ImageKind {
    pub fn label(self) -> &'static str {
        match self {
            ImageKind::DocumentFront => "document front",
            ImageKind::DocumentReverse => "document reverse",
            ImageKind::ReferenceFace => "reference face",
            ImageKind::FacePhoto => "face photo",
            ImageKind::FacePhotoWatermark => "face photo (watermarked)",
            ImageKind::Signature => "signature",
            ImageKind::Document => "document file",
            ImageKind::InputFile => "input file",
            ImageKind::Other => "file",
        }
    }

    /// Whether a picture is expected (PDFs and unknown files are only saved).
    pub fn is_picture(self) -> bool {
        !matches!(self, ImageKind::Document | ImageKind::Other)
    }
}

/// One file link found in a validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImageLink {
    /// The field name used for saving (`front_image`, `input_files-0`).
    pub field: String,
    /// Where it was found, dotted from the validation (`details.document_details.front_url`).
    pub path: String,
    pub kind: ImageKind,
    pub url: String,
}

/// Keys whose URLs are pages or API links, not files.
const NOT_FILES: &[&str] = &["check_url", "next", "self", "webhook_url", "redirect_url"];
const MAX_DEPTH: usize = 6;

pub(crate) fn discover(validation: &Object, vtype: Option<&ValidationType>) -> Vec<ImageLink> {
    let mut walk = Walk {
        vtype,
        path: Vec::new(),
        found: Vec::new(),
    };
    walk.object(validation, 0);
    let mut found = walk.found;
    let mut seen = std::collections::HashSet::new();
    found.retain(|l: &ImageLink| seen.insert(l.url.clone()));
    found
}

/// A depth-first walk that allocates only when it finds a link (parsing is on the hot path of
/// the export and of every selection).
struct Walk<'a> {
    vtype: Option<&'a ValidationType>,
    /// Keys and indices from the validation down to the current value.
    path: Vec<PathPart<'a>>,
    found: Vec<ImageLink>,
}

#[derive(Clone, Copy)]
enum PathPart<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> Walk<'a> {
    fn object(&mut self, obj: &'a Object, depth: usize) {
        for (key, value) in obj {
            self.path.push(PathPart::Key(key));
            self.value(value, key, None, depth);
            self.path.pop();
        }
    }

    fn value(&mut self, value: &'a Value, key: &'a str, index: Option<usize>, depth: usize) {
        if depth > MAX_DEPTH || NOT_FILES.contains(&key) {
            return;
        }
        match value {
            Value::String(url) if is_link(url) => {
                let field = match index {
                    Some(i) => format!("{key}-{i}"),
                    None => key.to_owned(),
                };
                self.found.push(ImageLink {
                    field,
                    path: self.dotted_path(),
                    kind: classify(key, self.vtype),
                    url: url.clone(),
                });
            }
            Value::Object(obj) => self.object(obj, depth + 1),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.path.push(PathPart::Index(i));
                    self.value(item, key, Some(i), depth + 1);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }

    fn dotted_path(&self) -> String {
        let parts: Vec<String> = self
            .path
            .iter()
            .map(|p| match p {
                PathPart::Key(k) => (*k).to_owned(),
                PathPart::Index(i) => i.to_string(),
            })
            .collect();
        parts.join(".")
    }
}

fn is_link(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

fn classify(key: &str, vtype: Option<&ValidationType>) -> ImageKind {
    let is_face = matches!(vtype, Some(ValidationType::FaceRecognition));
    match key {
        "front_image" | "front_url" | "document_front" if is_face => ImageKind::ReferenceFace,
        "front_image" | "front_url" | "document_front" => ImageKind::DocumentFront,
        "reverse_image" | "reverse_url" | "document_reverse" => ImageKind::DocumentReverse,
        "face_photo" | "face_url" | "selfie" => ImageKind::FacePhoto,
        "face_photo_watermark" => ImageKind::FacePhotoWatermark,
        "signature_image_url" | "signature_image" => ImageKind::Signature,
        "original_document_url" | "signed_document_url" => ImageKind::Document,
        "input_files" => ImageKind::InputFile,
        _ => ImageKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_links_wherever_they_are() {
        let v = json!({
            "front_image": "https://s3.example/f.jpg?X-Amz-Expires=900",
            "reverse_image": "some text",
            "details": {
                "document_details": {"front_url": "https://s3.example/f2.jpg"},
                "background_check": {"check_url": "https://api.checks.truora.com/v1/checks/X"},
                "electronic_signature_details": {"signature_image_url": "https://s3.example/s.png"}
            },
            "user_response": {"input_files": ["https://s3.example/a.jpg", "HTTPS://s3.example/b.jpg"]}
        });
        let links = discover(
            v.as_object().unwrap(),
            Some(&ValidationType::DocumentValidation),
        );
        let fields: Vec<_> = links.iter().map(|l| (l.field.as_str(), l.kind)).collect();
        assert_eq!(
            fields,
            [
                ("front_image", ImageKind::DocumentFront),
                ("front_url", ImageKind::DocumentFront),
                ("signature_image_url", ImageKind::Signature),
                ("input_files-0", ImageKind::InputFile),
                ("input_files-1", ImageKind::InputFile),
            ]
        );
        assert_eq!(links[1].path, "details.document_details.front_url");
    }

    #[test]
    fn face_front_image_is_the_reference_photo_and_duplicates_are_dropped() {
        let v = json!({"front_image": "https://x/1", "face_photo": "https://x/2", "again": "https://x/2"});
        let links = discover(
            v.as_object().unwrap(),
            Some(&ValidationType::FaceRecognition),
        );
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].kind, ImageKind::ReferenceFace);
        assert_eq!(links[1].kind, ImageKind::FacePhoto);
    }
}
