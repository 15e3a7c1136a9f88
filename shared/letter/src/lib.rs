//! The formal letter as a PDF: [`duly_core::messages::letter::formal_letter`] decides every word; this
//! lays them out on A4 ([`layout`]) and writes the PDF with `krilla`, the fonts subset to what the letter
//! uses.

pub mod fonts;
pub mod layout;

use duly_core::messages::letter::Letter;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};
use krilla::Document;

use fonts::Face;
use layout::{lay_out, Mark, Tint, PAGE_HEIGHT, PAGE_WIDTH};

#[cfg(test)]
mod tests;

#[derive(Debug, thiserror::Error)]
pub enum LetterError {
    #[error("the letter's font does not load")]
    Font,
    #[error("the letter's text has characters its fonts lack: {0:?}")]
    Unprintable(Vec<char>),
    #[error("the PDF could not be written: {0}")]
    Pdf(String),
}

fn colour(tint: Tint, brand: &str) -> rgb::Color {
    match tint {
        Tint::Ink => rgb::Color::new(0x1f, 0x29, 0x33),
        Tint::Grey => rgb::Color::new(0x52, 0x60, 0x6d),
        Tint::Brand => parse_hex(brand).unwrap_or(rgb::Color::new(0x1f, 0x29, 0x33)),
    }
}

fn parse_hex(hex: &str) -> Option<rgb::Color> {
    let hex = hex.strip_prefix('#').filter(|h| h.len() == 6 && h.is_ascii())?;
    let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some(rgb::Color::new(byte(0)?, byte(2)?, byte(4)?))
}

/// Every character the letter prints.
fn all_text(pages: &[layout::Page]) -> String {
    pages
        .iter()
        .flatten()
        .filter_map(|m| match m {
            Mark::Text { text, .. } => Some(text.as_str()),
            Mark::Rule { .. } => None,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The letter as a PDF. Refused, rather than printed with empty boxes, when a character has no glyph.
pub fn pdf(letter: &Letter) -> Result<Vec<u8>, LetterError> {
    let pages = lay_out(letter);
    let missing = fonts::missing(Face::Bold, &all_text(&pages));
    if !missing.is_empty() {
        return Err(LetterError::Unprintable(missing));
    }
    let regular = Font::new(fonts::REGULAR.to_vec().into(), 0).ok_or(LetterError::Font)?;
    let bold = Font::new(fonts::BOLD.to_vec().into(), 0).ok_or(LetterError::Font)?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(letter.title.clone())
            .language(letter.lang.to_string())
            .creator("Duly".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(LetterError::Pdf("page size".into()))?;
    for marks in &pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for mark in marks {
            match mark {
                Mark::Text {
                    x,
                    y,
                    size,
                    face,
                    tint,
                    text,
                } => {
                    surface.set_fill(Some(Fill {
                        paint: colour(*tint, &letter.brand_colour).into(),
                        opacity: NormalizedF32::ONE,
                        rule: Default::default(),
                    }));
                    let font = match face {
                        Face::Regular => regular.clone(),
                        Face::Bold => bold.clone(),
                    };
                    surface.draw_text(Point::from_xy(*x, *y), font, *size, text, false, TextDirection::Auto);
                }
                Mark::Rule { x1, x2, y, width, tint } => {
                    let mut path = PathBuilder::new();
                    path.move_to(*x1, *y);
                    path.line_to(*x2, *y);
                    if let Some(path) = path.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(Stroke {
                            paint: colour(*tint, &letter.brand_colour).into(),
                            width: *width,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| LetterError::Pdf(format!("{e:?}")))
}
