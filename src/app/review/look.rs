//! Whether the reviewer has had the selected process's result on screen: a verdict key acts only
//! then. After a verdict the cursor advances at once, so a double tap (`d d`) would otherwise
//! decide the next process before anyone looked at it; the second key now says why and does
//! nothing.
//!
//! "On screen" means the process's result has been shown in the tree for [`LOOK`] without the
//! selection moving. The app keeps no clock: every change of selection starts a new generation,
//! and the runtime, which owns the timers, sends [`Message::Looked`] for the generation it saw
//! once the result has stood that long (as it does the images' rest). With no wait (tests that
//! drive the app without the runtime) the gate is off.
//!
//! [`Message::Looked`]: crate::app::message::Message::Looked

use std::time::Duration;

/// How long a result must have been on screen before a verdict key acts on it: longer than a
/// double tap (100–250 ms), shorter than a reviewer reads a result.
pub const LOOK: Duration = Duration::from_millis(300);

/// Where the selection is, and whether its result has been on screen long enough.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Look {
    process: Option<String>,
    /// Bumped by every move of the selection; a `Looked` message must name the current one.
    generation: u64,
    /// The selection's result is in the tree now.
    shown: bool,
    /// It has been there for [`LOOK`] (or waiting is off).
    seen: bool,
}

impl Look {
    /// Notes the selection after an input, and whether its result is on screen. `no_wait`:
    /// everything counts as seen at once.
    pub fn track(&mut self, process: Option<String>, shown: bool, no_wait: bool) {
        if self.process != process {
            self.process = process;
            self.generation += 1;
            self.seen = false;
        }
        self.shown = shown;
        // No wait is only for tests that drive the app without the runtime (and often without
        // results): the gate is then off, as the images' rest is.
        if no_wait {
            self.seen = true;
        }
    }

    /// The generation the runtime should send `Looked` for after [`LOOK`]; `None` when nothing
    /// waits (no result on screen yet, or seen already).
    pub fn awaiting(&self) -> Option<u64> {
        (self.shown && !self.seen).then_some(self.generation)
    }

    /// The runtime's timer fired for `generation`: seen, unless the selection moved since.
    pub fn looked(&mut self, generation: u64) {
        if generation == self.generation && self.shown {
            self.seen = true;
        }
    }

    /// Whether `process` is the selection and its result has been on screen.
    pub fn seen(&self, process: &str) -> bool {
        self.seen && self.process.as_deref() == Some(process)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_result_counts_once_it_has_stood_and_only_for_its_generation() {
        let mut look = Look::default();
        look.track(Some("P1".into()), false, false);
        assert_eq!(look.awaiting(), None, "nothing on screen yet");
        look.track(Some("P1".into()), true, false);
        let first = look.awaiting().expect("waits for the timer");
        assert!(!look.seen("P1"));
        look.track(Some("P2".into()), true, false);
        look.looked(first);
        assert!(!look.seen("P2"), "a timer for P1 does not count for P2");
        look.looked(look.awaiting().expect("P2 waits"));
        assert!(look.seen("P2") && !look.seen("P1"));
        assert_eq!(look.awaiting(), None);
        look.track(Some("P3".into()), false, true);
        assert!(look.seen("P3"), "no wait: the gate is off");
    }
}
