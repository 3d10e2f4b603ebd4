//! What the desk's thread is asked to do: the one type the app's side ([`super::inbox`]) and
//! the thread ([`super::task`]) both speak.

use crate::app::RequestId;
use crate::app::message::review::ReviewRequest;

/// What the thread is asked to do.
pub(super) enum Input {
    Request(RequestId, ReviewRequest),
    /// Look for news now (tests drive the poll with this instead of waiting for the clock).
    Poll,
    /// Release the lease and stop.
    Close,
}
