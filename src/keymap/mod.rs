//! Keys are data: every user intent is an [`Action`] with a config name and a description, and a
//! [`Keymap`] maps key presses to actions. The help overlay and the footer hints are generated from
//! the keymap, so what the screen says is always what the keys do.
//!
//! Below `config` (which reads `[keys]` into a keymap) and `app` (which turns keys into actions):
//! it knows only crossterm's key events.

use std::collections::{BTreeMap, HashMap};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

mod action;
mod key;

pub use action::Action;
pub use key::Key;

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
