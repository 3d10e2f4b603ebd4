//! The file-system threat: a server-provided id used as a name must stay one plain name.

/// Longest file-name component we produce; far below every file system's limit (255 bytes).
const MAX_COMPONENT: usize = 120;

/// Turns any string into one safe path component: ASCII letters, digits, `-`, `_` and `.` are kept,
/// everything else becomes `_`; it never is `.`, `..`, empty or hidden, and is at most 120 bytes.
/// Distinct ids that map to the same name are not disambiguated here: callers that need uniqueness
/// add a suffix (see the save code).
pub fn file_component(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .take(MAX_COMPONENT)
        .collect();
    if out.starts_with('.') {
        out.replace_range(0..1, "_");
    }
    if out.is_empty() {
        out.push('_');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_component_cannot_escape_a_folder() {
        for hostile in [
            "../../x",
            "..",
            ".",
            "",
            "/etc/passwd",
            "a/../../b",
            "C:\\x",
            ".hidden",
        ] {
            let name = file_component(hostile);
            assert!(
                !name.contains('/') && !name.contains('\\'),
                "{hostile:?} -> {name:?}"
            );
            assert!(
                name != "." && name != ".." && !name.starts_with('.'),
                "{hostile:?} -> {name:?}"
            );
            assert!(!name.is_empty());
        }
        assert_eq!(file_component("IDPabc-123_x.json"), "IDPabc-123_x.json");
        assert_eq!(file_component("../../x"), "_._.._x");
    }

    #[test]
    fn file_component_is_bounded() {
        let long = "é".repeat(1000);
        assert!(file_component(&long).len() <= MAX_COMPONENT);
    }
}
