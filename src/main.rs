//! The command line: `truora-tui` (the browser, default), `export`, `show`, `demo-server`.
//! Exit codes: 0 done, 1 failure while running (for `export`: some processes failed), 2 usage or
//! configuration error, 130 export interrupted by Ctrl-C (run it again to resume).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use truora_tui::config::{self, Config, ImageProtocol, Overrides, ProcessEnv};
use truora_tui::demo::{DEMO_API_KEY, DemoOptions, DemoServer};
use truora_tui::review::Verdict;
use truora_tui::review::cli::{self as reviews_cli, ExportFormat, ReviewsError};

#[derive(Parser)]
#[command(
    name = "truora-tui",
    version,
    about = "Browse Truora Digital Identity processes in the terminal"
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Args)]
struct Global {
    /// Config file (default: the platform config dir, or TRUORA_TUI_CONFIG)
    #[arg(long, global = true, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Identity API base URL (default https://api.identity.truora.com)
    #[arg(long, global = true, value_name = "URL")]
    identity_url: Option<String>,
    /// Validations API base URL (default https://api.validations.truora.com)
    #[arg(long, global = true, value_name = "URL")]
    validations_url: Option<String>,
    /// Where saved images go
    #[arg(long, global = true, value_name = "DIR")]
    download_dir: Option<PathBuf>,
    /// How images are drawn in the terminal
    #[arg(long, global = true, value_enum)]
    image_protocol: Option<ImageProtocol>,
    /// Use the embedded demo API: no account or key needed
    #[arg(long, global = true)]
    demo: bool,
    /// Browse (or `show`) an export offline: no network, no key
    #[arg(long, global = true, value_name = "DIR")]
    archive: Option<PathBuf>,
    /// Only these processes: one id per line, or a CSV with a process id column
    #[arg(long, global = true, value_name = "FILE")]
    ids_file: Option<PathBuf>,
    /// The review store (default: the data dir's reviews.sqlite3, or TRUORA_TUI_REVIEW_DB)
    #[arg(long, global = true, value_name = "PATH")]
    review_db: Option<PathBuf>,
    #[command(flatten)]
    knobs: DemoKnobs,
}

/// Demo server knobs, for tests and benchmarks.
#[derive(Args, Clone)]
struct DemoKnobs {
    /// Latency added to every demo request, in milliseconds
    #[arg(long, global = true, default_value_t = 0, hide = true)]
    demo_latency_ms: u64,
    /// Number of synthetic processes
    #[arg(long, global = true, hide = true)]
    demo_processes: Option<usize>,
    /// Lifetime of demo image links, in seconds
    #[arg(long, global = true, hide = true)]
    demo_link_lifetime_secs: Option<u64>,
    /// Processes per list page
    #[arg(long, global = true, hide = true)]
    demo_page_size: Option<usize>,
}

impl DemoKnobs {
    fn options(&self) -> DemoOptions {
        let mut o = DemoOptions {
            latency: Duration::from_millis(self.demo_latency_ms),
            ..DemoOptions::default()
        };
        if let Some(n) = self.demo_processes {
            o.processes = n;
        }
        if let Some(s) = self.demo_link_lifetime_secs {
            o.link_lifetime = Duration::from_secs(s);
        }
        if let Some(n) = self.demo_page_size {
            o.page_size = n.max(1);
        }
        o
    }
}

#[derive(Subcommand)]
enum Cmd {
    /// Open the browser (the default)
    Tui,
    /// Serve the demo API on loopback for curl and external tests; prints its URLs and key
    DemoServer {
        /// Port for the identity API (0 picks a free one)
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Download every process (results, validation details, images) into a folder; resumable
    Export(ExportArgs),
    /// Print one process to the shell: status, failing checks, then its images
    Show(ShowArgs),
    /// The review desk's decisions: export, import, list, stats
    #[command(subcommand)]
    Reviews(ReviewsCmd),
}

#[derive(Subcommand)]
enum ReviewsCmd {
    /// Write the decisions: CSV for applying overrides in Truora's dashboard, or the event log
    Export {
        #[arg(long, value_enum, default_value = "csv")]
        format: ReviewsFormat,
        /// Write to this file (0600) instead of standard output
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Only what happened on or after this date (YYYY-MM-DD, UTC, or RFC 3339)
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Only processes with this standing verdict (repeatable)
        #[arg(long, value_enum)]
        verdict: Vec<VerdictArg>,
    },
    /// Merge another reviewer's event log (JSONL); importing twice changes nothing
    Import { file: PathBuf },
    /// One line per reviewed process
    List {
        /// Only processes where reviewers disagree
        #[arg(long)]
        conflicts: bool,
        #[arg(long, value_enum)]
        verdict: Vec<VerdictArg>,
    },
    /// Counts by verdict, override and reviewer
    Stats,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReviewsFormat {
    Csv,
    Jsonl,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum VerdictArg {
    Pass,
    Fail,
    Escalate,
}

impl From<VerdictArg> for Verdict {
    fn from(v: VerdictArg) -> Verdict {
        match v {
            VerdictArg::Pass => Verdict::Pass,
            VerdictArg::Fail => Verdict::Fail,
            VerdictArg::Escalate => Verdict::Escalate,
        }
    }
}

#[derive(Args)]
struct ExportArgs {
    /// The archive folder: new, empty, or an earlier export to resume
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Only processes with this status: failure, pending or success
    #[arg(long, value_name = "STATUS")]
    status: Option<String>,
    /// Only processes created on or after this date (YYYY-MM-DD, UTC, or RFC 3339)
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// Only processes created on or before this date (a date alone includes that day)
    #[arg(long, value_name = "DATE")]
    until: Option<String>,
    /// Skip image files
    #[arg(long)]
    no_images: bool,
    /// Skip validation details (show_details=true)
    #[arg(long)]
    no_details: bool,
    /// Requests in flight at once (default: `concurrency` from the config, 8)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: Option<u16>,
}

#[derive(Args)]
struct ShowArgs {
    process_id: String,
    /// Print the raw result JSON, as received, instead
    #[arg(long)]
    json: bool,
    /// Image width in terminal columns
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u32).range(4..=1000))]
    width: u32,
    /// Do not print images
    #[arg(long)]
    no_images: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("truora-tui: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("truora-tui: {e:#}");
            ExitCode::from(1)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let g = &cli.global;
    if let Some(problem) = conflicts(&cli) {
        eprintln!("truora-tui: {problem}");
        return Ok(ExitCode::from(2));
    }
    // An archive needs no key, like the demo.
    let demo = g.demo
        || g.archive.is_some()
        || matches!(cli.command, Some(Cmd::DemoServer { .. } | Cmd::Reviews(_)));
    let overrides = Overrides {
        config_path: g.config.clone(),
        identity_url: g.identity_url.clone(),
        validations_url: g.validations_url.clone(),
        download_dir: g.download_dir.clone(),
        image_protocol: g.image_protocol,
        demo,
        review_db: g.review_db.clone(),
        demo_data: g.demo,
    };
    let loaded = match config::load(&overrides, &ProcessEnv) {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("truora-tui: {e}");
            return Ok(ExitCode::from(e.exit_code() as u8));
        }
    };
    for warning in &loaded.warnings {
        eprintln!("truora-tui: warning: {warning}");
    }
    match cli.command.unwrap_or(Cmd::Tui) {
        Cmd::DemoServer { port } => serve_demo(g.knobs.options(), port).await,
        Cmd::Export(args) => export(args, loaded.config, g).await,
        Cmd::Show(args) => show(args, &loaded.config, g).await,
        Cmd::Reviews(cmd) => Ok(reviews(cmd, &loaded.config.review_db)),
        Cmd::Tui => {
            let setup = match source_setup(&loaded.config, g, true).await {
                Ok(setup) => setup,
                Err(e) => return e.exit(),
            };
            let mut warnings = loaded.warnings;
            warnings.extend(setup.warnings);
            truora_tui::browse::run(loaded.config, warnings, setup.source).await?;
            if let Some(server) = setup.demo {
                server.shutdown().await;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// A client pointed at the live API or at an in-process demo server.
struct ApiSetup {
    client: truora_tui::api::Client,
    label: String,
    /// Kept alive for as long as the client needs it.
    demo: Option<DemoServer>,
}

enum SetupError {
    Config(config::ConfigError),
    Other(anyhow::Error),
}

/// Why a source could not be set up: the API's setup, or a bad `--ids-file`/`--archive` (exit 2).
enum StartError {
    Setup(SetupError),
    Usage(String),
}

impl From<SetupError> for StartError {
    fn from(e: SetupError) -> Self {
        StartError::Setup(e)
    }
}

impl StartError {
    fn exit(self) -> anyhow::Result<ExitCode> {
        match self {
            StartError::Setup(SetupError::Config(e)) => {
                eprintln!("truora-tui: {e}");
                Ok(ExitCode::from(e.exit_code() as u8))
            }
            StartError::Usage(e) => {
                eprintln!("truora-tui: {e}");
                Ok(ExitCode::from(2))
            }
            StartError::Setup(SetupError::Other(e)) => Err(e),
        }
    }
}

/// Flags that cannot go together.
fn conflicts(cli: &Cli) -> Option<&'static str> {
    let g = &cli.global;
    if g.archive.is_some() && g.demo {
        return Some("--archive and --demo cannot be used together: an archive is read offline");
    }
    match &cli.command {
        Some(Cmd::Export(_)) if g.archive.is_some() => Some(
            "export reads from the API; --archive is already an export (run export again with the same --out to resume it)",
        ),
        Some(Cmd::Show(_)) if g.ids_file.is_some() => {
            Some("show prints the one process given; --ids-file does not apply")
        }
        _ => None,
    }
}

/// Reads `--ids-file`; its unreadable lines come back as warnings.
fn read_ids(path: &std::path::Path) -> Result<(Vec<String>, Vec<String>), StartError> {
    truora_tui::ids::read_reported(path).map_err(|e| StartError::Usage(e.to_string()))
}

/// What the browser or `show` reads from: an archive (offline), the API restricted to an ids
/// file, or the API (live or demo).
struct SourceSetup {
    source: truora_tui::source::Source,
    /// For the status bar (browser) or stderr (`show`).
    warnings: Vec<String>,
    /// Kept alive for as long as the source needs it.
    demo: Option<DemoServer>,
}

async fn source_setup(
    config: &Config,
    g: &Global,
    use_ids: bool,
) -> Result<SourceSetup, StartError> {
    use truora_tui::archive::Archive;
    use truora_tui::source::Source;
    let ids = match g.ids_file.as_deref().filter(|_| use_ids) {
        Some(path) => Some((read_ids(path)?, path.display().to_string())),
        None => None,
    };
    if let Some(dir) = &g.archive {
        let mut archive = Archive::open(dir).map_err(|e| StartError::Usage(e.to_string()))?;
        let mut warnings = Vec::new();
        if let Some(((ids, lines), _)) = ids {
            archive.retain_ids(&ids);
            warnings.extend(lines);
        }
        warnings.extend(archive.problems().iter().cloned());
        return Ok(SourceSetup {
            source: Source::from_archive(archive),
            warnings,
            demo: None,
        });
    }
    let api = api_setup(config, g.demo, &g.knobs).await?;
    let (source, warnings) = match ids {
        Some(((ids, lines), file)) => {
            let label = format!("{} · {} ids from {file}", api.label, ids.len());
            (Source::ids(api.client, ids, label), lines)
        }
        None => (Source::api(api.client, api.label), Vec::new()),
    };
    Ok(SourceSetup {
        source,
        warnings,
        demo: api.demo,
    })
}

async fn export(args: ExportArgs, mut config: Config, g: &Global) -> anyhow::Result<ExitCode> {
    use truora_tui::export::{ExportOptions, Filter, IdsInput};
    let usage = |e: &dyn std::fmt::Display| {
        eprintln!("truora-tui: {e}");
        Ok(ExitCode::from(2))
    };
    let filter = match Filter::parse(
        args.status.as_deref(),
        args.since.as_deref(),
        args.until.as_deref(),
    ) {
        Ok(f) => f,
        Err(e) => return usage(&e),
    };
    let mut opts = ExportOptions::new(&args.out);
    opts.filter = filter;
    if let Some(path) = &g.ids_file {
        let (ids, warnings) = match read_ids(path) {
            Ok(read) => read,
            Err(e) => return e.exit(),
        };
        for w in warnings {
            eprintln!("truora-tui: {w}");
        }
        opts.ids = Some(IdsInput {
            ids,
            file: Some(path.display().to_string()),
        });
    }
    if let Err(e) = opts.validate() {
        return usage(&e);
    }
    if let Some(n) = args.concurrency {
        config.concurrency = usize::from(n);
    }
    opts.images = !args.no_images;
    opts.details = !args.no_details;
    opts.concurrency = config.concurrency;
    let api = match api_setup(&config, g.demo, &g.knobs).await {
        Ok(api) => api,
        Err(e) => return StartError::from(e).exit(),
    };
    opts.identity_url = api.client.options().identity_base.to_string();
    opts.validations_url = api.client.options().validations_base.to_string();
    let code = truora_tui::export::run_in_terminal(api.client, opts).await;
    drop(api.demo);
    Ok(ExitCode::from(code))
}

async fn show(args: ShowArgs, config: &Config, g: &Global) -> anyhow::Result<ExitCode> {
    let setup = match source_setup(config, g, false).await {
        Ok(setup) => setup,
        Err(e) => return e.exit(),
    };
    let opts = truora_tui::show::ShowOptions {
        json: args.json,
        images: !args.no_images,
        width: args.width,
    };
    let outcome = truora_tui::show::run(&setup.source, &args.process_id, &opts).await;
    drop(setup.demo);
    match outcome {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("truora-tui: {e}");
            Ok(ExitCode::from(1))
        }
    }
}

async fn api_setup(config: &Config, demo: bool, knobs: &DemoKnobs) -> Result<ApiSetup, SetupError> {
    use truora_tui::api::{Client, ClientOptions};
    let (identity, validations, key, server) = if demo {
        let server = DemoServer::start(knobs.options())
            .await
            .context("starting the demo server")
            .map_err(SetupError::Other)?;
        let key = config::ApiKey::new(DEMO_API_KEY.to_owned());
        (
            server.identity_url(),
            server.validations_url(),
            key,
            Some(server),
        )
    } else {
        // Before the terminal is taken over: a password manager may prompt on the TTY.
        let key = config.resolve_api_key().await.map_err(SetupError::Config)?;
        (
            config.identity_base_url.clone(),
            config.validations_base_url.clone(),
            key,
            None,
        )
    };
    let mut opts = ClientOptions::new(identity, validations, key);
    opts.timeout = config.request_timeout;
    opts.concurrency = config.concurrency;
    let client = Client::new(opts).map_err(|e| SetupError::Other(e.into()))?;
    let label = if demo { "demo" } else { "live" }.to_owned();
    Ok(ApiSetup {
        client,
        label,
        demo: server,
    })
}

async fn serve_demo(opts: DemoOptions, port: u16) -> anyhow::Result<ExitCode> {
    let server = DemoServer::start_on(opts, port)
        .await
        .context("starting the demo server")?;
    println!("truora-tui demo API (synthetic data, no real person)");
    println!("  identity:    {}", server.identity_url());
    println!("  validations: {}", server.validations_url());
    println!("  images:      {}", server.images_url());
    println!("  API key:     {DEMO_API_KEY}");
    println!();
    println!(
        "  try: curl -H 'Truora-API-Key: {DEMO_API_KEY}' {}v1/processes/",
        server.identity_url()
    );
    println!("Ctrl-C stops it.");
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    server.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

/// `reviews …`: 0 done, 1 failed, 2 bad arguments.
fn reviews(cmd: ReviewsCmd, db: &std::path::Path) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let result = match cmd {
        ReviewsCmd::Export {
            format,
            out,
            since,
            verdict,
        } => {
            let args = reviews_cli::ExportArgs {
                format: match format {
                    ReviewsFormat::Csv => ExportFormat::Csv,
                    ReviewsFormat::Jsonl => ExportFormat::Jsonl,
                },
                out,
                since,
                verdicts: verdict.into_iter().map(Verdict::from).collect(),
            };
            reviews_cli::export(db, &args, &mut stdout)
        }
        ReviewsCmd::Import { file } => reviews_cli::import(db, &file, &mut stdout).map(drop),
        ReviewsCmd::List { conflicts, verdict } => {
            let args = reviews_cli::ListArgs {
                conflicts,
                verdicts: verdict.into_iter().map(Verdict::from).collect(),
            };
            reviews_cli::list(db, &args, &mut stdout)
        }
        ReviewsCmd::Stats => reviews_cli::stats(db, &mut stdout),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("truora-tui: {e}");
            ExitCode::from(if matches!(e, ReviewsError::BadSince(_)) {
                2
            } else {
                1
            })
        }
    }
}
