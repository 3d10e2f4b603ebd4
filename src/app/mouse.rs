//! The mouse, for those who reach for it: the wheel scrolls the pane under the pointer, a click
//! focuses a pane and, in the list or the tree, selects the row under the pointer.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::cursor::Movement;
use super::layout::inner;
use super::overlays::Overlay;
use super::tree::{ResultView, rows};
use super::{App, Command, Focus};

impl App {
    pub fn handle_mouse(&mut self, event: MouseEvent) -> Vec<Command> {
        if self.overlay != Overlay::None || self.list.input().is_some() {
            return Vec::new();
        }
        let panes = self.panes();
        let at = Position::new(event.column, event.row);
        let pane = [
            (panes.list, Focus::List),
            (panes.tree, Focus::Tree),
            (panes.preview, Focus::Preview),
        ]
        .into_iter()
        .find(|(area, _)| area.contains(at));
        let Some((area, pane)) = pane else {
            return Vec::new();
        };
        match event.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let movement = if event.kind == MouseEventKind::ScrollDown {
                    Movement::ScrollDown
                } else {
                    Movement::ScrollUp
                };
                match pane {
                    Focus::List => self.list.rows.move_selection(movement),
                    Focus::Tree => self.tree.move_selection(movement),
                    Focus::Preview => {}
                }
            }
            MouseEventKind::Down(MouseButton::Left) => {
                self.focus = pane;
                self.click(pane, area, at);
            }
            _ => return Vec::new(),
        }
        self.reconcile();
        self.out.take()
    }

    /// Selects the row under a click, from the same offsets the ui draws with.
    fn click(&mut self, pane: Focus, area: Rect, at: Position) {
        let inner = inner(area);
        if !inner.contains(at) {
            return;
        }
        let row = usize::from(at.y - inner.y);
        // The cursor's row may be several rows high (its text wrapped).
        let target = match self.tree.view() {
            ResultView::Ready { tree, .. } => {
                let known = self.privacy.is_on().then(|| self.known());
                let tall = rows::cursor_height(tree, known, inner);
                rows::position_at(tree, row, tall)
            }
            _ => None,
        };
        match pane {
            // The list's first inner row is its header.
            Focus::List if row > 0 => {
                let list = &mut self.list.rows;
                let target = list.offset() + row - 1;
                if target < list.visible_len() {
                    list.move_selection(Movement::To(target));
                }
            }
            Focus::Tree => {
                if let Some(target) = target {
                    self.tree.move_selection(Movement::To(target));
                }
            }
            _ => {}
        }
    }
}
