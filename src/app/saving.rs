//! What `s` and `S` say. Saves are answered one by one; the reviewer wants one sentence at the
//! end: how many files, where, and what was skipped or failed. A run lasts from the first save
//! asked while none is on its way until the last answer, so an `S` pressed during another `S`
//! joins it and is summed up with it.

use std::path::{Path, PathBuf};

use super::message::{Job, SaveFailure};
use super::outbox::Outbox;
use crate::images::{ImageRequest, SaveOutcome};
use crate::sanitize::terminal_text;

/// The saves of one run so far.
#[derive(Debug, Default)]
struct SaveRun {
    asked: usize,
    written: Vec<PathBuf>,
    /// Files that already held the bytes: nothing written.
    identical: Vec<PathBuf>,
    failed: Vec<String>,
}

impl SaveRun {
    fn answered(&self) -> usize {
        self.written.len() + self.identical.len() + self.failed.len()
    }
}

/// The saves asked since none was on its way, summed up when the last is answered. Its keys:
/// `s` and `S` (the app picks the images: the preview's, the process's, compare's side).
#[derive(Debug, Default)]
pub struct Saves {
    run: SaveRun,
}

impl Saves {
    /// Asks for `requests` to be saved, one after another, in order.
    pub fn ask(&mut self, requests: Vec<ImageRequest>, out: &mut Outbox) {
        self.run.asked += requests.len();
        let left = self.run.asked - self.run.answered();
        out.info(format!("saving {left} {}…", files(left)));
        for request in requests {
            out.ask(Job::Save { request });
        }
    }

    /// One save was answered: progress while others are on their way, the summary after the
    /// last. `private`: privacy mode is on (the summary says the file is the original).
    pub fn answered(
        &mut self,
        result: Result<SaveOutcome, SaveFailure>,
        private: bool,
        out: &mut Outbox,
    ) {
        let run = &mut self.run;
        match result {
            Ok(SaveOutcome::Written(path)) => run.written.push(path),
            Ok(SaveOutcome::Identical(path)) => run.identical.push(path),
            Err(error) => run
                .failed
                .push(terminal_text(&error.to_string()).into_owned()),
        }
        if out.saves() > 0 {
            let run = &self.run;
            out.info(format!(
                "saving… {} of {} done",
                run.answered(),
                run.asked.max(run.answered())
            ));
            return;
        }
        let run = std::mem::take(&mut self.run);
        let (mut text, places) = summary(&run);
        if private && !run.written.is_empty() {
            text.push_str(" (the original, unmasked: privacy mode masks the screen only)");
        }
        // Where the files went is the user's own folder: privacy mode still shows it.
        if run.failed.is_empty() {
            out.status.info_naming(text, places);
        } else {
            out.status.error_naming(text, places);
        }
    }
}

/// One sentence for a finished run, and the places (files, folders) it names.
fn summary(run: &SaveRun) -> (String, Vec<String>) {
    let mut places = Vec::new();
    let mut shown = |path: &Path| {
        let text = shown(path);
        places.push(text.clone());
        text
    };
    let written = run.written.len();
    let skipped = match run.identical.len() {
        0 => String::new(),
        1 => " (1 identical copy skipped)".to_owned(),
        n => format!(" ({n} identical copies skipped)"),
    };
    let mut text = match (written, run.identical.as_slice()) {
        (0, []) => "nothing saved".to_owned(),
        (0, [one]) => format!("already saved: {} holds the same bytes", shown(one)),
        (0, all) => format!(
            "already saved: the {} files are in {}",
            all.len(),
            folder_of(all, &mut shown)
        ),
        (1, _) => format!("saved {}{skipped}", shown(&run.written[0])),
        (n, _) => format!(
            "saved {n} files to {}{skipped}",
            folder_of(&run.written, &mut shown)
        ),
    };
    if let Some(first) = run.failed.first() {
        let failed = run.failed.len();
        let more = if failed > 1 {
            format!(" (and {} more)", failed - 1)
        } else {
            String::new()
        };
        text = format!(
            "{text}; {failed} of {} {} failed: {first}{more}",
            run.asked.max(run.answered()),
            files(run.asked)
        );
    }
    (text, places)
}

fn files(n: usize) -> &'static str {
    if n == 1 { "file" } else { "files" }
}

fn shown(path: &Path) -> String {
    terminal_text(&path.to_string_lossy()).into_owned()
}

/// The folder the files are in, or `N folders in <parent>` when a run spans processes; `shown`
/// writes a path.
fn folder_of(paths: &[PathBuf], shown: &mut impl FnMut(&Path) -> String) -> String {
    let mut folders: Vec<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
    folders.sort();
    folders.dedup();
    match folders.as_slice() {
        [one] => shown(one),
        [first, ..] => match first.parent() {
            Some(parent) => format!("{} folders in {}", folders.len(), shown(parent)),
            None => format!("{} folders", folders.len()),
        },
        [] => "?".to_owned(),
    }
}
