//! Small charts as shapes, drawn into SVG by the report's template, so every label passes through the
//! template's escaping like any other text on the page.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    pub width: i64,
    pub height: i64,
    /// What a screen reader says of the picture.
    pub label: String,
    pub shapes: Vec<Shape>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Shape {
    Rect { x: i64, y: i64, width: i64, height: i64 },
    Dot { x: i64, y: i64 },
    Text { x: i64, y: i64, size: i64, text: String },
}

impl Chart {
    pub fn rects(&self) -> impl Iterator<Item = (i64, i64, i64, i64)> + '_ {
        self.shapes.iter().filter_map(|s| match s {
            Shape::Rect { x, y, width, height } => Some((*x, *y, *width, *height)),
            _ => None,
        })
    }

    pub fn texts(&self) -> impl Iterator<Item = &str> {
        self.shapes.iter().filter_map(|s| match s {
            Shape::Text { text, .. } => Some(text.as_str()),
            _ => None,
        })
    }
}
