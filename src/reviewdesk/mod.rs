//! The review desk's runtime: a task that owns the SQLite store, answers the app's review
//! requests (each exactly once, with its id), and polls the store about every second for what
//! other browsers recorded and which processes they have open.

mod event;

pub use event::{event_for, process_of};
