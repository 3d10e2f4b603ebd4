//! Start-up shared by the subcommands: a client for the live API or the embedded demo, and the
//! browser's (or `show`'s) data source: the API, the API restricted to an ids file, or an archive.

use std::path::{Path, PathBuf};

use anyhow::Context;

use super::CliError;
use crate::api::{ApiKey, Client, ClientOptions};
use crate::archive::Archive;
use crate::config::Config;
use crate::demo::{DEMO_API_KEY, DemoOptions, DemoServer};
use crate::source::Source;

/// Where the data comes from, as the flags chose it.
#[derive(Clone, Debug)]
pub enum DataFrom {
    /// Truora's API with the user's key.
    Live,
    /// The embedded demo API, started for this run (`--demo`).
    Demo(DemoOptions),
    /// An export on disk, read offline (`--archive`).
    Archive(PathBuf),
}

impl DataFrom {
    /// The source as the access log names it.
    pub fn audit_kind(&self) -> crate::audit::SourceKind {
        match self {
            DataFrom::Live => crate::audit::SourceKind::Live,
            DataFrom::Demo(_) => crate::audit::SourceKind::Demo,
            DataFrom::Archive(_) => crate::audit::SourceKind::Archive,
        }
    }

    /// From `--demo` (its options already checked) and `--archive`, which cannot go together.
    pub fn choose(demo: Option<DemoOptions>, archive: Option<PathBuf>) -> Result<Self, CliError> {
        match (demo, archive) {
            (Some(_), Some(_)) => Err(CliError::Usage(
                "--archive and --demo cannot be used together: an archive is read offline".into(),
            )),
            (None, Some(dir)) => Ok(DataFrom::Archive(dir)),
            (Some(opts), None) => Ok(DataFrom::Demo(opts)),
            (None, None) => Ok(DataFrom::Live),
        }
    }

    /// The demo and an archive need no API key.
    pub fn keyless(&self) -> bool {
        !matches!(self, DataFrom::Live)
    }
}

/// The demo server started for this run, if any. [`DemoGuard::stop`] closes its listeners and
/// waits for them; every subcommand calls it on every path once the server is no longer needed,
/// whether the command succeeded or not. Dropped without `stop` (a panic), the server is still
/// told to stop (`DemoServer`'s own drop), just not waited for.
#[derive(Default)]
pub struct DemoGuard(Option<DemoServer>);

impl DemoGuard {
    /// Base URL of the demo's identity host, `None` when the data is not the demo's.
    pub fn identity_url(&self) -> Option<url::Url> {
        self.0.as_ref().map(DemoServer::identity_url)
    }

    pub async fn stop(self) {
        if let Some(server) = self.0 {
            server.shutdown().await;
        }
    }
}

/// A client pointed at the live API or at the demo server in `demo`.
pub struct ApiSetup {
    pub client: Client,
    /// `live` or `demo`, for the status bar.
    pub label: String,
    pub demo: DemoGuard,
}

/// Starts the demo server (`Some` options) or resolves the user's key, and builds the client.
/// With the live API this runs before the terminal is taken over: `api_key_command` may prompt
/// on the TTY (a password manager).
pub async fn api_setup(config: &Config, demo: Option<DemoOptions>) -> Result<ApiSetup, CliError> {
    let (identity, validations, key, server) = match demo {
        Some(opts) => {
            let server = DemoServer::start(opts)
                .await
                .context("starting the demo server")
                .map_err(CliError::Failed)?;
            let key = ApiKey::new(DEMO_API_KEY.to_owned());
            let urls = (server.identity_url(), server.validations_url());
            (urls.0, urls.1, key, Some(server))
        }
        None => {
            let key = config.resolve_api_key().await?;
            let identity = config.identity_base_url.clone();
            (identity, config.validations_base_url.clone(), key, None)
        }
    };
    let label = if server.is_some() { "demo" } else { "live" }.to_owned();
    let demo = DemoGuard(server);
    let mut opts = ClientOptions::new(identity, validations, key);
    opts.timeout = config.request_timeout;
    opts.concurrency = config.concurrency;
    match Client::new(opts) {
        Ok(client) => Ok(ApiSetup {
            client,
            label,
            demo,
        }),
        Err(e) => {
            demo.stop().await;
            Err(CliError::Failed(e.into()))
        }
    }
}

/// What the browser or `show` reads from.
pub struct SourceSetup {
    pub source: Source,
    /// Lines the ids file or the archive want the user to see (status bar, or stderr).
    pub warnings: Vec<String>,
    /// Of an archive's warnings, those saying what of its bookkeeping could not be trusted
    /// ([`Archive::bookkeeping_warnings`]): said by `show` too, since they change what its
    /// output rests on.
    pub bookkeeping: Vec<String>,
    pub demo: DemoGuard,
}

/// Reads `--ids-file` and opens `--archive` (both usage errors when bad, exit 2) before anything
/// is started, then sets up the source.
pub async fn source_setup(
    config: &Config,
    from: DataFrom,
    ids_file: Option<&Path>,
) -> Result<SourceSetup, CliError> {
    let ids = match ids_file {
        Some(path) => Some((crate::ids::read_reported(path)?, path.display().to_string())),
        None => None,
    };
    let demo = match from {
        DataFrom::Archive(dir) => return archive_source(&dir, ids),
        DataFrom::Demo(opts) => Some(opts),
        DataFrom::Live => None,
    };
    let api = api_setup(config, demo).await?;
    let (source, warnings) = match ids {
        Some(((ids, lines), file)) => {
            let label = format!("{} · {} ids from {file}", api.label, ids.len());
            (Source::ids(api.client, ids, label), lines)
        }
        None => (Source::api(api.client, api.label), Vec::new()),
    };
    Ok(SourceSetup {
        source,
        warnings,
        bookkeeping: Vec::new(),
        demo: api.demo,
    })
}

type ReadIds = ((Vec<String>, Vec<String>), String);

fn archive_source(dir: &Path, ids: Option<ReadIds>) -> Result<SourceSetup, CliError> {
    let mut archive = Archive::open(dir).map_err(|e| CliError::Usage(e.to_string()))?;
    let mut warnings = Vec::new();
    if let Some(((ids, lines), _)) = ids {
        archive.retain_ids(&ids);
        warnings.extend(lines);
    }
    warnings.extend(archive.problems().iter().cloned());
    let bookkeeping = archive.bookkeeping_warnings().to_vec();
    Ok(SourceSetup {
        source: Source::from_archive(archive),
        warnings,
        bookkeeping,
        demo: DemoGuard::default(),
    })
}

/// Where a session's access log goes (if anywhere) and what its first record says.
pub fn audit_session(
    config: &crate::config::Config,
    source: crate::audit::SourceKind,
    key: Option<&crate::api::ApiKey>,
) -> crate::audit::session::Session {
    crate::audit::session::Session {
        dir: crate::audit::session_dir(source, config.audit_log.clone(), config.audit),
        review_db: Some(config.review_db.clone()),
        info: crate::audit::SessionInfo::detect(
            source,
            key,
            config.api_key_label.as_deref(),
            Some(config.reviewer.as_str()).filter(|r| !r.is_empty()),
        ),
    }
}
