//! Duly's business logic.
//!
//! Everything that decides something is a pure function over plain data with the current time passed in:
//! [`webhook_signature`] and [`canonical`] turn raw deliveries into facts, [`ledger`] decides what a fact means
//! for an invoice, [`planner`] decides what to send and when, and [`render`] decides the words.
//! The I/O shell around them lives in [`store`] (DynamoDB), [`outbound`] (SES v2 and SNS), and the two
//! orchestrations [`ingest`] and [`scheduler`] that the Lambda functions call.

pub mod answers;
pub mod calendar;
pub mod canonical;
pub mod config;
pub mod connect;
pub mod delivery_events;
pub mod holidays;
pub mod ids;
pub mod ingest;
pub mod ledger;
pub mod links;
pub mod locale;
pub mod model;
pub mod money;
pub mod outbound;
pub mod planner;
pub mod platforms;
pub mod policy;
pub mod precedence;
pub mod render;
pub mod scheduler;
pub mod settings_api;
pub mod sms;
pub mod store;
pub mod sync;
pub mod telemetry;
pub mod tokens;
pub mod vault;
pub mod webhook_signature;
