//! Driving the real binary in tmux, as a person would: keys in with `send-keys`, the screen out
//! with `capture-pane`. Each session runs on a private tmux socket with its own HOME, so tests
//! neither share state nor touch the developer's config.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

pub struct Tmux {
    socket: PathBuf,
    pub home: tempfile::TempDir,
}

/// How long a screen may take to show what a test waits for: generous, since CI is a loaded
/// 2-core machine; tests never wait this long when things work.
const PATIENCE: Duration = Duration::from_secs(30);

impl Tmux {
    /// Starts `truora-tui <args>` in a detached session of `width`×`height` cells; `{home}` in an
    /// argument stands for the session's private home folder.
    pub fn start(args: &[&str], width: u16, height: u16) -> Tmux {
        assert!(
            Command::new("tmux").arg("-V").output().is_ok(),
            "the end-to-end tests need tmux: apt-get install -y tmux"
        );
        let home = tempfile::tempdir().expect("tempdir");
        let bin = env!("CARGO_BIN_EXE_truora-tui");
        let mut command = format!(
            "env -u TRUORA_API_KEY -u TRUORA_TUI_CONFIG HOME={} XDG_CONFIG_HOME={}/config XDG_STATE_HOME={}/state TERM=xterm-256color {}",
            sh_quote(home.path()),
            sh_quote(home.path()),
            sh_quote(home.path()),
            sh_quote(Path::new(bin))
        );
        for arg in args {
            let arg = arg.replace("{home}", &home.path().to_string_lossy());
            command.push(' ');
            command.push_str(&sh_quote(Path::new(&arg)));
        }
        Tmux::start_shell(home, &command, width, height)
    }

    /// Runs a shell `command` (already quoted) in a detached session of `width`×`height` cells,
    /// with `home` as its folder: for tests that wrap the binary in something else (ssh).
    pub fn start_shell(home: tempfile::TempDir, command: &str, width: u16, height: u16) -> Tmux {
        let socket = home.path().join("tmux.sock");
        // Keep the pane after the program exits so a crash's last screen can be read.
        let status = Command::new("tmux")
            .arg("-S")
            .arg(&socket)
            .args(["-f", "/dev/null", "new-session", "-d", "-s", "t", "-c"])
            .arg(home.path())
            .arg("-x")
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .arg(command)
            .status()
            .expect("tmux runs");
        assert!(status.success(), "tmux new-session failed");
        let t = Tmux { socket, home };
        t.tmux(&["set-option", "-t", "t", "remain-on-exit", "on"]);
        t
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends keys in tmux's notation (`j`, `Enter`, `Tab`, `C-c`).
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "t"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    /// Types literal text.
    pub fn type_text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "t", "-l", text]);
    }

    /// Copies everything the program writes to its terminal into the file `to` (`pipe-pane`),
    /// for figures of bytes on the wire.
    pub fn copy_output_to(&self, to: &Path) {
        self.tmux(&[
            "pipe-pane",
            "-t",
            "t",
            "-O",
            &format!("cat >> {}", sh_quote(to)),
        ]);
    }

    pub fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "t"])
    }

    /// Polls the screen until `done` holds; panics with the last screen when it never does.
    pub fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if done(&screen) {
                return screen;
            }
            if start.elapsed() > PATIENCE {
                panic!("timed out waiting for {what}; the screen was:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_for_text(&self, text: &str) -> String {
        self.wait_for(&format!("{text:?}"), |s| s.contains(text))
    }

    /// Whether the program has exited (the pane is dead).
    pub fn exited(&self) -> bool {
        self.pane_format("#{pane_dead}") == "1"
    }

    /// A tmux format of the pane (`#{alternate_on}`, `#{cursor_flag}`), trimmed.
    pub fn pane_format(&self, format: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", "t", format])
            .trim()
            .to_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .arg("kill-server")
            .output();
    }
}

pub fn sh_quote(p: &Path) -> String {
    format!("'{}'", p.to_string_lossy().replace('\'', r"'\''"))
}
