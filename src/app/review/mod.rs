//! The review desk's browser side, as a component: the marks and events the store sent
//! ([`ReviewDesk`], `desk.rs`; the filter and badges in `filter.rs`, `badge.rs`), the keys that decide, note, undo and filter (`keys.rs`), the reason
//! picker and the note editor (`input.rs`), the decisions on their way to the store
//! (`pending.rs`), the look-ahead that fetches the next process (`prefetch.rs`), and how the
//! store's news and answers land (`news.rs`; a decision refused because a colleague's stood
//! where it was taken, in `replace.rs`).
//!
//! Pure: the store lives in its own thread (`crate::reviewdesk`); requests leave through the
//! outbox as `Job::Review` and come back as `Message::Review`.

mod badge;
mod desk;
mod filter;
pub mod input;
mod keys;
pub mod look;
mod news;
pub mod pending;
mod prefetch;
mod replace;

pub use badge::{BADGE_LEGEND, badge, status_for_decision};
pub use desk::{Access, Counts, Replacing, ReviewDesk, ReviewInput};
pub use filter::ReviewFilter;
pub use keys::{Around, Moved};
pub use prefetch::Looking;
pub use replace::verdict_action;
