//! The terminal runtime: one loop that waits for input or worker messages, drains whatever else is
//! queued, then draws once. No fixed frame rate: an idle browser costs nothing and sends nothing
//! over SSH.

use std::io::Write;

use crossterm::event::{Event, EventStream, KeyEventKind};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use crate::app::{App, Command, Job, Message, Request, RequestId};
use crate::reviewdesk::Desk;

/// Runs the browser until the user quits. The terminal must already be in raw mode on the
/// alternate screen (see [`ratatui::init`]); the caller restores it, on panics too.
pub async fn run(
    terminal: &mut DefaultTerminal,
    mut app: App,
    outbox: &Outbox<'_>,
    mut messages: mpsc::UnboundedReceiver<Message>,
    audit: crate::audit::AuditSender,
) -> anyhow::Result<()> {
    let mut events = EventStream::new();
    let size = terminal.size()?;
    let mut pending = app.handle_message(Message::Resize {
        width: size.width,
        height: size.height,
    });
    pending.extend(app.start());
    let mut dirty = true;
    // `--watch`: the runtime owns the timer; the app decides what a tick does and how long the
    // next wait is (it backs off after failed polls).
    let mut next_poll = app
        .watch_interval()
        .map(|every| tokio::time::Instant::now() + every);
    // Images wait for the selection to rest: the runtime owns this timer too, restarted by
    // every move (a new generation), and tells the app when it fires (see `app::preview::rest`).
    let mut rest: Option<(u64, tokio::time::Instant)> = None;
    // A verdict key acts only on a result that has been on screen a moment: the runtime's third
    // timer, restarted by every move (see `app::review::look`).
    let mut look: Option<(u64, tokio::time::Instant)> = None;
    // A dropped SSH link or a killed tmux sends SIGHUP, `kill` SIGTERM: both end the browser
    // the way `q` does, so the caller releases its leases at once (the default action would
    // kill it on the spot, and colleagues would see its process taken until the lease lapsed).
    let mut hangup = Ending::new();
    loop {
        if dispatch(&mut app, &mut pending, outbox, &audit, terminal)? {
            return Ok(());
        }
        if dirty {
            draw(terminal, &app)?;
            dirty = false;
        }
        rest = match (app.awaiting_rest(), rest) {
            (Some(generation), Some((timed, at))) if timed == generation => Some((timed, at)),
            (Some(generation), _) => Some((
                generation,
                tokio::time::Instant::now() + app.options().image_budget.rest,
            )),
            (None, _) => None,
        };
        look = match (app.awaiting_look(), look) {
            (Some(generation), Some((timed, at))) if timed == generation => Some((timed, at)),
            (Some(generation), _) => Some((
                generation,
                tokio::time::Instant::now() + app.options().review_look,
            )),
            (None, _) => None,
        };
        tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => dirty |= on_event(&mut app, event, &mut pending),
                Some(Err(e)) => return Err(e.into()),
                None => return Ok(()),
            },
            Some(message) = messages.recv() => {
                pending.extend(app.handle_message(message));
                dirty = true;
            }
            () = sleep_until(rest.map(|(_, at)| at)), if rest.is_some() => {
                if let Some((generation, _)) = rest.take() {
                    pending.extend(app.handle_message(Message::SelectionRested { generation }));
                    dirty = true;
                }
            }
            () = sleep_until(look.map(|(_, at)| at)), if look.is_some() => {
                if let Some((generation, _)) = look.take() {
                    pending.extend(app.handle_message(Message::Looked { generation }));
                    dirty = true;
                }
            }
            signal = hangup.next() => {
                tracing::info!("{signal}: closing");
                return Ok(());
            }
            () = sleep_until(next_poll), if next_poll.is_some() => {
                pending.extend(app.handle_message(Message::WatchTick));
                next_poll = app
                    .watch_interval()
                    .map(|every| tokio::time::Instant::now() + every);
                dirty = true;
            }
        }
        // Drain everything already queued before drawing once: holding a key down over SSH
        // delivers keys in bursts, and each burst should cost one frame, not one per key.
        loop {
            // `poll!` uses this task's waker: crossterm's stream remembers the waker of the
            // first pending poll, so a throwaway waker (`now_or_never`) would lose the next key.
            match futures::poll!(events.next()) {
                std::task::Poll::Ready(Some(Ok(event))) => {
                    dirty |= on_event(&mut app, event, &mut pending);
                    continue;
                }
                std::task::Poll::Ready(Some(Err(e))) => return Err(e.into()),
                std::task::Poll::Ready(None) => return Ok(()),
                std::task::Poll::Pending => {}
            }
            match messages.try_recv() {
                Ok(message) => {
                    pending.extend(app.handle_message(message));
                    dirty = true;
                }
                Err(_) => break,
            }
        }
        if app.should_quit() {
            return Ok(());
        }
    }
}

/// The signals that end the browser from outside: SIGHUP (the terminal went away) and SIGTERM.
/// One that cannot be listened to keeps its default action (the process ends), as before.
struct Ending {
    #[cfg(unix)]
    hangup: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
}

impl Ending {
    fn new() -> Ending {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ending {
                hangup: signal(SignalKind::hangup()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
            }
        }
        #[cfg(not(unix))]
        Ending {}
    }

    /// The next of them to arrive, by name.
    async fn next(&mut self) -> &'static str {
        #[cfg(unix)]
        {
            async fn one(s: &mut Option<tokio::signal::unix::Signal>) {
                match s {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                () = one(&mut self.hangup) => "SIGHUP",
                () = one(&mut self.terminate) => "SIGTERM",
            }
        }
        #[cfg(not(unix))]
        std::future::pending().await
    }
}

/// Sleeps until `at`; forever without one (the `select!` branch is disabled then anyway).
async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// One frame inside a synchronized update, so a slow link never shows a half-drawn screen
/// (terminals that do not know the sequence ignore it).
fn draw(terminal: &mut DefaultTerminal, app: &App) -> anyhow::Result<()> {
    crossterm::queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| crate::ui::draw(app, frame))?;
    crossterm::execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    Ok(())
}

fn on_event(app: &mut App, event: Event, pending: &mut Vec<Command>) -> bool {
    tracing::trace!(?event, "input");
    match event {
        Event::Key(key) if key.kind != KeyEventKind::Release => {
            pending.extend(app.handle_key(key));
            true
        }
        Event::Mouse(mouse) => {
            let commands = app.handle_mouse(mouse);
            let changed = !commands.is_empty()
                || !matches!(mouse.kind, crossterm::event::MouseEventKind::Moved);
            pending.extend(commands);
            changed
        }
        Event::Resize(width, height) => {
            pending.extend(app.handle_message(Message::Resize { width, height }));
            true
        }
        _ => false,
    }
}

/// Drops requests of a burst that newer ones make pointless, and returns the ids of those
/// dropped (each still owes the app an answer: the runtime answers them cancelled):
/// - all result fetches but the newest: the selections the others were for have been left
///   (holding `j` over 1,000 processes asks for one result, not 1,000);
/// - image fetches for an image the burst asks for again at another size: dragging a window's
///   edge asks for every intermediate size, and only the last one will be on screen.
pub fn coalesce(commands: Vec<Command>) -> (Vec<Command>, Vec<RequestId>) {
    let last_fetch = commands
        .iter()
        .rposition(|c| matches!(c.job(), Some(Job::FetchResult { .. })));
    let mut last_image = std::collections::HashMap::new();
    for (i, c) in commands.iter().enumerate() {
        if let Some(Job::FetchImage { request, .. }) = c.job() {
            last_image.insert(request.key.clone(), i);
        }
    }
    let mut dropped = Vec::new();
    let kept = commands
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let keep = match c.job() {
                Some(Job::FetchResult { .. }) => Some(i) == last_fetch,
                Some(Job::FetchImage { request, .. }) => last_image.get(&request.key) == Some(&i),
                _ => true,
            };
            if !keep {
                dropped.extend(c.request_id());
            }
            keep.then_some(c)
        })
        .collect();
    (kept, dropped)
}

/// Where the runtime sends the app's requests: review requests straight to the review desk's
/// thread, the rest to the worker.
pub struct Outbox<'a> {
    pub worker: mpsc::UnboundedSender<Request>,
    pub desk: &'a Desk,
}

impl Outbox<'_> {
    /// Hands `request` to whoever does it. `Some(answer)`: it could not be handed over (the
    /// worker has stopped, see [`Message::WorkerStopped`]), so this is its answer, for the app
    /// to hear like any other. The desk answers every request it is given, even stopped.
    pub fn send(&self, Request { id, job }: Request) -> Option<Message> {
        match job {
            Job::Review(review) => {
                self.desk.ask(id, review);
                None
            }
            job => {
                // The worker lives as long as the runtime; a closed channel means a bug ended
                // its task (the panic hook logged it).
                let sent = self.worker.send(Request { id, job });
                sent.err().map(|_| Message::WorkerStopped { id })
            }
        }
    }
}

/// Sends queued requests (see [`Outbox`]), or carries commands out on the terminal. Requests
/// dropped as superseded are answered cancelled right here, which may ask for something again
/// (the selected process's result), so this repeats until nothing is queued; so are those that
/// could not be sent. Returns true on quit.
fn dispatch(
    app: &mut App,
    pending: &mut Vec<Command>,
    outbox: &Outbox<'_>,
    audit: &crate::audit::AuditSender,
    terminal: &mut DefaultTerminal,
) -> anyhow::Result<bool> {
    while !pending.is_empty() {
        let (kept, dropped) = coalesce(std::mem::take(pending));
        let mut answered_here = Vec::new();
        for command in kept {
            match command {
                Command::Quit => return Ok(true),
                Command::Copy(text) => copy_osc52(terminal, &text)?,
                Command::Bell => {
                    let backend = terminal.backend_mut();
                    backend.write_all(b"\x07")?;
                    backend.flush()?;
                }
                Command::Audit(event) => audit.record(event),
                Command::Request(request) => answered_here.extend(outbox.send(request)),
            }
        }
        for id in dropped {
            pending.extend(app.handle_message(Message::Cancelled { id }));
        }
        for answer in answered_here {
            pending.extend(app.handle_message(answer));
        }
    }
    Ok(false)
}

/// Copies through the terminal (OSC 52), which works over SSH and inside tmux with
/// `set-clipboard on`. Only ids are ever copied; they are sanitised anyway.
fn copy_osc52(terminal: &mut DefaultTerminal, text: &str) -> anyhow::Result<()> {
    let clean = crate::sanitize::terminal_text(text);
    let payload = base64(clean.as_bytes());
    let backend = terminal.backend_mut();
    write!(backend, "\x1b]52;c;{payload}\x07")?;
    backend.flush()?;
    Ok(())
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(TABLE[(n >> shift) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use tokio::sync::mpsc;

    use super::Outbox;
    use crate::api::model::ProcessSummary;
    use crate::app::{App, AppOptions, Command, Job, ListPage, Message, ResultView};
    use crate::reviewdesk::{Desk, DeskOptions};

    /// The worker's task has ended (its channel is closed): every request the app makes, its
    /// list page, the selected process's result, is answered failed at once, the app stops
    /// waiting for each, and asks nothing again, so the loop settles. (Answered cancelled, the
    /// selected result would be asked again forever.)
    #[test]
    fn requests_the_stopped_worker_cannot_take_are_answered_failed_and_not_asked_again() {
        let (worker, gone) = mpsc::unbounded_channel();
        drop(gone);
        let (news, _news) = mpsc::unbounded_channel();
        let desk = Desk::start(
            DeskOptions::new("unused.sqlite3".into(), "ana".into()),
            news,
            |_| Err(std::io::Error::other("not in this test")),
        );
        let outbox = Outbox {
            worker,
            desk: &desk,
        };
        let mut app = App::new(AppOptions::default());
        app.handle_message(Message::Resize {
            width: 120,
            height: 40,
        });
        // The list came before the worker stopped: the app asks for the selected result.
        let page = app.start();
        let Some(Command::Request(first)) = page.first() else {
            panic!("the app asks for the list first: {page:?}");
        };
        let row = serde_json::json!({"process_id": "IDP1", "status": "failure"});
        let mut pending = app.handle_message(Message::Page {
            id: first.id,
            result: Ok(ListPage {
                items: vec![ProcessSummary::from_object(row.as_object().unwrap())],
                more: false,
                skipped: 0,
            }),
        });
        assert!(
            pending
                .iter()
                .any(|c| matches!(c.job(), Some(Job::FetchResult { .. }))),
            "{pending:?}"
        );
        // The loop's sending, as `dispatch` does it.
        let mut rounds = 0;
        while !pending.is_empty() {
            rounds += 1;
            assert!(rounds < 10, "the app keeps asking: {pending:?}");
            for command in std::mem::take(&mut pending) {
                let Command::Request(request) = command else {
                    continue;
                };
                let answer = outbox.send(request).expect("answered at once");
                assert!(
                    matches!(answer, Message::WorkerStopped { .. }),
                    "{answer:?}"
                );
                pending.extend(app.handle_message(answer));
            }
        }
        assert_eq!(app.pending_requests().count(), 0, "nothing is waited for");
        let ResultView::Failed { error, .. } = app.view() else {
            panic!("the selected process shows the failure: {:?}", app.view());
        };
        assert!(error.contains("worker has stopped"), "{error}");
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(super::base64(input.as_bytes()), expected);
        }
    }
}
