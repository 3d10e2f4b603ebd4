//! The browser's state and its transitions, with no terminal IO: every input (a key, a worker
//! message) changes the state and returns [`Command`]s for the runtime to carry out.
//!
//! After each input, `App::reconcile` derives what follows from the new state in one place:
//! which process result to fetch, which images to fetch, what to scroll into view. Handlers only
//! change state; they never need to remember to request anything.

mod actions;
mod apply;
mod audit;
pub mod cache;
pub mod compare;
pub mod cursor;
pub mod layout;
pub mod list;
pub mod message;
mod mouse;
pub mod outbox;
pub mod overlays;
pub mod preview;
mod privacy;
mod read;
mod refresh;
pub mod requests;
pub mod review;
mod saving;
pub mod status;
pub mod tree;
pub mod watch;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;

use crate::keymap::{Action, Keymap};
pub use message::{Command, Job, ListPage, Message, Request, RequestId};
pub use preview::rest::ImageBudget;

use crate::api::model::ProcessResult;
use crate::images::{CellSize, ImageRequest};
use cache::Lru;
use list::ProcessList;
use outbox::Outbox;
use overlays::Overlay;
use preview::Images;
use preview::zoom::{Side, Zooms};
use tree::Tree;
use tree::build::DetailsState;

/// How the runtime configures the app.
#[derive(Clone, Debug)]
pub struct AppOptions {
    pub keymap: Keymap,
    /// The image protocol's name for the status bar: `halfblocks`, `kitty`, `off`, ...
    pub image_protocol: String,
    pub images_enabled: bool,
    /// False when browsing an offline archive: there is nothing to refresh from.
    pub can_refresh: bool,
    /// Where the data comes from, for the status bar: `demo`, `live`, `archive DIR`.
    pub source_label: String,
    /// False under NO_COLOR: no foreground colours, symbols and bold/reverse only.
    pub color: bool,
    /// The access log is on: the app returns `Command::Audit`s for what it shows and does.
    pub audit: bool,
    /// Review desk: fetch the next unreviewed process (result and images) while the reviewer
    /// looks at this one. Off only to measure what it saves.
    pub prefetch: bool,
    /// `--watch`: read the newest processes again this often; `None`: the list is read once.
    pub watch: Option<std::time::Duration>,
    /// The zone times are shown in, resolved at start-up (the app never reads the environment);
    /// UTC by default, as Truora sends them.
    pub time_zone: crate::date::zone::DisplayZone,
    /// `watch_bell`: ring the terminal's bell when a poll finds a new failure.
    pub watch_bell: bool,
    /// How images spend the link's bytes: the rest, the size cap, the palette.
    pub image_budget: ImageBudget,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            keymap: Keymap::default(),
            image_protocol: "halfblocks".into(),
            images_enabled: true,
            can_refresh: true,
            source_label: "demo".into(),
            color: true,
            audit: false,
            prefetch: true,
            watch: None,
            time_zone: crate::date::zone::DisplayZone::utc(),
            watch_bell: false,
            image_budget: ImageBudget::default(),
        }
    }
}

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

/// The state of the list's background loading.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Loading {
    pub loading: bool,
    pub error: Option<String>,
    /// List entries that were not processes.
    pub skipped: usize,
    /// `r` retried the list after an error: say so when it has loaded.
    pub retried: bool,
}

/// What the tree pane shows for the selected process.
#[derive(Debug, Default)]
pub enum ResultView {
    /// Nothing is selected (the list is empty).
    #[default]
    Empty,
    /// The selected row has no process id, so there is nothing to fetch.
    NoId,
    Loading {
        process_id: String,
    },
    Failed {
        process_id: String,
        error: String,
    },
    Ready {
        process_id: String,
        result: Arc<ProcessResult>,
        tree: Tree,
    },
}

impl ResultView {
    pub fn process_id(&self) -> Option<&str> {
        match self {
            ResultView::Empty | ResultView::NoId => None,
            ResultView::Loading { process_id }
            | ResultView::Failed { process_id, .. }
            | ResultView::Ready { process_id, .. } => Some(process_id),
        }
    }
}

pub struct App {
    opts: AppOptions,
    size: (u16, u16),
    focus: Focus,
    list: ProcessList,
    loading: Loading,
    results: Lru<String, Arc<ProcessResult>>,
    /// The saves asked since none was on its way, summed up when the last is answered.
    save_run: saving::SaveRun,
    details: Lru<String, DetailsState>,
    view: ResultView,
    /// Requests awaiting answers, this input's commands, the status line.
    out: Outbox,
    images: Images,
    overlay: Overlay,
    /// The filter being typed, while the filter input is open.
    input: Option<String>,
    quit: bool,
    /// Privacy mode: the ui masks what it draws (see `privacy/`); a visual aid, not access control.
    private: bool,
    /// In privacy mode, the personal values of the results shown (see `privacy::Known`) by
    /// process id, found once per result rather than on every frame or every visit.
    knowns: Lru<String, privacy::ShownKnown>,
    /// `q` was pressed once while saves were outstanding; the next `q` quits anyway.
    quit_armed: bool,
    /// What the access log has been told this session.
    audited: audit::Audited,
    review: review::ReviewDesk,
    /// The region chosen per image side (zoom and pan).
    zooms: Zooms,
    /// The side of compare the zoom and movement keys act on.
    compare_side: Side,
    watch: watch::Watch,
    rest: preview::rest::Rest,
}

impl App {
    pub fn new(opts: AppOptions) -> App {
        App {
            opts,
            // Until the runtime reports the real size with `Message::Resize`.
            size: (80, 24),
            focus: Focus::List,
            list: ProcessList::default(),
            loading: Loading::default(),
            results: Lru::new(256),
            save_run: saving::SaveRun::default(),
            details: Lru::new(256),
            view: ResultView::Empty,
            out: Outbox::default(),
            images: Images::default(),
            overlay: Overlay::None,
            input: None,
            quit: false,
            private: false,
            knowns: Lru::new(256),
            quit_armed: false,
            audited: audit::Audited::default(),
            review: review::ReviewDesk::default(),
            zooms: Zooms::default(),
            compare_side: Side::Document,
            watch: watch::Watch::default(),
            rest: preview::rest::Rest::default(),
        }
    }

    /// The first command: load the first page.
    pub fn start(&mut self) -> Vec<Command> {
        self.loading.loading = true;
        self.out.ask(Job::LoadPage);
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
        self.out.status.error(text);
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn handle_key(&mut self, key: KeyEvent) -> Vec<Command> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        self.out.status.info = None;
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        let armed = std::mem::take(&mut self.quit_armed);
        if ctrl_c {
            // Ctrl-C is the way out that never asks.
            self.quit = true;
            self.out.push(Command::Quit);
        } else if self.review.input != review::ReviewInput::None {
            self.review_key(key);
        } else if self.input.is_some() {
            self.edit_filter(key);
        } else if key.code == KeyCode::Esc {
            self.escape();
        } else if let Some(action) = self.opts.keymap.action(&key) {
            self.quit_armed = armed && action == Action::Quit;
            // Deciding works from the compare view too: look, decide, look, decide.
            let reviewing = action.is_review() && self.overlay == Overlay::Compare;
            if self.overlay == Overlay::None || reviewing {
                self.act(action);
            } else if self.overlay == Overlay::Compare {
                self.compare_action(action);
            } else {
                self.overlay_action(action);
            }
        }
        self.reconcile();
        self.out.take()
    }

    pub fn handle_message(&mut self, message: Message) -> Vec<Command> {
        self.apply(message);
        self.reconcile();
        self.out.take()
    }

    /// Derives what follows from the state: the selected process's result, the images on
    /// screen once the selection has rested (`budget`), and the scroll positions in view.
    fn reconcile(&mut self) {
        self.follow_selection();
        self.watch_seen();
        self.track_rest();
        let panes = self.panes();
        // A pane the compact layout hides keeps its scroll until it is shown again.
        if panes.list_rows() > 0 {
            self.list.scroll_into_view(panes.list_rows());
        }
        let tall = match &self.view {
            ResultView::Ready { tree, .. } => {
                let known = self.private.then(|| self.known());
                tree::rows::cursor_height(tree, known, layout::inner(panes.tree))
            }
            _ => 1,
        };
        if let ResultView::Ready { tree, .. } = &mut self.view
            && panes.tree_rows() > 0
        {
            tree.scroll_tall_into_view(panes.tree_rows(), tall);
        }
        let mut targets = Vec::new();
        let rested = self.images_rested();
        if rested && let ResultView::Ready { tree, result, .. } = &self.view {
            let zooms = &self.zooms;
            if self.overlay == Overlay::Compare {
                let c = preview::comparison(tree, result);
                let [left, right] = panes.compare_images;
                // Both are picture kinds by construction.
                targets.extend(
                    c.document
                        .map(|r| target(zooms, r, cells(left), Side::Document)),
                );
                targets.extend(
                    c.selfie
                        .map(|r| target(zooms, r, cells(right), Side::Selfie)),
                );
            } else if let Some(r) =
                preview::preview_request(tree).filter(|r| preview::auto_fetches(r))
            {
                targets.push(target(zooms, r, cells(panes.preview_image), Side::Preview));
            }
        }
        for (request, area, view) in self.images.sync(&targets) {
            self.out.ask(Job::FetchImage {
                request,
                area,
                view,
            });
        }
        let looking = rested
            && matches!(self.view, ResultView::Ready { .. })
            && targets.iter().all(|(r, area, view)| {
                area.0 == 0
                    || area.1 == 0
                    || !matches!(
                        self.images.state(&r.key, *area, *view),
                        preview::ImageState::Loading
                    )
            });
        if self.opts.audit {
            self.audited.shown(&self.images, &targets, &mut self.out);
            self.audit();
        }
        self.reconcile_review();
        if looking {
            self.prefetch_next();
        }
        self.out.status.in_flight = self.out.requests.len();
    }

    /// Keeps the tree pane on the list's selection, fetching the result when it is not cached.
    fn follow_selection(&mut self) {
        let selected = self.list.selected().map(|r| r.process_id.as_deref());
        if selected.flatten() == self.view.process_id() && selected.flatten().is_some() {
            return;
        }
        let id = match selected {
            None => {
                self.view = ResultView::Empty;
                return;
            }
            Some(None) => {
                self.view = ResultView::NoId;
                return;
            }
            Some(Some(id)) => id.to_owned(),
        };
        if let Some(result) = self.results.peek(&id).cloned() {
            self.results.touch(&id);
            self.view = ResultView::Empty;
            self.show_result(id, result);
        } else {
            if !self.out.requests.asking_result(&id) {
                self.ask_result(id.clone(), false);
            }
            self.view = ResultView::Loading { process_id: id };
        }
    }

    /// Asks the worker for a result, on the user's behalf (a selection, `r`).
    fn ask_result(&mut self, process_id: String, refresh: bool) {
        let job = Job::FetchResult {
            process_id,
            refresh,
        };
        self.out.ask(job);
    }

    /// Files asked to be saved and not yet saved or failed.
    fn saves_running(&self) -> usize {
        self.out.requests.saves()
    }
}

/// An image to show: where, and in which view (the side's zoom).
fn target<'a>(
    zooms: &Zooms,
    request: &'a ImageRequest,
    area: CellSize,
    side: Side,
) -> (&'a ImageRequest, CellSize, crate::images::ImageView) {
    (request, area, zooms.view(side, &request.key))
}

/// The cell size of an area, as images are keyed.
fn cells(area: Rect) -> CellSize {
    (area.width, area.height)
}
