//! Events as JSON lines: the `reviews export --format jsonl` file and what `reviews import` reads.
//!
//! One object per line, fields named as in the issue (`id`, `process_id`, `kind`, `verdict`,
//! `reason`, `text`, `reviewer`, `at`, `truora_status`, `supersedes`, `resolves`), in that order
//! ([`Line`] is the format: serde writes and reads it). Reading checks every field and says which
//! one is wrong, because the file comes from another reviewer's machine.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::id::{EventId, Timestamp};
use super::model::{Event, EventKind, OverrideReason, Verdict};
use crate::api::model::Status;

/// One line of the file. Written: every field but those empty for the event (`verdict` and
/// `reason` for a verdict, `text` for a note, `resolves` when it settles nothing), with
/// `truora_status` and `supersedes` written `null` when unknown (as they always were). Read:
/// `null` is absent, and what must be there is checked after (`TryFrom<Line> for Event`), so
/// the error says which field is missing.
#[derive(Serialize, Deserialize)]
#[serde(rename = "event")]
struct Line {
    #[serde(default)]
    id: Option<EventId>,
    #[serde(default)]
    process_id: Option<String>,
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verdict: Option<Verdict>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reason: Option<OverrideReason>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
    #[serde(default)]
    reviewer: Option<String>,
    #[serde(default)]
    at: Option<Timestamp>,
    #[serde(default)]
    truora_status: Option<String>,
    #[serde(default)]
    supersedes: Option<EventId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    resolves: Option<Vec<EventId>>,
}

#[derive(Clone, Copy, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Verdict,
    Withdraw,
    Note,
}

impl From<&Event> for Line {
    fn from(e: &Event) -> Line {
        let (kind, verdict, reason, text) = match &e.kind {
            EventKind::Verdict { verdict, reason } => {
                (Kind::Verdict, Some(*verdict), *reason, None)
            }
            EventKind::Withdraw => (Kind::Withdraw, None, None, None),
            EventKind::Note { text } => (Kind::Note, None, None, Some(text.clone())),
        };
        Line {
            id: Some(e.id),
            process_id: Some(e.process_id.clone()),
            kind: Some(kind),
            verdict,
            reason,
            text,
            reviewer: Some(e.reviewer.clone()),
            at: Some(e.at),
            truora_status: e.truora_status.as_ref().map(ToString::to_string),
            supersedes: e.supersedes,
            resolves: (!e.resolves.is_empty()).then(|| e.resolves.clone()),
        }
    }
}

fn missing(key: &str) -> String {
    format!("`{key}` is missing")
}

/// Text that must be there: absent, `null` and empty are all missing.
fn required(key: &str, text: Option<String>) -> Result<String, String> {
    text.filter(|t| !t.is_empty()).ok_or_else(|| missing(key))
}

impl TryFrom<Line> for Event {
    type Error = String;

    /// What serde cannot say: a field that must be there (for this kind), or is there but empty.
    fn try_from(line: Line) -> Result<Event, String> {
        let kind = match line.kind.ok_or_else(|| missing("kind"))? {
            Kind::Verdict => EventKind::Verdict {
                verdict: line.verdict.ok_or_else(|| missing("verdict"))?,
                reason: line.reason,
            },
            Kind::Withdraw => EventKind::Withdraw,
            Kind::Note => EventKind::Note {
                text: required("text", line.text)?,
            },
        };
        Ok(Event {
            id: line.id.ok_or_else(|| missing("id"))?,
            process_id: required("process_id", line.process_id)?,
            kind,
            reviewer: required("reviewer", line.reviewer)?,
            at: line.at.ok_or_else(|| missing("at"))?,
            truora_status: line.truora_status.as_deref().map(Status::parse),
            supersedes: line.supersedes,
            resolves: line.resolves.unwrap_or_default(),
        })
    }
}

/// The line for `e`, without its newline.
pub fn to_line(e: &Event) -> String {
    serde_json::to_string(&Line::from(e)).expect("a line of text fields always serialises")
}

/// [`to_line`] as a JSON value (its fields in the same order).
pub fn to_json(e: &Event) -> Value {
    serde_json::to_value(Line::from(e)).expect("a line of text fields always serialises")
}

/// One line of the file; the error names the field and what was wrong with it.
pub fn from_json_line(text: &str) -> Result<Event, String> {
    // Serde would also take a list of the fields' values, in order: a line is an object.
    let object = text.trim_start().starts_with('{');
    let mut reader = serde_json::Deserializer::from_str(text);
    let line: Line = serde_path_to_error::deserialize(&mut reader).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            format!("not JSON ({inner})")
        } else if !object || path == "." {
            "not a JSON object".to_owned()
        } else {
            format!("`{path}`: {inner}")
        }
    })?;
    reader.end().map_err(|e| format!("not JSON ({e})"))?;
    if !object {
        return Err("not a JSON object".into());
    }
    Event::try_from(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips() {
        let mut v = Event::new(
            "IDP1",
            EventKind::Verdict {
                verdict: Verdict::Pass,
                reason: Some(OverrideReason::RegularClient),
            },
            "ana",
            Some(Status::Failure),
        );
        v.resolves = vec![EventId::generate(Timestamp(5))];
        let mut w = Event::new("IDP1", EventKind::Withdraw, "ana", None);
        w.supersedes = Some(v.id);
        let n = Event::new(
            "IDP1",
            EventKind::Note {
                text: "línea 1\n\"dos\"".into(),
            },
            "bea",
            Some(Status::parse("odd")),
        );
        for e in [v, w, n] {
            let line = to_json(&e).to_string();
            assert!(!line.contains('\n'));
            assert_eq!(from_json_line(&line), Ok(e));
        }
    }

    /// `reviews export` as the hand-built writer this derive replaced wrote it: every kind,
    /// every optional field present and absent, controls escaped for the terminal. Each line
    /// reads, and writes back byte for byte.
    #[test]
    fn a_file_written_before_the_derive_reads_and_writes_back_byte_for_byte() {
        let file = include_str!("../../tests/fixtures/reviews-export.jsonl");
        let mut events = Vec::new();
        for line in file.lines() {
            let event = from_json_line(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(crate::sanitize::terminal_json(&to_line(&event)), line);
            events.push(event);
        }
        // What the fixture holds, so the comparison above covers it.
        assert_eq!(events.len(), 8);
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.wire_name()).collect();
        assert_eq!(
            kinds,
            [
                "verdict", "withdraw", "verdict", "note", "verdict", "verdict", "verdict", "note"
            ]
        );
        assert!(events.iter().any(|e| e.resolves.len() == 2));
        assert!(events.iter().any(|e| e.truora_status.is_none()));
        assert!(
            events
                .iter()
                .any(|e| e.truora_status == Some(Status::parse("odd")))
        );
        assert!(matches!(&events[3].kind, EventKind::Note { text } if text.contains('\u{1b}')));
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        let ok = r#"{"id":"01ARZ3NDEKTSV4RRFFQ69G5FAV","process_id":"P","kind":"verdict","verdict":"pass","reviewer":"a","at":"2024-01-02T03:04:05Z"}"#;
        assert!(from_json_line(ok).is_ok());
        for (bad, says) in [
            ("[1]", "object"),
            ("{", "JSON"),
            (&ok.replace("\"pass\"", "\"maybe\""), "verdict"),
            (&ok.replace("01ARZ", "U1ARZ"), "id"),
            (&ok.replace("2024-01-02T03:04:05Z", "yesterday"), "at"),
            (&ok.replace("\"verdict\",", "\"vote\","), "kind"),
            (
                &ok.replace("\"reviewer\":\"a\"", "\"reviewer\":7"),
                "reviewer",
            ),
            (
                &ok.replace("\"reviewer\":\"a\"", "\"reviewer\":\"\""),
                "reviewer",
            ),
            (&ok.replace(",\"reviewer\":\"a\"", ""), "reviewer"),
            (&ok.replace("\"verdict\":\"pass\",", ""), "verdict"),
            (
                &ok.replace("\"kind\":\"verdict\"", "\"kind\":\"note\""),
                "text",
            ),
            (&ok.replace("}", ",\"resolves\":\"x\"}"), "resolves"),
            (&ok.replace("}", ",\"resolves\":[\"x\"]}"), "resolves"),
            (&ok.replace("}", ",\"supersedes\":\"x\"}"), "supersedes"),
            (&ok.replace("}", ",\"reason\":\"whim\"}"), "reason"),
            (&format!("{ok} trailing"), "JSON"),
        ] {
            let err = from_json_line(bad).unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
        // Absent and `null` are the same for optional fields.
        let nulls = ok.replace(
            "}",
            ",\"reason\":null,\"resolves\":null,\"supersedes\":null}",
        );
        assert_eq!(from_json_line(&nulls), from_json_line(ok));
    }
}
