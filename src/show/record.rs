//! What `show` tells the access log, with the browser's events: the process printed
//! (`process_opened`), its raw JSON printed (`raw_view_opened`, for `--json`), each image drawn
//! (`image_shown`); and, when its output went to a file or a pipe rather than a screen, where
//! (`output_redirected`, with the file's path where the system says it).

use std::path::PathBuf;

use crate::api::model::ImageKind;
use crate::audit::{AuditEvent, AuditSender, OutputKind, ProcessRef, RawKind};

/// Where `show`'s standard output goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    Terminal,
    /// Not a terminal: what it is, and a file's path when it can be known.
    Redirected(OutputKind, Option<PathBuf>),
}

impl Output {
    /// What this process's standard output is.
    pub fn of_stdout() -> Output {
        use std::io::IsTerminal;
        if std::io::stdout().is_terminal() {
            return Output::Terminal;
        }
        redirected()
    }
}

#[cfg(unix)]
fn redirected() -> Output {
    use std::os::fd::AsFd;
    use std::os::unix::fs::FileTypeExt;
    let kind = std::io::stdout()
        .as_fd()
        .try_clone_to_owned()
        .map(std::fs::File::from)
        .and_then(|file| file.metadata())
        .map(|meta| meta.file_type());
    match kind {
        Ok(t) if t.is_file() => {
            // Linux names the file an fd points to; elsewhere the record says only "file".
            let path = std::fs::read_link("/proc/self/fd/1")
                .ok()
                .filter(|p| p.is_absolute());
            Output::Redirected(OutputKind::File, path)
        }
        Ok(t) if t.is_fifo() || t.is_socket() => Output::Redirected(OutputKind::Pipe, None),
        _ => Output::Redirected(OutputKind::Device, None),
    }
}

#[cfg(not(unix))]
fn redirected() -> Output {
    Output::Redirected(OutputKind::Device, None)
}

/// Records what one `show` printed.
#[derive(Clone, Debug)]
pub struct Recorder {
    log: AuditSender,
    output: Output,
}

impl Recorder {
    /// Records nothing.
    pub fn off() -> Recorder {
        Recorder {
            log: AuditSender::disabled(),
            output: Output::Terminal,
        }
    }

    pub fn new(log: AuditSender, output: Output) -> Recorder {
        Recorder { log, output }
    }

    /// The process is about to be printed: its summary, or its raw JSON (`json`).
    pub(super) fn printed(&self, process_id: &str, json: bool) {
        let process = ProcessRef::new(process_id);
        self.log.record(AuditEvent::ProcessOpened {
            process: process.clone(),
        });
        if json {
            self.log.record(AuditEvent::RawViewOpened {
                process: process.clone(),
                view: RawKind::Result,
            });
        }
        if let Output::Redirected(to, path) = &self.output {
            self.log.record(AuditEvent::OutputRedirected {
                process,
                to: *to,
                path: path.as_ref().map(|p| p.to_string_lossy().into_owned()),
            });
        }
    }

    /// An image of the process was drawn.
    pub(super) fn image(&self, process_id: &str, kind: ImageKind) {
        self.log.record(AuditEvent::ImageShown {
            process: ProcessRef::new(process_id),
            image: kind.into(),
        });
    }
}
