//! Drawing only: `draw(&App, &mut Frame)` and one file per pane. No IO, no state changes.
