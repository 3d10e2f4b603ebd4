//! The images host, a stand-in for S3 pre-signed downloads.
//!
//! It never looks at `Truora-API-Key` (pre-signed URLs carry their authorisation in the query),
//! and scripted faults do not apply here; only latency does. Errors are S3's XML documents.

use axum::http::request::Parts as Request;

use super::assets;
use super::clock;
use super::links::{BUCKET, LinkError, s3_error_xml};
use super::reply::Reply;
use super::state::Shared;

pub(crate) fn serve(shared: &Shared, req: &Request) -> Reply {
    let request_id = shared.next_request_id();
    if !matches!(req.method.as_str(), "GET" | "HEAD") {
        let xml = s3_error_xml(
            "MethodNotAllowed",
            "The specified method is not allowed against this resource.",
            &[("Method", req.method.to_string())],
            request_id,
        );
        return Reply::xml(405, xml);
    }
    let path = req.uri.path();
    let now = shared.now();
    match shared.signer.verify(path, req.uri.query(), now) {
        Err(LinkError::BadSignature) => {
            let xml = s3_error_xml(
                "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
                &[],
                request_id,
            );
            return Reply::xml(403, xml);
        }
        Err(LinkError::Expired { expires_at }) => {
            let xml = s3_error_xml(
                "AccessDenied",
                "Request has expired",
                &[
                    ("Expires", clock::iso(expires_at)),
                    ("ServerTime", clock::iso(now)),
                ],
                request_id,
            );
            return Reply::xml(403, xml);
        }
        Ok(()) => {}
    }
    match object(shared, path) {
        Some((bytes, content_type)) => Reply::bytes(content_type, bytes),
        None => {
            let key = path
                .strip_prefix(&format!("/{BUCKET}/"))
                .unwrap_or(path)
                .to_string();
            let xml = s3_error_xml(
                "NoSuchKey",
                "The specified key does not exist.",
                &[("Key", key)],
                request_id,
            );
            Reply::xml(404, xml)
        }
    }
}

/// Finds `/<bucket>/<process>/<validation>/<field>.<ext>`; `None` when anything does not match.
fn object(shared: &Shared, path: &str) -> Option<(&'static [u8], &'static str)> {
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    let [bucket, process_id, validation_id, file] = segments.as_slice() else {
        return None;
    };
    if *bucket != BUCKET {
        return None;
    }
    let (stem, ext) = file.rsplit_once('.')?;
    let data = shared.data();
    let (process, validation) = data.validation(validation_id)?;
    if process.id != *process_id {
        return None;
    }
    let asset = validation.files.iter().find(|f| f.field == stem)?.asset?;
    let (bytes, asset_ext, content_type) = assets::file(asset);
    (asset_ext == ext).then_some((bytes, content_type))
}
