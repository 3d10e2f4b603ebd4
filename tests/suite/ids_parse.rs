//! `--ids-file` parsing: plain lists and CSVs as people actually save them.

use truora_tui::ids::{self, IdProblem, IdsError};

const A: &str = "IDP0123456789abcdef0123456789abcdef";
const B: &str = "IDPfedcba9876543210fedcba9876543210";

#[test]
fn one_id_per_line_with_bom_crlf_blanks_and_comments() {
    let text = format!("\u{feff}# exported by hand\r\n{A}\r\n\r\n  {B}  \r\n# done\r\n");
    let list = ids::parse(&text).unwrap();
    assert_eq!(list.ids, [A, B]);
    assert!(list.problems.is_empty(), "{:?}", list.problems);
    assert_eq!(list.column, None);
}

#[test]
fn the_dashboard_csv_with_quotes_commas_and_doubled_quotes() {
    let text = format!(
        "\u{feff}\"Process ID\",\"Created\",\"Status\",\"Reason\"\n\
         \"{A}\",\"2024-01-02, 10:00\",\"Failure\",\"said \"\"no\"\", twice\"\n\
         {B},2024-01-03,Success,\n"
    );
    let list = ids::parse(&text).unwrap();
    assert_eq!(list.ids, [A, B]);
    assert_eq!(list.column.as_deref(), Some("Process ID"));
    assert!(list.problems.is_empty());
}

#[test]
fn the_id_column_is_found_by_name_in_any_position_and_spelling() {
    for header in [
        "process_id",
        "Process ID",
        "processId",
        "PROCESS-ID",
        " id ",
        "identity_process_id",
    ] {
        let text = format!("status;{header};date\nsuccess;{A};2024\nfailure;{B};2024\n");
        let list = ids::parse(&text).unwrap_or_else(|e| panic!("{header}: {e}"));
        assert_eq!(list.ids, [A, B], "{header}");
    }
    // `process_id` wins over a plain `id` column.
    let text = format!("id,process_id\n7,{A}\n");
    assert_eq!(ids::parse(&text).unwrap().ids, [A]);
    // Tabs (a spreadsheet's "tab separated").
    let text = format!("created\tprocess_id\n2024\t{A}\n");
    assert_eq!(ids::parse(&text).unwrap().ids, [A]);
}

#[test]
fn a_csv_without_an_id_column_says_which_headers_it_saw() {
    let err = ids::parse("name,created,status\nAna,2024,success\n").unwrap_err();
    let IdsError::NoIdColumn { headers } = &err else {
        panic!("{err:?}");
    };
    assert_eq!(headers, &["name", "created", "status"]);
    assert!(
        err.to_string()
            .contains("headers seen: name, created, status"),
        "{err}"
    );
    assert!(
        err.to_string().contains("name the column `process_id`"),
        "{err}"
    );
    assert_eq!(err.exit_code(), 2);
}

#[test]
fn a_headerless_csv_uses_the_column_that_holds_truora_ids() {
    let text = format!("2024-01-02,{A},failure\n2024-01-03,{B},success\n");
    let list = ids::parse(&text).unwrap();
    assert_eq!(list.ids, [A, B]);
    assert_eq!(list.column, None);
}

#[test]
fn junk_and_repeats_are_reported_with_line_numbers_not_dropped() {
    let text = format!("{A}\nnot an id\n{A}\nshort\n\n{B}\n../../etc/passwd\n");
    let list = ids::parse(&text).unwrap();
    assert_eq!(list.ids, [A, B]);
    let lines: Vec<String> = list.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "line 2: not a process id: \"not an id\"".to_owned(),
            format!("line 3: {A} repeats line 1; kept once"),
            "line 4: not a process id: \"short\"".to_owned(),
            "line 7: not a process id: \"../../etc/passwd\"".to_owned(),
        ]
    );
    assert!(matches!(
        list.problems[1],
        IdProblem::Duplicate {
            line: 3,
            first_line: 1,
            ..
        }
    ));
}

#[test]
fn line_numbers_count_line_breaks_inside_quoted_fields() {
    let text = format!("process_id,note\n{A},\"two\nlines\"\nbad id,x\n");
    let list = ids::parse(&text).unwrap();
    assert_eq!(list.ids, [A]);
    assert_eq!(
        list.problems,
        [IdProblem::NotAnId {
            line: 4,
            text: "bad id".into()
        }]
    );
}

#[test]
fn an_unclosed_quote_is_reported_with_the_lines_it_swallowed() {
    const C: &str = "IDPcccccccccccccccccccccccccccccccc";
    let text = format!("{A}\n\"{B}\n{C}\nlast\n");
    let list = ids::parse(&text).unwrap();
    assert_eq!(list.ids, [A]);
    assert_eq!(
        list.problems,
        [IdProblem::UnclosedQuote { line: 2, lines: 3 }]
    );
    assert_eq!(
        list.problems[0].to_string(),
        "line 2: unclosed quote, 3 lines ignored (close the quote to read them)"
    );
    // In a CSV, at the last line, without a final line break.
    let text = format!("process_id,note\n{A},ok\n{B},\"open");
    let list = ids::parse(&text).unwrap();
    assert_eq!(list.ids, [A]);
    assert_eq!(
        list.problems[0].to_string(),
        "line 3: unclosed quote, 1 line ignored (close the quote to read them)"
    );
    // A header that never closes its quote leaves nothing, and the error says why.
    let err = ids::parse(&format!("\"process_id\n{A}\n")).unwrap_err();
    assert!(err.to_string().contains("line 1: unclosed quote"), "{err}");
}

#[test]
fn a_hash_starts_a_comment_but_not_a_header_whose_first_column_is_named_hash() {
    let text = format!("#,process_id,status\n1,{A},success\n# a note\n2,{B},failure\n");
    let list = ids::parse(&text).unwrap();
    assert_eq!(list.ids, [A, B]);
    assert_eq!(list.column.as_deref(), Some("process_id"));
    assert!(list.problems.is_empty(), "{:?}", list.problems);
    let text = format!("#;Process ID\n1;{A}\n");
    assert_eq!(ids::parse(&text).unwrap().ids, [A]);
    // A comment holding a quote ends with its line.
    let text = format!("# the \"old list\n{A}\n{B}\n");
    let list = ids::parse(&text).unwrap();
    assert_eq!(list.ids, [A, B]);
    assert!(list.problems.is_empty(), "{:?}", list.problems);
}

#[test]
fn a_file_with_no_id_at_all_is_an_error() {
    for text in ["", "\u{feff}", "\n\n# nothing\n", "process_id\n"] {
        assert!(
            matches!(ids::parse(text), Err(IdsError::NoIds { .. })),
            "{text:?}"
        );
    }
    let err = ids::parse("hello world\n").unwrap_err();
    assert!(
        err.to_string().contains("line 1: not a process id"),
        "{err}"
    );
}

#[test]
fn hostile_text_in_reports_cannot_drive_the_terminal() {
    let list = ids::parse(&format!("{A}\nbad\u{1b}[2Jline\n")).unwrap();
    let line = list.problems[0].to_string();
    assert!(!line.contains('\u{1b}'), "{line:?}");
}

#[test]
fn long_reports_are_capped() {
    let text: String = std::iter::once(A.to_owned())
        .chain((0..30).map(|i| format!("junk {i}")))
        .collect::<Vec<_>>()
        .join("\n");
    let lines = ids::parse(&text).unwrap().problem_lines(5);
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[5], "… and 25 more lines that gave no new id");
}

#[test]
fn reading_a_file_checks_its_encoding() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("ids.csv");
    std::fs::write(&path, b"process_id\n\xff\xfeI\0D\0").unwrap();
    let err = ids::read(&path).unwrap_err();
    assert!(err.to_string().contains("not UTF-8"), "{err}");
    let err = ids::read(&tmp.path().join("absent.csv")).unwrap_err();
    assert!(
        err.to_string().contains("cannot read the ids file"),
        "{err}"
    );
    std::fs::write(&path, format!("{A}\n")).unwrap();
    assert_eq!(ids::read(&path).unwrap().ids, [A]);
}

proptest::proptest! {
    /// Any text: no panic, and every id returned is a valid token found in the text.
    #[test]
    fn parsing_never_panics(text in "\\PC{0,300}") {
        if let Ok(list) = ids::parse(&text) {
            for id in &list.ids {
                proptest::prop_assert!(ids::looks_like_id(id));
                proptest::prop_assert!(text.contains(id.as_str()));
            }
        }
    }
}
