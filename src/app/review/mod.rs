//! The review desk's browser side, as a component: the marks and events the store sent
//! ([`ReviewDesk`], `desk.rs`), the keys that decide, note, undo and filter (`keys.rs`), the reason
//! picker and the note editor (`input.rs`), the decisions on their way to the store
//! (`pending.rs`), the look-ahead that fetches the next process (`prefetch.rs`), and how the
//! store's news and answers land (`news.rs`).
//!
//! Pure: the store lives in its own thread (`crate::reviewdesk`); requests leave through the
//! outbox as `Job::Review` and come back as `Message::Review`.

mod desk;
pub mod input;
mod keys;
mod news;
pub mod pending;
mod prefetch;

pub use desk::{
    Access, BADGE_LEGEND, Counts, ReviewDesk, ReviewFilter, ReviewInput, badge, status_for_decision,
};
pub use keys::{Around, Moved};
pub use prefetch::Looking;
