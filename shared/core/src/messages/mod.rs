//! What a debtor reads: the language and its ways with money and dates, the rendered e-mail and SMS, SMS
//! encoding, and the signed links a message carries.

pub mod contrast;
pub mod links;
pub mod locale;
pub mod preview;
#[cfg(feature = "pseudo-locale")]
pub mod pseudo;
pub mod recipients;
pub mod refusals;
pub mod render;
pub mod sms;
pub mod statement;
