//! The image preview pane, and drawing one image cell (shared with the compare view).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui_image::Image;

use super::text::bytes;
use super::{Panes, Theme, focused};
use crate::app::preview::zoom::Side;
use crate::app::preview::{ImageState, auto_fetches, preview_request};
use crate::app::tree::Tone;
use crate::app::{App, Focus, ResultView};
use crate::images::ImageView;
use crate::images::{ImageInfo, ImageRequest, RenderedImage, recolor};
use crate::keymap::Action;
use crate::sanitize::terminal_text;

pub(super) fn draw(app: &App, frame: &mut Frame, panes: &Panes, theme: &Theme) {
    let request = match app.view() {
        ResultView::Ready { tree, .. } => preview_request(tree),
        _ => None,
    };
    let title = match request {
        Some(r) => format!(" image · {} ", r.link.kind.label()),
        None => " image ".to_owned(),
    };
    frame.render_widget(
        theme.block(Line::from(title), focused(app, Focus::Preview)),
        panes.preview,
    );
    match request {
        Some(r) if !auto_fetches(r) => draw_link(app, frame, r, panes.preview_image, theme),
        Some(r) => draw_image(
            app,
            frame,
            Side::Preview,
            r,
            [panes.preview_image, panes.preview_info],
            theme,
        ),
        None => {
            let text = match app.view() {
                ResultView::Ready { .. } => "this process has no images",
                _ => "",
            };
            note(frame, panes.preview_image, text, Tone::Dim, theme);
        }
    }
}

/// One image of `side` in the first area with its facts on the second; only the image this
/// request names is ever drawn (images are looked up by key, cell size and view).
pub(super) fn draw_image(
    app: &App,
    frame: &mut Frame,
    side: Side,
    request: &ImageRequest,
    [image_area, info_area]: [Rect; 2],
    theme: &Theme,
) {
    let label = request.link.kind.label();
    if !app.images_rested() {
        // The cursor is moving: no picture is fetched or drawn (nor the last one left on
        // screen), only what is known of this one.
        let facts = app
            .images()
            .facts(&request.key)
            .map_or_else(|| label.to_owned(), info_text);
        let text = format!("{facts} · drawn when the cursor rests");
        note(frame, image_area, &text, Tone::Dim, theme);
        return;
    }
    let area = (image_area.width, image_area.height);
    let view = app.image_view(side, &request.key);
    match app.images().state(&request.key, area, view) {
        ImageState::Loading => note(
            frame,
            image_area,
            &format!("loading {label}…"),
            Tone::Dim,
            theme,
        ),
        ImageState::Failed(e) => {
            let text = format!("✗ {label}: {}", terminal_text(e));
            note(frame, image_area, &text, Tone::Bad, theme);
        }
        ImageState::Ready(image) | ImageState::Stale(image) => {
            match (&image.protocol, app.options().images_enabled) {
                // Privacy mode: the photo is not drawn at all, only what it is (saving is not
                // showing: `s` still saves the original).
                (Some(_), true) if theme.private => note(
                    frame,
                    image_area,
                    &format!(
                        "◼ {} hidden (privacy mode; {} saves the original)",
                        info_text(&image.info),
                        app.keymap()
                            .hint(Action::SaveImage)
                            .unwrap_or_else(|| "save_image".to_owned())
                    ),
                    Tone::Dim,
                    theme,
                ),
                (Some(protocol), true) => {
                    frame.render_widget(Image::new(protocol), image_area);
                    recolor(
                        frame.buffer_mut(),
                        image_area,
                        app.options().image_budget.colors,
                    );
                }
                (_, false) => {
                    let save = app.keymap().hint(Action::SaveImage).unwrap_or_default();
                    let text = format!("{} · {save} saves it", info_text(&image.info));
                    note(frame, image_area, &text, Tone::Dim, theme);
                }
                (None, true) => note(
                    frame,
                    image_area,
                    "not a picture: s saves the file",
                    Tone::Dim,
                    theme,
                ),
            }
            // What part is shown matters more than the file's facts: it comes first, so a
            // narrow pane cuts the facts.
            let mut text = image.info.kind.label().to_owned();
            text.push_str(&view_text(app, view, image));
            let facts = info_text(&image.info);
            text.push_str(
                facts
                    .strip_prefix(image.info.kind.label())
                    .unwrap_or(&facts),
            );
            let info = Paragraph::new(Span::styled(text, theme.tone(Tone::Dim)));
            frame.render_widget(info, info_area);
        }
    }
}

/// A link that is not a picture is not fetched to be shown: its facts instead, and how to save
/// it. The host is shown because the link comes from user-submitted data and may point anywhere;
/// the rest of the URL (a signature) is not.
fn draw_link(app: &App, frame: &mut Frame, request: &ImageRequest, area: Rect, theme: &Theme) {
    let save = app
        .keymap()
        .hint(Action::SaveImage)
        .unwrap_or_else(|| "save".to_owned());
    let host = url::Url::parse(&request.link.url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
    let fact = |name: &str, value: &str| {
        Line::from(vec![
            Span::styled(format!("{name:<6}"), theme.tone(Tone::Dim)),
            Span::raw(terminal_text(value).into_owned()),
        ])
    };
    let lines = vec![
        Line::from(Span::styled(
            format!("{} link — {save} saves it", request.link.kind.label()),
            theme.tone(Tone::Strong),
        )),
        fact("from", &request.validation_type),
        fact("at", &request.link.path),
        fact("host", &host),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

/// What part of the image is shown, when not all of it: ` · zoom 2.3× · 0 resets`,
/// ` · portrait · - zooms out`, ` · whole card: no face found`. The key comes after a `·`, not
/// in brackets, so `(0 resets)` cannot be read as a count of resets.
fn view_text(app: &App, view: ImageView, image: &RenderedImage) -> String {
    let key = |action| app.keymap().hint(action).unwrap_or_default();
    match (view, image.portrait) {
        (ImageView::Region(r), _) if !r.is_whole() => format!(
            " · zoom {:.1}× · {} resets",
            r.magnification(),
            key(Action::ZoomReset)
        ),
        (ImageView::Portrait, Some(true)) => {
            format!(" · portrait · {} zooms out", key(Action::ZoomOut))
        }
        (ImageView::Portrait, _) => " · whole card: no face found".to_owned(),
        _ => String::new(),
    }
}

/// `document front · 640×480 px · 52.1 KB · jpeg`.
pub(super) fn info_text(info: &ImageInfo) -> String {
    let mut parts = vec![info.kind.label().to_owned()];
    if info.width > 0 && info.height > 0 {
        parts.push(format!("{}×{} px", info.width, info.height));
    }
    parts.push(bytes(info.bytes));
    parts.push(info.format.to_owned());
    parts.join(" · ")
}

pub(super) fn note(frame: &mut Frame, area: Rect, text: &str, tone: Tone, theme: &Theme) {
    let p =
        Paragraph::new(Span::styled(text.to_owned(), theme.tone(tone))).wrap(Wrap { trim: true });
    frame.render_widget(p, area);
}
