//! The rate feed: fetches each series from its publisher, refuses what cannot be right, writes the rows
//! the law takes, records how each fetch went, and says which offered countries have gone without their
//! current rate too long. Run daily by its schedule, and on demand.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use duly_adapters::publishers::Publishers;
use duly_adapters::store::{FeedStatus, Store, StoreError};
use duly_core::interest::feed::check::{check, missing, Newest};
use duly_core::interest::feed::parse::parse;
use duly_core::interest::feed::{derive, Observation, Series};
use duly_core::interest::rates::{COUNTRIES, FOLLOWS_EVERY_CHANGE};
use duly_core::interest::Offered;

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// Series taken, with the rows each wrote.
    pub taken: Vec<(String, usize)>,
    /// Series not taken, and why.
    pub failed: Vec<(String, String)>,
    /// Offered countries whose current rate is missing past the grace, and the first day unknown.
    pub missing: Vec<(String, NaiveDate)>,
}

/// Fetches and reads every document of `series`; any failure leaves the whole series out. Rates of exchange
/// are fetched from a few days before the newest taken.
async fn fetch(
    publishers: &Publishers,
    series: Series,
    today: NaiveDate,
    known: Option<&Newest>,
) -> Result<Vec<Observation>, String> {
    let since = known.and_then(|k| k.day.checked_sub_days(chrono::Days::new(10)));
    let mut out = Vec::new();
    let mut documents = 0;
    for address in publishers.addresses(series, today, since) {
        let document = match publishers.fetch(series, &address).await {
            Ok(document) => document,
            // A range or a year with nothing in it, among several: the others hold what was published.
            Err(e) if e.nothing_published() && series.is_exchange_rate() && series != Series::EcbExchangeRates => {
                continue
            }
            Err(e) => return Err(e.to_string()),
        };
        documents += 1;
        out.extend(parse(series, &document).map_err(|e| format!("{}: {e}", series.publisher()))?);
    }
    if documents == 0 {
        return Err(format!("{} published nothing for the days asked", series.publisher()));
    }
    out.sort_by(|a, b| (a.day, &a.currency).cmp(&(b.day, &b.currency)));
    out.dedup();
    Ok(out)
}

pub async fn run(
    store: &Store,
    publishers: &Publishers,
    offered: &Offered,
    now: DateTime<Utc>,
) -> Result<Outcome, StoreError> {
    let today = now.date_naive();
    let before = store.feed_status().await?;
    // The table as it stands, with each series' new rows laid over it as they are written.
    let mut book = store.rate_book(&[]).await?;
    let mut outcome = Outcome::default();
    for series in Series::ALL {
        let previous = before.iter().find(|s| s.series == series);
        let known: Option<&Newest> = previous.and_then(|p| p.newest.as_ref());
        let taken = match fetch(publishers, series, today, known).await {
            Ok(observations) => match check(series, &observations, known) {
                Ok(()) => Ok(observations),
                Err(refused) => Err(format!("{}: {refused}", series.publisher())),
            },
            Err(why) => Err(why),
        };
        match taken {
            Ok(observations) => {
                // Only what is new or changed is written: a period keeps the day it was first fetched.
                let periods: Vec<_> = derive::periods(series, &observations, today)
                    .into_iter()
                    .filter(|p| {
                        let known = book.periods(&p.country).iter().find(|r| r.from == p.period.from);
                        known.is_none_or(|r| {
                            r.reference != p.period.reference
                                || r.margin != p.period.margin
                                || (FOLLOWS_EVERY_CHANGE.contains(&p.country.as_str()) && r.checked < p.period.checked)
                        })
                    })
                    .collect();
                let fx = derive::exchange_rates(series, &observations, today);
                let written = store.put_fetched(&periods, &fx).await?;
                book = book.with_fetched(periods, Vec::new());
                let newest = observations.iter().max_by_key(|o| o.day).map(|o| Newest {
                    day: o.day,
                    value: o.value,
                });
                store
                    .put_feed_status(&FeedStatus {
                        series,
                        tried_at: now,
                        taken_on: Some(today),
                        newest,
                        failure: None,
                    })
                    .await?;
                tracing::info!(series = series.id(), rows = written, "rate feed: taken");
                outcome.taken.push((series.id().to_string(), written));
            }
            Err(why) => {
                store
                    .put_feed_status(&FeedStatus {
                        series,
                        tried_at: now,
                        taken_on: previous.and_then(|p| p.taken_on),
                        newest: known.cloned(),
                        failure: Some(why.clone()),
                    })
                    .await?;
                tracing::warn!(series = series.id(), reason = %why, "rate feed: not taken");
                outcome.failed.push((series.id().to_string(), why));
            }
        }
    }
    let offered: Vec<&str> = COUNTRIES.into_iter().filter(|c| offered.includes(c)).collect();
    outcome.missing = missing(&book, offered, today)
        .into_iter()
        .map(|(country, from)| (country.to_string(), from))
        .collect();
    for (country, from) in &outcome.missing {
        tracing::warn!(country = %country, unknown_from = %from, "rate feed: a country's current rate is missing");
    }
    Ok(outcome)
}
