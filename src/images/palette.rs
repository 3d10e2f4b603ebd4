//! Half-blocks in the xterm 256-colour palette.
//!
//! ratatui-image draws half-blocks with true-colour (24-bit) foreground and background. A
//! terminal without true colour shows those wrong (or not at all), and each colour costs
//! `38;2;R;G;B` where a palette colour costs `38;5;N`. Mapping each cell's colours to the nearest
//! of the palette's fixed colours (the 6×6×6 cube and the 24 greys; never the first 16, which
//! every terminal theme redefines) gives the right colours on any 256-colour terminal, and fewer
//! bytes: neighbouring cells share a colour more often, and the terminal is told only changes.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;

/// How half-block pictures are coloured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Palette {
    /// 24-bit colour, as ratatui-image encodes them.
    #[default]
    TrueColor,
    /// The nearest xterm 256-colour palette entry.
    Xterm256,
}

impl Palette {
    /// The name used in the config file (`image_colors`) and the status bar.
    pub fn as_str(self) -> &'static str {
        match self {
            Palette::TrueColor => "truecolor",
            Palette::Xterm256 => "256",
        }
    }
}

/// The six intensities of the colour cube's axes (xterm's, shared by most terminals).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The nearest step of the cube's axis to `v`: the midpoints between steps are 47.5, 115,
/// 155, 195 and 235.
fn cube_step(v: u8) -> usize {
    match v {
        0..=47 => 0,
        48..=114 => 1,
        _ => usize::from((v - 35) / 40),
    }
}

fn distance((r1, g1, b1): (u8, u8, u8), (r2, g2, b2): (u8, u8, u8)) -> u32 {
    let d = |a: u8, b: u8| u32::from(a.abs_diff(b)).pow(2);
    d(r1, r2) + d(g1, g2) + d(b1, b2)
}

/// The palette index (16–255) nearest to an RGB colour: the cube's corner or the grey ramp's
/// step (`8 + 10k`), whichever is closer.
pub fn xterm256(r: u8, g: u8, b: u8) -> u8 {
    let (ri, gi, bi) = (cube_step(r), cube_step(g), cube_step(b));
    let cube = (CUBE[ri], CUBE[gi], CUBE[bi]);
    // 16 + 36r + 6g + b ≤ 231: the cast is exact.
    let cube_index = (16 + 36 * ri + 6 * gi + bi) as u8;
    let average = (u32::from(r) + u32::from(g) + u32::from(b)) / 3;
    // Nearest of 8, 18, ..., 238; ≤ 23, so the cast is exact.
    let step = (average.saturating_sub(3) / 10).min(23) as u8;
    let level = 8 + 10 * step;
    if distance((r, g, b), (level, level, level)) < distance((r, g, b), cube) {
        232 + step
    } else {
        cube_index
    }
}

/// A colour in `palette`: true-colour ones mapped to the nearest palette entry.
pub fn in_palette(color: Color, palette: Palette) -> Color {
    match (palette, color) {
        (Palette::Xterm256, Color::Rgb(r, g, b)) => Color::Indexed(xterm256(r, g, b)),
        _ => color,
    }
}

/// Recolours the cells of `area` in `palette`, after a half-block picture was drawn there.
pub fn recolor(buffer: &mut Buffer, area: Rect, palette: Palette) {
    if palette == Palette::TrueColor {
        return;
    }
    let area = area.intersection(buffer.area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            if let Some(cell) = buffer.cell_mut((x, y)) {
                let (fg, bg) = (cell.fg, cell.bg);
                cell.set_fg(in_palette(fg, palette));
                cell.set_bg(in_palette(bg, palette));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cubes_own_colours_map_to_their_index() {
        for (ri, &r) in CUBE.iter().enumerate() {
            for (gi, &g) in CUBE.iter().enumerate() {
                for (bi, &b) in CUBE.iter().enumerate() {
                    let expected = 16 + 36 * ri + 6 * gi + bi;
                    // Greys on the cube's diagonal are exact cube colours too.
                    assert_eq!(usize::from(xterm256(r, g, b)), expected, "({r},{g},{b})");
                }
            }
        }
        assert_eq!(xterm256(0, 0, 0), 16);
        assert_eq!(xterm256(255, 255, 255), 231);
        assert_eq!(xterm256(255, 0, 0), 196);
        assert_eq!(xterm256(95, 135, 175), 67);
    }

    #[test]
    fn the_grey_ramps_own_colours_map_to_their_index() {
        for step in 0..24u8 {
            let v = 8 + 10 * step;
            assert_eq!(xterm256(v, v, v), 232 + step, "grey {v}");
        }
        assert_eq!(xterm256(128, 128, 128), 244);
        assert_eq!(xterm256(238, 238, 238), 255);
    }

    /// The palette's RGB for an index 16..=255, as xterm defines it.
    fn rgb_of(index: u8) -> (u8, u8, u8) {
        if index >= 232 {
            let v = 8 + 10 * (index - 232);
            return (v, v, v);
        }
        let i = usize::from(index - 16);
        (CUBE[i / 36], CUBE[i / 6 % 6], CUBE[i % 6])
    }

    #[test]
    fn every_colour_goes_to_a_nearest_entry() {
        // Either side of the cube's first midpoints.
        assert_eq!(xterm256(0, 0, 114), 17);
        assert_eq!(xterm256(0, 0, 115), 18);
        assert_eq!(xterm256(200, 30, 30), 160);
        // A dark grey is nearer the ramp than the cube's black.
        assert_eq!(xterm256(40, 40, 40), 235);
        for r in (0..=255u8).step_by(7) {
            for g in (0..=255u8).step_by(11) {
                for b in (0..=255u8).step_by(13) {
                    let ours = distance((r, g, b), rgb_of(xterm256(r, g, b)));
                    let best = (16..=255u8)
                        .map(|i| distance((r, g, b), rgb_of(i)))
                        .min()
                        .unwrap_or(u32::MAX);
                    assert_eq!(ours, best, "({r},{g},{b})");
                }
            }
        }
    }

    #[test]
    fn recolor_maps_rgb_cells_in_the_area_only() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 4, 2));
        for cell in &mut buffer.content {
            cell.set_fg(Color::Rgb(255, 0, 0))
                .set_bg(Color::Rgb(0, 0, 0));
        }
        buffer[(3, 1)].set_fg(Color::Yellow);
        recolor(&mut buffer, Rect::new(1, 0, 3, 2), Palette::Xterm256);
        assert_eq!(buffer[(0, 0)].fg, Color::Rgb(255, 0, 0), "outside the area");
        assert_eq!(buffer[(1, 0)].fg, Color::Indexed(196));
        assert_eq!(buffer[(1, 0)].bg, Color::Indexed(16));
        assert_eq!(
            buffer[(3, 1)].fg,
            Color::Yellow,
            "named colours are left alone"
        );
        let mut untouched = Buffer::empty(Rect::new(0, 0, 1, 1));
        untouched[(0, 0)].set_fg(Color::Rgb(1, 2, 3));
        recolor(&mut untouched, Rect::new(0, 0, 5, 5), Palette::TrueColor);
        assert_eq!(untouched[(0, 0)].fg, Color::Rgb(1, 2, 3));
    }
}
