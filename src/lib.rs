//! truora-tui: a terminal browser for Truora Digital Identity process data.
//!
//! The crate is split so each side can be tested alone (see `../shared/DESIGN.md`):
//! - [`api`] talks HTTP to Truora and knows nothing of terminals;
//! - [`demo`] is an embedded fake of the Truora API, used by `--demo`, the tests and the benches;
//! - [`config`] merges defaults, the config file, the environment and flags;
//! - [`app`] is the browser's state and pure update function, [`ui`] draws it;
//! - [`images`] decodes, encodes and saves images.

pub mod api;
pub mod app;
pub mod browse;
pub mod config;
pub mod demo;
pub mod images;
pub mod sanitize;
pub mod source;
pub mod tui;
pub mod ui;
pub mod worker;
