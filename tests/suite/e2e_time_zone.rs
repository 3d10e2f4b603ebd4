//! End to end: the real browser, started with `TZ` set as a user in Bogotá would have it, shows
//! the list's and the tree's times in that zone and says so in the list's header.

use crate::e2e_support;

use std::path::Path;

use e2e_support::{Tmux, sh_quote};

#[test]
fn the_browser_shows_times_in_the_zone_of_tz() {
    let home = tempfile::tempdir().expect("tempdir");
    let command = format!(
        "env -u TRUORA_API_KEY -u TRUORA_TUI_CONFIG HOME={home} XDG_CONFIG_HOME={home}/config \
         XDG_STATE_HOME={home}/state TERM=xterm-256color TZ=America/Bogota {bin} --demo \
         --image-protocol off",
        home = sh_quote(home.path()),
        bin = sh_quote(Path::new(env!("CARGO_BIN_EXE_truora-tui"))),
    );
    let t = Tmux::start_shell(home, &command, 160, 40);
    // The date column's header names the zone ("created -05", or "date -05" where the list
    // gives the date only its day).
    t.wait_for("the zone in the list's header", |s| {
        s.contains("created -05") || s.contains("date -05")
    });
    // The first process opens by itself; its validations' times carry the offset.
    let screen = t.wait_for("a time with its offset in the tree", |s| {
        s.lines()
            .any(|l| l.contains("created: ") && l.contains(" -05"))
    });
    assert!(!screen.contains(" UTC"), "{screen}");
    t.keys(&["q"]);
    t.wait_for("the browser to quit", |_| t.exited());
}
