//! Which text colour reads on a creditor's brand colour, by WCAG 2's contrast ratio, so a pale brand colour
//! does not leave white text unreadable in their messages.

/// The dark text Duly's messages use.
pub const DARK: &str = "#1f2933";
const WHITE: &str = "#ffffff";

/// WCAG's relative luminance of `#rrggbb`; `None` for anything else.
fn luminance(hex: &str) -> Option<f64> {
    let digits = hex.strip_prefix('#').filter(|d| d.len() == 6)?;
    let channel = |i: usize| -> Option<f64> {
        let c = f64::from(u8::from_str_radix(digits.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// WCAG's contrast ratio of two colours, from 1 to 21.
pub fn ratio(a: &str, b: &str) -> Option<f64> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    let (hi, lo) = if la > lb { (la, lb) } else { (lb, la) };
    Some((hi + 0.05) / (lo + 0.05))
}

/// White or Duly's dark text, whichever reads better on `background`.
pub fn text_on(background: &str) -> &'static str {
    match (ratio(WHITE, background), ratio(DARK, background)) {
        (Some(white), Some(dark)) if dark > white => DARK,
        _ => WHITE,
    }
}

/// The brand colour for links on white when it reads there as body text must (4.5:1), else the dark text.
pub fn link_on_white(colour: &str) -> &str {
    match ratio(colour, WHITE) {
        Some(r) if r >= 4.5 => colour,
        _ => DARK,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratios_are_wcags() {
        assert_eq!(ratio("#000000", "#ffffff").map(|r| (r * 10.0).round()), Some(210.0));
        assert_eq!(ratio("#777777", "#ffffff").map(|r| (r * 100.0).round()), Some(448.0));
        assert_eq!(ratio("#fff", "#ffffff"), None);
    }

    #[test]
    fn pale_brand_colours_get_dark_text_and_dark_links() {
        assert_eq!(text_on("#0b3d91"), WHITE);
        assert_eq!(text_on("#ffd43b"), DARK);
        assert_eq!(text_on("#e9ecef"), DARK);
        assert_eq!(link_on_white("#0b3d91"), "#0b3d91");
        assert_eq!(link_on_white("#ffd43b"), DARK);
        assert_eq!(text_on("not a colour"), WHITE);
    }
}
