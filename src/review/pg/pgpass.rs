//! `~/.pgpass` (or `PGPASSFILE`), read as libpq reads it: lines
//! `hostname:port:database:username:password`, `*` matching anything in the first four fields,
//! `\` escaping `:` and `\`, the first matching line winning; `#` lines are comments. A file that
//! its group or others may read (not 0600 or stricter), or that is not a plain file, is ignored
//! with a warning, exactly as libpq ignores it: a password others can read is no secret.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

/// The password for `host:port/database` as `user`, if the file has one. `Err` is a warning to
/// show (the file was ignored); a missing file is no password and no warning.
pub fn lookup(
    file: &Path,
    host: &str,
    port: u16,
    database: &str,
    user: &str,
) -> Result<Option<String>, String> {
    let meta = match std::fs::metadata(file) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("password file {} ignored: {e}", file.display())),
    };
    if !meta.is_file() {
        return Err(format!(
            "password file {} ignored: it is not a plain file",
            file.display()
        ));
    }
    let mode = meta.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "password file {} ignored: its group or others may read it (mode {:o}); \
             chmod 0600 {} to use it",
            file.display(),
            mode & 0o777,
            file.display()
        ));
    }
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("password file {} ignored: {e}", file.display()))?;
    Ok(find(&text, host, &port.to_string(), database, user))
}

/// The first line of `text` matching the four values.
pub fn find(text: &str, host: &str, port: &str, database: &str, user: &str) -> Option<String> {
    let wanted = [host, port, database, user];
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .find_map(|line| {
            let fields = split(line);
            if fields.len() < 5 {
                return None;
            }
            let matches = fields
                .iter()
                .zip(wanted)
                .all(|(field, value)| field == "*" || field == value);
            // The password is the rest of the line: a later unescaped `:` belongs to it.
            matches.then(|| fields[4..].join(":"))
        })
}

/// The fields of one line, unescaped.
fn split(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => fields
                .last_mut()
                .into_iter()
                .for_each(|f| f.extend(chars.next())),
            ':' => fields.push(String::new()),
            c => fields.last_mut().into_iter().for_each(|f| f.push(c)),
        }
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_matching_line_wins_and_stars_match_anything() {
        let text = "# team store\n\
                    db.example.com:5432:reviews:alice:first\n\
                    *:*:*:alice:second\n\
                    *:*:*:*:third\n";
        assert_eq!(
            find(text, "db.example.com", "5432", "reviews", "alice").as_deref(),
            Some("first")
        );
        assert_eq!(
            find(text, "db.example.com", "5433", "reviews", "alice").as_deref(),
            Some("second")
        );
        assert_eq!(find(text, "h", "1", "d", "bob").as_deref(), Some("third"));
        assert_eq!(find("h:1:d:bob:x\n", "h", "1", "d", "alice"), None);
    }

    #[test]
    fn backslashes_escape_colons_and_backslashes() {
        let text = "h\\:x:1:d:u:pa\\:ss\\\\word\n";
        assert_eq!(
            find(text, "h:x", "1", "d", "u").as_deref(),
            Some("pa:ss\\word")
        );
        // An unescaped colon in the password is kept, as libpq keeps it.
        assert_eq!(
            find("h:1:d:u:a:b\n", "h", "1", "d", "u").as_deref(),
            Some("a:b")
        );
        assert_eq!(
            find("h:1:d:u\n", "h", "1", "d", "u"),
            None,
            "too few fields"
        );
    }

    #[test]
    fn a_file_others_may_read_is_ignored_with_a_warning_and_0600_is_read() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("pgpass");
        std::fs::write(&file, "*:*:*:*:s3cret\n").expect("write");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        let warning = lookup(&file, "h", 5432, "d", "u").expect_err("ignored");
        assert!(warning.contains("chmod 0600"), "{warning}");
        assert!(!warning.contains("s3cret"), "{warning}");
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        assert_eq!(
            lookup(&file, "h", 5432, "d", "u").expect("read"),
            Some("s3cret".to_owned())
        );
        assert_eq!(
            lookup(&dir.path().join("none"), "h", 5432, "d", "u").expect("missing"),
            None
        );
    }
}
