//! The review desk's browser side.

mod desk;
pub mod input;
mod keys;
pub mod pending;
mod prefetch;

pub use desk::*;
