//! The browser's state and its transitions, with no terminal IO: every input (a key, a mouse
//! event, a worker's answer) changes the state and returns [`Command`]s for the runtime.
//!
//! # The map
//!
//! One folder per feature, each a component: a type that owns its state and has a method for
//! each key or answer it handles. A component acts beyond its own state only through the
//! [`Outbox`] it is handed (requests, commands, the status line) and the parts of other
//! components the app lends it by name, so its signatures say what it touches.
//!
//! - `list/`      [`ListPane`]: the rows, loading them page by page, the filter input, status
//!   filter and sort, `n`/`N`, the people columns, `--watch` arrivals merged in, the columns
//! - `tree/`      [`TreePane`]: the process on screen, its tree (model and builders), the
//!   results and details fetched, opening nodes, `r`'s refresh, the rows as text
//! - `preview/`   [`Preview`]: which images are on screen, encoded images by (image, area,
//!   view), zoom and pan per side, the rest before fetching while the cursor moves
//! - `compare/`   [`Compare`]: the compare view's keys and its active side
//! - `review/`    [`ReviewDesk`]: marks and events from the store, the verdict, note, undo and
//!   filter keys, the reason picker and note editor, decisions not recorded yet, the
//!   look-ahead, the lease, how the store's news lands
//! - `overlays/`  [`Overlay`]: the help and the raw JSON view (compare is drawn over the panes
//!   too; its keys are `compare/`'s)
//! - `watch/`     [`Watch`]: `--watch` polls, what is new until seen, back-off
//! - `privacy.rs`, `saving.rs`, `audit.rs`: privacy mode, what `s`/`S` report, what the access
//!   log hears
//! - `message/`   the contract with the runtime: [`Job`], [`Command`], [`Message`], the review
//!   desk's requests and news, the typed failures answers carry, one [`RequestId`] per request
//! - `layout/`    the screen's geometry, which the ui draws into, and the one-pane layout
//! - `outbox.rs`, `status.rs`, `requests.rs`, `cursor.rs`, `cache.rs`, `options.rs`: shared
//!   below every component
//!
//! The root ([`App`], this file and `update.rs`, `answers.rs`, `reconcile.rs`, `read.rs`,
//! `mouse.rs`) composes the components and routes: [`App::handle_key`] finds who has the
//! keyboard (an open input, then an open overlay), then `App::update` routes the action to its
//! component in one `match`; `App::apply` routes each answer, matched by its id to the job it
//! answers, to its component in one `match`; `App::reconcile` then derives what follows from the
//! new state in one place (the result and images to fetch, the scroll positions, what the
//! access log hears, the review lease, the look-ahead), so handlers only change state and never
//! need to remember to request anything. The ui reads the state through `read.rs`.
//!
//! A key's path, e.g. `d`: the keymap ([`crate::keymap`]) → `Action::ReviewFail` →
//! `App::update`'s match → `review/` (`ReviewDesk::handle`: checked against Truora's status,
//! then the cursor advances) → `Job::Review(ReviewRequest::Decide)` in the outbox → the
//! runtime's dispatch → the review desk's thread → the store; its answer comes back as
//! `Message::Review(ReviewNews::Answer)` → `App::apply`'s match → `ReviewDesk::answered`.
//!
//! Imports run down, never up and never in a circle: the root imports the components; below
//! it `audit`, `privacy`, `saving`, `compare/`, `watch/`; then `overlays/` → `review/` →
//! `preview/` → `layout/` → `tree/`, `list/`; then the shared files and `message/`. No
//! component imports the root.

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
