//! The house rule, checked by a test: imports only run down, and no circles
//! (docs/architecture.md has the map).
//!
//! [`FLOORS`] is the one declared order of the crate's top-level modules. The test reads `src/`
//! as rustc finds it (`tree.rs`: every `use crate::…`, `use super::…`, `crate::x::f()` and
//! re-export, comments and strings aside), draws an arrow for each import between two rooms of a
//! folder (`graph.rs`: `config/keys.rs` → `app/keymap.rs` is `config → app` at the top and
//! nothing inside either), and fails (`rules.rs`) on
//! - a top-level arrow that does not run down the floors (up, or sideways within a floor);
//! - a circle among the rooms (files and subfolders) of any folder, at any depth;
//! - a top-level module on no floor.
//!
//! Each finding names the file and line that draws it. Breaks that other work under way removes
//! are listed in [`PENDING`] with that work's name: they are printed on every run, and once one
//! is gone the test fails until its entry is deleted, which switches the check on for it.

mod graph;
mod lex;
mod rules;
#[cfg(test)]
mod tests;
mod tree;

use rules::Pending;
// Named in a PENDING entry while one is set aside.
#[allow(unused_imports)]
use rules::Break;

/// The floors, top first. A module imports only from floors below its own: never from its own
/// floor, never from above. A new top-level module goes on the highest floor below everything
/// that imports it.
pub const FLOORS: &[&[&str]] = &[
    // The command line: options, start-up, exit codes.
    &["cli"],
    // The browser's start-up: wires the source, the worker, the review desk, the access log and
    // the terminal loop together.
    &["browse"],
    // What runs: the terminal loop; `show`; the fetch task that carries out the app's commands
    // and answers with its messages.
    &["tui", "show", "worker"],
    // Drawing the app; the review store's thread; where the data comes from (live, archive, ids),
    // with the image links' stale-link retry.
    &["ui", "reviewdesk", "source"],
    // The browser's state and pure update; an export read back offline.
    &["app", "archive"],
    // Writing an export; what is personal and how it is masked.
    &["export", "privacy"],
    // Pictures: decode, encode, geometry, save; the access log; the embedded fake Truora API.
    &["images", "audit", "demo"],
    // Settings; the review store and its events.
    &["config", "review"],
    // Keys and the actions they are bound to (the defaults, and what a config file may name).
    &["keymap"],
    // Truora over HTTP; lists of ids.
    &["api", "ids"],
    // Foundations everyone may use: private files, neutralised text, dates, wrapping, what a
    // review store setting names (and its password masked); and this check, which imports
    // nothing.
    &["fsx", "sanitize", "date", "wrap", "dburl", "floors"],
];

/// Breaks that work under way removes, each set aside until it lands (e.g. `Pending { what:
/// Break::Arrow("images", "app"), owner: "issue 17, …" }`). Delete an entry when the test says
/// its break is gone. Empty since issue 17 landed: every rule is on.
pub const PENDING: &[Pending] = &[];
