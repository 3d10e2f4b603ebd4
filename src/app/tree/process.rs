//! The process-level nodes of the tree: the process itself and its override history.

use super::builder::{
    Builder, Ctx, Spec, clean, dotted, other_fields, part, preview, reason_words, status_part,
};
use super::{NodeKind, Part, RawRef, RawSource, Tone};
use crate::api::model::ProcessResult;

fn field(name: &str, value: String) -> Vec<Part> {
    vec![
        part(format!("{name}:"), Tone::Dim),
        part(value, Tone::Plain),
    ]
}

/// The "process" node: status and reasons in the label, every known field as a leaf, and the
/// fields this version does not know listed by name.
pub(super) fn process_nodes(b: &mut Builder, r: &ProcessResult) {
    let ctx = Ctx {
        id: "p".into(),
        source: RawSource::Result,
        pointer: String::new(),
        validation_id: None,
    };
    let mut parts = vec![
        part("process", Tone::Strong),
        status_part(r.status.as_ref()),
    ];
    if let Some(f) = &r.failure_status {
        parts.push(part(clean(f.as_str()), Tone::Bad));
    }
    if let Some(d) = &r.declined_reason {
        // In words on the heading; the field below gives the code beside them.
        parts.push(part(clean(crate::api::model::reasons::label(d)), Tone::Bad));
    }
    if let Some(o) = &r.override_status {
        parts.push(part("overridden to", Tone::Warn));
        parts.push(status_part(Some(o)));
    }
    let parts = dotted(parts);
    b.push(Spec {
        id: "p".into(),
        kind: NodeKind::Plain,
        failing: false,
        raw: Some(RawRef {
            source: RawSource::Result,
            pointer: String::new(),
        }),
        ..ctx.spec("", parts, None)
    });
    let name = match (&r.first_name, &r.last_name) {
        (None, None) => None,
        (f, l) => Some(
            [f, l]
                .into_iter()
                .flatten()
                .map(|s| clean(s))
                .collect::<Vec<_>>()
                .join(" "),
        ),
    };
    let flow = r.flow_id.as_ref().map(|f| match &r.flow_version {
        Some(v) => format!("{} (version {})", clean(f), clean(v)),
        None => clean(f),
    });
    let status =
        |s: &Option<crate::api::model::Status>| s.as_ref().map(|s| status_part(Some(s)).text);
    let rows: [(&str, &str, &str, Option<String>); 17] = [
        (
            "id",
            "process id",
            "/process_id",
            r.process_id.as_deref().map(clean),
        ),
        ("status", "status", "/status", status(&r.status)),
        (
            "failure",
            "failure status",
            "/failure_status",
            r.failure_status.as_ref().map(|f| clean(f.as_str())),
        ),
        (
            "declined",
            "declined reason",
            "/declined_reason",
            r.declined_reason.as_deref().map(reason_words),
        ),
        (
            "override",
            "override status",
            "/override_status",
            status(&r.override_status),
        ),
        (
            "created",
            "created",
            "/creation_date",
            r.creation_date.as_deref().map(|d| b.time(d)),
        ),
        (
            "updated",
            "updated",
            "/update_date",
            r.update_date.as_deref().map(|d| b.time(d)),
        ),
        (
            "country",
            "country",
            "/country",
            r.country.as_deref().map(clean),
        ),
        ("flow", "flow", "/flow_id", flow),
        (
            "user",
            "user",
            "/client_user_id",
            r.client_user_id.as_deref().map(clean),
        ),
        (
            "docnum",
            "document number",
            "/document_number",
            r.document_number.as_deref().map(clean),
        ),
        ("name", "name", "/first_name", name),
        ("city", "city", "/city", r.city.as_deref().map(clean)),
        (
            "ip",
            "ip address",
            "/ip_address",
            r.ip_address.as_deref().map(clean),
        ),
        (
            "via",
            "created via",
            "/created_via",
            r.created_via.as_deref().map(clean),
        ),
        (
            "check",
            "check id",
            "/check_id",
            r.check_id.as_deref().map(clean),
        ),
        (
            "ttl",
            "time to live",
            "/time_to_live",
            r.time_to_live.as_deref().map(clean),
        ),
    ];
    for (id, label, pointer, value) in rows {
        if let Some(value) = value {
            b.leaf(ctx.spec(id, field(label, value), Some(pointer)));
        }
    }
    let unknown = r.unknown_fields();
    if !unknown.is_empty() {
        let names: Vec<String> = unknown.iter().map(|k| clean(k)).collect();
        b.push(ctx.spec(
            "unknown",
            field("unknown fields", names.join(", ")),
            Some(""),
        ));
        for (i, k) in unknown.iter().enumerate() {
            let value = r.raw.get(*k).map(preview).unwrap_or_default();
            let parts = vec![
                part(format!("{}:", clean(k)), Tone::Dim),
                part(value, Tone::Plain),
            ];
            let pointer = format!("/{}", k.replace('~', "~0").replace('/', "~1"));
            b.leaf(ctx.spec(&format!("unknown/{i}"), parts, Some(&pointer)));
        }
        b.close();
    }
    let skip =
        |k: &str| matches!(k, "validations" | "override_status_history") || unknown.contains(&k);
    other_fields(b, &ctx, &r.raw, &skip);
    b.close();
}

/// "override history": who changed the status by hand, when, from what to what, and why.
pub(super) fn override_nodes(b: &mut Builder, r: &ProcessResult) {
    if r.override_history.is_empty() {
        return;
    }
    let ctx = Ctx {
        id: "o".into(),
        source: RawSource::Result,
        pointer: "/override_status_history".into(),
        validation_id: None,
    };
    let title = format!("override history ({})", r.override_history.len());
    b.push(Spec {
        id: "o".into(),
        ..ctx.spec("", vec![part(title, Tone::Strong)], Some(""))
    });
    for (i, e) in r.override_history.iter().enumerate() {
        let mut parts = vec![
            part(
                e.date.as_deref().map_or("(no date)".into(), |d| b.time(d)),
                Tone::Plain,
            ),
            part("·", Tone::Dim),
            status_part(e.current_status.as_ref()),
            part("→", Tone::Dim),
            status_part(e.override_status.as_ref()),
        ];
        if let Some(c) = &e.reason_category {
            parts.push(part("·", Tone::Dim));
            parts.push(part(clean(c), Tone::Warn));
        }
        let pointer = format!("/{i}");
        b.push(ctx.spec(&i.to_string(), parts, Some(&pointer)));
        let rows = [
            (
                "why",
                "description",
                "reason_description",
                &e.reason_description,
            ),
            ("by", "by", "username", &e.username),
            ("ip", "ip address", "ip_address", &e.ip_address),
        ];
        for (id, label, key, value) in rows {
            if let Some(v) = value {
                let p = format!("{pointer}/{key}");
                b.leaf(ctx.spec(&format!("{i}/{id}"), field(label, clean(v)), Some(&p)));
            }
        }
        b.close();
    }
    b.close();
}
