//! What comes into Duly: webhook deliveries and what the ingest function answers, platform sync and its
//! catch-ups, connecting a platform, the sample events, the fuzz corpus, the rate feed, and the local
//! endpoint they all run on.
//!
//! One test binary per area: each links the whole AWS SDK, so fewer binaries build faster.

mod connect;
mod endpoint;
mod events;
mod fuzz_corpus;
mod ingest;
mod rates;
mod sync;
