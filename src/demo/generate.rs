//! Builds the synthetic processes from the seed.
//!
//! The first processes (by generation index) walk a coverage table — every declined reason, every
//! failure status, every flow and quirk — so any data set of a few dozen processes or more shows
//! everything a client must handle; the rest are drawn from realistic weights (mostly success and
//! declined). Each process has its own PRNG stream, so processes do not depend on each other.

use super::assets::FACE_PICTURES;
use super::catalog::{self, Group};
use super::clock::YEAR_2026_START;
use super::model::*;
use super::rng::SplitMix64;
use super::validations::{self, Ctx};

const DAY: i64 = 86_400;
const YEAR: i64 = 365 * DAY;
/// Processes are dated 2026-01-01 to 2026-10-31: fixed (stable snapshots) and in the past.
const DATA_SPAN: i64 = 304 * DAY;

/// Validation types per flow, in the order the end user goes through them.
const FLOWS: &[&[Kind]] = &[
    &[Kind::Document, Kind::Face],
    &[Kind::Document],
    &[Kind::Document, Kind::Face, Kind::Signature],
    &[Kind::Phone, Kind::Email, Kind::Document, Kind::Face],
    &[Kind::Questions, Kind::Document],
];
const FLOW_WEIGHTS: &[u32] = &[50, 15, 12, 13, 10];
const OUTCOMES: &[Outcome] = &[
    Outcome::Success,
    Outcome::Declined,
    Outcome::Pending,
    Outcome::Expired,
    Outcome::SystemError,
    Outcome::Canceled,
];
const OUTCOME_WEIGHTS: &[u32] = &[38, 40, 7, 8, 3, 4];
/// [guess] `expired_reason` values are not documented.
const EXPIRED_REASONS: &[&str] = &["process_time_to_live_exceeded", "user_abandoned_flow"];

/// What one process is meant to show.
struct Scenario {
    outcome: Outcome,
    reason: Option<&'static str>,
    flow: Option<usize>,
    unknown_type: bool,
    /// `Some(true)`: overridden to success; `Some(false)`: overridden to failure.
    override_to_success: Option<bool>,
    missing_object: bool,
}

fn scenario(i: usize, rng: &mut SplitMix64) -> Scenario {
    let reasons = catalog::DECLINED_REASONS;
    let mut s = Scenario {
        outcome: Outcome::Success,
        reason: None,
        flow: Some(i % FLOWS.len()),
        unknown_type: false,
        override_to_success: None,
        missing_object: false,
    };
    if let Some((reason, _)) = reasons.get(i) {
        s.outcome = Outcome::Declined;
        s.reason = Some(reason);
        s.override_to_success = i.is_multiple_of(6).then_some(true);
        return s;
    }
    match i - reasons.len() {
        0 => s.outcome = Outcome::Expired,
        1 => s.outcome = Outcome::SystemError,
        2 => s.outcome = Outcome::Canceled,
        3 => s.outcome = Outcome::Pending,
        k @ 4..=8 => {
            s.flow = Some(k - 4);
            s.override_to_success = (k == 4).then_some(false);
            s.unknown_type = k == 5;
            s.missing_object = k == 6;
        }
        _ => {
            s.flow = None;
            s.outcome = OUTCOMES[rng.weighted(OUTCOME_WEIGHTS)];
            if s.outcome == Outcome::Declined {
                let weights: Vec<u32> = reasons.iter().map(|(_, w)| *w).collect();
                s.reason = Some(reasons[rng.weighted(&weights)].0);
                s.override_to_success = rng.chance(0.10).then_some(true);
            } else if s.outcome == Outcome::Success {
                s.override_to_success = rng.chance(0.04).then_some(false);
            }
            s.unknown_type = rng.chance(0.03);
            s.missing_object = rng.chance(0.02);
        }
    }
    s
}

pub(crate) fn generate(seed: u64, count: usize) -> Dataset {
    let mut top = SplitMix64::for_item(seed, 0, 0);
    let account_id = format!("ACC{}", top.hex32());
    let client_id = format!("TCI{}", top.hex32());
    let flows: Vec<Flow> = FLOWS
        .iter()
        .map(|_| Flow {
            id: format!("IPF{}", top.hex32()),
            version: top.range(1, 9) as u32,
        })
        .collect();
    let mut processes: Vec<Process> = (0..count)
        .map(|i| build_process(seed, i, count, None))
        .collect();
    processes.sort_by(|a, b| b.created.cmp(&a.created).then_with(|| a.id.cmp(&b.id)));
    let mut data = Dataset {
        account_id,
        client_id,
        flows,
        processes,
        by_id: Default::default(),
        by_validation: Default::default(),
    };
    data.reindex();
    data
}

fn quirks(i: usize, rng: &mut SplitMix64) -> Quirks {
    let ttl = *rng.pick(&[120, 120, 300, 1440]);
    let ttl = match i {
        5 => Ttl::Number(ttl),
        6 => Ttl::Absent,
        0..=16 => Ttl::Text(ttl),
        _ if rng.chance(0.05) => Ttl::Absent,
        _ if rng.chance(0.30) => Ttl::Number(ttl),
        _ => Ttl::Text(ttl),
    };
    Quirks {
        ttl,
        numbers_as_text: i == 1 || rng.chance(0.08),
        nulls: i == 2 || rng.chance(0.10),
        minute_dates: i == 3 || rng.chance(0.15),
        hyphen_photocopy: i == 0 || rng.chance(0.25),
        extra_field: i == 4 || rng.chance(0.06),
    }
}

/// How an arriving process differs from the generated ones (`--demo-arrivals`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arrival {
    /// Creation time on the server's clock, newer than everything already listed.
    pub created: i64,
    /// Which scenario to play: below the declined reasons' count, that reason; above, random.
    pub scenario: usize,
    /// Still running: its validations stop at a pending one.
    pub pending: bool,
}

/// Process number `i` of the data set; an [`Arrival`] overrides its date and outcome. The random
/// draws are the same either way, so the generated data does not change.
pub(crate) fn build_process(
    seed: u64,
    i: usize,
    count: usize,
    arrival: Option<Arrival>,
) -> Process {
    let mut rng = SplitMix64::for_item(seed, 1, i as u64);
    let mut sc = scenario(arrival.map_or(i, |a| a.scenario), &mut rng);
    if arrival.is_some_and(|a| a.pending) {
        sc.outcome = Outcome::Pending;
        sc.reason = None;
        sc.override_to_success = None;
    }
    let reason = sc.reason;
    let face_reason = reason.is_some_and(|r| catalog::FACE_REASONS.contains(&r));
    let mut flow = sc.flow.unwrap_or_else(|| rng.weighted(FLOW_WEIGHTS));
    if face_reason && !FLOWS[flow].contains(&Kind::Face) {
        flow = 0;
    }
    let needs_registry = sc.outcome == Outcome::SystemError
        || reason
            .and_then(catalog::check_for_reason)
            .is_some_and(|c| c.group == Group::GovernmentDatabase);
    let mut country = catalog::COUNTRIES[rng.weighted(catalog::COUNTRY_WEIGHTS)];
    if reason == Some("invalid_curp") {
        country = "MX";
    } else if needs_registry && !catalog::has_government_database(country) {
        country = "CO";
    }
    let drawn = YEAR_2026_START + rng.below(DATA_SPAN as u64) as i64;
    let created = arrival.map_or(drawn, |a| a.created);
    let person = person(&mut rng, i, country, created, reason);
    let quirks = quirks(i, &mut rng);

    let mut kinds: Vec<Kind> = FLOWS[flow].to_vec();
    if sc.unknown_type {
        kinds.insert(0, Kind::Unknown);
    }
    let first_real = usize::from(sc.unknown_type);
    let stop_at = match sc.outcome {
        Outcome::Success => None,
        Outcome::Declined if face_reason => kinds.iter().position(|k| *k == Kind::Face),
        Outcome::Declined | Outcome::SystemError => kinds.iter().position(|k| *k == Kind::Document),
        _ => Some(rng.range(first_real as i64, kinds.len() as i64 - 1) as usize),
    };
    let holder = rng.below(FACE_PICTURES) as u8;
    // This draw once chose the selfie independently of the card, so the compare view showed two
    // different people with a passing score. The selfie is now the holder (or, for a failed
    // similarity, someone else: see `validations::face`); the draw stays so every later draw
    // (ids, dates, scores) keeps its value and the demo data stays as it was.
    let _ = rng.next_u64();
    let ctx = Ctx {
        country,
        passport: person.document_type == "passport",
        reason,
        missing_object: sc.missing_object,
        holder,
        expiration: person.expiration_date,
        age_years: ((created - person.date_of_birth) / YEAR).clamp(0, 120) as u32,
        holder_name: format!("{} {}", person.first_name, person.last_name),
    };
    let mut validations = Vec::new();
    let mut t = created + rng.range(5, 40);
    for (k, kind) in kinds.iter().enumerate() {
        let state = match stop_at {
            Some(s) if k > s => break,
            Some(s) if k == s => sc.outcome,
            _ => Outcome::Success,
        };
        validations.push(validations::build(&mut rng, &ctx, *kind, state, t));
        t += rng.range(40, 400);
    }
    let updated = t + rng.range(30, 900);
    let overrides = sc
        .override_to_success
        .map(|to_success| overrides(&mut rng, to_success, updated))
        .unwrap_or_default();
    Process {
        id: format!("IDP{}", rng.hex32()),
        flow,
        client_user_id: format!("user-{:04}", rng.below((count as u64 * 3 / 4).max(1))),
        country,
        city: *rng.pick(catalog::cities(country)),
        ip: format!(
            "{}.{}",
            rng.pick(&["192.0.2", "198.51.100", "203.0.113"]),
            rng.range(1, 254)
        ),
        created,
        updated,
        outcome: sc.outcome,
        declined_reason: if sc.outcome == Outcome::Declined {
            reason
        } else {
            None
        },
        expired_reason: (sc.outcome == Outcome::Expired).then(|| *rng.pick(EXPIRED_REASONS)),
        person,
        overrides,
        validations,
        quirks,
        misc_seed: rng.next_u64(),
    }
}

fn person(
    rng: &mut SplitMix64,
    i: usize,
    country: &str,
    created: i64,
    reason: Option<&str>,
) -> Person {
    let document_type = *rng.pick(catalog::document_types(country));
    let age_years = if reason == Some("age_above_threshold") {
        rng.range(101, 106)
    } else {
        rng.range(18, 75)
    };
    let date_of_birth = created - age_years * YEAR - rng.range(0, 360) * DAY;
    let expiration_date = if reason == Some("document_has_expired") {
        created - rng.range(30, 900) * DAY
    } else {
        created + rng.range(1, 9) * YEAR
    };
    let gender = *rng.pick(&["M", "F"]);
    let n = i + 1;
    let document_number = match country {
        // CURP-shaped but with the impossible prefix DEMO.
        "MX" => format!(
            "DEMO{:06}{}DFXXX{:02}",
            900_101 + (n % 90) * 100,
            if gender == "M" { "H" } else { "M" },
            n % 100
        ),
        "CO" => format!("99{:08}", (n as u64 * 7_919) % 100_000_000),
        _ => format!("DEMO{:07}", (n as u64 * 104_729) % 10_000_000),
    };
    Person {
        first_name: "DEMO".into(),
        last_name: format!("PERSONA {n}"),
        document_type,
        document_number,
        date_of_birth,
        gender,
        issue_date: expiration_date - 10 * YEAR,
        expiration_date,
    }
}

fn overrides(rng: &mut SplitMix64, to_success: bool, updated: i64) -> Vec<Override> {
    let mut at = updated + rng.range(3_600, 5 * DAY);
    let entry = |rng: &mut SplitMix64, to_success: bool, at: i64| {
        let pool = if to_success {
            catalog::OVERRIDE_TO_SUCCESS
        } else {
            catalog::OVERRIDE_TO_FAILURE
        };
        let category = *rng.pick(pool);
        let (from, to) = if to_success {
            ("failure", "success")
        } else {
            ("success", "failure")
        };
        Override {
            from,
            to,
            at,
            category,
            username: format!("analyst{}@demo.example", rng.range(1, 6)),
        }
    };
    let mut list = vec![entry(rng, to_success, at)];
    if rng.chance(0.3) {
        at += rng.range(3_600, 3 * DAY);
        list.push(entry(rng, !to_success, at));
    }
    list
}
