//! Keys: who has the keyboard, then one `match` from the [`Action`] to the component that acts.
//!
//! The order of who sees a key first: Ctrl-C (always quits), an open input (the review desk's
//! reason picker or note editor, then the list's filter), Esc, then the keymap's action, which an
//! open overlay sees before the panes and passes on when it is not its own (as gitui's popups
//! do). Movement acts on the focused pane; everything else is global.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::compare::{self, Keyed};
use super::cursor::Movement;
use super::overlays::{self, Overlay, Screen};
use super::preview::zoom::Side;
use super::preview::{preview_request, result_images, side_image};
use super::review::{self, Moved, ReviewDesk};
use super::tree::{ResultView, Shown};
use super::{App, AppOptions, Command, Focus};
use crate::keymap::Action;

impl App {
    /// Handles a key; false for a key release (nothing happens, nothing follows).
    pub(super) fn key(&mut self, key: KeyEvent) -> bool {
        if key.kind == KeyEventKind::Release {
            return false;
        }
        self.out.status.info = None;
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        let armed = std::mem::take(&mut self.quit.armed);
        if ctrl_c {
            // Ctrl-C is the way out that never asks.
            self.quit.done = true;
            self.out.push(Command::Quit);
        } else if self.review.typing() {
            let around = review::Around {
                list: &mut self.list.rows,
                results: self.tree.results(),
            };
            let moved = self.review.key(key, around, &mut self.out);
            self.moved(moved);
        } else if self.list.input().is_some() {
            self.list.filter_key(key);
        } else if key.code == KeyCode::Esc {
            self.escape();
        } else if let Some(action) = self.opts.keymap.action(&key) {
            self.quit.armed = armed && action == Action::Quit;
            if !self.overlay_key(action) {
                self.update(action);
            }
        }
        true
    }

    /// An open overlay sees the key first; true when it was the overlay's.
    fn overlay_key(&mut self, action: Action) -> bool {
        match &self.overlay {
            Overlay::None => false,
            // Deciding works from the compare view too: look, decide, look, decide.
            Overlay::Compare if action.is_review() => false,
            Overlay::Compare => {
                let panes = self.panes();
                let around = compare::Around {
                    list: &mut self.list.rows,
                    preview: &mut self.preview,
                    view: self.tree.view(),
                    panes: &panes,
                };
                match self.compare.handle(action, around, &mut self.out) {
                    Keyed::Done => true,
                    Keyed::Close => {
                        self.overlay = Overlay::None;
                        true
                    }
                    Keyed::Save(request) => {
                        self.saves.ask(vec![request], &mut self.out);
                        true
                    }
                    Keyed::Pass => false,
                }
            }
            Overlay::Help { .. } | Overlay::Raw(_) => {
                let panes = self.panes();
                let screen = Screen {
                    keymap: &self.opts.keymap,
                    panes: &panes,
                    width: self.size.0,
                    private: self.privacy.is_on(),
                };
                self.overlay.handle(action, &screen, &mut self.out)
            }
        }
    }

    /// The one place an action is routed to the component that acts on it.
    fn update(&mut self, action: Action) {
        match action {
            Action::Quit => self.quit(),
            Action::Help => self.overlay = Overlay::Help { scroll: 0 },
            Action::RawJson => self.open_raw(),
            Action::Wrap => {
                let open = self.opts.keymap.hint(Action::RawJson).unwrap_or_default();
                self.out.info(format!(
                    "wrapping applies to the raw JSON view ({open} opens it)"
                ));
            }
            Action::Compare => match self.tree.view() {
                ResultView::Ready { .. } => self.overlay = Overlay::Compare,
                _ => self.out.info("compare needs a loaded process"),
            },
            // A zoomed preview with the focus: the movement keys pan it.
            Action::Up | Action::Down | Action::Left | Action::Right
                if self.focus == Focus::Preview && self.pan_preview(action) => {}
            Action::ZoomIn | Action::ZoomOut | Action::ZoomReset => self.zoom_preview(action),
            Action::Up => self.move_focused(Movement::Up),
            Action::Down => self.move_focused(Movement::Down),
            Action::PageUp => self.move_focused(Movement::PageUp),
            Action::PageDown => self.move_focused(Movement::PageDown),
            Action::Top => self.move_focused(Movement::Top),
            Action::Bottom => self.move_focused(Movement::Bottom),
            Action::Left => self.left(),
            Action::Right => self.right(false),
            Action::Toggle => self.right(true),
            Action::NextPane => self.focus = self.focus.next(),
            Action::PrevPane => self.focus = self.focus.prev(),
            Action::Filter => {
                self.focus = Focus::List;
                self.list.handle(action, &mut self.out);
            }
            Action::StatusFilter | Action::Sort | Action::NextFailed | Action::PrevFailed => {
                self.list.handle(action, &mut self.out);
            }
            Action::ExpandAll | Action::CollapseAll | Action::ExpandFailures => {
                self.tree.handle(action, &mut self.out);
            }
            Action::SaveImage => self.save(false),
            Action::SaveAllImages => self.save(true),
            Action::CopyId => self.copy_id(),
            Action::Refresh => {
                if !self.list.retry(&mut self.out)
                    && let Some(id) = self.tree.refresh(self.opts.can_refresh, &mut self.out)
                {
                    self.preview.images.forget_process(&id);
                }
            }
            Action::ReviewPass
            | Action::ReviewFail
            | Action::Escalate
            | Action::Note
            | Action::UndoDecision
            | Action::ReviewFilter => {
                let around = review::Around {
                    list: &mut self.list.rows,
                    results: self.tree.results(),
                };
                let moved = self.review.handle(action, around, &mut self.out);
                self.moved(moved);
            }
            Action::Privacy => {
                self.privacy
                    .toggle(self.tree.view(), &mut self.overlay, &mut self.out)
            }
        }
    }

    /// `q`: quits, unless saves are running or decisions are not recorded yet; then it says so
    /// once, and the next `q` quits anyway.
    fn quit(&mut self) {
        let saving = self.out.saves();
        if saving > 0 && !self.quit.armed {
            // Quitting drops saves still running (nothing half-written is left, but the files
            // would be missing): say so once.
            self.quit.armed = true;
            self.out.info(format!(
                "{saving} file(s) still saving — press q again to quit anyway"
            ));
        } else if let Some(unrecorded) = self
            .review
            .unrecorded_before_quit()
            .filter(|_| !self.quit.armed)
        {
            self.quit.armed = true;
            self.out.error(unrecorded);
        } else {
            self.quit.done = true;
            self.out.push(Command::Quit);
        }
    }

    /// Esc: closes an overlay, else clears the error, else (compact layout) goes back from the
    /// process to the list, else clears the filter.
    fn escape(&mut self) {
        if self.overlay != Overlay::None {
            self.overlay = Overlay::None;
        } else if self.review.keep_theirs(&mut self.out) {
        } else if self.out.status.error.is_some() {
            self.out.status.error = None;
        } else if self.panes().compact && self.focus != Focus::List {
            self.focus = Focus::List;
        } else {
            self.list.clear_filter();
        }
    }

    /// Moves in the focused pane. A page is one screen of that pane less one row of context:
    /// `reconcile` gives each cursor its pane's height after every input, before the next key.
    fn move_focused(&mut self, movement: Movement) {
        match self.focus {
            Focus::List => self.list.rows.move_selection(movement),
            Focus::Tree => self.tree.move_selection(movement),
            // In the preview, movement steps through the process's images.
            Focus::Preview => self.tree.step_image(movement.is_forward()),
        }
    }

    fn left(&mut self) {
        match self.focus {
            Focus::Tree => {
                if self.tree.left() {
                    self.focus = Focus::List;
                }
            }
            Focus::Preview => self.focus = Focus::Tree,
            Focus::List => {}
        }
    }

    /// `l` / right and Enter: in the list, go to the tree; in the tree, open (or step in).
    fn right(&mut self, toggle: bool) {
        if !matches!(self.tree.view(), ResultView::Ready { .. }) {
            if self.focus == Focus::List {
                self.focus = Focus::Tree;
            }
            return;
        }
        if self.focus != Focus::Tree {
            self.focus = Focus::Tree;
            return;
        }
        self.tree
            .open(toggle, shown(&self.review, &self.opts), &mut self.out);
    }

    /// Zoom keys outside compare: the preview's image, which then takes the focus so the
    /// movement keys pan it.
    fn zoom_preview(&mut self, action: Action) {
        let panes = self.panes();
        let image = side_image(self.tree.view(), &panes, Side::Preview);
        if image.is_some() {
            self.focus = Focus::Preview;
        }
        self.preview
            .zoom(Side::Preview, action, image, &mut self.out);
    }

    fn pan_preview(&mut self, action: Action) -> bool {
        let panes = self.panes();
        let image = side_image(self.tree.view(), &panes, Side::Preview).map(|(r, _)| r);
        self.preview.pan(Side::Preview, action, image)
    }

    /// `v`: the raw JSON of the node under the tree cursor, or of the whole result from the list.
    fn open_raw(&mut self) {
        let whole = self.focus == Focus::List;
        match overlays::raw::open(self.tree.view(), self.tree.details(), whole) {
            Ok(mut view) => {
                view.set_private(self.privacy.is_on().then(|| self.known()));
                self.overlay = Overlay::Raw(view);
            }
            Err(why) => self.out.info(why),
        }
    }

    /// `s` (what the preview shows, from whichever pane: what is seen is what is saved) and `S`
    /// (every image and file of the process).
    fn save(&mut self, all: bool) {
        let ResultView::Ready { tree, .. } = self.tree.view() else {
            self.out.info("nothing to save: the result is not loaded");
            return;
        };
        let requests: Vec<_> = if all {
            result_images(tree).cloned().collect()
        } else {
            preview_request(tree).cloned().into_iter().collect()
        };
        if requests.is_empty() {
            self.out.info("this process has no images");
            return;
        }
        self.saves.ask(requests, &mut self.out);
    }

    /// `y`: the validation id when the tree cursor is in a validation, else the process id.
    fn copy_id(&mut self) {
        let validation = match self.focus {
            Focus::Tree => self.tree.cursor_validation(),
            _ => None,
        };
        match validation.or_else(|| self.list.selected_id()) {
            Some(id) => {
                self.out.info(format!("copied {id}"));
                self.out.push(Command::Copy(id));
            }
            None => self.out.info("nothing to copy"),
        }
    }

    /// The review desk moved the cursor on by itself: its images need not wait for a rest.
    fn moved(&mut self, moved: Moved) {
        if moved == Moved::Advanced {
            self.preview.rest.at_once();
        }
    }
}

/// How the tree is built: with the review desk's history and marks, in the user's zone.
pub(super) fn shown<'a>(review: &'a ReviewDesk, opts: &'a AppOptions) -> Shown<'a> {
    Shown {
        reviews: review,
        zone: &opts.time_zone,
    }
}
