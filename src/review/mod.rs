//! The review desk: what reviewers decided about processes, kept as events that are never rewritten.
//!
//! - [`model`]: verdicts, override reasons, events, and the rule that says whether a verdict needs a
//!   reason ([`model::decide`]);
//! - [`mark`]: the current state of one process, derived from its events ([`mark::derive`]);
//! - [`id`]: sortable, unique event ids (ULIDs) and UTC timestamps.
//!
//! Nothing here does IO; the SQLite store and the command line build on these types.

pub mod id;
pub mod mark;
pub mod model;

pub use id::{EventId, Timestamp};
pub use mark::{
    HistoryLine, Mark, OverrideMark, OverrideState, Review, derive, fold, history,
    truora_status_of, undo,
};
pub use model::{
    Decision, Direction, Event, EventKind, OverrideReason, ReasonNeed, Refusal, Verdict, decide,
};
