//! The demo API's knobs, for tests and benchmarks. Each command declares those it can show the
//! effect of: every client sees latency, the number of processes and the links' lifetime; only
//! commands that read the list see its page size; only the browser and the demo server see
//! processes arrive. Outside `demo-server` they set up the demo, so they need `--demo`: the
//! guard refuses them without it (see `scope.rs`), recognising them by [`DEMO_HEADING`].

use std::time::Duration;

use clap::Args;

use crate::demo::DemoOptions;

/// The help heading of every demo knob; also how the guard knows an option sets up the demo.
pub const DEMO_HEADING: &str = "Demo options";

// Knobs every command that starts the demo can show the effect of (hidden from `--help`). The
// page size and the arrivals are fields of the commands that have them, under the same heading.
#[derive(Args, Clone, Debug, Default, PartialEq, Eq)]
#[command(next_help_heading = DEMO_HEADING)]
pub struct DemoKnobs {
    /// Latency added to every demo request, in milliseconds
    #[arg(long, hide = true, value_name = "MS")]
    pub demo_latency_ms: Option<u64>,
    /// Number of synthetic processes
    #[arg(long, hide = true, value_name = "N")]
    pub demo_processes: Option<usize>,
    /// Lifetime of demo image links, in seconds
    #[arg(long, hide = true, value_name = "SECS")]
    pub demo_link_lifetime_secs: Option<u64>,
}

impl DemoKnobs {
    /// The demo's options from these knobs and, where the command declares them, the list's
    /// page size (`--demo-page-size`) and the arrivals' interval (`--demo-arrivals`).
    pub fn options(&self, page_size: Option<usize>, arrivals: Option<u64>) -> DemoOptions {
        let mut o = DemoOptions::default();
        if let Some(ms) = self.demo_latency_ms {
            o.latency = Duration::from_millis(ms);
        }
        if let Some(n) = self.demo_processes {
            o.processes = n;
        }
        if let Some(s) = self.demo_link_lifetime_secs {
            o.link_lifetime = Duration::from_secs(s);
        }
        if let Some(n) = page_size {
            o.page_size = n.max(1);
        }
        o.arrivals = arrivals.map(Duration::from_secs);
        o
    }
}
