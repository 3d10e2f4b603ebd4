//! Every user intent, with the name the config's `[keys]` table uses, its default keys and the
//! help's line for it: one list, everything else generated from it.

macro_rules! actions {
    ($($variant:ident => $name:literal, [$($key:literal),*], $desc:literal;)*) => {
        /// Something the user can ask for. The snake_case name is what the config's `[keys]` uses.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action { $($variant),* }

        impl Action {
            /// Every action, in the order the help lists them.
            pub const ALL: &'static [Action] = &[$(Action::$variant),*];

            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name),* }
            }

            /// One line for the help overlay.
            pub fn description(self) -> &'static str {
                match self { $(Action::$variant => $desc),* }
            }

            pub(super) fn default_keys(self) -> &'static [&'static str] {
                match self { $(Action::$variant => &[$($key),*]),* }
            }
        }
    };
}

actions! {
    Quit => "quit", ["q", "ctrl-c"], "quit, from any view (esc closes a view; ctrl-c always quits)";
    Help => "help", ["?"], "show or hide this help";
    Up => "up", ["k", "up"], "move up";
    Down => "down", ["j", "down"], "move down";
    Left => "left", ["h", "left"], "tree: collapse or go to parent";
    Right => "right", ["l", "right"], "tree: expand or go to first child; list: open the tree";
    Top => "top", ["g", "home"], "go to the first row";
    Bottom => "bottom", ["G", "end"], "go to the last row";
    PageUp => "page_up", ["pgup", "ctrl-u"], "move up one page";
    PageDown => "page_down", ["pgdn", "ctrl-d"], "move down one page";
    NextPane => "next_pane", ["tab"], "focus the next pane";
    PrevPane => "prev_pane", ["shift-tab"], "focus the previous pane";
    Filter => "filter", ["/"], "filter the list (enter keeps, esc clears)";
    StatusFilter => "status_filter", ["f"], "cycle status filter: all, failure, pending, success";
    Sort => "sort", ["o"], "sort: newest first, oldest first (age), by reason";
    NextFailed => "next_failed", ["n"], "jump to the next failed process";
    PrevFailed => "prev_failed", ["N"], "jump to the previous failed process";
    Toggle => "toggle", ["enter", "space"], "expand or collapse the tree node";
    ExpandAll => "expand_all", ["e"], "expand the whole tree";
    CollapseAll => "collapse_all", ["E"], "collapse the whole tree";
    ExpandFailures => "expand_failures", ["x"], "expand the path to every failure";
    RawJson => "raw_json", ["v"], "show the raw JSON of the selected node";
    Wrap => "wrap", ["w"], "raw JSON: wrap long lines, or cut them and scroll sideways (h/l)";
    Compare => "compare", ["c"], "compare document photo and selfie (j/k, n/N: next process)";
    ZoomIn => "zoom_in", ["+", "="], "zoom in (compare: on the active side, tab switches); then hjkl pan";
    ZoomOut => "zoom_out", ["-"], "zoom out (down to the whole image)";
    ZoomReset => "zoom_reset", ["0"], "back to the starting view (a document's portrait in compare)";
    SaveImage => "save_image", ["s"], "save the selected image";
    SaveAllImages => "save_all_images", ["S"], "save every image and file of the process";
    CopyId => "copy_id", ["y"], "copy the process (or validation) id";
    Refresh => "refresh", ["r"], "reload the process (or retry the list)";
    ReviewPass => "review_pass", ["a"], "review: verdict pass (an override asks for a reason)";
    ReviewFail => "review_fail", ["d"], "review: verdict fail (an override asks for a reason)";
    Escalate => "escalate", ["!"], "review: escalate the process to a senior reviewer";
    Note => "note", ["i"], "review: add a note to the process";
    UndoDecision => "undo_decision", ["u"], "review: undo my last decision and go back to it";
    ReviewFilter => "review_filter", ["F"], "review filter: all, unreviewed, reviewed, escalated, overrides to apply";
    Privacy => "privacy", ["P"], "privacy mode: mask personal data and signed links, hide photos (shared screens)";
}

impl Action {
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }
}

impl Action {
    /// The review desk's actions, which also work inside the compare view.
    pub fn is_review(self) -> bool {
        matches!(
            self,
            Action::ReviewPass
                | Action::ReviewFail
                | Action::Escalate
                | Action::Note
                | Action::UndoDecision
                | Action::ReviewFilter
        )
    }
}
