//! truora-tui: a terminal browser for Truora Digital Identity process data.
//!
//! The crate is split so each side can be tested alone (README.md, "Layout"):
//! - [`api`] talks HTTP to Truora and knows nothing of terminals;
//! - [`demo`] is an embedded fake of the Truora API, used by `--demo`, the tests and the benches;
//! - [`config`] merges defaults, the config file, the environment and flags;
//! - [`keymap`] is keys as data: every action, its default keys, the user's `[keys]` (below both
//!   `config` and `app`, which use it);
//! - [`app`] is the browser's state and pure update function, [`ui`] draws it;
//! - [`images`] decodes, encodes and saves images;
//! - [`export`] writes every process into a folder, [`archive`] reads that folder back offline;
//! - [`fsx`] is where every private file is written (0600 in 0700, atomic, no links followed);
//! - [`ids`] reads a user's own list of process ids, [`show`] prints one process to the shell;
//! - [`cli`] is the command line: options, start-up and exit codes (`main.rs` only calls it).
//!
//! Imports only run down, from `cli` at the top to `fsx`, `sanitize` and `date` at the bottom,
//! and no folder's files import each other in a circle: `src/floors/` declares the floors and a
//! test holds the code to them (docs/architecture.md).

// Outside tests nothing unwraps: server data is handled (see the note in Cargo.toml).
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod api;
pub mod app;
pub mod archive;
pub mod audit;
pub mod browse;
pub mod cli;
pub mod config;
pub mod date;
pub mod dburl;
pub mod demo;
pub mod export;
/// Imports only run down a declared order of floors, with no circles: a test reads `src/` and
/// checks it (docs/architecture.md is the map).
#[cfg(test)]
mod floors;
pub mod fsx;
pub mod ids;
pub mod images;
pub mod keymap;
pub mod privacy;
pub mod review;
pub mod reviewdesk;
pub mod sanitize;
pub mod show;
pub mod source;
pub mod tui;
pub mod ui;
pub mod worker;
pub mod wrap;
