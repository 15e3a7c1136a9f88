//! Duly's shipped wording in each language, from the Fluent files in `i18n/`.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

use super::Language;

#[derive(Debug, thiserror::Error)]
#[error("wording {id} in {lang} failed: {reason}")]
pub struct WordingError {
    pub lang: &'static str,
    pub id: String,
    pub reason: String,
}

pub(crate) fn ftl(lang: Language) -> &'static str {
    match lang {
        Language::En => include_str!("../../i18n/en.ftl"),
        Language::Et => include_str!("../../i18n/et.ftl"),
        Language::Ru => include_str!("../../i18n/ru.ftl"),
        Language::Lv => include_str!("../../i18n/lv.ftl"),
        Language::Lt => include_str!("../../i18n/lt.ftl"),
        Language::Pl => include_str!("../../i18n/pl.ftl"),
        Language::Bg => include_str!("../../i18n/bg.ftl"),
        Language::Ro => include_str!("../../i18n/ro.ftl"),
        Language::De => include_str!("../../i18n/de.ftl"),
        Language::Fi => include_str!("../../i18n/fi.ftl"),
        #[cfg(feature = "pseudo-locale")]
        Language::Pseudo => include_str!("../../i18n/en.ftl"),
    }
}

fn bundles() -> &'static HashMap<Language, FluentBundle<FluentResource>> {
    static BUNDLES: OnceLock<HashMap<Language, FluentBundle<FluentResource>>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Language::every()
            .map(|lang| {
                let resource = FluentResource::try_new(ftl(lang).to_string())
                    .unwrap_or_else(|(_, errors)| panic!("{} wording does not parse: {errors:?}", lang.code()));
                let id = lang
                    .cldr_locale()
                    .id
                    .language
                    .as_str()
                    .parse()
                    .expect("language codes are valid identifiers");
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // Isolation marks would end up in SMS text and force UCS-2.
                bundle.set_use_isolating(false);
                #[cfg(feature = "pseudo-locale")]
                if lang == Language::Pseudo {
                    bundle.set_transform(Some(crate::locale::pseudo::accent));
                }
                bundle.add_resource(resource).expect("message ids are unique");
                (lang, bundle)
            })
            .collect()
    })
}

/// Shipped wording, with its id standing in should a message ever be missing: the shipped files have
/// every id in every language (a test compares them), and a page, report or score is never lost over a
/// word.
pub fn wording_or_id(lang: Language, id: &str, args: &FluentArgs<'_>) -> String {
    wording(lang, id, args).unwrap_or_else(|_| id.to_string())
}

/// A page's fixed words: each `{prefix}-{id}` of `lang`'s wording, keyed as a template reads it
/// (`to_costs` for `to-costs`).
pub fn labels(lang: Language, prefix: &str, ids: &[&str]) -> BTreeMap<String, String> {
    let none = FluentArgs::new();
    ids.iter()
        .map(|id| {
            (
                id.replace('-', "_"),
                wording_or_id(lang, &format!("{prefix}-{id}"), &none),
            )
        })
        .collect()
}

/// One message of one language's wording; missing messages and variables are errors.
pub fn wording(lang: Language, id: &str, args: &FluentArgs<'_>) -> Result<String, WordingError> {
    let fail = |reason: String| WordingError {
        lang: lang.code(),
        id: id.to_string(),
        reason,
    };
    let bundle = &bundles()[&lang];
    let pattern = bundle
        .get_message(id)
        .and_then(|m| m.value())
        .ok_or_else(|| fail("no such message".into()))?;
    let mut errors = Vec::new();
    let out = bundle.format_pattern(pattern, Some(args), &mut errors);
    if errors.is_empty() {
        #[cfg(feature = "pseudo-locale")]
        if lang == Language::Pseudo {
            return Ok(crate::locale::pseudo::bracket(out.into_owned()));
        }
        Ok(out.into_owned())
    } else {
        Err(fail(format!("{errors:?}")))
    }
}
