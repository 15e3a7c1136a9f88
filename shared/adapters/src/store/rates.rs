//! What the rate feed fetched, under one partition of its own (`RATES#feed`): a row per statutory period, an
//! item per currency and month holding each day's rate of exchange, and an item per series saying how its
//! last fetch went. Every creditor's charges read the same rows, so no creditor's key is involved.

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, NaiveDate, Utc};
use duly_core::interest::Decimal;

use duly_core::interest::feed::check::Newest;
use duly_core::interest::feed::Series;
use duly_core::interest::rates::{FetchedPeriod, FxRate, RateBook, RatePeriod};

use super::invoice_item::attr;
use super::{parse_ts, s, sdk_error, ts, Store, StoreError};

const PK: &str = "RATES#feed";

/// How the last fetch of a series went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedStatus {
    pub series: Series,
    pub tried_at: DateTime<Utc>,
    /// The last day a fetch was taken, and the newest observation it held.
    pub taken_on: Option<NaiveDate>,
    pub newest: Option<Newest>,
    /// Why the last attempt was not taken, when it was not.
    pub failure: Option<String>,
}

fn text(item: &HashMap<String, AttributeValue>, name: &str) -> Option<String> {
    item.get(name).and_then(|v| v.as_s().ok()).cloned()
}

fn day(item: &HashMap<String, AttributeValue>, name: &str) -> Option<NaiveDate> {
    text(item, name).and_then(|d| d.parse().ok())
}

fn decimal(item: &HashMap<String, AttributeValue>, name: &str) -> Option<Decimal> {
    text(item, name).and_then(|d| d.parse().ok())
}

impl Store {
    /// The seed with the fetched statutory periods laid over it, and the fetched rates of exchange of
    /// `currencies` (the euro needs none): a few kilobytes, read where charges are computed.
    pub async fn rate_book(&self, currencies: &[&str]) -> Result<RateBook, StoreError> {
        let mut items = self.query_partition(PK.into(), Some("RATE#"), false).await?;
        let mut wanted: Vec<&str> = currencies.iter().copied().filter(|c| *c != "EUR").collect();
        wanted.sort_unstable();
        wanted.dedup();
        for currency in wanted.into_iter().take(8) {
            items.extend(
                self.query_partition(PK.into(), Some(&format!("FX#{currency}#")), false)
                    .await?,
            );
        }
        let (mut periods, mut fx) = (Vec::new(), Vec::new());
        for item in &items {
            let sk = text(item, attr::SK).unwrap_or_default();
            let mut parts = sk.splitn(3, '#');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("RATE"), Some(country), Some(from)) => {
                    let (Some(from), Some(reference), Some(margin), Some(checked)) = (
                        from.parse().ok(),
                        decimal(item, "reference"),
                        decimal(item, "margin"),
                        day(item, "checked"),
                    ) else {
                        return Err(StoreError::Corrupt(format!("rate row {sk}")));
                    };
                    periods.push(FetchedPeriod {
                        country: country.to_string(),
                        period: RatePeriod {
                            from,
                            reference,
                            margin,
                            source: text(item, "source").unwrap_or_default(),
                            checked,
                            fetched: day(item, "fetched"),
                        },
                    });
                }
                (Some("FX"), Some(currency), Some(_month)) => {
                    let source = text(item, "source").unwrap_or_default();
                    let fetched = day(item, "fetched");
                    for (name, value) in item {
                        let (Some(on), Some(per_euro)) = (
                            name.strip_prefix('d').and_then(|d| d.parse::<NaiveDate>().ok()),
                            value.as_s().ok().and_then(|v| v.parse::<Decimal>().ok()),
                        ) else {
                            continue;
                        };
                        fx.push(FxRate {
                            currency: currency.to_string(),
                            from: on,
                            per_euro,
                            source: source.clone(),
                            fetched,
                        });
                    }
                }
                _ => {}
            }
        }
        // Periods in date order per country, as the book lays them over the seed one by one.
        periods.sort_by(|a, b| (&a.country, a.period.from).cmp(&(&b.country, b.period.from)));
        Ok(RateBook::seed().with_fetched(periods, fx))
    }

    /// Writes what a fetch gave: each period row, and each day's rate of exchange into its month's item.
    pub async fn put_fetched(&self, periods: &[FetchedPeriod], fx: &[FxRate]) -> Result<usize, StoreError> {
        let mut written = 0;
        for FetchedPeriod { country, period } in periods {
            self.client()
                .put_item()
                .table_name(self.table())
                .item(attr::PK, s(PK))
                .item(attr::SK, s(format!("RATE#{country}#{}", period.from)))
                .item("reference", s(period.reference.to_string()))
                .item("margin", s(period.margin.to_string()))
                .item("source", s(period.source.clone()))
                .item("checked", s(period.checked.to_string()))
                .item("fetched", s(period.fetched.map(|d| d.to_string()).unwrap_or_default()))
                .send()
                .await
                .map_err(sdk_error)?;
            written += 1;
        }
        // One update per currency and month, each day an attribute of it.
        let mut months: std::collections::BTreeMap<(String, String), Vec<&FxRate>> = Default::default();
        for r in fx {
            months
                .entry((r.currency.clone(), r.from.format("%Y-%m").to_string()))
                .or_default()
                .push(r);
        }
        for ((currency, month), days) in months {
            let mut update = String::from("SET #source = :source, #fetched = :fetched");
            let mut request = self
                .client()
                .update_item()
                .table_name(self.table())
                .key(attr::PK, s(PK))
                .key(attr::SK, s(format!("FX#{currency}#{month}")))
                .expression_attribute_names("#source", "source")
                .expression_attribute_names("#fetched", "fetched")
                .expression_attribute_values(":source", s(days[0].source.clone()))
                .expression_attribute_values(
                    ":fetched",
                    s(days[0].fetched.map(|d| d.to_string()).unwrap_or_default()),
                );
            for (i, r) in days.iter().enumerate().take(31) {
                update.push_str(&format!(", #d{i} = :d{i}"));
                request = request
                    .expression_attribute_names(format!("#d{i}"), format!("d{}", r.from))
                    .expression_attribute_values(format!(":d{i}"), s(r.per_euro.to_string()));
            }
            request.update_expression(update).send().await.map_err(sdk_error)?;
            written += days.len();
        }
        Ok(written)
    }

    /// Records how a fetch of a series went.
    pub async fn put_feed_status(&self, status: &FeedStatus) -> Result<(), StoreError> {
        let mut request = self
            .client()
            .put_item()
            .table_name(self.table())
            .item(attr::PK, s(PK))
            .item(attr::SK, s(format!("FEED#{}", status.series.id())))
            .item("tried_at", s(ts(status.tried_at)));
        if let Some(on) = status.taken_on {
            request = request.item("taken_on", s(on.to_string()));
        }
        if let Some(newest) = &status.newest {
            request = request
                .item("newest_day", s(newest.day.to_string()))
                .item("newest_value", s(newest.value.to_string()));
        }
        if let Some(failure) = &status.failure {
            request = request.item("failure", s(failure.clone()));
        }
        request.send().await.map_err(sdk_error)?;
        Ok(())
    }

    /// How the last fetch of each series went, in the feed's order.
    pub async fn feed_status(&self) -> Result<Vec<FeedStatus>, StoreError> {
        let items = self.query_partition(PK.into(), Some("FEED#"), true).await?;
        let mut out: Vec<FeedStatus> = items
            .iter()
            .filter_map(|item| {
                let series = Series::parse(text(item, attr::SK)?.strip_prefix("FEED#")?)?;
                Some(FeedStatus {
                    series,
                    tried_at: parse_ts(&text(item, "tried_at")?).ok()?,
                    taken_on: day(item, "taken_on"),
                    newest: match (day(item, "newest_day"), decimal(item, "newest_value")) {
                        (Some(day), Some(value)) => Some(Newest { day, value }),
                        _ => None,
                    },
                    failure: text(item, "failure"),
                })
            })
            .collect();
        out.sort_by_key(|s| s.series);
        Ok(out)
    }
}
