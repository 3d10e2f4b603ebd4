//! `truora-tui demo-server`: the demo API on loopback for curl and external tests, until Ctrl-C.

use anyhow::Context;
use clap::Args;

use super::leading::Leading;
use super::{CliError, DemoKnobs, EXIT_OK};
use crate::demo::{DEMO_API_KEY, DemoServer};

#[derive(Args, Clone, Debug, Default)]
pub struct DemoServerArgs {
    /// Port for the identity API (0 picks a free one)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    #[command(flatten)]
    pub knobs: DemoKnobs,
}

impl DemoServerArgs {
    pub(super) fn absorb(&mut self, mut leading: Leading) -> Result<(), CliError> {
        leading.take_knobs(&mut self.knobs)?;
        leading.finish(|flag| match flag {
            "--demo" => Some("demo-server always serves the demo; --demo does not apply".into()),
            _ => Some(format!(
                "demo-server serves the demo API and reads no config or data; {flag} does not \
                 apply"
            )),
        })
    }

    pub(super) async fn run(self) -> Result<u8, CliError> {
        let server = DemoServer::start_on(self.knobs.options(), self.port)
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
