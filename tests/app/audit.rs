//! The audit trail: each message sent and each delivery event is one chained entry; a changed or removed
//! entry breaks the chain where it happened, and erasing an entry's personal part does not.

use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::{json, Value};

use duly_local::fixtures::{facts, ses_event};
use duly_local::moto::sent_emails;
use duly_local::{at, Local};

const T: &str = "2026-11-16T09:00:00Z";

/// cus-1, at a fresh address (and `phone`), owes invoice 1001, due Tuesday 1 December 2026; its address.
async fn owing(local: &Local, phone: Option<&str>) -> String {
    let email = format!("ap-{}@tamm.example", local.store.table());
    local
        .deliver("c1", &facts::contact("cus-1", &email, phone, T), at(T))
        .await;
    local
        .deliver(
            "i1",
            &facts::invoice("1001", "cus-1", "1250.00", "1250.00", "2026-12-01", "open", T),
            at(T),
        )
        .await;
    email
}

/// Runs `duly-verify`, which `cargo build --workspace` puts beside the test binaries' folder, on `file`:
/// its exit code and what it printed.
fn duly_verify(file: &std::path::Path) -> (i32, String) {
    let exe = std::env::current_exe().unwrap();
    let command = exe
        .parent()
        .and_then(|deps| deps.parent())
        .map(|dir| dir.join("duly-verify"))
        .filter(|path| path.exists())
        .expect("duly-verify is built: cargo build -p duly-core --bin duly-verify");
    let out = std::process::Command::new(command).arg(file).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// `value` as JSON with every object's keys in descending order.
fn keys_reversed(value: &Value) -> String {
    match value {
        Value::Array(items) => format!("[{}]", items.iter().map(keys_reversed).collect::<Vec<_>>().join(",")),
        Value::Object(fields) => {
            let mut keys: Vec<&String> = fields.keys().collect();
            keys.sort_by(|a, b| b.cmp(a));
            let fields: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), keys_reversed(&fields[k])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        leaf => leaf.to_string(),
    }
}

/// Opens the static checking page, hands it `file` and waits for its outcome: `holds` or `broken`, and what
/// it said.
async fn verify_in_browser(browser: &fantoccini::Client, file: &std::path::Path) -> (String, String) {
    let page = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/core/templates/verify.html");
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    browser.goto(&url).await.unwrap();
    let input = browser.find(fantoccini::Locator::Css("#bundle")).await.unwrap();
    input.send_keys(&file.display().to_string()).await.unwrap();
    for _ in 0..100 {
        let outcome = browser
            .execute(
                "const o = document.getElementById('outcome'); return [o.className, o.innerText];",
                vec![],
            )
            .await
            .unwrap();
        let (class, text) = (outcome[0].as_str().unwrap_or(""), outcome[1].as_str().unwrap_or(""));
        if !class.is_empty() {
            return (class.to_string(), text.to_string());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the page gave no outcome for {}", file.display());
}

async fn tick(local: &Local, when: &str) -> duly_scheduler::Summary {
    duly_scheduler::handle(&local.scheduler, at(when)).await.unwrap()
}

async fn verify(local: &Local) -> Value {
    let (status, body) = local.api("GET", "/v1/audit/verify", None, None, at(T)).await;
    assert_eq!(status, 200, "{body}");
    body
}

/// The key of the creditor's audit entry `seq`.
fn entry_key(seq: u64) -> [(String, AttributeValue); 2] {
    [
        ("pk".to_string(), AttributeValue::S("C#nordwind#AUDIT".into())),
        ("sk".to_string(), AttributeValue::S(format!("E#{seq:012}"))),
    ]
}

#[tokio::test]
async fn every_message_and_delivery_event_is_chained_and_tampering_shows_where() {
    let local = Local::new("audit-chain").await;
    let email = owing(&local, None).await;
    tick(&local, "2026-11-16T10:00:00Z").await;
    tick(&local, "2026-11-30T07:15:00Z").await;
    let sent = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&email))
        .unwrap();

    // SES reports the delivery twice; the trail takes it once.
    let app = duly_delivery_events::App {
        store: local.store_for("DeliveryEventsFunction"),
        notify: None,
    };
    for _ in 0..2 {
        duly_delivery_events::handle(
            &app,
            ses_event(&sent.id, "Delivery", "Permanent", &email),
            at("2026-11-30T07:16:00Z"),
        )
        .await
        .unwrap();
    }

    let (status, entries) = local.api("GET", "/v1/audit", None, None, at(T)).await;
    assert_eq!(status, 200, "{entries}");
    let entries = entries.as_array().unwrap().clone();
    assert_eq!(entries.len(), 2, "{entries:?}");
    let (sent_entry, delivered) = (&entries[0]["entry"], &entries[1]["entry"]);
    assert_eq!(
        (
            sent_entry["seq"].as_u64(),
            sent_entry["event"].as_str(),
            sent_entry["detail"].as_str()
        ),
        (Some(1), Some("message.sent"), Some("friendly 2026-12-01/before-3"))
    );
    assert_eq!(sent_entry["channels"], json!(["email"]));
    assert_eq!(sent_entry["provider_ids"], json!([sent.id]));
    // The rendered content's hash, as the core computes it from what SES was handed.
    assert_eq!(sent_entry["content_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(
        (delivered["event"].as_str(), delivered["detail"].as_str()),
        (Some("message.delivery"), Some("delivery"))
    );
    assert_eq!(entries[1]["previous"], entries[0]["hash"]);
    let listed = serde_json::to_string(&entries).unwrap();
    assert!(!listed.contains(&email), "no recipient in the chain: {listed}");
    // The customer's history: the message with what SES said of it, and their part of the trail.
    let (status, history) = local.api("GET", "/v1/debtors/cus-1/history", None, None, at(T)).await;
    assert_eq!(status, 200, "{history}");
    assert_eq!(
        (
            history["messages"][0]["status"].as_str(),
            history["messages"][0]["delivery"].as_str()
        ),
        (Some("sent"), Some("delivery")),
        "{history}"
    );
    assert_eq!(history["audit"].as_array().map(Vec::len), Some(2), "{history}");
    assert!(!history.to_string().contains(&email), "{history}");
    let (status, _) = local.api("GET", "/v1/debtors/nobody/history", None, None, at(T)).await;
    assert_eq!(status, 404);

    let whole = verify(&local).await;
    assert_eq!(
        (whole["verified"].as_bool(), whole["entries"].as_u64()),
        (Some(true), Some(2)),
        "{whole}"
    );

    // Someone edits the first entry in the table: the chain breaks there.
    let client = local.store.client();
    let original = entries[0]["entry"].clone();
    let mut forged = original.clone();
    forged["detail"] = json!("friendly 2026-12-01/after-1");
    let set_entry = |value: &Value| {
        client
            .update_item()
            .table_name(local.store.table())
            .set_key(Some(entry_key(1).into_iter().collect()))
            .update_expression("SET #e = :e")
            .expression_attribute_names("#e", "entry")
            .expression_attribute_values(":e", AttributeValue::S(value.to_string()))
            .send()
    };
    set_entry(&forged).await.unwrap();
    let broken = verify(&local).await;
    assert_eq!(broken["verified"], json!(false), "{broken}");
    assert_eq!(broken["broken"]["seq"], json!(1), "{broken}");
    set_entry(&original).await.unwrap();
    assert_eq!(verify(&local).await["verified"], json!(true));
    // A long chain is verified in turns: from entry 1's hash on, one entry is left to follow.
    let (_, turn) = local.api("GET", "/v1/audit/verify?after=1", None, None, at(T)).await;
    assert_eq!(
        (turn["verified"].as_bool(), turn["entries"].as_u64()),
        (Some(true), Some(1)),
        "{turn}"
    );
    let (_, past) = local.api("GET", "/v1/audit/verify?after=9", None, None, at(T)).await;
    assert_eq!(past["verified"], json!(false), "no entry 9: {past}");

    // Erasing the personal part (the recipients and their salt) leaves the chain whole.
    let personal = client
        .delete_item()
        .table_name(local.store.table())
        .key("pk", AttributeValue::S("C#nordwind#D#cus-1".into()))
        .key("sk", AttributeValue::S("AUDITP#000000000001".into()))
        .return_values(aws_sdk_dynamodb::types::ReturnValue::AllOld)
        .send()
        .await
        .unwrap();
    let recipients = personal.attributes().unwrap().get("recipients").unwrap();
    assert_eq!(recipients, &AttributeValue::L(vec![AttributeValue::S(email.clone())]));
    assert_eq!(verify(&local).await["verified"], json!(true));

    // Removing the last entry shows too: the head remembers where the chain ended.
    client
        .delete_item()
        .table_name(local.store.table())
        .set_key(Some(entry_key(2).into_iter().collect()))
        .send()
        .await
        .unwrap();
    let cut = verify(&local).await;
    assert_eq!(
        (cut["verified"].as_bool(), cut["broken"]["seq"].as_u64()),
        (Some(false), Some(2)),
        "{cut}"
    );
}

/// A debtor's data on request: the export holds the contact, open invoices, messages with their delivery,
/// answers and audit entries with recipients. Erasure removes names, addresses and what was said, keeps the
/// amounts, usage and a verifying chain, stops messages, and keeps a contact the platform sends again out
/// of the table until the creditor lifts it.
#[tokio::test]
async fn a_debtor_is_exported_and_erased_and_stays_erased_until_lifted() {
    let local = Local::new("audit-erasure").await;
    let email = owing(&local, Some("+37255501234")).await;
    tick(&local, "2026-11-16T10:00:00Z").await;
    tick(&local, "2026-11-30T07:15:00Z").await;
    let (status, _) = local
        .api(
            "PUT",
            "/v1/invoices/1001/dispute",
            Some(json!({"reason": "Ordered 10, received 8"})),
            None,
            at("2026-11-30T08:00:00Z"),
        )
        .await;
    assert_eq!(status, 200);
    let now = at("2026-11-30T09:00:00Z");

    let (status, export) = local.api("GET", "/v1/debtors/cus-1/export", None, None, now).await;
    assert_eq!(status, 200, "{export}");
    assert_eq!(export["contact"]["email"], json!(email));
    assert_eq!(export["open_invoices"][0]["amount_due"], json!("1250.00"), "{export}");
    assert_eq!(export["messages"].as_array().unwrap().len(), 1, "{export}");
    assert!(export["messages"][0]["subject"].as_str().unwrap().contains("INV-1001"));
    assert!(
        export["messages"][0]["text"].as_str().unwrap().contains("Tamm"),
        "the words they were sent: {export}"
    );
    assert_eq!(export["audit"][0]["recipients"], json!([email]), "{export}");
    let (status, _) = local.api("GET", "/v1/debtors/nobody/export", None, None, now).await;
    assert_eq!(status, 404);

    let usage_before = local
        .store
        .usage(&duly_local::fixtures::nordwind(), "2026-11")
        .await
        .unwrap();
    let (status, erased) = local.api("POST", "/v1/debtors/cus-1/erasure", None, None, now).await;
    assert_eq!(status, 200, "{erased}");
    assert_eq!(
        (
            erased["messages"].as_u64(),
            erased["kept_messages"].as_u64(),
            erased["audit_parts"].as_u64()
        ),
        (Some(1), Some(1), Some(1)),
        "{erased}"
    );

    let (_, after) = local.api("GET", "/v1/debtors/cus-1/export", None, None, now).await;
    let text = after.to_string();
    assert!(!text.contains(&email) && !text.contains("+37255501234"), "{text}");
    assert!(
        !text.contains("Tamm") && !text.contains("INV-1001 ("),
        "names and subjects gone: {text}"
    );
    assert_eq!(
        after["open_invoices"][0]["amount_due"],
        json!("1250.00"),
        "amounts stay"
    );
    assert_eq!(after["audit"][0]["recipients"], json!([]));
    assert_eq!(
        local
            .store
            .usage(&duly_local::fixtures::nordwind(), "2026-11")
            .await
            .unwrap(),
        usage_before,
        "usage stays"
    );
    let (_, chain) = local.api("GET", "/v1/audit/verify", None, None, now).await;
    assert_eq!(chain["verified"], json!(true), "{chain}");

    // The platform sends the contact again: it is not stored, and nothing is sent to it.
    local
        .deliver(
            "c2",
            &facts::contact("cus-1", &email, Some("+37255501234"), "2026-11-30T10:00:00Z"),
            at("2026-11-30T10:00:00Z"),
        )
        .await;
    let debtor = local
        .store
        .get_debtor(
            &duly_local::fixtures::nordwind(),
            &duly_core::model::ids::DebtorId::parse("cus-1").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (debtor.email.as_deref(), debtor.name.as_str()),
        (None, ""),
        "{debtor:?}"
    );
    let run = tick(&local, "2026-12-02T08:00:00Z").await;
    assert_eq!(run.sent, 0, "{run:?}");

    // Lifted: the platform's next contact is stored again.
    let (status, _) = local.api("DELETE", "/v1/debtors/cus-1/erasure", None, None, now).await;
    assert_eq!(status, 200);
    let (status, _) = local.api("DELETE", "/v1/debtors/cus-1/erasure", None, None, now).await;
    assert_eq!(status, 404, "not erased any more");
    local
        .deliver(
            "c3",
            &facts::contact("cus-1", &email, None, "2026-12-02T09:00:00Z"),
            at("2026-12-02T09:00:00Z"),
        )
        .await;
    let debtor = local
        .store
        .get_debtor(
            &duly_local::fixtures::nordwind(),
            &duly_core::model::ids::DebtorId::parse("cus-1").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(debtor.email.as_deref(), Some(email.as_str()));
    assert_eq!(debtor.controls.reminders, None, "the erasure's switch is gone with it");
}

/// The collection hand-off: every message with its delivery and the audit entry that proves it, the open
/// invoice with its charges, as JSON, CSV and a printable page; making it stops reminders and is itself
/// recorded, with who asked.
#[tokio::test]
async fn a_hand_off_bundle_carries_the_proof_and_stops_reminders() {
    let local = Local::new("audit-handoff").await;
    let email = owing(&local, None).await;
    let (status, _) = local
        .api(
            "PUT",
            "/v1/late-charges",
            Some(json!({"interest": true, "compensation": true, "country": "EE"})),
            None,
            at(T),
        )
        .await;
    assert_eq!(status, 200);
    let (status, refused) = local
        .api("PUT", "/v1/records", Some(json!({"keep_sent_days": 10})), None, at(T))
        .await;
    assert_eq!(
        (status, refused["field"].as_str()),
        (422, Some("keep_sent_days")),
        "{refused}"
    );
    let (status, kept) = local
        .api("PUT", "/v1/records", Some(json!({"keep_sent_days": 400})), None, at(T))
        .await;
    assert_eq!((status, kept["keep_sent_days"].as_u64()), (200, Some(400)), "{kept}");
    tick(&local, "2026-11-16T10:00:00Z").await;
    tick(&local, "2026-11-30T07:15:00Z").await;
    // The message is kept as sent until the retention the creditor set has run out.
    let kept = local
        .store
        .client()
        .query()
        .table_name(local.store.table())
        .key_condition_expression("pk = :pk AND begins_with(sk, :kept)")
        .expression_attribute_values(":pk", AttributeValue::S("C#nordwind#D#cus-1".into()))
        .expression_attribute_values(":kept", AttributeValue::S("KEPT#".into()))
        .send()
        .await
        .unwrap();
    let items = kept.items();
    assert_eq!(items.len(), 1, "{items:?}");
    let expires = items[0]["expires_at"].as_n().unwrap().parse::<i64>().unwrap();
    assert_eq!(
        expires,
        (at("2026-11-30T07:15:00Z") + chrono::Duration::days(400)).timestamp(),
        "{items:?}"
    );
    let sent = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&email))
        .unwrap();
    let app = duly_delivery_events::App {
        store: local.store_for("DeliveryEventsFunction"),
        notify: None,
    };
    duly_delivery_events::handle(
        &app,
        ses_event(&sent.id, "Delivery", "Permanent", &email),
        at("2026-11-30T07:16:00Z"),
    )
    .await
    .unwrap();

    // Ten days after the due date of 1 December 2026. The rate table stops at June 2026, so, as in
    // reminders, there is no interest line, only the compensation.
    let now = at("2026-12-11T09:00:00Z");
    let (status, refused) = local
        .api(
            "POST",
            "/v1/debtors/cus-1/handoff",
            Some(json!({"requested_by": " "})),
            None,
            now,
        )
        .await;
    assert_eq!(status, 422, "{refused}");
    // Kept as the API wrote it, fields in Duly's order, as a creditor would save it.
    let (status, _, written) = local
        .api_raw(
            "POST",
            "/v1/debtors/cus-1/handoff",
            Some(json!({"requested_by": "Mari Maasikas"})),
            None,
            now,
        )
        .await;
    let bundle: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(status, 200, "{bundle}");
    let body = &bundle["body"];
    assert_eq!(body["contact"]["email"], json!(email));
    assert_eq!(body["invoices"][0]["amount_due"], json!("1250.00"), "{bundle}");
    assert_eq!(body["invoices"][0]["compensation"], json!("40.00"), "{bundle}");
    let message = &body["messages"][0];
    assert_eq!(message["delivery"], json!("delivery"), "{bundle}");
    assert_eq!(message["provider_ids"], json!([sent.id]));
    // The message as it went out, its answer links' tokens cut out.
    let kept = &message["sent"]["email"];
    assert_eq!(kept["subject"], json!(sent.subject), "{bundle}");
    let html = kept["html"].as_str().unwrap();
    assert!(html.contains("INV-1001") && html.contains("/a/…"), "{html}");
    assert!(!html.contains("/a/ey"), "an answer link that still works: {html}");
    let (_, entries) = local.api("GET", "/v1/audit", None, None, now).await;
    assert_eq!(
        message["audit_hash"], entries[0]["hash"],
        "the send's own entry: {entries}"
    );
    let last = entries.as_array().unwrap().last().unwrap();
    assert_eq!(
        (last["entry"]["event"].as_str(), last["entry"]["detail"].as_str()),
        (Some("debtor.handed_off"), Some("by Mari Maasikas")),
        "{entries}"
    );
    assert_eq!(bundle["chain"]["head"], last["hash"]);
    // Switching the reminders off was chained too, before the hand-off.
    let before = &entries.as_array().unwrap()[entries.as_array().unwrap().len() - 2];
    assert_eq!(
        (before["entry"]["event"].as_str(), before["entry"]["detail"].as_str()),
        (Some("debtor.controls"), Some("reminders")),
        "{entries}"
    );

    // Checked by the command built from the core alone; one byte of the message changed, and the entry that
    // recorded its sending is named.
    let dir = std::env::temp_dir().join(format!("duly-handoff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bundle.json");
    std::fs::write(&file, &written).unwrap();
    let (code, said) = duly_verify(&file);
    assert_eq!(code, 0, "{said}");
    assert!(said.starts_with("verified: ") && said.contains("1 messages"), "{said}");
    let driver = duly_local::browser::Driver::start().await;
    let browser = driver.browser(390, 844).await;
    let (outcome, page_said) = verify_in_browser(&browser, &file).await;
    assert_eq!(outcome, "holds", "{page_said}");
    assert!(
        page_said.starts_with("Verified: ") && page_said.contains("1 messages"),
        "{page_said}"
    );
    duly_local::browser::assert_accessible(&browser, "verify.html").await;
    // Written again by another JSON library, its fields in another order, it still holds.
    std::fs::write(&file, keys_reversed(&bundle)).unwrap();
    assert_eq!(duly_verify(&file).0, 0);
    assert_eq!(verify_in_browser(&browser, &file).await.0, "holds");
    let mut changed = bundle.clone();
    changed["body"]["messages"][0]["sent"]["email"]["html"] = json!(html.replacen("INV-1001", "INV-1002", 1));
    std::fs::write(&file, serde_json::to_vec_pretty(&changed).unwrap()).unwrap();
    let (code, said) = duly_verify(&file);
    let seq = message["audit_seq"].as_u64().unwrap();
    assert_eq!(code, 1, "{said}");
    assert!(said.starts_with(&format!("broken: entry {seq}: ")), "{said}");
    let (outcome, page_said) = verify_in_browser(&browser, &file).await;
    assert_eq!(outcome, "broken", "{page_said}");
    assert!(page_said.starts_with(&format!("Broken: entry {seq}: ")), "{page_said}");
    browser.close().await.unwrap();
    std::fs::remove_dir_all(&dir).unwrap();

    let (status, kind, csv) = local
        .api_raw(
            "POST",
            "/v1/debtors/cus-1/handoff?format=csv",
            Some(json!({"requested_by": "Mari Maasikas"})),
            None,
            now,
        )
        .await;
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    assert!(
        csv.lines()
            .any(|l| l.starts_with("Sõnum,") && l.contains(&sent.id) && l.contains("auditikirje 1 ")),
        "{csv}"
    );
    let (status, kind, page) = local
        .api_raw(
            "POST",
            "/v1/debtors/cus-1/handoff?format=html",
            Some(json!({"requested_by": "Mari Maasikas"})),
            None,
            now,
        )
        .await;
    assert_eq!((status, kind.as_str()), (200, "text/html; charset=utf-8"));
    // In the creditor's language, Estonian, since the caller asked for none.
    assert!(
        page.contains("Üleandmine inkassole") && page.contains("INV-1001"),
        "{page}"
    );

    // Nothing more goes out to a handed-off debtor.
    let run = tick(&local, "2026-12-14T08:00:00Z").await;
    assert_eq!(run.sent, 0, "{run:?}");
    let (_, plan) = local
        .api("GET", "/v1/invoices/1001/plan", None, None, at("2026-12-14T08:05:00Z"))
        .await;
    assert!(plan.to_string().contains("handed to collection"), "{plan}");
}

/// SNS's delivery status for an SMS, as its CloudWatch Logs subscription hands it over (base64 of gzip
/// of JSON): noted on the message and chained in the audit trail once, however often it comes.
#[tokio::test]
async fn an_sms_delivery_status_from_sns_logs_is_noted_and_chained_once() {
    use base64::Engine;
    use std::io::Write;
    let local = Local::new("audit-sms").await;
    let phone = local.unique_contact().1;
    owing(&local, Some(&phone)).await;
    tick(&local, "2026-11-16T10:00:00Z").await;
    // The first overdue reminder, on Wednesday 2 December, goes by e-mail and SMS.
    let run = tick(&local, "2026-12-02T07:15:00Z").await;
    assert_eq!(run.sent, 1, "{run:?}");
    let sms = duly_local::moto::sent_sms()
        .await
        .into_iter()
        .find(|s| s.phone_number == phone)
        .expect("an SMS");

    let line = json!({"notification": {"messageId": sms.message_id, "timestamp": "2026-12-02 07:15:03.100"},
        "delivery": {"destination": phone, "providerResponse": "Message has been accepted by phone carrier",
            "smsType": "Transactional", "numberOfMessageParts": 1},
        "status": "SUCCESS"});
    let batch = json!({"messageType": "DATA_MESSAGE", "logGroup": "sns/eu-west-1/123456789012/DirectPublishToPhoneNumber",
        "logEvents": [{"id": "1", "timestamp": 1_796_195_703_100i64, "message": line.to_string()}]});
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(batch.to_string().as_bytes()).unwrap();
    let data = base64::engine::general_purpose::STANDARD.encode(gz.finish().unwrap());
    let app = duly_delivery_events::App {
        store: local.store_for("DeliveryEventsFunction"),
        notify: None,
    };
    for _ in 0..2 {
        let label = duly_delivery_events::handle(&app, json!({"awslogs": {"data": data}}), at("2026-12-02T07:16:00Z"))
            .await
            .unwrap();
        assert_eq!(label, "sms_statuses");
    }
    let (_, entries) = local
        .api("GET", "/v1/audit", None, None, at("2026-12-02T08:00:00Z"))
        .await;
    let sms_entries: Vec<_> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["entry"]["detail"] == json!("sms-delivered"))
        .collect();
    assert_eq!(sms_entries.len(), 1, "once: {entries}");
    assert_eq!(sms_entries[0]["entry"]["provider_ids"], json!([sms.message_id]));
    assert!(!entries.to_string().contains(&phone), "no number in the chain");
    let (_, export) = local
        .api(
            "GET",
            "/v1/debtors/cus-1/export",
            None,
            None,
            at("2026-12-02T08:00:00Z"),
        )
        .await;
    let delivered = export["audit"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["entry"]["detail"] == json!("sms-delivered"))
        .unwrap();
    assert_eq!(delivered["recipients"], json!([phone]));
    let (_, chain) = local
        .api("GET", "/v1/audit/verify", None, None, at("2026-12-02T08:00:00Z"))
        .await;
    assert_eq!(chain["verified"], json!(true));
}

/// Erasure leaves no personal data anywhere under the creditor, and what comes after it writes none
/// again: the invoice's recipients, the debtor's dispute in their own words, a refused address, the
/// notices naming them; then the platform's next version of the invoice, an SES open, a bounce and an SMS
/// status for messages sent before the erasure.
#[tokio::test]
async fn erasure_leaves_no_personal_data_and_late_events_write_none() {
    use base64::Engine;
    use std::io::Write;

    let local = Local::new("audit-erase-all").await;
    let table = local.store.table().to_string();
    let phone = local.unique_contact().1;
    let email = format!("ap-{table}@tamm.example");
    let billing = format!("billing-{table}@tamm.example");
    local
        .deliver("c1", &facts::contact("cus-1", &email, Some(&phone), T), at(T))
        .await;
    let invoice = |webhook: &str, updated: &str| {
        let mut body: Value = serde_json::from_str(&facts::invoice(
            "1001",
            "cus-1",
            "1250.00",
            "1250.00",
            "2026-12-01",
            "open",
            updated,
        ))
        .unwrap();
        body["data"]["bill_to"] = json!([billing]);
        (webhook.to_string(), body.to_string())
    };
    let (id, body) = invoice("i1", T);
    local.deliver(&id, &body, at(T)).await;
    tick(&local, "2026-11-16T10:00:00Z").await;
    assert_eq!(tick(&local, "2026-12-02T07:15:00Z").await.sent, 1);
    let mail = sent_emails()
        .await
        .into_iter()
        .find(|m| m.destinations.to.contains(&billing))
        .expect("the reminder went to the invoice's recipient");
    let sms = duly_local::moto::sent_sms()
        .await
        .into_iter()
        .find(|s| s.phone_number == phone)
        .expect("an SMS");
    let events = duly_delivery_events::App {
        store: local.store_for("DeliveryEventsFunction"),
        notify: Some(local.notify_for("DeliveryEventsFunction")),
    };
    // A bounce before the erasure refuses the address and tells the creditor, naming the debtor.
    duly_delivery_events::handle(
        &events,
        ses_event(&mail.id, "Bounce", "Permanent", &billing),
        at("2026-12-02T07:20:00Z"),
    )
    .await
    .unwrap();
    let words = format!("Call me on {phone} or at home-{table}@private.example");
    let (status, _) = local
        .api(
            "PUT",
            "/v1/invoices/1001/dispute",
            Some(json!({"reason": words})),
            None,
            at("2026-12-02T08:00:00Z"),
        )
        .await;
    assert_eq!(status, 200);

    let now = at("2026-12-02T09:00:00Z");
    let (status, export) = local.api("GET", "/v1/debtors/cus-1/export", None, None, now).await;
    assert_eq!(status, 200);
    assert_eq!(
        export["open_invoices"][0]["bill_to"],
        json!([billing]),
        "the export holds it: {export}"
    );
    assert!(
        !export["notices"].as_array().unwrap().is_empty(),
        "and the notices naming the debtor: {export}"
    );
    let (status, erased) = local.api("POST", "/v1/debtors/cus-1/erasure", None, None, now).await;
    assert_eq!(status, 200, "{erased}");

    // After the erasure: the platform's next version of the invoice, an open, a bounce, an SMS status.
    let (id, body) = invoice("i2", "2026-12-02T10:00:00Z");
    local.deliver(&id, &body, at("2026-12-02T10:00:00Z")).await;
    for event in [
        ses_event(&mail.id, "Open", "", &billing),
        ses_event(&mail.id, "Bounce", "Permanent", &email),
    ] {
        duly_delivery_events::handle(&events, event, at("2026-12-02T10:05:00Z"))
            .await
            .unwrap();
    }
    let line = json!({"notification": {"messageId": sms.message_id, "timestamp": "2026-12-02 07:15:03.100"},
        "delivery": {"destination": phone, "smsType": "Transactional", "numberOfMessageParts": 1},
        "status": "SUCCESS"});
    let batch = json!({"messageType": "DATA_MESSAGE", "logGroup": "sns/eu-west-1/123456789012/DirectPublishToPhoneNumber",
        "logEvents": [{"id": "1", "timestamp": 1_796_195_703_100i64, "message": line.to_string()}]});
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(batch.to_string().as_bytes()).unwrap();
    let data = base64::engine::general_purpose::STANDARD.encode(gz.finish().unwrap());
    duly_delivery_events::handle(&events, json!({"awslogs": {"data": data}}), at("2026-12-02T10:06:00Z"))
        .await
        .unwrap();
    // A dispute through a link of an earlier reminder writes the debtor's words nowhere.
    let dispute = duly_local::test_links().token(&duly_core::messages::links::Answer {
        creditor: duly_local::fixtures::nordwind(),
        debtor: duly_core::model::ids::DebtorId::parse("cus-1").unwrap(),
        invoices: vec![duly_core::model::ids::InvoiceId::parse("1001").unwrap()],
        action: duly_core::messages::links::Action::Dispute,
        language: duly_core::locale::Language::En,
        expires: (now + chrono::Duration::days(30)).timestamp(),
    });
    let (status, _, _) = local
        .answer(
            "POST",
            &format!("/a/{dispute}"),
            &format!("reason=Write+to+home-{table}%40private.example"),
            at("2026-12-02T10:07:00Z"),
        )
        .await;
    assert_eq!(status, 404, "an erased debtor's link answers nothing");

    // Every item of the table, read whole (a test may scan): none holds anything personal.
    let mut start = None;
    let mut leaks = Vec::new();
    loop {
        let page = local
            .store
            .client()
            .scan()
            .table_name(local.store.table())
            .set_exclusive_start_key(start.take())
            .send()
            .await
            .unwrap();
        for item in page.items() {
            let text = format!("{item:?}");
            let pk = item.get("pk").and_then(|v| v.as_s().ok()).cloned().unwrap_or_default();
            if !pk.starts_with("C#nordwind") {
                continue;
            }
            for personal in [
                &email,
                &billing,
                &phone,
                &format!("home-{table}"),
                &"Tamm & Sons".to_string(),
            ] {
                if text.contains(personal.as_str()) {
                    leaks.push(format!("{pk} {:?}: {personal}", item.get("sk")));
                }
            }
        }
        match page.last_evaluated_key() {
            Some(key) if !key.is_empty() => start = Some(key.clone()),
            _ => break,
        }
    }
    assert!(leaks.is_empty(), "personal data left: {leaks:#?}");
    // The bounced address stays refused, as a digest.
    let debtor = local
        .store
        .get_debtor(
            &duly_local::fixtures::nordwind(),
            &duly_core::model::ids::DebtorId::parse("cus-1").unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert!(debtor.controls.refuses(&billing));
}
