//! The id every request carries, and its one answer with it.

/// Names one request to the worker and its one answer. Allocated by the app, increasing, never
/// reused: an answer whose id the app no longer holds is for something it stopped caring about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

impl std::fmt::Display for RequestId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}
