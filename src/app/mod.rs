//! The browser's state and its transitions, with no terminal IO: every input (a key, a mouse
//! event, a worker's answer) changes the state and returns [`Command`]s for the runtime.
//!
//! # The map
//!
//! One folder per feature, each a component: a type owning its state, with methods for the
//! keys and answers it handles. They act beyond their own state only through the [`Outbox`]
//! they are handed (requests, commands, the status line) and the parts of other components the
//! app lends them by name, so a method's signature says what it touches.
//!
//! - `list/`      the process list ([`ListPane`](list::ListPane)): rows, loading page by page,
//!   the filter input, status filter, sort, the people columns, `--watch` arrivals merged in
//!   (`arrivals.rs`), the list's columns (`columns.rs`)
//! - `tree/`      the process on screen ([`TreePane`](tree::TreePane)): the result, its tree
//!   model and builders, the results and details fetched, `r`'s refresh, the rows as text
//! - `preview/`   images on screen ([`Preview`](preview::Preview)): what the preview and compare
//!   show, encoded images by (image, area, view), zoom and pan per side, the rest before fetching
//! - `compare/`   the compare view's keys and its active side
//! - `review/`    the review desk's browser side: marks and events, the verdict, note and undo
//!   keys, the reason picker and note editor, decisions not recorded yet, the look-ahead
//! - `overlays/`  the help and the raw JSON view, and what covers the panes
//! - `watch/`     `--watch`: polls, what is new until seen, back-off
//! - `message/`   the contract with the runtime: [`Job`], [`Command`], [`Message`], the review
//!   desk's requests and news, one [`RequestId`] per request
//! - `layout/`    the screen's geometry (the ui draws into it), and the compact layout
//! - `privacy.rs`, `saving.rs`, `audit.rs`: privacy mode, what `s`/`S` report, what the access
//!   log hears; `outbox.rs`, `status.rs`, `requests.rs`, `cursor.rs`, `cache.rs`: shared below
//!   every component
//!
//! `App` composes the components and routes: keys in `update.rs` ([`App::handle_key`] finds who
//! has the keyboard, then one `match` from [`Action`](crate::keymap::Action) to the component that acts), answers in
//! `answers.rs` (one `match` from the answered [`Job`] to its component), and `reconcile.rs`
//! derives what follows from the new state in one place (which result and images to fetch, what
//! to scroll into view, the review lease, the look-ahead), so handlers only change state and
//! never need to remember to request anything. The ui reads the state through `read.rs`.
//!
//! A key's path, e.g. `d`: the [`Keymap`](crate::keymap::Keymap) → `Action::ReviewFail` →
//! `App::update`'s match → `review/` (`ReviewDesk::handle`: checked against Truora's status,
//! the cursor advances) → `Outbox::ask(Job::Review(ReviewRequest::Decide))` → the runtime's
//! dispatch → the review desk's thread → the store; the answer comes back as
//! `Message::Review(ReviewNews::Answer)` → `answers.rs` → `ReviewDesk::answered`.
//!
//! Imports run down: components import `message/`, `layout/`, the shared files and each other
//! in one direction only (`review/` and `compare/` lend from `list/`, `tree/`, `preview/`;
//! `overlays/` from `tree/` and `review/`), never the app's root.

pub mod audit;
pub mod cache;
pub mod compare;
pub mod cursor;
pub mod layout;
pub mod list;
pub mod message;
pub mod options;
pub mod outbox;
pub mod overlays;
pub mod preview;
pub mod privacy;
pub mod requests;
pub mod review;
pub mod saving;
pub mod status;
pub mod tree;
pub mod watch;

mod answers;
mod mouse;
mod read;
mod reconcile;
mod update;

pub use list::Loading;
pub use message::review::{ReviewNews, ReviewRequest};
pub use message::{
    Command, ImageFailure, Job, ListPage, Message, NotRecorded, ReadOnly, Request, RequestId,
    SaveFailure,
};
pub use options::AppOptions;
pub use preview::rest::ImageBudget;
pub use tree::ResultView;

use crossterm::event::KeyEvent;

use audit::Audited;
use compare::Compare;
use list::ListPane;
use outbox::Outbox;
use overlays::Overlay;
use preview::Preview;
use privacy::Privacy;
use review::ReviewDesk;
use saving::Saves;
use tree::TreePane;
use watch::Watch;

/// Which pane the movement keys act on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Focus {
    #[default]
    List,
    Tree,
    Preview,
}

impl Focus {
    fn next(self) -> Focus {
        match self {
            Focus::List => Focus::Tree,
            Focus::Tree => Focus::Preview,
            Focus::Preview => Focus::List,
        }
    }

    fn prev(self) -> Focus {
        self.next().next()
    }
}

/// Leaving: asked, or asked once while something would be lost.
#[derive(Debug, Default)]
struct Quit {
    done: bool,
    /// `q` was pressed once while saves or decisions were outstanding; the next `q` quits.
    armed: bool,
}

pub struct App {
    opts: AppOptions,
    /// The terminal's size, as the runtime last reported it.
    size: (u16, u16),
    focus: Focus,
    list: ListPane,
    tree: TreePane,
    preview: Preview,
    compare: Compare,
    overlay: Overlay,
    review: ReviewDesk,
    watch: Watch,
    privacy: Privacy,
    saves: Saves,
    /// What the access log has been told this session.
    audited: Audited,
    /// Requests awaiting answers, this input's commands, the status line.
    out: Outbox,
    quit: Quit,
}

impl App {
    pub fn new(opts: AppOptions) -> App {
        App {
            opts,
            // Until the runtime reports the real size with `Message::Resize`.
            size: (80, 24),
            focus: Focus::List,
            list: ListPane::default(),
            tree: TreePane::default(),
            preview: Preview::default(),
            compare: Compare::default(),
            overlay: Overlay::None,
            review: ReviewDesk::default(),
            watch: Watch::default(),
            privacy: Privacy::default(),
            saves: Saves::default(),
            audited: Audited::default(),
            out: Outbox::default(),
            quit: Quit::default(),
        }
    }

    /// The first command: load the first page.
    pub fn start(&mut self) -> Vec<Command> {
        self.list.start(&mut self.out);
        self.out.status.in_flight = self.out.requests.len();
        self.out.take()
    }

    /// Shows a start-up problem (a keymap conflict, a config warning) in the status bar, where
    /// a TUI user will see it; several are joined.
    pub fn report_problem(&mut self, problem: impl Into<String>) {
        let problem = problem.into();
        let text = match self.out.status.error.take() {
            Some(earlier) => format!("{earlier}; {problem}"),
            None => problem,
        };
        self.out.error(text);
    }

    /// Starts in privacy mode (`--private`, `private = true`).
    pub fn set_private(&mut self, on: bool) {
        self.privacy.set(on, self.tree.view(), &mut self.overlay);
    }

    pub fn should_quit(&self) -> bool {
        self.quit.done
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if self.key(key) {
            self.reconcile();
        }
        self.out.take()
    }

    pub fn handle_message(&mut self, message: Message) -> Vec<Command> {
        self.apply(message);
        self.reconcile();
        self.out.take()
    }
}
