//! `truora-tui demo-server`: the demo API on loopback for curl and external tests, until Ctrl-C.

use anyhow::Context;
use clap::Args;

use super::demo_knobs::DEMO_HEADING;
use super::{CliError, DemoKnobs, EXIT_OK};
use crate::demo::{DEMO_API_KEY, DemoServer};

#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
pub struct DemoServerArgs {
    /// Port for the identity API (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    #[command(flatten)]
    pub knobs: DemoKnobs,
    /// Processes per list page
    #[arg(long, hide = true, value_name = "N", help_heading = DEMO_HEADING)]
    pub demo_page_size: Option<usize>,
    /// A new process arrives every SECS seconds, some pending that finish later
    #[arg(long, value_name = "SECS", help_heading = DEMO_HEADING,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub demo_arrivals: Option<u64>,
}

impl DemoServerArgs {
    pub(super) async fn run(self) -> Result<u8, CliError> {
        let server = DemoServer::start_on(
            self.knobs.options(self.demo_page_size, self.demo_arrivals),
            self.port,
        )
        .await
        .with_context(|| format!("starting the demo server on port {}", self.port))
        .map_err(CliError::Failed)?;
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
        let waited = tokio::signal::ctrl_c().await;
        server.shutdown().await;
        waited
            .context("waiting for Ctrl-C")
            .map_err(CliError::Failed)?;
        Ok(EXIT_OK)
    }
}
