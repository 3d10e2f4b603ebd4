//! The merge itself: pick each setting from the highest-precedence source that sets it
//! (flag > environment > file > default) and validate it, remembering where it came from.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;
use url::Url;

use super::ENV_AUDIT_LOG;
use super::error::line_of;
use super::error::{ConfigError, Location, Origin};
use super::file::{self, FileConfig};
use super::keys::KeyList;
use super::places::Places;
use super::platform::Platform;
use super::values::{env_var, non_empty};
use super::{
    ApiKey, Config, DEFAULT_CONCURRENCY, DEFAULT_IDENTITY_BASE_URL, DEFAULT_IMAGE_REST_MS,
    DEFAULT_REQUEST_TIMEOUT_SECS, DEFAULT_VALIDATIONS_BASE_URL, ENV_API_KEY, ENV_CONFIG,
    ENV_DOWNLOAD_DIR, ENV_IDENTITY_BASE_URL, ENV_VALIDATIONS_BASE_URL, Env, Loaded, MIN_WATCH_SECS,
    Overrides,
};

pub(super) fn load_with(
    overrides: &Overrides,
    env: &dyn Env,
    platform: &Platform,
) -> Result<Loaded, ConfigError> {
    let home = platform.home.as_deref();
    let candidate = config_candidate(overrides, env, platform);
    let text = match &candidate {
        Some(candidate) => read_config(candidate)?,
        None => None,
    };
    let (file, path) = match (&candidate, &text) {
        (Some(candidate), Some(text)) => {
            (file::parse(&candidate.path, text)?, Some(&candidate.path))
        }
        _ => (FileConfig::default(), None),
    };
    let places = Places {
        home,
        cwd: platform.current_dir.as_deref(),
        file_dir: path.and_then(|path| path.parent()),
    };
    let location = |span: Range<usize>| Location {
        path: path.cloned().unwrap_or_default(),
        line: text.as_deref().map(|text| line_of(text, span.start)),
    };
    let at = |span: Range<usize>| Origin::File(location(span));

    let mut warnings = Vec::new();
    let file_key = non_empty(file.api_key.as_deref());
    if let (Some(path), Some(_)) = (path, &file_key) {
        warnings.extend(permission_warning(path));
    }
    // Checked as soon as it is read, so a key with a newline stops the program here, with a
    // message naming where it came from, rather than failing every request later.
    let api_key = match (non_empty(env.var(ENV_API_KEY).as_deref()), file_key) {
        (Some(key), _) => Some(ApiKey::checked(key, || {
            format!("the {ENV_API_KEY} environment variable")
        })?),
        (None, Some(key)) => Some(ApiKey::checked(key, || match path {
            Some(path) => format!("`api_key` in {}", path.display()),
            None => "`api_key` in the config file".to_owned(),
        })?),
        (None, None) => None,
    };
    let api_key_command = non_empty(file.api_key_command.as_deref());

    let (identity_base_url, identity_origin) = url_setting(
        ("identity_base_url", DEFAULT_IDENTITY_BASE_URL),
        (&overrides.identity_url, "--identity-url"),
        env_var(env, ENV_IDENTITY_BASE_URL).map(|value| (value, ENV_IDENTITY_BASE_URL)),
        file.identity_base_url
            .as_ref()
            .map(|value| (value.get_ref().clone(), at(value.span()))),
    )?;
    let (validations_base_url, validations_origin) = url_setting(
        ("validations_base_url", DEFAULT_VALIDATIONS_BASE_URL),
        (&overrides.validations_url, "--validations-url"),
        env_var(env, ENV_VALIDATIONS_BASE_URL).map(|value| (value, ENV_VALIDATIONS_BASE_URL)),
        file.validations_base_url
            .as_ref()
            .map(|value| (value.get_ref().clone(), at(value.span()))),
    )?;
    warnings.extend(plain_http_warning(
        "identity_base_url",
        &identity_base_url,
        &identity_origin,
    ));
    warnings.extend(plain_http_warning(
        "validations_base_url",
        &validations_base_url,
        &validations_origin,
    ));
    let download_dir = places
        .chosen(
            overrides.download_dir.as_deref(),
            env_var(env, ENV_DOWNLOAD_DIR),
            non_empty(file.download_dir.as_deref()),
        )
        .or_else(|| platform.download_dir.clone())
        .unwrap_or_else(|| {
            let dir = std::env::temp_dir().join("truora-tui-downloads");
            warnings.push(format!(
                "there is no home folder, so saved images would go to {}, where other users of \
                 this machine may see them; set download_dir in the config file or \
                 {ENV_DOWNLOAD_DIR} to a private folder",
                dir.display()
            ));
            dir
        });
    let concurrency = in_range(file.concurrency.as_ref(), "concurrency", 64, &at)?
        .map_or(DEFAULT_CONCURRENCY, |n| n as usize); // 1..=64: the cast is exact
    let timeout_secs = in_range(
        file.request_timeout_secs.as_ref(),
        "request_timeout_secs",
        600,
        &at,
    )?
    .map_or(DEFAULT_REQUEST_TIMEOUT_SECS, |n| n as u64); // 1..=600: the cast is exact
    let watch = match overrides.watch {
        Some(every) => Some(every),
        None => in_range(file.watch.as_ref(), "watch", 86_400, &at)?.map(|n| {
            let secs = n as u64; // 1..=86400: the cast is exact
            if let (true, Some(value)) = (secs < MIN_WATCH_SECS, &file.watch) {
                warnings.push(format!(
                    "{}: `watch = {secs}` is below the {MIN_WATCH_SECS} s minimum (each poll \
                     reads the list); watching every {MIN_WATCH_SECS} s",
                    at(value.span()),
                ));
            }
            Duration::from_secs(secs.max(MIN_WATCH_SECS))
        }),
    };
    let image_rest = match &file.image_rest_ms {
        None => Duration::from_millis(DEFAULT_IMAGE_REST_MS),
        Some(ms) if (0..=MAX_IMAGE_REST_MS).contains(ms.get_ref()) => {
            Duration::from_millis(ms.get_ref().unsigned_abs())
        }
        Some(ms) => {
            return Err(ConfigError::OutOfRange {
                origin: at(ms.span()),
                key: "image_rest_ms",
                value: *ms.get_ref(),
                min: 0,
                max: MAX_IMAGE_REST_MS,
            });
        }
    };
    let image_max_cells = match &file.image_max_cells {
        None => None,
        Some(value) => Some(
            cell_size(value.get_ref()).ok_or_else(|| ConfigError::WrongType {
                at: location(value.span()),
                key: "image_max_cells".to_owned(),
                message: format!("{:?} is not a size in cells", value.get_ref()),
                expected: format!(
                    "\"COLUMNSxROWS\" with columns from {MIN_IMAGE_CELLS} and rows from 1 up \
                     to {MAX_IMAGE_CELLS}, e.g. \"60x30\""
                ),
            })?,
        ),
    };

    let time_zone = super::time_zone::resolve(
        overrides.time_zone.as_deref(),
        file.time_zone.as_ref(),
        &at,
        env,
        (platform.time_zone.as_ref(), platform.now),
        &mut warnings,
    )?;

    if !overrides.demo && api_key.is_none() && api_key_command.is_none() {
        let config_path = candidate
            .map(|candidate| candidate.path)
            .or_else(|| platform.config_path.clone());
        return Err(ConfigError::NoApiKey { config_path });
    }
    let (reviewer, review_db, demo_review_store) = super::review::settings(
        overrides,
        env,
        (file.reviewer.as_deref(), file.review_db.as_deref()),
        (platform, &places),
        &mut warnings,
    )?;
    let config = Config {
        reviewer,
        review_db,
        demo_review_store,
        api_key,
        api_key_command,
        identity_base_url,
        validations_base_url,
        download_dir,
        image_protocol: overrides
            .image_protocol
            .or(file.image_protocol)
            .unwrap_or_default(),
        private: overrides.private || file.private.unwrap_or(false),
        concurrency,
        request_timeout: Duration::from_secs(timeout_secs),
        watch,
        watch_bell: file.watch_bell.unwrap_or(false),
        image_colors: file.image_colors.unwrap_or_default(),
        image_max_cells,
        image_rest,
        keys: file
            .keys
            .into_iter()
            .map(|(action, KeyList(keys))| (action, keys))
            .collect(),
        file: path.cloned(),
        audit_log: places.chosen(
            overrides.audit_log.as_deref(),
            env_var(env, ENV_AUDIT_LOG),
            non_empty(file.audit_log.as_deref()),
        ),
        audit: file.audit,
        api_key_label: non_empty(file.api_key_label.as_deref()),
        time_zone,
    };
    Ok(Loaded { config, warnings })
}

/// The config file to read. `origin` is `None` for the default location, which may be missing;
/// a path the user named must exist.
struct Candidate {
    path: PathBuf,
    origin: Option<Origin>,
}

fn config_candidate(
    overrides: &Overrides,
    env: &dyn Env,
    platform: &Platform,
) -> Option<Candidate> {
    // The file's own folder is not known yet: a relative path here is the current folder's.
    let places = Places {
        home: platform.home.as_deref(),
        cwd: platform.current_dir.as_deref(),
        file_dir: None,
    };
    if let Some(path) = overrides
        .config_path
        .as_ref()
        .filter(|path| !path.as_os_str().is_empty())
    {
        let path = places.given(path);
        return Some(Candidate {
            path,
            origin: Some(Origin::Flag("--config")),
        });
    }
    if let Some(path) = env_var(env, ENV_CONFIG) {
        let path = places.given(Path::new(&path));
        return Some(Candidate {
            path,
            origin: Some(Origin::Env(ENV_CONFIG)),
        });
    }
    let path = platform.config_path.clone()?;
    Some(Candidate { path, origin: None })
}

fn read_config(candidate: &Candidate) -> Result<Option<String>, ConfigError> {
    match std::fs::read_to_string(&candidate.path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => match &candidate.origin {
            None => Ok(None),
            Some(origin) => Err(ConfigError::FileNotFound {
                path: candidate.path.clone(),
                origin: origin.clone(),
            }),
        },
        Err(source) => Err(ConfigError::Read {
            path: candidate.path.clone(),
            source,
        }),
    }
}

/// Picks a URL by precedence (flag > env > file > default) and validates it, naming its source.
fn url_setting(
    (key, default): (&'static str, &'static str),
    (flag, flag_name): (&Option<String>, &'static str),
    env: Option<(String, &'static str)>,
    file: Option<(String, Origin)>,
) -> Result<(Url, Origin), ConfigError> {
    let flag = non_empty(flag.as_deref()).map(|value| (value, Origin::Flag(flag_name)));
    let env = env.map(|(value, name)| (value, Origin::Env(name)));
    let (value, origin) = flag
        .or(env)
        .or(file)
        .unwrap_or_else(|| (default.to_owned(), Origin::Default));
    let url = parse_url(&value, origin.clone(), key, default)?;
    Ok((url, origin))
}

/// Plain http is fine to this machine (the demo server, a local proxy), but anywhere else the
/// key crosses the network readable by anyone on the way. A warning, not an error: a lab set-up
/// may have its reasons.
pub(super) fn plain_http_warning(key: &str, url: &Url, origin: &Origin) -> Option<String> {
    (url.scheme() == "http" && !is_loopback(url)).then(|| {
        format!(
            "{key} {url} (from {origin}) uses plain http to another machine, which sends the API \
             key unencrypted; use https"
        )
    })
}

/// `localhost`, `127.0.0.0/8` and `::1` (also written as `::ffff:127.x.x.x`).
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => {
            let name = name.strip_suffix('.').unwrap_or(name);
            name.eq_ignore_ascii_case("localhost")
        }
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|ip| ip.is_loopback())
        }
        None => false,
    }
}

/// Only absolute http(s) URLs with a host; a query or fragment would break joining API paths.
/// The path gets a trailing `/` so that `base.join("v1/...")` keeps a prefix such as a proxy's
/// `/truora` instead of replacing its last segment.
pub(super) fn parse_url(
    value: &str,
    origin: Origin,
    key: &'static str,
    example: &'static str,
) -> Result<Url, ConfigError> {
    let problem = match Url::parse(value.trim()) {
        Err(_) if value.trim().is_empty() => "it is empty".to_owned(),
        Err(err) => err.to_string(),
        Ok(url) if !matches!(url.scheme(), "http" | "https") => {
            format!(
                "the scheme is `{}`, only http and https are supported",
                url.scheme()
            )
        }
        Ok(url) if url.host_str().is_none_or(str::is_empty) => "it has no host".to_owned(),
        Ok(url) if url.query().is_some() || url.fragment().is_some() => {
            "a base URL cannot have a ?query or #fragment".to_owned()
        }
        Ok(mut url) => {
            if !url.path().ends_with('/') {
                let path = format!("{}/", url.path());
                url.set_path(&path);
            }
            return Ok(url);
        }
    };
    Err(ConfigError::InvalidUrl {
        origin,
        key,
        value: value.to_owned(),
        reason: problem,
        example,
    })
}

/// The longest `image_rest_ms`: beyond it the browser would feel stuck.
const MAX_IMAGE_REST_MS: i64 = 5_000;
/// Narrower than this, a picture is not worth drawing.
const MIN_IMAGE_CELLS: u16 = 4;
const MAX_IMAGE_CELLS: u16 = 1_000;

/// `"60x30"` (also `60X30`, `60×30`, spaces around) as (columns, rows) within bounds.
pub(super) fn cell_size(value: &str) -> Option<(u16, u16)> {
    let (columns, rows) = value
        .split_once(['x', 'X', '×'])
        .map(|(c, r)| (c.trim(), r.trim()))?;
    let columns: u16 = columns.parse().ok()?;
    let rows: u16 = rows.parse().ok()?;
    ((MIN_IMAGE_CELLS..=MAX_IMAGE_CELLS).contains(&columns)
        && (1..=MAX_IMAGE_CELLS).contains(&rows))
    .then_some((columns, rows))
}

/// Checks a whole-number setting against `1..=max`.
fn in_range(
    value: Option<&Spanned<i64>>,
    key: &'static str,
    max: i64,
    at: &dyn Fn(Range<usize>) -> Origin,
) -> Result<Option<i64>, ConfigError> {
    match value {
        None => Ok(None),
        Some(n) if (1..=max).contains(n.get_ref()) => Ok(Some(*n.get_ref())),
        Some(n) => Err(ConfigError::OutOfRange {
            origin: at(n.span()),
            key,
            value: *n.get_ref(),
            min: 1,
            max,
        }),
    }
}

/// The key is a credential: warn when the file holding it is readable by group or others.
#[cfg(unix)]
fn permission_warning(path: &Path) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "config file {path} contains api_key but other users can read it (mode {mode:o}); \
             run `chmod 600 {path}` to keep the key private",
            path = path.display()
        )
    })
}

#[cfg(not(unix))]
fn permission_warning(_path: &Path) -> Option<String> {
    None
}
