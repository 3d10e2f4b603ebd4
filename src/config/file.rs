//! The TOML config file: its shape, and turning toml's byte-offset errors into `path:line: key`
//! messages a user can act on.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{ConfigError, Location, line_of};
use super::keys::{self, KEY_LIST_EXPECTED, KeyList};
use super::{ImageColors, ImageProtocol};

/// The file as written. Everything is optional so that defaults, the environment and flags can
/// fill the gaps; numbers and URLs keep their spans so a bad value can be reported with its line.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileConfig {
    pub api_key: Option<String>,
    pub api_key_command: Option<String>,
    pub identity_base_url: Option<Spanned<String>>,
    pub validations_base_url: Option<Spanned<String>>,
    pub download_dir: Option<String>,
    pub image_protocol: Option<ImageProtocol>,
    pub image_colors: Option<ImageColors>,
    /// `"WxH"` in cells, e.g. `"60x30"`.
    pub image_max_cells: Option<Spanned<String>>,
    /// Signed, like the other numbers, for the range message.
    pub image_rest_ms: Option<Spanned<i64>>,
    /// Privacy mode at start (see `privacy/`).
    pub private: Option<bool>,
    /// Signed so that `-1` gets the friendly range message rather than a serde type error.
    pub concurrency: Option<Spanned<i64>>,
    pub request_timeout_secs: Option<Spanned<i64>>,
    pub reviewer: Option<String>,
    pub review_db: Option<String>,
    /// The access log's folder; `audit` turns it on or off (see `crate::audit::session_dir`).
    pub audit_log: Option<String>,
    pub audit: Option<bool>,
    /// A name for the key in the access log, instead of its fingerprint.
    pub api_key_label: Option<String>,
    pub watch: Option<Spanned<i64>>,
    /// The zone times are shown in: an IANA name, `UTC` or `local` (see `time_zone.rs`).
    pub time_zone: Option<Spanned<String>>,
    pub watch_bell: Option<bool>,
    #[serde(default)]
    pub keys: BTreeMap<String, KeyList>,
}

/// Every top-level key with what it expects, in the order `.config-example` documents them.
/// Used for the "expected one of" list and the "expected ..." hint of a wrong-type error.
pub(super) const FILE_KEYS: &[(&str, &str)] = &[
    ("api_key", "a string"),
    (
        "api_key_command",
        "a string holding a shell command, e.g. \"pass show truora\"",
    ),
    (
        "identity_base_url",
        "a string holding an http:// or https:// URL",
    ),
    (
        "validations_base_url",
        "a string holding an http:// or https:// URL",
    ),
    ("download_dir", "a string holding a folder path"),
    (
        "image_protocol",
        "one of \"auto\", \"kitty\", \"iterm2\", \"sixel\", \"halfblocks\", \"off\"",
    ),
    (
        "image_colors",
        "one of \"auto\", \"truecolor\", \"256\": how half-block pictures are coloured",
    ),
    (
        "image_max_cells",
        "a string \"COLUMNSxROWS\", e.g. \"60x30\": the largest image in cells",
    ),
    (
        "image_rest_ms",
        "a whole number of milliseconds from 0 to 5000: how long the selection rests before \
         its images are drawn",
    ),
    ("private", "true or false: start with personal data masked"),
    ("concurrency", "a whole number from 1 to 64"),
    (
        "request_timeout_secs",
        "a whole number of seconds from 1 to 600",
    ),
    ("reviewer", "a string: your name on review decisions"),
    ("review_db", "a string holding a file path"),
    ("audit_log", "a string holding a folder path"),
    ("audit", "true or false"),
    ("api_key_label", "a string naming the key in the access log"),
    ("watch", "a whole number of seconds from 5 to 86400"),
    (
        "time_zone",
        "a string: an IANA zone such as \"America/Bogota\", \"UTC\", or \"local\"",
    ),
    (
        "watch_bell",
        "true or false: ring the bell when --watch finds a new failure",
    ),
    (
        "keys",
        "a [keys] table of action = \"key\" or action = [\"key\", ...]",
    ),
];

/// Parses the file's text. Syntax is checked first with a spanned parse, which also serves to
/// find the key an error's byte range falls in: toml's own type errors point at the value only.
pub(super) fn parse(path: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    let at = |span: Option<Range<usize>>| Location {
        path: path.to_path_buf(),
        line: span.map(|span| line_of(text, span.start)),
    };
    let document = DeTable::parse(text).map_err(|err| ConfigError::Syntax {
        at: at(err.span()),
        message: err.message().trim_end().to_owned(),
    })?;
    let parsed: FileConfig = toml::from_str(text).map_err(|err| {
        let message = err.message().trim_end().to_owned();
        let key = err
            .span()
            .and_then(|span| key_at(document.get_ref(), &span))
            .or_else(|| backticked(&message))
            .unwrap_or_else(|| "?".to_owned());
        let location = at(err.span());
        if message.starts_with("unknown field") {
            ConfigError::UnknownKey {
                at: location,
                key,
                expected: expected_keys(),
            }
        } else {
            let expected = expected_for(&key).to_owned();
            let message = what_was_found(&key, &message);
            ConfigError::WrongType {
                at: location,
                key,
                message,
                expected,
            }
        }
    })?;
    keys::check(path, text, document.get_ref(), &parsed.keys)?;
    Ok(parsed)
}

fn expected_keys() -> String {
    FILE_KEYS
        .iter()
        .map(|(key, _)| *key)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a (possibly dotted) key expects; `keys.<action>` entries share one description.
fn expected_for(key: &str) -> &'static str {
    if key.starts_with("keys.") {
        return KEY_LIST_EXPECTED;
    }
    FILE_KEYS
        .iter()
        .find(|(name, _)| *name == key)
        .map_or("a value as shown in .config-example", |(_, expected)| {
            expected
        })
}

/// The dotted key whose name or value contains `span`, searching nested tables first so that
/// `[keys] quit = 5` is reported as `keys.quit` rather than `keys`.
fn key_at(table: &DeTable<'_>, span: &Range<usize>) -> Option<String> {
    let contains = |outer: Range<usize>| outer.start <= span.start && span.end <= outer.end;
    for (key, value) in table.iter() {
        let nested = match value.get_ref() {
            DeValue::Table(inner) => key_at(inner, span),
            DeValue::Array(items) => items.iter().find_map(|item| match item.get_ref() {
                DeValue::Table(inner) => key_at(inner, span),
                _ => None,
            }),
            _ => None,
        };
        if let Some(inner) = nested {
            return Some(format!("{}.{inner}", key.get_ref()));
        }
        if contains(key.span()) || contains(value.span()) {
            return Some(key.get_ref().to_string());
        }
    }
    None
}

/// serde's "invalid type: integer `5`, expected a string" without its "expected" part, which
/// [`FILE_KEYS`] says better. The value of `api_key` is not repeated: it may be the key.
fn what_was_found(key: &str, message: &str) -> String {
    if key == "api_key" {
        return "it is not a string".to_owned();
    }
    message
        .split_once(", expected")
        .map_or(message, |(found, _)| found)
        .to_owned()
}

/// The first `name` in backticks of a serde message such as "unknown field `api_kye`, ...".
fn backticked(message: &str) -> Option<String> {
    let rest = &message[message.find('`')? + 1..];
    Some(rest[..rest.find('`')?].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_err(text: &str) -> ConfigError {
        match parse(Path::new("/cfg/config.toml"), text) {
            Ok(parsed) => panic!("expected an error, got {parsed:?}"),
            Err(err) => err,
        }
    }

    #[test]
    fn unknown_key_names_file_line_key_and_the_valid_keys() {
        let err = parse_err("api_key = \"x\"\n\napi_kye = \"y\"\n");
        let text = err.to_string();
        assert!(
            matches!(&err, ConfigError::UnknownKey { key, .. } if key == "api_kye"),
            "{err:?}"
        );
        assert!(
            text.starts_with("/cfg/config.toml:3: unknown key `api_kye`"),
            "{text}"
        );
        assert!(
            text.contains("expected one of api_key, api_key_command,"),
            "{text}"
        );
        assert!(!text.contains("\"y\""), "the value is not echoed: {text}");
    }

    #[test]
    fn unknown_table_is_an_unknown_key() {
        let text = parse_err("concurrency = 2\n[extra]\na = 1\n").to_string();
        assert!(
            text.starts_with("/cfg/config.toml:2: unknown key `extra`"),
            "{text}"
        );
    }

    #[test]
    fn wrong_type_names_file_line_and_key() {
        let err = parse_err("api_key = \"x\"\nconcurrency = \"8\"\n");
        let text = err.to_string();
        assert!(matches!(&err, ConfigError::WrongType { key, .. } if key == "concurrency"));
        assert!(
            text.starts_with("/cfg/config.toml:2: bad value for `concurrency`"),
            "{text}"
        );
        assert!(
            text.ends_with("invalid type: string \"8\"; expected a whole number from 1 to 64"),
            "{text}"
        );
    }

    #[test]
    fn wrong_type_of_string_key_and_unknown_protocol_name_the_key() {
        let text = parse_err("\n  api_key\t=   12345 # comment\n").to_string();
        assert!(
            !text.contains("12345"),
            "a mistyped key is not echoed: {text}"
        );
        assert!(
            text.starts_with("/cfg/config.toml:2: bad value for `api_key`"),
            "{text}"
        );
        let text = parse_err("image_protocol = \"png\"\n").to_string();
        assert!(
            text.starts_with("/cfg/config.toml:1: bad value for `image_protocol`"),
            "{text}"
        );
        assert!(text.contains("png"), "{text}");
    }

    #[test]
    fn wrong_type_inside_keys_table_names_the_action() {
        for doc in [
            "[keys]\nquit = 5\n",
            "[keys]\nquit = [\n  \"q\",\n  5,\n]\n",
            "keys.quit = 5\n",
        ] {
            let text = parse_err(doc).to_string();
            assert!(
                text.contains("bad value for `keys.quit`"),
                "{doc:?}: {text}"
            );
            assert!(text.contains(KEY_LIST_EXPECTED), "{text}");
        }
        let text = parse_err("keys = 5\n").to_string();
        assert!(
            text.starts_with("/cfg/config.toml:1: bad value for `keys`"),
            "{text}"
        );
    }

    #[test]
    fn syntax_errors_name_file_and_line() {
        for (doc, line) in [
            ("concurrency = 2\napi_key = \"unterminated\n", 2),
            ("a = = 1", 1),
            ("\n\n[keys\n", 3),
            ("api_key = \"a\"\napi_key = \"b\"\n", 2),
        ] {
            let err = parse_err(doc);
            assert!(
                matches!(err, ConfigError::Syntax { .. }),
                "{doc:?}: {err:?}"
            );
            let text = err.to_string();
            let prefix = format!("/cfg/config.toml:{line}: invalid TOML: ");
            assert!(text.starts_with(&prefix), "{doc:?}: {text}");
        }
    }

    #[test]
    fn keys_accept_a_string_or_a_list() {
        let parsed = parse(
            Path::new("c"),
            "[keys]\nquit = \"q\"\nhelp = [\"?\", \"f1\"]\n",
        );
        let keys = parsed.expect("valid").keys;
        assert_eq!(keys["quit"], KeyList(vec!["q".into()]));
        assert_eq!(keys["help"], KeyList(vec!["?".into(), "f1".into()]));
    }

    #[test]
    fn every_documented_key_is_accepted() {
        for (key, _) in FILE_KEYS {
            // A list of numbers is the wrong type for every key (`audit` takes `true`).
            let doc = format!("{key} = [1]\n");
            let err = parse_err(&doc);
            assert!(
                matches!(err, ConfigError::WrongType { .. }),
                "{key}: {err:?}"
            );
        }
    }

    #[test]
    fn file_keys_list_matches_the_struct() {
        let err = toml::from_str::<FileConfig>("zzz = 1").expect_err("unknown key");
        let serde_list: Vec<&str> = err.message().split('`').skip(3).step_by(2).collect();
        let ours: Vec<&str> = FILE_KEYS.iter().map(|(key, _)| *key).collect();
        assert_eq!(serde_list, ours);
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics_on_any_text(text in "\\PC{0,200}") {
            let _ = parse(Path::new("c"), &text);
        }

        #[test]
        fn parse_never_panics_on_toml_like_text(
            text in "[a-z_ =\"'\\[\\].,0-9#\n{}-]{0,160}",
        ) {
            let _ = parse(Path::new("c"), &text);
        }
    }

    #[test]
    fn backticked_finds_the_first_name() {
        assert_eq!(
            backticked("unknown field `x`, expected `y`").as_deref(),
            Some("x")
        );
        assert_eq!(backticked("no ticks"), None);
        assert_eq!(backticked("one ` tick"), None);
    }
}
