//! After the suite: checks what each function used (recorded in the folder given as the first argument)
//! against its role in `infra/template.yaml`, prints every failure and exits non-zero if there is one.

use duly_local::permissions::{check, read_log};

fn main() -> anyhow::Result<()> {
    let folder = std::env::args()
        .nth(1)
        .unwrap_or_else(|| ".local/permission-use".into());
    let uses = read_log(std::path::Path::new(&folder))?;
    let template: serde_yaml_ng::Value = serde_yaml_ng::from_str(&std::fs::read_to_string("infra/template.yaml")?)?;
    let failures = check::check(&template, &uses);
    let functions = uses
        .iter()
        .map(|u| u.function.as_str())
        .collect::<std::collections::BTreeSet<_>>();
    println!(
        "roles as deployed: {} distinct uses by {} functions recorded during the suite",
        uses.len(),
        functions.len()
    );
    for failure in &failures {
        println!("  {failure}");
    }
    if !failures.is_empty() {
        println!(
            "{} permission failures: change infra/template.yaml (or the code) until none is left",
            failures.len()
        );
        std::process::exit(1);
    }
    println!("every use is allowed by its function's role, and every permission is used");
    Ok(())
}
