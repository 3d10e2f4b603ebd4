//! A stand-in for the review desk's store task, for app and screen tests: it answers the app's
//! review requests with the same rule the real desk uses (`reviewdesk::event_for`), but with
//! fixed ids and times, so screens are reproducible.
#![allow(dead_code)]

use truora_tui::app::message::review::{ReviewNews, ReviewRequest};
use truora_tui::app::{App, Command, Job, Message, NotRecorded, Request};
use truora_tui::review::{Event, EventId, Timestamp};

/// 2025-11-30T10:00:00Z.
pub const T0: i64 = 1_764_496_800_000;

pub struct FakeDesk {
    pub reviewer: String,
    pub events: Vec<Event>,
    clock: i64,
}

impl FakeDesk {
    pub fn new(reviewer: &str) -> FakeDesk {
        FakeDesk {
            reviewer: reviewer.into(),
            events: Vec::new(),
            clock: 0,
        }
    }

    /// Tells the app the store is open (writable) with what it holds.
    pub fn open(&self, app: &mut App) -> Vec<Command> {
        app.handle_message(Message::Review(ReviewNews::Opened {
            reviewer: self.reviewer.clone(),
            events: self.events.clone(),
            writable: Ok(()),
        }))
    }

    fn stamp(&mut self, mut e: Event) -> Event {
        self.clock += 1;
        e.id = EventId(self.clock as u128);
        e.at = Timestamp(T0 + self.clock * 60_000);
        e
    }

    /// The events of one process, oldest first.
    pub fn of(&self, process_id: &str) -> Vec<Event> {
        self.events
            .iter()
            .filter(|e| e.process_id == process_id)
            .cloned()
            .collect()
    }

    /// Records `request` as `reviewer` would, without telling the app (a colleague's browser,
    /// which has the process's events on screen: a decision is taken on their head).
    pub fn record_as(&mut self, reviewer: &str, request: &ReviewRequest) -> Option<Event> {
        let process = truora_tui::reviewdesk::process_of(request)?.to_owned();
        let mut request = request.clone();
        if let ReviewRequest::Decide { seen, .. } = &mut request {
            *seen = truora_tui::review::fold(&self.of(&process)).head;
        }
        let event = truora_tui::reviewdesk::event_for(&request, &self.of(&process), reviewer)
            .ok()
            .flatten()?;
        let event = self.stamp(event);
        self.events.push(event.clone());
        Some(event)
    }

    /// Answers every review request among `commands` (and any they lead to); returns the
    /// others.
    pub fn serve(&mut self, app: &mut App, commands: Vec<Command>) -> Vec<Command> {
        let mut out = Vec::new();
        let mut queue = commands;
        while !queue.is_empty() {
            for command in std::mem::take(&mut queue) {
                let Command::Request(Request {
                    id,
                    job: Job::Review(request),
                }) = command
                else {
                    out.push(command);
                    continue;
                };
                let events = truora_tui::reviewdesk::process_of(&request)
                    .map(|p| self.of(p))
                    .unwrap_or_default();
                let result =
                    truora_tui::reviewdesk::event_for(&request, &events, &self.reviewer.clone())
                        .map(|e| e.map(|e| self.stamp(e)));
                if let Ok(Some(e)) = &result {
                    self.events.push(e.clone());
                }
                // As the real desk does: a decision refused because another stands where it was
                // taken comes after the process's events, so the screen shows what stands.
                if let Err(NotRecorded::Superseded { .. }) = &result {
                    queue.extend(app.handle_message(Message::Review(ReviewNews::Loaded {
                        events: events.clone(),
                    })));
                }
                queue
                    .extend(app.handle_message(Message::Review(ReviewNews::Answer { id, result })));
            }
        }
        out
    }
}

/// The review requests among commands (leases left out).
pub fn requests(commands: &[Command]) -> Vec<ReviewRequest> {
    commands
        .iter()
        .filter_map(|c| match c {
            Command::Request(Request {
                job: Job::Review(request),
                ..
            }) if !matches!(request, ReviewRequest::Hold { .. }) => Some(request.clone()),
            _ => None,
        })
        .collect()
}
