//! Duly's flows, one module each: they read through the adapters, ask the core what to do, and write or
//! send what it decided. The Lambda functions only translate events into calls of these.

pub mod answers;
pub mod audit;
pub mod billing;
pub mod config;
pub mod connect;
pub mod delivery_events;
pub mod errors;
pub mod function_url;
pub mod ingest;
pub mod letter;
pub mod notify;
pub mod page_headers;
pub mod rate_feed;
pub mod scheduler;
pub mod settings;
pub mod sync;
pub mod web;
