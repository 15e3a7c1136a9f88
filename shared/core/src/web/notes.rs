//! A note a member writes on a customer, as it may be kept: its words, bounded, without control
//! characters that could hide text or break a page or a spreadsheet.

/// Longest note kept, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;

/// Why a note was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteRefusal {
    Empty,
    TooLong,
}

/// Characters that reorder the text around them, so that what a note seems to say is not what it holds.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// The note as it will be kept: trimmed, line breaks kept, other control characters dropped.
pub fn note_text(written: &str) -> Result<String, NoteRefusal> {
    let kept: String = written
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| *c == '\n' || !(c.is_control() || is_bidi_control(*c)))
        .collect();
    let kept = kept.trim();
    match kept.chars().count() {
        0 => Err(NoteRefusal::Empty),
        n if n > MAX_NOTE_CHARS => Err(NoteRefusal::TooLong),
        _ => Ok(kept.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_keeps_its_words_and_lines_and_nothing_else() {
        assert_eq!(
            note_text("  Called Mari:\r\nwill pay Friday\u{7}\u{202e}  ").as_deref(),
            Ok("Called Mari:\nwill pay Friday")
        );
        assert_eq!(note_text(" \n\t "), Err(NoteRefusal::Empty));
        assert_eq!(
            note_text(&"ä".repeat(MAX_NOTE_CHARS)).map(|t| t.chars().count()),
            Ok(MAX_NOTE_CHARS)
        );
        assert_eq!(note_text(&"ä".repeat(MAX_NOTE_CHARS + 1)), Err(NoteRefusal::TooLong));
    }
}
