//! The roles' permissions as deployed, tested: what each function's code uses is recorded during the
//! suite (`record`) and checked against its role in the template (`check`).

pub mod check;
pub mod record;

use std::collections::BTreeSet;

/// Every use recorded in `folder`, from every test process.
pub fn read_log(folder: &std::path::Path) -> std::io::Result<BTreeSet<record::Use>> {
    let mut uses = BTreeSet::new();
    for entry in std::fs::read_dir(folder)? {
        let text = std::fs::read_to_string(entry?.path())?;
        for line in text.lines().filter(|l| !l.is_empty()) {
            uses.insert(serde_json::from_str(line).map_err(std::io::Error::other)?);
        }
    }
    Ok(uses)
}
