//! Image links, once for the browser's worker and for `show`: which link a result holds for an
//! image, and the stale-link retry.
//!
//! Truora's image links are pre-signed S3 URLs that expire. When the image host refuses one as
//! stale (a 403, or its `X-Amz-Expires` has passed), the process result is fetched again and its
//! fresh link tried once; a link found only in a validation's details
//! (`user_response.input_files`) is re-signed by fetching the details again. What the retry
//! fetched is handed to the caller, who keeps it (the worker tells the app; `show` uses it for
//! the process's next image), so a result is fetched again once however many links expired.

use std::sync::Arc;

use super::Source;
use crate::api::ApiError;
use crate::api::model::{ProcessResult, ValidationDetails};
use crate::images::ImageKey;

/// Something newer than what the caller had, fetched to re-sign a stale link.
#[derive(Debug)]
pub enum Fresh {
    Result {
        process_id: String,
        result: Arc<ProcessResult>,
    },
    Details {
        validation_id: String,
        details: Arc<ValidationDetails>,
    },
}

/// The link for a key in a result: same validation (see `ProcessResult::validation_key`), same
/// field.
pub fn find_link(result: &ProcessResult, key: &ImageKey) -> Option<String> {
    result
        .validation_by_key(&key.validation_id)?
        .images
        .iter()
        .find(|l| l.field == key.field)
        .map(|l| l.url.clone())
}

impl Source {
    /// The bytes of one image. `url` is the newest link the caller has for `key` (the caller
    /// picks it: see [`find_link`]); a stale one is re-signed once, as the module says, and
    /// each thing fetched on the way is handed to `fresh` as it arrives, even when the retry
    /// then fails.
    pub async fn image(
        &self,
        key: &ImageKey,
        url: &str,
        what: &str,
        mut fresh: impl FnMut(Fresh),
    ) -> Result<Vec<u8>, ApiError> {
        match self.file(key, url, what).await {
            Err(e) if e.is_stale_link() => {
                tracing::info!(%what, "image link stale; re-fetching the result for fresh links");
                let url = self.fresh_link(key, &mut fresh).await?;
                self.file(key, &url, what).await
            }
            other => other,
        }
    }

    /// A freshly signed link for `key`: from the result fetched again, else from its
    /// validation's details fetched again.
    async fn fresh_link(
        &self,
        key: &ImageKey,
        fresh: &mut impl FnMut(Fresh),
    ) -> Result<String, ApiError> {
        let result = Arc::new(self.result(&key.process_id).await?.parsed);
        let in_result = find_link(&result, key);
        let validation_id = result
            .validation_by_key(&key.validation_id)
            .and_then(|v| v.validation_id.clone());
        fresh(Fresh::Result {
            process_id: key.process_id.clone(),
            result,
        });
        if let Some(link) = in_result {
            return Ok(link);
        }
        let gone = || ApiError::LinkExpired {
            what: format!(
                "{} (no longer in the process result or its details)",
                key.field
            ),
        };
        let validation_id = validation_id.ok_or_else(gone)?;
        let details = Arc::new(self.details(&validation_id).await?.parsed);
        let link = details
            .validation
            .images
            .iter()
            .find(|l| l.field == key.field)
            .map(|l| l.url.clone());
        fresh(Fresh::Details {
            validation_id,
            details,
        });
        link.ok_or_else(gone)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::api::{ApiKey, Client, ClientOptions};
    use crate::demo::{DEMO_API_KEY, DemoHost, DemoOptions, DemoServer};

    async fn demo() -> (DemoServer, Source) {
        let server = DemoServer::start(DemoOptions::default())
            .await
            .expect("demo");
        let client = Client::new(ClientOptions::new(
            server.identity_url(),
            server.validations_url(),
            ApiKey::new(DEMO_API_KEY.into()),
        ))
        .expect("client");
        (server, Source::api(client, "demo"))
    }

    /// A picture of some process: its key and the link the result gave.
    async fn picture(server: &DemoServer, source: &Source) -> (ImageKey, String) {
        for id in server.process_ids() {
            let result = source.result(&id).await.expect("result").parsed;
            for v in &result.validations {
                if let Some(link) = v.images.iter().find(|l| l.kind.is_picture()) {
                    let key = ImageKey {
                        process_id: id.clone(),
                        validation_id: result.validation_key(v),
                        field: link.field.clone(),
                    };
                    return (key, link.url.clone());
                }
            }
        }
        panic!("the demo has pictures");
    }

    fn result_fetches(server: &DemoServer) -> usize {
        let requests = server.requests();
        let results = requests.iter().filter(|r| r.path.ends_with("/result"));
        results.filter(|r| r.host == DemoHost::Identity).count()
    }

    #[tokio::test]
    async fn a_stale_link_is_re_signed_once_and_the_fresh_result_handed_over() {
        let (server, source) = demo().await;
        let (key, url) = picture(&server, &source).await;
        server.advance_clock(Duration::from_secs(3600));
        server.clear_requests();
        let mut fetched = Vec::new();
        let bytes = source
            .image(&key, &url, "picture", |f| fetched.push(f))
            .await
            .expect("re-signed");
        assert_eq!(result_fetches(&server), 1, "one re-fetch for the retry");
        let validation = source.result(&key.process_id).await.expect("result").parsed;
        let validation_id = validation
            .validation_by_key(&key.validation_id)
            .and_then(|v| v.validation_id.clone())
            .expect("an id");
        let served = server.image_bytes(&key.process_id, &validation_id, &key.field);
        assert_eq!(Some(bytes), served);
        match fetched.as_slice() {
            [Fresh::Result { process_id, result }] => {
                assert_eq!(*process_id, key.process_id);
                let link = find_link(result, &key).expect("the fresh result has the link");
                assert_ne!(link, url, "signed again at the server's new time");
            }
            other => panic!("expected the fresh result, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_live_link_is_fetched_without_a_retry() {
        let (server, source) = demo().await;
        let (key, url) = picture(&server, &source).await;
        server.clear_requests();
        let mut fetched = 0;
        source
            .image(&key, &url, "picture", |_| fetched += 1)
            .await
            .expect("bytes");
        assert_eq!((fetched, result_fetches(&server)), (0, 0));
    }

    #[tokio::test]
    async fn a_link_gone_from_the_result_and_its_details_is_an_expired_link_error() {
        let (server, source) = demo().await;
        let (mut key, url) = picture(&server, &source).await;
        key.field = "no_such_field".into();
        server.advance_clock(Duration::from_secs(3600));
        let mut fetched = Vec::new();
        let error = source
            .image(&key, &url, "picture", |f| fetched.push(f))
            .await
            .expect_err("nothing to re-sign");
        assert!(matches!(error, ApiError::LinkExpired { .. }), "{error:?}");
        assert!(
            matches!(
                fetched.as_slice(),
                [Fresh::Result { .. }, Fresh::Details { .. }]
            ),
            "what was fetched is handed over even when the retry fails: {fetched:?}"
        );
    }
}
