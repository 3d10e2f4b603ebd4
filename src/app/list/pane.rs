//! The list pane as a component: the rows ([`ProcessList`]), their loading page by page, and the
//! filter being typed. Its keys are `/` (the filter input, which then takes every key until Enter
//! or Esc), `f` (status filter), `o` (sort) and `n`/`N` (the next failed process, from any pane).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::ProcessList;
use crate::api::ApiError;
use crate::app::cursor::Movement;
use crate::app::message::{Job, ListPage};
use crate::app::outbox::Outbox;
use crate::keymap::Action;

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

#[derive(Debug, Default)]
pub struct ListPane {
    pub rows: ProcessList,
    pub loading: Loading,
    /// The filter being typed, while the filter input is open.
    input: Option<String>,
}

impl ListPane {
    /// The filter text being typed, when the filter input is open.
    pub fn input(&self) -> Option<&str> {
        self.input.as_deref()
    }

    /// Loads the first page.
    pub fn start(&mut self, out: &mut Outbox) {
        self.loading.loading = true;
        out.ask(Job::LoadPage);
    }

    /// The list's own keys.
    pub fn handle(&mut self, action: Action, out: &mut Outbox) {
        match action {
            Action::Filter => self.input = Some(self.rows.filter().to_owned()),
            Action::StatusFilter => self.rows.cycle_status_filter(),
            Action::Sort => self.rows.toggle_sort(),
            Action::NextFailed => self.jump_failed(true, out),
            Action::PrevFailed => self.jump_failed(false, out),
            _ => {}
        }
    }

    /// `n`/`N` move between failed processes from any pane, so a reviewer can read one tree and
    /// go straight on to the next failure.
    fn jump_failed(&mut self, forward: bool, out: &mut Outbox) {
        if !self.rows.jump_failed(forward) {
            out.info("no failed process in the list");
        }
    }

    /// The filter input: typing edits the filter live, Enter keeps it, Esc clears it.
    pub fn filter_key(&mut self, key: KeyEvent) {
        let Some(text) = &mut self.input else { return };
        match key.code {
            KeyCode::Enter => self.input = None,
            KeyCode::Esc => {
                self.input = None;
                self.rows.set_filter("");
            }
            // The list stays navigable while typing, as in fzf.
            KeyCode::Up => self.rows.move_selection(Movement::Up),
            KeyCode::Down => self.rows.move_selection(Movement::Down),
            KeyCode::Backspace => {
                text.pop();
                let text = text.clone();
                self.rows.set_filter(&text);
            }
            KeyCode::Char(c)
                if !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                text.push(c);
                let text = text.clone();
                self.rows.set_filter(&text);
            }
            _ => {}
        }
    }

    /// Esc with nothing else to close: clears the filter.
    pub fn clear_filter(&mut self) {
        if !self.rows.filter().is_empty() {
            self.rows.set_filter("");
        }
    }

    /// `r` after the list failed to load: loads it again. False when it had not failed.
    pub fn retry(&mut self, out: &mut Outbox) -> bool {
        if self.loading.error.take().is_none() {
            return false;
        }
        self.loading.loading = true;
        self.loading.retried = true;
        out.status.error = None;
        out.info("loading the list again…");
        out.ask(Job::LoadPage);
        true
    }

    /// A page arrived: its rows join the list, and the next page is asked for.
    pub fn page_arrived(&mut self, result: Result<ListPage, ApiError>, out: &mut Outbox) {
        match result {
            Ok(page) => {
                self.rows.push_page(page.items);
                self.loading.skipped += page.skipped;
                self.loading.loading = page.more;
                self.loading.error = None;
                if page.more {
                    out.ask(Job::LoadPage);
                } else {
                    self.reloaded(out);
                }
            }
            Err(error) => {
                self.page_failed(format!("loading the list failed: {error} (r retries)"), out)
            }
        }
    }

    /// The worker gave the page up.
    pub fn page_cancelled(&mut self, out: &mut Outbox) {
        self.page_failed("loading the list stopped (r retries)".into(), out);
    }

    pub fn page_failed(&mut self, text: String, out: &mut Outbox) {
        self.loading.loading = false;
        self.loading.error = Some(text.clone());
        out.error(text);
    }

    /// The list finished loading after `r` retried it: says how many processes it holds.
    fn reloaded(&mut self, out: &mut Outbox) {
        if std::mem::take(&mut self.loading.retried) {
            let n = self.rows.len();
            let s = if n == 1 { "" } else { "es" };
            out.info(format!("list loaded: {n} process{s}"));
        }
    }

    /// The selected row's process id.
    pub fn selected_id(&self) -> Option<String> {
        self.rows.selected().and_then(|r| r.process_id.clone())
    }
}
