//! Accounting platforms and what their webhooks mean, as canonical facts. Each platform signs differently;
//! each module verifies exactly as the platform documents, over the raw body bytes.

pub mod stripe;
