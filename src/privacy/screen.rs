//! Masking for what the browser draws: tree rows (a label and values, with the JSON pointer the
//! row shows) and the raw view's pretty-printed JSON lines.

use std::borrow::Cow;

use serde_json::Value;

use super::json::{hide_all, shorten_all};
use super::{FieldKind, Known, MASK, field_kind};

/// Part `index` of a tree row that shows the JSON at `pointer`: the label (part 0) and rows of
/// no personal field are masked by shape; the values of a personal field are hidden, an id's
/// shortened. The key is the pointer's last segment that is not an array index.
pub fn mask_labelled<'a>(pointer: Option<&str>, index: usize, text: &'a str) -> Cow<'a, str> {
    Known::none().mask_labelled(pointer, index, text)
}

/// The raw view's lines of the value found at `pointer`, masked as a whole: a personal key
/// anywhere on the pointer hides every value below it, an id key shortens it, anything else is
/// masked like any JSON ([`mask_json`](super::mask_json)). Lines that are not JSON are masked
/// line by line.
pub fn mask_raw_view(pointer: &str, lines: &[String]) -> Vec<String> {
    Known::none().mask_raw_view(pointer, lines)
}

/// One line of pretty-printed JSON (`  "key": value,`): the value of a personal key is hidden,
/// an id's shortened, everything else masked by shape.
pub fn mask_json_line(line: &str) -> Cow<'_, str> {
    Known::none().mask_json_line(line)
}

impl Known {
    /// [`mask_labelled`], with this process's personal values hidden in the label too.
    pub fn mask_labelled<'a>(
        &self,
        pointer: Option<&str>,
        index: usize,
        text: &'a str,
    ) -> Cow<'a, str> {
        let key = pointer.and_then(|p| {
            p.rsplit('/')
                .find(|seg| !seg.is_empty() && !seg.bytes().all(|b| b.is_ascii_digit()))
        });
        match key {
            Some(key) if index > 0 => self.mask_field(key, text),
            _ => self.mask_text(text),
        }
    }

    /// [`mask_raw_view`], with this process's personal values hidden in every string too.
    pub fn mask_raw_view(&self, pointer: &str, lines: &[String]) -> Vec<String> {
        let Ok(value) = serde_json::from_str::<Value>(&lines.join("\n")) else {
            return lines
                .iter()
                .map(|l| self.mask_json_line(l).into_owned())
                .collect();
        };
        let keys: Vec<&str> = pointer
            .split('/')
            .filter(|seg| !seg.is_empty() && !seg.bytes().all(|b| b.is_ascii_digit()))
            .collect();
        let masked = if keys.iter().any(|k| field_kind(k) == FieldKind::Personal) {
            hide_all(&value)
        } else if keys
            .last()
            .is_some_and(|k| field_kind(k) == FieldKind::Shortened)
        {
            shorten_all(&value)
        } else {
            self.mask_json(&value)
        };
        serde_json::to_string_pretty(&masked)
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// [`mask_json_line`], with this process's personal values hidden in the line too.
    pub fn mask_json_line<'a>(&self, line: &'a str) -> Cow<'a, str> {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let parsed = trimmed
            .strip_prefix('"')
            .and_then(|rest| rest.split_once("\": "));
        let Some((key, value)) = parsed else {
            return self.mask_text(line);
        };
        let kind = field_kind(key);
        let (body, comma) = match value.strip_suffix(',') {
            Some(body) => (body, ","),
            None => (value, ""),
        };
        let opens = matches!(body, "{" | "[");
        let shown = match kind {
            FieldKind::Plain => return self.mask_text(line),
            _ if opens || body == "null" || body == "true" || body == "false" => {
                return Cow::Borrowed(line);
            }
            FieldKind::Personal => MASK.to_owned(),
            FieldKind::Shortened => self.mask_field(key, body.trim_matches('"')).into_owned(),
        };
        Cow::Owned(format!("{indent}\"{key}\": \"{shown}\"{comma}"))
    }
}
