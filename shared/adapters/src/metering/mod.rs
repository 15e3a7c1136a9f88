//! Where usage is billed. One small interface, [`UsageSink`], so that a second billing system (AWS
//! Marketplace's `BatchMeterUsage`) can sit beside Stripe's.

mod stripe;

pub use stripe::StripeMeters;

/// What the billing system said to one meter event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recorded {
    New,
    /// It had this identifier already: the event was recorded before.
    Duplicate,
}

#[derive(Debug, thiserror::Error)]
pub enum MeteringError {
    #[error("the billing system is unavailable: {0}")]
    Unavailable(String),
    #[error("the billing system refused the request ({status}): {message}")]
    Refused { status: u16, message: String },
}

/// One creditor's amount of one meter for one hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeterEvent<'a> {
    pub event_name: &'a str,
    pub customer: &'a str,
    pub value: i64,
    pub identifier: &'a str,
    pub timestamp: i64,
}

#[allow(async_fn_in_trait)]
pub trait UsageSink {
    /// The billing system's customer for a creditor, made on first use (made once, however often asked).
    async fn customer_for(&self, creditor: &str) -> Result<String, MeteringError>;
    async fn record(&self, event: &MeterEvent<'_>) -> Result<Recorded, MeteringError>;
}
