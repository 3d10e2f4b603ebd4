//! The image budget's settings (`image_colors`, `image_max_cells`, `image_rest_ms`) and the
//! watch's (`watch_bell`, a `watch` below the minimum).

use super::*;

fn load_text(text: &str) -> Loaded {
    let (_dir, path) = config_file(text);
    load_ok(&with_file(&path), &env(&[]))
}

fn error_text(text: &str) -> String {
    let (_dir, path) = config_file(text);
    load_err(&with_file(&path), &env(&[])).to_string()
}

#[test]
fn image_colors_takes_auto_truecolor_and_256() {
    for (value, expected) in [
        ("auto", ImageColors::Auto),
        ("truecolor", ImageColors::Truecolor),
        ("256", ImageColors::Xterm256),
    ] {
        let config = load_text(&format!("image_colors = \"{value}\"\n")).config;
        assert_eq!(config.image_colors, expected, "{value}");
    }
    let text = error_text("\nimage_colors = \"16\"\n");
    assert!(text.contains(":2: bad value for `image_colors`"), "{text}");
    assert!(text.contains("\"truecolor\", \"256\""), "{text}");
    // A number is not the string "256": said, not guessed.
    let text = error_text("image_colors = 256\n");
    assert!(text.contains("bad value for `image_colors`"), "{text}");
}

#[test]
fn image_max_cells_is_columns_by_rows() {
    for (value, expected) in [
        ("60x30", (60, 30)),
        (" 80 X 20 ", (80, 20)),
        ("120×1", (120, 1)),
    ] {
        let config = load_text(&format!("image_max_cells = \"{value}\"\n")).config;
        assert_eq!(config.image_max_cells, Some(expected), "{value}");
    }
    for bad in [
        "60", "x30", "60x", "3x30", "60x0", "60x30x2", "-60x30", "2000x30",
    ] {
        let text = error_text(&format!("concurrency = 2\nimage_max_cells = \"{bad}\"\n"));
        assert!(
            text.contains(":2: bad value for `image_max_cells`"),
            "{bad}: {text}"
        );
        assert!(text.contains(&format!("{bad:?}")), "{bad}: {text}");
        assert!(text.contains("e.g. \"60x30\""), "{bad}: {text}");
    }
}

#[test]
fn image_rest_ms_from_zero_to_five_seconds() {
    assert_eq!(
        load_text("image_rest_ms = 0\n").config.image_rest,
        Duration::ZERO
    );
    assert_eq!(
        load_text("image_rest_ms = 250\n").config.image_rest,
        Duration::from_millis(250)
    );
    for bad in [-1, 5_001] {
        let text = error_text(&format!("image_rest_ms = {bad}\n"));
        assert!(
            text.contains(&format!("`image_rest_ms = {bad}` is out of range")),
            "{text}"
        );
        assert!(text.contains("from 0 to 5000"), "{text}");
    }
}

#[test]
fn a_watch_below_five_seconds_is_raised_with_a_warning() {
    let loaded = load_text("\n\nwatch = 2\n");
    assert_eq!(loaded.config.watch, Some(Duration::from_secs(5)));
    assert_eq!(loaded.warnings.len(), 1, "{:?}", loaded.warnings);
    let warning = &loaded.warnings[0];
    assert!(warning.contains("config.toml:3: `watch = 2`"), "{warning}");
    assert!(warning.contains("watching every 5 s"), "{warning}");

    let loaded = load_text("watch = 5\n");
    assert_eq!(loaded.config.watch, Some(Duration::from_secs(5)));
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
}

#[test]
fn watch_bell_is_off_unless_asked() {
    assert!(!load_text("watch = 30\n").config.watch_bell);
    assert!(load_text("watch_bell = true\n").config.watch_bell);
}
