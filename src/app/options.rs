//! How the runtime configures the app: everything it needs to know of the config, the terminal
//! and the source, resolved once at start-up (the app never reads the environment).

use super::preview::rest::ImageBudget;
use crate::keymap::Keymap;

/// How the runtime configures the app.
#[derive(Clone, Debug)]
pub struct AppOptions {
    pub keymap: Keymap,
    /// The image protocol's name for the status bar: `halfblocks`, `kitty`, `off`, ...
    pub image_protocol: String,
    pub images_enabled: bool,
    /// False when browsing an offline archive: there is nothing to refresh from.
    pub can_refresh: bool,
    /// Where the data comes from, for the status bar: `demo`, `live`, `archive DIR`.
    pub source_label: String,
    /// False under NO_COLOR: no foreground colours, symbols and bold/reverse only.
    pub color: bool,
    /// The access log is on: the app returns `Command::Audit`s for what it shows and does.
    pub audit: bool,
    /// Review desk: fetch the next unreviewed process (result and images) while the reviewer
    /// looks at this one. Off only to measure what it saves.
    pub prefetch: bool,
    /// `--watch`: read the newest processes again this often; `None`: the list is read once.
    pub watch: Option<std::time::Duration>,
    /// The zone times are shown in, resolved at start-up (the app never reads the environment);
    /// UTC by default, as Truora sends them.
    pub time_zone: crate::date::zone::DisplayZone,
    /// `watch_bell`: ring the terminal's bell when a poll finds a new failure.
    pub watch_bell: bool,
    /// How images spend the link's bytes: the rest, the size cap, the palette.
    pub image_budget: ImageBudget,
    /// How long a result must have been on screen before a verdict key acts on it
    /// (`app::review::look`); zero: at once (tests that drive the app without the runtime).
    pub review_look: std::time::Duration,
}

impl Default for AppOptions {
    fn default() -> Self {
        AppOptions {
            keymap: Keymap::default(),
            image_protocol: "halfblocks".into(),
            images_enabled: true,
            can_refresh: true,
            source_label: "demo".into(),
            color: true,
            audit: false,
            prefetch: true,
            watch: None,
            time_zone: crate::date::zone::DisplayZone::utc(),
            watch_bell: false,
            image_budget: ImageBudget::default(),
            review_look: std::time::Duration::ZERO,
        }
    }
}
