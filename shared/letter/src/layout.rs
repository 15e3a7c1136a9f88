//! The letter laid out on A4 pages as positioned runs of text and rules, before any PDF is written: the
//! layout is plain data, so that what lands where can be checked without reading a PDF back.

use duly_core::messages::letter::Letter;

use crate::fonts::{width, Face};

pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const MARGIN: f32 = 56.0;
/// Room kept at the foot of every page for the legal footer and the page number.
const FOOT: f32 = 72.0;
const BODY: f32 = 10.0;
const SMALL: f32 = 8.0;
const LEADING: f32 = 1.4;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tint {
    Ink,
    Grey,
    Brand,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// Text whose baseline starts at (`x`, `y`), `y` from the top of the page.
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        tint: Tint,
        text: String,
    },
    /// A horizontal rule.
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
        width: f32,
        tint: Tint,
    },
}

pub type Page = Vec<Mark>;

/// `text` cut into lines no wider than `room`; a word longer than a line (a link, say) is cut where it
/// must be.
pub fn wrap(text: &str, face: Face, size: f32, room: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if width(face, size, &candidate) <= room {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than the line by itself is cut by characters.
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if width(face, size, &piece) > room && piece.chars().count() > 1 {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        line = piece;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

struct Pen {
    pages: Vec<Page>,
    y: f32,
}

impl Pen {
    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a letter has a page")
    }

    /// Makes room for `height` more points, going on to a new page when this one is full.
    fn room(&mut self, height: f32) {
        if self.y + height > PAGE_HEIGHT - FOOT {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn text(&mut self, x: f32, size: f32, face: Face, tint: Tint, text: &str) {
        let y = self.y + size;
        self.page().push(Mark::Text {
            x,
            y,
            size,
            face,
            tint,
            text: text.to_string(),
        });
    }

    fn paragraph(&mut self, text: &str, size: f32, face: Face, tint: Tint) {
        for line in wrap(text, face, size, PAGE_WIDTH - 2.0 * MARGIN) {
            self.room(size * LEADING);
            self.text(MARGIN, size, face, tint, &line);
            self.y += size * LEADING;
        }
    }

    fn rule(&mut self, width: f32, tint: Tint) {
        let y = self.y;
        self.page().push(Mark::Rule {
            x1: MARGIN,
            x2: PAGE_WIDTH - MARGIN,
            y,
            width,
            tint,
        });
    }
}

/// The table's columns: where each starts, how wide it is, and whether its figures align right.
fn columns(charged: bool) -> Vec<(f32, f32, bool)> {
    let shares: &[(f32, bool)] = if charged {
        &[(0.22, false), (0.17, false), (0.2, true), (0.18, true), (0.23, true)]
    } else {
        &[(0.36, false), (0.28, false), (0.36, true)]
    };
    let room = PAGE_WIDTH - 2.0 * MARGIN;
    let mut x = MARGIN;
    shares
        .iter()
        .map(|(share, right)| {
            let w = room * share;
            let col = (x, w, *right);
            x += w;
            col
        })
        .collect()
}

/// One row of cells, each wrapped to its column; the row is as tall as its tallest cell.
fn row(pen: &mut Pen, cells: &[&str], cols: &[(f32, f32, bool)], face: Face, size: f32) {
    let gap = 6.0;
    let wrapped: Vec<Vec<String>> = cells
        .iter()
        .zip(cols)
        .map(|(cell, (_, w, _))| wrap(cell, face, size, w - gap))
        .collect();
    let height = wrapped.iter().map(Vec::len).max().unwrap_or(1).max(1) as f32 * size * LEADING;
    pen.room(height);
    let top = pen.y;
    for (lines, (x, w, right)) in wrapped.iter().zip(cols) {
        for (n, line) in lines.iter().enumerate() {
            pen.y = top + n as f32 * size * LEADING;
            let x = if *right {
                x + w - gap - width(face, size, line)
            } else {
                *x
            };
            pen.text(x, size, face, Tint::Ink, line);
        }
    }
    pen.y = top + height;
}

/// The letter on A4 pages, its footer and page numbers on every page.
pub fn lay_out(letter: &Letter) -> Vec<Page> {
    let mut pen = Pen {
        pages: vec![Vec::new()],
        y: MARGIN,
    };
    let mut head = letter.letterhead.iter();
    if let Some(name) = head.next() {
        pen.paragraph(name, 15.0, Face::Bold, Tint::Brand);
    }
    for line in head {
        pen.paragraph(line, SMALL + 0.5, Face::Regular, Tint::Grey);
    }
    pen.y += 4.0;
    pen.rule(1.5, Tint::Brand);
    pen.y += 22.0;
    for line in &letter.recipient {
        pen.paragraph(line, BODY, Face::Regular, Tint::Ink);
    }
    pen.y += 10.0;
    let date_width = width(Face::Regular, BODY, &letter.date);
    pen.text(
        PAGE_WIDTH - MARGIN - date_width,
        BODY,
        Face::Regular,
        Tint::Ink,
        &letter.date,
    );
    pen.y += BODY * LEADING + 14.0;
    pen.paragraph(&letter.title, 13.0, Face::Bold, Tint::Ink);
    pen.y += 8.0;
    pen.paragraph(&letter.greeting, BODY, Face::Regular, Tint::Ink);
    pen.y += 4.0;
    for p in &letter.before_table {
        pen.paragraph(p, BODY, Face::Regular, Tint::Ink);
        pen.y += 4.0;
    }
    pen.y += 6.0;
    let cols = columns(letter.charged);
    let header: Vec<&str> = letter.columns.iter().take(cols.len()).map(String::as_str).collect();
    row(&mut pen, &header, &cols, Face::Bold, 9.0);
    pen.rule(0.6, Tint::Grey);
    pen.y += 3.0;
    for line in &letter.lines {
        let cells = [
            line.number.as_str(),
            line.due_date.as_str(),
            line.amount_due.as_str(),
            line.interest.as_str(),
            line.compensation.as_str(),
        ];
        row(&mut pen, &cells[..cols.len()], &cols, Face::Regular, 9.0);
    }
    pen.rule(0.6, Tint::Grey);
    pen.y += 3.0;
    let (label, total) = &letter.total;
    let mut total_row: Vec<&str> = vec![label.as_str()];
    total_row.resize(cols.len() - 1, "");
    total_row.push(total.as_str());
    row(&mut pen, &total_row, &cols, Face::Bold, 9.5);
    pen.y += 12.0;
    for p in &letter.after_table {
        pen.paragraph(p, BODY, Face::Regular, Tint::Ink);
        pen.y += 4.0;
    }
    pen.y += 10.0;
    pen.paragraph(&letter.closing, BODY, Face::Regular, Tint::Ink);
    pen.y += 6.0;
    for line in &letter.signature {
        pen.paragraph(line, BODY, Face::Bold, Tint::Ink);
    }

    let pages = pen.pages.len();
    let mut out = pen.pages;
    for (n, page) in out.iter_mut().enumerate() {
        let mut y = PAGE_HEIGHT - FOOT + 22.0;
        if let Some(footer) = &letter.footer {
            for line in wrap(footer, Face::Regular, 7.0, PAGE_WIDTH - 2.0 * MARGIN)
                .into_iter()
                .take(3)
            {
                page.push(Mark::Text {
                    x: MARGIN,
                    y,
                    size: 7.0,
                    face: Face::Regular,
                    tint: Tint::Grey,
                    text: line,
                });
                y += 9.0;
            }
        }
        let number = letter
            .page_label
            .replace("{page}", &(n + 1).to_string())
            .replace("{pages}", &pages.to_string());
        page.push(Mark::Text {
            x: PAGE_WIDTH - MARGIN - width(Face::Regular, 7.0, &number),
            y: PAGE_HEIGHT - 28.0,
            size: 7.0,
            face: Face::Regular,
            tint: Tint::Grey,
            text: number,
        });
    }
    out
}
