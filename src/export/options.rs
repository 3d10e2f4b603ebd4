//! What an export is asked to do, checked before anything is fetched.

use std::path::PathBuf;
use std::time::Duration;

use crate::api::model::{ProcessSummary, Status};

use crate::date;

/// A bad `--status`/`--since`/`--until` (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum UsageError {
    #[error("--status {0:?} is not a status: use failure, pending or success")]
    Status(String),
    #[error(
        "--{flag} {value:?} is not a date: use YYYY-MM-DD (UTC) or an RFC 3339 time such as 2024-05-01T13:00:00Z"
    )]
    Date { flag: &'static str, value: String },
    #[error("--since {since} is after --until {until}: nothing could match")]
    EmptyRange { since: String, until: String },
    #[error(
        "--status/--since/--until filter the process list; with --ids-file the file says which processes to export (filter the file instead)"
    )]
    FilterWithIds,
}

/// Client-side filters on the list items (the list's own query parameters are not public).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filter {
    pub status: Option<Status>,
    /// Inclusive, Unix seconds.
    pub since: Option<i64>,
    /// Exclusive, Unix seconds: a date alone includes that whole day.
    pub until: Option<i64>,
    /// The flags as given, for the manifest.
    pub text: (Option<String>, Option<String>, Option<String>),
}

/// Whether a list item is in the export.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Keep,
    Drop,
    /// A date filter is set and the item's `creation_date` is missing or unreadable.
    NoDate,
}

impl Filter {
    pub fn parse(
        status: Option<&str>,
        since: Option<&str>,
        until: Option<&str>,
    ) -> Result<Filter, UsageError> {
        let status = status
            .map(|s| match Status::parse(&s.trim().to_ascii_lowercase()) {
                Status::Unknown(_) => Err(UsageError::Status(s.to_owned())),
                known => Ok(known),
            })
            .transpose()?;
        let when = |flag, value: Option<&str>| {
            value
                .map(|v| {
                    date::parse(v).ok_or_else(|| UsageError::Date {
                        flag,
                        value: v.to_owned(),
                    })
                })
                .transpose()
        };
        let since_at = when("since", since)?;
        let until_at = when("until", until)?.zip(until).map(|(t, text)| {
            if date::is_date_only(text) {
                t + 86_400
            } else {
                t + 1
            }
        });
        if let (Some(s), Some(u)) = (since_at, until_at)
            && s >= u
        {
            return Err(UsageError::EmptyRange {
                since: since.unwrap_or_default().to_owned(),
                until: until.unwrap_or_default().to_owned(),
            });
        }
        Ok(Filter {
            text: (
                status_text(status.as_ref()),
                since.map(str::to_owned),
                until.map(str::to_owned),
            ),
            status,
            since: since_at,
            until: until_at,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.status.is_none() && self.since.is_none() && self.until.is_none()
    }

    pub fn verdict(&self, item: &ProcessSummary) -> Verdict {
        if let Some(wanted) = &self.status
            && item.status.as_ref() != Some(wanted)
        {
            return Verdict::Drop;
        }
        if self.since.is_none() && self.until.is_none() {
            return Verdict::Keep;
        }
        let Some(created) = item.creation_date.as_deref().and_then(date::parse) else {
            return Verdict::NoDate;
        };
        let after_start = self.since.is_none_or(|s| created >= s);
        let before_end = self.until.is_none_or(|u| created < u);
        if after_start && before_end {
            Verdict::Keep
        } else {
            Verdict::Drop
        }
    }
}

fn status_text(status: Option<&Status>) -> Option<String> {
    status.map(|s| s.as_str().to_owned())
}

/// Exactly these processes, from `--ids-file`.
#[derive(Clone, Debug, Default)]
pub struct IdsInput {
    pub ids: Vec<String>,
    /// The file they came from, for the manifest.
    pub file: Option<String>,
}

#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// The archive folder (created 0700 if missing).
    pub out: PathBuf,
    pub filter: Filter,
    /// When set, the list endpoint is not used.
    pub ids: Option<IdsInput>,
    pub images: bool,
    pub details: bool,
    /// Requests in flight; processes in flight are twice this, so the next results are already
    /// on the wire while images of the previous ones download. The client's own limit must be
    /// at least this (the command line sets both).
    pub concurrency: usize,
    /// After the client's own retries, a rate-limited request is tried again this many times,
    /// each after a longer pause: 429 slows the export down instead of failing it.
    pub rate_limit_rounds: u32,
    pub rate_limit_pause: Duration,
    /// The hosts, for the manifest (never the key).
    pub identity_url: String,
    pub validations_url: String,
}

impl ExportOptions {
    pub fn new(out: impl Into<PathBuf>) -> Self {
        ExportOptions {
            out: out.into(),
            filter: Filter::default(),
            ids: None,
            images: true,
            details: true,
            concurrency: crate::config::DEFAULT_CONCURRENCY,
            rate_limit_rounds: 8,
            rate_limit_pause: Duration::from_secs(5),
            identity_url: String::new(),
            validations_url: String::new(),
        }
    }

    /// Checks combinations that cannot work.
    pub fn validate(&self) -> Result<(), UsageError> {
        if self.ids.is_some() && !self.filter.is_empty() {
            return Err(UsageError::FilterWithIds);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(status: &str, created: Option<&str>) -> ProcessSummary {
        ProcessSummary {
            process_id: Some("IDP1".into()),
            status: Some(Status::parse(status)),
            creation_date: created.map(str::to_owned),
            ..ProcessSummary::default()
        }
    }

    #[test]
    fn filters_by_status_and_whole_days() {
        let f = Filter::parse(Some("Failure"), Some("2024-01-02"), Some("2024-01-03")).unwrap();
        assert_eq!(
            f.verdict(&item("failure", Some("2024-01-02T00:00:00Z"))),
            Verdict::Keep
        );
        assert_eq!(
            f.verdict(&item("failure", Some("2024-01-03T23:59Z"))),
            Verdict::Keep
        );
        assert_eq!(
            f.verdict(&item("failure", Some("2024-01-04T00:00Z"))),
            Verdict::Drop
        );
        assert_eq!(
            f.verdict(&item("failure", Some("2024-01-01T23:59:59Z"))),
            Verdict::Drop
        );
        assert_eq!(
            f.verdict(&item("success", Some("2024-01-02"))),
            Verdict::Drop
        );
        assert_eq!(f.verdict(&item("failure", None)), Verdict::NoDate);
        assert_eq!(f.verdict(&item("failure", Some("soon"))), Verdict::NoDate);
    }

    #[test]
    fn timestamps_are_inclusive() {
        let f = Filter::parse(None, None, Some("2024-01-02T10:00:00Z")).unwrap();
        assert_eq!(
            f.verdict(&item("x", Some("2024-01-02T10:00:00Z"))),
            Verdict::Keep
        );
        assert_eq!(
            f.verdict(&item("x", Some("2024-01-02T10:00:01Z"))),
            Verdict::Drop
        );
    }

    #[test]
    fn bad_values_say_what_is_expected() {
        let e = Filter::parse(Some("declined"), None, None).unwrap_err();
        assert!(
            e.to_string().contains("use failure, pending or success"),
            "{e}"
        );
        let e = Filter::parse(None, Some("01/02/2024"), None).unwrap_err();
        assert!(e.to_string().contains("YYYY-MM-DD"), "{e}");
        let e = Filter::parse(None, Some("2024-02-01"), Some("2024-01-01")).unwrap_err();
        assert!(matches!(e, UsageError::EmptyRange { .. }), "{e}");
        assert!(Filter::parse(None, Some("2024-01-01"), Some("2024-01-01")).is_ok());
    }
}
