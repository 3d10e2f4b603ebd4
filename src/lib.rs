//! truora-tui: a terminal browser for Truora Digital Identity process data.
//!
//! The crate is split so each side can be tested alone (see `../shared/DESIGN.md`):
//! - [`api`] talks HTTP to Truora and knows nothing of terminals;
//! - [`demo`] is an embedded fake of the Truora API, used by `--demo`, the tests and the benches;
//! - [`config`] merges defaults, the config file, the environment and flags.

pub mod api;
pub mod config;
pub mod demo;
pub mod sanitize;
