//! Exporting one process: its result, then its validations' details and its images at once,
//! then `result.json`, then its journal record.
//!
//! Images are fetched straight after the result that signed their links. A link that expired
//! anyway (S3 answers 403, or its `X-Amz-Date` + `X-Amz-Expires` has passed) is re-signed by
//! fetching the result again; the re-fetch is shared by every image of the process that needs it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures::future::join_all;
use tokio::sync::Mutex;

use crate::api::model::ProcessResult;
use crate::api::{ApiError, Fetched};
use crate::images;

use super::ExportError;
use super::layout::{self, IMAGES, RESULT};
use super::manifest::{FileKind, FileRecord, Missing, ProcessState, Record};
use super::pipeline::{Ctx, Fail};
use super::progress::Event;

/// A process to export, with files an earlier run left that may be reused.
pub(crate) struct Job {
    pub process_id: String,
    pub reuse: Vec<FileRecord>,
}

pub(crate) enum Outcome {
    Done {
        record: Box<Record>,
        /// An error every later process would repeat (a refused key, a full disk): stop.
        fatal: Option<ExportError>,
    },
    /// Stopped before the process was finished; it is not recorded and is redone next time.
    Interrupted,
}

/// One file to fetch after the result.
enum Task {
    Details {
        validation_id: String,
    },
    Image {
        validation_id: String,
        field: String,
        /// `<validation type>-<field>`, made unique within the process.
        stem: String,
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
    let base = ctx.dir.join(&folder);
    let mut record = Record {
        process_id: id.to_owned(),
        folder,
        state: ProcessState::Complete,
        error: None,
        finished_at: String::new(),
        images: ctx.opts.images,
        details: ctx.opts.details,
        summary: Default::default(),
        files: Vec::new(),
        missing: Vec::new(),
    };
    let first = match ctx.call(|| ctx.client.process_result(id)).await {
        Ok(f) => f,
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
    record.summary = summary(&first.parsed);
    let latest = Mutex::new(Latest {
        generation: 0,
        result: Arc::new(first),
    });
    let tasks = plan(&latest.lock().await.result.parsed, &ctx);
    let outcomes = join_all(
        tasks
            .into_iter()
            .map(|t| run_task(&ctx, &base, id, t, &latest, &job.reuse)),
    )
    .await;
    let mut errors = Vec::new();
    for outcome in outcomes {
        match outcome {
            Ok(file) => record.files.push(file),
            Err((_, Fail::Stopped)) => return Outcome::Interrupted,
            Err((m, e)) => {
                record.missing.push(m);
                errors.push(e);
            }
        }
    }
    let body = latest.into_inner().result;
    match write(&ctx, &base, RESULT.to_owned(), body.body.clone(), false).await {
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
    if errors.is_empty() {
        done(record, None)
    } else {
        failed(record, errors)
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
    record.finished_at = super::date::iso(super::date::now());
    Outcome::Done {
        record: Box::new(record),
        fatal,
    }
}

/// List fields of the result kept in the record (no names or document numbers).
pub(crate) fn summary(result: &ProcessResult) -> serde_json::Map<String, serde_json::Value> {
    const FIELDS: &[&str] = &[
        "process_id",
        "account_id",
        "flow_id",
        "client_user_id",
        "status",
        "creation_date",
        "failure_status",
        "declined_reason",
        "country",
        "time_to_live",
    ];
    let Some(raw) = result.raw.as_object() else {
        return Default::default();
    };
    FIELDS
        .iter()
        .filter_map(|k| {
            let v = raw.get(*k)?;
            (v.is_string() || v.is_number()).then(|| ((*k).to_owned(), v.clone()))
        })
        .collect()
}

/// Details for each validation with an id; each image link, named as the browser saves it.
fn plan(result: &ProcessResult, ctx: &Ctx) -> Vec<Task> {
    let mut tasks = Vec::new();
    if ctx.opts.details {
        tasks.extend(result.validations.iter().filter_map(|v| {
            Some(Task::Details {
                validation_id: v.validation_id.clone()?,
            })
        }));
    }
    if ctx.opts.images {
        tasks.extend(
            layout::image_stems(result)
                .into_iter()
                .map(|s| Task::Image {
                    validation_id: s.validation_id,
                    field: s.field,
                    stem: s.stem,
                }),
        );
    }
    tasks
}

type TaskResult = Result<FileRecord, (Missing, Fail)>;

async fn run_task(
    ctx: &Ctx,
    base: &Path,
    process_id: &str,
    task: Task,
    latest: &Mutex<Latest>,
    reuse: &[FileRecord],
) -> TaskResult {
    match task {
        Task::Details { validation_id } => {
            let vid = Some(validation_id.as_str());
            if let Some(file) = reusable(base, reuse, FileKind::Details, vid, None).await {
                return Ok(file);
            }
            let fail = |e: Fail| (fail_missing(FileKind::Details, vid, None, &e), e);
            let fetched = ctx
                .call(|| ctx.client.validation_details(&validation_id))
                .await
                .map_err(fail)?;
            let path = layout::details_path(&validation_id);
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
            validation_id,
            field,
            stem,
        } => {
            let (vid, f) = (Some(validation_id.as_str()), Some(field.as_str()));
            if let Some(file) = reusable(base, reuse, FileKind::Image, vid, f).await {
                return Ok(file);
            }
            let fail = |e: Fail| (fail_missing(FileKind::Image, vid, f, &e), e);
            let (url, bytes) = download(ctx, process_id, &validation_id, &field, latest)
                .await
                .map_err(fail)?;
            // The browser's save name: `<type>-<field>.<ext>`, the extension from the bytes.
            let ext = images::extension(images::sniff(&bytes).unwrap_or_default());
            let path = format!("{IMAGES}/{stem}.{ext}");
            let (size, sha256) = write(ctx, base, path.clone(), bytes, true)
                .await
                .map_err(fail)?;
            Ok(FileRecord {
                path,
                kind: FileKind::Image,
                validation_id: Some(validation_id),
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
    }
}

/// An image's bytes; a stale link is re-signed once by fetching the result again.
async fn download(
    ctx: &Ctx,
    process_id: &str,
    validation_id: &str,
    field: &str,
    latest: &Mutex<Latest>,
) -> Result<(String, Vec<u8>), Fail> {
    let what = format!(
        "image {field} of validation {}",
        crate::api::client::short(validation_id)
    );
    let find = |l: &Latest| link_in(&l.result.parsed, validation_id, field);
    let (mut generation, mut url) = {
        let l = latest.lock().await;
        (l.generation, find(&l))
    };
    for attempt in 0..2 {
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

fn link_in(result: &ProcessResult, validation_id: &str, field: &str) -> Option<String> {
    result
        .validations
        .iter()
        .filter(|v| match &v.validation_id {
            Some(id) => id == validation_id,
            None => validation_id == format!("#{}", v.index),
        })
        .flat_map(|v| &v.images)
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

/// A file an earlier run wrote for the same key, still there with the same checksum.
async fn reusable(
    base: &Path,
    reuse: &[FileRecord],
    kind: FileKind,
    vid: Option<&str>,
    field: Option<&str>,
) -> Option<FileRecord> {
    let file = reuse.iter().find(|f| {
        f.kind == kind && f.validation_id.as_deref() == vid && f.field.as_deref() == field
    })?;
    let path = base.join(&file.path);
    let expected = file.sha256.clone();
    let same = tokio::task::spawn_blocking(move || {
        std::fs::read(&path).is_ok_and(|bytes| layout::sha256_hex(&bytes) == expected)
    })
    .await
    .unwrap_or(false);
    same.then(|| file.clone())
}

/// Writes one file of the process on the blocking pool (hashing included) and reports it.
/// The write runs to completion even if the export is stopped meanwhile.
async fn write(
    ctx: &Ctx,
    base: &Path,
    rel: String,
    bytes: Vec<u8>,
    image: bool,
) -> Result<(u64, String), Fail> {
    let path: PathBuf = base.join(&rel);
    let target = path.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let sha = layout::sha256_hex(&bytes);
        layout::write_atomic(&target, &bytes).map(|()| (bytes.len() as u64, sha))
    })
    .await
    .unwrap_or_else(|e| Err(std::io::Error::other(format!("the write stopped ({e})"))));
    let (size, sha) = outcome.map_err(|source| Fail::Io { path, source })?;
    ctx.report(Event::FileWritten { bytes: size, image });
    Ok((size, sha))
}
