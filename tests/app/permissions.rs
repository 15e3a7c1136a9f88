//! What each function's role may do, read from `infra/template.yaml` itself: the roles that anyone can
//! reach stay out of tokens and connections, and only the roles that need it can use the key that seals
//! credentials and signing secrets, each for its own purpose.

fn template() -> serde_yaml_ng::Value {
    serde_yaml_ng::from_str(include_str!("../../infra/template.yaml")).expect("infra/template.yaml parses")
}

fn actions(statement: &serde_yaml_ng::Value) -> Vec<String> {
    match &statement["Action"] {
        serde_yaml_ng::Value::Sequence(list) => list.iter().filter_map(|a| a.as_str().map(str::to_string)).collect(),
        other => other.as_str().map(str::to_string).into_iter().collect(),
    }
}

/// The functions that anyone on the internet reaches with a link (answers) or that act on SES's and SNS's
/// word (delivery events) may touch only the partitions their work needs, never an API token's or a
/// connection's; the web app reaches API tokens (a member creates, rotates and revokes them) but never a
/// connection: every DynamoDB statement of their roles on the table is limited by `dynamodb:LeadingKeys`.
#[test]
fn public_facing_roles_cannot_reach_tokens_or_connections() {
    let template = template();
    for (function, allowed) in [
        // The rates the feed fetched, read for the charges on the debtor's own page.
        ("AnswersFunction", vec!["C#*", "LINK#*", "RATES#*"]),
        ("DeliveryEventsFunction", vec!["C#*", "SESMSG#*", "SNSMSG#*"]),
        (
            "WebFunction",
            vec![
                "C#*",
                "MEMBER#*",
                "SIGNIN#*",
                "OIDC#*",
                "SESSION#*",
                "DOMAIN#*",
                "SIGNUP#*",
                "GRANT#*",
                "TOKEN#*",
                "DOMAINTREE#*",
                "INVITE#*",
                "MAILTO#*",
                // The rates the feed fetched, read for the Charges page and previews.
                "RATES#*",
            ],
        ),
    ] {
        let statements = template["Resources"][function]["Properties"]["Policies"][0]["Statement"]
            .as_sequence()
            .unwrap_or_else(|| panic!("{function} has a policy"));
        for statement in statements {
            let actions = actions(statement);
            // `!GetAtt LedgerTable.Arn`: the table itself, not one of its indexes.
            let on_the_table = format!("{:?}", statement["Resource"]).contains("String(\"LedgerTable.Arn\")");
            if !actions.iter().any(|a| a.starts_with("dynamodb:")) || !on_the_table {
                continue;
            }
            let keys = &statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"];
            let keys: Vec<&str> = keys
                .as_sequence()
                .map(|k| k.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            assert!(
                !keys.is_empty() && keys.iter().all(|k| allowed.contains(k)),
                "{function}: {statement:?}"
            );
        }
    }
}

/// The key is used only by the roles its policy names: connect seals, sync opens and renews credentials
/// (never signing secrets), ingest opens signing secrets (never credentials). The account administers
/// the key but cannot encrypt or decrypt with it, and no role's own policy reaches for KMS.
#[test]
fn only_the_named_roles_use_the_credentials_key_each_for_its_purpose() {
    let template = template();
    let statements = template["Resources"]["CredentialsKey"]["Properties"]["KeyPolicy"]["Statement"]
        .as_sequence()
        .expect("the key has a policy");
    // Granting and re-writing the policy are uses too: either hands Decrypt to whoever does it. A wildcard
    // could stand for any of them.
    let uses = |action: &str| {
        action.contains('*')
            || [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncrypt",
                "kms:GenerateDataKey",
                "kms:CreateGrant",
                "kms:PutKeyPolicy",
            ]
            .iter()
            .any(|u| action.starts_with(u))
    };
    let mut users = Vec::new();
    let mut grants_denied = false;
    for statement in statements {
        if statement["Effect"].as_str() == Some("Deny") {
            grants_denied |= actions(statement) == ["kms:CreateGrant"]
                && statement["Condition"]["Bool"]["kms:GrantIsForAWSResource"].as_str() == Some("false");
            continue;
        }
        let used: Vec<String> = actions(statement).into_iter().filter(|a| uses(a)).collect();
        if used.is_empty() {
            continue;
        }
        if format!("{:?}", statement["Principal"]["AWS"]).contains("KeyPolicyAdministrator") {
            assert_eq!(used, ["kms:PutKeyPolicy"], "the deployer only replaces the policy");
            assert_eq!(actions(statement).len(), 1, "{statement:?}");
            users.push("KeyPolicyAdministrator");
            continue;
        }
        let principal = format!("{:?}", statement["Principal"]["AWS"]);
        let role = ["ConnectFunctionRole", "SyncFunctionRole", "IngestFunctionRole"]
            .into_iter()
            .find(|r| principal.contains(&format!("String(\"{r}.Arn\")")))
            .unwrap_or_else(|| panic!("only function roles named by the policy use the key: {statement:?}"));
        let condition = &statement["Condition"];
        assert_eq!(
            condition["StringLike"]["kms:EncryptionContext:duly:connection"].as_str(),
            Some("*"),
            "bound to a connection: {statement:?}"
        );
        let purpose = condition["StringEquals"]["kms:EncryptionContext:duly:purpose"].as_str();
        let no_purpose = condition["Null"]["kms:EncryptionContext:duly:purpose"].as_str() == Some("true");
        match role {
            "ConnectFunctionRole" => assert_eq!(used, ["kms:Encrypt"], "connect only seals"),
            "SyncFunctionRole" => assert!(
                no_purpose && purpose.is_none(),
                "sync opens credentials only: {statement:?}"
            ),
            _ => {
                assert_eq!(used, ["kms:Decrypt"], "ingest only opens");
                assert_eq!(purpose, Some("webhook-signing"), "ingest opens signing secrets only");
            }
        }
        users.push(role);
    }
    users.sort();
    assert_eq!(
        users,
        [
            "ConnectFunctionRole",
            "IngestFunctionRole",
            "KeyPolicyAdministrator",
            "SyncFunctionRole"
        ]
    );
    assert!(grants_denied, "grants are denied but for AWS services");

    for (name, resource) in template["Resources"].as_mapping().unwrap() {
        for statement in resource["Properties"]["Policies"][0]["Statement"]
            .as_sequence()
            .into_iter()
            .flatten()
        {
            assert!(
                !actions(statement).iter().any(|a| a.starts_with("kms:")),
                "{name:?}: KMS is granted by the key policy alone"
            );
        }
    }
}

/// The deployment's default prices are the ones the functions fall back on, and parse.
#[test]
fn the_templates_price_list_is_the_functions_default() {
    let template = template();
    let default = template["Parameters"]["PriceList"]["Default"].as_str().unwrap();
    assert_eq!(default, duly_core::billing::DEFAULT_PRICES);
    duly_core::billing::PriceList::parse(default).unwrap();
    for function in ["SchedulerFunction", "SettingsFunction", "WebFunction"] {
        let prices = &template["Resources"][function]["Properties"]["Environment"]["Variables"]["DULY_PRICES"];
        assert!(!prices.is_null(), "{function} is given the price list");
    }
}

/// A service may invoke a function only from the resource meant to: without `SourceArn`, any log
/// subscription (or bucket, or rule) in the account could feed it made-up events.
#[test]
fn every_invoke_permission_names_its_source() {
    let template = template();
    let mut permissions = 0;
    for (name, resource) in template["Resources"].as_mapping().unwrap() {
        if resource["Type"].as_str() != Some("AWS::Lambda::Permission") {
            continue;
        }
        permissions += 1;
        let properties = &resource["Properties"];
        if properties["FunctionUrlAuthType"].as_str().is_some() {
            continue;
        }
        assert!(!properties["SourceArn"].is_null(), "{name:?} names no SourceArn");
    }
    assert!(permissions >= 2, "the SMS log groups' permissions are found");
}
