//! Times in the user's zone: the list and the tree snapshot-tested in UTC, in Bogotá (five hours
//! behind all year, so a late-evening process falls on the day before) and in Madrid across the
//! March 2026 daylight-saving change; the raw JSON view keeps Truora's UTC strings.

use crate::app_support;
use crate::review_support;

use std::sync::Arc;

use app_support::*;
use serde_json::json;
use truora_tui::api::model::ProcessResult;
use truora_tui::app::{App, AppOptions};
use truora_tui::date::zone::DisplayZone;

/// 2026-01-01T00:00:00Z: the zones' labels are worked out for 2026.
const NOW: i64 = 1_767_225_600;

fn zone(name: &str) -> DisplayZone {
    DisplayZone::named(name, NOW).expect(name)
}

/// Madrid springs forward at 01:00 UTC on 2026-03-29 (CET +01 → CEST +02).
const BEFORE_CHANGE: &str = "2026-03-29T00:30:00Z";
const AFTER_CHANGE: &str = "2026-03-29T01:30:00.123456Z";

/// A failed process around the change, with an override and a failing validation (opened).
fn process() -> Arc<ProcessResult> {
    let v = json!({
        "process_id": "IDP1",
        "status": "failure",
        "failure_status": "declined",
        "declined_reason": "document_has_expired",
        "creation_date": BEFORE_CHANGE,
        "update_date": AFTER_CHANGE,
        "override_status_history": [{
            "date": "2026-03-30T03:15:00Z",
            "current_status": "failure",
            "override_status": "failure",
            "username": "ana@example.com"
        }],
        "validations": [{
            "validation_id": "VLD-doc",
            "type": "document-validation",
            "validation_status": "failure",
            "creation_date": "2026-03-29T00:45:10Z",
            "details": {"document_validations": {"data_consistency": [
                {"validation_name": "expiry", "result": "invalid", "message": "document expired"}
            ]}}
        }]
    });
    Arc::new(ProcessResult::from_value(v).expect("parses"))
}

/// The newest (selected) process near midnight, rows either side of the change and of midnight
/// UTC, plus what is not a time: a date alone
/// (a calendar day, not converted), and malformed text (shown as it came).
fn rows() -> Vec<truora_tui::api::model::ProcessSummary> {
    vec![
        summary(
            "IDP1",
            "failure",
            "2026-03-30T23:30:00Z",
            "document_has_expired",
            "CO",
        ),
        summary("IDP2", "success", AFTER_CHANGE, "", "ES"),
        summary("IDP3", "success", BEFORE_CHANGE, "", "ES"),
        summary("IDP4", "success", "2026-03-02T03:04:00Z", "", "CO"),
        summary("IDP5", "pending", "2026-03-01", "", "CO"),
        summary("IDP6", "pending", "yesterday", "", "MX"),
    ]
}

/// The list loaded in `zone`, the first process's tree opened with the process node expanded.
fn browsing_in(zone: DisplayZone, width: u16, height: u16) -> App {
    let mut app = App::new(AppOptions {
        time_zone: zone,
        ..AppOptions::default()
    });
    app.start();
    app.handle_message(truora_tui::app::Message::Resize { width, height });
    app.handle_message(page_message(&app, rows(), false));
    app.handle_message(result_message(&app, "IDP1", process()));
    press(&mut app, "tab e g");
    app
}

#[test]
fn list_and_tree_in_utc() {
    let app = browsing_in(DisplayZone::utc(), 130, 32);
    let text = screen(&app, 130, 32);
    assert!(text.contains("created UTC"), "{text}");
    assert!(text.contains("2026-03-29 00:30"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn list_and_tree_in_bogota() {
    let app = browsing_in(zone("America/Bogota"), 130, 32);
    let text = screen(&app, 130, 32);
    assert!(text.contains("created -05"), "{text}");
    // 03:04 UTC on the 2nd is 22:04 on the 1st in Bogotá.
    assert!(text.contains("2026-03-01 22:04"), "{text}");
    assert!(text.contains("created: 2026-03-28 19:30:00 -05"), "{text}");
    assert!(
        text.contains("created: 2026-03-28 19:45:10 -05"),
        "the validation's: {text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn list_and_tree_in_madrid_either_side_of_daylight_saving() {
    let app = browsing_in(zone("Europe/Madrid"), 130, 32);
    let text = screen(&app, 130, 32);
    assert!(text.contains("created Madrid"), "{text}");
    assert!(
        text.contains("2026-03-29 01:30"),
        "the row before the change: {text}"
    );
    assert!(
        text.contains("2026-03-29 03:30"),
        "the row after the change: {text}"
    );
    assert!(text.contains("created: 2026-03-29 01:30:00 CET"), "{text}");
    assert!(text.contains("updated: 2026-03-29 03:30:00 CEST"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn a_narrow_list_keeps_the_zone_in_its_header() {
    let mut app = browsing_in(zone("America/Bogota"), 80, 24);
    // 80 columns show one pane at a time (the list takes the whole width, so its date column
    // has room for the time and the full header): esc goes back from the tree to the list.
    press(&mut app, "esc");
    let text = screen(&app, 80, 24);
    assert!(text.contains("created -05"), "{text}");
    insta::assert_snapshot!(text);
}

#[test]
fn the_raw_view_keeps_truoras_utc() {
    let mut app = browsing_in(zone("America/Bogota"), 130, 40);
    press(&mut app, "g v");
    let text = screen(&app, 130, 40);
    assert!(text.contains(BEFORE_CHANGE), "{text}");
    assert!(text.contains(AFTER_CHANGE), "{text}");
    assert!(
        !text.contains("-05"),
        "no local time in the raw JSON: {text}"
    );
}

#[test]
fn local_times_survive_privacy_masking() {
    // Privacy mode masks numbers that could be a phone or a document; a time's offset is not one.
    for shown in [
        "created: 2026-03-28 19:30:00 -05",
        "created 2026-03-29 03:30:00 CEST · updated 2026-03-29 03:31:00 CEST",
        "2026-03-01 15:30 +0530 · ana · ✓ pass",
        "created -05      status",
    ] {
        assert_eq!(truora_tui::privacy::mask_text(shown), shown);
    }
}

#[test]
fn the_review_history_is_in_the_zone_too() {
    let mut app = App::new(AppOptions {
        time_zone: zone("America/Bogota"),
        ..AppOptions::default()
    });
    app.start();
    app.handle_message(truora_tui::app::Message::Resize {
        width: 140,
        height: 40,
    });
    app.handle_message(page_message(&app, ten(), false));
    let mut desk = review_support::FakeDesk::new("ana");
    desk.open(&mut app);
    // IDP00 failed: passing it is an override, with a reason; the desk stamps it
    // 2025-11-30T10:01:00Z.
    let cmds = press(&mut app, "a 3");
    desk.serve(&mut app, cmds);
    press(&mut app, "g");
    app.handle_message(result_message(&app, "IDP00", rich("IDP00")));
    press(&mut app, "tab E g j enter");
    let text = screen(&app, 140, 40);
    assert!(text.contains("◆ 2025-11-30 05:01 -05 · ana"), "{text}");
}
