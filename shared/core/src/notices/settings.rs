//! How a creditor wants to hear from Duly, as stored with the creditor.

use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::policy::refusal::PolicyError;

/// How a creditor wants to hear from Duly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notifications {
    #[serde(default)]
    pub delivery: Delivery,
    /// The local hour (0–23, in the creditor's time zone) the daily digest goes out.
    #[serde(default = "default_digest_hour")]
    pub digest_hour: u8,
    /// The report the creditor gets, weekly or monthly; none when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report: Option<Period>,
    /// Whether reminder e-mails record when they are opened (SES adds an invisible image to the HTML).
    /// Off unless the creditor switches it on: it tells them something about a person.
    #[serde(default)]
    pub opens: bool,
}

fn default_digest_hour() -> u8 {
    8
}

impl Default for Notifications {
    fn default() -> Self {
        Notifications {
            delivery: Delivery::default(),
            digest_hour: default_digest_hour(),
            report: None,
            opens: false,
        }
    }
}

impl Notifications {
    pub fn check(&self) -> Result<(), PolicyError> {
        if self.digest_hour > 23 {
            return Err(PolicyError::new("digest_hour", "invalid-hour"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Delivery {
    /// One e-mail per event, as it happens.
    #[default]
    Each,
    /// One e-mail a day listing the day's events; nothing on a day without any.
    Daily,
}

/// A report's span: a week from Monday, or a calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    Week,
    Month,
}

impl Period {
    /// Its name in addresses, forms and keys: `week` or `month`, as it is serialised.
    pub fn name(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
        }
    }

    /// The period a name names.
    pub fn parse(name: &str) -> Option<Period> {
        [Period::Week, Period::Month].into_iter().find(|p| p.name() == name)
    }

    /// The first and last day of the period that holds `day`.
    pub fn span(self, day: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Period::Week => {
                let from = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
                (from, from + Duration::days(6))
            }
            Period::Month => {
                let from = day.with_day(1).unwrap_or(day);
                let next = from.checked_add_months(chrono::Months::new(1)).unwrap_or(from);
                (from, next.pred_opt().unwrap_or(from))
            }
        }
    }
}
