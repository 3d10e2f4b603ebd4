//! Decision → the next process's complete compare view (both images drawn), on the demo with
//! 200 ms added to every request, with and without the review desk's prefetch.
//!
//! The real pieces run: the demo server, the worker (fetch, decode, encode in half-blocks), the
//! review desk's store thread on a temporary file, the app, and a `TestBackend` drawn after each
//! burst of messages as the terminal loop does. The reviewer works in the compare view: looks at
//! each process until its view is complete and then 1.5 s more (reading it; the prefetch runs
//! meanwhile), then decides with one key (agreeing with Truora, so no reason picker); the clock
//! runs from that key to the first frame where the next process's compare view is complete.
//!
//! `cargo bench --bench review_advance`

#[path = "../tests/suite/app_support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui_image::picker::Picker;
use tokio::sync::mpsc;
use truora_tui::api::ApiKey;
use truora_tui::api::model::Status;
use truora_tui::api::{Client, ClientOptions};
use truora_tui::app::overlays::Overlay;
use truora_tui::app::preview::zoom::Side;
use truora_tui::app::preview::{ImageState, comparison};
use truora_tui::app::{App, AppOptions, Command, Message, Request, ResultView};
use truora_tui::demo::{DEMO_API_KEY, DemoOptions, DemoServer};
use truora_tui::reviewdesk::{Desk, DeskOptions};
use truora_tui::source::Source;
use truora_tui::worker::{self, WorkerOptions};

const LATENCY: Duration = Duration::from_millis(200);
const ADVANCES: usize = 12;
/// How long the reviewer looks at a complete view before deciding.
const LOOK: Duration = Duration::from_millis(1500);
const SIZE: (u16, u16) = (160, 48);

struct Rig {
    app: App,
    worker: mpsc::UnboundedSender<Request>,
    messages: mpsc::UnboundedReceiver<Message>,
    terminal: Terminal<TestBackend>,
    desk: Desk,
    _server: DemoServer,
    _dir: tempfile::TempDir,
}

impl Rig {
    async fn new(prefetch: bool) -> Rig {
        let server = DemoServer::start(DemoOptions {
            latency: LATENCY,
            ..DemoOptions::default()
        })
        .await
        .expect("demo");
        let client = Client::new(ClientOptions::new(
            server.identity_url(),
            server.validations_url(),
            ApiKey::new(DEMO_API_KEY.into()),
        ))
        .expect("client");
        let dir = tempfile::tempdir().expect("tempdir");
        let (tx, messages) = mpsc::unbounded_channel();
        let worker = worker::spawn(
            WorkerOptions {
                source: Source::api(client, "demo"),
                picker: Some(Picker::halfblocks()),
                download_dir: dir.path().join("saved"),
            },
            tx.clone(),
        );
        let desk = Desk::spawn(
            DeskOptions::new(dir.path().join("reviews.sqlite3"), "bench".into()),
            tx,
        );
        let app = App::new(AppOptions {
            prefetch,
            ..AppOptions::default()
        });
        let mut rig = Rig {
            app,
            worker,
            messages,
            terminal: Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("terminal"),
            desk,
            _server: server,
            _dir: dir,
        };
        let mut first = rig.app.handle_message(Message::Resize {
            width: SIZE.0,
            height: SIZE.1,
        });
        first.extend(rig.app.start());
        rig.dispatch(first);
        rig
    }

    /// As the terminal loop does: coalesced requests to the worker (or the desk), the ones a
    /// burst made pointless answered cancelled.
    fn dispatch(&mut self, mut pending: Vec<Command>) {
        while !pending.is_empty() {
            let (kept, dropped) = truora_tui::tui::coalesce(std::mem::take(&mut pending));
            let outbox = truora_tui::tui::Outbox {
                worker: self.worker.clone(),
                desk: &self.desk,
            };
            let mut answers: Vec<Message> = dropped
                .into_iter()
                .map(|id| Message::Cancelled { id })
                .collect();
            for c in kept {
                if let Command::Request(r) = c {
                    answers.extend(outbox.send(r));
                }
            }
            for answer in answers {
                pending.extend(self.app.handle_message(answer));
            }
        }
    }

    fn draw(&mut self) {
        let app = &self.app;
        self.terminal
            .draw(|f| truora_tui::ui::draw(app, f))
            .expect("draw");
    }

    /// Runs the loop (wait, drain, draw) until `done` holds after a frame.
    async fn until(&mut self, done: impl Fn(&App) -> bool) {
        loop {
            self.draw();
            if done(&self.app) {
                return;
            }
            let message = tokio::time::timeout(Duration::from_secs(30), self.messages.recv())
                .await
                .expect("the app hears something within 30 s")
                .expect("channel open");
            let mut commands = self.app.handle_message(message);
            while let Ok(m) = self.messages.try_recv() {
                commands.extend(self.app.handle_message(m));
            }
            self.dispatch(commands);
        }
    }

    /// Runs the loop for `time` regardless of what arrives.
    async fn look(&mut self, time: Duration) {
        let deadline = tokio::time::Instant::now() + time;
        while let Ok(Some(message)) = tokio::time::timeout_at(deadline, self.messages.recv()).await
        {
            let mut commands = self.app.handle_message(message);
            while let Ok(m) = self.messages.try_recv() {
                commands.extend(self.app.handle_message(m));
            }
            self.dispatch(commands);
            self.draw();
        }
    }

    fn key(&mut self, k: &str) {
        let commands = self.app.handle_key(support::key(k));
        self.dispatch(commands);
    }
}

/// The selected process's compare view is on screen with every image it shows drawn.
fn compare_complete(app: &App) -> bool {
    if *app.overlay() != Overlay::Compare {
        return false;
    }
    let ResultView::Ready { tree, result, .. } = app.view() else {
        return false;
    };
    let c = comparison(tree, result);
    let areas = app.panes().compare_images;
    // A new process starts unzoomed: the document on its portrait, the selfie whole.
    let views = [Side::Document.start_view(), Side::Selfie.start_view()];
    [c.document, c.selfie]
        .into_iter()
        .zip(areas)
        .zip(views)
        .all(|((request, area), view)| match request {
            None => true,
            Some(r) => !matches!(
                app.images().state(&r.key, (area.width, area.height), view),
                ImageState::Loading
            ),
        })
}

/// The key that agrees with Truora for the selected process: one keystroke, never a picker.
fn agreeing_key(app: &App) -> &'static str {
    let status = match app.view() {
        ResultView::Ready { result, .. } => truora_tui::review::truora_status_of(result),
        _ => None,
    };
    match status {
        Some(Status::Failure) => "d",
        Some(Status::Success) => "a",
        _ => "!",
    }
}

async fn run(prefetch: bool) -> Vec<Duration> {
    let mut rig = Rig::new(prefetch).await;
    rig.until(|app| {
        app.list().len() >= 50
            && matches!(
                app.review().access(),
                truora_tui::app::review::Access::Writable
            )
    })
    .await;
    rig.until(|app| matches!(app.view(), ResultView::Ready { .. }))
        .await;
    rig.key("c");
    let mut times = Vec::new();
    for _ in 0..ADVANCES {
        // Look at the process: until its view is complete, then for LOOK more (a reviewer
        // reads the comparison before deciding; the prefetch runs meanwhile).
        rig.until(compare_complete).await;
        rig.look(LOOK).await;
        let before = rig.app.list().selected().and_then(|r| r.process_id.clone());
        let key = agreeing_key(&rig.app);
        let start = Instant::now();
        rig.key(key);
        rig.until(|app| {
            app.list().selected().and_then(|r| r.process_id.clone()) != before
                && compare_complete(app)
        })
        .await;
        times.push(start.elapsed());
    }
    times
}

fn summary(label: &str, mut times: Vec<Duration>) {
    times.sort();
    let median = times[times.len() / 2];
    let max = times[times.len() - 1];
    println!(
        "{label:<44} median {:>8.1?}  min {:>8.1?}  max {:>8.1?}  ({} advances)",
        median,
        times[0],
        max,
        times.len()
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!(
        "decision → next compare view complete, demo latency {} ms, {}×{}",
        LATENCY.as_millis(),
        SIZE.0,
        SIZE.1
    );
    let with = runtime.block_on(run(true));
    summary("with prefetch", with);
    let without = runtime.block_on(run(false));
    summary("without prefetch", without);
}
