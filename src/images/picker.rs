//! Choosing how images are drawn, once, at start-up.

use ratatui_image::picker::{Picker, ProtocolType};

use crate::config::ImageProtocol;

/// The picker for the configured protocol; `None` when images are off.
///
/// `Auto` and the forced graphics protocols write escape sequences to the terminal and read its
/// answers (capabilities and font size), with a timeout of a couple of seconds when it stays
/// silent. Call this **after entering the alternate screen and raw mode, and before the
/// crossterm event stream starts**, or the stream would swallow the answers (and the user would
/// see them typed as keys).
///
/// - `Auto` uses whatever the terminal says it supports, falling back to half-blocks (which work
///   over any SSH session) when the query fails; inside tmux it uses half-blocks without asking;
/// - `Kitty`/`Iterm2`/`Sixel` still query, for the font size the image must be scaled to, then
///   force the protocol even if the terminal did not advertise it;
/// - `Halfblocks` needs no query at all.
pub fn picker_for(choice: ImageProtocol) -> Option<Picker> {
    let forced = match choice {
        ImageProtocol::Off => return None,
        ImageProtocol::Halfblocks => return Some(Picker::halfblocks()),
        // Inside tmux the query goes through passthrough, which tmux drops unless
        // `allow-passthrough` is on: nothing answers, start-up waits 2 s, and ratatui-image's
        // reader thread, still blocked on stdin, eats the user's first key. Half-blocks work in
        // every tmux; a user with passthrough can force kitty/sixel/iterm2.
        ImageProtocol::Auto if inside_tmux() => return Some(Picker::halfblocks()),
        ImageProtocol::Auto => None,
        ImageProtocol::Kitty => Some(ProtocolType::Kitty),
        ImageProtocol::Iterm2 => Some(ProtocolType::Iterm2),
        ImageProtocol::Sixel => Some(ProtocolType::Sixel),
    };
    let mut picker = match Picker::from_query_stdio() {
        Ok(picker) if has_font_size(&picker) => picker,
        Ok(_) | Err(_) => Picker::halfblocks(),
    };
    if let Some(protocol) = forced {
        picker.set_protocol_type(protocol);
    }
    Some(picker)
}

/// NO_COLOR is about text: crossterm honours it by dropping every colour escape, which would
/// draw half-block pictures as colourless noise. When images are on, colour output is kept on
/// for them; the ui's own text stays colourless under NO_COLOR (it never asks for a colour).
pub fn keep_image_colours(images_enabled: bool) {
    if images_enabled {
        crossterm::style::Colored::set_ansi_color_disabled(false);
    }
}

fn inside_tmux() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// A terminal answering with a zero cell size would make every image zero pixels wide.
fn has_font_size(picker: &Picker) -> bool {
    let font = picker.font_size();
    font.width > 0 && font.height > 0
}

/// A short label for the status bar: `kitty`, `iterm2`, `sixel`, `halfblocks` (with `, tmux`
/// when the escapes are wrapped for tmux), or `images off`.
pub fn protocol_label(picker: &Option<Picker>) -> String {
    let Some(picker) = picker else {
        return "images off".into();
    };
    let name = match picker.protocol_type() {
        ProtocolType::Kitty => "kitty",
        ProtocolType::Iterm2 => "iterm2",
        ProtocolType::Sixel => "sixel",
        ProtocolType::Halfblocks => "halfblocks",
    };
    if picker.tmux_detected() && picker.protocol_type() != ProtocolType::Halfblocks {
        format!("{name}, tmux")
    } else {
        name.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn off_and_halfblocks_need_no_terminal() {
        assert!(picker_for(ImageProtocol::Off).is_none());
        let picker = picker_for(ImageProtocol::Halfblocks);
        assert_eq!(
            picker.as_ref().map(Picker::protocol_type),
            Some(ProtocolType::Halfblocks)
        );
        assert_eq!(protocol_label(&None), "images off");
        assert_eq!(protocol_label(&Some(Picker::halfblocks())), "halfblocks");
    }

    #[test]
    fn labels_name_the_protocol() {
        let mut picker = Picker::halfblocks();
        picker.set_protocol_type(ProtocolType::Kitty);
        assert!(protocol_label(&Some(picker)).starts_with("kitty"));
    }
}
