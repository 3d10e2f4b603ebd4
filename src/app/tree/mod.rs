//! The validation tree as a pure model: nodes in pre-order with stable string ids, an expanded set
//! kept by id, and the visible rows derived from both. Rebuilding the nodes (details arrived, the
//! process was refreshed) keeps what was expanded and where the cursor was, because both are ids.
//!
//! The builders that turn a process result into nodes live beside it ([`build`] and the private
//! modules it calls); they depend on this model, never the other way round.

pub mod build;
mod builder;
mod face;
pub mod pane;
mod process;
mod refresh;
mod review;
pub mod rows;
mod validation;

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::cursor::{Cursor, Movement};
use crate::images::ImageRequest;

pub use pane::{ResultView, Reviews, Shown, TreePane};

/// How a piece of a label should look; the ui maps tones to colours (or none under NO_COLOR).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Plain,
    Good,
    Bad,
    Warn,
    Dim,
    Strong,
}

/// A piece of a node's label. Text is already sanitised for the terminal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub tone: Tone,
}

/// Which raw JSON a node points into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawSource {
    Result,
    /// The Validations API body for this validation id.
    Details(String),
}

/// Where a node's data lives, so the raw view can show it with fields the model does not know.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRef {
    pub source: RawSource,
    /// A JSON pointer (RFC 6901) into the source.
    pub pointer: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A heading or field with nothing special to do.
    Plain,
    Validation,
    Check,
    Image(ImageRequest),
    /// The face-recognition heading of a validation: the preview shows the face beside it.
    Face,
    /// The Validations API details of a validation: expanding it fetches them once.
    Details {
        validation_id: String,
        loaded: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// A path such as `v0/groups/1/3`: stable across rebuilds of the same result.
    pub id: String,
    pub parent: Option<usize>,
    pub depth: usize,
    /// One past the last node of this node's subtree (nodes are in pre-order).
    pub end: usize,
    pub parts: Vec<Part>,
    pub kind: NodeKind,
    /// A failed check or validation; "expand to failures" opens the path to each.
    pub failing: bool,
    pub raw: Option<RawRef>,
    /// The id of the validation this node is or is inside, for "copy id".
    pub validation_id: Option<String>,
}

impl Node {
    pub fn has_children(&self, index: usize) -> bool {
        self.end > index + 1
    }
}

#[derive(Clone, Debug, Default)]
pub struct Tree {
    nodes: Vec<Node>,
    by_id: HashMap<String, usize>,
    expanded: HashSet<String>,
    visible: Vec<usize>,
    /// Position in `visible`.
    cursor: Cursor,
    /// Privacy mode's labels, one slot per node, masked when a node is first drawn: the same
    /// rows are drawn frame after frame. Emptied whenever the nodes change. A memo of the
    /// drawing (the masked form of `parts`), not part of the model's state.
    masked: Vec<OnceLock<Vec<String>>>,
}

/// An empty memo slot per node.
fn memo_for(nodes: &[Node]) -> Vec<OnceLock<Vec<String>>> {
    nodes.iter().map(|_| OnceLock::new()).collect()
}

impl Tree {
    /// A tree over pre-ordered nodes, opened at its failures (or its first node when none fail).
    pub fn new(nodes: Vec<Node>) -> Tree {
        let by_id = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        let mut tree = Tree {
            masked: memo_for(&nodes),
            nodes,
            by_id,
            ..Tree::default()
        };
        if !tree.expand_failures() {
            if let Some(first) = tree.nodes.first().filter(|_| tree.node_has_children(0)) {
                tree.expanded.insert(first.id.clone());
            }
            tree.refresh_visible(None);
        }
        tree
    }

    /// Replaces the nodes (same process, more data) keeping the expanded set and the cursor.
    pub fn rebuild(&mut self, nodes: Vec<Node>) {
        let at = self.cursor_node().map(|n| n.id.clone());
        self.by_id = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        self.masked = memo_for(&nodes);
        self.nodes = nodes;
        self.expanded.retain(|id| self.by_id.contains_key(id));
        let target = at.and_then(|id| self.by_id.get(&id).copied());
        self.refresh_visible(target);
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Node `index`'s label parts as privacy mode draws them: `mask` runs once per node until
    /// the nodes change (the masking depends only on the node and its process, which a
    /// rebuild is the only way to change).
    pub fn masked_parts(
        &self,
        index: usize,
        mask: impl FnOnce(&Node) -> Vec<String>,
    ) -> Vec<String> {
        let Some(node) = self.nodes.get(index) else {
            return Vec::new();
        };
        match self.masked.get(index) {
            Some(slot) => slot.get_or_init(|| mask(node)).clone(),
            None => mask(node),
        }
    }

    pub fn visible(&self) -> &[usize] {
        &self.visible
    }

    pub fn cursor(&self) -> usize {
        self.cursor.selected()
    }

    pub fn offset(&self) -> usize {
        self.cursor.offset()
    }

    pub fn is_expanded(&self, index: usize) -> bool {
        self.nodes
            .get(index)
            .is_some_and(|n| self.expanded.contains(&n.id))
    }

    pub fn cursor_index(&self) -> Option<usize> {
        self.visible.get(self.cursor.selected()).copied()
    }

    pub fn cursor_node(&self) -> Option<&Node> {
        self.cursor_index().and_then(|i| self.nodes.get(i))
    }

    pub fn node_has_children(&self, index: usize) -> bool {
        self.nodes.get(index).is_some_and(|n| n.has_children(index))
    }

    /// Moves the cursor; a page is the height last given to [`Tree::scroll_into_view`].
    pub fn move_selection(&mut self, movement: Movement) {
        self.cursor.move_by(movement, self.visible.len());
    }

    /// Expands or collapses the node under the cursor. Returns the node index when it was opened.
    pub fn toggle(&mut self) -> Option<usize> {
        let index = self.cursor_index()?;
        if self.is_expanded(index) {
            self.set_expanded(index, false);
            None
        } else if self.node_has_children(index) {
            self.set_expanded(index, true);
            Some(index)
        } else {
            None
        }
    }

    /// `l`: opens a closed node, or steps into an open one. Returns the node index when opened.
    pub fn right(&mut self) -> Option<usize> {
        let index = self.cursor_index()?;
        if !self.node_has_children(index) {
            return None;
        }
        if self.is_expanded(index) {
            self.move_selection(Movement::Down);
            None
        } else {
            self.set_expanded(index, true);
            Some(index)
        }
    }

    /// `h`: closes an open node, or steps out to the parent.
    pub fn left(&mut self) {
        let Some(index) = self.cursor_index() else {
            return;
        };
        if self.is_expanded(index) {
            self.set_expanded(index, false);
        } else if let Some(parent) = self.nodes[index].parent {
            self.refresh_visible(Some(parent));
        }
    }

    /// Expands every node, except details that were never fetched (that would fetch them all).
    pub fn expand_all(&mut self) {
        let at = self.cursor_index();
        for (i, n) in self.nodes.iter().enumerate() {
            let unloaded = matches!(n.kind, NodeKind::Details { loaded: false, .. });
            if n.has_children(i) && !unloaded {
                self.expanded.insert(n.id.clone());
            }
        }
        self.refresh_visible(at);
    }

    pub fn collapse_all(&mut self) {
        let mut at = self.cursor_index();
        while let Some(parent) = at.and_then(|i| self.nodes[i].parent) {
            at = Some(parent);
        }
        self.expanded.clear();
        self.refresh_visible(at);
    }

    /// Opens exactly the paths to every failing node (and failing validations themselves), and
    /// puts the cursor on the first failing check, else the first failing node. False when
    /// nothing fails.
    pub fn expand_failures(&mut self) -> bool {
        let failing: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.nodes[i].failing)
            .collect();
        if failing.is_empty() {
            return false;
        }
        self.expanded.clear();
        for &i in &failing {
            if self.node_has_children(i) {
                self.expanded.insert(self.nodes[i].id.clone());
            }
            let mut up = self.nodes[i].parent;
            while let Some(p) = up {
                self.expanded.insert(self.nodes[p].id.clone());
                up = self.nodes[p].parent;
            }
        }
        let first_check = failing
            .iter()
            .copied()
            .find(|&i| matches!(self.nodes[i].kind, NodeKind::Check));
        self.refresh_visible(first_check.or(failing.first().copied()));
        true
    }

    /// Opens the paths to the failures inside one subtree (details that just arrived) without
    /// moving the cursor.
    pub fn open_failures_within(&mut self, index: usize) {
        let Some(end) = self.nodes.get(index).map(|n| n.end) else {
            return;
        };
        let at = self.cursor_index();
        for i in index + 1..end {
            if !self.nodes[i].failing {
                continue;
            }
            let mut up = self.nodes[i].parent;
            while let Some(p) = up.filter(|&p| p >= index) {
                self.expanded.insert(self.nodes[p].id.clone());
                up = self.nodes[p].parent;
            }
        }
        self.refresh_visible(at);
    }

    /// Moves to the next node (in tree order, wrapping) matching `pick`, opening its ancestors.
    pub fn jump_to(&mut self, forward: bool, pick: impl Fn(&Node) -> bool) -> bool {
        let n = self.nodes.len();
        let from = self.cursor_index().unwrap_or(0);
        let found = (1..=n)
            .map(|step| {
                if forward {
                    (from + step) % n
                } else {
                    (from + n * 2 - step) % n
                }
            })
            .find(|&i| pick(&self.nodes[i]));
        let Some(target) = found else { return false };
        let mut up = self.nodes[target].parent;
        while let Some(p) = up {
            self.expanded.insert(self.nodes[p].id.clone());
            up = self.nodes[p].parent;
        }
        self.refresh_visible(Some(target));
        true
    }

    /// Scrolls as little as possible so the cursor is inside a window of `height` rows, with
    /// its parent too when both fit: a row means little without the node it belongs to, and a
    /// resize that shrinks the pane must not leave the cursor on the top line, orphaned.
    pub fn scroll_into_view(&mut self, height: usize) {
        self.scroll_tall_into_view(height, 1);
    }

    /// [`Tree::scroll_into_view`] with the cursor's row `tall` rows high (its text wrapped): the
    /// parent is revealed only when it fits with the whole of that row.
    pub fn scroll_tall_into_view(&mut self, height: usize, tall: usize) {
        self.cursor
            .scroll_tall_into_view(height, self.visible.len(), tall);
        let parent = self.cursor_node().and_then(|n| n.parent);
        if let Some(row) = parent.and_then(|p| self.visible.binary_search(&p).ok()) {
            self.cursor.reveal_above(row);
        }
    }

    fn set_expanded(&mut self, index: usize, open: bool) {
        let id = self.nodes[index].id.clone();
        if open {
            self.expanded.insert(id);
        } else {
            self.expanded.remove(&id);
        }
        self.refresh_visible(Some(index));
    }

    /// Recomputes the visible rows and puts the cursor on `target`, or on its nearest visible
    /// ancestor when it is hidden, or keeps the row position when there is no target.
    fn refresh_visible(&mut self, target: Option<usize>) {
        self.visible.clear();
        let mut i = 0;
        while i < self.nodes.len() {
            self.visible.push(i);
            let node = &self.nodes[i];
            i = if self.expanded.contains(&node.id) {
                i + 1
            } else {
                node.end.max(i + 1)
            };
        }
        let mut target = target;
        while let Some(t) = target {
            if let Ok(pos) = self.visible.binary_search(&t) {
                self.cursor.select(pos, self.visible.len());
                return;
            }
            target = self.nodes.get(t).and_then(|n| n.parent);
        }
        self.cursor.clamp(self.visible.len());
    }
}
