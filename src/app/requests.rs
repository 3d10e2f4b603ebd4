//! What the app has asked the worker and not yet heard back about, by id.
//!
//! The worker answers every request exactly once, so this table is exact: an id leaves it when
//! its answer arrives, its length is what is in flight, and an answer whose id is not here is
//! one the app does not expect (it is dropped).

use std::collections::BTreeMap;

use super::message::{Command, Job, Request, RequestId};

#[derive(Debug, Default)]
pub struct Requests {
    next: u64,
    pending: BTreeMap<RequestId, Job>,
}

impl Requests {
    /// Asks the worker for `job` under a fresh id.
    pub fn ask(&mut self, job: Job, commands: &mut Vec<Command>) -> RequestId {
        self.next += 1;
        let id = RequestId(self.next);
        self.pending.insert(id, job.clone());
        commands.push(Command::Request(Request { id, job }));
        id
    }

    /// Takes the job an answer is for; `None` when the id is not awaited.
    pub fn answered(&mut self, id: RequestId) -> Option<Job> {
        self.pending.remove(&id)
    }

    /// Requests awaiting their answer, oldest first.
    pub fn pending(&self) -> impl Iterator<Item = (RequestId, &Job)> {
        self.pending.iter().map(|(id, job)| (*id, job))
    }

    /// Whether a result for `process_id` has been asked for and not answered.
    pub fn asking_result(&self, process_id: &str) -> bool {
        self.pending
            .values()
            .any(|job| matches!(job, Job::FetchResult { process_id: p, .. } if p == process_id))
    }

    /// Files asked to be saved and not yet saved or failed.
    pub fn saves(&self) -> usize {
        self.pending
            .values()
            .filter(|job| matches!(job, Job::Save { .. }))
            .count()
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_fresh_and_each_is_answered_once() {
        let mut requests = Requests::default();
        let mut commands = Vec::new();
        let a = requests.ask(Job::LoadPage, &mut commands);
        let b = requests.ask(Job::LoadPage, &mut commands);
        assert_ne!(a, b);
        assert_eq!(commands.len(), 2);
        assert_eq!(requests.len(), 2);
        assert_eq!(requests.answered(a), Some(Job::LoadPage));
        assert_eq!(requests.answered(a), None, "a second answer is not awaited");
        assert_eq!(requests.len(), 1);
    }
}
