//! The store's file: where it may be written, creating it privately, and telling what SQLite's
//! errors mean for the user (corrupt, newer, read-only).

use std::path::Path;

use rusqlite::Connection;

use super::schema;
use super::store::StoreError;

/// Reads the schema version and refuses a newer one; a file that is not a database fails here,
/// before anything was written to it.
pub(super) fn check_version(conn: &Connection, path: &Path) -> Result<i64, StoreError> {
    let found = schema::version(conn).map_err(|e| classify(path, e))?;
    if found > schema::CURRENT_VERSION {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found,
            supported: schema::CURRENT_VERSION,
        });
    }
    Ok(found)
}

pub(super) fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode::{DatabaseCorrupt, NotADatabase};
    match e.sqlite_error_code() {
        Some(DatabaseCorrupt | NotADatabase) => StoreError::Corrupt {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly {
            path: path.to_path_buf(),
            why: e.to_string(),
        },
        _ => sql(path, e),
    }
}

pub(super) fn sql(path: &Path, source: rusqlite::Error) -> StoreError {
    StoreError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

pub(super) fn unavailable(path: &Path, e: &std::io::Error) -> StoreError {
    StoreError::Unavailable {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

pub(super) fn is_read_only_error(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::PermissionDenied)
    )
}

/// Why the store at `path` must not be written, if it must not: a file or folder without write
/// permission (honoured even for root: taking the write bit away is how a user says "hands off").
pub(super) fn unwritable(path: &Path) -> Option<String> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if folder
        .and_then(|f| std::fs::metadata(f).ok())
        .is_some_and(|m| m.permissions().readonly())
    {
        return Some(
            "its folder is read-only (SQLite needs to write its journal beside the file)".into(),
        );
    }
    let meta = std::fs::metadata(path).ok()?;
    if meta.permissions().readonly() {
        return Some(format!(
            "the file is read-only (chmod u+w {} to decide)",
            path.display()
        ));
    }
    match std::fs::OpenOptions::new().append(true).open(path) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            Some(format!("you may not write the file ({e})"))
        }
        Err(e) if e.raw_os_error() == Some(30) => {
            Some(format!("the file system is read-only ({e})"))
        }
        _ => None,
    }
}

/// Creates the store's folder (0700) and an empty file (0600) if they do not exist, and takes
/// group and other permissions off an existing file. The `fsx` module will own this.
pub fn create_private(path: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.exists()
    {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)?;
    }
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
    {
        Ok(file) => file.set_permissions(std::fs::Permissions::from_mode(0o600)),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let meta = std::fs::metadata(path)?;
            if meta.permissions().mode() & 0o077 != 0 {
                let mode = meta.permissions().mode() & 0o700;
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))?;
            }
            Ok(())
        }
        Err(e) => Err(e),
    }
}
