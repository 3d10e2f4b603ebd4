//! What each [`Action`] does. Movement acts on the focused pane; everything else is global.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::cursor::{Movement, page_rows};
use super::overlays::{Overlay, RawView};
use super::preview::zoom::Side;
use super::preview::{preview_request, result_images};
use super::tree::build::DetailsState;
use super::tree::{NodeKind, RawSource};
use super::{App, Command, Focus, ResultView};
use crate::keymap::Action;

impl App {
    pub(super) fn act(&mut self, action: Action) {
        match action {
            Action::Quit if self.saves_running() > 0 && !self.quit_armed => {
                // Quitting drops saves still running (nothing half-written is left, but the
                // files would be missing): say so once.
                self.quit_armed = true;
                self.out.status.info(format!(
                    "{} file(s) still saving — press q again to quit anyway",
                    self.saves_running()
                ));
            }
            Action::Quit if !self.quit_armed && self.unrecorded_before_quit().is_some() => {
                self.quit_armed = true;
                self.out
                    .status
                    .error(self.unrecorded_before_quit().unwrap_or_default());
            }
            Action::Quit => {
                self.quit = true;
                self.out.push(Command::Quit);
            }
            Action::Help => self.overlay = Overlay::Help { scroll: 0 },
            // A zoomed preview with the focus: the movement keys pan it.
            Action::Up | Action::Down | Action::Left | Action::Right
                if self.focus == Focus::Preview && self.pan(Side::Preview, action) => {}
            Action::ZoomIn | Action::ZoomOut | Action::ZoomReset => self.zoom_preview(action),
            Action::Up => self.move_selection(Movement::Up),
            Action::Down => self.move_selection(Movement::Down),
            Action::PageUp => self.move_selection(Movement::PageUp),
            Action::PageDown => self.move_selection(Movement::PageDown),
            Action::Top => self.move_selection(Movement::Top),
            Action::Bottom => self.move_selection(Movement::Bottom),
            Action::Left => self.left(),
            Action::Right => self.right(false),
            Action::Toggle => self.right(true),
            Action::NextPane => self.focus = self.focus.next(),
            Action::PrevPane => self.focus = self.focus.prev(),
            Action::Filter => {
                self.focus = Focus::List;
                self.input = Some(self.list.filter().to_owned());
            }
            Action::StatusFilter => self.list.cycle_status_filter(),
            Action::Sort => self.list.toggle_sort(),
            Action::NextFailed | Action::PrevFailed => {
                self.jump_failed(action == Action::NextFailed);
            }
            Action::ExpandAll | Action::CollapseAll | Action::ExpandFailures => {
                if let ResultView::Ready { tree, .. } = &mut self.view {
                    match action {
                        Action::ExpandAll => tree.expand_all(),
                        Action::CollapseAll => tree.collapse_all(),
                        _ => {
                            if !tree.expand_failures() {
                                self.out.status.info("nothing failed in this process");
                            }
                        }
                    }
                }
            }
            Action::RawJson => self.open_raw(),
            Action::Wrap => {
                let open = self.opts.keymap.hint(Action::RawJson).unwrap_or_default();
                self.out.status.info(format!(
                    "wrapping applies to the raw JSON view ({open} opens it)"
                ));
            }
            Action::Compare => match &self.view {
                ResultView::Ready { .. } => self.overlay = Overlay::Compare,
                _ => self.out.status.info("compare needs a loaded process"),
            },
            Action::SaveImage => self.save(false),
            Action::SaveAllImages => self.save(true),
            Action::CopyId => self.copy_id(),
            Action::Refresh => self.refresh(),
            Action::ReviewPass
            | Action::ReviewFail
            | Action::Escalate
            | Action::Note
            | Action::UndoDecision
            | Action::ReviewFilter => self.review_action(action),
            Action::Privacy => self.toggle_privacy(),
        }
    }

    /// Keys while the help or the raw view is open: scrolling, the key that opened it (which
    /// closes it, as Esc does), and the keys that mean the same everywhere — quit quits, as the
    /// help says, and privacy mode toggles (the raw view re-masked at once).
    pub(super) fn overlay_action(&mut self, action: Action) {
        let raw_rows = self.panes().raw_rows();
        let closes = match &self.overlay {
            Overlay::Help { .. } => action == Action::Help,
            Overlay::Raw(_) => action == Action::RawJson,
            Overlay::Compare => action == Action::Compare,
            Overlay::None => false,
        };
        if closes {
            self.overlay = Overlay::None;
            return;
        }
        if matches!(action, Action::Quit | Action::Privacy) {
            self.act(action);
            return;
        }
        if matches!(self.overlay, Overlay::Raw(_)) {
            self.raw_action(action);
            return;
        }
        let Some(movement) = overlay_movement(action) else {
            return;
        };
        if let Overlay::Help { scroll } = &mut self.overlay {
            // The help's box is two rows shorter than the body (see `ui::help`); its
            // scroll stops where the last line is at the bottom.
            let rows = raw_rows.saturating_sub(2);
            let max =
                super::overlays::help_len(&self.opts.keymap, self.size.0).saturating_sub(rows);
            *scroll = movement.step(*scroll, page_rows(rows), max);
        }
    }

    /// The filter input: typing edits the filter live, Enter keeps it, Esc clears it.
    pub(super) fn edit_filter(&mut self, key: KeyEvent) {
        let Some(text) = &mut self.input else { return };
        match key.code {
            KeyCode::Enter => self.input = None,
            KeyCode::Esc => {
                self.input = None;
                self.list.set_filter("");
            }
            // The list stays navigable while typing, as in fzf.
            KeyCode::Up => self.list.move_selection(Movement::Up),
            KeyCode::Down => self.list.move_selection(Movement::Down),
            KeyCode::Backspace => {
                text.pop();
                let text = text.clone();
                self.list.set_filter(&text);
            }
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                text.push(c);
                let text = text.clone();
                self.list.set_filter(&text);
            }
            _ => {}
        }
    }

    /// Esc: closes an overlay, else clears the error, else (compact layout) goes back from the
    /// process to the list, else clears the filter.
    pub(super) fn escape(&mut self) {
        if self.overlay != Overlay::None {
            self.overlay = Overlay::None;
        } else if self.out.status.error.is_some() {
            self.out.status.error = None;
        } else if !self.back_to_list() && !self.list.filter().is_empty() {
            self.list.set_filter("");
        }
    }

    /// Moves in the focused pane. A page is one screen of that pane less one row of context:
    /// `reconcile` gives each cursor its pane's height after every input, before the next key.
    fn move_selection(&mut self, movement: Movement) {
        match (self.focus, &mut self.view) {
            (Focus::List, _) => self.list.move_selection(movement),
            (Focus::Tree, ResultView::Ready { tree, .. }) => tree.move_selection(movement),
            // In the preview, movement steps through the process's images.
            (Focus::Preview, ResultView::Ready { tree, .. }) => {
                let forward = movement.is_forward();
                tree.jump_to(forward, |n| matches!(n.kind, NodeKind::Image(_)));
            }
            _ => {}
        }
    }

    fn left(&mut self) {
        match (self.focus, &mut self.view) {
            (Focus::Tree, ResultView::Ready { tree, .. }) => {
                let at_root = tree.cursor_node().is_some_and(|n| n.parent.is_none())
                    && !tree.cursor_index().is_some_and(|i| tree.is_expanded(i));
                if at_root {
                    self.focus = Focus::List;
                } else {
                    tree.left();
                }
            }
            (Focus::Tree, _) => self.focus = Focus::List,
            (Focus::Preview, _) => self.focus = Focus::Tree,
            _ => {}
        }
    }

    /// `l` / right and Enter: in the list, go to the tree; in the tree, open (or step in);
    /// opening a details node fetches the details once.
    fn right(&mut self, toggle: bool) {
        let ResultView::Ready {
            process_id, tree, ..
        } = &mut self.view
        else {
            if self.focus == Focus::List {
                self.focus = Focus::Tree;
            }
            return;
        };
        if self.focus != Focus::Tree {
            self.focus = Focus::Tree;
            return;
        }
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
            let job = super::Job::FetchDetails {
                process_id: process_id.clone(),
                validation_id: validation_id.clone(),
            };
            self.out.ask(job);
            self.details
                .insert(validation_id.clone(), DetailsState::Loading);
            self.rebuild_tree();
        }
    }

    /// `n`/`N` move between failed processes from any pane, so a reviewer can read one tree
    /// and go straight on to the next failure.
    fn jump_failed(&mut self, forward: bool) {
        if !self.list.jump_failed(forward) {
            self.out.status.info("no failed process in the list");
        }
    }

    /// `v`: the raw JSON of the node under the tree cursor, or of the whole result from the list.
    fn open_raw(&mut self) {
        let ResultView::Ready {
            result,
            tree,
            process_id,
        } = &self.view
        else {
            self.out.status.info("the result is not loaded yet");
            return;
        };
        let node = (self.focus != Focus::List)
            .then(|| tree.cursor_node())
            .flatten();
        let Some(raw) = node.map_or(Some((RawSource::Result, String::new())), |n| {
            n.raw
                .as_ref()
                .map(|r| (r.source.clone(), r.pointer.clone()))
        }) else {
            self.out.status.info("this row has no JSON of its own");
            return;
        };
        let view = match &raw.0 {
            RawSource::Result => {
                let title = format!("{} {}", crate::sanitize::terminal_text(process_id), raw.1);
                RawView::new(title, &result.raw, &raw.1)
            }
            RawSource::Details(id) => match self.details.peek(id) {
                Some(DetailsState::Ready(d)) => {
                    let title = format!(
                        "validation {} {}",
                        crate::sanitize::terminal_text(id),
                        raw.1
                    );
                    RawView::new(title, &d.raw, &raw.1)
                }
                _ => {
                    self.out
                        .status
                        .info("the details are not loaded yet (enter fetches them)");
                    return;
                }
            },
        };
        let mut view = view;
        view.set_private(self.private().then(|| self.known()));
        self.overlay = Overlay::Raw(view);
    }

    fn save(&mut self, all: bool) {
        let ResultView::Ready { tree, .. } = &self.view else {
            self.out
                .status
                .info("nothing to save: the result is not loaded");
            return;
        };
        let requests: Vec<_> = if all {
            result_images(tree).cloned().collect()
        } else {
            // What the preview shows, from whichever pane: what is seen is what is saved.
            preview_request(tree).cloned().into_iter().collect()
        };
        if requests.is_empty() {
            self.out.status.info("this process has no images");
            return;
        }
        self.save_requests(requests);
    }

    pub(super) fn save_requests(&mut self, requests: Vec<crate::images::ImageRequest>) {
        self.saves_asked(requests.len());
        for request in requests {
            self.out.ask(super::Job::Save { request });
        }
    }

    /// `y`: the validation id when the tree cursor is in a validation, else the process id.
    fn copy_id(&mut self) {
        let validation = match (&self.view, self.focus) {
            (ResultView::Ready { tree, .. }, Focus::Tree) => {
                tree.cursor_node().and_then(|n| n.validation_id.clone())
            }
            _ => None,
        };
        let id = validation.or_else(|| self.list.selected().and_then(|r| r.process_id.clone()));
        match id {
            Some(id) => {
                self.out.status.info(format!("copied {id}"));
                self.out.push(Command::Copy(id));
            }
            None => self.out.status.info("nothing to copy"),
        }
    }

    /// `r`: retries the list when its last page failed, else reloads the selected process.
    fn refresh(&mut self) {
        if self.loading.error.take().is_some() {
            self.loading.loading = true;
            self.loading.retried = true;
            self.out.status.error = None;
            self.out.status.info("loading the list again…");
            self.out.ask(super::Job::LoadPage);
            return;
        }
        let Some(id) = self.view.process_id().map(str::to_owned) else {
            return;
        };
        if let ResultView::Failed { .. } = self.view {
            // A failed fetch is retried whether or not the source can refresh; a request still
            // on its way (a refresh asked before) will do.
            self.view = ResultView::Loading {
                process_id: id.clone(),
            };
            if !self.out.requests.asking_result(&id) {
                self.ask_result(id, false);
            }
            return;
        }
        if !self.opts.can_refresh {
            self.out
                .status
                .info("refresh is not available offline (this is an archive)");
            return;
        }
        // Everything shown of the process is fetched anew: the result, then its images (the
        // worker drops the bytes it holds for the process on a refresh).
        self.images.forget_process(&id);
        self.out.status.info(format!(
            "refreshing {}…",
            crate::sanitize::terminal_text(&id)
        ));
        self.ask_result(id, true);
    }
}

/// How a key moves the help or the raw view (overlays that scroll), if it does.
pub(super) fn overlay_movement(action: Action) -> Option<Movement> {
    Some(match action {
        Action::Up => Movement::Up,
        Action::Down => Movement::Down,
        Action::PageUp => Movement::PageUp,
        Action::PageDown => Movement::PageDown,
        Action::Top => Movement::Top,
        Action::Bottom => Movement::Bottom,
        _ => return None,
    })
}
