//! The review desk: what reviewers decided about processes, kept as events that are never rewritten.
//!
//! - [`model`]: verdicts, override reasons, events, and the rule that says whether a verdict needs a
//!   reason ([`model::decide`]);
//! - [`chains`]: what the events of one process say, walked through their decision chains
//!   ([`chains::fold`], [`chains::derive`]); [`mark`]: that state, read against Truora's status;
//! - [`id`]: sortable, unique event ids (ULIDs) and UTC timestamps;
//! - [`store`]: the SQLite file (WAL, durable commits, migrations in [`schema`]; opened, and any
//!   other program's file refused untouched, in `open`; errors in [`error`]), with the
//!   [`lease`]s a team on one host uses to split a queue (held per browser session), and the
//!   start-up load of every mark (`load`);
//! - [`head`]: the rule that keeps a decision from replacing one its author never saw;
//! - [`anchor`]: the access log's head, kept where the log's writer cannot quietly move it back;
//! - [`wire`]: events as JSON lines; [`import`]: the checks and batches of `reviews import`;
//!   [`cli`]: `reviews export | import | list | stats`.
//!
//! `model`, `chains`, `mark` and `id` do no IO.

pub mod anchor;
pub mod chains;
pub mod cli;
mod connect;
mod csv;
pub mod error;
mod files;
pub mod head;
pub mod id;
pub mod import;
pub mod lease;
mod load;
mod load_rows;
pub mod mark;
pub mod model;
mod open;
pub mod pg;
mod rows;
pub mod schema;
pub mod store;
pub mod wire;

pub use chains::{HistoryLine, derive, fold, history, latest_standing_of, standings, undo};
pub use connect::Tuning;
pub use head::HeadMoved;
pub use id::{EventId, Timestamp};
pub use lease::{Holder, LEASE_TTL, Lease, LeaseOutcome};
pub use load::{Mine, StartUp};
pub use mark::{Mark, OverrideMark, OverrideState, Review, truora_status_of};
pub use model::{
    Decision, Direction, Event, EventKind, OverrideReason, ReasonNeed, Refusal, Verdict, decide,
};
pub use store::{Cursor, Recorded, Store, StoreError, Unreadable};

/// Every process's mark, by process id. An [`IndexMap`](indexmap::IndexMap): its table holds
/// small indices and the marks sit in one vector filled in order, where a `HashMap` writes each
/// whole entry at a random place; for the start-up load of 100,000 marks that was the difference
/// between making the target and missing it.
pub type Marks = indexmap::IndexMap<String, Mark>;
