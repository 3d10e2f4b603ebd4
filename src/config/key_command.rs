//! Running `api_key_command`, so the key can live in a password manager instead of a file.
//!
//! The key is the first non-blank line of the command's stdout, trimmed, so password-manager
//! entries with more lines after the password work as they are.
//!
//! The command's stdout is the key and therefore never appears in an error; its exit status and
//! stderr do, because that is what the user needs to fix the command.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::process::Command;

use super::ApiKey;
use super::error::ConfigError;
use crate::sanitize::terminal_lines;

/// Caps what is read from each pipe: a key is short, and a runaway command must not eat memory.
const MAX_OUTPUT_BYTES: u64 = 64 * 1024;
/// Caps the stderr quoted in an error message.
const MAX_STDERR_CHARS: usize = 2000;

/// Runs `command` with `sh -c`, stdin closed, and returns the first non-blank line of its
/// stdout, trimmed, as the key.
pub(super) async fn run(command: &str, timeout: Duration) -> Result<ApiKey, ConfigError> {
    let fail = |problem: String, status: String, stderr: &[u8]| ConfigError::ApiKeyCommand {
        command: command.to_owned(),
        problem,
        status,
        stderr: clean_stderr(stderr),
    };
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .map_err(|err| {
            fail(
                format!("could not be started: {err}"),
                "not started".into(),
                b"",
            )
        })?;
    let (Some(stdout), Some(stderr)) = (child.stdout.take(), child.stderr.take()) else {
        return Err(fail(
            "could not be started: no pipes".into(),
            "not started".into(),
            b"",
        ));
    };

    // The buffers live outside the timed future, so stderr read before a timeout is kept.
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut stdout = stdout.take(MAX_OUTPUT_BYTES);
    let mut stderr = stderr.take(MAX_OUTPUT_BYTES);
    let finished = tokio::time::timeout(timeout, async {
        // Pipe read errors only shorten what we see; the exit status still decides.
        let (status, _, _) = tokio::join!(
            child.wait(),
            stdout.read_to_end(&mut out),
            stderr.read_to_end(&mut err),
        );
        status
    })
    .await;

    let status = match finished {
        Err(_elapsed) => {
            // Best effort: kill_on_drop covers the case where this fails.
            let _ = child.start_kill();
            let problem = format!("timed out after {} s", timeout.as_secs_f32());
            return Err(fail(problem, "killed".into(), &err));
        }
        Ok(Err(io)) => {
            return Err(fail(
                format!("could not be waited for: {io}"),
                "unknown".into(),
                &err,
            ));
        }
        Ok(Ok(status)) => status,
    };
    if !status.success() {
        return Err(fail("failed".into(), status.to_string(), &err));
    }
    // `pass show` prints the password on the first line and may add more (user name, URL,
    // notes): the key is the first line with anything on it.
    let key = match first_line(&out) {
        None => {
            return Err(fail(
                "printed nothing on stdout".into(),
                status.to_string(),
                &err,
            ));
        }
        Some(Err(NotUtf8)) => {
            return Err(fail(
                "printed a first line that is not UTF-8 text".into(),
                status.to_string(),
                &err,
            ));
        }
        Some(Ok(key)) => key,
    };
    ApiKey::checked(key.to_owned(), || {
        format!("the first line printed by api_key_command `{command}`")
    })
}

/// The first non-blank line of a command's output is not text.
struct NotUtf8;

/// The first line of `out` that is not blank, trimmed.
fn first_line(out: &[u8]) -> Option<Result<&str, NotUtf8>> {
    out.split(|b| *b == b'\n')
        .find_map(|line| match std::str::from_utf8(line) {
            Ok(text) => Some(Ok(text.trim())).filter(|text| !matches!(text, Ok(""))),
            Err(_) => Some(Err(NotUtf8)),
        })
}

/// Makes stderr safe to print in a terminal: lossy UTF-8, lines kept and every other terminal
/// control removed ([`terminal_lines`]), trimmed and capped.
fn clean_stderr(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    let mut clean: String = terminal_lines(text.trim())
        .chars()
        .take(MAX_STDERR_CHARS)
        .collect();
    if text.trim().chars().count() > MAX_STDERR_CHARS {
        clean.push('…');
    }
    if clean.is_empty() {
        clean.push_str("(empty)");
    }
    clean
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    const LONG: Duration = Duration::from_secs(30);

    async fn run_err(command: &str, timeout: Duration) -> (ConfigError, String) {
        match run(command, timeout).await {
            Ok(_) => panic!("expected `{command}` to fail"),
            Err(err) => {
                let text = err.to_string();
                (err, text)
            }
        }
    }

    #[tokio::test]
    async fn stdout_is_the_trimmed_key() {
        let key = run("printf '  sk-123\\n\\n'", LONG)
            .await
            .expect("command succeeds");
        assert_eq!(key.expose(), "sk-123");
    }

    #[tokio::test]
    async fn the_key_is_the_first_non_empty_line() {
        // What `pass show truora` prints for an entry with notes; CRLF endings too.
        let command = "printf '\\n  \\r\\n  sk-123 \\r\\nlogin: me\\nurl: https://x\\n'";
        let key = run(command, LONG).await.expect("command succeeds");
        assert_eq!(key.expose(), "sk-123");
        let key = run("printf 'sk-no-newline'", LONG).await.expect("ok");
        assert_eq!(key.expose(), "sk-no-newline");
    }

    #[tokio::test]
    async fn a_first_line_that_cannot_be_a_header_is_refused_without_showing_it() {
        // The line holds an escape character; "topsecret" is not in the command text.
        for command in [
            "printf 'top%s\\033[0m\\nrest\\n' secret",
            "printf 'top%s\\001x\\n' secret",
        ] {
            let (err, text) = run_err(command, LONG).await;
            assert!(matches!(err, ConfigError::InvalidApiKey { .. }), "{err:?}");
            assert!(
                text.starts_with(
                    "the API key contains characters that cannot be sent in a header (a newline?): check the first line printed by api_key_command `"
                ),
                "{text}"
            );
            assert!(!text.contains("topsecret"), "the key leaked: {text}");
        }
        let (_, text) = run_err("printf '\\377\\376\\n'", LONG).await;
        assert!(text.contains("not UTF-8"), "{text}");
    }

    #[tokio::test]
    async fn failure_reports_status_and_stderr_but_not_stdout() {
        // stdout is "topsecret", a string that does not occur in the command itself.
        let command = "printf 'top%s' secret; echo 'gpg: decryption failed' >&2; exit 3";
        let (err, text) = run_err(command, LONG).await;
        assert!(matches!(err, ConfigError::ApiKeyCommand { .. }));
        assert!(text.contains("exit status: 3"), "{text}");
        assert!(text.contains("gpg: decryption failed"), "{text}");
        assert!(text.contains(command), "the command is named: {text}");
        assert!(!text.contains("topsecret"), "stdout leaked: {text}");
    }

    #[tokio::test]
    async fn empty_output_is_an_error() {
        let (_, text) = run_err("echo '  ' ; echo 'no entry' >&2", LONG).await;
        assert!(text.contains("printed nothing on stdout"), "{text}");
        assert!(text.contains("exit status: 0"), "{text}");
        assert!(text.contains("no entry"), "{text}");
    }

    #[tokio::test]
    async fn missing_program_reports_shell_stderr() {
        let (_, text) = run_err("definitely-not-a-program-truora-tui", LONG).await;
        assert!(text.contains("exit status: 127"), "{text}");
        assert!(text.contains("not found"), "{text}");
    }

    #[tokio::test]
    async fn timeout_kills_and_reports() {
        let (_, text) = run_err("exec sleep 30", Duration::from_millis(100)).await;
        assert!(text.contains("timed out after 0.1 s"), "{text}");
        assert!(text.contains("(killed)"), "{text}");
    }

    #[tokio::test]
    async fn stdin_is_closed() {
        // `cat` would hang on an inherited terminal; with stdin null it sees EOF at once.
        let (_, text) = run_err("cat", LONG).await;
        assert!(text.contains("printed nothing on stdout"), "{text}");
    }

    #[test]
    fn stderr_is_cleaned_and_capped() {
        assert_eq!(clean_stderr(b"\x1b[31mred\x1b[0m\n"), "[31mred[0m");
        assert_eq!(clean_stderr(b"  "), "(empty)");
        assert_eq!(clean_stderr(b"a\nb\tc"), "a\nb\tc");
        let long = clean_stderr(&[b'x'; 5000]);
        assert_eq!(long.chars().count(), MAX_STDERR_CHARS + 1);
        assert!(long.ends_with('…'));
        assert_eq!(clean_stderr(&[0xff, b'o', b'k']), "\u{fffd}ok");
    }
}
