//! What goes out: the scheduler and its fan-out, the cadence, the messages debtors receive, notices to the
//! creditor, SES events coming back, and delivery through faults, crashes and concurrent runs.
//!
//! One test binary per area: each links the whole AWS SDK, so fewer binaries build faster.

mod at_least_once;
mod cadence;
mod delivery_events;
mod fanout;
mod messages;
mod notices;
mod preview_screenshot;
mod reliability;
mod scheduler;
