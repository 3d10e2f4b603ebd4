//! The tree pane as a component: the process on screen ([`ResultView`]) and what has been fetched
//! to show it (results and validation details, kept in small caches so going back is instant).
//! Its keys: `l`/`enter` open a node (fetching a validation's details once), `h` closes it, `e`,
//! `E`, `x`, and the movement keys while it has the focus.

use std::sync::Arc;

use super::build::{DetailsState, build_with_review};
use super::{Node, NodeKind, Tree};
use crate::api::ApiError;
use crate::api::model::{ProcessResult, ValidationDetails};
use crate::app::cache::Lru;
use crate::app::cursor::Movement;
use crate::app::message::Job;
use crate::app::outbox::Outbox;
use crate::date::zone::DisplayZone;
use crate::keymap::Action;
use crate::review::{HistoryLine, Mark};
use crate::sanitize::terminal_text;

/// What the tree pane shows for the selected process.
#[derive(Debug, Default)]
pub enum ResultView {
    /// Nothing is selected (the list is empty).
    #[default]
    Empty,
    /// The selected row has no process id, so there is nothing to fetch.
    NoId,
    Loading {
        process_id: String,
    },
    Failed {
        process_id: String,
        error: String,
    },
    Ready {
        process_id: String,
        result: Arc<ProcessResult>,
        tree: Tree,
    },
}

impl ResultView {
    pub fn process_id(&self) -> Option<&str> {
        match self {
            ResultView::Empty | ResultView::NoId => None,
            ResultView::Loading { process_id }
            | ResultView::Failed { process_id, .. }
            | ResultView::Ready { process_id, .. } => Some(process_id),
        }
    }
}

/// What the tree shows of a process's review: its decision history and its mark. The review
/// desk answers; the tree needs to know nothing else of it.
pub trait Reviews {
    fn history(&self, process_id: &str) -> Vec<HistoryLine>;
    fn mark(&self, process_id: &str) -> Option<&Mark>;
}

/// How a tree is built: the review it shows and the zone its times are in.
#[derive(Clone, Copy)]
pub struct Shown<'a> {
    pub reviews: &'a dyn Reviews,
    pub zone: &'a DisplayZone,
}

#[derive(Debug)]
pub struct TreePane {
    view: ResultView,
    results: Lru<String, Arc<ProcessResult>>,
    details: Lru<String, DetailsState>,
}

impl Default for TreePane {
    fn default() -> Self {
        TreePane {
            view: ResultView::Empty,
            results: Lru::new(256),
            details: Lru::new(256),
        }
    }
}

impl TreePane {
    pub fn view(&self) -> &ResultView {
        &self.view
    }

    /// The tree on screen, if a result is.
    pub fn tree_mut(&mut self) -> Option<&mut Tree> {
        match &mut self.view {
            ResultView::Ready { tree, .. } => Some(tree),
            _ => None,
        }
    }

    /// The results fetched so far (a few hundred, least recently used dropped).
    pub fn results(&self) -> &Lru<String, Arc<ProcessResult>> {
        &self.results
    }

    pub fn result(&self, process_id: &str) -> Option<&Arc<ProcessResult>> {
        self.results.peek(&process_id.to_owned())
    }

    /// The validation details fetched so far.
    pub fn details(&self) -> &Lru<String, DetailsState> {
        &self.details
    }

    /// Keeps the view on the list's `selected` row (`None`: no row, `Some(None)`: a row without
    /// an id), fetching the result when it is not cached. True when a cached result was shown.
    pub fn follow(
        &mut self,
        selected: Option<Option<&str>>,
        shown: Shown,
        out: &mut Outbox,
    ) -> bool {
        if selected.flatten() == self.view.process_id() && selected.flatten().is_some() {
            return false;
        }
        let id = match selected {
            None => {
                self.view = ResultView::Empty;
                return false;
            }
            Some(None) => {
                self.view = ResultView::NoId;
                return false;
            }
            Some(Some(id)) => id.to_owned(),
        };
        if let Some(result) = self.results.peek(&id).cloned() {
            self.results.touch(&id);
            self.view = ResultView::Empty;
            self.show(id, result, shown);
            true
        } else {
            if !out.asking_result(&id) {
                ask(id.clone(), false, out);
            }
            self.view = ResultView::Loading { process_id: id };
            false
        }
    }

    /// Keeps a result that arrived. Its process may not be on screen.
    pub fn keep(&mut self, process_id: String, result: Arc<ProcessResult>) {
        self.results.insert(process_id, result);
    }

    /// Drops a cached result that is stale (`--watch` saw its status change).
    pub fn forget(&mut self, process_id: &str) {
        self.results.remove(&process_id.to_owned());
    }

    /// Shows a result for the selected process: a fresh tree, or the same tree with new data
    /// (a refresh) keeping what was open.
    pub fn show(&mut self, process_id: String, result: Arc<ProcessResult>, shown: Shown) {
        let nodes = self.nodes(&process_id, &result, shown);
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

    /// Builds the tree on screen again (details arrived, the process's review changed),
    /// keeping what was open.
    pub fn rebuild(&mut self, shown: Shown) {
        if let ResultView::Ready {
            process_id, result, ..
        } = &self.view
        {
            let nodes = self.nodes(process_id, result, shown);
            if let ResultView::Ready { tree, .. } = &mut self.view {
                tree.rebuild(nodes);
            }
        }
    }

    /// The tree's nodes for a result, with the process's decision history when it has one.
    fn nodes(&self, process_id: &str, result: &ProcessResult, shown: Shown) -> Vec<Node> {
        let history = shown.reviews.history(process_id);
        let mark = shown.reviews.mark(process_id);
        build_with_review(
            process_id,
            result,
            &self.details,
            (&history, mark),
            shown.zone,
        )
    }

    /// The tree's own keys: expand everything, collapse everything, open every failure.
    pub fn handle(&mut self, action: Action, out: &mut Outbox) {
        let Some(tree) = self.tree_mut() else { return };
        match action {
            Action::ExpandAll => tree.expand_all(),
            Action::CollapseAll => tree.collapse_all(),
            Action::ExpandFailures => expand_failures(tree, out),
            _ => {}
        }
    }

    /// Moves the tree's cursor.
    pub fn move_selection(&mut self, movement: Movement) {
        if let Some(tree) = self.tree_mut() {
            tree.move_selection(movement);
        }
    }

    /// Steps the cursor to the process's next (or previous) image: movement in the preview.
    pub fn step_image(&mut self, forward: bool) {
        if let Some(tree) = self.tree_mut() {
            tree.jump_to(forward, |n| matches!(n.kind, NodeKind::Image(_)));
        }
    }

    /// `h`: closes the node under the cursor or goes to its parent. True when there is nothing
    /// to close (no tree, or the cursor on a closed root): the focus goes back to the list.
    pub fn left(&mut self) -> bool {
        let Some(tree) = self.tree_mut() else {
            return true;
        };
        let at_root = tree.cursor_node().is_some_and(|n| n.parent.is_none())
            && !tree.cursor_index().is_some_and(|i| tree.is_expanded(i));
        if !at_root {
            tree.left();
        }
        at_root
    }

    /// `l` / right (or Enter, `toggle`) in the tree: opens (or steps in); opening a details node
    /// fetches the details once.
    pub fn open(&mut self, toggle: bool, shown: Shown, out: &mut Outbox) {
        let ResultView::Ready {
            process_id, tree, ..
        } = &mut self.view
        else {
            return;
        };
        let opened = if toggle { tree.toggle() } else { tree.right() };
        let Some(index) = opened else { return };
        let NodeKind::Details {
            validation_id,
            loaded: false,
        } = &tree.nodes()[index].kind
        else {
            return;
        };
        let fetch = match self.details.peek(validation_id) {
            None | Some(DetailsState::Failed(_)) => true,
            Some(_) => false,
        };
        if fetch {
            out.ask(Job::FetchDetails {
                process_id: process_id.clone(),
                validation_id: validation_id.clone(),
            });
            self.details
                .insert(validation_id.clone(), DetailsState::Loading);
            self.rebuild(shown);
        }
    }

    /// The validation under the tree's cursor, if any (what `y` copies from the tree).
    pub fn cursor_validation(&self) -> Option<String> {
        match &self.view {
            ResultView::Ready { tree, .. } => {
                tree.cursor_node().and_then(|n| n.validation_id.clone())
            }
            _ => None,
        }
    }

    /// A result could not be fetched: the pane says why, if its process is on screen.
    pub fn result_failed(&mut self, process_id: String, error: &str, out: &mut Outbox) {
        if self.view.process_id() == Some(process_id.as_str()) {
            let error = terminal_text(error).into_owned();
            out.error(error.clone());
            self.view = ResultView::Failed { process_id, error };
        }
    }

    /// The worker gave up a result (a newer selection won, or its task died): asked again when
    /// its process is still the one `selected` and nothing else is on its way.
    pub fn result_cancelled(
        &mut self,
        process_id: String,
        refresh: bool,
        selected: Option<&str>,
        out: &mut Outbox,
    ) {
        if refresh {
            self.refresh_cancelled(&process_id, out);
        }
        if selected == Some(process_id.as_str())
            && !self.results.contains(&process_id)
            && !out.asking_result(&process_id)
        {
            ask(process_id, false, out);
        }
    }

    /// Details arrived (or failed) for a validation: the tree shows them, their failures open.
    pub fn details_arrived(
        &mut self,
        validation_id: String,
        result: Result<Arc<ValidationDetails>, ApiError>,
        shown: Shown,
        out: &mut Outbox,
    ) {
        match result {
            Ok(details) => {
                self.details
                    .insert(validation_id.clone(), DetailsState::Ready(details));
                self.rebuild(shown);
                self.open_details_failures(&validation_id);
            }
            Err(error) => {
                let error = terminal_text(&error.to_string()).into_owned();
                out.error(error.clone());
                self.details
                    .insert(validation_id, DetailsState::Failed(error));
                self.rebuild(shown);
            }
        }
    }

    /// The details fetch was given up: the node can be opened again to retry.
    pub fn details_cancelled(&mut self, validation_id: &str, shown: Shown, out: &mut Outbox) {
        if let Some(DetailsState::Loading) = self.details.peek(&validation_id.to_owned()) {
            self.details.remove(&validation_id.to_owned());
            self.rebuild(shown);
            out.info("fetching the details stopped (enter retries)");
        }
    }

    /// Details just arrived for an open details node: show their failures.
    fn open_details_failures(&mut self, validation_id: &str) {
        let Some(tree) = self.tree_mut() else { return };
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

    /// `r` on the process: a failed fetch is tried again; a shown result is fetched anew (when
    /// the source can refresh). Returns the process whose images must be fetched anew too.
    pub fn refresh(&mut self, can_refresh: bool, out: &mut Outbox) -> Option<String> {
        let id = self.view.process_id()?.to_owned();
        if let ResultView::Failed { .. } = self.view {
            // A failed fetch is retried whether or not the source can refresh; a request still
            // on its way (a refresh asked before) will do.
            self.view = ResultView::Loading {
                process_id: id.clone(),
            };
            if !out.asking_result(&id) {
                ask(id, false, out);
            }
            return None;
        }
        if !can_refresh {
            out.info("refresh is not available offline (this is an archive)");
            return None;
        }
        // Everything shown of the process is fetched anew: the result, then its images (the
        // worker drops the bytes it holds for the process on a refresh).
        out.info(format!("refreshing {}…", terminal_text(&id)));
        ask(id.clone(), true, out);
        Some(id)
    }
}

/// `x`: opens the path to every failure, or says there is none.
fn expand_failures(tree: &mut Tree, out: &mut Outbox) {
    if !tree.expand_failures() {
        out.info("nothing failed in this process");
    }
}

/// Asks the worker for a result, on the user's behalf (a selection, `r`).
fn ask(process_id: String, refresh: bool, out: &mut Outbox) {
    out.ask(Job::FetchResult {
        process_id,
        refresh,
    });
}
