//! Imports as arrows between rooms. A reference from module `a::b::x` to `a::c::y` is an arrow
//! `b → c` inside `a`: each folder (and the crate root) has its own graph whose nodes are its
//! direct children, so a circle is found at the level where it joins two rooms, whatever file
//! inside them it runs through. A module using its own ancestor or descendant draws no arrow
//! (`super::Item` from a child, `mod.rs` re-exporting its files): that is a room and its walls.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use super::tree::{ModId, Tree};

/// Where an import is written.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Site {
    pub file: PathBuf,
    pub line: usize,
    /// The module written in and the module named, from the crate root (`config::keys` →
    /// `app::keymap`).
    pub from: String,
    pub to: String,
}

impl fmt::Display for Site {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: {} → {}",
            self.file.display(),
            self.line,
            self.from,
            self.to
        )
    }
}

/// The arrows between the children of every module, with the imports that draw each.
pub struct Graph {
    /// (level, from, to) → the sites, sorted.
    pub arrows: BTreeMap<(ModId, ModId, ModId), BTreeSet<Site>>,
}

/// A circle inside one level: its rooms, and the arrows among them.
#[derive(Debug)]
pub struct Circle {
    pub level: ModId,
    pub rooms: Vec<ModId>,
    pub arrows: Vec<(ModId, ModId)>,
}

impl Graph {
    pub fn build(tree: &Tree) -> Graph {
        let mut arrows: BTreeMap<_, BTreeSet<Site>> = BTreeMap::new();
        for reference in &tree.references {
            let Some(to) = tree.target(reference) else {
                continue;
            };
            let Some((level, a, b)) = rooms(tree, reference.from, to) else {
                continue;
            };
            let from = &tree.modules[reference.from];
            arrows.entry((level, a, b)).or_default().insert(Site {
                file: from.file.clone(),
                line: reference.line,
                from: name(tree, reference.from),
                to: name(tree, to),
            });
        }
        Graph { arrows }
    }

    /// The arrows among the children of `level`.
    pub fn at(&self, level: ModId) -> impl Iterator<Item = (ModId, ModId, &BTreeSet<Site>)> {
        self.arrows
            .range((level, 0, 0)..(level + 1, 0, 0))
            .map(|((_, a, b), sites)| (*a, *b, sites))
    }

    /// Every circle, level by level: the strongly connected groups of two or more rooms, drawn
    /// without the arrows `left_out` (level, from, to) names.
    pub fn circles(
        &self,
        tree: &Tree,
        left_out: impl Fn(ModId, ModId, ModId) -> bool,
    ) -> Vec<Circle> {
        let mut circles = Vec::new();
        for level in 0..tree.modules.len() {
            let edges: Vec<(ModId, ModId)> = self
                .at(level)
                .filter(|(a, b, _)| !left_out(level, *a, *b))
                .map(|(a, b, _)| (a, b))
                .collect();
            let rooms: BTreeSet<ModId> = edges.iter().flat_map(|(a, b)| [*a, *b]).collect();
            let reach: BTreeMap<ModId, BTreeSet<ModId>> = rooms
                .iter()
                .map(|room| (*room, reachable(*room, &edges)))
                .collect();
            let mut placed = BTreeSet::new();
            for room in &rooms {
                if placed.contains(room) {
                    continue;
                }
                let group: Vec<ModId> = rooms
                    .iter()
                    .copied()
                    .filter(|other| reach[room].contains(other) && reach[other].contains(room))
                    .collect();
                placed.extend(group.iter().copied());
                if group.len() > 1 {
                    let arrows = edges
                        .iter()
                        .copied()
                        .filter(|(a, b)| group.contains(a) && group.contains(b))
                        .collect();
                    circles.push(Circle {
                        level,
                        rooms: group,
                        arrows,
                    });
                }
            }
        }
        circles
    }
}

/// The module's path from the crate root, `crate` for the root.
pub fn name(tree: &Tree, module: ModId) -> String {
    let path = &tree.modules[module].path;
    if path.is_empty() {
        "crate".into()
    } else {
        path.join("::")
    }
}

/// Modules `from` and `to` are in: (their deepest common ancestor, the child of it that holds
/// `from`, the child that holds `to`); `None` when one holds the other.
fn rooms(tree: &Tree, from: ModId, to: ModId) -> Option<(ModId, ModId, ModId)> {
    let line_of = |mut m: ModId| {
        let mut line = vec![m];
        while let Some(parent) = tree.modules[m].parent {
            line.push(parent);
            m = parent;
        }
        line.reverse();
        line
    };
    let (up_from, up_to) = (line_of(from), line_of(to));
    let shared = up_from
        .iter()
        .zip(&up_to)
        .take_while(|(a, b)| a == b)
        .count();
    let (a, b) = (up_from.get(shared)?, up_to.get(shared)?);
    Some((up_from[shared - 1], *a, *b))
}

/// Rooms reachable from `start` by one or more arrows.
fn reachable(start: ModId, edges: &[(ModId, ModId)]) -> BTreeSet<ModId> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![start];
    while let Some(room) = stack.pop() {
        for (_, to) in edges.iter().filter(|(from, _)| *from == room) {
            if seen.insert(*to) {
                stack.push(*to);
            }
        }
    }
    seen
}
