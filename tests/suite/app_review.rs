//! The review desk in the browser: every key path (confirm, override with a reason, cancel,
//! pending refused, undo, note), the auto-advance, marks, counters, leases and the prefetch.

use crate::app_support;
use crate::review_support;

use app_support::*;
use review_support::*;
use truora_tui::app::message::review::{ReviewNews, ReviewRequest};
use truora_tui::app::review::{Access, ReviewFilter, ReviewInput, badge};
use truora_tui::app::{App, Command, Job, Message};
use truora_tui::review::{Decision, OverrideReason, Verdict};

/// The ten processes (IDP00 newest; 00/03/06/09 failed, 01/04/07 succeeded, 02/05/08 pending)
/// with the review store open and empty.
fn desk() -> (App, FakeDesk) {
    let (mut app, _) = loaded(ten(), 120, 40);
    let desk = FakeDesk::new("ana");
    desk.open(&mut app);
    (app, desk)
}

fn selected(app: &App) -> String {
    app.list()
        .selected()
        .and_then(|r| r.process_id.clone())
        .unwrap_or_default()
}

fn select(app: &mut App, id: &str) {
    press(app, "g");
    while selected(app) != id {
        press(app, "j");
    }
}

/// Types text character by character, as a terminal delivers it.
fn typed(app: &mut App, text: &str) -> Vec<Command> {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    text.chars()
        .flat_map(|c| app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)))
        .collect()
}

/// `u` on a decision of mine on another process: the first press goes there and asks nothing,
/// the second asks the undo.
fn undo_there(app: &mut App) -> Vec<Command> {
    let first = press(app, "u");
    assert!(requests(&first).is_empty(), "{:?}", requests(&first));
    let said = app.status().info.clone().unwrap_or_default();
    assert!(said.contains("press u again to undo it"), "{said}");
    press(app, "u")
}

fn mark(app: &App, id: &str) -> String {
    badge(app.review().mark(id), app.review().taken_by(id).is_some())
        .iter()
        .collect::<String>()
        .trim_end()
        .to_owned()
}

fn decide(process: &str, verdict: Verdict, reason: Option<OverrideReason>) -> ReviewRequest {
    use truora_tui::api::model::Status;
    let status = match &process[3..] {
        "00" | "03" | "06" | "09" => Status::Failure,
        "01" | "04" | "07" => Status::Success,
        _ => Status::Pending,
    };
    ReviewRequest::Decide {
        process_id: process.into(),
        decision: Decision { verdict, reason },
        truora_status: Some(status),
        seen: None,
    }
}

#[test]
fn a_verdict_that_agrees_is_one_key_and_moves_to_the_next_unreviewed() {
    let (mut app, mut desk) = desk();
    assert_eq!(selected(&app), "IDP00");
    let cmds = press(&mut app, "d");
    assert_eq!(requests(&cmds), vec![decide("IDP00", Verdict::Fail, None)]);
    assert_eq!(selected(&app), "IDP01", "the cursor moved on at once");
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP00"), "✗");
    assert!(
        app.status()
            .info
            .as_deref()
            .unwrap_or("")
            .contains("recorded fail on IDP00")
    );
    assert_eq!(app.review().counts().reviewed, 1);
}

#[test]
fn an_override_asks_for_a_reason_and_a_digit_records_it() {
    let (mut app, mut desk) = desk();
    // Pass on a failed process overrides Truora: the picker offers the failure→success reasons.
    let cmds = press(&mut app, "a");
    assert!(
        requests(&cmds).is_empty(),
        "nothing recorded before the reason"
    );
    let ReviewInput::Picker(picker) = app.review().input() else {
        panic!("the reason picker is open");
    };
    let labels: Vec<&str> = picker.reasons.iter().map(|(_, l)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Regular client",
            "In-person customer",
            "Meets all requirements",
            "Other"
        ]
    );
    // Keys other than digits do nothing while it is open (no movement underneath).
    press(&mut app, "j 9");
    assert_eq!(selected(&app), "IDP00");
    let cmds = press(&mut app, "2");
    assert_eq!(
        requests(&cmds),
        vec![decide(
            "IDP00",
            Verdict::Pass,
            Some(OverrideReason::InPersonCustomer)
        )]
    );
    assert_eq!(*app.review().input(), ReviewInput::None);
    assert_eq!(selected(&app), "IDP01");
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP00"), "✓→", "pass, override still to apply");

    // Fail on a successful process: the success→failure list.
    let cmds = press(&mut app, "d");
    assert!(requests(&cmds).is_empty());
    let ReviewInput::Picker(picker) = app.review().input() else {
        panic!("the reason picker is open");
    };
    assert_eq!(picker.reasons[1].1, "Manipulated photo");
    let cmds = press(&mut app, "2");
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP01"), "✗→");
}

#[test]
fn esc_cancels_the_picker_and_records_nothing() {
    let (mut app, _) = desk();
    press(&mut app, "a");
    let cmds = press(&mut app, "esc");
    assert!(requests(&cmds).is_empty());
    assert_eq!(*app.review().input(), ReviewInput::None);
    assert_eq!(selected(&app), "IDP00", "no advance without a decision");
    assert_eq!(app.status().info.as_deref(), Some("override cancelled"));
}

#[test]
fn pass_or_fail_on_a_pending_process_is_refused_but_escalate_and_notes_work() {
    let (mut app, mut desk) = desk();
    select(&mut app, "IDP02");
    for key in ["a", "d"] {
        let cmds = press(&mut app, key);
        assert!(requests(&cmds).is_empty(), "{key}");
        let error = app.status().error.clone().unwrap_or_default();
        assert!(
            error.contains("pending process cannot be overridden"),
            "{error}"
        );
        assert_eq!(selected(&app), "IDP02");
        press(&mut app, "esc");
    }
    let cmds = press(&mut app, "!");
    assert_eq!(
        requests(&cmds),
        vec![decide("IDP02", Verdict::Escalate, None)]
    );
    assert_eq!(selected(&app), "IDP03");
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP02"), "!");
}

#[test]
fn a_note_is_typed_saved_and_shown() {
    let (mut app, mut desk) = desk();
    press(&mut app, "i");
    assert!(matches!(app.review().input(), ReviewInput::Note(_)));
    // Keys type into the note, not into the browser: `q` does not quit, `j` does not move.
    let cmds = typed(&mut app, "qj señal");
    assert!(!app.should_quit());
    assert!(!cmds.contains(&Command::Quit));
    assert_eq!(selected(&app), "IDP00");
    let cmds = press(&mut app, "backspace enter");
    assert_eq!(
        requests(&cmds),
        vec![ReviewRequest::Note {
            process_id: "IDP00".into(),
            text: "qj seña".into(),
            truora_status: Some(truora_tui::api::model::Status::Failure),
        }]
    );
    assert_eq!(selected(&app), "IDP00", "a note does not advance");
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP00"), "  ✎");
    assert_eq!(
        app.review().counts().reviewed,
        0,
        "a note alone is not a review"
    );

    // Esc cancels a note being typed.
    press(&mut app, "i x esc");
    assert_eq!(*app.review().input(), ReviewInput::None);
    assert_eq!(app.status().info.as_deref(), Some("note not saved"));
}

#[test]
fn undo_takes_back_my_last_decision_and_goes_back_to_it() {
    let (mut app, mut desk) = desk();
    let cmds = press(&mut app, "d");
    desk.serve(&mut app, cmds);
    let cmds = press(&mut app, "a");
    desk.serve(&mut app, cmds);
    assert_eq!(selected(&app), "IDP02");
    assert_eq!(mark(&app, "IDP01"), "✓");

    // `u` first goes back to the decision and says so; nothing is withdrawn off screen.
    let cmds = press(&mut app, "u");
    assert!(requests(&cmds).is_empty(), "{:?}", requests(&cmds));
    assert_eq!(selected(&app), "IDP01", "back to the process to undo");
    assert_eq!(
        app.status().info.as_deref(),
        Some("your last decision is on IDP01: moved there — press u again to undo it")
    );
    let cmds = press(&mut app, "u");
    assert!(matches!(
        requests(&cmds).as_slice(),
        [ReviewRequest::Undo { process_id, .. }] if process_id == "IDP01"
    ));
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP01"), "");
    assert_eq!(app.review().counts().reviewed, 1);

    // Again: the decision before it, once there.
    let cmds = undo_there(&mut app);
    assert_eq!(selected(&app), "IDP00");
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP00"), "");
    let cmds = press(&mut app, "u");
    assert!(requests(&cmds).is_empty());
    assert_eq!(
        app.status().info.as_deref(),
        Some("nothing of yours to undo")
    );
}

#[test]
fn advance_skips_reviewed_processes_and_those_open_elsewhere_and_wraps() {
    let (mut app, mut desk) = desk();
    desk.record_as("bob", &decide("IDP01", Verdict::Pass, None));
    let news = ReviewNews::Changes {
        events: desk.events.clone(),
        taken: vec![("IDP02".into(), "carol".into())],
    };
    app.handle_message(Message::Review(news));
    assert_eq!(mark(&app, "IDP01"), "✓");
    assert_eq!(mark(&app, "IDP02"), "    ⊘", "open by carol");

    let cmds = press(&mut app, "d");
    desk.serve(&mut app, cmds);
    assert_eq!(selected(&app), "IDP03", "01 is reviewed, 02 is carol's");

    // From the last row the next unreviewed is found from the top.
    select(&mut app, "IDP09");
    let cmds = press(&mut app, "d");
    desk.serve(&mut app, cmds);
    assert_eq!(selected(&app), "IDP03");
}

#[test]
fn when_nothing_is_left_the_cursor_stays_and_says_so() {
    let (mut app, mut desk) = loaded(ten()[..1].to_vec(), 120, 40);
    let _ = &mut desk;
    let mut desk = FakeDesk::new("ana");
    desk.open(&mut app);
    let cmds = press(&mut app, "d");
    desk.serve(&mut app, cmds);
    assert_eq!(selected(&app), "IDP00");
    assert_eq!(
        app.status().info.as_deref(),
        Some("recorded fail on IDP00"),
        "the answer's news replaces the advance's"
    );
}

#[test]
fn counters_and_the_review_filter_follow_the_current_filter() {
    let (mut app, mut desk) = desk();
    for _ in 0..3 {
        let cmds = press(&mut app, "!");
        desk.serve(&mut app, cmds);
    }
    // 00, 01, 02 escalated.
    assert_eq!(
        (app.review().counts().reviewed, app.review().counts().of),
        (3, 10)
    );
    press(&mut app, "f"); // failures only: 00 03 06 09
    assert_eq!(
        (app.review().counts().reviewed, app.review().counts().of),
        (1, 4)
    );
    press(&mut app, "f f f"); // back to all (the status filters put the cursor on their first match)
    select(&mut app, "IDP03");
    press(&mut app, "F");
    assert_eq!(app.review().filter(), ReviewFilter::Unreviewed);
    // The unreviewed ones (the selected IDP03 among them).
    let shown: Vec<String> = app
        .list()
        .visible()
        .iter()
        .filter_map(|&i| app.list().row(i)?.process_id.clone())
        .collect();
    assert_eq!(shown.len(), 7, "{shown:?}");
    assert!(!shown.contains(&"IDP00".to_owned()) && !shown.contains(&"IDP01".to_owned()));
    press(&mut app, "F");
    assert_eq!(app.review().filter(), ReviewFilter::Reviewed);
    // Only the three: the selected IDP03 (unreviewed) is neither shown nor counted, and the
    // cursor goes to the first match (it used to stay, shown and counted as reviewed).
    assert_eq!(app.list().visible_len(), 3);
    assert_eq!(
        (app.review().counts().reviewed, app.review().counts().of),
        (3, 3)
    );
    assert_eq!(
        app.list().selected().and_then(|r| r.process_id.as_deref()),
        Some("IDP00")
    );
    press(&mut app, "F");
    assert_eq!(app.review().filter(), ReviewFilter::Escalated);
    press(&mut app, "F F");
    assert_eq!(app.review().filter(), ReviewFilter::All);
    assert_eq!(app.list().visible_len(), 10);
}

/// The review filter is a snapshot (shared with the desk until a mark changes): deciding in the
/// unreviewed queue keeps the decided row, so the list does not shift under the cursor, until the
/// filter is set again.
#[test]
fn the_unreviewed_queue_keeps_decided_rows_until_the_filter_is_set_again() {
    let (mut app, mut desk) = desk();
    press(&mut app, "F");
    assert_eq!(app.review().filter(), ReviewFilter::Unreviewed);
    assert_eq!(app.list().visible_len(), 10);
    let cmds = press(&mut app, "!");
    desk.serve(&mut app, cmds);
    assert_eq!(app.review().counts().reviewed, 1);
    assert_eq!(app.list().visible_len(), 10, "the decided row stays");
    press(&mut app, "F F F F F");
    assert_eq!(app.review().filter(), ReviewFilter::Unreviewed);
    assert_eq!(app.list().visible_len(), 9, "set again, it is gone");
}

#[test]
fn overrides_to_apply_lists_pending_overrides_only() {
    let (mut app, mut desk) = desk();
    let cmds = press(&mut app, "a 1"); // IDP00: failure → pass: an override
    desk.serve(&mut app, cmds);
    let cmds = press(&mut app, "a"); // IDP01: success → pass: agrees
    desk.serve(&mut app, cmds);
    press(&mut app, "F F F F");
    assert_eq!(app.review().filter(), ReviewFilter::OverridesToApply);
    let shown: Vec<String> = app
        .list()
        .visible()
        .iter()
        .filter_map(|&i| app.list().row(i)?.process_id.clone())
        .collect();
    assert!(shown.contains(&"IDP00".to_owned()), "{shown:?}");
    assert!(!shown.contains(&"IDP01".to_owned()), "{shown:?}");
}

#[test]
fn a_read_only_store_shows_marks_and_says_why_deciding_cannot_work() {
    let (mut app, _) = loaded(ten(), 120, 40);
    let mut other = FakeDesk::new("bob");
    other.record_as("bob", &decide("IDP00", Verdict::Fail, None));
    app.handle_message(Message::Review(ReviewNews::Opened {
        reviewer: "ana".into(),
        events: other.events.clone(),
        writable: Err("the review store is read-only (permission denied)".into()),
    }));
    assert!(matches!(app.review().access(), Access::ReadOnly(_)));
    assert_eq!(mark(&app, "IDP00"), "✗");
    for keys in ["a", "d", "!", "i", "u"] {
        let cmds = press(&mut app, keys);
        assert!(requests(&cmds).is_empty(), "{keys}");
        let error = app.status().error.clone().unwrap_or_default();
        assert!(error.contains("read-only"), "{keys}: {error}");
        assert_eq!(*app.review().input(), ReviewInput::None);
    }
    // Browsing still works.
    press(&mut app, "esc j");
    assert_eq!(selected(&app), "IDP01");
}

#[test]
fn without_a_store_nothing_is_asked_of_it() {
    let (mut app, _) = loaded(ten(), 120, 40);
    let cmds = press(&mut app, "j d");
    assert!(
        !cmds.iter().any(|c| matches!(c.job(), Some(Job::Review(_)))),
        "{cmds:?}"
    );
    assert!(
        app.status()
            .error
            .as_deref()
            .unwrap_or("")
            .contains("not open")
    );
}

#[test]
fn the_open_process_is_leased_and_released_as_the_selection_moves() {
    let (mut app, _) = loaded(ten(), 120, 40);
    let cmds = FakeDesk::new("ana").open(&mut app);
    let holds = |cmds: &[Command]| -> Vec<Option<String>> {
        cmds.iter()
            .filter_map(|c| match c.job() {
                Some(Job::Review(ReviewRequest::Hold { process_id })) => Some(process_id.clone()),
                _ => None,
            })
            .collect()
    };
    assert_eq!(holds(&cmds), vec![Some("IDP00".to_owned())]);
    assert_eq!(holds(&press(&mut app, "j")), vec![Some("IDP01".to_owned())]);
    assert!(holds(&press(&mut app, "tab")).is_empty(), "same process");
}

#[test]
fn the_compare_view_stays_open_across_a_decision() {
    let (mut app, mut desk) = desk();
    app.handle_message(result_message(&app, "IDP00", rich("IDP00")));
    press(&mut app, "c");
    assert_eq!(*app.overlay(), truora_tui::app::overlays::Overlay::Compare);
    let cmds = press(&mut app, "d");
    desk.serve(&mut app, cmds);
    assert_eq!(selected(&app), "IDP01");
    assert_eq!(*app.overlay(), truora_tui::app::overlays::Overlay::Compare);
}

#[test]
fn colleagues_decisions_arrive_as_changes_and_a_conflict_is_marked() {
    let (mut app, mut desk) = desk();
    // Ana and Bob decide on IDP03 at once, from the same (empty) state, differently.
    select(&mut app, "IDP03");
    let bob = desk.record_as(
        "bob",
        &decide("IDP03", Verdict::Pass, Some(OverrideReason::Other)),
    );
    let cmds = press(&mut app, "d");
    desk.events.retain(|e| Some(e) != bob.as_ref());
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP03"), "✗");
    app.handle_message(Message::Review(ReviewNews::Changes {
        events: bob.into_iter().collect(),
        taken: Vec::new(),
    }));
    assert_eq!(mark(&app, "IDP03"), "✗  ≠");
}

#[test]
fn the_tree_shows_the_decision_history() {
    let (mut app, mut desk) = desk();
    app.handle_message(result_message(&app, "IDP00", rich("IDP00")));
    let cmds = press(&mut app, "i");
    desk.serve(&mut app, cmds);
    typed(&mut app, "looks edited");
    let cmds = press(&mut app, "enter");
    desk.serve(&mut app, cmds);
    let cmds = press(&mut app, "a 3");
    desk.serve(&mut app, cmds);
    press(&mut app, "g");
    press(&mut app, "tab e");
    let rows = tree_rows(&app).join("\n");
    assert!(rows.contains("review history (2)"), "{rows}");
    assert!(rows.contains("✓ pass · by ana"), "{rows}");
    assert!(
        rows.contains("→ override to apply in Truora (failure→success)"),
        "{rows}"
    );
    assert!(rows.contains("ana · ✎ looks edited"), "{rows}");
    assert!(rows.contains("override: Meets all requirements"), "{rows}");
}

#[test]
fn the_next_unreviewed_process_is_prefetched_while_this_one_is_looked_at() {
    let (mut app, _desk) = desk();
    let prefetches = |cmds: &[Command]| -> Vec<String> {
        jobs(cmds)
            .into_iter()
            .filter_map(|j| match j {
                Job::Prefetch { process_id } => Some(process_id.clone()),
                _ => None,
            })
            .collect()
    };
    // IDP00's result arrives: its preview picture is asked for; nothing is prefetched while the
    // view is incomplete.
    let cmds = app.handle_message(result_message(&app, "IDP00", rich("IDP00")));
    assert!(prefetches(&cmds).is_empty());
    let (image_id, area0) = app
        .pending_requests()
        .find_map(|(id, j)| match j {
            Job::FetchImage { area, .. } => Some((id, *area)),
            _ => None,
        })
        .expect("the preview's image is asked for");
    // The picture is drawn: now the next unreviewed process is prefetched.
    let cmds = app.handle_message(Message::Image {
        id: image_id,
        result: Ok(info_only(truora_tui::api::model::ImageKind::DocumentFront)),
    });
    assert_eq!(prefetches(&cmds), vec!["IDP01".to_owned()]);
    // Its result arrives (not selected: the tree stays on IDP00) and its preview image is asked
    // for at the size it will be drawn.
    let id = asked(&app, "a prefetch", |j| matches!(j, Job::Prefetch { .. }));
    let cmds = app.handle_message(Message::Result {
        id,
        result: Ok(rich("IDP01")),
    });
    let asked_images: Vec<_> = jobs(&cmds)
        .into_iter()
        .filter_map(|j| match j {
            Job::FetchImage { request, area, .. } => Some((request.key.process_id.clone(), *area)),
            _ => None,
        })
        .collect();
    assert_eq!(asked_images, vec![("IDP01".to_owned(), area0)]);
    assert_eq!(app.view().process_id(), Some("IDP00"));
    // Nothing is asked twice.
    let cmds = app.handle_message(Message::Resize {
        width: 120,
        height: 40,
    });
    assert!(cmds.is_empty(), "{cmds:?}");
}

#[test]
fn no_prefetch_without_a_store_or_when_turned_off() {
    let no_prefetch =
        |cmds: &[Command]| !jobs(cmds).iter().any(|j| matches!(j, Job::Prefetch { .. }));
    let (mut app, _) = loaded(ten(), 120, 40);
    let cmds = app.handle_message(result_message(&app, "IDP00", plain("IDP00")));
    assert!(no_prefetch(&cmds));

    let mut app = App::new(truora_tui::app::AppOptions {
        prefetch: false,
        ..Default::default()
    });
    app.start();
    app.handle_message(Message::Resize {
        width: 120,
        height: 40,
    });
    app.handle_message(page_message(&app, ten(), false));
    FakeDesk::new("ana").open(&mut app);
    let cmds = app.handle_message(result_message(&app, "IDP00", plain("IDP00")));
    assert!(no_prefetch(&cmds));
}

/// With the access log on, every decision, note and undo the store recorded is logged with its
/// verdict and reason codes; the note's text never is.
#[test]
fn recorded_decisions_and_notes_go_to_the_access_log_without_the_note_text() {
    use truora_tui::app::AppOptions;
    use truora_tui::audit::{AuditEvent, Code, ProcessRef};
    let mut app = App::new(AppOptions {
        audit: true,
        ..AppOptions::default()
    });
    app.start();
    app.handle_message(Message::Resize {
        width: 120,
        height: 40,
    });
    app.handle_message(page_message(&app, ten(), false));
    let mut desk = FakeDesk::new("ana");
    desk.open(&mut app);
    let audited = |cmds: &[Command]| -> Vec<AuditEvent> {
        cmds.iter()
            .filter_map(|c| match c {
                Command::Audit(
                    e @ (AuditEvent::Decision { .. } | AuditEvent::NoteAdded { .. }),
                ) => Some(e.clone()),
                _ => None,
            })
            .collect()
    };
    // An override (pass on a failed process) with its reason.
    let mut cmds = press(&mut app, "a");
    cmds.extend(press(&mut app, "1"));
    let out = desk.serve(&mut app, cmds);
    assert_eq!(
        audited(&out),
        [AuditEvent::Decision {
            process: ProcessRef::new("IDP00"),
            verdict: Code::new("pass"),
            reason: Some(Code::new("regular_client")),
        }]
    );
    // A note: recorded as written, its text nowhere in the log's event.
    let mut cmds = press(&mut app, "i");
    cmds.extend(typed(&mut app, "Juan Perez 1234567"));
    cmds.extend(press(&mut app, "enter"));
    let out = desk.serve(&mut app, cmds);
    let notes = audited(&out);
    assert_eq!(
        notes,
        [AuditEvent::NoteAdded {
            process: ProcessRef::new("IDP01")
        }]
    );
    assert!(!format!("{notes:?}").contains("Juan"));
    // Nothing is logged for a request the store refused, nor with the log off (the other tests).
}

/// A refusal stays readable until the reviewer acts again: the next decision replaces it, so the
/// status line never shows a stale "cannot be overridden" beside "recorded …".
#[test]
fn the_next_decision_clears_an_earlier_refusal() {
    let (mut app, mut desk) = desk();
    select(&mut app, "IDP02");
    press(&mut app, "a");
    assert!(app.status().error.is_some(), "pending refused");
    select(&mut app, "IDP03");
    let cmds = press(&mut app, "d");
    assert_eq!(app.status().error, None);
    desk.serve(&mut app, cmds);
    assert!(
        app.status()
            .info
            .as_deref()
            .unwrap_or("")
            .contains("recorded fail on IDP03")
    );
}

/// The real desk starts the browser from every process's mark, without events (`Marks`), and
/// sends a process's events when it is held or about to be recorded on (`Loaded`): the marks
/// show at once, `u` goes to my newest standing decision from the start-up list, the history
/// arrives with the events, and a result re-marks a process from its start-up review exactly as
/// from its events.
#[test]
fn a_store_opened_from_marks_alone_behaves_as_one_opened_with_every_event() {
    use truora_tui::review::{StartUp, fold, latest_standing_of, truora_status_of};
    let (mut app, _) = loaded(ten(), 120, 40);
    let mut desk = FakeDesk::new("ana");
    desk.record_as("ana", &decide("IDP00", Verdict::Fail, None));
    desk.record_as("bob", &decide("IDP03", Verdict::Fail, None));
    desk.record_as("ana", &decide("IDP01", Verdict::Pass, None));
    let processes = ["IDP00", "IDP01", "IDP03"];
    let mut start = StartUp::default();
    for p in processes {
        let events = desk.of(p);
        start
            .marks
            .insert(p.to_owned(), fold(&events).mark(None, None));
        if let Some(id) = latest_standing_of(&events, "ana") {
            start.mine.push(id, p);
        }
    }
    app.handle_message(Message::Review(ReviewNews::Marks(start)));
    app.handle_message(Message::Review(ReviewNews::Opened {
        reviewer: "ana".into(),
        events: Vec::new(),
        writable: Ok(()),
    }));
    assert_eq!(
        processes.map(|p| mark(&app, p)),
        ["✗", "✓", "✗"],
        "marks without events"
    );
    assert!(app.review().history("IDP03").is_empty());

    // A result re-marks IDP00 from its start-up review as it would from its events.
    let result = rich("IDP00");
    app.handle_message(result_message(&app, "IDP00", result.clone()));
    let slow = fold(&desk.of("IDP00")).mark(
        truora_status_of(&result).as_ref(),
        Some(result.override_history.as_slice()),
    );
    assert_eq!(app.review().mark("IDP00"), Some(&slow));

    // `u`: my newest standing decision, known from the start-up list alone.
    let cmds = undo_there(&mut app);
    assert!(matches!(
        requests(&cmds).as_slice(),
        [ReviewRequest::Undo { process_id, .. }] if process_id == "IDP01"
    ));
    // The desk sends the process's events before its answer.
    app.handle_message(Message::Review(ReviewNews::Loaded {
        events: desk.of("IDP01"),
    }));
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP01"), "");
    assert_eq!(app.review().history("IDP01").len(), 2);
    // Again: IDP01 is judged by its events now, so `u` goes on to IDP00 from the list.
    let cmds = undo_there(&mut app);
    assert!(matches!(
        requests(&cmds).as_slice(),
        [ReviewRequest::Undo { process_id, .. }] if process_id == "IDP00"
    ));

    // Holding IDP03 brings its history.
    app.handle_message(Message::Review(ReviewNews::Loaded {
        events: desk.of("IDP03"),
    }));
    let history = app.review().history("IDP03");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].event.reviewer, "bob");
    assert_eq!(mark(&app, "IDP03"), "✗");
}

/// The ids of the review requests among `commands` that record something.
fn recording_ids(commands: &[Command]) -> Vec<truora_tui::app::RequestId> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Request(truora_tui::app::Request {
                id,
                job: Job::Review(r),
            }) if !matches!(r, ReviewRequest::Hold { .. }) => Some(*id),
            _ => None,
        })
        .collect()
}

/// The mark as drawn: `…` where a decision (or note) is on its way to the store.
fn drawn(app: &App, id: &str) -> String {
    app.review()
        .badge_of(id)
        .iter()
        .collect::<String>()
        .trim_end()
        .to_owned()
}

const BUSY: &str = "the review store r.sqlite3 is busy: another program has been writing to it \
                    for more than 5 s (an import?)";

/// The store cannot record the decision yet (busy): its row shows `…`, not the verdict, until
/// the store has it; the status bar says it is not recorded yet and retrying; the cursor's
/// advance never comes back to it; and once the desk records it, the mark is the verdict.
#[test]
fn a_decision_the_store_cannot_record_yet_stays_visibly_pending() {
    let (mut app, mut desk) = desk();
    let cmds = press(&mut app, "d");
    let ids = recording_ids(&cmds);
    assert_eq!(drawn(&app, "IDP00"), "…", "on its way, not recorded");
    app.handle_message(Message::Review(ReviewNews::Delayed {
        ids: ids.clone(),
        why: BUSY.into(),
    }));
    assert_eq!(drawn(&app, "IDP00"), "…");
    assert_ne!(mark(&app, "IDP00"), "✗", "never shown as recorded");
    let error = app.status().error.clone().unwrap_or_default();
    assert!(
        error.contains("1 decision not recorded yet — retrying") && error.contains("busy"),
        "{error}"
    );
    let text = screen(&app, 120, 40);
    assert!(
        text.contains("⧗ 1 decision not recorded yet — retrying"),
        "{text}"
    );
    // Deciding goes on, and "next unreviewed" does not land on it again: from the last row
    // the advance wraps past IDP00 to IDP01.
    let last = press(&mut app, "G d");
    assert_eq!(selected(&app), "IDP01", "IDP00 has a decision on its way");
    desk.serve(&mut app, last);

    // The desk records it at last: the verdict shows, and the notice goes.
    desk.serve(&mut app, cmds);
    assert_eq!(drawn(&app, "IDP00"), "✗");
    assert!(app.review().pending().is_empty());
    assert!(
        app.status()
            .info
            .as_deref()
            .unwrap_or("")
            .contains("after waiting for the store")
    );
    assert!(!screen(&app, 120, 40).contains("not recorded yet"));
}

/// `q` with a decision not recorded yet asks first; a second `q` quits (the desk tries it once
/// more as it closes, and the shell is told what was not recorded).
#[test]
fn quitting_with_a_decision_not_recorded_asks_first() {
    let (mut app, _desk) = desk();
    let cmds = press(&mut app, "d");
    app.handle_message(Message::Review(ReviewNews::Delayed {
        ids: recording_ids(&cmds),
        why: BUSY.into(),
    }));
    let first = press(&mut app, "q");
    assert!(!first.contains(&Command::Quit));
    assert!(!app.should_quit());
    let said = app.status().error.clone().unwrap_or_default();
    assert!(
        said.contains("1 decision not recorded yet") && said.contains("press q again"),
        "{said}"
    );
    assert!(press(&mut app, "q").contains(&Command::Quit));
}

/// A note the store refuses comes back into the editor with its text (Enter tries again), and
/// one refused while another input is open is said with its text: typed text is never lost.
#[test]
fn a_note_that_is_not_recorded_comes_back_into_the_editor() {
    let (mut app, mut desk) = desk();
    press(&mut app, "i");
    typed(&mut app, "ask for a new selfie");
    let cmds = press(&mut app, "enter");
    let ids = recording_ids(&cmds);
    assert_eq!(drawn(&app, "IDP00"), "  …", "the note is on its way");
    app.handle_message(Message::Review(ReviewNews::Answer {
        id: ids[0],
        result: Err("cannot record in the review store r.sqlite3: its folder is read-only".into()),
    }));
    match app.review().input() {
        ReviewInput::Note(editor) => {
            assert_eq!(editor.text(), "ask for a new selfie");
            assert_eq!(editor.process_id, "IDP00");
        }
        other => panic!("the editor should be open again, got {other:?}"),
    }
    assert!(
        app.status()
            .error
            .as_deref()
            .unwrap_or("")
            .contains("back in the editor")
    );
    // Enter tries again; this time it is recorded.
    let cmds = press(&mut app, "enter");
    desk.serve(&mut app, cmds);
    assert_eq!(drawn(&app, "IDP00"), "  ✎");

    // Refused while the reason picker is open: the status line keeps the text.
    press(&mut app, "i");
    typed(&mut app, "second thought");
    let cmds = press(&mut app, "enter");
    let ids = recording_ids(&cmds);
    press(&mut app, "j j j a"); // IDP03 failed: pass is an override, the picker opens
    assert!(matches!(app.review().input(), ReviewInput::Picker(_)));
    app.handle_message(Message::Review(ReviewNews::Answer {
        id: ids[0],
        result: Err("disk full".into()),
    }));
    assert!(
        app.status()
            .error
            .as_deref()
            .unwrap_or("")
            .contains("second thought")
    );
}

/// `u` right after a decision the store has not recorded yet takes back that decision (the
/// desk records in order), not the one before it.
#[test]
fn undo_follows_a_decision_still_on_its_way() {
    let (mut app, mut desk) = desk();
    let cmds = press(&mut app, "d");
    desk.serve(&mut app, cmds);
    // IDP01 succeeded: `a` agrees and records at once.
    let waiting = press(&mut app, "a");
    app.handle_message(Message::Review(ReviewNews::Delayed {
        ids: recording_ids(&waiting),
        why: BUSY.into(),
    }));
    let cmds = undo_there(&mut app);
    assert!(
        matches!(
            requests(&cmds).as_slice(),
            [ReviewRequest::Undo { process_id, .. }] if process_id == "IDP01"
        ),
        "{:?}",
        requests(&cmds)
    );
    desk.serve(&mut app, waiting);
    desk.serve(&mut app, cmds);
    assert_eq!(mark(&app, "IDP01"), "");
    assert_eq!(mark(&app, "IDP00"), "✗", "the earlier decision stands");
}

/// Events the store could not read are said, and kept for whoever asks.
#[test]
fn unreadable_events_are_said_in_the_status_line() {
    let (mut app, _desk) = desk();
    app.handle_message(Message::Review(ReviewNews::Unreadable(vec![
        truora_tui::review::Unreadable {
            id: "01ARZ3NDEKTSV4RRFFQ69G5FAV".into(),
            detail: "its kind \"bogus\" is not verdict, withdraw or note".into(),
        },
    ])));
    let error = app.status().error.clone().unwrap_or_default();
    assert!(
        error.contains("1 event(s) it cannot read") && error.contains("01ARZ3NDEKTSV4RRFFQ69G5FAV"),
        "{error}"
    );
    assert_eq!(app.review().unreadable().len(), 1);
}

/// A store that could not be opened for a while (busy, disk full: the desk tries again) opens
/// at last: deciding works, and the failure is no longer on the status line.
#[test]
fn a_store_that_opens_after_failing_clears_the_failure() {
    let (mut app, _) = loaded(ten(), 120, 40);
    app.handle_message(Message::Review(ReviewNews::Failed {
        error: "the disk holding the review store r.sqlite3 is full (database or disk is full): \
                free some space (trying again)"
            .into(),
    }));
    assert!(matches!(app.review().access(), Access::Unavailable(_)));
    assert!(requests(&press(&mut app, "d")).is_empty());
    FakeDesk::new("ana").open(&mut app);
    assert_eq!(*app.review().access(), Access::Writable);
    assert_eq!(app.status().error, None);
    assert_eq!(
        app.status().info.as_deref(),
        Some("the review store is open")
    );
    assert_eq!(requests(&press(&mut app, "d")).len(), 1);
}

/// The app keeps the events of the processes it loaded last, 64 at most (the one shown and any
/// with a decision on its way always kept): browsing a store of any size costs a mark per
/// process, not its history. A process let go keeps its mark, and `u` still finds my decision.
#[test]
fn the_app_keeps_the_events_of_the_last_processes_loaded_and_u_still_finds_mine() {
    let (mut app, mut desk) = desk();
    let mine = desk
        .record_as("ana", &decide("IDP03", Verdict::Fail, None))
        .unwrap();
    app.handle_message(Message::Review(ReviewNews::Loaded { events: vec![mine] }));
    // Bob's decisions on 100 more processes, each loaded as when the app shows it.
    let others: Vec<String> = (0..100).map(|p| format!("IDX{p:03}")).collect();
    for process in &others {
        let bobs = desk
            .record_as("bob", &decide(process, Verdict::Escalate, None))
            .unwrap();
        app.handle_message(Message::Review(ReviewNews::Loaded { events: vec![bobs] }));
    }
    assert!(app.review().events("IDP03").is_empty(), "let go");
    assert_eq!(mark(&app, "IDP03"), "✗", "its mark stays");
    let kept = others
        .iter()
        .filter(|p| !app.review().events(p).is_empty())
        .count();
    assert!(kept <= 64, "{kept} processes' events kept");
    assert_eq!(
        app.review().events("IDX099").len(),
        1,
        "the last loaded kept"
    );
    let cmds = undo_there(&mut app);
    assert!(
        matches!(
            requests(&cmds).as_slice(),
            [ReviewRequest::Undo { process_id, .. }] if process_id == "IDP03"
        ),
        "{:?}",
        requests(&cmds)
    );
}

/// News of a process the app does not show brings its new mark from the store, not its events:
/// events the app kept of it are out of date and go, and `u` follows what the store says.
#[test]
fn a_mark_from_the_store_stands_for_a_process_not_shown() {
    use truora_tui::app::message::review::Remark;
    let (mut app, mut desk) = desk();
    let mine = desk
        .record_as("ana", &decide("IDP03", Verdict::Fail, None))
        .unwrap();
    app.handle_message(Message::Review(ReviewNews::Loaded { events: vec![mine] }));
    assert_eq!(mark(&app, "IDP03"), "✗");
    // Bob passes it over Ana's fail in another browser: an override, still to apply.
    desk.record_as(
        "bob",
        &decide("IDP03", Verdict::Pass, Some(OverrideReason::Other)),
    );
    let news = Remark {
        process_id: "IDP03".into(),
        mark: truora_tui::review::derive(&desk.of("IDP03"), None, None),
        mine: None,
    };
    app.handle_message(Message::Review(ReviewNews::Remarked(vec![news])));
    assert_eq!(mark(&app, "IDP03"), "✓→");
    assert!(app.review().events("IDP03").is_empty());
    let cmds = press(&mut app, "u");
    assert!(requests(&cmds).is_empty());
    assert_eq!(
        app.status().info.as_deref(),
        Some("nothing of yours to undo")
    );
}
