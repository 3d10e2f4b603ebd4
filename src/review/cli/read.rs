//! `reviews list` and `reviews stats`: the store read, one line per process or in sums.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use super::{Process, ReviewsError, processes, unreadable_at_end, wanted};
use crate::review::id::Timestamp;
use crate::review::mark::Review;
use crate::review::model::{Direction, Verdict};
use crate::review::store::Store;
use crate::sanitize::terminal_text;

#[derive(Clone, Debug, Default)]
pub struct ListArgs {
    pub conflicts: bool,
    pub verdicts: Vec<Verdict>,
}

pub fn list(store_path: &Path, args: &ListArgs, out: &mut dyn Write) -> Result<(), ReviewsError> {
    let store = Store::open_read_only(store_path)?;
    let rows: Vec<Process> = processes(&store)?
        .into_iter()
        .filter(|p| wanted(&p.review, &args.verdicts) && (!args.conflicts || p.review.conflict))
        .collect();
    // Cleaned before the columns are measured, so a stripped escape does not shift them.
    let ids: Vec<Cow<'_, str>> = rows.iter().map(|p| terminal_text(&p.id)).collect();
    let width = ids
        .iter()
        .map(|id| id.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    writeln!(
        out,
        "{:width$}  {:8}  {:15}  {:22}  {:5}  {:24}  FLAGS",
        "PROCESS", "VERDICT", "OVERRIDE", "REASON", "NOTES", "LAST"
    )?;
    for (p, id) in rows.iter().zip(&ids) {
        let r = &p.review;
        let direction = r
            .verdict
            .and_then(|v| Direction::of(v, r.seen_status.as_ref()));
        let last = format!(
            "{} {}",
            r.last_at
                .map(Timestamp::iso)
                .unwrap_or_default()
                .get(..16)
                .unwrap_or(""),
            terminal_text(r.last_reviewer.as_deref().unwrap_or(""))
        );
        let line = format!(
            "{:width$}  {:8}  {:15}  {:22}  {:5}  {:24}  {}",
            id,
            r.verdict
                .map(|v| v.to_string())
                .unwrap_or_else(|| "-".into()),
            direction.map_or("-", |d| d.label()),
            r.reason.map_or("-", |x| x.wire_name()),
            r.notes,
            last,
            if r.conflict { "CONFLICT" } else { "" }
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out, "{} process(es)", rows.len())?;
    unreadable_at_end(&store)
}

pub fn stats(store_path: &Path, out: &mut dyn Write) -> Result<(), ReviewsError> {
    let store = Store::open_read_only(store_path)?;
    let list = processes(&store)?;
    let count = |f: &dyn Fn(&Review) -> bool| list.iter().filter(|p| f(&p.review)).count();
    let events: usize = list.iter().map(|p| p.events.len()).sum();
    // Per reviewer: events written, and standing verdicts (the processes they decided last).
    let mut reviewers: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for e in list.iter().flat_map(|p| &p.events) {
        reviewers.entry(e.reviewer.as_str()).or_default().0 += 1;
    }
    for who in list.iter().filter_map(|p| p.review.decided_by.as_deref()) {
        reviewers.entry(who).or_default().1 += 1;
    }
    let overrides = |d| {
        count(&|r: &Review| {
            r.verdict
                .and_then(|v| Direction::of(v, r.seen_status.as_ref()))
                == Some(d)
        })
    };
    writeln!(
        out,
        "store        {}",
        terminal_text(&store.path().display().to_string())
    )?;
    writeln!(
        out,
        "processes    {} with events, {events} event(s), {} reviewer(s)",
        list.len(),
        reviewers.len()
    )?;
    writeln!(
        out,
        "verdicts     {} pass, {} fail, {} escalate",
        count(&|r| r.verdict == Some(Verdict::Pass)),
        count(&|r| r.verdict == Some(Verdict::Fail)),
        count(&|r| r.verdict == Some(Verdict::Escalate))
    )?;
    writeln!(
        out,
        "overrides    {} failure→success, {} success→failure",
        overrides(Direction::FailureToSuccess),
        overrides(Direction::SuccessToFailure)
    )?;
    writeln!(
        out,
        "notes        {} process(es) with notes",
        count(&|r| r.notes > 0)
    )?;
    writeln!(out, "conflicts    {}", count(&|r| r.conflict))?;
    for (who, (events, standing)) in &reviewers {
        writeln!(
            out,
            "reviewer     {}: {events} event(s), {standing} standing verdict(s)",
            terminal_text(who)
        )?;
    }
    unreadable_at_end(&store)
}
