//! The command line: `truora-tui` (the browser, default), `truora-tui demo-server`.
//! Exit codes: 0 done, 1 failure while running, 2 usage or configuration error.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use truora_tui::config::{self, Config, ImageProtocol, Overrides, ProcessEnv};
use truora_tui::demo::{DEMO_API_KEY, DemoOptions, DemoServer};

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
    let demo = g.demo || matches!(cli.command, Some(Cmd::DemoServer { .. }));
    let overrides = Overrides {
        config_path: g.config.clone(),
        identity_url: g.identity_url.clone(),
        validations_url: g.validations_url.clone(),
        download_dir: g.download_dir.clone(),
        image_protocol: g.image_protocol,
        demo,
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
        Cmd::Tui => {
            let api = match api_setup(&loaded.config, g.demo, &g.knobs).await {
                Ok(api) => api,
                Err(SetupError::Config(e)) => {
                    eprintln!("truora-tui: {e}");
                    return Ok(ExitCode::from(e.exit_code() as u8));
                }
                Err(SetupError::Other(e)) => return Err(e),
            };
            truora_tui::browse::run(loaded.config, loaded.warnings, api.client, api.label).await?;
            if let Some(server) = api.demo {
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
