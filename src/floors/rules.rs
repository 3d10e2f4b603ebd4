//! The rules applied to the arrows: top-level modules import only from floors below their own,
//! and no folder's rooms import each other in a circle. Known breaks another change is removing
//! are set aside by name, and reported as soon as they are gone.

use std::collections::{BTreeMap, BTreeSet};

use super::graph::{Graph, Site, name};
use super::tree::{ModId, Tree};

/// The declared house: floors from the top, and the breaks other work is removing.
pub struct House<'a> {
    pub floors: &'a [&'a [&'a str]],
    pub pending: &'a [Pending],
}

/// A known break, set aside until the change named in `owner` lands.
pub struct Pending {
    pub what: Break,
    pub owner: &'static str,
}

pub enum Break {
    /// A top-level arrow that runs the wrong way (`config` → `app`).
    Arrow(&'static str, &'static str),
    /// Circles inside this folder and the folders below it (`app`).
    CirclesIn(&'static str),
}

/// What the check found; the house is sound when the first four are empty.
#[derive(Debug, Default)]
pub struct Findings {
    /// Top-level arrows that do not run down, each with where it is written.
    pub wrong_way: Vec<String>,
    /// Circles, each with the arrows that close it.
    pub circles: Vec<String>,
    /// Top-level modules on no floor, or on two; floor names that are no module.
    pub unplaced: Vec<String>,
    /// Pending breaks that are gone: their entry must be deleted, which turns the check on.
    pub stale: Vec<String>,
    /// Pending breaks still there (shown, so nobody forgets them).
    pub set_aside: Vec<String>,
}

impl Findings {
    pub fn is_sound(&self) -> bool {
        self.wrong_way.is_empty()
            && self.circles.is_empty()
            && self.unplaced.is_empty()
            && self.stale.is_empty()
    }
}

impl std::fmt::Display for Findings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sections = [
            (
                "imports that run up or sideways (move the item down, or the importer up)",
                &self.wrong_way,
            ),
            (
                "circles (move what both sides need into a room below both)",
                &self.circles,
            ),
            (
                "modules and floors that do not match (src/floors/mod.rs, FLOORS)",
                &self.unplaced,
            ),
            (
                "pending breaks that are gone (delete their PENDING entry: the check is then on)",
                &self.stale,
            ),
            ("set aside until their change lands", &self.set_aside),
        ];
        for (title, lines) in sections.into_iter().filter(|(_, l)| !l.is_empty()) {
            writeln!(f, "{title}:")?;
            for line in lines {
                writeln!(f, "  {line}")?;
            }
        }
        Ok(())
    }
}

/// Checks `graph` (of `tree`) against `house`.
pub fn inspect(tree: &Tree, graph: &Graph, house: &House<'_>) -> Findings {
    let mut findings = Findings::default();
    let top: BTreeMap<&str, ModId> = tree.modules[0]
        .children
        .iter()
        .map(|(n, id)| (n.as_str(), *id))
        .collect();
    let mut floor_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (floor, rooms) in house.floors.iter().enumerate() {
        for room in *rooms {
            if floor_of.insert(room, floor).is_some() {
                findings.unplaced.push(format!("{room} is on two floors"));
            }
            if !top.contains_key(room) {
                findings.unplaced.push(format!(
                    "{room} is on floor {} but is no module of the crate",
                    floor + 1
                ));
            }
        }
    }
    for room in top.keys().filter(|r| !floor_of.contains_key(*r)) {
        findings.unplaced.push(format!(
            "{room} is on no floor: add it to FLOORS, below everything that imports it"
        ));
    }

    let mut pending_seen = vec![false; house.pending.len()];
    // Pending arrows are set aside here and left out of the circles below: a circle they close
    // goes with them.
    let mut pending_arrows = BTreeSet::new();
    for (a, b, sites) in graph.at(0) {
        let (from, to) = (
            tree.modules[a].path[0].as_str(),
            tree.modules[b].path[0].as_str(),
        );
        let (Some(&up), Some(&down)) = (floor_of.get(from), floor_of.get(to)) else {
            continue;
        };
        if down > up {
            continue;
        }
        let why = if down == up {
            "on its own floor"
        } else {
            "above it"
        };
        let line = format!(
            "{from} (floor {}) imports {to} (floor {}, {why}):{}",
            up + 1,
            down + 1,
            where_written(sites.iter())
        );
        match pending_for(
            house,
            |b| matches!(b, Break::Arrow(f, t) if *f == from && *t == to),
        ) {
            Some(i) => {
                pending_seen[i] = true;
                pending_arrows.insert((a, b));
                findings
                    .set_aside
                    .push(format!("{line}\n    ({})", house.pending[i].owner));
            }
            None => findings.wrong_way.push(line),
        }
    }

    let left_out = |level, a, b| level == 0 && pending_arrows.contains(&(a, b));
    for circle in graph.circles(tree, left_out) {
        let level = name(tree, circle.level);
        let short = |m: ModId| tree.modules[m].path.last().cloned().unwrap_or_default();
        let rooms: Vec<String> = circle.rooms.iter().map(|r| short(*r)).collect();
        let mut line = format!("in {level}: {}", rooms.join(", "));
        for (a, b) in &circle.arrows {
            let sites = &graph.arrows[&(circle.level, *a, *b)];
            line.push_str(&format!(
                "\n    {} → {}:{}",
                short(*a),
                short(*b),
                where_written(sites.iter())
            ));
        }
        let under = |folder: &str| level == folder || level.starts_with(&format!("{folder}::"));
        match pending_for(
            house,
            |b| matches!(b, Break::CirclesIn(folder) if under(folder)),
        ) {
            Some(i) => {
                pending_seen[i] = true;
                findings
                    .set_aside
                    .push(format!("{line}\n    ({})", house.pending[i].owner));
            }
            None => findings.circles.push(line),
        }
    }

    for (pending, seen) in house.pending.iter().zip(pending_seen) {
        if !seen {
            let what = match pending.what {
                Break::Arrow(from, to) => format!("the arrow {from} → {to}"),
                Break::CirclesIn(folder) => format!("circles in {folder}"),
            };
            findings.stale.push(format!("{what} ({})", pending.owner));
        }
    }
    findings
}

fn pending_for(house: &House<'_>, matches: impl Fn(&Break) -> bool) -> Option<usize> {
    house.pending.iter().position(|p| matches(&p.what))
}

/// The first few sites of an arrow, one per line.
fn where_written<'a>(sites: impl ExactSizeIterator<Item = &'a Site>) -> String {
    const SHOWN: usize = 3;
    let total = sites.len();
    let mut text: String = sites.take(SHOWN).map(|s| format!("\n      {s}")).collect();
    if total > SHOWN {
        text.push_str(&format!("\n      … and {} more", total - SHOWN));
    }
    text
}
