//! `GET /v1/processes/`: the paged process list.
//!
//! The real wrapper and paging are not public (docs/truora-api.md); the demo uses Truora's usual list
//! convention: `{"processes": [...], "next": "/v1/processes/?start_key=…", "self": "…"}` with no
//! `next` on the last page. The `start_key` is opaque to clients: base64url of
//! `{"process_id": "<last id of the previous page>"}`, like a DynamoDB `LastEvaluatedKey`, so a
//! page boundary stays valid when `page_size` changes between requests.

use serde_json::{Map, Value, json};

use super::render;
use super::reply::Reply;
use super::state::Shared;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
/// Longer keys are rejected before decoding; real ones are under 100 characters.
const MAX_KEY_LEN: usize = 512;

fn b64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn unb64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|a| *a == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

pub(crate) fn encode_key(process_id: &str) -> String {
    b64url(json!({ "process_id": process_id }).to_string().as_bytes())
}

fn decode_key(key: &str) -> Option<String> {
    if key.len() > MAX_KEY_LEN {
        return None;
    }
    let value: Value = serde_json::from_slice(&unb64url(key)?).ok()?;
    Some(value.get("process_id")?.as_str()?.to_string())
}

/// One page of the list; `query` is the raw query string of the request.
pub(crate) fn page(shared: &Shared, query: Option<&str>) -> Reply {
    let data = shared.data();
    let ds = &*data;
    let start_key = url::form_urlencoded::parse(query.unwrap_or("").as_bytes())
        .find(|(k, _)| k == "start_key")
        .map(|(_, v)| v.into_owned());
    let start = match &start_key {
        None => 0,
        Some(key) => match decode_key(key).and_then(|id| ds.by_id.get(&id).copied()) {
            Some(i) => i + 1,
            None => return Reply::error(400, "Invalid start_key"),
        },
    };
    let page_size = shared.options().page_size.max(1);
    let end = start.saturating_add(page_size).min(ds.processes.len());
    let items: Vec<Value> = ds.processes[start.min(end)..end]
        .iter()
        .map(|p| render::summary(ds, p))
        .collect();
    let mut body = Map::new();
    body.insert("processes".into(), items.into());
    let last = end.checked_sub(1).and_then(|i| ds.processes.get(i));
    if let Some(last) = last.filter(|_| end < ds.processes.len()) {
        let next = format!("/v1/processes/?start_key={}", encode_key(&last.id));
        body.insert("next".into(), next.into());
    }
    let self_link = match &start_key {
        Some(_) => match start.checked_sub(1).and_then(|i| ds.processes.get(i)) {
            Some(p) => format!("/v1/processes/?start_key={}", encode_key(&p.id)),
            None => "/v1/processes/".to_string(),
        },
        None => "/v1/processes/".to_string(),
    };
    body.insert("self".into(), self_link.into());
    Reply::json(200, &Value::Object(body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_reject_garbage() {
        for id in ["IDP0", "IDPabcdef0123456789", ""] {
            assert_eq!(decode_key(&encode_key(id)).as_deref(), Some(id));
        }
        for bad in ["", "!!!", "e30", "%%%", &"A".repeat(10_000)] {
            assert_eq!(decode_key(bad), None, "{bad:.20}");
        }
        assert_eq!(
            unb64url(&b64url(b"hello world")).as_deref(),
            Some(&b"hello world"[..])
        );
    }
}
