//! Switches, groups and promises as the creditor sets them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use super::invalid;
use crate::calendar::bounds;
use crate::calendar::zones::country_code;
use crate::locale::Language;
use crate::model::{Creditor, Override, Place};
use crate::policy::{validate_steps, CustomerGroup, PolicyError};

/// How far ahead the creditor may record a debtor's promise to pay.
const PROMISE_MAX_DAYS: u64 = 180;

/// A switch as the API takes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideInput {
    pub on: bool,
    #[serde(default)]
    pub until: Option<NaiveDate>,
    #[serde(default)]
    pub reason: Option<String>,
}

pub fn check_reason(reason: &Option<String>) -> Result<(), PolicyError> {
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > 500 || r.chars().any(char::is_control))
    {
        return Err(invalid("reason", "invalid-text-at-most").with("max", 500_i64));
    }
    Ok(())
}

/// A switch, stamped now; a pause must end on a date after today in the creditor's time zone.
pub fn to_override(input: OverrideInput, creditor: &Creditor, now: DateTime<Utc>) -> Result<Override, PolicyError> {
    check_reason(&input.reason)?;
    let today = now.with_timezone(&creditor.time_zone).date_naive();
    if input.until.is_some_and(|u| u <= today || !bounds::date_in_range(u)) {
        return Err(invalid("until", "invalid-until"));
    }
    Ok(Override {
        on: input.on,
        until: input.until,
        reason: input.reason,
        set_at: now,
    })
}

/// A group's name as the creditor writes it: any script, one line, at most 60 characters.
pub fn check_group_title(name: &str) -> Result<(), PolicyError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(invalid("name", "invalid-group-title"));
    }
    Ok(())
}

pub use crate::policy::same_group_title;

/// A new group's id, from its name written in Latin letters (`Stali klienci – Łódź` is
/// `stali-klienci-lodz`, `Клиенты` is `klienty`), else a short hash of it; numbered where `taken` says it is
/// in use. Readable in a URL, and never changed by a rename.
pub fn group_id_for(name: &str, taken: impl Fn(&str) -> bool) -> String {
    use sha2::Digest;
    let slug: String = deunicode::deunicode(name)
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
        .chars()
        .take(32)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string();
    let base = if slug.is_empty() {
        let digest = sha2::Sha256::digest(name.trim().to_lowercase().as_bytes());
        let hex = crate::text::hex(&digest[..4]);
        format!("g-{hex}")
    } else {
        slug
    };
    (1..)
        .map(|n| match n {
            1 => base.clone(),
            n => format!("{base}-{n}"),
        })
        .find(|id| !taken(id))
        .expect("some number is free")
}

/// A group's id: what URLs and customers refer to (letters, digits, spaces, `-` and `_`, at most 40).
pub fn check_group_name(name: &str) -> Result<(), PolicyError> {
    let ok = !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b' '));
    if ok {
        Ok(())
    } else {
        Err(invalid("group", "invalid-group-name"))
    }
}

/// A place as the creditor gives it, normalised: a language Duly writes (`et`), a country as its
/// ISO 3166 code (`Estonia` is `EE`). The time zone was read as an IANA name already.
pub fn check_place(place: &Place, field: &str) -> Result<Place, PolicyError> {
    let language = match place.language.as_deref() {
        Some(l) => Some(
            Language::parse(l)
                .filter(|_| l.len() <= 16)
                .ok_or_else(|| {
                    invalid(&format!("{field}.language"), "invalid-language")
                        .with("languages", Language::ALL.map(Language::code).join(", "))
                })?
                .code()
                .to_string(),
        ),
        None => None,
    };
    let country = match place.country.as_deref() {
        Some(c) => Some(country_code(c).ok_or_else(|| invalid(&format!("{field}.country"), "invalid-country"))?),
        None => None,
    };
    Ok(Place {
        language,
        country,
        time_zone: place.time_zone,
    })
}

/// A customer group's own steps and the platform groups it maps.
pub fn check_group(group: &CustomerGroup) -> Result<(), PolicyError> {
    if !group.name.is_empty() {
        check_group_title(&group.name)?;
    }
    if let Some(steps) = &group.steps {
        validate_steps(steps, "steps")?;
    }
    check_place(&group.place, "place")?;
    if let Some(statement) = &group.statement {
        statement.check()?;
    }
    if group.platform_groups.len() > 20 || group.platform_groups.iter().any(|p| p.is_empty() || p.len() > 100) {
        return Err(invalid("platform_groups", "invalid-platform-groups"));
    }
    Ok(())
}

/// A promise the creditor records: today or within 180 days, in the creditor's time zone.
pub fn check_promise_date(date: Option<NaiveDate>, creditor: &Creditor, now: DateTime<Utc>) -> Result<(), PolicyError> {
    let today = now.with_timezone(&creditor.time_zone).date_naive();
    if date.is_some_and(|d| d < today || d > today + chrono::Days::new(PROMISE_MAX_DAYS)) {
        return Err(invalid("date", "invalid-date-ahead").with("days", PROMISE_MAX_DAYS as i64));
    }
    Ok(())
}
