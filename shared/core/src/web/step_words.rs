//! A step of the schedule as people read it: when it goes and in which tone ("3 days after the due date ·
//! friendly"), never its id. The app, the report and its CSV name steps this way.

use fluent_bundle::FluentArgs;

use crate::messages::locale::Language;
use crate::messages::render::wording_or_id as say;
use crate::policy::{Offset, Step, Tone};

/// A tone's name in `lang`: "friendly", "final notice".
pub fn tone_words(lang: Language, tone: Tone) -> String {
    say(
        lang,
        &format!("web-tone-{}", super::schedule::tone_name(tone)),
        &FluentArgs::new(),
    )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Channel;

    #[test]
    fn a_step_is_named_by_when_and_tone_in_every_language() {
        let step = Step {
            id: "after-7".into(),
            offset: Offset::CalendarDays(7),
            tone: Tone::Firm,
            channels: vec![Channel::Email],
            written: false,
            call: false,
            suspend_after_days: None,
            wording: Default::default(),
        };
        assert_eq!(step_words(Language::En, &step), "7 days after the due date · firm");
        for lang in Language::ALL {
            let words = step_words(lang, &step);
            assert!(
                !words.contains("web-") && !words.contains("after-7"),
                "{lang:?}: {words}"
            );
        }
    }
}
