//! What every tree builder shares: the pre-order [`Builder`], the node [`Spec`] and validation
//! [`Ctx`], and the label helpers that turn server text into sanitised, bounded parts.
//!
//! This is the leaf of the builders: `build`, `process`, `validation` and `face` use it and the
//! model; it uses only the model, so the builders never import each other in a cycle.
//!
//! Ids are positional (`v0/groups/2/1`), never server values: the seed sample shows two
//! validations sharing one `validation_id`, and ids must be unique for the expanded set. Every
//! server string is sanitised here, where it becomes display text.

use std::sync::Arc;

use serde_json::Value;

use super::{Node, NodeKind, Part, RawRef, RawSource, Tone};
use crate::api::model::{CheckResult, ProcessResult, Status, ValidationDetails};
use crate::sanitize::terminal_text;

/// What is known of a validation's Validations API details.
#[derive(Clone, Debug)]
pub enum DetailsState {
    Loading,
    Ready(Arc<ValidationDetails>),
    Failed(String),
}

/// Server text made safe and bounded for a one-line label.
pub fn clean(s: &str) -> String {
    let t = terminal_text(s);
    if t.chars().count() > 200 {
        t.chars().take(199).chain(['…']).collect()
    } else {
        t.into_owned()
    }
}

/// A declined reason in words with Truora's code beside it (`face is on a blocklist
/// (face_in_blocklist)`), or the code alone when it is not a known one.
pub fn reason_words(code: &str) -> String {
    match crate::api::model::reasons::known(code) {
        Some(r) => format!("{} ({})", r.label, clean(code)),
        None => clean(code),
    }
}

pub(super) fn part(text: impl Into<String>, tone: Tone) -> Part {
    Part {
        text: text.into(),
        tone,
    }
}

/// Parts separated by a dim `·`, for labels that list several facts.
pub(super) fn dotted(parts: Vec<Part>) -> Vec<Part> {
    let mut out = Vec::with_capacity(parts.len() * 2);
    for p in parts {
        if !out.is_empty() {
            out.push(part("·", Tone::Dim));
        }
        out.push(p);
    }
    out
}

pub fn status_part(status: Option<&Status>) -> Part {
    match status {
        Some(Status::Success) => part("✓ success", Tone::Good),
        Some(Status::Failure) => part("✗ failure", Tone::Bad),
        Some(Status::Pending) => part("… pending", Tone::Warn),
        Some(Status::Unknown(s)) => part(format!("? {}", clean(s)), Tone::Dim),
        None => part("? no status", Tone::Dim),
    }
}

pub(super) fn check_part(result: Option<&CheckResult>) -> Part {
    match result {
        Some(CheckResult::Valid) => part("✓ valid", Tone::Good),
        Some(CheckResult::Invalid) => part("✗ invalid", Tone::Bad),
        Some(CheckResult::Skipped) => part("– skipped", Tone::Dim),
        Some(CheckResult::Pending) => part("… pending", Tone::Warn),
        Some(r @ CheckResult::Unknown(s)) => {
            let tone = if r.is_failure() { Tone::Bad } else { Tone::Dim };
            part(format!("? {}", clean(s)), tone)
        }
        None => part("? no result", Tone::Dim),
    }
}

/// One JSON pointer segment (RFC 6901 escaping).
pub(super) fn seg(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// A pre-order node list under construction.
pub(super) struct Builder<'a> {
    pub(super) nodes: Vec<Node>,
    pub(super) open: Vec<usize>,
    pub(super) process_id: &'a str,
    pub(super) result: &'a ProcessResult,
    /// The zone times are shown in.
    pub(super) zone: &'a crate::date::zone::DisplayZone,
}

/// How a node is added: its id suffix, label, kind, where its JSON is, whether it failed.
pub(super) struct Spec {
    pub(super) id: String,
    pub(super) parts: Vec<Part>,
    pub(super) kind: NodeKind,
    pub(super) raw: Option<RawRef>,
    pub(super) failing: bool,
    pub(super) validation_id: Option<String>,
}

impl Builder<'_> {
    /// A server time in the zone the user chose, with its abbreviation (`2026-03-01 05:22:33
    /// -05`); anything that is not a time, as it came (cleaned like all server text).
    pub(super) fn time(&self, text: &str) -> String {
        clean(&self.zone.show(text, crate::date::zone::TimeStyle::Seconds))
    }

    pub(super) fn push(&mut self, spec: Spec) {
        let parent = self.open.last().copied();
        let index = self.nodes.len();
        self.nodes.push(Node {
            id: spec.id,
            parent,
            depth: self.open.len(),
            end: index + 1,
            parts: spec.parts,
            kind: spec.kind,
            failing: spec.failing,
            raw: spec.raw,
            validation_id: spec.validation_id,
        });
        self.open.push(index);
    }

    pub(super) fn close(&mut self) {
        if let Some(i) = self.open.pop() {
            self.nodes[i].end = self.nodes.len();
        }
    }

    pub(super) fn leaf(&mut self, spec: Spec) {
        self.push(spec);
        self.close();
    }
}

/// Where one validation's nodes go: its id prefix, JSON source and pointer, and its id.
#[derive(Clone)]
pub(super) struct Ctx {
    pub(super) id: String,
    pub(super) source: RawSource,
    pub(super) pointer: String,
    pub(super) validation_id: Option<String>,
}

impl Ctx {
    pub(super) fn spec(&self, id: &str, parts: Vec<Part>, pointer: Option<&str>) -> Spec {
        Spec {
            id: format!("{}/{id}", self.id),
            parts,
            kind: NodeKind::Plain,
            raw: pointer.map(|p| RawRef {
                source: self.source.clone(),
                pointer: format!("{}{p}", self.pointer),
            }),
            failing: false,
            validation_id: self.validation_id.clone(),
        }
    }
}

/// Object- and array-valued fields of a body, by name, so nothing the server sent is hidden.
/// `skip` names fields that have nodes of their own.
pub(super) fn other_fields(b: &mut Builder, ctx: &Ctx, raw: &Value, skip: &dyn Fn(&str) -> bool) {
    let Some(obj) = raw.as_object() else { return };
    let nested: Vec<(&String, &Value)> = obj
        .iter()
        .filter(|(k, v)| (v.is_object() || v.is_array()) && !skip(k))
        .collect();
    if nested.is_empty() {
        return;
    }
    b.push(ctx.spec(
        "other",
        vec![part(
            format!("other fields ({})", nested.len()),
            Tone::Plain,
        )],
        Some(""),
    ));
    for (i, (k, v)) in nested.iter().enumerate() {
        let parts = vec![
            part(format!("{}:", clean(k)), Tone::Dim),
            part(preview(v), Tone::Dim),
        ];
        b.leaf(ctx.spec(&format!("other/{i}"), parts, Some(&format!("/{}", seg(k)))));
    }
    b.close();
}

/// A short description of a JSON value for a label.
pub(super) fn preview(v: &Value) -> String {
    match v {
        Value::Object(o) => format!("{{{} fields}}", o.len()),
        Value::Array(a) => format!("[{} items]", a.len()),
        Value::String(s) => clean(s),
        Value::Null => "null".into(),
        other => other.to_string(),
    }
}
