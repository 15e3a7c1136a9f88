use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::locale::wording::ftl;
use crate::messages::sms::{count_segments, Encoding};
use crate::model::money::Currency;

fn branding() -> Branding {
    Branding {
        trading_name: "Nordwind <Tools> OÜ".into(),
        sender_name: "Nordwind Accounts".into(),
        from_address: "accounts@nordwind.example".into(),
        reply_to: "ar@nordwind.example".into(),
        logo_url: Some("https://nordwind.example/logo.png".into()),
        brand_colour: "#0b7285".into(),
        signature: Some("Mari Maasikas\nAccounts receivable".into()),
        legal_footer: None,
        sms_sender_id: None,
        registry_code: Some("12345678".into()),
        vat_number: Some("EE101234567".into()),
        address: Some("Pärnu mnt 10, Tallinn".into()),
        bank_account: Some(crate::model::BankAccount {
            iban: "EE382200221020145685".into(),
            bic: Some("HABAEE2X".into()),
        }),
    }
}

fn line(number: &str, amount: &str, day: u32, overdue: i64) -> ReminderLine {
    ReminderLine {
        number: number.into(),
        amount_due: Currency::parse("EUR").unwrap().parse_amount(amount).unwrap(),
        due_date: NaiveDate::from_ymd_opt(2026, 12, day).unwrap(),
        days_overdue: overdue,
        pay_url: Some(format!("https://pay.example/i/{number}?a=1&b=2")),
        settlement: None,
    }
}

fn links() -> AnswerLinks {
    AnswerLinks {
        paid: "https://duly.example/a/paid?t=1".into(),
        promise: "https://duly.example/a/promise?t=1".into(),
        dispute: "https://duly.example/a/dispute?t=1".into(),
        unsubscribe: Some("https://duly.example/a/unsubscribe?t=1".into()),
        statement: Some("https://duly.example/a/statement?t=1".into()),
    }
}

const KINDS: [Kind; 7] = [
    Kind::Reminder(Tone::Friendly),
    Kind::Reminder(Tone::Friendly),
    Kind::Reminder(Tone::Firm),
    Kind::Reminder(Tone::FinalNotice),
    Kind::Reminder(Tone::SuspensionWarning),
    Kind::Thanks,
    Kind::Statement,
];

fn render_one(
    lang: Language,
    kind: Kind,
    lines: &[ReminderLine],
    name: &str,
    sms_link: Option<&str>,
) -> RenderedMessage {
    render_branded(&branding(), lang, kind, lines, name, sms_link)
}

fn render_branded(
    b: &Branding,
    lang: Language,
    kind: Kind,
    lines: &[ReminderLine],
    name: &str,
    sms_link: Option<&str>,
) -> RenderedMessage {
    let l = links();
    let overrides = BTreeMap::new();
    render(&MessageInput {
        branding: b,
        debtor_name: name,
        kind,
        language: lang,
        lines,
        suspend_on: NaiveDate::from_ymd_opt(2027, 1, 15),
        links: Some(&l),
        sms_link,
        overrides: &overrides,
        charges: None,
        paid_since: &[],
        opening: None,
    })
    .unwrap_or_else(|e| panic!("{lang:?} {kind:?}: {e}"))
}

fn ids(source: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
        .map(|l| l.split(" = ").next().unwrap().to_string())
        .collect()
}

/// Each message of a language file and the variables it reads, counting those of the messages it
/// refers to (`{ days-count }` reads `$days`).
fn arguments(source: &str) -> BTreeMap<String, BTreeSet<String>> {
    use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
    fn walk(p: &Pattern<&str>, vars: &mut BTreeSet<String>, refs: &mut BTreeSet<String>) {
        fn inline(e: &InlineExpression<&str>, vars: &mut BTreeSet<String>, refs: &mut BTreeSet<String>) {
            match e {
                InlineExpression::VariableReference { id } => {
                    vars.insert(id.name.to_string());
                }
                InlineExpression::MessageReference { id, .. } => {
                    refs.insert(id.name.to_string());
                }
                InlineExpression::Placeable { expression } => expression_(expression, vars, refs),
                _ => {}
            }
        }
        fn expression_(e: &Expression<&str>, vars: &mut BTreeSet<String>, refs: &mut BTreeSet<String>) {
            match e {
                Expression::Inline(i) => inline(i, vars, refs),
                Expression::Select { selector, variants } => {
                    inline(selector, vars, refs);
                    for v in variants {
                        walk(&v.value, vars, refs);
                    }
                }
            }
        }
        for element in &p.elements {
            if let PatternElement::Placeable { expression } = element {
                expression_(expression, vars, refs);
            }
        }
    }
    let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(_, errors)| panic!("{errors:?}"));
    let mut direct = BTreeMap::new();
    for entry in &resource.body {
        if let Entry::Message(m) = entry {
            let (mut vars, mut refs) = (BTreeSet::new(), BTreeSet::new());
            if let Some(value) = &m.value {
                walk(value, &mut vars, &mut refs);
            }
            direct.insert(m.id.name.to_string(), (vars, refs));
        }
    }
    direct
        .iter()
        .map(|(id, (vars, refs))| {
            let mut all = vars.clone();
            for r in refs {
                all.extend(direct.get(r).map(|(v, _)| v.clone()).unwrap_or_default());
            }
            (id.clone(), all)
        })
        .collect()
}

#[test]
fn every_language_defines_the_same_messages_with_the_same_arguments() {
    let english = ids(ftl(Language::En));
    assert!(english.len() > 40);
    let english_arguments = arguments(ftl(Language::En));
    assert_eq!(
        english_arguments.len(),
        english.len() + 1,
        "every message is seen, multi-line ones too"
    );
    for lang in Language::ALL {
        assert_eq!(ids(ftl(lang)), english, "{lang:?}");
        let theirs = arguments(ftl(lang));
        let differ: Vec<String> = english_arguments
            .iter()
            .filter(|(id, vars)| theirs.get(*id) != Some(vars))
            .map(|(id, vars)| format!("{id}: English reads {vars:?}, {lang:?} {:?}", theirs.get(id)))
            .collect();
        assert!(differ.is_empty(), "{}", differ.join("\n"));
    }
}

#[test]
fn every_message_renders_in_every_language_for_every_step_with_no_missing_key() {
    for lang in Language::ALL {
        for (i, kind) in KINDS.iter().enumerate() {
            // The first friendly message is a pre-due nudge, the second an overdue one.
            let overdue = if i == 0 { -3 } else { 12 };
            for lines in [
                vec![line("INV-1001", "1234.56", 1, overdue)],
                vec![
                    line("INV-1001", "1234.56", 1, overdue),
                    line("INV-1005", "320", 9, overdue - 8),
                ],
            ] {
                let m = render_one(lang, *kind, &lines, "Tamm & Sons OÜ", Some("https://d.example/p/x"));
                assert!(!m.subject.is_empty() && !m.text.is_empty() && !m.sms.is_empty());
                assert!(m.html.contains(&format!("lang=\"{}\"", lang.code())));
                if *kind != Kind::Thanks {
                    assert!(m.html.contains("INV-1001"), "{lang:?} {kind:?}");
                    assert!(m.html.contains("EE382200221020145685"), "bank details");
                }
                for text in [&m.subject, &m.text, &m.sms] {
                    assert!(
                        !text.contains('{') && !text.contains('}'),
                        "{lang:?} {kind:?}: unfilled placeable in {text}"
                    );
                    assert!(!text.contains('\u{2068}'), "no isolation marks");
                    // Latvian dates end in a full stop, which also ends the sentence.
                    assert!(
                        !text.replace("...", "").contains(".."),
                        "{lang:?} {kind:?}: two full stops in {text}"
                    );
                }
            }
        }
    }
}

#[test]
fn amounts_dates_and_plurals_follow_each_language() {
    let one = [line("INV-1", "1234.56", 1, 1)];
    let et = render_one(Language::Et, Kind::Reminder(Tone::Firm), &one, "Tamm", None);
    assert_eq!(et.subject, "Teine meeldetuletus: arve INV-1 (1234,56\u{a0}€)");
    assert!(et.text.contains("1 päev hiljaks"), "{}", et.text);
    let en = render_one(Language::En, Kind::Reminder(Tone::Firm), &one, "Tamm", None);
    assert_eq!(en.subject, "Second reminder: invoice INV-1 (€1,234.56)");
    let days = |lang, n| {
        let l = [line("INV-1", "10", 1, n)];
        render_one(lang, Kind::Reminder(Tone::Firm), &l, "X", None).text
    };
    assert!(days(Language::Ru, 1).contains("на 1 день"));
    assert!(days(Language::Ru, 3).contains("на 3 дня"));
    assert!(days(Language::Ru, 5).contains("на 5 дней"));
    assert!(days(Language::Ru, 21).contains("на 21 день"));
    assert!(days(Language::Pl, 1).contains("1 dzień"));
    assert!(days(Language::Pl, 22).contains("22 dni"));
    assert!(days(Language::Lt, 1).contains("1 dieną"));
    assert!(days(Language::Lt, 3).contains("3 dienas"));
    assert!(days(Language::Lt, 11).contains("11 dienų"));
    assert!(days(Language::Ro, 1).contains("de o zi"));
    assert!(days(Language::Ro, 25).contains("de 25 de zile"));
    assert!(days(Language::Lv, 21).contains("21 diena"));
    let several = [line("A", "10", 1, 2), line("B", "20", 2, 1), line("C", "30", 3, 0)];
    let ru = render_one(Language::Ru, Kind::Reminder(Tone::Firm), &several, "X", None);
    assert!(
        ru.subject.contains("3 неоплаченных счёта на общую сумму 60,00\u{a0}€"),
        "{}",
        ru.subject
    );
    let bg = render_one(Language::Bg, Kind::Reminder(Tone::Firm), &several, "X", None);
    assert!(bg.html.contains("1.12.2026\u{202f}г."), "Bulgarian dates");
}

#[test]
fn sms_fits_one_segment_in_gsm_languages_and_two_in_the_others() {
    // A long creditor name, a long invoice number, a large amount and a short pay link: the worst case.
    let mut b = branding();
    b.trading_name = "Nordwind Tools OÜ".into();
    let long = [line("INV-2026-00123", "123456.78", 1, 14)];
    let several = [
        line("INV-2026-00123", "123456.78", 1, 14),
        line("INV-2026-00124", "10", 2, 13),
    ];
    let mut over = Vec::new();
    for lang in Language::ALL {
        for kind in KINDS {
            for lines in [&long[..], &several[..]] {
                let m = render_branded(&b, lang, kind, lines, "X", Some("https://duly.ee/p/Ab3dE9xQ"));
                let count = count_segments(&m.sms);
                let limit = if count.encoding == Encoding::Gsm7 { 1 } else { 2 };
                if count.segments > limit {
                    over.push(format!(
                        "{lang:?} {kind:?}: {} segments ({:?}, {} chars): {}",
                        count.segments,
                        count.encoding,
                        m.sms.chars().count(),
                        m.sms
                    ));
                }
            }
        }
    }
    assert!(over.is_empty(), "{}", over.join("\n"));
    let en = render_branded(
        &b,
        Language::En,
        Kind::Reminder(Tone::Firm),
        &long,
        "X",
        Some("https://duly.ee/p/Ab3dE9xQ"),
    );
    assert_eq!(count_segments(&en.sms).encoding, Encoding::Gsm7, "{}", en.sms);
}

#[test]
fn html_is_escaped_and_text_is_not() {
    let lines = [line("INV-1001", "1250", 1, 2)];
    let m = render_one(
        Language::En,
        Kind::Reminder(Tone::Friendly),
        &lines,
        "<script>x</script>",
        None,
    );
    assert!(m.html.contains("Nordwind &lt;Tools&gt; OÜ"));
    assert!(!m.html.contains("<script>"));
    assert!(m.html.contains("https://pay.example/i/INV-1001?a=1&amp;b=2"));
    assert!(m.text.contains("Dear <script>x</script>,"));
}

#[test]
fn never_threatening() {
    let lines = [line("INV-1001", "1250", 1, 30)];
    for kind in KINDS {
        let m = render_one(Language::En, kind, &lines, "X", None);
        for word in [
            "court",
            "legal action",
            "collection agency",
            "bailiff",
            "lawyer",
            "enforcement",
        ] {
            assert!(!m.text.to_lowercase().contains(word), "{kind:?} says {word}");
        }
    }
}

#[test]
fn only_pre_due_nudges_are_optional() {
    let before = [line("INV-1", "1", 1, -3)];
    let after = [line("INV-1", "1", 1, 3)];
    let nudge = render_one(Language::En, Kind::Reminder(Tone::Friendly), &before, "X", None);
    assert!(nudge.optional);
    assert!(nudge.html.contains("/a/unsubscribe"));
    for (kind, lines) in [
        (Kind::Reminder(Tone::Friendly), &after),
        (Kind::Reminder(Tone::Firm), &after),
    ] {
        let m = render_one(Language::En, kind, lines, "X", None);
        assert!(!m.optional);
        assert!(
            !m.html.contains("/a/unsubscribe") && !m.text.contains("Unsubscribe"),
            "{kind:?}"
        );
    }
}

/// A statement of 150 invoices lists the 25 oldest, sums up the rest in one line in the debtor's language,
/// links to the page with all of them, and still totals everything.
#[test]
fn the_shipped_templates_render_a_statement_of_150_invoices_within_the_budget() {
    let b = branding();
    let lines: Vec<ReminderLine> = (0..150)
        .map(|n| line(&format!("INV-{n:05}"), "1234567.89", 1 + n % 28, i64::from(n)))
        .collect();
    for language in Language::ALL {
        let m = render(&MessageInput {
            branding: &b,
            debtor_name: "Tamm & Sons OÜ",
            kind: Kind::Reminder(Tone::FinalNotice),
            language,
            lines: &lines,
            suspend_on: None,
            links: Some(&links()),
            sms_link: None,
            overrides: &BTreeMap::new(),
            charges: None,
            paid_since: &[],
            opening: None,
        })
        .unwrap_or_else(|e| panic!("{}: {e}", language.code()));
        let code = language.code();
        for body in [&m.html, &m.text] {
            assert!(body.contains("INV-00024"), "{code}");
            assert!(!body.contains("INV-00025"), "{code}: only the first 25 are listed");
            assert!(body.contains("125"), "{code}: the rest are counted");
            assert!(
                body.contains("duly.example/a/statement?t=1"),
                "{code}: with a link to all"
            );
        }
        // 150 × 1,234,567.89 in all; the 125 not listed: 154,320,986.25.
        assert!(m.text.contains("185") && m.text.contains("154"), "{code}: {}", m.text);
        assert!(m.html.len() < 40_000, "{code}: {} bytes", m.html.len());
    }
    let en = render(&MessageInput {
        branding: &b,
        debtor_name: "Tamm & Sons OÜ",
        kind: Kind::Reminder(Tone::Firm),
        language: Language::En,
        lines: &lines,
        suspend_on: None,
        links: Some(&links()),
        sms_link: None,
        overrides: &BTreeMap::new(),
        charges: None,
        paid_since: &[],
        opening: None,
    })
    .unwrap();
    assert!(
        en.text.contains("- 125 more open invoices, €154,320,986.25 in total (See all open invoices: https://duly.example/a/statement?t=1)"),
        "{}",
        en.text
    );
    assert!(en.text.contains("Total due: €185,185,183.50"), "{}", en.text);
}

/// Creditors' templates run with a budget: one that would take seconds per message, or write megabytes,
/// is refused when it is saved.
#[test]
fn a_template_that_does_too_much_work_or_writes_too_much_is_refused_when_saved() {
    let b = branding();
    let slow = "{% for i in range(3000) %}{% for j in range(3000) %}{% endfor %}{% endfor %}{{ body | join }}";
    let huge = "{% for i in range(90000) %}xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx{% endfor %}{{ body | join }}";
    for source in [slow, huge] {
        match validate_override(&b, Language::En, "email.txt", source) {
            Err(RenderError::Template { reason, .. }) => assert!(reason.contains("too much"), "{reason}"),
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_creditors_template_is_used_and_a_broken_one_is_refused_with_line_and_reason() {
    let b = branding();
    let ok = "{{ sms_text }} Tel. 5551 2345{% if sms_link %} {{ sms_link }}{% endif %}";
    validate_override(&b, Language::Et, "sms", ok).unwrap();

    let unknown = "line one\n{{ sms_txt }}";
    match validate_override(&b, Language::Et, "sms", unknown) {
        Err(RenderError::Template { line, reason, .. }) => {
            assert_eq!(line, 2);
            assert!(reason.contains("undefined") || reason.contains("sms_txt"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    match validate_override(&b, Language::Et, "email.html", "<p>\n{% for x in %}\n</p>") {
        Err(RenderError::Template { line, .. }) => assert_eq!(line, 2),
        other => panic!("{other:?}"),
    }
    assert!(validate_override(&b, Language::Et, "letter.pdf", "x").is_err());

    let overrides = BTreeMap::from([("et/sms".to_string(), ok.to_string())]);
    let lines = [line("INV-1", "10", 1, 3)];
    let m = render(&MessageInput {
        branding: &b,
        debtor_name: "X",
        kind: Kind::Reminder(Tone::Firm),
        language: Language::Et,
        lines: &lines,
        suspend_on: None,
        links: None,
        sms_link: None,
        overrides: &overrides,
        charges: None,
        paid_since: &[],
        opening: None,
    })
    .unwrap();
    assert!(m.sms.starts_with("Nordwind <Tools> OÜ: üle tähtaja"), "{}", m.sms);
    assert!(m.sms.ends_with("Tel. 5551 2345"), "{}", m.sms);
}

/// Full e-mails compared with files under `render/golden/`. `UPDATE_GOLDEN=1 cargo test -p duly` rewrites
/// them after an intended change; review the diff before committing.
#[test]
fn golden_emails() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/messages/render/golden");
    let statement = [line("INV-1001", "1250", 1, 9), line("INV-1005", "320", 9, 1)];
    let single = [line("INV-1002", "480", 4, -3)];
    let cases = [
        (
            "en-firm-statement",
            Language::En,
            Kind::Reminder(Tone::Firm),
            &statement[..],
        ),
        (
            "et-friendly-before",
            Language::Et,
            Kind::Reminder(Tone::Friendly),
            &single[..],
        ),
        (
            "ru-final-statement",
            Language::Ru,
            Kind::Reminder(Tone::FinalNotice),
            &statement[..],
        ),
        (
            "pl-suspension",
            Language::Pl,
            Kind::Reminder(Tone::SuspensionWarning),
            &single[..],
        ),
    ];
    for (name, lang, kind, lines) in cases {
        let m = render_one(lang, kind, lines, "Tamm & Sons OÜ", Some("https://duly.ee/p/Ab3dE9xQ"));
        let actual = format!("Subject: {}\nSMS: {}\n\n{}\n----\n{}", m.subject, m.sms, m.text, m.html);
        let path = dir.join(format!("{name}.txt"));
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            std::fs::write(&path, &actual).unwrap();
        }
        let expected = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing: run with UPDATE_GOLDEN=1", path.display()));
        assert_eq!(actual, expected, "{name} differs from its golden file");
    }
}

#[test]
fn a_statement_of_account_lists_the_open_invoices_and_thanks_for_what_was_paid_since() {
    let open = [line("INV-1001", "1250", 1, 30), line("INV-1005", "320", 9, 22)];
    let paid = [line("INV-1004", "75", 17, 0)];
    let l = links();
    let overrides = BTreeMap::new();
    let m = render(&MessageInput {
        branding: &branding(),
        debtor_name: "Tamm & Sons OÜ",
        kind: Kind::Statement,
        language: Language::Et,
        lines: &open,
        suspend_on: None,
        links: Some(&l),
        sms_link: None,
        overrides: &overrides,
        charges: None,
        paid_since: &paid,
        opening: None,
    })
    .unwrap();
    assert_eq!(m.subject, "Konto väljavõte: 2 tasumata arvet, kokku 1570,00\u{a0}€");
    assert!(m.text.contains("INV-1001") && m.text.contains("INV-1005"), "{}", m.text);
    assert!(
        m.text
            .contains("Täname eelmisest väljavõttest saadik tehtud maksete eest: INV-1004 (75,00\u{a0}€)."),
        "{}",
        m.text
    );
    let none_paid = render(&MessageInput {
        branding: &branding(),
        debtor_name: "Tamm & Sons OÜ",
        kind: Kind::Statement,
        language: Language::En,
        lines: &open,
        suspend_on: None,
        links: None,
        sms_link: None,
        overrides: &overrides,
        charges: None,
        paid_since: &[],
        opening: None,
    })
    .unwrap();
    assert!(
        !none_paid.text.contains("Thank you for what you have paid"),
        "{}",
        none_paid.text
    );
}

/// A step's own opening words replace Duly's first paragraph in the e-mail, placeholders filled and
/// escaped like every other text; the SMS keeps Duly's words, which are counted to fit.
#[test]
fn a_steps_own_words_open_the_email_with_the_placeholders_filled() {
    let b = branding();
    let lines = [line("1001", "1250.00", 1, 9)];
    let own = "Tere {name}! {what} ootab tasumist {days} päeva <b>kindlasti</b>.";
    let m = render(&MessageInput {
        branding: &b,
        debtor_name: "Tamm & Sons OÜ",
        kind: Kind::Reminder(Tone::Firm),
        language: Language::Et,
        lines: &lines,
        suspend_on: None,
        links: Some(&links()),
        sms_link: None,
        overrides: &BTreeMap::new(),
        charges: None,
        paid_since: &[],
        opening: Some(own),
    })
    .unwrap();
    assert!(m.text.contains("Tere Tamm & Sons OÜ! "), "{}", m.text);
    assert!(
        m.text.contains(" ootab tasumist 9 päeva <b>kindlasti</b>."),
        "{}",
        m.text
    );
    assert!(!m.text.contains('{'), "{}", m.text);
    assert!(
        m.html.contains("Tere Tamm &amp; Sons OÜ!") && m.html.contains("&lt;b&gt;kindlasti"),
        "{}",
        m.html
    );
    assert!(!m.sms.contains("kindlasti"), "{}", m.sms);
}
