//! A decision the store refused because a colleague's decision stood where it was taken (both
//! decided the same process at once): nothing was recorded and nothing of theirs replaced. The
//! browser goes back to the process, whose mark now shows theirs (the desk sends its events
//! before the answer), and the status line asks: `alice recorded fail 2 s ago — press a again
//! to replace it, Esc to keep alice's`. Pressing the key again decides on top of what is now on
//! screen; Esc (or moving on) keeps theirs.

use super::desk::{Replacing, ReviewDesk};
use super::keys::Around;
use crate::app::message::review::{ReviewRequest, describe};
use crate::app::outbox::Outbox;
use crate::keymap::Action;
use crate::review::{HeadMoved, Verdict};
use crate::sanitize::terminal_text;

/// The key action that gives `verdict`: what "press it again" names.
pub fn verdict_action(verdict: Verdict) -> Action {
    match verdict {
        Verdict::Pass => Action::ReviewPass,
        Verdict::Fail => Action::ReviewFail,
        Verdict::Escalate => Action::Escalate,
    }
}

impl ReviewDesk {
    /// `request` was refused: `moved` stands where it was taken, recorded `ago`. `key`: the
    /// key that asks the same again (a decision), as the keymap shows it.
    pub fn superseded(
        &mut self,
        request: &ReviewRequest,
        moved: &HeadMoved,
        ago: &str,
        key: Option<String>,
        around: Around,
        out: &mut Outbox,
    ) {
        let list = around.list;
        let process = moved.process_id.as_str();
        let pos = list
            .visible()
            .iter()
            .position(|&i| list.row(i).and_then(|r| r.process_id.as_deref()) == Some(process));
        if let Some(pos) = pos {
            list.select_position(pos);
        }
        let theirs = format!("{}'s", terminal_text(&moved.reviewer));
        let next = match (request, key) {
            // Not in this view: the keys would act on what is, so nothing is offered.
            _ if pos.is_none() => format!("{theirs} stands (clear the filter to see it)"),
            (ReviewRequest::Decide { .. }, Some(key)) => {
                format!("press {key} again to replace it, Esc to keep {theirs}")
            }
            (ReviewRequest::Decide { .. }, None) => {
                format!("decide again to replace it, Esc to keep {theirs}")
            }
            _ => format!("{theirs} stands"),
        };
        out.error(format!(
            "not recorded: {}: {} {ago} ago — {next}",
            describe(request),
            moved.what()
        ));
        self.replacing =
            (pos.is_some() && matches!(request, ReviewRequest::Decide { .. })).then(|| Replacing {
                process_id: moved.process_id.clone(),
                theirs,
            });
    }

    /// Esc while the question stands: theirs is kept. Returns whether there was one.
    pub fn keep_theirs(&mut self, out: &mut Outbox) -> bool {
        let Some(r) = self.replacing.take() else {
            return false;
        };
        out.status.error = None;
        out.info(format!(
            "kept {} decision on {}",
            r.theirs,
            terminal_text(&r.process_id)
        ));
        true
    }

    /// The key action that gives `verdict`: what "press it again" names.
    pub fn verdict_action(verdict: Verdict) -> Action {
        match verdict {
            Verdict::Pass => Action::ReviewPass,
            Verdict::Fail => Action::ReviewFail,
            Verdict::Escalate => Action::Escalate,
        }
    }

    /// The question the status line asks, if any.
    pub fn replacing(&self) -> Option<&Replacing> {
        self.replacing.as_ref()
    }
}
