//! Drawing only: [`draw`] paints an [`App`] into a frame; one file per pane. No IO, no state
//! changes. The layout is pure geometry owned by the app (`app::layout`), which uses it to know
//! how many rows a page is and at which cell size to ask for images; it is re-exported here.

mod compare;
mod help;
mod hints;
mod list;
mod preview;
mod raw;
mod review;
mod status;
mod text;
mod tree;

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

pub use crate::app::layout::{MIN_SIZE, Panes, inner, layout, layout_for};
use crate::app::overlays::Overlay;
use crate::app::tree::Tone;
use crate::app::{App, Focus};
use crate::privacy::Known;

pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let panes = app.panes_in(area);
    let theme = Theme {
        color: app.options().color,
        private: app.private(),
        known: app.known(),
    };
    if panes.too_small {
        let text = format!(
            "terminal too small (need {}×{}, have {}×{})",
            MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    // The raw view and compare cover the whole body: the panes under them are not drawn (in
    // privacy mode each would be masked again, every frame, to be cleared at once).
    if !matches!(app.overlay(), Overlay::Raw(_) | Overlay::Compare) {
        list::draw(app, frame, &panes, &theme);
        tree::draw(app, frame, &panes, &theme);
        preview::draw(app, frame, &panes, &theme);
    }
    status::draw(app, frame, &panes, &theme);
    match app.overlay() {
        Overlay::None => {}
        Overlay::Help { scroll } => help::draw(app, frame, *scroll, &theme),
        Overlay::Raw(view) => raw::draw(view, app.private(), app.keymap(), frame, &panes, &theme),
        Overlay::Compare => compare::draw(app, frame, &panes, &theme),
    }
    review::draw(app.review().input(), frame, &panes, &theme);
}

/// Colours, or none at all: with `color: false` only symbols, bold and reverse carry meaning.
pub(crate) struct Theme<'a> {
    pub color: bool,
    /// Privacy mode: every pane masks what it draws through `privacy/`.
    pub private: bool,
    /// In privacy mode, the shown process's personal values, hidden in its free text too.
    pub known: &'a Known,
}

impl Theme<'_> {
    /// Free text of the shown process as drawn: in privacy mode, masked by shape and with the
    /// process's personal values hidden.
    pub fn mask<'t>(&self, text: &'t str) -> Cow<'t, str> {
        if self.private {
            self.known.mask_text(text)
        } else {
            Cow::Borrowed(text)
        }
    }

    pub fn tone(&self, tone: Tone) -> Style {
        let color = match tone {
            Tone::Strong => return Style::new().add_modifier(Modifier::BOLD),
            _ if !self.color => return Style::new(),
            Tone::Plain => return Style::new(),
            Tone::Good => Color::Green,
            Tone::Bad => Color::Red,
            Tone::Warn => Color::Yellow,
            Tone::Dim => Color::DarkGray,
        };
        Style::new().fg(color)
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// The focused pane has a thick border (visible without colour) and a coloured one.
    pub fn block<'a>(&self, title: Line<'a>, focused: bool) -> Block<'a> {
        let block = Block::bordered().title(title);
        if !focused {
            return block;
        }
        let style = if self.color {
            Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD)
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        };
        block.border_type(BorderType::Thick).border_style(style)
    }
}

fn focused(app: &App, pane: Focus) -> bool {
    app.focus() == pane && *app.overlay() == Overlay::None
}
