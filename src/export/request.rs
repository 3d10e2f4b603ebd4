//! What an export was asked (`manifest.json`'s `request`), and whether a resumed run asks the
//! same: mixing two different selections in one folder would give an archive that matches
//! neither.
//!
//! Compared: where the processes come from (the list or an ids file, and which ids), the
//! `--status`/`--since`/`--until` filters, and `--no-images`/`--no-details`. Adding images or
//! details to an export made without them is allowed (the run fetches what is missing and reuses
//! the rest); leaving them out of an export that has them is not. `--concurrency` and the hosts
//! are not compared.

use super::ExportOptions;
use super::format::Request;
use super::layout;
use crate::date;

/// The request of a run, for the manifest (never the key).
pub(crate) fn from_options(opts: &ExportOptions) -> Request {
    let f = &opts.filter.text;
    Request {
        source: if opts.ids.is_some() {
            "ids-file"
        } else {
            "list"
        }
        .into(),
        ids_file: opts.ids.as_ref().and_then(|i| i.file.clone()),
        ids: opts.ids.as_ref().map(|i| i.ids.len()),
        ids_sha256: opts.ids.as_ref().map(|i| ids_hash(&i.ids)),
        status: f.0.clone(),
        since: f.1.clone(),
        until: f.2.clone(),
        images: opts.images,
        details: opts.details,
        concurrency: opts.concurrency,
        identity_url: public_url(&opts.identity_url),
        validations_url: public_url(&opts.validations_url),
    }
}

/// SHA-256 of the ids, sorted, one per line: the same set gives the same hash in any order.
fn ids_hash(ids: &[String]) -> String {
    let mut sorted: Vec<&str> = ids.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    layout::sha256_hex(sorted.join("\n").as_bytes())
}

/// A base URL fit for the manifest: no user, password or query, which could hold secrets.
fn public_url(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut url) => {
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.set_query(None);
            url.to_string()
        }
        Err(_) => String::new(),
    }
}

/// How `asked` differs from the `stored` request of an earlier run, one phrase per flag; empty
/// when the run may resume that export.
pub(crate) fn differences(stored: &Request, asked: &Request) -> Vec<String> {
    let mut out = Vec::new();
    let by_ids = |r: &Request| r.source == "ids-file";
    match (by_ids(stored), by_ids(asked)) {
        (false, true) => out.push("--ids-file: the folder holds an export of the process list".into()),
        (true, false) => out.push(
            "--ids-file: the folder holds an export of an ids file, this run asks for the process list"
                .into(),
        ),
        (true, true) => {
            let same = match (&stored.ids_sha256, &asked.ids_sha256) {
                (Some(a), Some(b)) => a == b,
                _ => stored.ids == asked.ids,
            };
            if !same {
                out.push(format!(
                    "--ids-file: other ids ({} before, {} now)",
                    stored.ids.unwrap_or_default(),
                    asked.ids.unwrap_or_default()
                ));
            }
        }
        (false, false) => {}
    }
    let status = |r: &Request| r.status.as_deref().map(str::to_ascii_lowercase);
    if status(stored) != status(asked) {
        out.push(changed("--status", &stored.status, &asked.status));
    }
    if bound(&stored.since, false) != bound(&asked.since, false) {
        out.push(changed("--since", &stored.since, &asked.since));
    }
    if bound(&stored.until, true) != bound(&asked.until, true) {
        out.push(changed("--until", &stored.until, &asked.until));
    }
    if stored.images && !asked.images {
        out.push("--no-images: the export has images".into());
    }
    if stored.details && !asked.details {
        out.push("--no-details: the export has validation details".into());
    }
    out
}

/// A date flag as the instant it stands for (so `2024-01-01` and `2024-01-01T00:00:00Z` are the
/// same `--since`), or its text when it is not a date.
fn bound(text: &Option<String>, until: bool) -> Option<Result<i64, String>> {
    let text = text.as_deref()?;
    Some(match date::parse(text) {
        Some(t) if until && date::is_date_only(text) => Ok(t + 86_400),
        Some(t) if until => Ok(t + 1),
        Some(t) => Ok(t),
        None => Err(text.to_owned()),
    })
}

fn changed(flag: &str, before: &Option<String>, now: &Option<String>) -> String {
    let show = |v: &Option<String>| match v {
        Some(v) => crate::sanitize::terminal_text(v).chars().take(40).collect(),
        None => "not given".to_owned(),
    };
    format!("{flag} was {}, now {}", show(before), show(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(status: Option<&str>, since: Option<&str>) -> Request {
        Request {
            source: "list".into(),
            status: status.map(str::to_owned),
            since: since.map(str::to_owned),
            images: true,
            details: true,
            ..Request::default()
        }
    }

    #[test]
    fn the_same_selection_resumes_and_concurrency_does_not_matter() {
        let a = list(Some("failure"), Some("2024-01-01"));
        let mut b = list(Some("failure"), Some("2024-01-01T00:00:00Z"));
        b.concurrency = 99;
        assert!(differences(&a, &b).is_empty());
    }

    #[test]
    fn other_filters_are_named() {
        let a = list(Some("failure"), None);
        let b = list(Some("success"), Some("2024-01-01"));
        assert_eq!(
            differences(&a, &b),
            [
                "--status was failure, now success",
                "--since was not given, now 2024-01-01"
            ]
        );
    }

    #[test]
    fn images_and_details_may_be_added_not_removed() {
        let mut without = list(None, None);
        without.images = false;
        without.details = false;
        let with = list(None, None);
        assert!(differences(&without, &with).is_empty());
        assert_eq!(differences(&with, &without).len(), 2);
    }

    #[test]
    fn ids_are_compared_as_a_set() {
        let ids = |v: &[&str]| {
            let v: Vec<String> = v.iter().map(|s| (*s).to_owned()).collect();
            Request {
                source: "ids-file".into(),
                ids: Some(v.len()),
                ids_sha256: Some(ids_hash(&v)),
                images: true,
                details: true,
                ..Request::default()
            }
        };
        assert!(differences(&ids(&["IDPa", "IDPb"]), &ids(&["IDPb", "IDPa"])).is_empty());
        assert_eq!(
            differences(&ids(&["IDPa", "IDPb"]), &ids(&["IDPa", "IDPc"])),
            ["--ids-file: other ids (2 before, 2 now)"]
        );
        assert_eq!(differences(&list(None, None), &ids(&["IDPa"])).len(), 1);
    }
}
