//! SMS encoding and segment counting: GSM 03.38 (7-bit) when every character fits, UCS-2 otherwise.

/// Characters of the GSM 03.38 basic set.
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// Characters of the extension table; each takes two septets (escape + character).
const GSM_EXTENDED: &str = "^{}\\[~]|€\u{000C}";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentCount {
    pub encoding: Encoding,
    pub segments: u32,
}

pub fn count_segments(text: &str) -> SegmentCount {
    let mut septets = 0u32;
    let mut gsm = true;
    for c in text.chars() {
        if GSM_BASIC.contains(c) {
            septets += 1;
        } else if GSM_EXTENDED.contains(c) {
            septets += 2;
        } else {
            gsm = false;
            break;
        }
    }
    if gsm {
        let segments = if septets <= 160 { 1 } else { septets.div_ceil(153) };
        return SegmentCount {
            encoding: Encoding::Gsm7,
            segments,
        };
    }
    // UCS-2 counts UTF-16 code units; characters outside the BMP take two.
    let units = text.encode_utf16().count() as u32;
    let segments = if units <= 70 { 1 } else { units.div_ceil(67) };
    SegmentCount {
        encoding: Encoding::Ucs2,
        segments,
    }
}

/// Calling codes of countries where SNS may show an alphanumeric sender id without registration. Elsewhere
/// (the US and Canada among them) a sender id is dropped and the message comes from a number.
const ALPHANUMERIC_SENDER_COUNTRIES: &[&str] = &[
    "+372", "+371", "+370", "+48", "+359", "+40", "+358", "+49", "+44", "+353", "+43", "+32", "+45", "+34", "+33",
    "+39", "+31", "+47", "+351", "+46", "+41", "+420", "+421", "+386", "+385", "+36",
];

/// Whether a message to `phone` (E.164) may carry the creditor's alphanumeric sender id.
pub fn sender_id_allowed(phone: &str) -> bool {
    ALPHANUMERIC_SENDER_COUNTRIES.iter().any(|code| phone.starts_with(code))
}

/// A valid alphanumeric sender id: 3 to 11 letters and digits, at least one letter.
pub fn valid_sender_id(id: &str) -> bool {
    (3..=11).contains(&id.len())
        && id.bytes().all(|b| b.is_ascii_alphanumeric())
        && id.bytes().any(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    #[test]
    fn sender_ids_only_where_the_country_allows_them() {
        assert!(sender_id_allowed("+37255512345"));
        assert!(sender_id_allowed("+48501234567"));
        assert!(!sender_id_allowed("+12025550123"));
        assert!(valid_sender_id("Nordwind"));
        assert!(!valid_sender_id("Nordwind Tools"));
        assert!(!valid_sender_id("12345"));
    }

    use super::*;

    #[test]
    fn gsm7_limits() {
        assert_eq!(count_segments(&"a".repeat(160)).segments, 1);
        assert_eq!(count_segments(&"a".repeat(161)).segments, 2);
        assert_eq!(count_segments(&"a".repeat(306)).segments, 2);
        assert_eq!(count_segments(&"a".repeat(307)).segments, 3);
        assert_eq!(count_segments("Arve tasumata").encoding, Encoding::Gsm7);
    }

    #[test]
    fn extended_characters_take_two_septets() {
        assert_eq!(count_segments(&"€".repeat(80)).segments, 1);
        assert_eq!(count_segments(&"€".repeat(81)).segments, 2);
    }

    #[test]
    fn ucs2_limits() {
        assert_eq!(
            count_segments(&"ш".repeat(70)),
            SegmentCount {
                encoding: Encoding::Ucs2,
                segments: 1
            }
        );
        assert_eq!(count_segments(&"ш".repeat(71)).segments, 2);
        assert_eq!(count_segments(&"ą".repeat(134)).segments, 2);
        assert_eq!(count_segments(&"ą".repeat(135)).segments, 3);
        // Estonian õ is not in GSM 03.38.
        assert_eq!(count_segments("õ").encoding, Encoding::Ucs2);
    }
}
