//! Pre-signed "S3" links: signing, verifying and S3-style XML errors.
//!
//! Real Truora image links are pre-signed S3 URLs valid for `X-Amz-Expires=900` seconds. The demo
//! mimics the query-string shape so clients exercise the same code paths (expiry, refresh, never
//! sending the API key to the image host), but the signature is a plain HMAC-SHA256 over
//! `path \n date \n expires` with a per-server secret: enough that a tampered or extended link is
//! rejected, without reimplementing SigV4.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::clock;
use super::model::{Asset, FileRef, Process, Validation};

type HmacSha256 = Hmac<Sha256>;

/// The fake bucket every object lives in (the first path segment on the images host).
pub(crate) const BUCKET: &str = "truora-di-demo-files";
/// Fake access key id shown in `X-Amz-Credential`; obviously not an AWS key.
const ACCESS_KEY: &str = "AKIADEMONOTAREALKEY0";
/// S3 refuses pre-signed URLs valid for more than 7 days; so does the demo.
const MAX_EXPIRES: u64 = 604_800;

/// Why an images-host request is refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum LinkError {
    /// Missing, malformed or wrong signature parameters.
    BadSignature,
    /// Correctly signed, but `now >= date + expires`.
    Expired { expires_at: i64 },
}

/// Signs and checks links with one secret, derived from the demo seed so a run is reproducible.
#[derive(Clone)]
pub(crate) struct Signer {
    secret: [u8; 32],
}

impl Signer {
    pub(crate) fn new(seed: u64) -> Self {
        let mut rng = super::rng::SplitMix64::for_item(seed, 0x5167, 0);
        let mut secret = [0u8; 32];
        for chunk in secret.chunks_mut(8) {
            chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
        }
        Self { secret }
    }

    fn mac(&self, path: &str, date: &str, expires: &str) -> HmacSha256 {
        // HMAC takes keys of any length, so this cannot fail.
        let mut mac =
            HmacSha256::new_from_slice(&self.secret).expect("HMAC accepts any key length");
        mac.update(path.as_bytes());
        mac.update(b"\n");
        mac.update(date.as_bytes());
        mac.update(b"\n");
        mac.update(expires.as_bytes());
        mac
    }

    /// The query string (without `?`) that makes `path` downloadable from `now` for `lifetime` s.
    pub(crate) fn sign(&self, path: &str, now: i64, lifetime: u64) -> String {
        let date = clock::amz(now);
        let expires = lifetime.min(MAX_EXPIRES).to_string();
        let signature = hex(&self.mac(path, &date, &expires).finalize().into_bytes());
        let day = date.get(..8).unwrap_or("19700101");
        format!(
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={ACCESS_KEY}%2F{day}%2Fus-east-1%2Fs3%2Faws4_request\
             &X-Amz-Date={date}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature={signature}"
        )
    }

    /// Checks a request's raw query against `path`. The signature is checked before the expiry,
    /// so a link whose `X-Amz-Expires` was edited to live longer is a bad signature, not valid.
    pub(crate) fn verify(
        &self,
        path: &str,
        query: Option<&str>,
        now: i64,
    ) -> Result<(), LinkError> {
        let (mut date, mut expires, mut signature) = (None, None, None);
        for (k, v) in url::form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            match k.as_ref() {
                "X-Amz-Date" => date = Some(v.into_owned()),
                "X-Amz-Expires" => expires = Some(v.into_owned()),
                "X-Amz-Signature" => signature = Some(v.into_owned()),
                _ => {}
            }
        }
        let (Some(date), Some(expires), Some(signature)) = (date, expires, signature) else {
            return Err(LinkError::BadSignature);
        };
        let sig_bytes = unhex(&signature).ok_or(LinkError::BadSignature)?;
        self.mac(path, &date, &expires)
            .verify_slice(&sig_bytes)
            .map_err(|_| LinkError::BadSignature)?;
        let signed_at = clock::parse_amz(&date).ok_or(LinkError::BadSignature)?;
        let lifetime: u64 = expires.parse().map_err(|_| LinkError::BadSignature)?;
        if lifetime > MAX_EXPIRES {
            return Err(LinkError::BadSignature);
        }
        let expires_at = signed_at.saturating_add(lifetime as i64);
        if now >= expires_at {
            return Err(LinkError::Expired { expires_at });
        }
        Ok(())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 128 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Escapes text for an XML element body (the request path can contain anything).
fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// An S3 error document: `<Error><Code>…</Code><Message>…</Message>…</Error>`.
pub(crate) fn s3_error_xml(
    code: &str,
    message: &str,
    extra: &[(&str, String)],
    request_id: u64,
) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message>",
        xml_escape(code),
        xml_escape(message)
    );
    for (tag, value) in extra {
        xml.push_str(&format!("<{tag}>{}</{tag}>", xml_escape(value)));
    }
    xml.push_str(&format!(
        "<RequestId>DEMO{request_id:012X}</RequestId><HostId>demo-s3-host</HostId></Error>"
    ));
    xml
}

/// What is needed to write links: where the hosts are and the signing clock.
pub(crate) struct Links<'a> {
    pub images_base: &'a str,
    pub identity_base: &'a str,
    pub signer: &'a Signer,
    pub now: i64,
    pub lifetime: u64,
}

impl Links<'_> {
    /// The object path of a file on the images host, e.g. `/bucket/IDP…/VLD…/front_image.jpg`.
    pub(crate) fn path(p: &Process, v: &Validation, f: &FileRef) -> String {
        let ext = match f.asset {
            Some(Asset::Signature) => "png",
            Some(Asset::Pdf) => "pdf",
            _ => "jpg",
        };
        format!("/{BUCKET}/{}/{}/{}.{ext}", p.id, v.id, f.field)
    }

    pub(crate) fn url(&self, p: &Process, v: &Validation, f: &FileRef) -> String {
        let path = Self::path(p, v, f);
        let query = self.signer.sign(&path, self.now, self.lifetime);
        format!("{}{path}?{query}", self.images_base.trim_end_matches('/'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: &str = "/truora-di-demo-files/IDP1/VLD1/front_image.jpg";

    #[test]
    fn signed_link_verifies_until_it_expires() {
        let s = Signer::new(1);
        let now = clock::YEAR_2026_START;
        let q = s.sign(PATH, now, 900);
        assert!(q.contains("X-Amz-Expires=900"));
        assert_eq!(s.verify(PATH, Some(&q), now + 899), Ok(()));
        assert_eq!(
            s.verify(PATH, Some(&q), now + 900),
            Err(LinkError::Expired {
                expires_at: now + 900
            })
        );
    }

    #[test]
    fn tampering_is_a_bad_signature() {
        let s = Signer::new(1);
        let now = clock::YEAR_2026_START;
        let q = s.sign(PATH, now, 900);
        let longer = q.replace("X-Amz-Expires=900", "X-Amz-Expires=9000");
        assert_eq!(
            s.verify(PATH, Some(&longer), now),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            s.verify("/other", Some(&q), now),
            Err(LinkError::BadSignature)
        );
        assert_eq!(s.verify(PATH, None, now), Err(LinkError::BadSignature));
        assert_eq!(
            s.verify(PATH, Some("X-Amz-Signature=zz"), now),
            Err(LinkError::BadSignature)
        );
        assert_eq!(
            Signer::new(2).verify(PATH, Some(&q), now),
            Err(LinkError::BadSignature)
        );
    }

    #[test]
    fn xml_is_escaped() {
        let x = s3_error_xml(
            "NoSuchKey",
            "The specified key does not exist.",
            &[("Key", "<a&b>".into())],
            1,
        );
        assert!(x.contains("<Key>&lt;a&amp;b&gt;</Key>"));
    }
}
