//! The nodes of one validation: its facts, attachments, document details, check groups, face
//! recognition, signature, images, and the Validations API details node (fetched on demand).

use super::builder::{
    Builder, Ctx, DetailsState, Spec, check_part, clean, dotted, other_fields, part, reason_words,
    seg, status_part,
};
use super::face::face_nodes;
use super::{NodeKind, Part, RawRef, RawSource, Tone};
use crate::api::model::{CheckResult, Validation};
use crate::app::cache::Lru;
use crate::images::{ImageKey, ImageRequest};

pub(super) fn validation(b: &mut Builder, v: &Validation, details: &Lru<String, DetailsState>) {
    let vid = b.result.validation_key(v);
    let ctx = Ctx {
        id: format!("v{}", v.index),
        source: RawSource::Result,
        pointer: format!("/validations/{}", v.index),
        validation_id: v.validation_id.clone(),
    };
    let mut parts = vec![
        part(clean(v.type_name()), Tone::Strong),
        status_part(v.validation_status.as_ref()),
    ];
    parts.extend(reasons(v));
    let parts = dotted(parts);
    b.push(Spec {
        id: ctx.id.clone(),
        kind: NodeKind::Validation,
        failing: v.is_failure(),
        raw: Some(RawRef {
            source: RawSource::Result,
            pointer: ctx.pointer.clone(),
        }),
        ..ctx.spec("", parts, None)
    });
    validation_body(b, v, &ctx, &vid);
    if let Some(id) = &v.validation_id {
        details_node(b, v, &ctx, id, details.peek(id));
    }
    b.close();
}

/// Failure status, declined reason and, for face validations, the similarity against the threshold.
fn reasons(v: &Validation) -> Vec<Part> {
    let mut parts = Vec::new();
    if let Some(f) = &v.failure_status {
        parts.push(part(clean(f.as_str()), Tone::Bad));
    }
    if let Some(r) = &v.declined_reason {
        parts.push(part(clean(crate::api::model::reasons::label(r)), Tone::Bad));
    }
    if let Some(face) = &v.face {
        let score = face
            .confidence_score
            .map_or("?".into(), |s| format!("{s:.2}"));
        let threshold = v.threshold.map_or("?".into(), |t| format!("{t:.2}"));
        let tone = match (face.confidence_score, v.threshold) {
            (Some(s), Some(t)) if s >= t => Tone::Good,
            (Some(_), Some(_)) => Tone::Bad,
            _ => Tone::Dim,
        };
        parts.push(part(
            format!("similarity {score} / threshold {threshold}"),
            tone,
        ));
    }
    parts
}

/// Everything inside a validation except the details node; shared by the result and the details.
fn validation_body(b: &mut Builder, v: &Validation, ctx: &Ctx, vid: &str) {
    let field = |name: &str, value: String| {
        vec![
            part(format!("{name}:"), Tone::Dim),
            part(value, Tone::Plain),
        ]
    };
    if let Some(id) = &v.validation_id {
        b.leaf(ctx.spec(
            "id",
            field("validation id", clean(id)),
            Some("/validation_id"),
        ));
    }
    if let Some(r) = &v.declined_reason {
        b.leaf(ctx.spec(
            "declined",
            field("declined reason", reason_words(r)),
            Some("/declined_reason"),
        ));
    }
    if let Some(d) = &v.creation_date {
        b.leaf(ctx.spec(
            "created",
            field("created", b.time(d)),
            Some("/creation_date"),
        ));
    }
    if let Some(r) = v.remaining_retries {
        b.leaf(ctx.spec(
            "retries",
            field("remaining retries", r.to_string()),
            Some("/remaining_retries"),
        ));
    }
    if let (Some(c), Some(t)) = (&v.input_country, &v.input_document_type) {
        b.leaf(ctx.spec(
            "inputs",
            field("inputs", format!("{} · {}", clean(c), clean(t))),
            Some("/validation_inputs"),
        ));
    }
    attachments(b, v, ctx);
    fields(
        b,
        ctx,
        "doc",
        "document details",
        "/details/document_details",
        &v.document_details,
    );
    check_groups(b, v, ctx);
    if let Some(face) = &v.face {
        face_nodes(b, ctx, face);
    }
    if let Some(id) = &v.background_check_id {
        b.leaf(ctx.spec(
            "bg",
            field("background check", clean(id)),
            Some("/details/background_check"),
        ));
    }
    fields(
        b,
        ctx,
        "sig",
        "signature",
        "/details/electronic_signature_details",
        &v.signature_details,
    );
    images(b, v, ctx, vid);
}

/// `attachment_validations`: checks on the uploaded files.
fn attachments(b: &mut Builder, v: &Validation, ctx: &Ctx) {
    if v.attachments.is_empty() {
        return;
    }
    let mut parts = vec![part(
        format!("attachments ({})", v.attachments.len()),
        Tone::Plain,
    )];
    if let Some(s) = &v.attachment_status {
        parts.push(check_part(Some(s)));
    }
    b.push(ctx.spec("att", parts, Some("/attachment_validations")));
    for (i, a) in v.attachments.iter().enumerate() {
        let name = [&a.attachment_type, &a.validation_type, &a.validation_name];
        let name: Vec<String> = name.into_iter().flatten().map(|s| clean(s)).collect();
        let parts = vec![
            check_part(a.result.as_ref()),
            part(name.join(" · "), Tone::Plain),
        ];
        let mut spec = ctx.spec(
            &format!("att/{i}"),
            parts,
            Some(&format!("/attachment_validations/{i}")),
        );
        spec.failing = a.result.as_ref().is_some_and(CheckResult::is_failure);
        spec.kind = NodeKind::Check;
        b.leaf(spec);
    }
    b.close();
}

/// `details.document_validations`: one node per group, one leaf per check.
fn check_groups(b: &mut Builder, v: &Validation, ctx: &Ctx) {
    for (gi, g) in v.check_groups.iter().enumerate() {
        let failed = g.checks.iter().filter(|c| c.is_failure()).count();
        let summary = if failed > 0 {
            part(
                format!("✗ {failed} of {} failed", g.checks.len()),
                Tone::Bad,
            )
        } else {
            part(format!("✓ {} passed", g.checks.len()), Tone::Good)
        };
        let pointer = format!("/details/document_validations/{}", seg(&g.name));
        b.push(ctx.spec(
            &format!("g{gi}"),
            vec![part(clean(&g.name), Tone::Strong), summary],
            Some(&pointer),
        ));
        for (ci, c) in g.checks.iter().enumerate() {
            let name = c
                .validation_name
                .as_deref()
                .or(c.validation_type.as_deref())
                .unwrap_or("check");
            let mut parts = vec![
                check_part(c.result.as_ref()),
                part(clean(name), Tone::Plain),
            ];
            if let Some(m) = &c.message {
                parts.push(part(format!("— {}", clean(m)), Tone::Dim));
            }
            if c.manually_reviewed == Some(true) {
                parts.push(part("(manually reviewed)", Tone::Dim));
            }
            let mut spec = ctx.spec(
                &format!("g{gi}/{ci}"),
                parts,
                Some(&format!("{pointer}/{ci}")),
            );
            spec.failing = c.is_failure();
            spec.kind = NodeKind::Check;
            b.leaf(spec);
        }
        b.close();
    }
}

/// One leaf per file link; the preview, compare and save work from these.
fn images(b: &mut Builder, v: &Validation, ctx: &Ctx, vid: &str) {
    for (li, link) in v.images.iter().enumerate() {
        let word = if link.kind.is_picture() {
            "image"
        } else {
            "file"
        };
        let parts = vec![
            part(format!("{word}:"), Tone::Dim),
            part(link.kind.label(), Tone::Strong),
        ];
        let pointer: String = link
            .path
            .split('.')
            .map(|s| format!("/{}", seg(s)))
            .collect();
        let mut spec = ctx.spec(&format!("img{li}"), parts, Some(&pointer));
        spec.kind = NodeKind::Image(ImageRequest {
            key: ImageKey {
                process_id: b.process_id.to_owned(),
                validation_id: vid.to_owned(),
                field: link.field.clone(),
            },
            link: link.clone(),
            validation_type: v.type_name().to_owned(),
        });
        b.leaf(spec);
    }
}

/// A heading with one leaf per `(name, value)` pair; nothing when there are no pairs.
pub(super) fn fields(
    b: &mut Builder,
    ctx: &Ctx,
    id: &str,
    title: &str,
    pointer: &str,
    pairs: &[(String, String)],
) {
    if pairs.is_empty() {
        return;
    }
    b.push(ctx.spec(id, vec![part(title, Tone::Plain)], Some(pointer)));
    for (i, (k, v)) in pairs.iter().enumerate() {
        let parts = vec![
            part(format!("{}:", clean(k)), Tone::Dim),
            part(clean(v), Tone::Plain),
        ];
        b.leaf(ctx.spec(
            &format!("{id}/{i}"),
            parts,
            Some(&format!("{pointer}/{}", seg(k))),
        ));
    }
    b.close();
}

fn details_node(
    b: &mut Builder,
    v: &Validation,
    ctx: &Ctx,
    id: &str,
    state: Option<&DetailsState>,
) {
    let loaded = matches!(state, Some(DetailsState::Ready(_)));
    let mut spec = ctx.spec(
        "d",
        vec![part("validations API details", Tone::Plain)],
        None,
    );
    spec.kind = NodeKind::Details {
        validation_id: id.to_owned(),
        loaded,
    };
    spec.raw = Some(RawRef {
        source: RawSource::Details(id.to_owned()),
        pointer: String::new(),
    });
    b.push(spec);
    let note = |text: String, tone| vec![part(text, tone)];
    match state {
        None => b.leaf(ctx.spec(
            "d/none",
            note("enter or l to fetch".into(), Tone::Dim),
            None,
        )),
        Some(DetailsState::Loading) => {
            b.leaf(ctx.spec("d/loading", note("loading…".into(), Tone::Warn), None))
        }
        Some(DetailsState::Failed(e)) => b.leaf(ctx.spec(
            "d/error",
            note(format!("error: {}", clean(e)), Tone::Bad),
            None,
        )),
        Some(DetailsState::Ready(d)) => {
            let inner = Ctx {
                id: format!("{}/d", ctx.id),
                source: RawSource::Details(id.to_owned()),
                pointer: String::new(),
                validation_id: ctx.validation_id.clone(),
            };
            let dv = &d.validation;
            let mut parts = vec![status_part(dv.validation_status.as_ref())];
            parts.extend(reasons(&Validation {
                threshold: dv.threshold.or(v.threshold),
                ..dv.clone()
            }));
            b.leaf(inner.spec("status", parts, Some("/validation_status")));
            let vid = v
                .validation_id
                .clone()
                .unwrap_or_else(|| format!("#{}", v.index));
            validation_body(b, dv, &inner, &vid);
            let skip = |k: &str| matches!(k, "details" | "attachment_validations");
            other_fields(b, &inner, &d.raw, &skip);
        }
    }
    b.close();
}
