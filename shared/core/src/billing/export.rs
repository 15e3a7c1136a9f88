//! Sending a creditor's usage to a billing system hour by hour: what is new since the last report, and the
//! identifiers that make a resend harmless.
//!
//! Before anything is sent, the hour's amounts are written down as pending; they are sent with identifiers
//! made of the creditor, the meter and that hour, and only then added to what was reported. A run that
//! dies in between sends the same pending amounts with the same identifiers again, which the billing
//! system refuses as duplicates: nothing is billed twice, and nothing is left out.

use chrono::{DateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};

use super::{Counts, Meter};

/// Amounts written down for one hour, before they are sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// The hour they are sent for (`2026-11-30T08`, UTC).
    pub hour: String,
    /// Unix time of that hour's start, as the billing system's event time.
    pub timestamp: i64,
    pub amounts: Vec<(Meter, i64)>,
}

/// The hour of `now`, as identifiers name it, and its start.
pub fn hour_of(now: DateTime<Utc>) -> (String, i64) {
    let start = now
        .with_minute(0)
        .and_then(|t| t.with_second(0))
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(now);
    (start.format("%Y-%m-%dT%H").to_string(), start.timestamp())
}

/// What grew since the last report, meter by meter; nothing when nothing did.
pub fn new_usage(counts: &Counts, reported: &Counts, now: DateTime<Utc>) -> Option<Pending> {
    let amounts: Vec<(Meter, i64)> = Meter::ALL
        .iter()
        .map(|m| (*m, counts.of(*m) - reported.of(*m)))
        .filter(|(_, n)| *n > 0)
        .collect();
    if amounts.is_empty() {
        return None;
    }
    let (hour, timestamp) = hour_of(now);
    Some(Pending {
        hour,
        timestamp,
        amounts,
    })
}

/// The billing system's event name for a meter.
pub fn event_name(meter: Meter) -> String {
    format!("duly_{}", meter.name())
}

/// The identifier of one creditor's amount of one meter for one hour: the same amount sent again carries
/// the same identifier.
pub fn identifier(creditor: &str, meter: Meter, hour: &str) -> String {
    format!("duly:{creditor}:{}:{hour}", meter.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_grew_is_sent_for_the_hour_it_is_sent_in() {
        let now: DateTime<Utc> = "2026-11-30T08:47:12Z".parse().unwrap();
        let counts = Counts {
            emails: 12,
            sms_segments: 4,
            debtors_reminded: 7,
            webhooks_received: 90,
        };
        let reported = Counts {
            emails: 10,
            sms_segments: 4,
            debtors_reminded: 7,
            webhooks_received: 50,
        };
        let pending = new_usage(&counts, &reported, now).unwrap();
        assert_eq!(pending.hour, "2026-11-30T08");
        assert_eq!(
            pending.timestamp,
            "2026-11-30T08:00:00Z".parse::<DateTime<Utc>>().unwrap().timestamp()
        );
        assert_eq!(pending.amounts, [(Meter::Emails, 2), (Meter::WebhooksReceived, 40)]);
        assert_eq!(new_usage(&counts, &counts, now), None);
        assert_eq!(
            identifier("nordwind", Meter::Emails, &pending.hour),
            "duly:nordwind:emails:2026-11-30T08"
        );
        assert_eq!(event_name(Meter::SmsSegments), "duly_sms_segments");
    }
}
