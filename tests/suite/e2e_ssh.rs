//! End to end through a real SSH server: the browser runs on the far side of an OpenSSH session on
//! loopback, inside tmux, the way a reviewer uses it on a jump host. The test starts its own
//! `sshd` on a free port with a throwaway host key and user key, and puts a small counting TCP
//! forwarder between `ssh` and `sshd`, so the bytes a key burst costs are measured exactly as they
//! cross the connection (encrypted, framing included).
//!
//! Without the OpenSSH binaries it cannot run: it then says `SKIPPED` on the terminal, and under
//! `CI=true` it fails instead (`.ci/run` installs them: `apt-get install openssh-server
//! openssh-client`). See `tests/suite/skip_support`.

use crate::e2e_support;
use crate::skip_support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use e2e_support::{Tmux, sh_quote};

const SSHD: &str = "/usr/sbin/sshd";
/// How long sshd may take to listen, and the burst's output to settle: generous for a loaded CI.
const PATIENCE: Duration = Duration::from_secs(30);

/// `sshd` and `ssh-keygen` and `ssh`, or the reason the test cannot run.
fn openssh_missing() -> Option<String> {
    if !Path::new(SSHD).exists() {
        return Some(format!("{SSHD} is missing: apt-get install openssh-server"));
    }
    for tool in ["ssh", "ssh-keygen"] {
        if Command::new(tool).arg("-V").output().is_err()
            && Command::new(tool).arg("-?").output().is_err()
        {
            return Some(format!("{tool} is missing: apt-get install openssh-client"));
        }
    }
    None
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args([
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "truora-tui-e2e",
            "-f",
        ])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen runs");
    assert!(status.success(), "ssh-keygen failed for {}", path.display());
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A private `sshd` on loopback; killed (by its own pid) when dropped.
struct Sshd {
    child: Child,
    port: u16,
    user_key: PathBuf,
}

impl Sshd {
    fn start(dir: &Path) -> Sshd {
        let host_key = dir.join("host_ed25519");
        let user_key = dir.join("user_ed25519");
        keygen(&host_key);
        keygen(&user_key);
        let authorized = dir.join("authorized_keys");
        std::fs::copy(user_key.with_extension("pub"), &authorized).expect("authorized_keys");
        // sshd refuses to start without its privilege-separation folder; a fresh container
        // that never ran the service has none.
        if !Path::new("/run/sshd").exists() {
            let _ = std::fs::create_dir_all("/run/sshd");
        }
        let port = free_port();
        let config = dir.join("sshd_config");
        std::fs::write(
            &config,
            format!(
                "ListenAddress 127.0.0.1\nPort {port}\nHostKey {}\nAuthorizedKeysFile {}\n\
                 PidFile {}\nUsePAM no\nStrictModes no\nPasswordAuthentication no\n\
                 KbdInteractiveAuthentication no\nPubkeyAuthentication yes\n\
                 PermitRootLogin prohibit-password\nPrintMotd no\nPrintLastLog no\n\
                 AcceptEnv TERM\n",
                host_key.display(),
                authorized.display(),
                dir.join("sshd.pid").display(),
            ),
        )
        .expect("sshd_config");
        let log = std::fs::File::create(dir.join("sshd.log")).expect("sshd log");
        let child = Command::new(SSHD)
            .args(["-D", "-e", "-f"])
            .arg(&config)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("sshd starts");
        let sshd = Sshd {
            child,
            port,
            user_key,
        };
        let start = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                start.elapsed() < PATIENCE,
                "sshd never listened on {port}; its log:\n{}",
                std::fs::read_to_string(dir.join("sshd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        sshd
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Bytes that crossed the forwarder: client→server (keys) and server→client (screen).
#[derive(Default)]
struct Counters {
    up: AtomicU64,
    down: AtomicU64,
}

impl Counters {
    fn down(&self) -> u64 {
        self.down.load(Ordering::SeqCst)
    }
    fn up(&self) -> u64 {
        self.up.load(Ordering::SeqCst)
    }
}

/// A loopback TCP forwarder to `target` that counts every byte each way; returns its port.
fn counting_forwarder(target: u16, counters: Arc<Counters>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("forwarder binds");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming() {
            let Ok(client) = client else { return };
            let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
                return;
            };
            let pipe = |mut from: TcpStream, mut to: TcpStream, up: bool, c: Arc<Counters>| {
                std::thread::spawn(move || {
                    let mut buf = [0u8; 16 * 1024];
                    while let Ok(n) = from.read(&mut buf) {
                        if n == 0 || to.write_all(&buf[..n]).is_err() {
                            break;
                        }
                        let counter = if up { &c.up } else { &c.down };
                        counter.fetch_add(n as u64, Ordering::SeqCst);
                    }
                    let _ = to.shutdown(Shutdown::Write);
                });
            };
            pipe(
                client.try_clone().unwrap(),
                server.try_clone().unwrap(),
                true,
                counters.clone(),
            );
            pipe(server, client, false, counters.clone());
        }
    });
    port
}

/// Waits until `counters.down` has not moved for `quiet`: the screen's output has settled.
fn settle(counters: &Counters, quiet: Duration) -> u64 {
    let start = Instant::now();
    let mut last = counters.down();
    let mut since = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(25));
        let now = counters.down();
        if now != last {
            last = now;
            since = Instant::now();
        } else if since.elapsed() >= quiet {
            return now;
        }
        assert!(start.elapsed() < PATIENCE, "the output never settled");
    }
}

fn half_blocks(screen: &str) -> usize {
    screen.chars().filter(|c| matches!(c, '▀' | '▄')).count()
}

fn title(screen: &str) -> &str {
    screen.lines().next().unwrap_or("")
}

#[test]
fn browse_the_demo_through_sshd_and_measure_a_key_burst() {
    if let Some(why) = openssh_missing() {
        skip_support::skip(&format!("the SSH end-to-end test needs OpenSSH: {why}"));
        return;
    }
    let keys = tempfile::tempdir().expect("tempdir");
    let sshd = Sshd::start(keys.path());
    let counters = Arc::new(Counters::default());
    let port = counting_forwarder(sshd.port, counters.clone());

    let home = tempfile::tempdir().expect("tempdir");
    let h = sh_quote(home.path());
    // The far side gets a clean environment from sshd; point its config, state and home at the
    // test's folder so nothing of the machine's own truora-tui setup is read or written.
    let remote = format!(
        "env -u TRUORA_API_KEY -u TRUORA_TUI_CONFIG HOME={h} XDG_CONFIG_HOME={h}/config \
         XDG_STATE_HOME={h}/state {} --demo --image-protocol halfblocks; \
         status=$?; echo \"truora-tui exited $status\"; exit $status",
        sh_quote(Path::new(env!("CARGO_BIN_EXE_truora-tui")))
    );
    let ssh = format!(
        "TERM=xterm-256color ssh -F /dev/null -p {port} -i {} -o IdentitiesOnly=yes \
         -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
         -o LogLevel=ERROR -t 127.0.0.1 {}",
        sh_quote(&sshd.user_key),
        sh_quote(Path::new(&remote)),
    );
    // ssh's own exit status is printed by the local shell: tmux may mark the pane dead before
    // it has reaped the process (the status then reads empty), while the shell waits for ssh.
    let ssh = format!("{ssh}; echo \"ssh exited $?\"");
    let t = Tmux::start_shell(home, &ssh, 200, 60);

    // The list loads and the first process's picture draws in half-blocks.
    t.wait_for_text("320 processes");
    t.wait_for("an image in half-blocks", |s| {
        half_blocks(s) > 200 && s.contains("px ·")
    });
    assert_eq!(t.pane_format("#{alternate_on}"), "1", "{}", t.screen());

    // Keys answer: one `j` moves the cursor.
    t.keys(&["j"]);
    t.wait_for("`j` to move to row 2", |s| title(s).contains(" 2/320"));
    let before = settle(&counters, Duration::from_millis(750));
    let up_before = counters.up();

    // The burst of the issue: 20 `j` 50 ms apart, a held key. The pacing is the input being
    // measured, not a wait for the program.
    let burst_start = Instant::now();
    for _ in 0..20 {
        t.keys(&["j"]);
        std::thread::sleep(Duration::from_millis(50));
    }
    t.wait_for("the burst to land on row 22", |s| {
        title(s).contains(" 22/320") && half_blocks(s) > 200
    });
    let after = settle(&counters, Duration::from_millis(750));
    let down = after - before;
    let up = counters.up() - up_before;
    println!(
        "over SSH, 200x60, half-blocks, demo: a burst of 20 `j` 50 ms apart moved \
         {down} bytes server→client ({:.1} KB, {:.1} KB a key) and {up} bytes client→server; \
         {:.1} s of transfer at 1 Mbit/s; settled {:.1} s after the first key",
        down as f64 / 1024.0,
        down as f64 / 1024.0 / 20.0,
        down as f64 * 8.0 / 1_000_000.0,
        burst_start.elapsed().as_secs_f64(),
    );
    // Something crossed for every key: the counters see the session, not another connection.
    assert!(up > 0 && down > 0, "up {up}, down {down}");

    // `q` leaves: the remote terminal is back on the normal screen (tmux's view of it), and
    // the program's exit status comes back through the remote shell and ssh.
    t.keys(&["q"]);
    t.wait_for("ssh to end", |_| t.exited());
    let screen = t.screen();
    // ssh returns the remote command's status: the remote shell's `exit $status`.
    assert!(screen.contains("ssh exited 0"), "{screen}");
    assert!(!screen.contains("320 processes"), "{screen}");
    assert_eq!(t.pane_format("#{alternate_on}"), "0", "{screen}");
}
