//! The access log: an append-only, hash-chained record of what the tool did with personal data
//! (sessions, processes opened, images shown and saved, ids copied, raw views, exports, review
//! decisions), without the data itself — ids, kinds, counts, option names and paths the user
//! chose, never names, numbers, images or note text.
//!
//! - [`event`]: what can be recorded, as types with no free-text field; a command's counts as
//!   it hands them ([`NamedCounts`]: numbers by name, so the log imports no command's types);
//! - [`record`]: a record as a JSON line and the hash chain;
//! - [`writer`]: appending under a file lock, monthly files, fsync;
//! - [`anchoring`]: telling the review store where the chain stands, before and after each batch;
//! - [`task`]: the background task the UI hands events to, so a keystroke never waits;
//! - [`verify`]: walking the chain and naming the first break;
//! - [`vouch`]: comparing the log with the heads anchored in the review store;
//! - [`cli`]: `truora-tui audit`.

pub mod anchoring;
pub mod cli;
mod counts;
pub mod event;
pub mod files;
pub mod record;
pub mod session;
pub mod task;
pub mod verify;
pub mod vouch;
pub mod writer;

use std::path::PathBuf;

pub use counts::NamedCounts;
pub use event::{
    AnchorFailure, AuditEvent, Code, ExportOutcome, ExportRunOptions, ImageTag, OutputKind,
    ProcessRef, RawKind, SourceKind,
};
pub use session::SessionInfo;
pub use task::{AuditLog, AuditSender};
pub use writer::Writer;

/// Where the log goes unless `--audit-log`, `TRUORA_TUI_AUDIT_LOG` or `audit_log` say otherwise:
/// `audit/` in the platform's data folder (`~/.local/share/truora-tui/audit` on Linux).
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("com", "truora", "truora-tui")
        .map(|dirs| dirs.data_dir().join("audit"))
}

/// The demo's own default log, `demo-audit/` beside [`default_dir`]: a demo session anchors its
/// head in the demo's own review store, so sharing a folder with live sessions would leave each
/// store vouching for half of the chain.
pub fn default_demo_dir() -> Option<PathBuf> {
    default_dir().map(|dir| dir.with_file_name("demo-audit"))
}

/// The default folder for `source`'s sessions.
pub fn default_dir_for(source: SourceKind) -> Option<PathBuf> {
    match source {
        SourceKind::Demo => default_demo_dir(),
        SourceKind::Live | SourceKind::Archive => default_dir(),
    }
}

/// Where this session logs, or `None` when it does not: on by default for live and archive
/// sources; off for the demo unless a place was chosen (`path`) or `audit = true`; `audit =
/// false` turns it off everywhere.
pub fn session_dir(
    source: SourceKind,
    path: Option<PathBuf>,
    enabled: Option<bool>,
) -> Option<PathBuf> {
    let on = match (enabled, source) {
        (Some(on), _) => on,
        (None, SourceKind::Demo) => path.is_some(),
        (None, SourceKind::Live | SourceKind::Archive) => true,
    };
    if !on {
        return None;
    }
    path.or_else(|| default_dir_for(source))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_for_live_and_archive_off_for_the_demo_unless_asked() {
        let chosen = Some(PathBuf::from("/x"));
        assert!(session_dir(SourceKind::Live, None, None).is_some());
        assert!(session_dir(SourceKind::Archive, None, None).is_some());
        assert_eq!(session_dir(SourceKind::Demo, None, None), None);
        assert_eq!(session_dir(SourceKind::Demo, chosen.clone(), None), chosen);
        assert_eq!(
            session_dir(SourceKind::Demo, None, Some(true)),
            default_demo_dir()
        );
        assert_ne!(default_demo_dir(), default_dir());
        assert_eq!(session_dir(SourceKind::Live, chosen, Some(false)), None);
    }
}
