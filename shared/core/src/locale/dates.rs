//! Dates as CLDR writes them, through ICU4X: the numeric date with the full year in every language but
//! English (`01.12.2026`, `2026-12-01` in Lithuanian, `01.12.2026.` in Latvian), because a number reads
//! right in any grammatical case of the sentence around it; British English spells the month
//! (`1 December 2026`), which no English reader can misread as 12 January.

use std::sync::OnceLock;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use icu_calendar::{Date, Gregorian};
use icu_datetime::fieldsets::{YM, YMD};
use icu_datetime::options::YearStyle;
use icu_datetime::FixedCalendarDateTimeFormatter;

use super::Language;

type Formatter = FixedCalendarDateTimeFormatter<Gregorian, YMD>;

fn formatter(lang: Language) -> &'static Formatter {
    static FORMATTERS: OnceLock<Vec<Formatter>> = OnceLock::new();
    let all = FORMATTERS.get_or_init(|| {
        Language::every()
            .map(|l| {
                let fields = match l.cldr_locale().id.language.as_str() {
                    "en" => YMD::long(),
                    _ => YMD::short().with_year_style(YearStyle::Full),
                };
                Formatter::try_new(l.cldr_locale().into(), fields)
                    .expect("ICU4X's compiled data has every language Duly writes in")
            })
            .collect()
    });
    &all[lang.index()]
}

/// A moment as a reader in `zone` sees it: their date as `lang` writes it and the time on their clock,
/// `30.11.2026 09:00`.
pub fn format_date_time(lang: Language, zone: chrono_tz::Tz, at: DateTime<Utc>) -> String {
    let local = at.with_timezone(&zone);
    format!("{} {}", format_date(lang, local.date_naive()), local.format("%H:%M"))
}

/// A month as `lang` names it on its own: `November 2026`, `listopad 2026`.
pub fn format_month(lang: Language, year: i32, month: u32) -> String {
    static FORMATTERS: OnceLock<Vec<FixedCalendarDateTimeFormatter<Gregorian, YM>>> = OnceLock::new();
    let all = FORMATTERS.get_or_init(|| {
        Language::every()
            .map(|l| {
                FixedCalendarDateTimeFormatter::try_new(l.cldr_locale().into(), YM::long())
                    .expect("ICU4X's compiled data has every language Duly writes in")
            })
            .collect()
    });
    let written = match Date::try_new_gregorian(year, u8::try_from(month).unwrap_or(0), 1) {
        Ok(date) => all[lang.index()].format(&date).to_string(),
        Err(_) => format!("{year}-{month:02}"),
    };
    #[cfg(feature = "pseudo-locale")]
    if lang == Language::Pseudo {
        return crate::locale::pseudo::bracket(written);
    }
    written
}

pub fn format_date(lang: Language, d: NaiveDate) -> String {
    // chrono's range is inside ICU4X's, so this cannot fail for a date chrono holds.
    let written = match Date::try_new_gregorian(d.year(), d.month() as u8, d.day() as u8) {
        Ok(date) => formatter(lang).format(&date).to_string(),
        Err(_) => d.format("%Y-%m-%d").to_string(),
    };
    // CLDR's words are the locale's as much as the language file's are.
    #[cfg(feature = "pseudo-locale")]
    if lang == Language::Pseudo {
        return crate::locale::pseudo::bracket(written);
    }
    written
}
