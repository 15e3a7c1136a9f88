//! `duly-verify bundle.json`: checks a collection hand-off bundle with nothing of Duly but this command.
//! It computes every hash in the bundle again and says where it breaks. Exits 0 when the bundle holds, 1
//! when it does not, 2 when it cannot be read.

use std::io::Read;
use std::process::ExitCode;

use duly_core::handoff::proof::verify_json;

/// Far more than any bundle Duly makes; a larger file is not read.
const MAX_BYTES: u64 = 256 << 20;

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: duly-verify bundle.json");
        return ExitCode::from(2);
    };
    let mut json = Vec::new();
    let read = std::fs::File::open(&path).and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut json));
    if let Err(e) = read {
        eprintln!("{}: {e}", path.to_string_lossy());
        return ExitCode::from(2);
    }
    if json.len() as u64 > MAX_BYTES {
        eprintln!("{}: larger than {} MiB", path.to_string_lossy(), MAX_BYTES >> 20);
        return ExitCode::from(2);
    }
    match verify_json(&json) {
        Ok(v) => {
            println!(
                "verified: {} entries of the audit chain ({} of this customer's), {} messages and {} answers checked against what was recorded",
                v.links, v.own_entries, v.messages, v.answers
            );
            if v.messages_not_kept > 0 {
                println!(
                    "{} messages are listed without their content (no longer kept)",
                    v.messages_not_kept
                );
            }
            println!("chain head: {} (compare it with the creditor's audit trail)", v.head);
            ExitCode::SUCCESS
        }
        Err(broken) => {
            println!("broken: {broken}");
            ExitCode::from(1)
        }
    }
}
