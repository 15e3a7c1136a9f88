//! A step of the schedule as people read it: when it goes and in which tone ("3 days after the due date ·
//! friendly"), never its id. The app, the report and its CSV name steps this way.

use fluent_bundle::FluentArgs;

use crate::locale::wording_or_id as say;
use crate::locale::Language;
use crate::policy::{Offset, Step, Tone};

/// A tone's name in `lang`: "friendly", "final notice".
pub fn tone_words(lang: Language, tone: Tone) -> String {
    say(lang, &format!("web-tone-{}", tone_name(tone)), &FluentArgs::new())
}

/// How far from the due date, in `lang`: "3 days before the due date", "1 business day after the due date".
pub fn offset_words(lang: Language, days: i32, business_days: bool) -> String {
    let mut args = FluentArgs::new();
    args.set("days", days.unsigned_abs());
    args.set("unit", if business_days { "business" } else { "calendar" });
    let span = say(lang, "web-rule-days", &args);
    let mut args = FluentArgs::new();
    args.set("span", span);
    match days.cmp(&0) {
        std::cmp::Ordering::Less => say(lang, "web-rule-before", &args),
        std::cmp::Ordering::Equal => say(lang, "web-rule-on", &args),
        std::cmp::Ordering::Greater => say(lang, "web-rule-after", &args),
    }
}

/// A step by when it goes and its tone.
pub fn step_words(lang: Language, step: &Step) -> String {
    let when = offset_words(lang, step.offset.days(), matches!(step.offset, Offset::BusinessDays(_)));
    format!("{when} · {}", tone_words(lang, step.tone))
}

/// A message that is not a step of the schedule, or a step no schedule has any more, named from its id:
/// the thank-you note, the statement, `after-7` as "7 days after the due date". An id the creditor chose
/// through the API is their own name and is kept.
pub fn former_step_words(lang: Language, id: &str) -> String {
    let none = FluentArgs::new();
    match id {
        "thanks" => return say(lang, "web-preview-thanks", &none),
        "statement" => return say(lang, "web-preview-statement", &none),
        "on-due" => return offset_words(lang, 0, false),
        _ => {}
    }
    // Ids made by the schedule editor: `after-7`, `before-3`, and `after-7-2` when one was taken.
    let days = |rest: &str| rest.split('-').next().and_then(|d| d.parse::<i32>().ok());
    if let Some(d) = id.strip_prefix("after-").and_then(days) {
        return offset_words(lang, d, false);
    }
    if let Some(d) = id.strip_prefix("before-").and_then(days) {
        return offset_words(lang, -d, false);
    }
    id.to_string()
}

/// A step as the app names it: the creditor's own name where they gave one, else by when and tone.
pub fn step_label(lang: Language, step: &Step) -> String {
    match &step.name {
        Some(name) => format!("{name} ({})", step_words(lang, step)),
        None => step_words(lang, step),
    }
}

/// Each tone by its name in forms and wording ids.
pub const TONES: [(&str, Tone); 4] = [
    ("friendly", Tone::Friendly),
    ("firm", Tone::Firm),
    ("final_notice", Tone::FinalNotice),
    ("suspension_warning", Tone::SuspensionWarning),
];

pub fn tone_name(tone: Tone) -> &'static str {
    TONES.iter().find(|(_, t)| *t == tone).map_or("friendly", |(n, _)| n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Channel;

    /// A firm e-mail 7 calendar days after the due date.
    fn firm_after_7() -> Step {
        Step {
            id: "after-7".into(),
            offset: Offset::CalendarDays(7),
            tone: Tone::Firm,
            channels: vec![Channel::Email],
            written: false,
            call: false,
            suspend_after_days: None,
            wording: Default::default(),
            name: None,
        }
    }

    #[test]
    fn a_step_is_named_by_when_and_tone_in_every_language() {
        let step = firm_after_7();
        assert_eq!(step_words(Language::En, &step), "7 days after the due date · firm");
        for lang in Language::ALL {
            let words = step_words(lang, &step);
            assert!(
                !words.contains("web-") && !words.contains("after-7"),
                "{lang:?}: {words}"
            );
        }
    }

    #[test]
    fn a_message_outside_the_schedule_is_named_from_its_id_and_a_creditors_name_comes_first() {
        assert_eq!(
            former_step_words(Language::En, "after-14-2"),
            "14 days after the due date"
        );
        assert_eq!(
            former_step_words(Language::En, "before-3"),
            "3 days before the due date"
        );
        assert_eq!(former_step_words(Language::De, "thanks"), "Dankesnachricht");
        assert_eq!(
            former_step_words(Language::En, "call-20"),
            "call-20",
            "the creditor's own id"
        );
        for lang in Language::ALL {
            for id in ["thanks", "statement", "on-due", "after-7"] {
                let words = former_step_words(lang, id);
                assert!(words != id && !words.contains("web-"), "{lang:?}: {words}");
            }
        }
        let named = Step {
            name: Some("Second reminder".into()),
            ..firm_after_7()
        };
        assert_eq!(
            step_label(Language::En, &named),
            "Second reminder (7 days after the due date · firm)"
        );
    }
}
