//! The mouse, for those who reach for it: the wheel scrolls the pane under the pointer, a click
//! focuses a pane and, in the list or the tree, selects the row under the pointer.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};

use super::cursor::Movement;
use super::overlays::Overlay;
use super::{App, Command, Focus, ResultView};

impl App {
    pub fn handle_mouse(&mut self, event: MouseEvent) -> Vec<Command> {
        if self.overlay != Overlay::None || self.input.is_some() {
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
                match (pane, &mut self.view) {
                    (Focus::List, _) => self.list.move_selection(movement),
                    (Focus::Tree, ResultView::Ready { tree, .. }) => tree.move_selection(movement),
                    _ => {}
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
        let inner = super::layout::inner(area);
        if !inner.contains(at) {
            return;
        }
        let row = usize::from(at.y - inner.y);
        // The cursor's row may be several rows high (its text wrapped).
        let tall = match &self.view {
            ResultView::Ready { tree, .. } => {
                let known = self.private.then(|| self.known());
                super::tree::rows::cursor_height(tree, known, inner)
            }
            _ => 1,
        };
        match (pane, &mut self.view) {
            // The list's first inner row is its header.
            (Focus::List, _) if row > 0 => {
                let target = self.list.offset() + row - 1;
                if target < self.list.visible_len() {
                    self.list.move_selection(Movement::To(target));
                }
            }
            (Focus::Tree, ResultView::Ready { tree, .. }) => {
                if let Some(target) = super::tree::rows::position_at(tree, row, tall) {
                    tree.move_selection(Movement::To(target));
                }
            }
            _ => {}
        }
    }
}
