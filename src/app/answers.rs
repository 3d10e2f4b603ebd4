//! Answers: each is matched by its id to what the app asked, in one `match` from the answered
//! [`Job`] to the component it is for; what is not an answer (news from the store, the timers,
//! a resize) is routed by its kind. Results land in their cache and are shown only if they are
//! for what is on screen now.

use std::sync::Arc;

use super::message::review::{ReviewNews, ReviewRequest};
use super::review;
use super::update::shown;
use super::{App, Job, Message, NotRecorded, SaveFailure};
use crate::api::model::{Person, ProcessResult, ProcessSummary};
use crate::sanitize::terminal_text;

impl App {
    pub(super) fn apply(&mut self, message: Message) {
        let Some(id) = message.answers() else {
            self.news(message);
            return;
        };
        let Some(job) = self.out.requests.answered(id) else {
            // Not awaited: the runtime or the worker answered twice, or a test invented it.
            tracing::debug!(%id, "dropping an answer nobody is waiting for");
            return;
        };
        // A decision or note answered (or cancelled) is no longer shown as on its way.
        let waited = self.review.settle(id);
        let out = &mut self.out;
        match (job, message) {
            (Job::LoadPage, Message::Page { result, .. }) => self.list.page_arrived(result, out),
            (Job::Watch { .. }, Message::Watched { result, .. }) => {
                let bell = self.opts.watch_bell;
                let stale = self.watch.answered(result, &mut self.list.rows, bell, out);
                for id in stale {
                    self.tree.forget(&id);
                }
            }
            (
                Job::FetchResult {
                    process_id,
                    refresh,
                },
                Message::Result { result, .. },
            ) => match result {
                Ok(result) => {
                    let old = refresh.then(|| self.tree.result(&process_id).cloned());
                    self.result_arrived(process_id.clone(), result.clone());
                    if let Some(old) = old {
                        self.tree
                            .refreshed(&process_id, old, &result, &mut self.out);
                    }
                }
                Err(error)
                    if refresh
                        && self
                            .tree
                            .refresh_failed(&process_id, &error.to_string(), out) => {}
                Err(error) => self.tree.result_failed(process_id, &error.to_string(), out),
            },
            (Job::FetchDetails { validation_id, .. }, Message::Details { result, .. }) => {
                let shown = shown(&self.review, &self.opts);
                self.tree.details_arrived(validation_id, result, shown, out);
            }
            (
                Job::FetchImage {
                    request,
                    area,
                    view,
                },
                Message::Image { result, .. },
            ) => match result {
                Ok(image) => self.preview.images.insert(request.key, area, view, image),
                Err(error) => {
                    let error = terminal_text(&error.to_string()).into_owned();
                    self.preview.images.failed(request.key, area, view, error);
                }
            },
            (Job::Save { request }, Message::Saved { result, .. }) => {
                if self.opts.audit {
                    self.audited.saved(&request, &result, out);
                }
                self.saves.answered(result, self.privacy.is_on(), out);
            }
            (Job::Prefetch { process_id }, Message::Result { result, .. }) => {
                // A look-ahead that failed is simply not there; the advance fetches it again.
                if let Ok(result) = result {
                    self.result_arrived(process_id, result);
                }
            }
            (
                Job::Review(request),
                Message::Review(ReviewNews::Answer {
                    result: Err(NotRecorded::Superseded { moved, ago }),
                    ..
                }),
            ) => {
                // Not recorded: what the access log held back behind it goes out now.
                if self.opts.audit {
                    self.audited.answered(id, &request, false, out);
                }
                let key = match &request {
                    ReviewRequest::Decide { decision, .. } => self
                        .opts
                        .keymap
                        .hint(review::verdict_action(decision.verdict)),
                    _ => None,
                };
                let around = review::Around {
                    list: &mut self.list.rows,
                    results: self.tree.results(),
                };
                self.review
                    .superseded(&request, &moved, &ago, key, around, out);
            }
            (Job::Review(request), Message::Review(ReviewNews::Answer { result, .. })) => {
                if self.opts.audit {
                    self.audited.answered(id, &request, result.is_ok(), out);
                }
                let results = self.tree.results();
                let changed = self.review.answered(request, result, waited, results, out);
                self.review_changed(&changed);
            }
            (job, Message::Cancelled { .. }) => {
                self.not_recorded(id, &job);
                self.cancelled(job);
            }
            (job, Message::WorkerStopped { .. }) => {
                self.not_recorded(id, &job);
                self.worker_stopped(job, waited);
            }
            (job, answer) => {
                tracing::warn!(%id, ?job, ?answer, "an answer of the wrong kind; dropped");
            }
        }
    }

    /// What is not an answer: news from the worker, the store, the runtime's timers.
    fn news(&mut self, message: Message) {
        let out = &mut self.out;
        match message {
            Message::FreshResult { process_id, result } => self.result_arrived(process_id, result),
            Message::FreshDetails {
                validation_id,
                details,
            } => {
                let shown = shown(&self.review, &self.opts);
                self.tree
                    .details_arrived(validation_id, Ok(details), shown, out);
            }
            Message::Resize { width, height } => self.size = (width, height),
            Message::Warning(text) => out.error(terminal_text(&text).into_owned()),
            Message::Review(news) => {
                let changed = self.review.news(news, self.tree.results(), out);
                self.review_changed(&changed);
            }
            Message::WatchTick => self.watch.tick(self.opts.watch.is_some(), &self.list, out),
            Message::SelectionRested { generation } => self.preview.rest.rested_at(generation),
            Message::Looked { generation } => self.review.look.looked(generation),
            Message::People(batch) => self.list.rows.set_people(batch),
            Message::Page { .. }
            | Message::Watched { .. }
            | Message::Result { .. }
            | Message::Details { .. }
            | Message::Image { .. }
            | Message::Saved { .. }
            | Message::Cancelled { .. }
            | Message::WorkerStopped { .. } => {}
        }
    }

    /// Keeps a result, and shows it if its process is on screen.
    fn result_arrived(&mut self, process_id: String, result: Arc<ProcessResult>) {
        // A list of bare ids (or an ids file) gives rows with nothing but the id: the result
        // fills them in, so the status filter, `n` and the sort can see them.
        self.list
            .rows
            .fill_missing(&process_id, &ProcessSummary::from_result(&result));
        // Its row shows (and the filter finds) who the process is about.
        if let Some(person) = Person::of(&result) {
            self.list.rows.set_person(&process_id, &person);
        }
        self.tree.keep(process_id.clone(), result.clone());
        let kept = self.tree.result(&process_id).map(|r| &**r);
        self.review.result_arrived(&process_id, kept);
        if self.tree.view().process_id() == Some(process_id.as_str()) {
            self.show_result(process_id, result);
        }
    }

    /// Shows a result for the selected process; privacy mode finds its personal values.
    pub(super) fn show_result(&mut self, process_id: String, result: Arc<ProcessResult>) {
        self.tree
            .show(process_id, result, shown(&self.review, &self.opts));
        self.privacy.refresh(self.tree.view(), &mut self.overlay);
    }

    /// Processes whose review events changed: the tree on screen shows the new history.
    fn review_changed(&mut self, changed: &[String]) {
        let on_screen = self.tree.view().process_id();
        if on_screen.is_some_and(|v| changed.iter().any(|c| c == v)) {
            self.tree.rebuild(shown(&self.review, &self.opts));
        }
    }

    /// The worker gave up on a job (a newer selection won, the runtime found it superseded, or
    /// its task died). What is still wanted is asked again, once per cancelled answer: the
    /// selected process's result here, images on screen by `reconcile`.
    /// A decision that will never be answered is not recorded; what waited behind it in the
    /// access log is.
    fn not_recorded(&mut self, id: super::RequestId, job: &Job) {
        if let Job::Review(request) = job
            && self.opts.audit
        {
            self.audited.answered(id, request, false, &mut self.out);
        }
    }

    fn cancelled(&mut self, job: Job) {
        let out = &mut self.out;
        match job {
            Job::LoadPage => self.list.page_cancelled(out),
            // The next tick polls again.
            Job::Watch { .. } | Job::Prefetch { .. } => {}
            Job::FetchResult {
                process_id,
                refresh,
            } => {
                let selected = self.list.rows.selected();
                let selected = selected.and_then(|r| r.process_id.as_deref());
                self.tree
                    .result_cancelled(process_id, refresh, selected, out);
            }
            Job::FetchDetails { validation_id, .. } => {
                let shown = shown(&self.review, &self.opts);
                self.tree.details_cancelled(&validation_id, shown, out);
            }
            Job::FetchImage {
                request,
                area,
                view,
            } => self.preview.images.cancelled(&request.key, area, view),
            Job::Review(request) => self.review.cancelled(request, self.tree.results(), out),
            Job::Save { request } => self.saves.answered(
                Err(SaveFailure::Cancelled {
                    what: format!(
                        "{} of process {}",
                        request.link.kind.label(),
                        request.key.process_id
                    ),
                }),
                self.privacy.is_on(),
                out,
            ),
        }
    }

    /// The worker has stopped, so `job` will never be done: it fails like a job that failed,
    /// and nothing is asked again (a new ask would meet the same stopped worker).
    fn worker_stopped(&mut self, job: Job, waited: bool) {
        const WHY: &str = "the background worker has stopped (the log says why): restart the \
                           browser to load, fetch and save again";
        let out = &mut self.out;
        match job {
            Job::LoadPage => self
                .list
                .page_failed(format!("loading the list failed: {WHY}"), out),
            Job::Watch { .. } | Job::Prefetch { .. } => out.error(WHY.to_owned()),
            Job::FetchResult {
                process_id,
                refresh,
            } => {
                if !(refresh && self.tree.refresh_failed(&process_id, WHY, out)) {
                    self.tree.result_failed(process_id, WHY, out);
                }
            }
            Job::FetchDetails { validation_id, .. } => {
                let shown = shown(&self.review, &self.opts);
                self.tree.details_cancelled(&validation_id, shown, out);
                out.error(WHY.to_owned());
            }
            Job::FetchImage {
                request,
                area,
                view,
            } => self
                .preview
                .images
                .failed(request.key, area, view, WHY.to_owned()),
            Job::Save { .. } => {
                let failed = Err(SaveFailure::Other(WHY.to_owned()));
                self.saves.answered(failed, self.privacy.is_on(), out);
            }
            Job::Review(request) => {
                let failed = Err(NotRecorded::Store(WHY.to_owned()));
                let results = self.tree.results();
                let changed = self.review.answered(request, failed, waited, results, out);
                self.review_changed(&changed);
            }
        }
    }
}
