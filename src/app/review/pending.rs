//! Decisions, notes and undos asked of the review desk and not answered yet: what the list shows
//! as not recorded (`…` in the row's mark), what the status bar counts once the desk has said it
//! could not record them for now (a busy store, a full disk: it keeps them and tries again), and
//! what quitting asks about. Nothing here is shown as recorded until the desk's answer says it
//! is; nothing is dropped before that answer.

use crate::app::message::RequestId;
use crate::app::message::review::ReviewRequest;

/// One request asked and not answered.
#[derive(Clone, Debug, PartialEq)]
pub struct Unrecorded {
    pub id: RequestId,
    pub request: ReviewRequest,
    /// Why the desk could not record it yet, once it has said so.
    pub delayed: Option<String>,
}

/// Every request that records something, from when it is asked until it is answered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pending {
    items: Vec<Unrecorded>,
}

impl Pending {
    /// Follows `request` until its answer (leases are not followed: they record nothing).
    pub(super) fn track(&mut self, id: RequestId, request: &ReviewRequest) {
        if !matches!(request, ReviewRequest::Hold { .. }) {
            self.items.push(Unrecorded {
                id,
                request: request.clone(),
                delayed: None,
            });
        }
    }

    /// The desk could not record these yet.
    pub(super) fn delayed(&mut self, ids: &[RequestId], why: &str) {
        for item in self.items.iter_mut().filter(|i| ids.contains(&i.id)) {
            item.delayed = Some(why.to_owned());
        }
    }

    /// The answer came: no longer followed. Returns whether it had been delayed.
    pub(super) fn settle(&mut self, id: RequestId) -> bool {
        match self.items.iter().position(|i| i.id == id) {
            Some(at) => self.items.remove(at).delayed.is_some(),
            None => false,
        }
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Unrecorded> {
        self.items.iter()
    }

    /// Whether a decision (or undo), and whether a note, on `process_id` is not recorded yet.
    pub fn on(&self, process_id: &str) -> (bool, bool) {
        let mut decision = false;
        let mut note = false;
        for item in &self.items {
            match &item.request {
                ReviewRequest::Decide { process_id: p, .. }
                | ReviewRequest::Undo { process_id: p, .. }
                    if p == process_id =>
                {
                    decision = true;
                }
                ReviewRequest::Note { process_id: p, .. } if p == process_id => note = true,
                _ => {}
            }
        }
        (decision, note)
    }

    /// The process of the newest decision not recorded yet: an undo asked now goes there (the
    /// desk records in order, so it takes back exactly that decision once it is in).
    pub fn newest_decision(&self) -> Option<&str> {
        self.items.iter().rev().find_map(|i| match &i.request {
            ReviewRequest::Decide { process_id, .. } => Some(process_id.as_str()),
            _ => None,
        })
    }

    /// `1 decision not recorded yet — retrying`, once the desk has said some could not be
    /// recorded for now; and why.
    pub fn summary(&self) -> Option<(String, &str)> {
        let why = self.items.iter().find_map(|i| i.delayed.as_deref())?;
        Some((format!("{} — retrying", self.count_text()), why))
    }

    /// `1 decision`, `2 decisions and 1 note`… `not recorded yet`.
    pub fn count_text(&self) -> String {
        let notes = self
            .items
            .iter()
            .filter(|i| matches!(i.request, ReviewRequest::Note { .. }))
            .count();
        let decisions = self.items.len() - notes;
        let plural = |n: usize, one: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {one}s")
            }
        };
        let what = match (decisions, notes) {
            (d, 0) => plural(d, "decision"),
            (0, n) => plural(n, "note"),
            (d, n) => format!("{} and {}", plural(d, "decision"), plural(n, "note")),
        };
        format!("{what} not recorded yet")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::{Decision, Verdict};

    fn decide(process: &str) -> ReviewRequest {
        ReviewRequest::Decide {
            process_id: process.into(),
            decision: Decision {
                verdict: Verdict::Fail,
                reason: None,
            },
            truora_status: None,
            seen: None,
        }
    }

    #[test]
    fn followed_from_the_ask_to_the_answer_and_said_once_delayed() {
        let mut p = Pending::default();
        p.track(RequestId(1), &decide("IDP1"));
        p.track(RequestId(2), &ReviewRequest::Hold { process_id: None });
        p.track(
            RequestId(3),
            &ReviewRequest::Note {
                process_id: "IDP2".into(),
                text: "call".into(),
                truora_status: None,
            },
        );
        assert_eq!(p.len(), 2, "a lease records nothing");
        assert_eq!(p.on("IDP1"), (true, false));
        assert_eq!(p.on("IDP2"), (false, true));
        assert_eq!(p.summary(), None, "in flight is not yet delayed");
        p.delayed(&[RequestId(1), RequestId(3)], "busy");
        assert_eq!(
            p.summary(),
            Some((
                "1 decision and 1 note not recorded yet — retrying".to_string(),
                "busy"
            ))
        );
        assert!(p.settle(RequestId(1)));
        assert!(!p.settle(RequestId(1)), "answered once");
        assert_eq!(p.on("IDP1"), (false, false));
        assert_eq!(p.count_text(), "1 note not recorded yet");
    }
}
