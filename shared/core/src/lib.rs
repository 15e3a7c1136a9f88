//! Duly's decisions, as pure functions over plain data with the current time passed in.
//!
//! Nothing here performs I/O: no async runtime, no AWS SDK, no HTTP client (`make lint` checks the
//! dependency tree). [`webhooks`] and [`platforms`] turn raw deliveries and API responses into canonical
//! facts, [`ledger`] decides what a fact means for an invoice, [`policy`] and [`calendar`] say what the
//! creditor allows and when, [`planner`] decides what to send and when, and [`messages`] decides the words.
//! The records they work on are in [`model`], and the languages, formats and words in [`locale`].
//!
//! The modules form layers, each using only its own and those below it (values; records; calendar and
//! precedence; ledger and engines; deciding and saying): `.ci/core_layers.py` lists them and `make lint`
//! fails on an import that runs back up.

pub mod audit;
pub mod billing;
pub mod calendar;
pub mod calls;
pub mod country_rules;
pub mod handoff;
pub mod interest;
pub mod ledger;
pub mod locale;
pub mod messages;
pub mod model;
pub mod notices;
pub mod planner;
pub mod plans;
pub mod platforms;
pub mod policy;
pub mod report;
pub mod retry;
pub mod risk;
pub mod settings;
pub mod text;
pub mod web;
pub mod webhooks;

#[cfg(test)]
mod testing;
