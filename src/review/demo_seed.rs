//! Decisions a colleague made earlier, seeded into a fresh demo store, so the demo shows every
//! kind of mark at once: overrides that were since applied in Truora's dashboard (the result's
//! `override_status_history` records them), one whose process changed some other way (stale), and
//! an agreeing verdict that Truora's later override made outdated.
//!
//! The demo's processes keep their original `status` and record overrides beside it (as the
//! documented payloads do), so "Truora's status now" is [`truora_status_of`] the result.

use super::id::{EventId, Timestamp};
use super::mark::truora_status_of;
use super::model::{Direction, Event, EventKind, OverrideReason, Verdict};
use super::store::{Store, StoreError};
use crate::api::model::{ProcessResult, Status};
use crate::demo::DemoServer;

/// Who made the seeded decisions: never the user, so their undo leaves them alone.
pub const DEMO_COLLEAGUE: &str = "demo-colleague";

/// Seeds the demo store once: only when it holds no event yet. Returns how many were added.
pub fn seed_demo(store: &mut Store, demo: &DemoServer) -> Result<usize, StoreError> {
    if store.cursor()?.0 > 0 {
        return Ok(0);
    }
    let now = Timestamp::now();
    let mut events = Vec::new();
    let (mut applied, mut outdated, mut stale) = (0, 0, 0);
    for id in demo.process_ids() {
        let Some(result) = demo
            .result_json(&id)
            .and_then(|v| ProcessResult::from_value(v).ok())
        else {
            continue;
        };
        let first = result.override_history.first();
        let original = first.and_then(|e| e.current_status.clone());
        let decided_at = first
            .and_then(|e| e.date.as_deref())
            .and_then(Timestamp::parse)
            .map_or(now, |t| Timestamp(t.0 - 3_600_000));
        match (first, original) {
            // Overridden once, the way the colleague asked: applied.
            (Some(entry), Some(from)) if applied < 3 && result.override_history.len() == 1 => {
                let Some(direction) = Direction::of(Verdict::Pass, Some(&from))
                    .or_else(|| Direction::of(Verdict::Fail, Some(&from)))
                else {
                    continue;
                };
                let verdict = match direction {
                    Direction::FailureToSuccess => Verdict::Pass,
                    Direction::SuccessToFailure => Verdict::Fail,
                };
                let reason = entry
                    .reason_category
                    .as_deref()
                    .and_then(OverrideReason::from_wire)
                    .filter(|r| r.fits(direction))
                    .unwrap_or(OverrideReason::Other);
                events.push(event(&id, verdict, Some(reason), from, decided_at));
                applied += 1;
            }
            // The colleague agreed with Truora; the dashboard overrode it later: outdated.
            (Some(_), Some(from))
                if outdated < 1
                    && from == Status::Failure
                    && truora_status_of(&result) == Some(Status::Success) =>
            {
                events.push(event(&id, Verdict::Fail, None, from, decided_at));
                outdated += 1;
            }
            // A success nobody overrode, decided when it still read failure: stale.
            (None, _)
                if stale < 1
                    && truora_status_of(&result) == Some(Status::Success)
                    && result.override_status.is_none() =>
            {
                let at = Timestamp(now.0 - 86_400_000);
                let reason = Some(OverrideReason::MeetsAllRequirements);
                events.push(event(&id, Verdict::Pass, reason, Status::Failure, at));
                stale += 1;
            }
            _ => {}
        }
        if applied >= 3 && outdated >= 1 && stale >= 1 {
            break;
        }
    }
    store.merge(&events)
}

fn event(
    process_id: &str,
    verdict: Verdict,
    reason: Option<OverrideReason>,
    seen: Status,
    at: Timestamp,
) -> Event {
    Event {
        id: EventId::generate(at),
        process_id: process_id.to_string(),
        kind: EventKind::Verdict { verdict, reason },
        reviewer: DEMO_COLLEAGUE.to_string(),
        at,
        truora_status: Some(seen),
        supersedes: None,
        resolves: Vec::new(),
    }
}
