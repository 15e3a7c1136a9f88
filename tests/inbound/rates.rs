//! The rate feed against local publishers that answer as the ECB, the Bundesbank, the NBP, the NBR and the
//! BIS do: what it takes, what it refuses, and the alarm when a country's current rate is missing.

use chrono::NaiveDate;

use duly_adapters::publishers::Publishers;
use duly_adapters::store::Store;
use duly_app::rate_feed::{run, Outcome};
use duly_core::interest::compensation::compensation;
use duly_core::interest::{Decimal, Offered};
use duly_core::model::money::{Currency, Money};
use duly_local::publishers::{publishing, serve, Failure, Publishers as Local};
use duly_local::{at, Local as Aws};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn feed(store: &Store, base: &str, when: &str) -> Outcome {
    run(store, &Publishers::at(base), &Offered::Every, at(when))
        .await
        .unwrap()
}

async fn setup(prefix: &str, today: &str) -> (Aws, Store, Local, String) {
    let aws = Aws::new(prefix).await;
    let store = aws.store_for("RatesFunction");
    let publishers = publishing(day(today));
    let base = serve(publishers.clone()).await;
    (aws, store, publishers, base)
}

fn money(minor: i64, code: &str) -> Money {
    Money {
        minor,
        currency: Currency::parse(code).unwrap(),
    }
}

#[tokio::test]
async fn every_publisher_is_read_and_the_engine_knows_today() {
    let (_aws, store, publishers, base) = setup("rates-all", "2026-12-07").await;
    // The seed ends with the first half of 2026: before the feed, no country's rate is known today.
    let seed = store.rate_book(&["PLN", "RON", "SEK"]).await.unwrap();
    assert_eq!(seed.known_until("EE"), Some(day("2026-06-30")));
    let outcome = feed(&store, &base, "2026-12-07T15:30:00Z").await;
    assert!(outcome.failed.is_empty(), "{outcome:?}");
    assert_eq!(outcome.taken.len(), 7, "{outcome:?}");
    assert!(outcome.missing.is_empty(), "{outcome:?}");
    let book = store.rate_book(&["PLN", "RON", "SEK"]).await.unwrap();
    for country in ["EE", "LV", "LT", "FI", "DE", "PL", "BG"] {
        assert_eq!(book.known_until(country), Some(day("2026-12-31")), "{country}");
    }
    // Romania: checked up to the newest day the BIS published, Friday 4 December... or Monday the 7th.
    assert_eq!(book.known_until("RO"), Some(day("2026-12-07")));
    let last = |c: &str| book.periods(c).last().unwrap().clone();
    // The NBP reference rate in force on 1 July 2026 is 3.75 (since 5 March): 13.75 %, as the seed has it.
    assert_eq!(
        (last("PL").from, last("PL").rate()),
        (day("2026-07-01"), Decimal::new(1375, 2))
    );
    // Estonia's second half of 2026 is the feed's: ECB 2.15 + 8, with its source and the day fetched.
    assert_eq!(
        (last("EE").from, last("EE").rate()),
        (day("2026-07-01"), Decimal::new(1015, 2))
    );
    assert!(
        last("EE").source.contains("data.ecb.europa.eu"),
        "{}",
        last("EE").source
    );
    assert_eq!(last("EE").fetched, Some(day("2026-12-07")));
    assert_eq!(last("DE").rate(), Decimal::new(1027, 2));
    assert_eq!(last("FI").reference, Decimal::new(250, 2));
    // A złoty invoice due in December converts at the NBP's rate of Monday 30 November.
    let pln = compensation(&book, "PL", money(1_000_000, "PLN"), day("2026-12-10")).unwrap();
    assert_eq!(pln, money(29_578, "PLN"), "70 € × 4.2254 = 295.778 → PLN 295.78");
    let ron = compensation(&book, "RO", money(1_000_000, "RON"), day("2026-12-03")).unwrap();
    assert_eq!(ron, money(20_338, "RON"));
    let sek = compensation(&book, "EE", money(100_000, "SEK"), day("2026-12-03")).unwrap();
    assert_eq!(sek, money(44_530, "SEK"), "40 € × 11.1325 = SEK 445.30");
    // Where each came from.
    let requests = publishers.lock().unwrap().requests.clone();
    for who in [
        "ecb FM/",
        "ecb EXR/",
        "bundesbank",
        "nbp stopy",
        "nbp eur/",
        "nbr nbrfxrates2026",
        "bis",
    ] {
        assert!(requests.iter().any(|r| r.starts_with(who)), "{who}: {requests:?}");
    }
    let status = store.feed_status().await.unwrap();
    assert_eq!(status.len(), 7);
    assert!(status
        .iter()
        .all(|s| s.failure.is_none() && s.taken_on == Some(day("2026-12-07"))));
}

#[tokio::test]
async fn a_run_across_1_july_takes_the_new_half_year() {
    let (_aws, store, publishers, base) = setup("rates-july", "2027-06-30").await;
    // The ECB lowers its rate from 16 June 2027; the new half-year is not taken before it begins.
    publishers
        .lock()
        .unwrap()
        .ecb_changes
        .push((day("2027-06-16"), "1.9".into()));
    feed(&store, &base, "2027-06-30T15:30:00Z").await;
    let book = store.rate_book(&["PLN", "RON", "SEK"]).await.unwrap();
    assert_eq!(book.known_until("EE"), Some(day("2027-06-30")));
    assert_eq!(book.periods("EE").last().unwrap().rate().to_string(), "10.15");
    publishers.lock().unwrap().today = day("2027-07-01");
    feed(&store, &base, "2027-07-01T15:30:00Z").await;
    let book = store.rate_book(&["PLN", "RON", "SEK"]).await.unwrap();
    let ee = book.periods("EE").last().unwrap().clone();
    assert_eq!((ee.from, ee.rate()), (day("2027-07-01"), Decimal::new(990, 2)));
    // Finland: 1.90 rounded up to 2.00.
    assert_eq!(book.periods("FI").last().unwrap().rate(), Decimal::from(10));
    assert_eq!(book.known_until("LT"), Some(day("2027-12-31")));
}

#[tokio::test]
async fn a_failing_publisher_leaves_its_rates_alone_says_why_and_raises_the_alarm_in_time() {
    let (_aws, store, publishers, base) = setup("rates-fail", "2026-12-07").await;
    feed(&store, &base, "2026-12-07T15:30:00Z").await;
    let taken = store.rate_book(&["PLN", "RON", "SEK"]).await.unwrap();

    // An outage: the ECB answers 500 to every attempt.
    publishers.lock().unwrap().failing.insert("ecb", Failure::Status(500));
    let outcome = feed(&store, &base, "2026-12-08T15:30:00Z").await;
    let failed: Vec<&str> = outcome.failed.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(failed, ["ecb-mro", "ecb-fx"], "{outcome:?}");
    assert!(outcome.failed[0].1.contains("HTTP 500"), "{outcome:?}");
    let requests = publishers.lock().unwrap().requests.clone();
    assert_eq!(
        requests.iter().filter(|r| r.starts_with("ecb FM/")).count(),
        1 + 3,
        "tried three times"
    );
    assert_eq!(outcome.taken.len(), 5, "the others are taken: {outcome:?}");
    let status = store.feed_status().await.unwrap();
    let ecb = status.iter().find(|s| s.series.id() == "ecb-mro").unwrap();
    assert_eq!(ecb.taken_on, Some(day("2026-12-07")), "the last day taken is kept");
    assert!(ecb.failure.as_deref().unwrap().contains("500"));

    // A document that is not the publisher's: an error page.
    publishers
        .lock()
        .unwrap()
        .failing
        .insert("ecb", Failure::Body("<html><body>Maintenance</body></html>".into()));
    let outcome = feed(&store, &base, "2026-12-09T15:30:00Z").await;
    assert!(
        outcome.failed[0].1.contains("not what the ECB publishes"),
        "{outcome:?}"
    );

    // A document that ends before what was taken: it moves backwards in time.
    let old = "KEY,FREQ,TIME_PERIOD,OBS_VALUE\nFM.B.U2.EUR.4F.KR.MRR_FR.LEV,B,2024-06-12,4.25\n";
    publishers
        .lock()
        .unwrap()
        .failing
        .insert("ecb", Failure::Body(old.into()));
    let outcome = feed(&store, &base, "2026-12-10T15:30:00Z").await;
    assert!(outcome.failed[0].1.contains("moves backwards in time"), "{outcome:?}");

    // A sudden absurd value: refused, never used.
    publishers.lock().unwrap().failing.clear();
    publishers.lock().unwrap().today = day("2026-12-10");
    publishers
        .lock()
        .unwrap()
        .ecb_changes
        .push((day("2026-12-09"), "21.5".into()));
    let outcome = feed(&store, &base, "2026-12-10T15:30:00Z").await;
    assert!(outcome.failed[0].1.contains("cannot be right"), "{outcome:?}");
    let book = store.rate_book(&["PLN", "RON", "SEK"]).await.unwrap();
    assert_eq!(
        book.periods("EE"),
        taken.periods("EE"),
        "nothing of it reached the table"
    );

    // Into the new half-year with the ECB still refused: no Estonian rate for 2027, and the alarm on the
    // fifth business day (1 January is a holiday; 4–8 January are the first five; Finland also keeps
    // Epiphany on the 6th, so its fifth is the 11th).
    publishers.lock().unwrap().today = day("2027-01-07");
    let outcome = feed(&store, &base, "2027-01-07T15:30:00Z").await;
    assert!(outcome.missing.iter().all(|(c, _)| c != "EE"), "{outcome:?}");
    publishers.lock().unwrap().today = day("2027-01-08");
    let outcome = feed(&store, &base, "2027-01-08T15:30:00Z").await;
    let missing: Vec<&str> = outcome.missing.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(missing, ["BG", "EE", "LT", "LV"], "{outcome:?}");
    assert!(outcome.missing.iter().all(|(_, from)| *from == day("2027-01-01")));
    publishers.lock().unwrap().today = day("2027-01-11");
    let outcome = feed(&store, &base, "2027-01-11T15:30:00Z").await;
    assert!(outcome.missing.iter().any(|(c, _)| c == "FI"), "{outcome:?}");
}

/// Each publisher down, or answering with something that is not its document, fails its own series only,
/// with the reason, and leaves what it published before in the table.
#[tokio::test]
async fn each_publisher_fails_alone() {
    let (_aws, store, publishers, base) = setup("rates-each", "2026-12-07").await;
    feed(&store, &base, "2026-12-07T15:30:00Z").await;
    let before = store.rate_book(&["PLN", "RON", "SEK"]).await.unwrap();
    let cases = [
        ("bundesbank", vec!["bundesbank-basiszins"], "the Bundesbank"),
        ("nbp", vec!["nbp-reference", "nbp-eur"], "the NBP"),
        ("nbr", vec!["nbr-eur"], "the NBR"),
        ("bis", vec!["nbr-policy"], "the BIS"),
    ];
    for (who, series, name) in cases {
        for failure in [
            Failure::Status(503),
            Failure::Body("<!DOCTYPE html><p>Temporarily unavailable".into()),
        ] {
            publishers.lock().unwrap().failing.clear();
            publishers.lock().unwrap().failing.insert(who, failure.clone());
            let outcome = feed(&store, &base, "2026-12-08T15:30:00Z").await;
            let failed: Vec<&str> = outcome.failed.iter().map(|(s, _)| s.as_str()).collect();
            assert_eq!(failed, series, "{who} {failure:?}: {outcome:?}");
            assert!(outcome.failed.iter().all(|(_, why)| why.contains(name)), "{outcome:?}");
        }
    }
    let after = store.rate_book(&["PLN", "RON", "SEK"]).await.unwrap();
    let rates = |book: &duly_core::interest::rates::RateBook, country: &str| {
        book.periods(country)
            .iter()
            .map(|p| (p.from, p.rate()))
            .collect::<Vec<_>>()
    };
    for country in ["DE", "PL", "RO"] {
        assert_eq!(rates(&after, country), rates(&before, country), "{country}");
    }
}
