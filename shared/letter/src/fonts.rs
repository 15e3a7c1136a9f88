//! The letter's two faces, compiled in, and how wide a run of text is in them.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

/// DejaVu Sans cut to the scripts of Duly's languages (Latin, Latin Extended-A, Romanian, Cyrillic).
pub const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
pub const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    Regular,
    Bold,
}

impl Face {
    pub fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => REGULAR,
            Face::Bold => BOLD,
        }
    }
}

/// The advance width of `text` at `size` points. A character the face lacks counts as the face's
/// fallback glyph, as it is drawn.
pub fn width(face: Face, size: f32, text: &str) -> f32 {
    let Ok(font) = FontRef::new(face.bytes()) else {
        return 0.0;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            let glyph = charmap.map(c).unwrap_or_default();
            metrics.advance_width(glyph).unwrap_or(0.0)
        })
        .sum()
}

/// The characters of `text` the face cannot draw.
pub fn missing(face: Face, text: &str) -> Vec<char> {
    let Ok(font) = FontRef::new(face.bytes()) else {
        return text.chars().collect();
    };
    let charmap = font.charmap();
    text.chars()
        .filter(|c| !c.is_whitespace() && charmap.map(*c).is_none())
        .collect()
}
