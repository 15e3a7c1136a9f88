//! A refused form as the member reads it: the field by its label on the page ("Step 2", "Trading
//! name") and the reason in their language, never a field path such as `steps[1].offset`.

use fluent_bundle::FluentArgs;

use crate::locale::wording_or_id as say;
use crate::locale::Language;
use crate::policy::refusal::say as reason_words;
use crate::policy::PolicyError;

/// The label a page shows for `field`, when it has one.
pub fn field_words(lang: Language, field: &str) -> Option<String> {
    if let Some(i) = field
        .strip_prefix("steps[")
        .and_then(|rest| rest.split(']').next())
        .and_then(|i| i.parse::<usize>().ok())
    {
        let mut args = FluentArgs::new();
        args.set("n", i + 1);
        return Some(say(lang, "web-schedule-step-n", &args));
    }
    let label = match field.split('.').next().unwrap_or(field) {
        "steps" => "web-schedule-steps",
        "window" => "web-schedule-window-start",
        "min_gap_hours" => "web-schedule-gap",
        "max_per_week" => "web-schedule-per-week",
        "promise_grace_days" => "web-schedule-grace",
        "final_notice_grace_days" => "web-schedule-final-grace",
        "max_written" => "web-schedule-max-written",
        "minimum_amounts" => "web-schedule-minimums",
        "trading_name" => "web-branding-trading-name",
        "sender_name" => "web-branding-sender-name",
        "from_address" => "web-branding-from",
        "reply_to" => "web-branding-reply-to",
        "logo_url" => "web-branding-logo",
        "brand_colour" => "web-branding-colour",
        "signature" => "web-branding-signature",
        "legal_footer" => "web-branding-footer",
        "sms_sender_id" => "web-branding-sms-sender",
        "address" => "web-branding-address",
        "domain" => "web-branding-domain",
        "country" => "web-charges-country",
        "interest" => "web-charges-interest-on",
        "consumer_groups" => "web-charges-consumers",
        "max_instalments" => "web-charges-plans-max",
        "days_between" => "web-charges-plans-days",
        "grace_days" => "web-charges-plans-grace",
        "digest_hour" => "web-notifications-hour",
        "threshold" => "web-notifications-threshold",
        "keep_sent_days" => "web-notifications-keep-sent",
        _ => return None,
    };
    Some(say(lang, label, &FluentArgs::new()))
}

/// "Trading name: 1 to 100 characters on one line, no control characters", in `lang`.
pub fn refusal_words(lang: Language, e: &PolicyError) -> String {
    let reason = reason_words(lang, &e.reason);
    match field_words(lang, &e.field) {
        Some(label) => format!("{label}: {reason}"),
        None => reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_names_the_field_by_its_label_never_by_its_path() {
        let e = PolicyError::new("steps[1].offset", "invalid-offset-range");
        assert_eq!(
            refusal_words(Language::En, &e),
            "Step 2: between 60 days before and 365 days after the due date"
        );
        let e = PolicyError::new("trading_name", "invalid-line").with("max", 100_usize);
        for lang in Language::ALL {
            let said = refusal_words(lang, &e);
            assert!(
                !said.contains("trading_name") && !said.contains("invalid-") && said.contains("100"),
                "{lang:?}: {said}"
            );
        }
    }
}
