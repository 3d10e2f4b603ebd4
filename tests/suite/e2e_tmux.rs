//! End to end: the real binary on the embedded demo, in tmux, driven by keys like a person.

use crate::e2e_support;

use e2e_support::Tmux;

/// The right-hand panes of a screen (tree and preview): everything after the list's border.
fn right_side(screen: &str) -> Vec<String> {
    screen
        .lines()
        .filter_map(|l| l.split_once("┃│").map(|(_, right)| right.to_owned()))
        .collect()
}

/// `N` from the list title's `… · 1/N`.
fn matching_rows(screen: &str) -> Option<usize> {
    let title = screen.lines().next()?;
    let (_, after) = title.split_once("1/")?;
    after
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()
}

fn half_blocks(screen: &str) -> usize {
    screen.chars().filter(|c| matches!(c, '▀' | '▄')).count()
}

#[test]
fn review_a_failed_process_and_save_its_image() {
    let t = Tmux::start(
        &[
            "--demo",
            "--image-protocol",
            "halfblocks",
            "--download-dir",
            "{home}/DL",
        ],
        200,
        60,
    );
    // The list loads every page in the background.
    t.wait_for_text("320 processes");

    // Jump to a failed process: the tree opens on its first failing check. Conditions are
    // checked together on one capture: tmux may show a frame half drawn.
    t.keys(&["n"]);
    t.wait_for("the cursor on a failing check of the new process", |s| {
        s.lines().next().is_some_and(|l| !l.contains(" 1/320"))
            && s.contains("failed check")
            && !s.contains("loading result")
            && right_side(s)
                .iter()
                .any(|l| l.trim_start().starts_with('›') && l.contains('✗'))
    });

    // The preview draws the process's first picture in half-blocks, with its facts below.
    t.wait_for("an image in half-blocks", |s| {
        half_blocks(s) > 200 && s.contains("px ·")
    });

    // `S` saves every image of the process into DL/<process id>/.
    t.keys(&["S"]);
    let screen = t.wait_for_text("saved ");
    let dl = t.home.path().join("DL");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&dl).expect("the download dir exists") {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            files.push(f.unwrap().path());
        }
    }
    assert!(!files.is_empty(), "{screen}");
    #[cfg(unix)]
    for f in &files {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", f.display());
        assert!(std::fs::metadata(f).unwrap().len() > 0);
    }

    // `q` quits and the program ends.
    t.keys(&["q"]);
    t.wait_for("the program to exit", |_| t.exited());
}

#[test]
fn help_filter_and_a_small_terminal() {
    let t = Tmux::start(&["--demo", "--image-protocol", "off"], 80, 24);
    t.wait_for_text("320 processes");
    t.keys(&["?"]);
    let screen = t.wait_for_text("show or hide this help");
    assert!(screen.contains("ctrl-c"), "{screen}");
    assert!(screen.contains("[keys] name"), "{screen}");
    t.keys(&["Escape"]);
    t.wait_for("help to close", |s| !s.contains("show or hide this help"));

    // Filter by country: the title shows the filter and how many rows match.
    t.keys(&["/"]);
    t.type_text("PE");
    t.keys(&["Enter"]);
    // The title shows the query as typed; matching ignores case.
    let screen = t.wait_for("the filter to apply", |s| s.contains("/PE ·"));
    let matches = matching_rows(&screen).expect("the title counts the rows left");
    assert!(
        matches > 0 && matches < 320,
        "{matches} rows match:\n{screen}"
    );

    // Ctrl-C quits from anywhere.
    t.keys(&["C-c"]);
    t.wait_for("the program to exit", |_| t.exited());
}

#[test]
fn a_terminal_below_80x24_says_so() {
    let t = Tmux::start(&["--demo", "--image-protocol", "off"], 60, 20);
    t.wait_for_text("terminal too small");
    t.keys(&["q"]);
    t.wait_for("the program to exit", |_| t.exited());
}

#[test]
fn with_automatic_images_inside_tmux_the_first_key_counts() {
    // No --image-protocol: `auto`. A terminal query that nobody answers would eat this key.
    let t = Tmux::start(&["--demo"], 120, 40);
    t.wait_for_text("320 processes");
    t.keys(&["j"]);
    t.wait_for("the first key to move the cursor", |s| {
        s.lines().next().is_some_and(|l| l.contains(" 2/320"))
    });
    t.keys(&["q"]);
    t.wait_for("the program to exit", |_| t.exited());
}

#[test]
fn watch_picks_up_demo_arrivals_without_moving_the_cursor() {
    // A process arrives every second in the demo; the browser polls every 5 s (the minimum).
    let t = Tmux::start(
        &[
            "--demo",
            "--demo-processes",
            "40",
            "--demo-arrivals",
            "1",
            "--watch",
            "5",
            "--image-protocol",
            "off",
        ],
        160,
        40,
    );
    t.wait_for_text(" 1/4");
    t.keys(&["j", "j"]);
    let before = t.wait_for("the cursor on row 3", |s| {
        s.lines().next().is_some_and(|l| l.contains(" 3/"))
    });
    let total_before = matching_rows_at(&before).expect("a row count");
    // The next poll brings the arrivals: the title counts them, and the cursor stays on the
    // same process, pushed down by as many rows as arrived above it.
    let after = t.wait_for("a poll to bring new processes", |s| {
        s.lines().next().is_some_and(|l| l.contains(" new"))
    });
    let title = after.lines().next().unwrap_or("");
    let total_after = total_of(title).expect("a row count");
    assert!(total_after > total_before, "{title}");
    let cursor = position_of(title)
        .map(|(c, _)| c)
        .expect("the cursor position");
    assert_eq!(cursor, 3 + (total_after - total_before), "{after}");
    t.keys(&["q"]);
    t.wait_for("the program to exit", |_| t.exited());
}

/// `N` of the title's ` · C/N`, where the cursor is anywhere.
fn total_of(title: &str) -> Option<usize> {
    position_of(title).map(|(_, n)| n)
}

/// The title's ` · C/N` part (other parts such as `reviewed 0 of N` or `2 new` may follow).
fn position_of(title: &str) -> Option<(usize, usize)> {
    title.split(" · ").find_map(|part| {
        let (c, n) = part.trim().split_once('/')?;
        let n = n.split(|ch: char| !ch.is_ascii_digit()).next()?;
        Some((c.trim().parse().ok()?, n.parse().ok()?))
    })
}

fn matching_rows_at(screen: &str) -> Option<usize> {
    total_of(screen.lines().next()?)
}

/// Whole process ids (`IDP` and 32 hex digits, 35 characters) in a line of the screen.
fn whole_ids(line: &str) -> Vec<&str> {
    line.match_indices("IDP")
        .filter_map(|(at, _)| line.get(at..at + 35))
        .filter(|id| id[3..].chars().all(|c| c.is_ascii_hexdigit()))
        .filter(|id| !id.contains('…'))
        .collect()
}

/// At 80×24 the list shows one pane at a time with every process id whole, status and reason
/// beside it; `enter` opens the process under a bar naming it, `esc` comes back; the footer
/// ends in `? help`.
#[test]
fn a_small_terminal_shows_whole_process_ids() {
    let t = Tmux::start(&["--demo", "--image-protocol", "halfblocks"], 80, 24);
    let screen = t.wait_for("the list with its rows", |s| {
        s.contains("320 processes") && s.lines().filter(|l| !whole_ids(l).is_empty()).count() >= 15
    });
    let rows: Vec<&str> = screen
        .lines()
        .filter(|l| !whole_ids(l).is_empty())
        .collect();
    assert!(
        rows.iter()
            .all(|l| l.contains("success") || l.contains("failure") || l.contains("pending")),
        "{screen}"
    );
    assert!(
        rows.iter()
            .any(|l| l.contains("failure") && l.contains('_')),
        "a failed row shows its reason:\n{screen}"
    );
    assert!(
        screen
            .lines()
            .last()
            .is_some_and(|l| l.trim_end().ends_with("? help")),
        "{screen}"
    );

    // The selected process, opened: its id whole on the bar above the tree.
    let selected =
        whole_ids(rows.iter().find(|l| l.contains('›')).expect("a cursor row"))[0].to_owned();
    t.keys(&["Enter"]);
    let opened = t.wait_for("the process view", |s| {
        s.lines().next().is_some_and(|l| l.contains(&selected)) && s.contains("esc list")
    });
    assert!(opened.contains("result"), "{opened}");
    t.keys(&["Escape"]);
    t.wait_for("the list again", |s| s.contains("320 processes"));
    t.keys(&["q"]);
    t.wait_for("the program to exit", |_| t.exited());
}
