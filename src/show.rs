//! `truora-tui show PROCESS_ID`: one process printed into the shell's scrollback, no TUI.
//!
//! The text ([`render_text`]) is a pure function of the result and its validations' details, so
//! it is snapshot-tested; every server string goes through [`terminal_text`] first. Images follow,
//! drawn with `viuer` (iTerm inline images or unicode half-blocks; kitty is left off because
//! viuer's local kitty mode hands the terminal the photo's pixels through a temp file, and these
//! are identity photos). `--json` prints the result's bytes as received instead.
//!
//! A closed stdout (`show … | head`) ends the command quietly with success: every write goes
//! through `write!` and a broken pipe is a normal end, never a panic.
//!
//! What it prints is recorded in the access log like the browser's views ([`record`]).

mod images;
pub mod record;

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};

use futures::future::join_all;

use crate::api::ApiError;
use crate::api::model::{Check, ProcessResult, Status, Validation, ValidationDetails};
use crate::date::zone::{DisplayZone, TimeStyle};
use crate::privacy;
use crate::sanitize::{terminal_json, terminal_text};
use crate::source::Source;

#[derive(Clone, Debug)]
pub struct ShowOptions {
    /// Print the raw result instead of the summary.
    pub json: bool,
    pub images: bool,
    /// Image width in terminal columns.
    pub width: u32,
    /// Privacy mode: text and JSON masked, images pixelated (see `privacy/`).
    pub private: bool,
    /// The zone the summary's times are printed in; `--json` prints them as received (UTC).
    pub time_zone: DisplayZone,
}

impl Default for ShowOptions {
    fn default() -> Self {
        ShowOptions {
            json: false,
            images: true,
            width: 40,
            private: false,
            time_zone: DisplayZone::utc(),
        }
    }
}

/// Why `show` could not print the process.
#[derive(Debug, thiserror::Error)]
pub enum ShowError {
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("cannot write the output: {0}")]
    Output(io::Error),
}

/// Fetches and prints one process to stdout, recording what it printed in the session's access
/// log (started here, finished before returning). Fails only when its result cannot be had (or
/// stdout fails other than by being closed); missing details or images are printed as notes.
pub async fn run(
    source: &Source,
    process_id: &str,
    opts: &ShowOptions,
    audit: crate::audit::session::Session,
) -> Result<(), ShowError> {
    let terminal = std::io::stdout().is_terminal();
    let log = audit.start(Box::new(|w| eprintln!("truora-tui: warning: {w}")));
    let recorder = record::Recorder::new(log.sender(), record::Output::of_stdout());
    let mut stdout = std::io::stdout();
    let outcome = print_recorded(source, process_id, opts, &mut stdout, terminal, &recorder).await;
    log.finish().await;
    match outcome {
        // The reader went away (`| head`): what it wanted was printed.
        Err(ShowError::Output(e)) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// [`run`] into any writer, recording nothing. `terminal`: `out` is a terminal, so raw JSON is
/// made safe for it and images are drawn (by viuer, on stdout itself).
pub async fn print_to<W: Write + Send>(
    source: &Source,
    process_id: &str,
    opts: &ShowOptions,
    out: &mut W,
    terminal: bool,
) -> Result<(), ShowError> {
    let off = record::Recorder::off();
    print_recorded(source, process_id, opts, out, terminal, &off).await
}

/// [`print_to`], telling `recorder` what is printed just before it is.
pub async fn print_recorded<W: Write + Send>(
    source: &Source,
    process_id: &str,
    opts: &ShowOptions,
    out: &mut W,
    terminal: bool,
    recorder: &record::Recorder,
) -> Result<(), ShowError> {
    let fetched = source.result(process_id).await?;
    // Privacy: the person's own values (a name quoted in a message) are hidden in every text.
    let known = if opts.private {
        privacy::Known::from_json(&fetched.parsed.raw)
    } else {
        privacy::Known::default()
    };
    if opts.json {
        let mut body = fetched.body;
        if opts.private {
            body = known.mask_json_bytes(&body);
        }
        if terminal {
            body = terminal_json(&String::from_utf8_lossy(&body))
                .into_owned()
                .into_bytes();
            if !body.ends_with(b"\n") {
                body.push(b'\n');
            }
        }
        recorder.printed(process_id, true);
        return emit(out, &body);
    }
    // Privacy: the text is rendered from the masked JSON, so every field (known to the model or
    // not) is masked by the same rules as the raw view; links come from the real result.
    let real = fetched.parsed;
    let result = if opts.private {
        match masked_result(&fetched.body, &known) {
            Some(masked) => masked,
            // Not reached for a result that parsed; never fall back to the unmasked text.
            None => {
                return emit(
                    out,
                    b"(privacy mode: this result cannot be masked, not shown)\n",
                );
            }
        }
    } else {
        real.clone()
    };
    let mut ids: Vec<&str> = Vec::new();
    for id in result
        .validations
        .iter()
        .filter_map(|v| v.validation_id.as_deref())
    {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    let answers = join_all(ids.iter().map(|id| source.details(id))).await;
    let mut details = Vec::new();
    let mut notes = Vec::new();
    for answer in answers {
        match answer {
            Ok(d) if opts.private => details.extend(masked_details(&d.body, &known)),
            Ok(d) => details.push(d.parsed),
            Err(e) => notes.push(format!("note: {e}")),
        }
    }
    let mut text = render_text(&result, &details, &opts.time_zone);
    for note in notes {
        let _ = writeln!(text, "{}", terminal_text(&note));
    }
    if opts.private {
        text = text.lines().map(|l| known.mask_text(l) + "\n").collect();
        text.push_str("(privacy mode: personal data masked, photos pixelated)\n");
    }
    recorder.printed(process_id, false);
    emit(out, text.as_bytes())?;
    if opts.images && has_images(&result) {
        if terminal {
            images::print_images(source, process_id, &real, opts, out, recorder).await?;
        } else {
            emit(out, b"(images not printed: stdout is not a terminal)\n")?;
        }
    }
    Ok(())
}

/// The result as parsed from its masked JSON: what privacy mode shows.
fn masked_result(body: &[u8], known: &privacy::Known) -> Option<ProcessResult> {
    ProcessResult::from_slice(&known.mask_json_bytes(body)).ok()
}

/// Validation details as parsed from their masked JSON.
fn masked_details(body: &[u8], known: &privacy::Known) -> Option<ValidationDetails> {
    ValidationDetails::from_slice(&known.mask_json_bytes(body)).ok()
}

/// Writes and flushes.
fn emit(out: &mut impl Write, bytes: &[u8]) -> Result<(), ShowError> {
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(ShowError::Output)
}

fn has_images(result: &ProcessResult) -> bool {
    result.validations.iter().any(|v| !v.images.is_empty())
}

/// The summary: the process, its override history, then each validation with what failed.
/// Times are printed in `zone`, each with its abbreviation (`-05`, `CEST`).
pub fn render_text(
    result: &ProcessResult,
    details: &[ValidationDetails],
    zone: &DisplayZone,
) -> String {
    let t = |s: &str| terminal_text(s).into_owned();
    let time = |s: &str| t(&zone.show(s, TimeStyle::Seconds));
    let opt = |s: &Option<String>| s.as_deref().map(t);
    let mut out = String::new();
    let id = opt(&result.process_id).unwrap_or_else(|| "(no process_id)".into());
    let _ = writeln!(out, "Process {id}");
    let mut status: Vec<String> = result.status.iter().map(|s| t(s.as_str())).collect();
    status.extend(result.failure_status.iter().map(|s| t(s.as_str())));
    status.extend(opt(&result.declined_reason));
    row(&mut out, "status", &status.join(" · "));
    for o in &result.override_history {
        let to = o.override_status.as_ref().map_or("?", Status::as_str);
        let from = o.current_status.as_ref().map_or("?", Status::as_str);
        let mut line = format!("{} (was {})", t(to), t(from));
        if let Some(v) = &o.username {
            let _ = write!(line, " by {}", t(v));
        }
        if let Some(v) = &o.date {
            let _ = write!(line, " on {}", time(v));
        }
        if let Some(v) = &o.reason_category {
            let _ = write!(line, " reason {}", t(v));
        }
        if let Some(d) = &o.reason_description {
            let _ = write!(line, ": \"{}\"", t(d));
        }
        row(&mut out, "override", &line);
    }
    let dates: Vec<String> = [
        ("created", &result.creation_date),
        ("updated", &result.update_date),
    ]
    .into_iter()
    .filter_map(|(l, d)| Some(format!("{l} {}", time(d.as_ref()?))))
    .collect();
    row(&mut out, "dates", &dates.join(" · "));
    let mut origin = Vec::new();
    origin.extend(opt(&result.country));
    if let Some(flow) = opt(&result.flow_id) {
        let version = opt(&result.flow_version)
            .map(|v| format!(" v{v}"))
            .unwrap_or_default();
        origin.push(format!("flow {flow}{version}"));
    }
    origin.extend(opt(&result.created_via).map(|v| format!("via {v}")));
    row(&mut out, "origin", &origin.join(" · "));
    let name: Vec<String> = [&result.first_name, &result.last_name]
        .into_iter()
        .filter_map(opt)
        .collect();
    let mut person = name.join(" ");
    if let Some(n) = opt(&result.document_number) {
        let _ = write!(
            person,
            "{}document {n}",
            if person.is_empty() { "" } else { " · " }
        );
    }
    row(&mut out, "person", &person);
    row(
        &mut out,
        "user",
        &opt(&result.client_user_id).unwrap_or_default(),
    );
    let _ = writeln!(out, "\nValidations ({})", result.validations.len());
    if result.validations.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for v in &result.validations {
        let more = v.validation_id.as_ref().and_then(|id| {
            details
                .iter()
                .find(|d| d.validation.validation_id.as_ref() == Some(id))
        });
        validation(&mut out, v, more.map(|d| &d.validation));
    }
    out
}

/// `  label    value`, skipped when there is no value.
fn row(out: &mut String, label: &str, value: &str) {
    if !value.is_empty() {
        let _ = writeln!(out, "  {label:<9} {value}");
    }
}

fn mark(status: Option<&Status>) -> &'static str {
    match status {
        Some(Status::Success) => "✓",
        Some(Status::Failure) => "✗",
        Some(Status::Pending) => "…",
        _ => "?",
    }
}

/// One validation; its checks come from the details when there are any (they are fuller).
fn validation(out: &mut String, v: &Validation, details: Option<&Validation>) {
    let t = |s: &str| terminal_text(s).into_owned();
    let mut head = vec![t(v.type_name())];
    head.extend(v.validation_id.as_deref().map(t));
    head.extend(v.validation_status.as_ref().map(|s| t(s.as_str())));
    head.extend(v.failure_status.as_ref().map(|s| t(s.as_str())));
    head.extend(v.declined_reason.as_deref().map(t));
    let _ = writeln!(
        out,
        "  {} {}",
        mark(v.validation_status.as_ref()),
        head.join(" · ")
    );
    let checked = details.filter(|d| !d.check_groups.is_empty()).unwrap_or(v);
    let failing: Vec<(&str, &Check)> = checked.failing_checks().collect();
    for (group, check) in &failing {
        let name = check
            .validation_name
            .as_deref()
            .or(check.validation_type.as_deref());
        let mut line = format!("✗ {} › {}", t(group), t(name.unwrap_or("check")));
        if let Some(r) = &check.result {
            let _ = write!(line, ": {}", t(r.as_str()));
        }
        if let Some(m) = &check.message {
            let _ = write!(line, " — \"{}\"", t(m));
        }
        if check.manually_reviewed == Some(true) {
            line.push_str(" (manually reviewed)");
        }
        let _ = writeln!(out, "      {line}");
    }
    for a in v
        .attachments
        .iter()
        .filter(|a| a.result.as_ref().is_some_and(|r| r.is_failure()))
    {
        let what = [&a.attachment_type, &a.validation_type]
            .into_iter()
            .filter_map(|s| s.as_deref().map(t))
            .collect::<Vec<_>>()
            .join(" › ");
        let _ = writeln!(out, "      ✗ attachment {what}: invalid");
    }
    let face = details.and_then(|d| d.face.as_ref()).or(v.face.as_ref());
    let failing_attachment = v
        .attachments
        .iter()
        .any(|a| a.result.as_ref().is_some_and(|r| r.is_failure()));
    if failing.is_empty() && !failing_attachment && face.is_none() && v.is_failure() {
        let _ = writeln!(out, "      no failing check recorded");
    }
    if let Some(face) = face {
        let mut parts = Vec::new();
        if let Some(s) = &face.similarity_status {
            let score = face
                .confidence_score
                .map(|c| format!(" {c:.2}"))
                .unwrap_or_default();
            let threshold = v
                .threshold
                .map(|th| format!(" (threshold {th:.2})"))
                .unwrap_or_default();
            parts.push(format!("similarity {}{score}{threshold}", t(s)));
        }
        if let Some(l) = &face.passive_liveness_status {
            parts.push(format!("liveness {}", t(l)));
        }
        if let (Some(lo), Some(hi)) = (face.age_low, face.age_high) {
            parts.push(format!("age {lo:.0}–{hi:.0}"));
        }
        if !parts.is_empty() {
            let _ = writeln!(out, "      {}", parts.join(" · "));
        }
    }
    if !v.images.is_empty() {
        let files: Vec<String> = v
            .images
            .iter()
            .map(|l| format!("{} ({})", t(&l.field), l.kind.label()))
            .collect();
        let _ = writeln!(out, "      files: {}", files.join(", "));
    }
}
