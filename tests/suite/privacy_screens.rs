//! Privacy mode on screen: for every demo process, every pane the browser draws — the list, the
//! fully expanded tree (details loaded), the raw JSON view of every node, compare, help and the
//! status bar — shows none of the demo's names, document numbers, birth dates, phones or
//! e-mails, not even where a registry's message quotes the holder's name; and the photos are not
//! drawn.

use crate::app_support;
use crate::export_support;
use crate::privacy_support;

use std::collections::BTreeSet;
use std::sync::Arc;

use app_support::*;
use export_support::{client, start};
use privacy_support::{
    DEMO_PERSONAL_KEYS, assert_nothing_personal, collect, contains_word, messages_quoting,
};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::Value;
use truora_tui::api::Client;
use truora_tui::api::model::{ProcessResult, ProcessSummary};
use truora_tui::app::{App, Job, Message};
use truora_tui::demo::DEMO_API_KEY;

/// Every process the demo serves by default.
const PROCESSES: usize = 320;
const WIDTH: u16 = 200;
/// Tall enough that the expanded tree of any demo process fits on one screen.
const HEIGHT: u16 = 160;

/// The raw view of every node is walked for the first processes, which cover every flow, reason
/// and quirk the demo has (its coverage table); for the rest, the process node's raw view only.
/// Walking every node of all 320 takes minutes in a debug build.
const RAW_EVERY_NODE: usize = 40;

fn screen(app: &App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("test terminal");
    terminal
        .draw(|f| truora_tui::ui::draw(app, f))
        .expect("draw");
    terminal.backend().to_string()
}

/// Answers every details request the app has pending, from the demo.
async fn answer_details(app: &mut App, client: &Client, personal: &mut BTreeSet<String>) {
    loop {
        let asks: Vec<_> = app
            .pending_requests()
            .filter_map(|(id, job)| match job {
                Job::FetchDetails { validation_id, .. } => Some((id, validation_id.clone())),
                _ => None,
            })
            .collect();
        if asks.is_empty() {
            return;
        }
        for (id, vid) in asks {
            let fetched = client.validation_details(&vid).await;
            if let Ok(d) = &fetched {
                collect(
                    &serde_json::from_slice(&d.body).unwrap(),
                    DEMO_PERSONAL_KEYS,
                    personal,
                );
            }
            let result = fetched.map(|d| Arc::new(d.parsed));
            app.handle_message(Message::Details { id, result });
        }
    }
}

#[tokio::test]
async fn no_personal_value_on_any_screen_for_any_demo_process() {
    let server = start(PROCESSES).await;
    let client = client(&server, DEMO_API_KEY, 8);
    let mut raw_views = 0;
    let mut quoting_shown = 0;
    let mut quoting_seen_open = false;
    for (n, id) in server.process_ids().into_iter().enumerate() {
        let raw = server.result_json(&id).unwrap();
        let mut personal = BTreeSet::new();
        collect(&raw, DEMO_PERSONAL_KEYS, &mut personal);
        let quoting = messages_quoting(&raw, &personal);
        let Value::Object(obj) = &raw else {
            panic!("{id}: not an object")
        };
        let (mut app, _) = loaded(vec![ProcessSummary::from_object(obj)], WIDTH, HEIGHT);
        app.set_private(true);
        let result = ProcessResult::from_value(raw.clone()).unwrap();
        app.handle_message(result_message(&app, &id, Arc::new(result)));
        // The tree, fully expanded with every validation's details loaded.
        press(&mut app, "tab");
        for _ in 0..3 {
            press(&mut app, "e");
            answer_details(&mut app, &client, &mut personal).await;
        }
        let text = screen(&app);
        assert!(
            text.contains("◼ PRIVATE"),
            "{id}: the state is not shown\n{text}"
        );
        assert_nothing_personal(&text, &personal, &format!("{id} tree"));
        // A message that quotes the holder is still there, with the name masked in it (the
        // tree pane cuts the rest of the line).
        for message in &quoting {
            if message.starts_with("The name read on the document (") {
                assert!(
                    text.contains("The name read on the document (•••)"),
                    "{id}: {message:?} not shown masked\n{text}"
                );
                quoting_shown += 1;
            } else if message.starts_with("The national registry reports ") {
                assert!(
                    text.contains("The national registry reports •••"),
                    "{id}: {message:?} not shown masked\n{text}"
                );
                quoting_shown += 1;
            }
        }
        // The raw view of every node.
        press(&mut app, "g");
        let rows = if n < RAW_EVERY_NODE {
            tree_rows(&app).len()
        } else {
            1
        };
        for row in 0..rows {
            press(&mut app, "v");
            let text = screen(&app);
            assert_nothing_personal(&text, &personal, &format!("{id} raw view of row {row}"));
            raw_views += 1;
            press(&mut app, "esc j");
        }
        for (keys, what) in [("c", "compare"), ("?", "help")] {
            press(&mut app, keys);
            assert_nothing_personal(&screen(&app), &personal, &format!("{id} {what}"));
            press(&mut app, "esc");
        }
        // The walk saw what it hides: without privacy the same screens show it, the quoted
        // names included, and the status bar says privacy is off.
        if id == server.process_ids()[0] || (!quoting_seen_open && !quoting.is_empty()) {
            quoting_seen_open |= !quoting.is_empty();
            press(&mut app, "P");
            let open = screen(&app);
            assert!(
                !open.contains("PRIVATE") && open.contains("◻ private off"),
                "{open}"
            );
            assert!(
                personal.iter().any(|p| contains_word(&open, p)),
                "{id}: nothing personal shown even without privacy:\n{open}"
            );
            for message in &quoting {
                // The message up to the end of the first personal value it quotes (the tree pane
                // cuts the rest of the line).
                let end = personal
                    .iter()
                    .filter_map(|p| message.find(p.as_str()).map(|at| at + p.len()))
                    .min()
                    .unwrap();
                assert!(
                    open.contains(&message[..end]),
                    "{id}: {message:?} not shown\n{open}"
                );
            }
        }
    }
    assert!(raw_views > RAW_EVERY_NODE * 10, "{raw_views}");
    // The demo quotes holders' names in registry messages, and the walk met several.
    assert!(quoting_shown >= 3, "{quoting_shown} quoting messages seen");
    assert!(quoting_seen_open);
    server.shutdown().await;
}
