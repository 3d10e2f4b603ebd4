//! The list's layout at the sizes reviewers use: a whole process id at every size, one pane at a
//! time on small terminals, the person's name and number once known (masked in privacy mode),
//! and pane widths that follow the content.

use crate::app_support;

use app_support::*;
use serde_json::json;
use std::sync::Arc;
use truora_tui::api::model::{Person, ProcessResult, ProcessSummary};
use truora_tui::app::list::PersonAt;
use truora_tui::app::{App, Focus, Message};

/// A real-looking process id: `IDP` and 32 hex digits.
fn idp(i: u64) -> String {
    format!(
        "IDP{:016x}{:016x}",
        0xaa42_6090_5e1c_0000 + i,
        0x9f3b_77c2_0d41_e000 + i * 7
    )
}

const PEOPLE: [(&str, &str, &str); 4] = [
    ("María José", "Núñez Restrepo", "1020304050"),
    ("Ana", "Pérez", "52123987"),
    ("Juan Carlos", "Gómez", "79555111"),
    ("Lucía", "Fernández Ortiz", "1098765432"),
];

/// The failures' reasons: two that share their first 14 characters, a common one, and one this
/// version does not know (Truora adds codes).
const REASONS: [&str; 4] = [
    "similarity_threshold_not_passed",
    "document_is_a_photocopy",
    "document_is_a_photo_of_photo",
    "document_generated_by_ai",
];

/// Twelve processes with real ids, newest first; every third failed.
fn rows() -> Vec<ProcessSummary> {
    (0..12)
        .map(|i| {
            let (status, reason) = match i % 3 {
                0 => ("failure", REASONS[(i / 3) as usize % REASONS.len()]),
                1 => ("success", ""),
                _ => ("pending", ""),
            };
            summary(
                &idp(i),
                status,
                &format!("2024-03-{:02}T10:{:02}:00Z", 20 - i, i * 4),
                reason,
                if i % 2 == 0 { "CO" } else { "MX" },
            )
        })
        .collect()
}

fn result_for(id: &str, person: usize) -> Arc<ProcessResult> {
    let (first, last, number) = PEOPLE[person % PEOPLE.len()];
    let mut v = rich_json(id);
    v["first_name"] = json!(first);
    v["last_name"] = json!(last);
    v["document_number"] = json!(number);
    Arc::new(ProcessResult::from_value(v).expect("parses"))
}

/// The list at `width`×`height` with the first process selected and its result loaded, and the
/// people of the first four rows known (as an archive's background reading gives them).
fn reviewing(width: u16, height: u16) -> App {
    let (mut app, _) = loaded(rows(), width, height);
    let first = idp(0);
    app.handle_message(result_message(&app, &first, result_for(&first, 0)));
    let batch = (1..4)
        .map(|i| PersonAt {
            row: i,
            process_id: idp(i as u64),
            person: Person::of(&result_for(&idp(i as u64), i)).expect("a person"),
        })
        .collect();
    app.handle_message(Message::People(batch));
    app
}

/// Every whole process id on the screen.
fn whole_ids(screen: &str) -> Vec<String> {
    (0..12)
        .map(idp)
        .filter(|id| screen.contains(id.as_str()))
        .collect()
}

#[test]
fn compact_list_80x24() {
    let app = reviewing(80, 24);
    let s = screen(&app, 80, 24);
    assert!(app.panes().compact);
    // Every row in view shows its whole id, its status and its reason.
    assert_eq!(whole_ids(&s).len(), 12, "{s}");
    let first = s
        .lines()
        .find(|l| l.contains(&idp(0)))
        .expect("the first row");
    assert!(first.contains("✗ failure"), "{s}");
    // In the short forms that tell them apart: two `document_is_a_…` codes no longer look alike.
    reasons_read(
        &s,
        ["face differs", "photocopy", "recaptured", "document_gen"],
    );
    assert!(s.contains("? help"), "{s}");
    insta::assert_snapshot!(s);
}

/// The failed rows (0, 3, 6, 9: one per reason in [`REASONS`]) show these reasons, each on its
/// row and no other.
fn reasons_read(screen: &str, shown: [&str; 4]) {
    for (k, text) in shown.iter().enumerate() {
        let row = screen
            .lines()
            .find(|l| l.contains(&idp(k as u64 * 3)))
            .unwrap_or_else(|| panic!("row {} in\n{screen}", k * 3));
        assert!(row.contains(text), "{text:?} on {row}");
        for (j, other) in shown.iter().enumerate() {
            if j != k {
                assert!(!row.contains(&format!(" {other}")), "{other:?} on {row}");
            }
        }
    }
}

#[test]
fn compact_process_80x24() {
    let mut app = reviewing(80, 24);
    press(&mut app, "enter");
    assert_eq!(app.focus(), Focus::Tree);
    let s = screen(&app, 80, 24);
    // The bar above the tree names the process: whole id, status, reason.
    let bar = s.lines().next().expect("a first row");
    assert!(bar.contains(&idp(0)) && bar.contains("✗ failure"), "{s}");
    assert!(s.contains("esc list") && s.contains("? help"), "{s}");
    insta::assert_snapshot!(s);
    press(&mut app, "esc");
    assert_eq!(app.focus(), Focus::List);
}

#[test]
fn side_by_side_120x40() {
    let app = reviewing(120, 40);
    // The narrowest side-by-side layout: the list's essential columns and a tree of 40+.
    assert!(!app.panes().compact);
    assert!(reviewing(119, 40).panes().compact);
    let panes = app.panes();
    assert!(panes.tree.width >= 40, "{panes:?}");
    let s = screen(&app, 120, 40);
    assert_eq!(whole_ids(&s).len(), 12, "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn side_by_side_150x40() {
    let app = reviewing(150, 40);
    let panes = app.panes();
    assert!(!panes.compact);
    let s = screen(&app, 150, 40);
    assert_eq!(whole_ids(&s).len(), 12, "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn side_by_side_160x45_reasons_in_words() {
    let app = reviewing(160, 45);
    let s = screen(&app, 160, 45);
    assert_eq!(whole_ids(&s).len(), 12, "{s}");
    reasons_read(
        &s,
        ["face differs", "photocopy", "recaptured", "document_gen"],
    );
    insta::assert_snapshot!(s);
}

#[test]
fn side_by_side_200x60() {
    let app = reviewing(200, 60);
    let panes = app.panes();
    // The list takes what its columns want; the tree keeps at least 42 %.
    assert!(panes.tree.width >= 84, "{panes:?}");
    let s = screen(&app, 200, 60);
    assert_eq!(whole_ids(&s).len(), 12, "{s}");
    assert!(s.contains("Ana Pérez") && s.contains("52123987"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn privacy_masks_the_person_in_the_row() {
    let mut app = reviewing(200, 60);
    press(&mut app, "P");
    let s = screen(&app, 200, 60);
    for (first, last, number) in PEOPLE {
        assert!(
            !s.contains(first) && !s.contains(last),
            "{first} {last}:\n{s}"
        );
        assert!(!s.contains(number), "{number}:\n{s}");
    }
    assert_eq!(whole_ids(&s).len(), 12, "ids stay whole: {s}");
    insta::assert_snapshot!(s);
}

#[test]
fn the_filter_finds_people_by_name_and_number_with_accents_folded() {
    let mut app = reviewing(150, 40);
    let shown = |app: &App| -> Vec<String> {
        let list = app.list();
        list.visible()
            .iter()
            .filter_map(|&i| list.row(i)?.process_id.clone())
            .collect()
    };
    press(&mut app, "/ n u n e z");
    assert_eq!(shown(&app), [idp(0)]);
    press(&mut app, "esc / J U A N");
    assert_eq!(shown(&app), [idp(2)]);
    press(&mut app, "esc / 5 2 1 2");
    assert_eq!(shown(&app), [idp(1)]);
    // A person learnt while the filter is on joins the rows it matches.
    press(&mut app, "esc / l u c í a");
    assert_eq!(shown(&app), [idp(3)]);
    app.handle_message(Message::People(vec![PersonAt {
        row: 0,
        process_id: idp(9),
        person: Person {
            name: Some("Lucia Ramos".into()),
            document_number: None,
        },
    }]));
    assert_eq!(shown(&app), [idp(3), idp(9)]);
    // Privacy mode masks the rows; the filter still finds them (what is typed is the user's).
    press(&mut app, "enter P");
    assert_eq!(shown(&app), [idp(3), idp(9)]);
}

#[test]
fn compact_panes_switch_with_tab_enter_h_and_esc() {
    let mut app = reviewing(80, 24);
    assert_eq!(app.panes().list.width, 80);
    assert_eq!(app.panes().tree.width, 0);
    press(&mut app, "tab");
    let p = app.panes();
    assert_eq!((p.list.width, p.tree.width, p.preview.width), (0, 80, 80));
    assert_eq!(p.process_bar.height, 1);
    // Tab from the preview comes back to the list; so does `h` at the tree's root.
    press(&mut app, "tab tab");
    assert_eq!(app.focus(), Focus::List);
    press(&mut app, "l g h");
    assert_eq!(app.focus(), Focus::List);
    // Moving to the next failure from the process view keeps it shown, on the new process.
    press(&mut app, "enter n");
    assert_eq!(app.focus(), Focus::Tree);
    assert_eq!(app.view().process_id(), Some(idp(3).as_str()));
    // On a wide terminal the same keys only move the focus: every pane stays.
    app.handle_message(Message::Resize {
        width: 200,
        height: 60,
    });
    let p = app.panes();
    assert!(!p.compact && p.list.width > 0 && p.tree.width > 0);
    assert!(p.list.width + p.tree.width == 200);
}
