//! Exporting one process: its result, then its validations' details and its images at once,
//! then `result.json`, then its journal record.
//!
//! Images are fetched straight after the result that signed their links. A link that expired
//! anyway (S3 answers 403, or its `X-Amz-Date` + `X-Amz-Expires` has passed by the local clock)
//! is re-signed by fetching the result again; the re-fetch is shared by every image of the
//! process that needs it. The files are planned from the first result and that result is the
//! one written as `result.json`, so the two always agree: a re-signed link is used only while it
//! points to the same object as the planned one (else the process changed meanwhile, and fails
//! for the next run to redo).
//!
//! Images are keyed by [`ProcessResult::validation_key`] and field, so two validations sharing
//! an id never share a file; each validation id's details are fetched once.
//!
//! What is not a failure: an image the host no longer has (404) is recorded as permanently
//! missing and the process still completes. What is: an empty body, or bytes in no image format
//! behind a picture link (a re-run tries again).

use std::collections::HashSet;
use std::sync::Arc;

use futures::future::join_all;
use tokio::sync::Mutex;

use crate::api::model::ProcessResult;
use crate::api::{ApiError, Fetched};
use crate::images;

use super::ExportError;
use super::context::{Ctx, Fail};
use super::files::{Reuse, check_folders, reusable, write};
use super::format::{self, FileKind, FileRecord, Missing, ProcessState, Record};
use super::layout::{self, IMAGES, RESULT};
use super::progress::Event;

/// A process to export, with files an earlier run left that may be reused.
pub(crate) struct Job {
    pub process_id: String,
    pub reuse: Vec<FileRecord>,
    /// Another process of this export already has this one's folder (two ids that map to one
    /// name): its id. The process fails without touching the folder.
    pub folder_taken_by: Option<String>,
}

pub(crate) enum Outcome {
    Done {
        record: Box<Record>,
        /// An error every later process would repeat (a refused key, a full disk): stop.
        fatal: Option<ExportError>,
    },
    /// Stopped before its result arrived: nothing new to record (an earlier record, if any,
    /// still stands).
    Interrupted,
}

/// One file to fetch after the result.
enum Task {
    Details {
        validation_id: String,
    },
    Image {
        /// The validation's key within the result.
        key: String,
        field: String,
        /// `<validation type>-<field>`, made unique within the process.
        stem: String,
        /// The link in the result the plan came from.
        link: String,
        /// A picture is expected (not a PDF or an unknown file).
        picture: bool,
    },
}

/// The newest result of the process, with how many times it was re-fetched.
struct Latest {
    generation: u32,
    result: Arc<Fetched<ProcessResult>>,
}

pub(crate) async fn export(ctx: Arc<Ctx>, job: Job) -> Outcome {
    let id = job.process_id.as_str();
    let folder = layout::id_name(id);
    let mut record = Record {
        process_id: id.to_owned(),
        folder: folder.clone(),
        state: ProcessState::Complete,
        error: None,
        finished_at: String::new(),
        images: ctx.opts.images,
        details: ctx.opts.details,
        summary: Default::default(),
        files: Vec::new(),
        missing: Vec::new(),
    };
    if let Some(owner) = job.folder_taken_by {
        return failed(record, vec![Fail::FolderTaken { folder, owner }]);
    }
    // A link planted in place of the folder (or a folder in it) fails the process before any
    // request; the writes would refuse it anyway, this says so up front and reuses nothing.
    if let Err(e) = check_folders(&ctx, &folder).await {
        return failed(record, vec![e]);
    }
    let base = folder.as_str();
    let first = match ctx.call(|| ctx.client.process_result(id)).await {
        Ok(f) => Arc::new(f),
        Err(Fail::Stopped) => return Outcome::Interrupted,
        Err(e) => {
            // Whatever an earlier run saved is still there and still listed.
            record.files = job.reuse;
            record
                .missing
                .push(fail_missing(FileKind::Result, None, None, &e));
            return failed(record, vec![e]);
        }
    };
    ctx.report(Event::ResultFetched { process_id: id });
    record.summary = format::summary(&first.parsed);
    let latest = Mutex::new(Latest {
        generation: 0,
        result: first.clone(),
    });
    let tasks = plan(&first.parsed, &ctx);
    let outcomes = join_all(
        tasks
            .into_iter()
            .map(|t| run_task(&ctx, base, id, t, &latest, &job.reuse)),
    )
    .await;
    let mut errors = Vec::new();
    let mut stopped = false;
    for outcome in outcomes {
        match outcome {
            Ok(file) => record.files.push(file),
            Err((_, Fail::Stopped)) => stopped = true,
            Err((mut m, e)) => {
                // Gone at Truora: recorded, but no re-run can fetch it, so not a failure.
                m.permanent = matches!(e, Fail::Gone { .. });
                if !m.permanent {
                    errors.push(e);
                }
                record.missing.push(m);
            }
        }
    }
    // The result the files were planned from, even if a link was re-signed meanwhile.
    match write(&ctx, base, RESULT.to_owned(), first.body.clone(), false).await {
        Ok((bytes, sha256)) => record.files.insert(
            0,
            FileRecord {
                path: RESULT.into(),
                kind: FileKind::Result,
                validation_id: None,
                field: None,
                link: None,
                bytes,
                sha256,
            },
        ),
        Err(e) => errors.push(e),
    }
    if !errors.is_empty() {
        failed(record, errors)
    } else if stopped {
        // Journaled with what was written, so the next run reuses it.
        record.state = ProcessState::Interrupted;
        record.error = Some(
            "the export was stopped before this process was finished; the next run resumes it"
                .into(),
        );
        done(record, None)
    } else {
        done(record, None)
    }
}

/// Records the first error (and how many more); an error that every later process would
/// repeat becomes fatal.
fn failed(mut record: Record, mut errors: Vec<Fail>) -> Outcome {
    record.state = ProcessState::Failed;
    let more = errors.len().saturating_sub(1);
    let first = errors.swap_remove(0);
    let text = first.to_string();
    record.error = Some(match more {
        0 => text,
        n => format!("{text} (and {n} more errors)"),
    });
    let fatal = match first {
        Fail::Api(e) if e.is_fatal_for_session() => Some(ExportError::Fatal(e)),
        // A full, read-only or forbidden disk fails every later process too; other write
        // errors (a name the file system refuses) stay with this process.
        Fail::Io { path, source } if is_systemic(&source) => Some(ExportError::io(path, source)),
        _ => None,
    };
    done(record, fatal)
}

fn is_systemic(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        StorageFull | QuotaExceeded | PermissionDenied | ReadOnlyFilesystem
    )
}

fn done(mut record: Record, fatal: Option<ExportError>) -> Outcome {
    record.finished_at = crate::date::iso(crate::date::now());
    Outcome::Done {
        record: Box::new(record),
        fatal,
    }
}

/// Details for each validation id (once, however many validations share it); each image link,
/// keyed by its validation's key and named as the browser saves it.
fn plan(result: &ProcessResult, ctx: &Ctx) -> Vec<Task> {
    let mut tasks = Vec::new();
    if ctx.opts.details {
        let mut seen = HashSet::new();
        tasks.extend(result.validations.iter().filter_map(|v| {
            let id = v.validation_id.clone()?;
            seen.insert(id.clone())
                .then_some(Task::Details { validation_id: id })
        }));
    }
    if ctx.opts.images {
        tasks.extend(
            layout::image_stems(result)
                .into_iter()
                .map(|s| Task::Image {
                    key: s.validation_id,
                    field: s.field,
                    stem: s.stem,
                    link: s.link,
                    picture: s.kind.is_picture(),
                }),
        );
    }
    tasks
}

type TaskResult = Result<FileRecord, (Missing, Fail)>;

async fn run_task(
    ctx: &Ctx,
    base: &str,
    process_id: &str,
    task: Task,
    latest: &Mutex<Latest>,
    reuse: &[FileRecord],
) -> TaskResult {
    match task {
        Task::Details { validation_id } => {
            let vid = Some(validation_id.as_str());
            let path = layout::details_path(&validation_id);
            let wanted = Reuse {
                kind: FileKind::Details,
                key: vid,
                field: None,
                object: None,
                path_stem: path.strip_suffix(".json").unwrap_or(&path),
            };
            if let Some(file) = reusable(ctx, base, reuse, wanted).await {
                return Ok(file);
            }
            let fail = |e: Fail| (fail_missing(FileKind::Details, vid, None, &e), e);
            let fetched = ctx
                .call(|| ctx.client.validation_details(&validation_id))
                .await
                .map_err(fail)?;
            let (bytes, sha256) = write(ctx, base, path.clone(), fetched.body, false)
                .await
                .map_err(fail)?;
            Ok(FileRecord {
                path,
                kind: FileKind::Details,
                validation_id: Some(validation_id),
                field: None,
                link: None,
                bytes,
                sha256,
            })
        }
        Task::Image {
            key,
            field,
            stem,
            link,
            picture,
        } => {
            let (vid, f) = (Some(key.as_str()), Some(field.as_str()));
            let object = layout::without_query(&link);
            let path_stem = format!("{IMAGES}/{stem}");
            let wanted = Reuse {
                kind: FileKind::Image,
                key: vid,
                field: f,
                object: Some(&object),
                path_stem: &path_stem,
            };
            if let Some(file) = reusable(ctx, base, reuse, wanted).await {
                return Ok(file);
            }
            let fail = |e: Fail| (fail_missing(FileKind::Image, vid, f, &e), e);
            let what = format!(
                "image {field} of validation {}",
                crate::api::client::short(&key)
            );
            let (url, bytes) = download(ctx, process_id, &key, &field, &object, &what, latest)
                .await
                .map_err(fail)?;
            let format = images::sniff(&bytes);
            if bytes.is_empty() || (picture && format.is_none()) {
                let detail = if bytes.is_empty() {
                    "an empty file".to_owned()
                } else {
                    format!("{} bytes in no image format", bytes.len())
                };
                return Err(fail(Fail::NotAPicture { what, detail }));
            }
            // The browser's save name: `<type>-<field>.<ext>`, the extension from the bytes.
            let ext = images::extension(format.unwrap_or_default());
            let path = format!("{path_stem}.{ext}");
            let (size, sha256) = write(ctx, base, path.clone(), bytes, true)
                .await
                .map_err(fail)?;
            Ok(FileRecord {
                path,
                kind: FileKind::Image,
                validation_id: Some(key),
                field: Some(field),
                link: Some(layout::without_query(&url)),
                bytes: size,
                sha256,
            })
        }
    }
}

fn fail_missing(kind: FileKind, vid: Option<&str>, field: Option<&str>, e: &Fail) -> Missing {
    Missing {
        kind,
        validation_id: vid.map(str::to_owned),
        field: field.map(str::to_owned),
        error: e.to_string(),
        permanent: false,
    }
}

/// An image's bytes; a stale link is re-signed once by fetching the result again. `object` is
/// the planned link without its signature: a re-signed link must point to the same object.
async fn download(
    ctx: &Ctx,
    process_id: &str,
    key: &str,
    field: &str,
    object: &str,
    what: &str,
    latest: &Mutex<Latest>,
) -> Result<(String, Vec<u8>), Fail> {
    let what = what.to_owned();
    let find = |l: &Latest| link_in(&l.result.parsed, key, field);
    let (mut generation, mut url) = {
        let l = latest.lock().await;
        (l.generation, find(&l))
    };
    for attempt in 0..2 {
        if url
            .as_deref()
            .is_some_and(|u| layout::without_query(u) != object)
        {
            return Err(Fail::Changed { what });
        }
        let expired = url.as_deref().is_none_or(link_has_expired);
        if !expired || attempt == 1 {
            let Some(link) = url.clone() else { break };
            match ctx.call(|| ctx.client.download(&link, &what)).await {
                Ok(bytes) => return Ok((link, bytes)),
                Err(Fail::Api(e)) if e.is_stale_link() && attempt == 0 => {}
                Err(Fail::Api(e)) if e.status() == Some(404) => return Err(Fail::Gone { what }),
                Err(e) => return Err(e),
            }
        }
        let mut l = latest.lock().await;
        if l.generation == generation {
            let fresh = ctx.call(|| ctx.client.process_result(process_id)).await?;
            l.result = Arc::new(fresh);
            l.generation += 1;
        }
        generation = l.generation;
        url = find(&l);
    }
    Err(Fail::Api(ApiError::LinkExpired {
        what: format!("{what} (no longer in the process result)"),
    }))
}

/// The link of an image key in a result: the validation with that key, the image with that field.
fn link_in(result: &ProcessResult, key: &str, field: &str) -> Option<String> {
    result
        .validation_by_key(key)?
        .images
        .iter()
        .find(|l| l.field == field)
        .map(|l| l.url.clone())
}

/// Known to be past its expiry by the local clock (saves a request that would fail).
fn link_has_expired(link: &str) -> bool {
    url::Url::parse(link)
        .ok()
        .and_then(|u| crate::api::client::link_expiry(&u))
        .is_some_and(|t| t <= std::time::SystemTime::now())
}
