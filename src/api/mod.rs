//! Truora over HTTP: the client, its errors, the tolerant data model and the paged process list.
//! Nothing in here knows about terminals.

pub mod client;
pub mod error;
mod key;
pub mod lenient;
pub mod links;
pub mod model;
pub mod pages;
pub mod paging;
mod send;
mod transport;

pub use client::{Client, ClientOptions, Fetched, RetryPolicy};
pub use error::{ApiError, ErrorBody};
pub use key::ApiKey;
