//! Events as JSON lines: the `reviews export --format jsonl` file and what `reviews import` reads.
//!
//! One object per line, fields named as in the issue (`id`, `process_id`, `kind`, `verdict`,
//! `reason`, `text`, `reviewer`, `at`, `truora_status`, `supersedes`, `resolves`). Reading checks
//! every field and says which one is wrong, because the file comes from another reviewer's machine.

use serde_json::{Map, Value, json};

use super::id::{EventId, Timestamp};
use super::model::{Event, EventKind, OverrideReason, Verdict};
use crate::api::model::Status;

pub fn to_json(e: &Event) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), e.id.to_string().into());
    m.insert("process_id".into(), e.process_id.clone().into());
    m.insert("kind".into(), e.kind.wire_name().into());
    match &e.kind {
        EventKind::Verdict { verdict, reason } => {
            m.insert("verdict".into(), verdict.wire_name().into());
            if let Some(r) = reason {
                m.insert("reason".into(), r.wire_name().into());
            }
        }
        EventKind::Withdraw => {}
        EventKind::Note { text } => {
            m.insert("text".into(), text.clone().into());
        }
    }
    m.insert("reviewer".into(), e.reviewer.clone().into());
    m.insert("at".into(), e.at.iso().into());
    m.insert(
        "truora_status".into(),
        e.truora_status
            .as_ref()
            .map_or(Value::Null, |s| s.to_string().into()),
    );
    m.insert(
        "supersedes".into(),
        e.supersedes.map_or(Value::Null, |id| id.to_string().into()),
    );
    if !e.resolves.is_empty() {
        let ids: Vec<String> = e.resolves.iter().map(ToString::to_string).collect();
        m.insert("resolves".into(), json!(ids));
    }
    Value::Object(m)
}

/// One line of the file; the error names the field and what was wrong with it.
pub fn from_json_line(line: &str) -> Result<Event, String> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("not JSON ({e})"))?;
    let obj = value.as_object().ok_or("not a JSON object")?;
    let text = |key: &str| -> Result<Option<&str>, String> {
        match obj.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(format!("`{key}` is not text")),
        }
    };
    let required = |key: &str| -> Result<&str, String> {
        match text(key)? {
            Some(s) if !s.is_empty() => Ok(s),
            _ => Err(format!("`{key}` is missing")),
        }
    };
    let event_id = |s: &str, key: &str| {
        EventId::parse(s).ok_or_else(|| format!("`{key}` {s:?} is not an event id"))
    };
    let kind = match required("kind")? {
        "verdict" => {
            let v = required("verdict")?;
            let verdict = Verdict::from_wire(v)
                .ok_or_else(|| format!("`verdict` {v:?} is not pass, fail or escalate"))?;
            let reason = text("reason")?
                .map(|r| {
                    OverrideReason::from_wire(r)
                        .ok_or_else(|| format!("`reason` {r:?} is not an override reason"))
                })
                .transpose()?;
            EventKind::Verdict { verdict, reason }
        }
        "withdraw" => EventKind::Withdraw,
        "note" => EventKind::Note {
            text: required("text")?.to_string(),
        },
        other => return Err(format!("`kind` {other:?} is not verdict, withdraw or note")),
    };
    let at = required("at")?;
    let resolves = match obj.get("resolves") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .ok_or_else(|| "`resolves` holds something that is not text".to_string())
                    .and_then(|s| event_id(s, "resolves"))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("`resolves` is not a list".into()),
    };
    Ok(Event {
        id: event_id(required("id")?, "id")?,
        process_id: required("process_id")?.to_string(),
        kind,
        reviewer: required("reviewer")?.to_string(),
        at: Timestamp::parse(at).ok_or_else(|| format!("`at` {at:?} is not a time"))?,
        truora_status: text("truora_status")?.map(Status::parse),
        supersedes: text("supersedes")?
            .map(|s| event_id(s, "supersedes"))
            .transpose()?,
        resolves,
    })
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
        ] {
            let err = from_json_line(bad).unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
