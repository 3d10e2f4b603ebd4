//! Image decoding with limits, terminal encoding, and saving (placeholder).
