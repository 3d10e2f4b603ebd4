//! What the app owes the outside and tells the user while it handles one input: the requests it
//! awaits answers to (each asked under a fresh id, see [`Requests`]), the commands this input
//! produced for the runtime, and the status line.
//!
//! Components get it as `out` when they handle an input: the one way they act beyond their own
//! state (the shape of gitui's queue of internal events, without shared ownership). `App` drains
//! the commands at the end of each input and hands them to the runtime.

use super::message::{Command, Job, RequestId};
use super::requests::Requests;
use super::status::StatusLine;

#[derive(Debug, Default)]
pub struct Outbox {
    pub(super) requests: Requests,
    commands: Vec<Command>,
    pub status: StatusLine,
}

impl Outbox {
    /// Asks the worker (or the review desk) for `job` under a fresh id; its one answer is
    /// matched back to it by that id.
    pub fn ask(&mut self, job: Job) -> RequestId {
        self.requests.ask(job, &mut self.commands)
    }

    /// A command that gets no answer (copy, quit, bell, audit).
    pub fn push(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// What this input has produced so far.
    pub fn commands(&self) -> &[Command] {
        &self.commands
    }

    /// The commands of this input, for the runtime; the outbox starts empty for the next.
    pub fn take(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.commands)
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.status.info(text);
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.status.error(text);
    }

    /// Whether a result for `process_id` has been asked for and not answered.
    pub fn asking_result(&self, process_id: &str) -> bool {
        self.requests.asking_result(process_id)
    }

    /// Files asked to be saved and not yet saved or failed.
    pub fn saves(&self) -> usize {
        self.requests.saves()
    }
}
