//! The demo's images host and validations host over real loopback HTTP: signed links, expiry,
//! tampering, missing objects, and validation details with their input files.

use crate::demo_support;

use std::time::Duration;

use demo_support::{api, document_process, get, start};
use truora_tui::demo::{DEMO_API_KEY, DemoHost};

#[tokio::test]
async fn signed_links_serve_bytes_then_expire() {
    let server = start().await;
    let (id, _) = document_process(&server);
    let result = api(&server, &format!("/v1/processes/{id}/result"))
        .await
        .json();
    let doc = result["validations"]
        .as_array()
        .and_then(|vs| vs.iter().find(|v| v["type"] == "document-validation"))
        .expect("doc");
    let vid = doc["validation_id"].as_str().expect("vid");
    let link = doc["front_image"].as_str().expect("front_image link");
    assert!(link.starts_with(server.images_url().as_str()) && link.contains("X-Amz-Expires=900"));

    let image = get(link, None).await;
    assert_eq!(
        (image.status, image.content_type.as_str()),
        (200, "image/jpeg")
    );
    assert_eq!(
        Some(image.body),
        server.image_bytes(&id, vid, "front_image")
    );
    let recorded = server.requests();
    let last = recorded.last().expect("recorded");
    assert_eq!(last.host, DemoHost::Images);
    assert!(last.headers.iter().all(|(k, _)| k != "truora-api-key"));
    assert!(recorded.iter().any(|r| {
        r.host == DemoHost::Identity
            && r.headers
                .iter()
                .any(|(k, v)| k == "truora-api-key" && v == DEMO_API_KEY)
    }));

    server.advance_clock(Duration::from_secs(901));
    let expired = get(link, None).await;
    assert_eq!(
        (expired.status, expired.content_type.as_str()),
        (403, "application/xml")
    );
    assert!(
        expired
            .text()
            .contains("<Code>AccessDenied</Code><Message>Request has expired</Message>"),
        "{}",
        expired.text()
    );

    // Asking for the result again gives a fresh link that works at the new "now".
    let fresh = api(&server, &format!("/v1/processes/{id}/result"))
        .await
        .json();
    let fresh_doc = fresh["validations"]
        .as_array()
        .and_then(|vs| vs.iter().find(|v| v["type"] == "document-validation"))
        .expect("doc");
    assert_eq!(
        get(fresh_doc["front_image"].as_str().expect("link"), None)
            .await
            .status,
        200
    );
    server.shutdown().await;
}

#[tokio::test]
async fn bad_signatures_and_missing_objects() {
    let server = start().await;
    let (id, doc) = document_process(&server);
    let link = doc["front_image"].as_str().expect("link").to_string();
    let sig_at = link.find("X-Amz-Signature=").expect("signature") + "X-Amz-Signature=".len();
    let flipped = if &link[sig_at..sig_at + 1] == "0" {
        "1"
    } else {
        "0"
    };
    let tampered = format!("{}{flipped}{}", &link[..sig_at], &link[sig_at + 1..]);
    let unsigned = link.split('?').next().expect("path").to_string();
    let other_file = link.replace("front_image.jpg", "reverse_image.jpg");
    for url in [
        tampered,
        unsigned,
        other_file,
        link.replace("X-Amz-Expires=900", "X-Amz-Expires=90000"),
    ] {
        let a = get(&url, None).await;
        assert_eq!(a.status, 403, "{url}");
        assert!(a.text().contains("<Code>SignatureDoesNotMatch</Code>"));
    }
    // A signed link to an object that no longer exists: 404 NoSuchKey.
    let gone = server.process_ids().into_iter().find_map(|pid| {
        let r = server.result_json(&pid)?;
        r["validations"].as_array()?.iter().find_map(|v| {
            let vid = v["validation_id"].as_str()?;
            let link = v["reverse_image"].as_str()?;
            server
                .image_bytes(&pid, vid, "reverse_image")
                .is_none()
                .then(|| link.to_string())
        })
    });
    let a = get(&gone.expect("a process with a missing reverse image"), None).await;
    assert_eq!(a.status, 404);
    assert!(a.text().contains("<Code>NoSuchKey</Code>"));
    assert!(id.starts_with("IDP"));
    server.shutdown().await;
}

#[tokio::test]
async fn validations_host_with_and_without_details() {
    let server = start().await;
    let (_, doc) = document_process(&server);
    let vid = doc["validation_id"].as_str().expect("vid");
    let base = server.validations_url();
    let plain = get(&format!("{base}v1/validations/{vid}"), Some(DEMO_API_KEY))
        .await
        .json();
    assert!(plain.get("details").is_none());
    assert_eq!(
        plain["validation_inputs"]["country"],
        doc["details"]["document_details"]["country"]
    );
    let full = get(
        &format!("{base}v1/validations/{vid}?show_details=true"),
        Some(DEMO_API_KEY),
    )
    .await
    .json();
    assert!(full["details"]["document_validations"].is_object());
    for link in full["user_response"]["input_files"]
        .as_array()
        .expect("input_files")
    {
        assert_eq!(get(link.as_str().expect("url"), None).await.status, 200);
    }
    server.shutdown().await;
}

#[tokio::test]
async fn images_host_refuses_other_methods_and_ignores_api_keys() {
    let server = start().await;
    let (_, doc) = document_process(&server);
    let link = doc["front_image"].as_str().expect("link");
    let post = reqwest::Client::new()
        .post(link)
        .send()
        .await
        .expect("post");
    assert_eq!(post.status().as_u16(), 405);
    // A key sent by mistake is neither required nor checked (the client must not send it).
    assert_eq!(get(link, Some("anything")).await.status, 200);
    server.shutdown().await;
}
