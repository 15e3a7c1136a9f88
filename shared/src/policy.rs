//! A creditor's reminder policy: which messages go out relative to an invoice's due date, in which tone,
//! on which channels, and inside which local hours.

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};

/// How a message sounds. Never threatening: even the final notice asks, it does not menace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Friendly,
    Firm,
    FinalNotice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
}

/// Where a step sits relative to the due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "unit", content = "days", rename_all = "snake_case")]
pub enum Offset {
    CalendarDays(i32),
    BusinessDays(i32),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// Stable name of the step; part of the key that makes each send happen once.
    pub id: String,
    pub offset: Offset,
    pub tone: Tone,
    pub channels: Vec<Channel>,
}

/// The local hours in which messages may go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendingWindow {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

impl Default for SendingWindow {
    fn default() -> Self {
        SendingWindow {
            start: NaiveTime::from_hms_opt(9, 0, 0).expect("valid time"),
            end: NaiveTime::from_hms_opt(17, 0, 0).expect("valid time"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    pub enabled: bool,
    /// In the order they are meant to happen.
    pub steps: Vec<Step>,
    pub window: SendingWindow,
}

impl Default for Policy {
    /// A friendly nudge three days before the due date and on it, a friendly reminder the next business day
    /// after it, a firm one a week later and a final notice after two weeks.
    fn default() -> Self {
        use Channel::{Email, Sms};
        let step = |id: &str, offset, tone, channels: &[Channel]| Step {
            id: id.to_string(),
            offset,
            tone,
            channels: channels.to_vec(),
        };
        Policy {
            enabled: true,
            steps: vec![
                step("before-3", Offset::CalendarDays(-3), Tone::Friendly, &[Email]),
                step("on-due", Offset::CalendarDays(0), Tone::Friendly, &[Email]),
                step("after-1", Offset::BusinessDays(1), Tone::Friendly, &[Email, Sms]),
                step("after-7", Offset::BusinessDays(7), Tone::Firm, &[Email, Sms]),
                step("after-14", Offset::BusinessDays(14), Tone::FinalNotice, &[Email, Sms]),
            ],
            window: SendingWindow::default(),
        }
    }
}
