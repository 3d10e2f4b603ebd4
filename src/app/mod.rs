//! The browser's state and its transitions, with no terminal IO: `App::update` is a pure function
//! of (state, input) that returns [`Command`]s for the runtime to carry out.

pub mod message;

pub use message::{CellSize, Command, ImageInfo, ImageKey, ImageRequest, Message, RenderedImage};
