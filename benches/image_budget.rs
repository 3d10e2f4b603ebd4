//! What images cost a slow link, measured from outside the browser: the real binary on the demo
//! in a tmux pane of 200×60, half-blocks, and every byte it writes to its terminal counted
//! (`tmux pipe-pane` copies the pane's output to a file).
//!
//! - a burst of 20 `j` presses 50 ms apart (a held key) across processes with pictures, with
//!   images following every key (`image_rest_ms = 0`) and waiting for the selection to rest
//!   (the default 120 ms), in true colour, the 256-colour palette, and with a size cap;
//! - one step onto another process (`k`, then the rest and its picture), in true colour, in 256
//!   colours and with images off: the difference to "off" is the picture's own bytes.
//!
//! `cargo bench --bench image_budget` (needs tmux). Targets: the burst ≤ 100 KB in total; one
//! picture in 256 colours ≤ 60% of its true-colour bytes. Each figure is the median of RUNS.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 3;
const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;
/// Output quiet this long counts as settled: longer than the rest delay and a decode.
const QUIET: Duration = Duration::from_millis(800);
const PATIENCE: Duration = Duration::from_secs(60);

#[path = "../tests/suite/e2e_support/mod.rs"]
mod e2e_support;
use e2e_support::Tmux;

/// A browser in a private tmux server, its output copied to `out`.
struct Pane {
    tmux: Tmux,
    out: PathBuf,
}

impl Pane {
    fn start(config: &str, args: &str) -> Pane {
        let home = tempfile::tempdir().expect("tempdir");
        let dir = home.path();
        let config_path = dir.join("config.toml");
        std::fs::write(&config_path, config).expect("config");
        let out = dir.join("out.bytes");
        std::fs::write(&out, b"").expect("out");
        let d = dir.display();
        let command = format!(
            "env -u TRUORA_API_KEY -u COLORTERM HOME={d} XDG_CONFIG_HOME={d}/config \
             XDG_STATE_HOME={d}/state TERM=xterm-256color {} --demo --config {} {args}",
            env!("CARGO_BIN_EXE_truora-tui"),
            config_path.display(),
        );
        let tmux = Tmux::start_shell(home, &command, WIDTH, HEIGHT);
        tmux.copy_output_to(&out);
        Pane { tmux, out }
    }

    fn key(&self, key: &str) {
        self.tmux.keys(&[key]);
    }

    fn written(&self) -> u64 {
        std::fs::metadata(&self.out).map_or(0, |m| m.len())
    }

    fn wait_for(&self, what: &str, done: impl Fn(&str) -> bool) {
        self.tmux.wait_for(what, done);
    }

    /// Waits until the output has been quiet for [`QUIET`]; returns the bytes written so far.
    fn settle(&self) -> u64 {
        let mut last = self.written();
        let mut since = Instant::now();
        let start = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(50));
            let now = self.written();
            if now != last {
                (last, since) = (now, Instant::now());
            } else if since.elapsed() >= QUIET {
                return now;
            }
            assert!(start.elapsed() < PATIENCE, "the output never settled");
        }
    }
}

fn half_blocks(screen: &str) -> usize {
    screen.chars().filter(|c| matches!(c, '▀' | '▄')).count()
}

fn on_row(screen: &str, row: usize) -> bool {
    screen
        .lines()
        .next()
        .is_some_and(|title| title.contains(&format!(" {row}/320")))
}

/// Whether the preview shows its picture (or, images off, the picture's facts).
fn shown(screen: &str, images: bool) -> bool {
    if images {
        half_blocks(screen) > 100
    } else {
        screen.contains("px ·")
    }
}

/// Starts a browser, waits for the first process's picture, moves to row 2 (the demo's second
/// process, pending, has none) and lets everything settle: the same start for every run.
fn ready(config: &str, args: &str, images: bool) -> Pane {
    let pane = Pane::start(config, args);
    pane.wait_for("the list", |s| s.contains("320 processes"));
    pane.wait_for("the first picture", |s| shown(s, images));
    pane.key("j");
    pane.wait_for("row 2", |s| on_row(s, 2) && s.contains("no images"));
    pane.settle();
    pane
}

/// Bytes written for 20 `j` 50 ms apart, until the last process's picture is drawn and the
/// output is quiet.
fn burst(config: &str, args: &str) -> u64 {
    let pane = ready(config, args, true);
    let before = pane.written();
    for _ in 0..20 {
        pane.key("j");
        std::thread::sleep(Duration::from_millis(50));
    }
    pane.wait_for("row 22 and its picture", |s| {
        on_row(s, 22) && shown(s, true)
    });
    pane.settle() - before
}

/// Bytes written for one `k` back onto the first process, until its picture is drawn and the
/// output is quiet (drawn from the app's cache: the bytes on the wire are the same).
fn step(config: &str, args: &str, images: bool) -> u64 {
    let pane = ready(config, args, images);
    let before = pane.written();
    pane.key("k");
    pane.wait_for("row 1 and its picture", |s| {
        on_row(s, 1) && shown(s, images)
    });
    pane.settle() - before
}

fn median(mut runs: Vec<u64>) -> u64 {
    runs.sort_unstable();
    runs[runs.len() / 2]
}

fn measure(what: &str, run: impl Fn() -> u64) -> u64 {
    let runs: Vec<u64> = (0..RUNS).map(|_| run()).collect();
    let m = median(runs.clone());
    println!("| {what} | {:.1} KB | {runs:?} |", kb(m));
    m
}

fn kb(bytes: u64) -> f64 {
    bytes as f64 / 1024.0
}

fn main() {
    if Command::new("tmux").arg("-V").output().is_err() {
        eprintln!("SKIPPED: the image budget bench needs tmux (apt-get install tmux)");
        return;
    }
    let halfblocks = "--image-protocol halfblocks";
    println!("200×60, half-blocks, the demo; bytes the browser wrote to its terminal\n");
    println!("| a burst of 20 `j` 50 ms apart | median | runs (bytes) |");
    println!("|---|---|---|");
    let every_key = measure(
        "images follow every key (`image_rest_ms = 0`), true colour",
        || {
            burst(
                "image_rest_ms = 0\nimage_colors = \"truecolor\"\n",
                halfblocks,
            )
        },
    );
    let rest_true = measure("images wait for the rest (120 ms), true colour", || {
        burst("image_colors = \"truecolor\"\n", halfblocks)
    });
    let defaults = measure(
        "the defaults: rest 120 ms, `image_colors = \"auto\"` (no `COLORTERM`: 256 colours)",
        || burst("", halfblocks),
    );
    let rest_256 = measure("images wait for the rest, 256 colours", || {
        burst("image_colors = \"256\"\n", halfblocks)
    });
    measure(
        "images wait for the rest, 256 colours, `image_max_cells = \"60x30\"`",
        || {
            burst(
                "image_colors = \"256\"\nimage_max_cells = \"60x30\"\n",
                halfblocks,
            )
        },
    );
    println!();
    println!("| one step (`k`) onto a process with a picture | median | runs (bytes) |");
    println!("|---|---|---|");
    let true_step = measure("true colour", || {
        step("image_colors = \"truecolor\"\n", halfblocks, true)
    });
    let step_256 = measure("256 colours", || {
        step("image_colors = \"256\"\n", halfblocks, true)
    });
    let off = measure("images off (the picture's facts only)", || {
        step("", "--image-protocol off", false)
    });
    let picture_true = true_step.saturating_sub(off);
    let picture_256 = step_256.saturating_sub(off);
    println!();
    println!(
        "burst: {:.1} KB following every key → {:.1} KB waiting for the rest (true colour), \
         {:.1} KB in 256 colours, {:.1} KB with the defaults (target ≤ 100 KB)",
        kb(every_key),
        kb(rest_true),
        kb(rest_256),
        kb(defaults),
    );
    println!(
        "one picture (a step minus the same step with images off): {:.1} KB true colour, \
         {:.1} KB in 256 colours = {:.0}% (target ≤ 60%)",
        kb(picture_true),
        kb(picture_256),
        100.0 * picture_256 as f64 / picture_true.max(1) as f64
    );
}
