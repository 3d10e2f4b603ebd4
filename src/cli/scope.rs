//! Which global options each command uses, and why the others do not apply to it: one table,
//! data rather than code per command. The guard (`guard.rs`) refuses what a command does not
//! use, [`super::command`] hides it from that command's `--help`, and the tests walk it.

use Global::{AuditLog, Config, Demo, IdentityUrl, Private, ReviewDb, TimeZone, ValidationsUrl};

/// One global option ([`super::GlobalArgs`]'s fields, by clap id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Global {
    Config,
    Demo,
    Private,
    AuditLog,
    ReviewDb,
    TimeZone,
    IdentityUrl,
    ValidationsUrl,
}

impl Global {
    pub const ALL: [Global; 8] = [
        Config,
        Demo,
        Private,
        AuditLog,
        ReviewDb,
        TimeZone,
        IdentityUrl,
        ValidationsUrl,
    ];

    /// The clap id: the field's name in `GlobalArgs` (a test checks they match).
    pub fn id(self) -> &'static str {
        match self {
            Config => "config",
            Demo => "demo",
            Private => "private",
            AuditLog => "audit_log",
            ReviewDb => "review_db",
            TimeZone => "time_zone",
            IdentityUrl => "identity_url",
            ValidationsUrl => "validations_url",
        }
    }
}

/// One command's row.
pub struct Scope {
    /// The name the user types.
    pub command: &'static str,
    /// The global options it uses; the others are refused.
    pub uses: &'static [Global],
    /// Whether its demo knobs need `--demo` (everywhere but `demo-server`, which is the demo).
    pub knobs_need_demo: bool,
    /// Why an option does not apply, when no line of `reasons` says better.
    pub otherwise: &'static str,
    /// Why a given option (global or the browser's) does not apply, by its flag.
    pub reasons: &'static [(&'static str, &'static str)],
}

impl Scope {
    /// The row of `command`; every command has one (a test checks it).
    pub fn of(command: &str) -> Option<&'static Scope> {
        SCOPES.iter().find(|scope| scope.command == command)
    }

    pub fn uses(&self, global: Global) -> bool {
        self.uses.contains(&global)
    }

    /// One line of why `flag` does not apply to this command.
    pub fn reason(&self, flag: &str) -> &'static str {
        let line = self.reasons.iter().find(|(f, _)| *f == flag);
        line.map_or(self.otherwise, |(_, why)| *why)
    }
}

/// `--audit-log` for `AuditLog`.
pub fn flag_of(global: Global) -> String {
    format!("--{}", global.id().replace('_', "-"))
}

pub const SCOPES: &[Scope] = &[
    Scope {
        command: "browse",
        uses: &Global::ALL,
        knobs_need_demo: true,
        otherwise: "the browser takes every option",
        reasons: &[],
    },
    Scope {
        command: "show",
        uses: &[
            Config,
            Demo,
            Private,
            AuditLog,
            ReviewDb,
            TimeZone,
            IdentityUrl,
            ValidationsUrl,
        ],
        knobs_need_demo: true,
        otherwise: "show prints one process",
        reasons: &[
            ("--ids-file", "show prints the one process given"),
            (
                "--download-dir",
                "show saves nothing; --download-dir is where the browser saves images",
            ),
            (
                "--image-protocol",
                "show draws images with half-blocks or iTerm2's protocol by itself (--no-images \
                 leaves them out); --image-protocol is for the browser",
            ),
            ("--watch", "show prints the process once"),
            ("--demo-page-size", "show reads one process, not the list"),
            (
                "--demo-arrivals",
                "show reads one process, not the list; arrivals are seen in the browser",
            ),
        ],
    },
    Scope {
        command: "export",
        uses: &[
            Config,
            Demo,
            AuditLog,
            ReviewDb,
            IdentityUrl,
            ValidationsUrl,
        ],
        knobs_need_demo: true,
        otherwise: "export downloads processes into --out",
        reasons: &[
            (
                "--archive",
                "export reads from the API; --archive is already an export (run export again \
                 with the same --out to resume it)",
            ),
            ("--download-dir", "export writes into --out"),
            ("--image-protocol", "export draws no images"),
            (
                "--watch",
                "export reads the list once (run it again to add what is new)",
            ),
            (
                "--demo-arrivals",
                "export reads the list once; arrivals are seen in the browser",
            ),
            (
                "--time-zone",
                "an export keeps Truora's UTC times as received",
            ),
            (
                "--private",
                "an export is written unmasked; --private is a screen aid",
            ),
        ],
    },
    Scope {
        command: "reviews",
        uses: &[Config, Demo, ReviewDb],
        knobs_need_demo: true,
        otherwise: "reviews works on the review store and calls no API",
        reasons: &[
            (
                "--private",
                "reviews prints the decisions and notes as recorded; --private masks Truora's \
                 data on screen",
            ),
            ("--audit-log", "reviews writes no access-log record"),
            ("--time-zone", "reviews writes times in UTC, as recorded"),
        ],
    },
    Scope {
        command: "audit",
        uses: &[Config, Demo, AuditLog, ReviewDb],
        knobs_need_demo: true,
        otherwise: "audit reads only the access log",
        reasons: &[
            (
                "--private",
                "the access log holds process ids and actions, never personal data",
            ),
            ("--time-zone", "audit prints times in UTC, as recorded"),
        ],
    },
    Scope {
        command: "demo-server",
        uses: &[],
        knobs_need_demo: false,
        otherwise: "demo-server serves the demo API and reads no config or data",
        reasons: &[("--demo", "demo-server always serves the demo")],
    },
];
