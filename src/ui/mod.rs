//! Drawing only: [`draw`] paints an [`App`] into a frame; one file per pane. No IO, no state
//! changes. [`layout`] is pure and shared with the app, which uses it to know how many rows a page
//! is and at which cell size to ask for images.

mod compare;
mod help;
mod list;
mod preview;
mod raw;
mod status;
mod text;
mod tree;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};

use crate::app::overlay::Overlay;
use crate::app::tree::Tone;
use crate::app::{App, Focus};

/// The smallest terminal the browser draws in.
pub const MIN_SIZE: (u16, u16) = (80, 24);

/// Where everything goes for a terminal of a given size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Panes {
    pub too_small: bool,
    /// List, tree and preview together; the compare and raw views cover it.
    pub body: Rect,
    pub list: Rect,
    pub tree: Rect,
    pub preview: Rect,
    /// Inside the preview: the image, and the info line under it.
    pub preview_image: Rect,
    pub preview_info: Rect,
    /// Two rows: messages, then key hints.
    pub status: Rect,
    /// The compare view: the score line, then two image cells with a label row under each.
    pub compare_header: Rect,
    pub compare_images: [Rect; 2],
    pub compare_labels: [Rect; 2],
}

impl Panes {
    /// Process rows the list shows (its header row excluded).
    pub fn list_rows(&self) -> usize {
        usize::from(inner(self.list).height.saturating_sub(1))
    }

    pub fn tree_rows(&self) -> usize {
        usize::from(inner(self.tree).height)
    }

    pub fn raw_rows(&self) -> usize {
        usize::from(inner(self.body).height)
    }
}

/// The area inside a one-cell border.
pub fn inner(area: Rect) -> Rect {
    Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    }
}

/// The layout: the list on the left (45 %), the tree top right, the image preview bottom right,
/// two status rows at the bottom. Below 80×24 nothing but a notice is drawn.
pub fn layout(area: Rect) -> Panes {
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        return Panes {
            too_small: true,
            ..Panes::default()
        };
    }
    let body = Rect {
        height: area.height - 2,
        ..area
    };
    let status = Rect {
        y: area.y + body.height,
        height: 2,
        ..area
    };
    // Wide terminals give the list room for the full process id and the user column.
    let share = if area.width >= 160 { 60 } else { 45 };
    let list_w = area.width * share / 100;
    let list = Rect {
        width: list_w,
        ..body
    };
    let right = Rect {
        x: area.x + list_w,
        width: area.width - list_w,
        ..body
    };
    let tree_h = body.height * 55 / 100;
    let tree = Rect {
        height: tree_h,
        ..right
    };
    let preview = Rect {
        y: right.y + tree_h,
        height: body.height - tree_h,
        ..right
    };
    let p = inner(preview);
    let preview_image = Rect {
        height: p.height.saturating_sub(1),
        ..p
    };
    let preview_info = Rect {
        y: p.y + preview_image.height,
        height: p.height.min(1),
        ..p
    };

    let c = inner(body);
    let compare_header = Rect { height: 2, ..c };
    let half = c.width / 2;
    let cell_h = c.height.saturating_sub(3);
    let left = Rect {
        y: c.y + 2,
        width: half.saturating_sub(1),
        height: cell_h,
        ..c
    };
    let right_img = Rect {
        x: c.x + half + 1,
        width: c.width - half - 1,
        ..left
    };
    let label = |r: Rect| Rect {
        y: r.y + r.height,
        height: 1,
        ..r
    };
    Panes {
        too_small: false,
        body,
        list,
        tree,
        preview,
        preview_image,
        preview_info,
        status,
        compare_header,
        compare_images: [left, right_img],
        compare_labels: [label(left), label(right_img)],
    }
}

pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let panes = layout(area);
    let theme = Theme {
        color: app.options().color,
    };
    if panes.too_small {
        let text = format!(
            "terminal too small (need {}×{}, have {}×{})",
            MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    list::draw(app, frame, &panes, &theme);
    tree::draw(app, frame, &panes, &theme);
    preview::draw(app, frame, &panes, &theme);
    status::draw(app, frame, &panes, &theme);
    match app.overlay() {
        Overlay::None => {}
        Overlay::Help { scroll } => help::draw(app, frame, *scroll, &theme),
        Overlay::Raw(view) => raw::draw(view, frame, &panes, &theme),
        Overlay::Compare => compare::draw(app, frame, &panes, &theme),
    }
}

/// Colours, or none at all: with `color: false` only symbols, bold and reverse carry meaning.
pub(crate) struct Theme {
    pub color: bool,
}

impl Theme {
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
