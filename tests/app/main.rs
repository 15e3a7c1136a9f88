//! What the creditor and the debtor use: the web app, the settings API and its OpenAPI document, the answer
//! pages, reports, billing, the audit trail, and the roles' permissions in the template.
//!
//! One test binary per area: each links the whole AWS SDK, so fewer binaries build faster.

mod answers;
mod audit;
mod billing;
mod openapi;
mod permissions;
mod report;
mod settings;
mod web;
