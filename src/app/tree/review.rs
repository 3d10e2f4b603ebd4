//! The tree's "review" group: the review desk's decision history of the process (who, when,
//! verdict, reason, note), under a heading that sums up the current mark. Shown only when the
//! process has events; the lines come from the store, so their text is sanitised like server text.

use super::builder::{Builder, Spec, clean, dotted, part};
use super::{NodeKind, Part, Tone};
use crate::date::zone::{DisplayZone, TimeStyle};
use crate::review::{EventKind, HistoryLine, Mark, OverrideState, Verdict};

pub(super) fn review_nodes(b: &mut Builder, history: &[HistoryLine], mark: Option<&Mark>) {
    if history.is_empty() {
        return;
    }
    let mut title = vec![part(
        format!("review history ({})", history.len()),
        Tone::Strong,
    )];
    if let Some(m) = mark {
        title.extend(summary(m));
    }
    b.push(spec("r".into(), dotted(title)));
    for (i, line) in history.iter().enumerate() {
        let parts = event_parts(line, b.zone);
        b.leaf(spec(format!("r/{i}"), parts));
    }
    b.close();
}

fn spec(id: String, parts: Vec<Part>) -> Spec {
    Spec {
        id,
        parts,
        kind: NodeKind::Plain,
        raw: None,
        failing: false,
        validation_id: None,
    }
}

fn verdict_part(verdict: Verdict) -> Part {
    match verdict {
        Verdict::Pass => part("✓ pass", Tone::Good),
        Verdict::Fail => part("✗ fail", Tone::Bad),
        Verdict::Escalate => part("! escalated", Tone::Warn),
    }
}

/// The heading's summary: the standing verdict, by whom, the override's state, notes, conflict.
fn summary(m: &Mark) -> Vec<Part> {
    let mut parts = Vec::new();
    match (m.verdict(), &m.decided_by) {
        (Some(v), Some(by)) => {
            parts.push(verdict_part(v));
            parts.push(part(format!("by {}", clean(by)), Tone::Plain));
        }
        (Some(v), None) => parts.push(verdict_part(v)),
        (None, _) => parts.push(part("no standing verdict", Tone::Dim)),
    }
    if let Some(o) = m.override_mark {
        let (text, tone) = match o.state {
            OverrideState::Pending => ("→ override to apply in Truora", Tone::Warn),
            OverrideState::Applied => ("= override applied", Tone::Good),
            OverrideState::Stale => ("~ stale: Truora's status moved since", Tone::Warn),
        };
        parts.push(part(format!("{text} ({})", o.direction.label()), tone));
    } else if m.outdated {
        parts.push(part("~ Truora's status changed since", Tone::Warn));
    }
    if m.notes > 0 {
        parts.push(part(format!("✎ {}", m.notes), Tone::Plain));
    }
    if m.conflict {
        parts.push(part("≠ conflicting decisions: decide again", Tone::Bad));
    }
    parts
}

/// `2026-11-30 18:10 -05 · alice · ✗ fail · override: Manipulated photo` (the time in the
/// user's zone), with `(replaced)` on what no longer stands and `◆` on the standing verdict.
fn event_parts(line: &HistoryLine, zone: &DisplayZone) -> Vec<Part> {
    let e = &line.event;
    let when = zone.show(&e.at.iso(), TimeStyle::Minutes).into_owned();
    let mut parts = vec![part(when, Tone::Dim), part(clean(&e.reviewer), Tone::Plain)];
    match &e.kind {
        EventKind::Verdict { verdict, reason } => {
            parts.push(verdict_part(*verdict));
            if let Some(r) = reason {
                parts.push(part(format!("override: {}", r.label()), Tone::Warn));
            }
        }
        EventKind::Withdraw => parts.push(part("↶ withdrew a decision", Tone::Dim)),
        EventKind::Note { text } => parts.push(part(format!("✎ {}", clean(text)), Tone::Plain)),
    }
    let mut parts = dotted(parts);
    if line.standing {
        parts.insert(0, part("◆", Tone::Strong));
    }
    if line.superseded {
        parts.push(part("(replaced)", Tone::Dim));
    }
    parts
}
