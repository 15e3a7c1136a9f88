use duly_core::country_rules::DemandItem;
use duly_core::messages::letter::{Letter, LetterLine};

use super::*;
use crate::layout::{wrap, MARGIN};

fn letter(lines: usize) -> Letter {
    Letter {
        lang: "en",
        brand_colour: "#0b6e4f".into(),
        letterhead: vec!["Nordwind Tools OÜ".into(), "Pärnu mnt 10, Tallinn".into(), "ar@nordwind.example".into()],
        recipient: vec!["Anna Bērziņa".into(), "Latvia".into()],
        date: "16 December 2026".into(),
        title: "Formal demand for payment".into(),
        greeting: "Dear Anna Bērziņa,".into(),
        before_table: vec!["According to our records, the invoices below are still unpaid. ".repeat(4)],
        columns: ["Invoice", "Due date", "Amount due", "Interest", "Compensation for recovery costs"].map(String::from),
        charged: true,
        lines: (0..lines)
            .map(|n| LetterLine {
                number: format!("INV-{n:04}"),
                due_date: "24.11.2026".into(),
                amount_due: "180,00 €".into(),
                interest: "1,02 €".into(),
                compensation: "40,00 €".into(),
            })
            .collect(),
        total: ("Total due".into(), "44 244,00 €".into()),
        after_table: vec!["Pay online: https://pay.example/a-very-long-link-without-any-space-in-it-that-is-wider-than-the-line-it-must-fit-on-and-must-be-cut".into()],
        closing: "Yours sincerely,".into(),
        signature: vec!["Nordwind Tools OÜ".into()],
        footer: Some("Nordwind Tools OÜ · Reg. no. 12345678".into()),
        page_label: "Page {page} of {pages}".into(),
        states: vec![DemandItem::Amount],
    }
}

#[test]
fn lines_are_never_wider_than_the_room_and_a_long_link_is_cut() {
    let room = 200.0;
    let text = "Pay online: https://pay.example/a-very-long-link-without-any-space-that-is-wider-than-the-line";
    let lines = wrap(text, Face::Regular, 10.0, room);
    assert!(lines.len() > 2, "{lines:?}");
    for line in &lines {
        assert!(fonts::width(Face::Regular, 10.0, line) <= room, "{line}");
    }
    assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
}

#[test]
fn a_long_letter_goes_on_to_more_pages_and_stays_inside_them() {
    let pages = lay_out(&letter(120));
    assert!(pages.len() >= 3, "{} pages", pages.len());
    for (n, page) in pages.iter().enumerate() {
        let label = format!("Page {} of {}", n + 1, pages.len());
        assert!(
            page.iter()
                .any(|m| matches!(m, Mark::Text { text, .. } if *text == label)),
            "page {n} has no \"{label}\""
        );
        for mark in page {
            if let Mark::Text {
                x, y, size, face, text, ..
            } = mark
            {
                assert!(
                    *x >= MARGIN - 0.01 && *y <= PAGE_HEIGHT && *y > 0.0,
                    "{text} at {x},{y}"
                );
                assert!(
                    x + fonts::width(*face, *size, text) <= PAGE_WIDTH - MARGIN + 0.01,
                    "{text} runs off the page"
                );
            }
        }
    }
    let numbers: Vec<&str> = pages
        .iter()
        .flatten()
        .filter_map(|m| match m {
            Mark::Text { text, .. } if text.starts_with("INV-") => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(numbers.len(), 120, "every invoice is listed once");
}

#[test]
fn a_character_the_fonts_lack_is_refused_rather_than_printed_as_a_box() {
    let mut l = letter(1);
    l.recipient[0] = "株式会社".into();
    assert!(matches!(pdf(&l), Err(LetterError::Unprintable(c)) if c.contains(&'株')));
    assert!(pdf(&letter(1)).is_ok());
}

#[test]
fn the_pdf_reads_back_as_the_letter_says() {
    let bytes = pdf(&letter(3)).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = pdf_extract::extract_text_from_mem(&bytes).unwrap();
    for said in [
        "Formal demand for payment",
        "Dear Anna Bērziņa,",
        "INV-0002",
        "44 244,00 €",
        "Page 1 of 1",
    ] {
        assert!(text.contains(said), "{said} is not in {text}");
    }
}
