//! Pre-signed S3 links: when they stop working, and what an S3 error page says.

use std::time::Duration;

use url::Url;

/// When a pre-signed S3 link stops working, from `X-Amz-Date` + `X-Amz-Expires`.
pub fn link_expiry(url: &Url) -> Option<std::time::SystemTime> {
    let mut date = None;
    let mut expires = None;
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "X-Amz-Date" => date = parse_amz_date(&v),
            "X-Amz-Expires" => expires = v.parse::<u64>().ok(),
            _ => {}
        }
    }
    date?.checked_add(Duration::from_secs(expires?))
}

/// `YYYYMMDDTHHMMSSZ` → a time.
fn parse_amz_date(s: &str) -> Option<std::time::SystemTime> {
    let secs = u64::try_from(crate::date::parse_amz(s)?).ok()?;
    std::time::UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

/// `<Code>AccessDenied</Code>` → `AccessDenied`.
pub(super) fn s3_code(body: &str) -> Option<String> {
    let start = body.find("<Code>")? + "<Code>".len();
    let end = start + body.get(start..)?.find("</Code>")?;
    let code = crate::sanitize::terminal_text(body.get(start..end)?);
    Some(code.chars().take(64).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_expiry_reads_amz_parameters() {
        let url = Url::parse(
            "https://s3.example/b/k.jpg?X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-Signature=ab",
        )
        .unwrap();
        let t = link_expiry(&url).unwrap();
        let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        assert_eq!(secs, 1_704_164_645 + 900);
        assert_eq!(
            link_expiry(&Url::parse("https://x/y?X-Amz-Date=bad").unwrap()),
            None
        );
    }
    #[test]
    fn s3_error_codes_are_read() {
        let body = "<Error><Code>SignatureDoesNotMatch</Code><Message>x</Message></Error>";
        assert_eq!(s3_code(body).as_deref(), Some("SignatureDoesNotMatch"));
        assert_eq!(s3_code("<Code>unterminated"), None);
    }
}
