//! Part 1 of the memory bench: an archive of many processes, made quickly from a real export of
//! the demo, and opened in a child process as the browser opens it.
//!
//! Making it: the demo (64 processes) is exported for real; then process `i` of the big archive
//! is template `i % 64` with every id replaced (the process id by `IDP` and 32 hex digits, each
//! validation id by one of its own), its `result.json` and details rewritten with the new ids
//! (checksums recomputed), its images hard links to the template's (same bytes, no copies), its
//! record and its list line the template's with the new ids. `manifest.json` is written as the
//! export's end writes it: the head, then every record. What a reader sees is what an export of
//! that many processes would have written, images included.
//!
//! The archive is kept between runs (`MEMORY_BENCH_DIR`, default a folder in the system's temp
//! dir): making 100,000 processes takes a minute or two, reading it back is what is measured.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use truora_tui::api::model::{Person, ProcessResult};
use truora_tui::app::{App, AppOptions, Command, Message, Request};
use truora_tui::demo::{DemoOptions, DemoServer};
use truora_tui::export::format::{FileKind, MANIFEST, PROCESSES, Record};
use truora_tui::export::{ExportOptions, Silent, Stop, layout, manifest};
use truora_tui::source::Source;
use truora_tui::worker::{self, WorkerOptions};

use super::{Rss, client, key, rss};

const TEMPLATES: usize = 64;
/// Bumped whenever what is generated changes, so a kept archive of an older shape is not reused.
const SHAPE: u32 = 1;

/// What the parent knows of the archive it made: how many processes, and how many of them name
/// a person (the rows whose name and number the list must end up showing).
pub struct Made {
    pub dir: PathBuf,
    pub people: usize,
    pub bytes_on_disk: u64,
}

/// Makes (or reuses) an archive of `processes` processes.
pub async fn make(processes: usize) -> Made {
    let base = std::env::var_os("MEMORY_BENCH_DIR").map_or_else(
        || std::env::temp_dir().join("truora-tui-memory-bench"),
        PathBuf::from,
    );
    let dir = base.join(format!("archive-{processes}-v{SHAPE}"));
    let done = base.join(format!("archive-{processes}-v{SHAPE}.made"));
    if let Ok(text) = std::fs::read_to_string(&done) {
        let n: Vec<u64> = text
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        if let [people, bytes] = n[..] {
            println!(
                "reusing the archive of {processes} processes in {}",
                dir.display()
            );
            return Made {
                dir,
                people: people as usize,
                bytes_on_disk: bytes,
            };
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    private_dirs(&base);
    let template = base.join(format!("template-{TEMPLATES}"));
    let _ = std::fs::remove_dir_all(&template);
    let server = DemoServer::start(DemoOptions {
        processes: TEMPLATES,
        ..DemoOptions::default()
    })
    .await
    .expect("demo server");
    let mut opts = ExportOptions::new(&template);
    opts.concurrency = 8;
    truora_tui::export::run(client(&server), opts, Silent, Stop::never())
        .await
        .expect("template export");
    server.shutdown().await;

    let started = Instant::now();
    let made = tokio::task::spawn_blocking(move || write_copies(&template, &dir, processes))
        .await
        .expect("copies");
    std::fs::write(&done, format!("{} {}", made.people, made.bytes_on_disk)).expect("marker");
    println!(
        "made an archive of {processes} processes ({:.0} MiB of results and details, images \
         hard-linked) in {:.1?}",
        super::mib(made.bytes_on_disk),
        started.elapsed()
    );
    made
}

fn private_dirs(path: &Path) {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)
        .expect("folder");
}

/// One template: its record (as JSON text, to replace ids in), its list line, its ids, the
/// bytes of its result and details, and whether its result names a person.
struct Template {
    record: String,
    line: String,
    process_id: String,
    validation_ids: Vec<String>,
    files: HashMap<String, Vec<u8>>,
    folder: PathBuf,
    person: bool,
}

fn templates(dir: &Path) -> Vec<Template> {
    let records = manifest::read_manifest(dir)
        .expect("manifest")
        .and_then(|m| m.processes)
        .expect("records");
    let lines: HashMap<String, String> = std::fs::read_to_string(dir.join(PROCESSES))
        .expect("list")
        .lines()
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).ok()?;
            Some((v.get("process_id")?.as_str()?.to_owned(), l.to_owned()))
        })
        .collect();
    records
        .into_iter()
        .map(|r| {
            let folder = dir.join(&r.folder);
            let mut files = HashMap::new();
            for f in r.files.iter().filter(|f| f.kind != FileKind::Image) {
                files.insert(
                    f.path.clone(),
                    std::fs::read(folder.join(&f.path)).expect("file"),
                );
            }
            let result = ProcessResult::from_slice(&files[layout::RESULT]).expect("result");
            let mut validation_ids: Vec<String> = result
                .validations
                .iter()
                .filter_map(|v| v.validation_id.clone())
                .collect();
            validation_ids.sort();
            validation_ids.dedup();
            // Longest first, so an id that is a prefix of another is never replaced inside it.
            validation_ids.sort_by_key(|v| std::cmp::Reverse(v.len()));
            Template {
                line: lines[&r.process_id].clone(),
                record: serde_json::to_string(&r).expect("record"),
                process_id: r.process_id,
                validation_ids,
                files,
                folder,
                person: Person::of(&result).is_some(),
            }
        })
        .collect()
}

struct Ids {
    pairs: Vec<(String, String)>,
}

impl Ids {
    fn of(t: &Template, i: usize) -> Ids {
        let mut pairs = vec![(t.process_id.clone(), format!("IDP{i:032x}"))];
        for (k, v) in t.validation_ids.iter().enumerate() {
            pairs.push((v.clone(), format!("VLD{i:028x}{k:04x}")));
        }
        Ids { pairs }
    }

    fn apply(&self, text: &str) -> String {
        self.pairs
            .iter()
            .fold(text.to_owned(), |t, (old, new)| t.replace(old, new))
    }
}

fn write_copies(template_dir: &Path, dir: &Path, processes: usize) -> Made {
    let templates = templates(template_dir);
    private_dirs(dir);
    let mut head = manifest::read_manifest(template_dir)
        .expect("manifest")
        .expect("present")
        .head;
    head.list.items = processes as u64;
    let mut list = BufWriter::new(std::fs::File::create(dir.join(PROCESSES)).expect("list"));
    let mut records = BufWriter::new(std::fs::File::create(dir.join(MANIFEST)).expect("manifest"));
    let head_text = serde_json::to_string_pretty(&head).expect("head");
    let open = head_text.trim_end().trim_end_matches('}').trim_end();
    write!(records, "{open},\n  \"processes\": [").expect("write");
    let (mut people, mut bytes_on_disk) = (0, 0u64);
    let mut last_report = Instant::now();
    for i in 0..processes {
        let t = &templates[i % templates.len()];
        let ids = Ids::of(t, i);
        let mut record: Record = serde_json::from_str(&ids.apply(&t.record)).expect("record");
        let folder = dir.join(&record.folder);
        for sub in ["", layout::IMAGES, layout::VALIDATIONS] {
            private_dirs(&folder.join(sub));
        }
        let old_files: Vec<String> = serde_json::from_str::<Record>(&t.record)
            .expect("record")
            .files
            .into_iter()
            .map(|f| f.path)
            .collect();
        for (f, old_path) in record.files.iter_mut().zip(old_files) {
            let to = folder.join(&f.path);
            if f.kind == FileKind::Image {
                std::fs::hard_link(t.folder.join(&old_path), &to).expect("link");
                continue;
            }
            let text = String::from_utf8_lossy(&t.files[&old_path]).into_owned();
            let new = ids.apply(&text).into_bytes();
            f.sha256 = layout::sha256_hex(&new);
            f.bytes = new.len() as u64;
            bytes_on_disk += f.bytes;
            std::fs::write(&to, &new).expect("file");
        }
        people += usize::from(t.person);
        let comma = if i == 0 { "" } else { "," };
        write!(
            records,
            "{comma}\n    {}",
            serde_json::to_string(&record).expect("record")
        )
        .expect("write");
        writeln!(list, "{}", ids.apply(&t.line)).expect("write");
        if last_report.elapsed() > Duration::from_secs(10) {
            println!("  … {i} of {processes} processes written");
            last_report = Instant::now();
        }
    }
    write!(records, "\n  ]\n}}\n").expect("write");
    records.flush().expect("flush");
    list.flush().expect("flush");
    Made {
        dir: dir.to_path_buf(),
        people,
        bytes_on_disk,
    }
}

/// What the child measured, in bytes.
pub struct Opened {
    pub before: Rss,
    pub archive_open: Rss,
    pub listed: Rss,
    pub browsed: Rss,
    pub opened_results: usize,
    /// From the start: the archive open, every row listed, every person read.
    pub seconds_open: f64,
    pub seconds_to_list: f64,
    pub seconds_to_people: f64,
}

/// In the child: the browser's start on `dir`, as `truora-tui --archive DIR` does it without a
/// terminal (the archive opened as a source, the worker, the app), until every row is listed
/// and every person read; then `opens` processes opened one after another (`j`, each result read
/// from disk). Prints the figures on one line for the parent.
pub fn child(dir: &Path, processes: usize, people: usize, opens: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let before = rss();
    let started = Instant::now();
    let source = Source::archive(dir).expect("archive opens");
    let seconds_open = started.elapsed().as_secs_f64();
    let archive_open = rss();
    let downloads = tempfile::tempdir().expect("temp dir");
    let (listed, browsed, seconds_to_list, seconds_to_people) = runtime.block_on(async {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let commands = worker::spawn(
            WorkerOptions {
                source,
                picker: None,
                download_dir: downloads.path().to_path_buf(),
            },
            tx,
        );
        let mut app = App::new(AppOptions {
            can_refresh: false,
            source_label: format!("archive {}", dir.display()),
            ..AppOptions::default()
        });
        let mut pending = app.handle_message(Message::Resize {
            width: 200,
            height: 60,
        });
        pending.extend(app.start());
        let send = |pending: &mut Vec<Command>| {
            for c in pending.drain(..) {
                if let Command::Request(r) = c {
                    let _: Result<(), _> = commands.send(Request {
                        id: r.id,
                        job: r.job,
                    });
                }
            }
        };
        send(&mut pending);
        let mut seconds_to_list = None;
        while app.list().len() < processes || app.list().people_known() < people {
            let message = rx.recv().await.expect("the worker runs");
            pending.extend(app.handle_message(message));
            send(&mut pending);
            if seconds_to_list.is_none() && app.list().len() >= processes {
                seconds_to_list = Some(started.elapsed().as_secs_f64());
            }
        }
        let seconds_to_people = started.elapsed().as_secs_f64();
        super::draw(&app);
        let listed = rss();
        for _ in 0..opens {
            pending.extend(app.handle_key(key("j")));
            send(&mut pending);
            while app.pending_requests().next().is_some() {
                let message = rx.recv().await.expect("the worker runs");
                pending.extend(app.handle_message(message));
                send(&mut pending);
            }
            super::draw(&app);
        }
        let seconds_to_list = seconds_to_list.unwrap_or(seconds_to_people);
        (listed, rss(), seconds_to_list, seconds_to_people)
    });
    let o = Opened {
        before,
        archive_open,
        listed,
        browsed,
        opened_results: opens,
        seconds_open,
        seconds_to_list,
        seconds_to_people,
    };
    println!(
        "{} {} {} {} {} {} {} {} {} {} {} {}",
        o.before.now,
        o.before.peak,
        o.archive_open.now,
        o.archive_open.peak,
        o.listed.now,
        o.listed.peak,
        o.browsed.now,
        o.browsed.peak,
        o.opened_results,
        o.seconds_open,
        o.seconds_to_list,
        o.seconds_to_people
    );
}

/// Reads what [`child`] printed.
pub fn parse(text: &str) -> Opened {
    let n: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    assert_eq!(n.len(), 12, "the child printed: {text}");
    let rss = |i: usize| Rss {
        now: n[i] as u64,
        peak: n[i + 1] as u64,
    };
    Opened {
        before: rss(0),
        archive_open: rss(2),
        listed: rss(4),
        browsed: rss(6),
        opened_results: n[8] as usize,
        seconds_open: n[9],
        seconds_to_list: n[10],
        seconds_to_people: n[11],
    }
}
