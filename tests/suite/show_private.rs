//! `show --private` over every demo process: none of the demo's personal values is printed,
//! neither in the summary nor in `--json`, while process ids and statuses still are.

use crate::export_support;
use crate::privacy_support;

use std::collections::BTreeSet;

use export_support::*;
use privacy_support::{DEMO_PERSONAL_KEYS, assert_nothing_personal, collect, messages_quoting};
use truora_tui::demo::DEMO_API_KEY;
use truora_tui::show::{ShowOptions, print_to};
use truora_tui::source::Source;

/// The demo's default data set: every process the demo serves.
const PROCESSES: usize = 320;

/// The demo's personal keys, and `city`: `show --private` must hide that too.
fn personal_keys() -> Vec<&'static str> {
    [DEMO_PERSONAL_KEYS, &["city"]].concat()
}

#[tokio::test]
async fn no_personal_value_is_printed_for_any_demo_process() {
    let server = start(PROCESSES).await;
    let client = client(&server, DEMO_API_KEY, 8);
    let source = Source::api(client.clone(), "demo");
    let ids = server.process_ids();
    assert_eq!(ids.len(), PROCESSES);
    let private = ShowOptions {
        images: false,
        private: true,
        ..ShowOptions::default()
    };
    let mut seen_names = 0;
    let mut seen_quoting = 0;
    for id in &ids {
        let raw = server.result_json(id).unwrap();
        let mut personal = BTreeSet::new();
        collect(&raw, &personal_keys(), &mut personal);
        seen_quoting += messages_quoting(&raw, &personal).len();
        for v in raw["validations"].as_array().into_iter().flatten() {
            if let Some(vid) = v["validation_id"].as_str()
                && let Ok(d) = client.validation_details(vid).await
            {
                collect(
                    &serde_json::from_slice(&d.body).unwrap(),
                    &personal_keys(),
                    &mut personal,
                );
            }
        }
        seen_names += usize::from(personal.iter().any(|p| p.contains("PERSONA")));
        for json in [false, true] {
            let opts = ShowOptions {
                json,
                ..private.clone()
            };
            let mut out = Vec::new();
            print_to(&source, id, &opts, &mut out, false).await.unwrap();
            let out = String::from_utf8(out).unwrap();
            assert_nothing_personal(&out, &personal, &format!("{id} json={json}"));
            // A reviewer can still work: the process id and its status are there.
            assert!(
                out.contains(id.as_str()),
                "{id} json={json}: id missing\n{out}"
            );
            if let Some(status) = raw["status"].as_str() {
                assert!(out.contains(status), "{id}: status missing\n{out}");
            }
        }
    }
    // The walk saw the people it hides (the check above is not vacuous).
    assert!(seen_names > PROCESSES / 2, "{seen_names}");
    // Some of them are named in free text (registry messages), which is masked too.
    assert!(seen_quoting >= 3, "{seen_quoting}");
    server.shutdown().await;
}

#[tokio::test]
async fn without_privacy_the_same_values_are_printed() {
    let server = start(30).await;
    let client = client(&server, DEMO_API_KEY, 4);
    let source = Source::api(client, "demo");
    let id = server
        .process_ids()
        .into_iter()
        .find(|id| result_of(&server, id).first_name.is_some())
        .expect("a process with a read document");
    let opts = ShowOptions {
        images: false,
        ..ShowOptions::default()
    };
    let mut out = Vec::new();
    print_to(&source, &id, &opts, &mut out, false)
        .await
        .unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("PERSONA"), "{out}");
    server.shutdown().await;
}
