//! A colleague's earlier decisions, seeded into the demo's own review store while it holds none,
//! so that a newcomer sees every kind of mark at once: overrides since applied in Truora's
//! dashboard (the result's `override_status_history` records them), one whose process changed some
//! other way (stale), an agreeing verdict that a later override made outdated, an override still
//! to apply, an escalation with a note, and two reviewers who decided differently (a conflict).
//!
//! The decisions are worked out from the demo's generated data, not from a running server, so the
//! browser (`--demo`) and `truora-tui reviews --demo …` seed the same store the same way, whichever
//! runs first. They are deterministic too — ids and times come from the data — so two programs
//! seeding one empty store at once add the same events, and the store's union by id keeps one
//! copy of each.
//!
//! The demo's processes keep their original `status` and record overrides beside it (as the
//! documented payloads do): "Truora's status now" is the last override's, else the original.

use std::path::Path;

use super::DemoOptions;
use super::generate::generate;
use super::model::{Outcome, Process};
use super::rng::SplitMix64;
use crate::api::model::Status;
use crate::config::Config;
use crate::review::{
    Direction, Event, EventId, EventKind, OverrideReason, Store, StoreError, Timestamp, Verdict,
};

/// Who made most of the seeded decisions: never the user, so their undo leaves them alone.
pub const DEMO_COLLEAGUE: &str = "demo-colleague";
/// The other side of the seeded conflict.
pub const DEMO_SECOND_OPINION: &str = "demo-second-opinion";

/// The note the seeded escalation carries.
pub const DEMO_NOTE: &str =
    "The selfie looks like a photo of a screen; asked the fraud team to look before deciding.";

/// How many processes get each kind of seeded decision.
const APPLIED: usize = 3;

/// Seeds the demo's own review store (`config.demo_review_store`: `demo-reviews.sqlite3`, not a
/// `--review-db` named for one run) with [`colleague_decisions`] for the default demo data, when
/// the store holds no event yet: a store someone has worked in is left alone, and so is every
/// other store. Returns how many events were added.
pub fn seed_review_store(config: &Config) -> Result<usize, StoreError> {
    if !config.demo_review_store {
        return Ok(0);
    }
    seed_store(&config.review_db)
}

/// [`seed_review_store`] on the store at `path`, whatever it is.
pub fn seed_store(path: &Path) -> Result<usize, StoreError> {
    let mut store = Store::open(path)?;
    if store.cursor()?.0 > 0 {
        return Ok(0);
    }
    store.merge(&colleague_decisions(&DemoOptions::default()))
}

/// The seeded events for the demo data `opts` describes (its seed and size; the other knobs
/// change nothing here).
pub fn colleague_decisions(opts: &DemoOptions) -> Vec<Event> {
    let data = generate(opts.seed, opts.processes);
    let mut plan = Plan::default();
    for process in &data.processes {
        plan.consider(process);
    }
    plan.events
}

/// The decisions chosen so far, in list order (newest process first).
#[derive(Default)]
struct Plan {
    events: Vec<Event>,
    applied: usize,
    outdated: bool,
    stale: bool,
    conflict: bool,
    to_apply: bool,
    escalated: bool,
}

impl Plan {
    fn consider(&mut self, p: &Process) {
        let original = Status::parse(p.outcome.status());
        let now = p
            .overrides
            .last()
            .map_or_else(|| original.clone(), |o| Status::parse(o.to));
        match (p.overrides.as_slice(), &original) {
            // Overridden once, the way the colleague asked: applied.
            ([only], _) if self.applied < APPLIED => {
                let seen = Status::parse(only.from);
                let verdict = if seen == Status::Failure {
                    Verdict::Pass
                } else {
                    Verdict::Fail
                };
                let Some(direction) = Direction::of(verdict, Some(&seen)) else {
                    return;
                };
                let reason = OverrideReason::from_wire(only.category)
                    .filter(|r| r.fits(direction))
                    .unwrap_or(OverrideReason::Other);
                let at = only.at - HOUR;
                self.verdict(p, DEMO_COLLEAGUE, verdict, Some(reason), seen, at);
                self.applied += 1;
            }
            // The colleague agreed with Truora's failure; the dashboard overrode it later.
            ([first, ..], Status::Failure) if !self.outdated && now == Status::Success => {
                self.verdict(
                    p,
                    DEMO_COLLEAGUE,
                    Verdict::Fail,
                    None,
                    original,
                    first.at - HOUR,
                );
                self.outdated = true;
            }
            // A success nobody overrode, passed as an override when it still read failure.
            ([], Status::Success) if !self.stale => {
                let reason = Some(OverrideReason::MeetsAllRequirements);
                let at = p.created + HOUR;
                self.verdict(
                    p,
                    DEMO_COLLEAGUE,
                    Verdict::Pass,
                    reason,
                    Status::Failure,
                    at,
                );
                self.stale = true;
            }
            // Declined and never overridden: the rest of the queue's work.
            ([], Status::Failure) if p.outcome == Outcome::Declined => self.declined(p),
            _ => {}
        }
    }

    /// A conflict first, then an override still to apply, then an escalation with a note.
    fn declined(&mut self, p: &Process) {
        let at = p.updated.max(p.created) + HOUR;
        if !self.conflict {
            self.verdict(p, DEMO_COLLEAGUE, Verdict::Fail, None, Status::Failure, at);
            let reason = Some(OverrideReason::RegularClient);
            let second = at + 5 * 60;
            self.verdict(
                p,
                DEMO_SECOND_OPINION,
                Verdict::Pass,
                reason,
                Status::Failure,
                second,
            );
            self.conflict = true;
        } else if !self.to_apply {
            let reason = Some(OverrideReason::InPersonCustomer);
            self.verdict(
                p,
                DEMO_COLLEAGUE,
                Verdict::Pass,
                reason,
                Status::Failure,
                at,
            );
            self.to_apply = true;
        } else if !self.escalated {
            let verdict = EventKind::Verdict {
                verdict: Verdict::Escalate,
                reason: None,
            };
            self.push(p, DEMO_COLLEAGUE, verdict, Some(Status::Failure), at);
            let note = EventKind::Note {
                text: DEMO_NOTE.to_owned(),
            };
            self.push(p, DEMO_COLLEAGUE, note, None, at + 60);
            self.escalated = true;
        }
    }

    fn verdict(
        &mut self,
        p: &Process,
        reviewer: &str,
        verdict: Verdict,
        reason: Option<OverrideReason>,
        seen: Status,
        at: i64,
    ) {
        let kind = EventKind::Verdict { verdict, reason };
        self.push(p, reviewer, kind, Some(seen), at);
    }

    /// One event at `at` (Unix seconds), none superseding another: each is the first decision
    /// its reviewer took on the process, which is what makes two of them a conflict.
    fn push(
        &mut self,
        p: &Process,
        reviewer: &str,
        kind: EventKind,
        seen: Option<Status>,
        at: i64,
    ) {
        let at = Timestamp::from_secs(at);
        self.events.push(Event {
            id: fixed_id(at, &p.id, self.events.len()),
            process_id: p.id.clone(),
            kind,
            reviewer: reviewer.to_owned(),
            at,
            truora_status: seen,
            supersedes: None,
            resolves: Vec::new(),
        });
    }
}

const HOUR: i64 = 3_600;

/// A ULID for `at` whose random part comes from the process and the event's place in the seed:
/// the same every time the store is seeded.
fn fixed_id(at: Timestamp, process_id: &str, index: usize) -> EventId {
    let ms = u128::from(u64::try_from(at.0.max(0)).unwrap_or(0) & 0xFFFF_FFFF_FFFF);
    let key = process_id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = SplitMix64::for_item(key, 0x5eed, index as u64);
    let random = (u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64())) & ((1 << 80) - 1);
    EventId(ms << 80 | random)
}
