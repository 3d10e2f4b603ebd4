//! Applying the worker's messages: each result lands in its cache and is shown only if it is
//! for what is on screen now.

use std::sync::Arc;

use super::tree::{NodeKind, Tree};
use super::tree_build::DetailsState;
use super::{App, Command, Message, ResultView};
use crate::api::model::{ProcessResult, ProcessSummary};
use crate::sanitize::terminal_text;

/// Re-asks for a result the worker dropped before the app gives up and says so.
const MAX_REASKS: u8 = 3;

impl App {
    pub(super) fn apply(&mut self, message: Message, commands: &mut Vec<Command>) {
        match message {
            Message::Page {
                items,
                more,
                skipped,
            } => {
                self.list.push_page(items);
                self.loading.skipped += skipped;
                self.loading.loading = more;
                self.loading.error = None;
                if more {
                    commands.push(Command::LoadPage);
                }
            }
            Message::PageFailed { error } => {
                let text = format!("loading the list failed: {error} (r retries)");
                self.loading.loading = false;
                self.loading.error = Some(text.clone());
                self.status.error(text);
            }
            Message::Result { process_id, result } => {
                if self.result_pending.as_deref() == Some(process_id.as_str()) {
                    self.result_pending = None;
                    self.result_reasked = 0;
                }
                // A list of bare ids (or an ids file) gives rows with nothing but the id: the
                // result fills them in, so the status filter, `n` and the sort can see them.
                self.list
                    .fill_missing(&process_id, &ProcessSummary::from_result(&result));
                self.results.insert(process_id.clone(), result.clone());
                self.review_result(&process_id);
                if self.view.process_id() == Some(process_id.as_str()) {
                    self.show_result(process_id, result);
                }
            }
            Message::ResultFailed { process_id, error } => {
                if self.result_pending.as_deref() == Some(process_id.as_str()) {
                    self.result_pending = None;
                    self.result_reasked = 0;
                }
                if self.view.process_id() == Some(process_id.as_str()) {
                    let error = terminal_text(&error.to_string()).into_owned();
                    self.status.error(error.clone());
                    self.view = ResultView::Failed { process_id, error };
                }
            }
            Message::Details {
                validation_id,
                details,
            } => {
                self.details
                    .insert(validation_id.clone(), DetailsState::Ready(details));
                self.rebuild_tree();
                self.open_details_failures(&validation_id);
            }
            Message::DetailsFailed {
                validation_id,
                error,
            } => {
                let error = terminal_text(&error.to_string()).into_owned();
                self.status.error(error.clone());
                self.details
                    .insert(validation_id, DetailsState::Failed(error));
                self.rebuild_tree();
            }
            Message::Image { key, area, image } => self.images.insert(key, area, image),
            Message::ImageFailed { key, error } => {
                self.images.failed(key, terminal_text(&error).into_owned())
            }
            Message::Saved { path } => {
                self.saves_outstanding = self.saves_outstanding.saturating_sub(1);
                let more = match self.saves_outstanding {
                    0 => String::new(),
                    n => format!(" · {n} more saving"),
                };
                self.status.info(format!(
                    "saved {}{more}",
                    terminal_text(&path.to_string_lossy())
                ));
            }
            Message::SaveFailed { error } => {
                self.saves_outstanding = self.saves_outstanding.saturating_sub(1);
                self.status.error(format!("save failed: {error}"));
            }
            Message::Busy { in_flight } => {
                self.status.in_flight = in_flight;
                if in_flight == 0 {
                    self.images.nothing_in_flight();
                    self.result_backstop(commands);
                }
            }
            Message::Review(news) => self.apply_review(news),
            Message::Resize { width, height } => self.size = (width, height),
        }
    }

    /// The worker is idle, yet the result last asked for never came: its fetch was dropped (a
    /// race in the worker). Asks again for the selected process if its result is still not
    /// cached. A few fruitless re-asks in a row mean something is wrong: the tree says so
    /// (`r` retries) rather than loading forever or asking in a loop.
    fn result_backstop(&mut self, commands: &mut Vec<Command>) {
        if self.result_pending.take().is_none() {
            return;
        }
        let Some(id) = self.list.selected().and_then(|r| r.process_id.clone()) else {
            return;
        };
        if self.results.contains(&id) {
            return;
        }
        if self.result_reasked >= MAX_REASKS {
            let error = format!("no answer after {} requests", MAX_REASKS + 1);
            self.status.error(error.clone());
            if self.view.process_id() == Some(id.as_str()) {
                self.view = ResultView::Failed {
                    process_id: id,
                    error,
                };
            }
            return;
        }
        self.result_reasked += 1;
        self.result_pending = Some(id.clone());
        commands.push(Command::FetchResult {
            process_id: id,
            refresh: false,
        });
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
