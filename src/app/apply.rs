//! Applying the worker's answers: each is matched by id to what the app asked, lands in its cache,
//! and is shown only if it is for what is on screen now.

use std::sync::Arc;

use super::message::{Job, ListPage};
use super::tree::build::DetailsState;
use super::tree::{NodeKind, Tree};
use super::{App, Message, ResultView};
use crate::api::ApiError;
use crate::api::model::{Person, ProcessResult, ProcessSummary, ValidationDetails};
use crate::sanitize::terminal_text;

impl App {
    pub(super) fn apply(&mut self, message: Message) {
        let Some(id) = message.answers() else {
            match message {
                Message::FreshResult { process_id, result } => {
                    self.result_arrived(process_id, result)
                }
                Message::FreshDetails {
                    validation_id,
                    details,
                } => self.details_arrived(validation_id, Ok(details)),
                Message::Resize { width, height } => self.size = (width, height),
                Message::Warning(text) => self.out.status.error(terminal_text(&text).into_owned()),
                Message::Review(news) => self.apply_review(news),
                Message::WatchTick => self.watch_tick(),
                Message::SelectionRested { generation } => self.selection_rested(generation),
                Message::People(batch) => self.list.set_people(batch),
                _ => {}
            }
            return;
        };
        let Some(job) = self.out.requests.answered(id) else {
            // Not awaited: the runtime or the worker answered twice, or a test invented it.
            tracing::debug!(%id, "dropping an answer nobody is waiting for");
            return;
        };
        // A decision or note answered (or cancelled) is no longer shown as on its way.
        let waited = self.review.pending.settle(id);
        match (job, message) {
            (Job::LoadPage, Message::Page { result, .. }) => self.page_arrived(result),
            (Job::Watch { .. }, Message::Watched { result, .. }) => {
                self.watch_answered(result);
            }
            (
                Job::FetchResult {
                    process_id,
                    refresh,
                },
                Message::Result { result, .. },
            ) => match result {
                Ok(result) => {
                    let old = refresh.then(|| self.results.peek(&process_id).cloned());
                    self.result_arrived(process_id.clone(), result.clone());
                    if let Some(old) = old {
                        self.refreshed(&process_id, old, &result);
                    }
                }
                Err(error) if refresh && self.refresh_failed(&process_id, &error.to_string()) => {}
                Err(error) => self.result_failed(process_id, &error.to_string()),
            },
            (Job::FetchDetails { validation_id, .. }, Message::Details { result, .. }) => {
                self.details_arrived(validation_id, result.map_err(|e| e.to_string()));
            }
            (
                Job::FetchImage {
                    request,
                    area,
                    view,
                },
                Message::Image { result, .. },
            ) => match result {
                Ok(image) => self.images.insert(request.key, area, view, image),
                Err(error) => {
                    let error = terminal_text(&error).into_owned();
                    self.images.failed(request.key, area, view, error)
                }
            },
            (Job::Save { request }, Message::Saved { result, .. }) => {
                self.audit_saved(&request, &result);
                self.save_answered(result)
            }
            (Job::Prefetch { process_id }, Message::Result { result, .. }) => {
                // A look-ahead that failed is simply not there; the advance fetches it again.
                if let Ok(result) = result {
                    self.result_arrived(process_id, result);
                }
            }
            (
                Job::Review(request),
                Message::Review(super::message::review::ReviewNews::Answer { result, .. }),
            ) => {
                if result.is_ok() {
                    self.audit_review(&request);
                }
                self.review_answered(request, result, waited);
            }
            (job, Message::Cancelled { .. }) => self.cancelled(job),
            (job, answer) => {
                tracing::warn!(%id, ?job, ?answer, "an answer of the wrong kind; dropped");
            }
        }
    }

    fn page_arrived(&mut self, result: Result<ListPage, ApiError>) {
        match result {
            Ok(page) => {
                self.list.push_page(page.items);
                self.loading.skipped += page.skipped;
                self.loading.loading = page.more;
                self.loading.error = None;
                if page.more {
                    self.out.ask(Job::LoadPage);
                } else {
                    self.list_reloaded();
                }
            }
            Err(error) => self.page_failed(format!("loading the list failed: {error} (r retries)")),
        }
    }

    fn page_failed(&mut self, text: String) {
        self.loading.loading = false;
        self.loading.error = Some(text.clone());
        self.out.status.error(text);
    }

    /// Keeps a result, and shows it if its process is on screen.
    fn result_arrived(&mut self, process_id: String, result: Arc<ProcessResult>) {
        // A list of bare ids (or an ids file) gives rows with nothing but the id: the result
        // fills them in, so the status filter, `n` and the sort can see them.
        self.list
            .fill_missing(&process_id, &ProcessSummary::from_result(&result));
        // Its row shows (and the filter finds) who the process is about.
        if let Some(person) = Person::of(&result) {
            self.list.set_person(&process_id, &person);
        }
        self.results.insert(process_id.clone(), result.clone());
        self.review_result(&process_id);
        if self.view.process_id() == Some(process_id.as_str()) {
            self.show_result(process_id, result);
        }
    }

    fn result_failed(&mut self, process_id: String, error: &str) {
        if self.view.process_id() == Some(process_id.as_str()) {
            let error = terminal_text(error).into_owned();
            self.out.status.error(error.clone());
            self.view = ResultView::Failed { process_id, error };
        }
    }

    fn details_arrived(
        &mut self,
        validation_id: String,
        result: Result<Arc<ValidationDetails>, String>,
    ) {
        match result {
            Ok(details) => {
                self.details
                    .insert(validation_id.clone(), DetailsState::Ready(details));
                self.rebuild_tree();
                self.open_details_failures(&validation_id);
            }
            Err(error) => {
                let error = terminal_text(&error).into_owned();
                self.out.status.error(error.clone());
                self.details
                    .insert(validation_id, DetailsState::Failed(error));
                self.rebuild_tree();
            }
        }
    }

    /// The worker gave up on a job (a newer selection won, the runtime found it superseded, or
    /// its task died). What is still wanted is asked again, once per cancelled answer: the
    /// selected process's result here, images on screen by `reconcile`.
    fn cancelled(&mut self, job: Job) {
        match job {
            Job::LoadPage => self.page_failed("loading the list stopped (r retries)".into()),
            // The next tick polls again.
            Job::Watch { .. } => {}
            Job::FetchResult {
                process_id,
                refresh,
            } => {
                if refresh {
                    self.refresh_cancelled(&process_id);
                }
                let selected = self.list.selected().and_then(|r| r.process_id.as_deref());
                if selected == Some(process_id.as_str())
                    && !self.results.contains(&process_id)
                    && !self.out.requests.asking_result(&process_id)
                {
                    self.ask_result(process_id, false);
                }
            }
            Job::FetchDetails { validation_id, .. } => {
                if let Some(DetailsState::Loading) = self.details.peek(&validation_id) {
                    self.details.remove(&validation_id);
                    self.rebuild_tree();
                    self.out
                        .status
                        .info("fetching the details stopped (enter retries)");
                }
            }
            Job::FetchImage {
                request,
                area,
                view,
            } => self.images.cancelled(&request.key, area, view),
            Job::Prefetch { .. } => {}
            Job::Review(request) => self.review_answered(request, Err("no answer".into()), false),
            Job::Save { request } => self.save_answered(Err(format!(
                "{} of process {} was not saved (the task stopped)",
                request.link.kind.label(),
                request.key.process_id
            ))),
        }
    }

    /// Shows a result for the selected process: a fresh tree, or the same tree with new data
    /// (a refresh) keeping what was open.
    pub(super) fn show_result(&mut self, process_id: String, result: Arc<ProcessResult>) {
        let nodes = self.tree_nodes(&process_id, &result);
        let tree = match std::mem::take(&mut self.view) {
            ResultView::Ready {
                process_id: old,
                mut tree,
                ..
            } if old == process_id => {
                tree.rebuild(nodes);
                tree
            }
            _ => Tree::new(nodes),
        };
        self.view = ResultView::Ready {
            process_id,
            result,
            tree,
        };
        self.refresh_known();
    }

    pub(super) fn rebuild_tree(&mut self) {
        if let ResultView::Ready {
            process_id, result, ..
        } = &self.view
        {
            let nodes = self.tree_nodes(process_id, result);
            if let ResultView::Ready { tree, .. } = &mut self.view {
                tree.rebuild(nodes);
            }
        }
    }

    /// Details just arrived for an open details node: show their failures.
    fn open_details_failures(&mut self, validation_id: &str) {
        let ResultView::Ready { tree, .. } = &mut self.view else {
            return;
        };
        let open: Vec<usize> = (0..tree.nodes().len())
            .filter(|&i| {
                tree.is_expanded(i)
                    && matches!(&tree.nodes()[i].kind,
                        NodeKind::Details { validation_id: v, .. } if v == validation_id)
            })
            .collect();
        for i in open {
            tree.open_failures_within(i);
        }
    }
}
