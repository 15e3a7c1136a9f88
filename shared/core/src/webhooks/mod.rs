//! What arrives: signatures checked over the raw bytes, and the canonical facts every platform's payload
//! is reduced to.

pub mod canonical;
pub mod signature;
