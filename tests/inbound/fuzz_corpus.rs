//! Replays every seed of the fuzz corpus (`tests/fuzz/corpus/{target}/`) through the same code the fuzz
//! targets drive, so that an input a fuzzer once found stays fixed. `make fuzz` runs the fuzzers
//! themselves.

#[path = "../fuzz/drivers.rs"]
mod drivers;

/// Replays a target's corpus; some seeds are signed correctly, so the parsers behind the signature check
/// are reached too.
fn replay(target: &str, drive: fn(&[u8]) -> bool) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let (mut seeds, mut verified) = (0, 0);
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        verified += usize::from(drive(&std::fs::read(&path).unwrap()));
        seeds += 1;
    }
    assert!(seeds >= 3, "{target} has a seed corpus");
    assert!(
        verified >= 1 && verified < seeds,
        "{target}: {verified} of {seeds} seeds verify"
    );
}

#[test]
fn standard_webhooks_corpus() {
    replay("standard_webhooks", drivers::standard_webhooks);
}

#[test]
fn stripe_corpus() {
    replay("stripe", drivers::stripe);
}

#[test]
fn xero_corpus() {
    replay("xero", drivers::xero);
}

#[test]
fn quickbooks_corpus() {
    replay("quickbooks", drivers::quickbooks);
}
