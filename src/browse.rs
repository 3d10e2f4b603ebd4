//! Starting the browser: logging, keymap, terminal, image protocol detection, worker, app; and
//! putting the terminal back however the browser ends.

use std::io::Write;
use std::path::PathBuf;

use tokio::sync::mpsc;

use crate::app::{App, AppOptions, ImageBudget};
use crate::config::{Config, ImageProtocol};
use crate::keymap::Keymap;
use crate::source::Source;
use crate::worker::{self, WorkerOptions};

/// Runs the browser over `source` (the API, an ids file, or an archive) until the user quits,
/// recording what it shows in the access log of `audit` (see [`crate::audit`]).
pub async fn run(
    config: Config,
    warnings: Vec<String>,
    source: Source,
    audit: crate::audit::session::Session,
) -> anyhow::Result<()> {
    init_logging();
    // Mistakes in `[keys]` stopped the program at load (`config`); what is left is news.
    let (keymap, notices) = Keymap::from_config(&config.keys);
    let mut problems: Vec<String> = notices.iter().map(ToString::to_string).collect();
    problems.extend(warnings);
    let label = source.label().to_owned();
    let can_refresh = source.can_refresh();

    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the browser needs a terminal; for scripts use `truora-tui show ID` or `truora-tui export`"
        );
    }
    // From here on the terminal is ours. `try_init` installs a hook that restores it on a
    // panic; ours, in front, decides which panics deserve that (see `install_panic_hook`).
    let mut terminal = ratatui::try_init()?;
    install_panic_hook();
    // Detection writes queries and reads answers on the TTY, so it must run before the event
    // stream starts reading input, and before mouse reports could mix with the answers.
    let picker = crate::images::picker_for(config.image_protocol);
    enable_mouse();
    let protocol_label = crate::images::protocol_label(&picker);
    let images_enabled = picker.is_some() && config.image_protocol != ImageProtocol::Off;
    crate::images::keep_image_colours(images_enabled);
    let env = crate::config::ProcessEnv;
    let palette = crate::images::palette_for(config.image_colors, &env, &|term| {
        crate::images::read_terminfo(&env, term)
    });

    let (msg_tx, msg_rx) = mpsc::unbounded_channel();
    let audit_warnings = msg_tx.clone();
    let audit_log = audit.start(Box::new(move |warning| {
        let _ = audit_warnings.send(crate::app::Message::Warning(warning));
    }));
    problems.extend(seed_demo_reviews(&config).await);
    let desk = crate::reviewdesk::Desk::spawn(
        crate::reviewdesk::DeskOptions::new(config.review_db.clone(), config.reviewer.clone()),
        msg_tx.clone(),
    );
    let worker = worker::spawn(
        WorkerOptions {
            source,
            picker,
            download_dir: config.download_dir.clone(),
        },
        msg_tx,
    );
    // Review requests go straight to the desk's store thread, the rest to the worker.
    let outbox = crate::tui::Outbox {
        worker,
        desk: &desk,
    };
    let protocol_label = match (protocol_label.as_str(), palette) {
        ("halfblocks", crate::images::Palette::Xterm256) => "halfblocks 256".to_owned(),
        _ => protocol_label,
    };
    let mut app = App::new(AppOptions {
        keymap,
        image_protocol: protocol_label,
        images_enabled,
        can_refresh,
        source_label: label,
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        audit: audit_log.sender().is_enabled(),
        prefetch: true,
        watch: config.watch,
        time_zone: config.time_zone.clone(),
        watch_bell: config.watch_bell,
        image_budget: ImageBudget {
            rest: config.image_rest,
            max_cells: config.image_max_cells,
            colors: palette,
        },
        review_look: crate::app::review::look::LOOK,
    });
    app.set_private(config.private);
    for problem in problems {
        app.report_problem(problem);
    }
    let outcome = crate::tui::run(&mut terminal, app, &outbox, msg_rx, audit_log.sender()).await;
    drop(outbox);
    // Releases this browser's leases so colleagues see its process free at once, before the
    // terminal is touched: after a SIGHUP the terminal is gone, and nothing written to it may
    // stand in the way. What could not be recorded (the store busy, the disk full) is tried
    // once more, and what still was not is said in the shell, where it stays readable (a note
    // with its text).
    let unrecorded = tokio::task::block_in_place(|| desk.close());
    disable_mouse();
    // A terminal that hung up cannot be restored: nothing to say, and no one to say it to.
    let _ = ratatui::try_restore();
    if !unrecorded.is_empty() {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "truora-tui: {} decision(s) or note(s) were not recorded in the review store:",
            unrecorded.len()
        );
        for what in &unrecorded {
            let _ = writeln!(err, "  {what}");
        }
    }
    audit_log.finish().await;
    outcome
}

/// Seeds the demo's own review store with a colleague's decisions the first time it is used (see
/// [`crate::demo::colleague`]), before the desk loads it. SQLite blocks, so off the runtime's
/// threads. A store that cannot be seeded is news, not a reason to stop: the desk says what is
/// wrong with it, and the demo works without the seed.
async fn seed_demo_reviews(config: &Config) -> Option<String> {
    if !config.demo_review_store {
        return None;
    }
    let config = config.clone();
    let seeded = tokio::task::spawn_blocking(move || crate::demo::seed_review_store(&config)).await;
    let problem = match seeded {
        Ok(Ok(_)) => return None,
        Ok(Err(e)) => e.to_string(),
        Err(e) => e.to_string(),
    };
    tracing::warn!("demo review store not seeded: {problem}");
    Some(format!(
        "the demo's review store was not seeded with a colleague's decisions: {problem}"
    ))
}

/// Only a panic of the UI thread ends the browser, so only it restores the terminal (mouse
/// reporting off first, or the shell would receive mouse escape codes) and prints. A decoder
/// panic caught by `images` is already an error on screen, and a panicking background task is
/// logged: printing either would scribble over the screen of a browser that keeps running.
fn install_panic_hook() {
    let ui_thread = std::thread::current().id();
    let restore_and_print = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if crate::images::inside_guard() {
            return;
        }
        if std::thread::current().id() != ui_thread {
            tracing::error!("a background task panicked: {info}");
            return;
        }
        disable_mouse();
        restore_and_print(info);
    }));
}

/// Mouse: wheel scrolls, click selects. Switched off again on every exit path.
fn enable_mouse() {
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture);
}

fn disable_mouse() {
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
}

/// Logs go to a file in the state dir (a TUI owns the terminal), at `TRUORA_TUI_LOG` level
/// (default `info`). Never the key: the client does not log headers. The file is 0600 in a 0700
/// folder, and never a link ([`crate::fsx::open_private_file`]).
fn init_logging() -> Option<()> {
    let path = log_dir()?.join("truora-tui.log");
    let file = crate::fsx::open_private_file(&path, crate::fsx::Access::Append).ok()?;
    let filter = tracing_subscriber::EnvFilter::try_from_env("TRUORA_TUI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .finish();
    tracing::subscriber::set_global_default(subscriber).ok()
}

fn log_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("com", "truora", "truora-tui")?;
    Some(
        dirs.state_dir()
            .unwrap_or(dirs.data_local_dir())
            .to_path_buf(),
    )
}
