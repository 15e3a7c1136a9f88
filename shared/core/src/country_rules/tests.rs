use super::*;

fn time(h: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, 0, 0).unwrap()
}

#[test]
fn the_file_reads_and_every_rule_names_a_source_of_its_pack() {
    let file: File = serde_json::from_str(DATA).expect("country_rules.json reads");
    assert!(file.packs.len() >= 5, "{:?}", file.packs.keys());
    for (country, pack) in &file.packs {
        assert!(
            country.len() == 2 && country.chars().all(|c| c.is_ascii_uppercase()),
            "{country}"
        );
        let mut named: Vec<&str> = Vec::new();
        named.extend(pack.written_before_demand.iter().map(|l| l.source.as_str()));
        named.extend(pack.consumers.min_gap_hours.iter().map(|l| l.source.as_str()));
        named.extend(pack.consumers.days_to_object.iter().map(|l| l.source.as_str()));
        named.extend(pack.hours.iter().map(|h| h.source.as_str()));
        named.extend(pack.demand.iter().map(|d| d.source.as_str()));
        assert!(!named.is_empty(), "{country}'s pack sets nothing");
        for source in named {
            let found = pack
                .source(source)
                .unwrap_or_else(|| panic!("{country}: no source {source}"));
            assert!(found.url.starts_with("https://"), "{country}: {}", found.url);
        }
        assert_eq!(pack, super::pack(country).unwrap());
    }
}

#[test]
fn duly_sends_only_inside_every_countrys_contact_hours() {
    // Duly's own bounds on any creditor's window are 08:00–20:00: no country's hours may be narrower for
    // e-mail or SMS, or a creditor's widest window would break them.
    let widest = SendingWindow {
        start: crate::policy::earliest_send(),
        end: crate::policy::latest_send(),
    };
    for (country, _) in countries() {
        for consumer in [false, true] {
            let applied = Applied::for_debtor(Some(country), consumer);
            let narrowed = applied.window(widest, &[Channel::Email, Channel::Sms]);
            assert_eq!(narrowed, widest, "{country}, consumer {consumer}");
        }
    }
}

#[test]
fn bulgaria_allows_two_written_reminders_and_spaces_a_consumers_messages_two_days_apart() {
    let business = Applied::for_debtor(Some("BG"), false);
    let (max, binding) = business.max_written(3);
    assert_eq!(
        (max, binding.map(|b| (b.country, b.rule, b.kind))),
        (2, Some(("BG", Rule::WrittenBeforeDemand(2), Kind::Practice)))
    );
    assert_eq!(
        business.max_written(1),
        (1, None),
        "a creditor's own lower number stands"
    );
    assert_eq!(business.min_gap_hours(20), (20, None), "the gap rule is for consumers");
    let consumer = Applied::for_debtor(Some("BG"), true);
    assert_eq!(consumer.min_gap_hours(20).0, 48);
    assert_eq!(consumer.min_gap_hours(72), (72, None));
    assert_eq!(consumer.days_to_object(), None);
    // SMS to a consumer: 07:00–20:00, so a window opening at 06:00 is cut to seven.
    let early = SendingWindow {
        start: time(6),
        end: time(21),
    };
    assert_eq!(
        consumer.window(early, &[Channel::Sms]),
        SendingWindow {
            start: time(7),
            end: time(20)
        }
    );
    assert_eq!(
        consumer.window(early, &[Channel::Email]),
        early,
        "e-mail is not restricted"
    );
    assert_eq!(
        business.window(early, &[Channel::Sms]),
        early,
        "the hours are for consumers"
    );
}

#[test]
fn latvia_gives_a_consumer_21_days_to_object_and_a_business_nothing() {
    let consumer = Applied::for_debtor(Some("LV"), true);
    let binding = consumer
        .days_to_object()
        .map(|(_, b)| b)
        .expect("a Latvian consumer has days to object");
    assert_eq!(
        (binding.country, binding.rule, binding.kind),
        ("LV", Rule::DaysToObject(21), Kind::Law)
    );
    assert_eq!(Applied::for_debtor(Some("LV"), false).days_to_object(), None);
    assert_eq!(consumer.max_written(2), (2, None));
    let demand = consumer.pack().and_then(|p| p.demand.as_ref()).unwrap();
    assert!(demand.states.contains(&DemandItem::Objection));
    assert_eq!(demand.pay_within_days, 21);
}

#[test]
fn finland_gives_a_consumer_14_days() {
    let (days, binding) = Applied::for_debtor(Some("FI"), true).days_to_object().unwrap();
    assert_eq!(days, 14);
    assert_eq!(binding.rule, Rule::DaysToObject(14));
    assert_eq!(Applied::for_debtor(Some("FI"), false).days_to_object(), None);
}

#[test]
fn germany_poland_and_romania_say_what_a_demand_states_and_hold_nothing_back() {
    for (country, days) in [("DE", 10), ("PL", 7), ("RO", 15)] {
        for consumer in [false, true] {
            let applied = Applied::for_debtor(Some(country), consumer);
            assert_eq!(applied.max_written(2), (2, None), "{country}");
            assert_eq!(applied.min_gap_hours(20), (20, None), "{country}");
            assert_eq!(applied.days_to_object(), None, "{country}");
        }
        let demand = pack(country).and_then(|p| p.demand.as_ref()).unwrap();
        assert_eq!(demand.pay_within_days, days, "{country}");
        assert!(
            demand.states.starts_with(&[DemandItem::Amount, DemandItem::Invoices]),
            "{country}"
        );
        assert!(demand.states.contains(&DemandItem::NextStep), "{country}");
    }
}

#[test]
fn a_country_without_a_pack_adds_nothing() {
    for country in [Some("EE"), Some("GB"), None] {
        let applied = Applied::for_debtor(country, true);
        assert_eq!(applied.pack(), None);
        assert_eq!(applied.max_written(2), (2, None));
        assert_eq!(applied.min_gap_hours(20), (20, None));
        assert_eq!(applied.days_to_object(), None);
    }
}

#[test]
fn a_demand_items_code_is_its_name_in_the_data() {
    use DemandItem::*;
    for item in [Amount, Invoices, Interest, Deadline, HowToPay, Objection, NextStep] {
        assert_eq!(serde_json::to_value(item).unwrap(), item.code(), "{item:?}");
    }
}
