//! The settings API against the local DynamoDB: authentication, precedence, controls that stop or defer the
//! plan at once, and policy changes that recompute the due index without a scan.

use serde_json::json;

use duly_core::model::ids::{DebtorId, InvoiceId};
use duly_local::fixtures::facts;
use duly_local::fixtures::nordwind;
use duly_local::{at, Local};

const T: &str = "2026-11-16T09:00:00Z";
const NOW: &str = "2026-11-20T10:00:00Z";

/// A debtor in Tallinn with an open invoice due Tuesday 1 December 2026, planned by one scheduler run.
async fn seed(local: &Local) {
    local
        .deliver(
            "c1",
            &facts::contact_in_groups("cus-1", "ap@tamm.example", None, &["Wholesale"], T),
            at(T),
        )
        .await;
    local
        .deliver(
            "i1",
            &facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", T),
            at(T),
        )
        .await;
    duly_scheduler::handle(&local.scheduler, at(NOW)).await.unwrap();
}

async fn next_action(local: &Local, id: &str) -> Option<String> {
    let inv = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse(id).unwrap())
        .await
        .unwrap()
        .unwrap();
    inv.next_action_at.map(|t| t.to_rfc3339())
}

#[tokio::test]
async fn every_route_needs_the_creditors_token_and_sees_only_its_data() {
    let local = Local::new("settings-auth").await;
    seed(&local).await;
    let (status, body) = local
        .api("GET", "/v1/settings", None, Some("duly_not-a-token"), at(NOW))
        .await;
    assert_eq!((status, body["error"].as_str()), (401, Some("unauthorized")));
    let unknown = duly_core::model::tokens::issue();
    assert_eq!(
        local.api("GET", "/v1/settings", None, Some(&unknown), at(NOW)).await.0,
        401
    );

    // Another creditor in the same table, with its own token, cannot see this creditor's invoice.
    let other = duly_local::fixtures::creditor("rival");
    local.store.put_creditor(&other).await.unwrap();
    let rival_token = duly_core::model::tokens::issue();
    local
        .store
        .put_token(&other.creditor_id, &rival_token, "test")
        .await
        .unwrap();
    let (status, _) = local
        .api("GET", "/v1/invoices/1001/plan", None, Some(&rival_token), at(NOW))
        .await;
    assert_eq!(status, 404);
    let (status, _) = local
        .api(
            "PUT",
            "/v1/invoices/1001/dispute",
            Some(json!({"reason": "x"})),
            Some(&rival_token),
            at(NOW),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await.0,
        200
    );
    let (status, settings) = local
        .api("GET", "/v1/settings", None, Some(&rival_token), at(NOW))
        .await;
    assert_eq!((status, settings["creditor_id"].as_str()), (200, Some("rival")));
}

#[tokio::test]
async fn the_plan_says_what_will_be_sent_when_and_why() {
    let local = Local::new("settings-plan").await;
    seed(&local).await;
    let (status, plan) = local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await;
    assert_eq!(status, 200, "{plan}");
    assert_eq!(plan["reminders"]["decided_by"], "creditor");
    let planned = plan["planned"].as_array().unwrap();
    assert_eq!(planned.len(), 3);
    assert_eq!(planned[0]["step_id"], "before-3");
    assert_eq!(planned[0]["at"], "2026-11-30T07:00:00Z");
    assert_eq!(planned[0]["channels"], json!(["email"]));
    // Worded in the creditor's language, Estonian, since the caller asked for none.
    let rule = planned[0]["rule"].as_str().unwrap();
    assert!(
        rule.contains("nihutatud kuupäevalt 28.11.2026 (nädalavahetus) järgmisele tööpäevale")
            && rule.contains("30.11.2026 09:00 Europe/Tallinn"),
        "{rule}"
    );
    assert_eq!(plan["next_look"], "2026-11-30T07:00:00Z");
}

/// The creditor says where a debtor is when the platform does not: the plan moves to the debtor's hours
/// (09:00 in Warsaw is 08:00 UTC, in Tallinn 07:00), a group's place applies to its debtors, the debtor's
/// own wins over the group's, and bad values are refused with the field named.
#[tokio::test]
async fn a_debtors_place_moves_their_plan_to_their_hours() {
    let local = Local::new("settings-place").await;
    seed(&local).await;
    let first_at = |plan: &serde_json::Value| plan["planned"][0]["at"].as_str().unwrap_or_default().to_string();
    let (_, plan) = local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await;
    assert_eq!(first_at(&plan), "2026-11-30T07:00:00Z");

    let body = json!({"country": "Poland", "language": "pl"});
    let (status, reply) = local
        .api("PUT", "/v1/debtors/cus-1/place", Some(body), None, at(NOW))
        .await;
    assert_eq!((status, reply["replanned"].as_u64()), (200, Some(1)), "{reply}");
    let (_, plan) = local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await;
    assert_eq!(first_at(&plan), "2026-11-30T08:00:00Z", "{plan}");
    assert!(
        plan["planned"][0]["rule"].as_str().unwrap().contains("Europe/Warsaw"),
        "{plan}"
    );
    let debtor = local
        .store
        .get_debtor(&nordwind(), &DebtorId::parse("cus-1").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        debtor.controls.place.country.as_deref(),
        Some("PL"),
        "stored as its code"
    );

    // A group's place, then the debtor's own over it.
    let group = json!({"enabled": true, "place": {"time_zone": "Europe/London"}});
    let (status, reply) = local.api("PUT", "/v1/groups/uk", Some(group), None, at(NOW)).await;
    assert_eq!(status, 200, "{reply}");
    let (status, _) = local
        .api(
            "PUT",
            "/v1/debtors/cus-1/group",
            Some(json!({"group": "uk"})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(status, 200);
    let (_, plan) = local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await;
    assert_eq!(
        first_at(&plan),
        "2026-11-30T08:00:00Z",
        "the debtor's country still wins: {plan}"
    );
    local
        .api("PUT", "/v1/debtors/cus-1/place", Some(json!({})), None, at(NOW))
        .await;
    let (_, plan) = local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await;
    assert_eq!(
        first_at(&plan),
        "2026-11-30T09:00:00Z",
        "the group's London hours: {plan}"
    );

    for (body, status, field) in [
        (json!({"language": "sv"}), 422, "place.language"),
        (json!({"country": "Atlantis"}), 422, "place.country"),
        (json!({"time_zone": "Mars/Olympus"}), 400, ""),
        (json!({"region": "x"}), 400, ""),
    ] {
        let (got, reply) = local
            .api("PUT", "/v1/debtors/cus-1/place", Some(body.clone()), None, at(NOW))
            .await;
        assert_eq!(got, status, "{body}: {reply}");
        assert!(
            reply["field"].as_str().unwrap_or_default().contains(field),
            "{body}: {reply}"
        );
    }
}

#[tokio::test]
async fn a_dispute_stops_the_plan_at_once_and_resolving_it_replans() {
    let local = Local::new("settings-dispute").await;
    seed(&local).await;
    assert_eq!(
        next_action(&local, "1001").await.as_deref(),
        Some("2026-11-30T07:00:00+00:00")
    );

    let (status, body) = local
        .api(
            "PUT",
            "/v1/invoices/1001/dispute",
            Some(json!({"reason": "wrong quantity"})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!((status, body["replanned"].as_u64()), (200, Some(1)));
    assert_eq!(next_action(&local, "1001").await, None, "off the due index");
    let (_, plan) = local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await;
    assert!(plan["planned"].as_array().unwrap().is_empty());
    assert!(plan["nothing_because"].as_str().unwrap().contains("wrong quantity"));
    assert_eq!(
        duly_scheduler::handle(&local.scheduler, at("2026-11-30T07:15:00Z"))
            .await
            .unwrap()
            .sent,
        0
    );

    assert_eq!(
        local
            .api("DELETE", "/v1/invoices/1001/dispute", None, None, at(NOW))
            .await
            .0,
        200
    );
    assert_eq!(
        next_action(&local, "1001").await.as_deref(),
        Some("2026-11-30T07:00:00+00:00")
    );
}

#[tokio::test]
async fn a_promise_defers_until_the_date_plus_grace() {
    let local = Local::new("settings-promise").await;
    seed(&local).await;
    let (status, _) = local
        .api(
            "PUT",
            "/v1/invoices/1001/promise",
            Some(json!({"date": "2026-12-04"})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(status, 200);
    // 4 December plus three grace days is Monday 7 December, 09:00 in Tallinn.
    assert_eq!(
        next_action(&local, "1001").await.as_deref(),
        Some("2026-12-07T07:00:00+00:00")
    );
    let (status, body) = local
        .api(
            "PUT",
            "/v1/invoices/1001/promise",
            Some(json!({"date": "2020-01-01"})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!((status, body["error"].as_str()), (422, Some("invalid")));
}

#[tokio::test]
async fn precedence_runs_invoice_then_debtor_then_group_then_creditor() {
    let local = Local::new("settings-precedence").await;
    seed(&local).await;
    let decided = |plan: &serde_json::Value| {
        (
            plan["reminders"]["on"].as_bool().unwrap(),
            plan["reminders"]["decided_by"].as_str().unwrap().to_string(),
        )
    };

    // The contact's platform group "Wholesale" maps to the group, which is switched off.
    let group = json!({"enabled": false, "platform_groups": ["Wholesale"]});
    assert_eq!(
        local
            .api("PUT", "/v1/groups/wholesale", Some(group), None, at(NOW))
            .await
            .0,
        200
    );
    let (_, plan) = local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await;
    assert_eq!(decided(&plan), (false, "group".into()));
    assert_eq!(next_action(&local, "1001").await, None);

    // The debtor switched on overrides the group.
    let on = json!({"on": true, "reason": "agreed with the customer"});
    assert_eq!(
        local
            .api("PUT", "/v1/debtors/cus-1/reminders", Some(on), None, at(NOW))
            .await
            .0,
        200
    );
    let (_, plan) = local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await;
    assert_eq!(decided(&plan), (true, "debtor".into()));
    assert!(next_action(&local, "1001").await.is_some());

    // The invoice paused until a date overrides the debtor; after the date the debtor's choice applies.
    let pause = json!({"on": false, "until": "2026-12-03", "reason": "awaiting a corrected delivery note"});
    assert_eq!(
        local
            .api("PUT", "/v1/invoices/1001/reminders", Some(pause), None, at(NOW))
            .await
            .0,
        200
    );
    let (_, plan) = local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await;
    assert_eq!(decided(&plan), (false, "invoice".into()));
    assert_eq!(
        plan["planned"][0]["at"], "2026-12-03T07:00:00Z",
        "resumes on the date, latest step first"
    );
    assert_eq!(
        next_action(&local, "1001").await.as_deref(),
        Some("2026-12-03T07:00:00+00:00")
    );

    // Removing the group falls back to the creditor's default.
    assert_eq!(
        local
            .api("DELETE", "/v1/debtors/cus-1/reminders", None, None, at(NOW))
            .await
            .0,
        200
    );
    assert_eq!(
        local
            .api("DELETE", "/v1/invoices/1001/reminders", None, None, at(NOW))
            .await
            .0,
        200
    );
    assert_eq!(
        local.api("DELETE", "/v1/groups/wholesale", None, None, at(NOW)).await.0,
        200
    );
    let (_, plan) = local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await;
    assert_eq!(decided(&plan), (true, "creditor".into()));
}

#[tokio::test]
async fn a_policy_change_recomputes_every_affected_due_entry_without_a_scan() {
    let local = Local::new("settings-policy").await;
    local
        .deliver("c1", &facts::contact("cus-1", "ap@tamm.example", None, T), at(T))
        .await;
    local
        .deliver("c2", &facts::contact("cus-2", "ap@liepa.example", None, T), at(T))
        .await;
    for (i, debtor) in ["cus-1", "cus-2", "cus-1", "cus-2", "cus-1"].iter().enumerate() {
        let body = facts::invoice(&format!("{i}"), debtor, "100.00", "100.00", "2026-12-01", "open", T);
        local.deliver(&format!("i{i}"), &body, at(T)).await;
    }
    duly_scheduler::handle(&local.scheduler, at(NOW)).await.unwrap();
    for i in 0..5 {
        assert_eq!(
            next_action(&local, &i.to_string()).await.as_deref(),
            Some("2026-11-30T07:00:00+00:00")
        );
    }

    let mut policy: serde_json::Value = local.api("GET", "/v1/settings", None, None, at(NOW)).await.1["policy"].clone();
    policy["steps"][0]["offset"] = json!({"unit": "calendar_days", "days": -7});
    local.counter.reset();
    let (status, body) = local.api("PUT", "/v1/policy", Some(policy), None, at(NOW)).await;
    assert_eq!((status, body["replanned"].as_u64()), (200, Some(5)), "{body}");
    let operations = local.counter.operations();
    assert!(!operations.iter().any(|op| op == "Scan"), "{operations:?}");
    assert!(
        operations.iter().any(|op| op == "Query"),
        "found through the by-creditor index"
    );
    for i in 0..5 {
        // Seven days before 1 December is Tuesday 24 November.
        assert_eq!(
            next_action(&local, &i.to_string()).await.as_deref(),
            Some("2026-11-24T07:00:00+00:00")
        );
    }

    let mut bad = local.api("GET", "/v1/settings", None, None, at(NOW)).await.1["policy"].clone();
    bad["window"]["start"] = json!("06:00:00");
    let (status, body) = local.api("PUT", "/v1/policy", Some(bad), None, at(NOW)).await;
    assert_eq!((status, body["error"].as_str()), (422, Some("invalid")));
    assert_eq!(body["field"], "window", "{body}");
}

#[tokio::test]
async fn an_opt_out_leaves_only_the_other_channel() {
    let local = Local::new("settings-opt-out").await;
    local
        .deliver(
            "c1",
            &facts::contact("cus-1", "ap@tamm.example", Some("+37255500001"), T),
            at(T),
        )
        .await;
    local
        .deliver(
            "i1",
            &facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", T),
            at(T),
        )
        .await;
    assert_eq!(
        local
            .api(
                "PUT",
                "/v1/debtors/cus-1/opt-out",
                Some(json!({"channels": ["sms"]})),
                None,
                at(NOW)
            )
            .await
            .0,
        200
    );
    let (_, plan) = local.api("GET", "/v1/invoices/1001/plan", None, None, at(NOW)).await;
    assert_eq!(plan["planned"][1]["step_id"], "after-1");
    assert_eq!(plan["planned"][1]["channels"], json!(["email"]));
    assert_eq!(
        local
            .api(
                "PUT",
                "/v1/debtors/nobody/opt-out",
                Some(json!({"channels": []})),
                None,
                at(NOW)
            )
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn malformed_and_unknown_requests_get_clear_answers() {
    let local = Local::new("settings-bad").await;
    seed(&local).await;
    let (status, body) = local
        .api(
            "PUT",
            "/v1/invoices/1001/dispute",
            Some(json!({"reson": "typo"})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!((status, body["error"].as_str()), (400, Some("malformed")));
    assert_eq!(local.api("GET", "/v1/nothing", None, None, at(NOW)).await.0, 404);
    assert_eq!(
        local
            .api("GET", "/v1/invoices/missing/plan", None, None, at(NOW))
            .await
            .0,
        404
    );
    let (status, body) = local
        .api(
            "PUT",
            "/v1/debtors/cus-1/group",
            Some(json!({"group": "nope"})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!((status, body["reason"].as_str()), (404, Some("no such group")));
}

#[tokio::test]
async fn a_preview_renders_any_step_in_any_language_without_sending() {
    let local = Local::new("settings-preview").await;
    let sent_before = duly_local::moto::sent_emails().await.len();
    let (status, preview) = local
        .api(
            "POST",
            "/v1/preview",
            Some(json!({"language": "lt", "step": "after-7"})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(status, 200, "{preview}");
    assert!(
        preview["subject"].as_str().unwrap().starts_with("Antras priminimas"),
        "{}",
        preview["subject"]
    );
    assert!(preview["html"]
        .as_str()
        .unwrap()
        .contains("https://nordwind.example/brand/logo.png"));
    assert!(preview["sms_segments"].as_u64().unwrap() <= 2);
    assert_eq!(preview["sms_encoding"], "ucs-2");
    let (status, preview) = local
        .api(
            "POST",
            "/v1/preview",
            Some(json!({"language": "en", "tone": "friendly", "debtor_name": "Acme Ltd",
                        "invoices": [{"number": "A-1", "amount_due": "10.00", "currency": "EUR", "due_date": "2026-11-25"}]})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(status, 200);
    assert!(preview["text"].as_str().unwrap().contains("Dear Acme Ltd,"));
    assert_eq!(preview["optional"], true, "a pre-due nudge may be unsubscribed from");
    let (status, statement) = local
        .api(
            "POST",
            "/v1/preview",
            Some(json!({"language": "pl", "tone": "statement"})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(status, 200, "{statement}");
    assert!(
        statement["subject"].as_str().unwrap().starts_with("Wyciąg z konta"),
        "{statement}"
    );
    let mut policy = serde_json::to_value(duly_core::policy::Policy::default()).unwrap();
    policy["steps"].as_array_mut().unwrap().push(
        json!({"id": "call-20", "offset": {"unit": "business_days", "days": 20}, "tone": "firm", "channels": [], "call": true}),
    );
    assert_eq!(local.api("PUT", "/v1/policy", Some(policy), None, at(NOW)).await.0, 200);
    let (status, refused) = local
        .api(
            "POST",
            "/v1/preview",
            Some(json!({"language": "en", "step": "call-20"})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(
        (status, refused["field"].as_str(), refused["reason"].as_str()),
        (
            422,
            Some("step"),
            Some("kõne samm ei saada sõnumit: selle tekst on kõne juures")
        )
    );
    assert_eq!(
        duly_local::moto::sent_emails().await.len(),
        sent_before,
        "nothing was sent"
    );
    let (status, _) = local
        .api(
            "POST",
            "/v1/preview",
            Some(json!({"language": "xx", "tone": "firm"})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn branding_shows_the_domains_state_and_refuses_bad_values() {
    let local = Local::new("settings-branding").await;
    let (status, branding) = local.api("GET", "/v1/branding", None, None, at(NOW)).await;
    assert_eq!((status, branding["from_domain_verified"].as_bool()), (200, Some(true)));
    let mut changed = branding.clone();
    changed.as_object_mut().unwrap().remove("from_domain_verified");
    changed["from_address"] = json!("ar@unverified.example");
    let (status, after) = local
        .api("PUT", "/v1/branding", Some(changed.clone()), None, at(NOW))
        .await;
    assert_eq!(
        (status, after["from_domain_verified"].as_bool()),
        (200, Some(false)),
        "{after}"
    );
    changed["brand_colour"] = json!("red");
    let (status, body) = local
        .api("PUT", "/v1/branding", Some(changed.clone()), None, at(NOW))
        .await;
    assert_eq!(
        (status, body["field"].as_str(), body["code"].as_str()),
        (422, Some("brand_colour"), Some("invalid-colour"))
    );
    // Asked in no language, the reason is in the creditor's (Estonian); asked in English, in English. The
    // field and the code stay as they are.
    assert_eq!(body["reason"], "värv kujul #rrggbb, näiteks #1f6feb", "{body}");
    let (status, body) = local
        .api_in("en-GB,en;q=0.8", "PUT", "/v1/branding", Some(changed), at(NOW))
        .await;
    assert_eq!(
        (status, body["code"].as_str(), body["reason"].as_str()),
        (
            422,
            Some("invalid-colour"),
            Some("a colour written as #rrggbb, e.g. #1f6feb")
        )
    );
}

#[tokio::test]
async fn a_template_override_is_checked_when_saved_and_used_when_sending() {
    let local = Local::new("settings-template").await;
    let bad = json!({"source": "{{ sms_text }}\n{{ no_such_thing }}"});
    let (status, body) = local.api("PUT", "/v1/templates/en/sms", Some(bad), None, at(NOW)).await;
    assert_eq!(status, 422);
    assert!(
        body["field"] == "template" && body["reason"].as_str().unwrap().starts_with("rida 2:"),
        "{body}"
    );
    let good = json!({"source": "{{ sms_text }} Questions? +372 555 0000"});
    assert_eq!(
        local
            .api("PUT", "/v1/templates/en/sms", Some(good), None, at(NOW))
            .await
            .0,
        200
    );
    let (_, preview) = local
        .api(
            "POST",
            "/v1/preview",
            Some(json!({"language": "en", "tone": "firm"})),
            None,
            at(NOW),
        )
        .await;
    assert!(
        preview["sms"].as_str().unwrap().ends_with("Questions? +372 555 0000"),
        "{}",
        preview["sms"]
    );
    assert_eq!(
        local.api("DELETE", "/v1/templates/en/sms", None, None, at(NOW)).await.0,
        200
    );
    assert_eq!(
        local.api("DELETE", "/v1/templates/en/sms", None, None, at(NOW)).await.0,
        404
    );
}

/// DynamoDB answers a query one megabyte at a time: a creditor's lists (answers, dead letters, sync jobs)
/// are read to the end, not to the first page.
#[tokio::test]
async fn lists_longer_than_one_dynamodb_page_are_read_to_the_end() {
    let local = Local::new("settings-long-lists").await;
    let debtor = duly_core::model::ids::DebtorId::parse("cus-1").unwrap();
    let detail = "d".repeat(4000);
    let mut writes = tokio::task::JoinSet::new();
    for i in 0..300 {
        let (store, debtor, detail) = (local.store.clone(), debtor.clone(), detail.clone());
        writes.spawn(async move {
            let at = at(NOW) + chrono::Duration::seconds(i);
            store
                .record_answer(&nordwind(), &debtor, "dispute", &[], &detail, at)
                .await
                .unwrap();
        });
    }
    while let Some(done) = writes.join_next().await {
        done.unwrap();
    }
    assert_eq!(local.store.answers(&nordwind()).await.unwrap().len(), 300);
}

/// A deployment offers statutory interest only under the laws whose rates its operator keeps current: the
/// others are refused with the reason and nothing is saved; the compensation needs no rate table.
#[tokio::test]
async fn statutory_interest_is_refused_under_a_law_the_deployment_does_not_offer() {
    let mut local = Local::new("settings-interest-offered").await;
    local.settings.interest_countries = duly_core::interest::Offered::parse("LV,LT");
    let (status, refused) = local
        .api(
            "PUT",
            "/v1/late-charges",
            Some(json!({"interest": true})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    let reason = refused["reason"].as_str().unwrap();
    assert!(refused["field"] == "interest" && reason.contains("EE"), "{reason}");
    let (_, creditor) = local.api("GET", "/v1/settings", None, None, at(NOW)).await;
    assert_ne!(
        creditor["late_charges"]["interest"],
        json!(true),
        "nothing saved: {creditor}"
    );

    let (status, saved) = local
        .api(
            "PUT",
            "/v1/late-charges",
            Some(json!({"interest": true, "compensation": true, "country": "LV"})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    let (status, saved) = local
        .api(
            "PUT",
            "/v1/late-charges",
            Some(json!({"compensation": true})),
            None,
            at(NOW),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
}

/// Unlikely to pay: a customer whose invoice is two months late is listed once their points reach the
/// creditor's threshold, with the reason for every point; one who is not late is not.
#[tokio::test]
async fn debtors_unlikely_to_pay_are_listed_with_their_reasons() {
    let local = Local::new("settings-at-risk").await;
    let t = "2026-09-01T09:00:00Z";
    for (i, due, amount) in [(1, "2026-10-01", "6000.00"), (2, "2026-12-10", "100.00")] {
        local
            .deliver(
                &format!("c{i}"),
                &facts::contact_in_groups(&format!("cus-{i}"), &format!("ap{i}@tamm.example"), None, &[], t),
                at(t),
            )
            .await;
        local
            .deliver(
                &format!("i{i}"),
                &facts::invoice(&format!("100{i}"), &format!("cus-{i}"), amount, amount, due, "open", t),
                at(t),
            )
            .await;
    }
    // On 30 November INV-1001 is 60 days late (4 points) and €6,000.00 is overdue (1 point).
    let now = at("2026-11-30T10:00:00Z");
    let (status, listed) = local.api("GET", "/v1/debtors/at-risk", None, None, now).await;
    assert_eq!(status, 200);
    assert_eq!(listed, json!([]), "under the default threshold of 8");
    let (status, refused) = local
        .api("PUT", "/v1/risk", Some(json!({"threshold": 0})), None, now)
        .await;
    assert_eq!(status, 422, "{refused}");
    let (status, _) = local
        .api("PUT", "/v1/risk", Some(json!({"threshold": 5})), None, now)
        .await;
    assert_eq!(status, 200);
    let (_, listed) = local.api("GET", "/v1/debtors/at-risk", None, None, now).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["debtor_id"], json!("cus-1"));
    assert_eq!(listed[0]["points"], json!(5));
    // In the creditor's language, Estonian, with its money format.
    assert_eq!(
        listed[0]["factors"],
        json!([
            {"points": 4, "reason": "INV-1001 on maksetähtajast üle 60 päeva"},
            {"points": 1, "reason": "6000,00\u{a0}€ tähtaja ületanud"}
        ])
    );
    assert_eq!(
        listed[0]["suggestion"],
        json!("pakkuge maksegraafikut või andke nõue inkassosse")
    );
    let (status, score) = local.api("GET", "/v1/debtors/cus-2/score", None, None, now).await;
    assert_eq!((status, score["points"].as_u64()), (200, Some(0)), "{score}");
}

/// A dispute resolved after the final notice's date does not bring the final notice that afternoon: the
/// firm reminder still owed goes first, and the final notice waits five business days (the policy's
/// default), Estonia's Christmas holidays not counted.
/// Two reminders out, then the customer disputes the invoice on 3 December.
async fn disputed_after_two_reminders(local: &Local) {
    seed(local).await;
    for t in ["2026-11-30T07:15:00Z", "2026-12-02T07:15:00Z"] {
        let run = duly_scheduler::handle(&local.scheduler, at(t)).await.unwrap();
        assert_eq!(run.sent, 1, "{t}: {run:?}");
    }
    let (status, _) = local
        .api(
            "PUT",
            "/v1/invoices/1001/dispute",
            Some(json!({"reason": "waiting for a credit note"})),
            None,
            at("2026-12-03T09:00:00Z"),
        )
        .await;
    assert_eq!(status, 200);
}

/// The other way to resolve a dispute: the customer was right and a credit note is coming. The invoice
/// stays held: nothing at all goes out, and nothing waits in To do any more.
#[tokio::test]
async fn nothing_goes_out_after_a_dispute_is_resolved_in_the_customers_favour() {
    let local = Local::new("settings-dispute-hold").await;
    disputed_after_two_reminders(&local).await;
    let invoice = duly_core::model::ids::InvoiceId::parse("1001").unwrap();
    let today = |t: &str| at(t).date_naive();
    let waiting = |t| {
        let local = &local;
        async move {
            local
                .store
                .invoices_needing(&nordwind(), today(t), 100)
                .await
                .unwrap()
                .len()
        }
    };
    assert_eq!(waiting("2026-12-22T10:00:00Z").await, 1, "the dispute waits in To do");
    let resolved = at("2026-12-22T10:00:00Z");
    duly_app::settings::decide(
        &local.store,
        &nordwind(),
        &invoice,
        duly_app::settings::Decision::HoldForCreditNote,
        resolved,
    )
    .await
    .unwrap();
    let mut sent = Vec::new();
    let mut t = resolved + chrono::Duration::minutes(15);
    while t < at("2027-01-20T07:00:00Z") {
        let run = duly_scheduler::handle(&local.scheduler, t).await.unwrap();
        sent.extend(run.reminders.iter().map(|r| (t, r.tone)));
        t += chrono::Duration::hours(6);
    }
    assert_eq!(sent, vec![], "held for the credit note");
    let held = local.store.get_invoice(&nordwind(), &invoice).await.unwrap().unwrap();
    assert_eq!(held.controls.dispute, None);
    assert_eq!(
        held.controls.reminders.and_then(|o| o.reason).as_deref(),
        Some(duly_app::settings::CREDIT_NOTE_COMING)
    );
    assert_eq!(waiting("2027-01-20T07:00:00Z").await, 0, "nothing waits in To do");
}

#[tokio::test]
async fn no_final_notice_goes_out_within_the_grace_period_after_a_dispute_is_resolved() {
    let local = Local::new("settings-dispute-grace").await;
    disputed_after_two_reminders(&local).await;
    let resolved = at("2026-12-22T10:00:00Z");
    let (status, _) = local
        .api("DELETE", "/v1/invoices/1001/dispute", None, None, resolved)
        .await;
    assert_eq!(status, 200);
    let mut tones = Vec::new();
    let mut t = resolved + chrono::Duration::minutes(15);
    while t < at("2026-12-31T07:00:00Z") {
        let run = duly_scheduler::handle(&local.scheduler, t).await.unwrap();
        tones.extend(run.reminders.iter().map(|r| (t, r.tone)));
        t += chrono::Duration::hours(3);
    }
    assert_eq!(
        tones,
        vec![(resolved + chrono::Duration::minutes(15), duly_core::policy::Tone::Firm)],
        "only the firm reminder within the grace period"
    );
    let last = duly_scheduler::handle(&local.scheduler, at("2026-12-31T07:15:00Z"))
        .await
        .unwrap();
    assert_eq!(
        last.reminders.iter().map(|r| r.tone).collect::<Vec<_>>(),
        vec![duly_core::policy::Tone::FinalNotice],
        "{last:?}"
    );
}
