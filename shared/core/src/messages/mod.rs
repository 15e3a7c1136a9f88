//! What a debtor reads: the language and its ways with money and dates, the rendered e-mail and SMS, SMS
//! encoding, and the signed links a message carries.

pub mod contrast;
pub mod letter;
pub mod links;
pub mod preview;
pub mod recipients;
pub mod render;
pub mod sms;
pub mod statement;
