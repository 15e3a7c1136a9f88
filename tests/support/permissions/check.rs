//! Checks what the functions used during the suite against their roles in `infra/template.yaml`: a use no
//! statement of the function's role allows is a failure once deployed (the emulators would never say so),
//! and a statement, action or leading key that nothing used is a permission to take away.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml_ng::Value;

use super::record::Use;

/// The functions whose code the suite runs, by their names in the template.
pub const FUNCTIONS: [&str; 11] = [
    "IngestFunction",
    "SchedulerFunction",
    "WorkerFunction",
    "SettingsFunction",
    "AnswersFunction",
    "DeliveryEventsFunction",
    "SyncFunction",
    "ConnectFunction",
    "WebFunction",
    "BillingFunction",
    "RatesFunction",
];

/// One Allow statement of a role, reduced to what the check compares.
#[derive(Debug, Clone)]
pub struct Grant {
    pub sid: String,
    pub actions: Vec<String>,
    /// `table`, `index/{name}`, `stream`, or `other` (a queue, an identity, a parameter…).
    pub resources: Vec<String>,
    pub leading_keys: Option<Vec<String>>,
}

/// `*` matches any run of characters, as IAM's `StringLike` and action wildcards do.
pub fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            text.starts_with(head)
                && (0..=text.len() - head.len())
                    .any(|i| text.is_char_boundary(head.len() + i) && glob(tail, &text[head.len() + i..]))
        }
    }
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(list) => list.iter().flat_map(strings).collect(),
        Value::String(s) => vec![s.clone()],
        Value::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let inner = match &tagged.value {
                Value::String(s) => s.clone(),
                other => format!("{other:?}"),
            };
            vec![format!("{tag} {inner}")]
        }
        _ => Vec::new(),
    }
}

/// What a statement's resource is, in the terms a recorded use names.
fn resource_kind(resource: &str) -> String {
    if resource.contains("LedgerTable.StreamArn") {
        return "stream".into();
    }
    if resource.contains("LedgerTable.Arn") {
        return match resource.split_once("/index/") {
            Some((_, index)) => format!("index/{}", index.trim_end_matches('"')),
            None => "table".into(),
        };
    }
    "other".into()
}

fn grant(statement: &Value) -> Option<Grant> {
    if statement["Effect"].as_str() != Some("Allow") {
        return None;
    }
    let keys = &statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"];
    Some(Grant {
        sid: statement["Sid"].as_str().unwrap_or_default().to_string(),
        actions: strings(&statement["Action"]),
        resources: strings(&statement["Resource"])
            .iter()
            .map(|r| resource_kind(r))
            .collect(),
        leading_keys: (!keys.is_null()).then(|| strings(keys)),
    })
}

/// The Allow statements of a function's role, its managed policies' included.
pub fn grants(template: &Value, function: &str) -> Vec<Grant> {
    let resources = &template["Resources"];
    let mut out = Vec::new();
    for policy in resources[function]["Properties"]["Policies"]
        .as_sequence()
        .into_iter()
        .flatten()
    {
        let document = match policy {
            Value::Tagged(tagged) if tagged.tag == "!Ref" => {
                let name = tagged.value.as_str().unwrap_or_default();
                &resources[name]["Properties"]["PolicyDocument"]
            }
            document => document,
        };
        out.extend(
            document["Statement"]
                .as_sequence()
                .into_iter()
                .flatten()
                .filter_map(grant),
        );
    }
    out
}

/// What the credentials key's policy lets `function`'s role do with the key.
pub fn key_grants(template: &Value, function: &str) -> Vec<String> {
    let role = format!("{function}Role.Arn");
    template["Resources"]["CredentialsKey"]["Properties"]["KeyPolicy"]["Statement"]
        .as_sequence()
        .into_iter()
        .flatten()
        .filter(|s| s["Effect"].as_str() == Some("Allow"))
        .filter(|s| strings(&s["Principal"]["AWS"]).iter().any(|p| p.contains(&role)))
        .flat_map(|s| strings(&s["Action"]))
        .collect()
}

/// Statements Lambda itself exercises with the function's role, which no handler's code calls: reading the
/// table's stream, sending a failed batch to its failure queue, taking the work queue's messages, and
/// what `main.rs` reads once at a cold start.
fn used_by_lambda(function: &str, grant: &Grant) -> bool {
    grant.resources.iter().all(|r| r == "stream")
        || grant.sid == "ReportFailedBatches"
        || (function == "WorkerFunction" && grant.actions.iter().all(|a| a.starts_with("sqs:")))
        || grant.actions.iter().all(|a| a.starts_with("ssm:"))
}

fn allows(grant: &Grant, used: &Use) -> bool {
    let action = grant.actions.iter().any(|a| glob(a, &used.action));
    let resource = !used.action.starts_with("dynamodb:") || grant.resources.iter().any(|r| glob(r, &used.resource));
    let key = match (&grant.leading_keys, &used.leading_key) {
        (None, _) => true,
        (Some(patterns), Some(key)) => patterns.iter().any(|p| glob(p, &format!("{key}x"))),
        (Some(_), None) => used.resource != "table",
    };
    action && resource && key
}

/// The failures: uses no statement allows, and statements, actions or leading keys nothing used.
pub fn check(template: &Value, uses: &BTreeSet<Use>) -> Vec<String> {
    let mut failures = Vec::new();
    let mut by_function: BTreeMap<&str, Vec<&Use>> = BTreeMap::new();
    for u in uses {
        by_function.entry(u.function.as_str()).or_default().push(u);
    }
    for function in FUNCTIONS {
        // The worker runs the scheduler's code for a batch: the suite runs both as the scheduler, and the
        // worker's role is the scheduler's without the tick's dispatching.
        let recorded: Vec<&Use> = match function {
            "WorkerFunction" => by_function
                .get("SchedulerFunction")
                .into_iter()
                .flatten()
                .copied()
                .filter(|u| !u.action.starts_with("sqs:"))
                .collect(),
            f => by_function.get(f).cloned().unwrap_or_default(),
        };
        if recorded.is_empty() {
            failures.push(format!("{function}: the suite recorded nothing it did"));
            continue;
        }
        let grants = grants(template, function);
        let key_actions = key_grants(template, function);
        for u in &recorded {
            let allowed = match u.action.starts_with("kms:") {
                true => key_actions.iter().any(|a| glob(a, &u.action)),
                false => grants.iter().any(|g| allows(g, u)),
            };
            if !allowed {
                failures.push(format!(
                    "{function} lacks {} on {}{}",
                    u.action,
                    if u.resource.is_empty() {
                        "its resource"
                    } else {
                        &u.resource
                    },
                    u.leading_key
                        .as_deref()
                        .map(|k| format!(" for keys {k}…"))
                        .unwrap_or_default()
                ));
            }
        }
        for g in grants.iter().filter(|g| !used_by_lambda(function, g)) {
            for action in &g.actions {
                let used = recorded.iter().any(|u| {
                    glob(action, &u.action)
                        && (!u.action.starts_with("dynamodb:") || g.resources.iter().any(|r| glob(r, &u.resource)))
                });
                if !used {
                    failures.push(format!("{function} has {action} ({}) that its code never uses", g.sid));
                }
            }
            for pattern in g.leading_keys.iter().flatten() {
                let used = recorded
                    .iter()
                    .any(|u| allows(g, u) && u.leading_key.as_ref().is_some_and(|k| glob(pattern, &format!("{k}x"))));
                if !used {
                    failures.push(format!(
                        "{function} may reach keys {pattern} ({}) that its code never uses",
                        g.sid
                    ));
                }
            }
        }
        for action in &key_actions {
            if !recorded.iter().any(|u| glob(action, &u.action)) {
                failures.push(format!(
                    "{function} may {action} with the credentials key and never does"
                ));
            }
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template() -> Value {
        serde_yaml_ng::from_str(include_str!("../../../infra/template.yaml")).unwrap()
    }

    fn used(function: &str, action: &str, resource: &str, key: Option<&str>) -> Use {
        Use {
            function: function.into(),
            action: action.into(),
            resource: resource.into(),
            leading_key: key.map(str::to_string),
        }
    }

    #[test]
    fn globs_match_as_iam_does() {
        assert!(glob("C#*", "C#x"));
        assert!(!glob("C#*", "TOKEN#x"));
        assert!(glob("dynamodb:*", "dynamodb:GetItem"));
        assert!(glob("index/*", "index/due"));
        assert!(!glob("index/due", "index/sync"));
    }

    #[test]
    fn a_use_outside_the_role_and_a_grant_nothing_uses_both_fail() {
        let template = template();
        let grants = grants(&template, "WebFunction");
        let token = used("WebFunction", "dynamodb:PutItem", "table", Some("TOKEN#"));
        let member = used("WebFunction", "dynamodb:PutItem", "table", Some("MEMBER#"));
        let connection = used("WebFunction", "dynamodb:GetItem", "table", Some("CONNECTION#"));
        assert!(grants.iter().any(|g| allows(g, &member)));
        assert!(
            !grants.iter().any(|g| allows(g, &connection)),
            "the web role never reads a connection"
        );
        let uses: BTreeSet<Use> = [token, member, connection].into_iter().collect();
        let failures = check(&template, &uses);
        assert!(
            failures
                .iter()
                .any(|f| f.starts_with("WebFunction lacks dynamodb:GetItem on table for keys CONNECTION#")),
            "{failures:#?}"
        );
        assert!(
            failures.iter().any(|f| f.starts_with("WebFunction has dynamodb:Query")),
            "{failures:#?}"
        );
        assert!(
            failures
                .iter()
                .any(|f| f == "IngestFunction: the suite recorded nothing it did"),
            "{failures:#?}"
        );
    }

    #[test]
    fn the_key_policy_grants_kms_use_by_role() {
        let template = template();
        assert!(key_grants(&template, "SyncFunction").contains(&"kms:Decrypt".to_string()));
        assert!(key_grants(&template, "WebFunction").is_empty());
    }
}
