//! Who and where a session runs, for its `session_start` record, read without running any
//! command: the OS user from `USER`/`LOGNAME`, the host from `/etc/hostname` or `HOSTNAME`.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use super::event::{AuditEvent, Code, SourceKind, hex};
use super::task::{AuditLog, WarningSink};
use super::writer::Writer;
use crate::api::ApiKey;

/// A session's access log: where it goes (`None`: off), the review store its head is anchored in
/// (`None`: nowhere, and `audit --verify` vouches for none of its records), and what its first
/// record says.
#[derive(Clone, Debug)]
pub struct Session {
    pub dir: Option<PathBuf>,
    pub review_db: Option<PathBuf>,
    pub info: SessionInfo,
}

impl Session {
    /// No log.
    pub fn off() -> Session {
        Session {
            dir: None,
            review_db: None,
            info: SessionInfo::detect(SourceKind::Demo, None, None, None),
        }
    }

    /// Starts the background writer and records the session's start; a disabled log when the
    /// session does not log. Needs a tokio runtime.
    pub fn start(self, warn: WarningSink) -> AuditLog {
        let Some(dir) = self.dir else {
            return AuditLog::disabled();
        };
        let writer = match self.review_db {
            Some(store) => Writer::anchored(dir, self.info.id, store),
            None => Writer::new(dir, self.info.id),
        };
        let log = AuditLog::start_writer(writer, warn);
        log.record(self.info.start);
        log
    }
}

/// What a session's first record says.
#[derive(Clone, Debug)]
pub struct SessionInfo {
    /// 8 hex digits stamped on every record of the session.
    pub id: String,
    pub start: AuditEvent,
}

impl SessionInfo {
    /// The session of this process, on `source`, with the key's `label` from the config or, if
    /// none, a fingerprint of `key`.
    pub fn detect(
        source: SourceKind,
        key: Option<&ApiKey>,
        label: Option<&str>,
        reviewer: Option<&str>,
    ) -> SessionInfo {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let host = std::fs::read_to_string("/etc/hostname")
            .ok()
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .or_else(|| env("HOSTNAME"));
        let os_user = env("USER").or_else(|| env("LOGNAME"));
        let key = label
            .map(Code::new)
            .or_else(|| key.map(|k| Code::new(&key_fingerprint(k))));
        let pid = std::process::id();
        let start = AuditEvent::SessionStart {
            reviewer: reviewer.map(Code::name),
            os_user: os_user.as_deref().map(Code::new),
            host: host.as_deref().map(Code::new),
            source,
            key,
            pid,
        };
        SessionInfo {
            id: session_id(pid, host.as_deref()),
            start,
        }
    }
}

/// The first 8 hex digits of the key's SHA-256: enough to tell keys apart in a log, far too
/// little to recover or test a key against.
pub fn key_fingerprint(key: &ApiKey) -> String {
    hex(&Sha256::digest(key.expose().as_bytes()))[..8].to_owned()
}

/// A short id for a session, distinct across processes and restarts.
fn session_id(pid: u32, host: Option<&str>) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut hasher = Sha256::new();
    hasher.update(pid.to_le_bytes());
    hasher.update(nanos.to_le_bytes());
    hasher.update(host.unwrap_or("").as_bytes());
    hex(&hasher.finalize())[..8].to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_never_appears_only_its_fingerprint() {
        let key = ApiKey::new("secret-key-value".into());
        let info = SessionInfo::detect(SourceKind::Live, Some(&key), None, None);
        let json = serde_json::to_string(&info.start).expect("serialises");
        assert!(!json.contains("secret"), "{json}");
        assert!(json.contains(&key_fingerprint(&key)), "{json}");
        assert_eq!(key_fingerprint(&key).len(), 8);
        let labelled = SessionInfo::detect(SourceKind::Live, Some(&key), Some("prod-read"), None);
        let json = serde_json::to_string(&labelled.start).expect("serialises");
        assert!(json.contains("\"key\":\"prod-read\""), "{json}");
        assert_eq!(info.id.len(), 8);
    }
}
