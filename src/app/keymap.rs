//! Keys are data: every user intent is an [`Action`] with a config name and a description, and a
//! [`Keymap`] maps key presses to actions. The help overlay and the footer hints are generated from
//! the keymap, so what the screen says is always what the keys do.

use std::collections::{BTreeMap, HashMap};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

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

            fn default_keys(self) -> &'static [&'static str] {
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
    Sort => "sort", ["o"], "sort by creation date: newest or oldest first";
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

/// A key press, normalised so the same physical key always compares equal: terminals disagree on
/// whether `G` carries SHIFT and on how shift-tab is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
            other => other,
        };
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key { code, mods }
    }

    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// Parses the config spelling: `q`, `G`, `?`, `ctrl-c`, `alt-x`, `shift-tab`, `pgdn`, `enter`,
    /// `space`, `F5`. Names are case-insensitive; a single character is taken as written.
    pub fn parse(text: &str) -> Result<Key, String> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = text.trim();
        loop {
            let lower = rest.to_ascii_lowercase();
            let prefix = ["ctrl-", "control-", "alt-", "shift-"]
                .into_iter()
                .find(|p| lower.starts_with(p) && rest.len() > p.len());
            let Some(p) = prefix else { break };
            mods |= match p {
                "alt-" => KeyModifiers::ALT,
                "shift-" => KeyModifiers::SHIFT,
                _ => KeyModifiers::CONTROL,
            };
            rest = &rest[p.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(format!("empty key in {text:?}")),
            (Some(c), None) if mods.contains(KeyModifiers::SHIFT) => {
                KeyCode::Char(c.to_ascii_uppercase())
            }
            (Some(c), None) => KeyCode::Char(c),
            _ => named(&rest.to_ascii_lowercase()).ok_or_else(|| {
                format!("unknown key {text:?} (try e.g. \"q\", \"ctrl-d\", \"pgdn\", \"F5\")")
            })?,
        };
        Ok(Key::new(code, mods))
    }

    /// The config spelling, so what the help shows can be copied into the config.
    pub fn display(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out.push_str("ctrl-");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out.push_str("alt-");
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out.push_str("shift-");
        }
        match self.code {
            KeyCode::Char(' ') => out.push_str("space"),
            KeyCode::Char(c) => out.push(c),
            KeyCode::F(n) => out.push_str(&format!("F{n}")),
            code => out.push_str(
                NAMES
                    .iter()
                    .find(|(_, k)| *k == code)
                    .map_or("?", |(n, _)| n),
            ),
        }
        out
    }
}

/// Named keys; the first spelling of each is the one displayed.
const NAMES: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("shift-tab", KeyCode::BackTab),
    ("backtab", KeyCode::BackTab),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
];

fn named(lower: &str) -> Option<KeyCode> {
    if let Some(n) = lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
        return (1..=24).contains(&n).then_some(KeyCode::F(n));
    }
    NAMES.iter().find(|(n, _)| *n == lower).map(|(_, k)| *k)
}

/// Which action each key triggers, and which keys each action has (in order, for the help).
#[derive(Clone, Debug)]
pub struct Keymap {
    by_key: HashMap<Key, Action>,
    by_action: BTreeMap<Action, Vec<Key>>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        Keymap::from_config(&BTreeMap::new()).0
    }
}

impl Keymap {
    /// The defaults overridden per action by the config's `[keys]` table (action name → key
    /// strings). An action given in the config loses its default keys. Unknown actions,
    /// unparsable keys and keys claimed twice are returned as problems (see [`KeyProblem`]); the
    /// keymap is usable regardless.
    pub fn from_config(config: &BTreeMap<String, Vec<String>>) -> (Keymap, Vec<KeyProblem>) {
        let mut problems = Vec::new();
        let mut configured: BTreeMap<Action, Vec<Key>> = BTreeMap::new();
        for (name, keys) in config {
            let Some(action) = Action::from_name(name) else {
                problems.push(KeyProblem::mistake(&[name], unknown_action(name)));
                continue;
            };
            let parsed = keys.iter().filter_map(|k| match Key::parse(k) {
                Ok(key) => Some(key),
                Err(e) => {
                    problems.push(KeyProblem::mistake(&[name], format!("{name}: {e}")));
                    None
                }
            });
            configured.insert(action, parsed.collect());
        }

        let mut map = Keymap {
            by_key: HashMap::new(),
            by_action: BTreeMap::new(),
        };
        // Configured keys are claimed first so they win over defaults.
        for (&action, keys) in &configured {
            for &key in keys {
                map.claim(key, action, true, &mut problems);
            }
        }
        for &action in Action::ALL {
            if configured.contains_key(&action) {
                continue;
            }
            for key in action.default_keys() {
                if let Ok(key) = Key::parse(key) {
                    map.claim(key, action, false, &mut problems);
                }
            }
        }
        let ctrl_c = Key::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
        if let Some(&other) = map.by_key.get(&ctrl_c).filter(|a| **a != Action::Quit) {
            problems.push(KeyProblem::mistake(
                &[other.name()],
                format!(
                    "{}: ctrl-c always quits; it cannot be bound to another action",
                    other.name()
                ),
            ));
            map.by_key.remove(&ctrl_c);
            map.by_action
                .entry(other)
                .or_default()
                .retain(|k| *k != ctrl_c);
        }
        if let std::collections::hash_map::Entry::Vacant(slot) = map.by_key.entry(ctrl_c) {
            slot.insert(Action::Quit);
            map.by_action.entry(Action::Quit).or_default().push(ctrl_c);
        }
        (map, problems)
    }

    /// Binds `key` to `action` unless another action already has it (then the conflict is
    /// reported; the first claim wins, and configured keys are claimed before defaults).
    fn claim(
        &mut self,
        key: Key,
        action: Action,
        configured: bool,
        problems: &mut Vec<KeyProblem>,
    ) {
        match self.by_key.get(&key) {
            Some(&owner) if owner == action => {}
            Some(&owner) if configured => problems.push(KeyProblem::mistake(
                &[owner.name(), action.name()],
                format!(
                    "key \"{}\" is bound to both {} and {}; give it to one of them",
                    key.display(),
                    owner.name(),
                    action.name(),
                ),
            )),
            // A default taken over by a configured key: what the user asked for, worth a word.
            Some(&owner) => problems.push(KeyProblem {
                entries: vec![owner.name().to_owned()],
                mistake: false,
                text: format!(
                    "key \"{}\" is now {} and no longer {} (its default)",
                    key.display(),
                    owner.name(),
                    action.name()
                ),
            }),
            None => {
                self.by_key.insert(key, action);
                self.by_action.entry(action).or_default().push(key);
            }
        }
    }

    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        self.by_key.get(&Key::from_event(event)).copied()
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        self.by_action.get(&action).map_or(&[], Vec::as_slice)
    }

    /// The keys of an action as the help shows them: `k, up`; `(unbound)` when none.
    pub fn keys_text(&self, action: Action) -> String {
        let keys = self.keys(action);
        if keys.is_empty() {
            return "(unbound)".into();
        }
        keys.iter().map(Key::display).collect::<Vec<_>>().join(", ")
    }

    /// The first key of an action, for short footer hints.
    pub fn hint(&self, action: Action) -> Option<String> {
        self.keys(action).first().map(Key::display)
    }
}

/// Something in the config's `[keys]` table worth telling, with the entries (action names as
/// written) it concerns, so the config can point at their lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyProblem {
    pub entries: Vec<String>,
    /// A mistake (an unknown action or key, a key given to two actions) stops start-up like
    /// every other config mistake; the rest (a default key now doing something else) is news.
    pub mistake: bool,
    pub text: String,
}

impl KeyProblem {
    fn mistake(entries: &[&str], text: String) -> KeyProblem {
        KeyProblem {
            entries: entries.iter().map(|e| (*e).to_owned()).collect(),
            mistake: true,
            text,
        }
    }
}

impl std::fmt::Display for KeyProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[keys] {}", self.text)
    }
}

/// `"jump" is not an action`, with the nearest action name when one is close, and the list.
fn unknown_action(name: &str) -> String {
    let known: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
    let nearest = known
        .iter()
        .map(|k| (edit_distance(&name.to_ascii_lowercase(), k), *k))
        .min()
        .filter(|(d, k)| *d <= (k.len() / 3).max(1));
    let hint = nearest.map_or(String::new(), |(_, k)| format!(" (did you mean {k}?)"));
    format!(
        "{name:?} is not an action{hint}; known actions: {}",
        known.join(", ")
    )
}

/// Levenshtein distance over chars: how many edits turn `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}
