use super::*;
use duly_core::platforms::quickbooks;
use duly_local::webhook_event::TEST_QUICKBOOKS_TOKEN;

pub(super) const REALM: &str = "9130357766900456";

#[derive(Default)]
pub(super) struct Intuit {
    pub(super) balance: String,
    pub(super) fail_next: bool,
    /// The customer's `Mobile`, `PrimaryPhone` and `BillAddr`, as the creditor typed them.
    pub(super) customer: Option<Value>,
    /// The invoice was deleted: QuickBooks answers a read of it with a validation fault.
    pub(super) gone: bool,
}

pub(super) type Shared = Arc<Mutex<Intuit>>;

fn ok(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer qb-token")
}

/// `GET …/invoice/{id}/pdf`: the invoice as QuickBooks prints it.
async fn invoice_pdf(headers: HeaderMap, Path((realm, id)): Path<(String, String)>) -> Response {
    if !ok(&headers) || realm != REALM {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    (
        [("content-type", "application/pdf")],
        duly_local::platforms::merit::pdf(&format!("QuickBooks invoice {id}")),
    )
        .into_response()
}

async fn entity(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path((realm, kind, id)): Path<(String, String, String)>,
) -> Response {
    if !ok(&headers) || realm != REALM {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    if std::mem::take(&mut state.lock().unwrap().fail_next) {
        return (StatusCode::SERVICE_UNAVAILABLE, "maintenance").into_response();
    }
    let (balance, gone) = {
        let s = state.lock().unwrap();
        (s.balance.clone(), s.gone)
    };
    if gone && kind == "invoice" {
        let fault = json!({"Fault": {"Error": [{"Message": "Object Not Found", "Detail": "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.", "code": "610", "element": ""}], "type": "ValidationFault"}, "time": "2026-12-03T05:20:00-08:00"});
        return (StatusCode::BAD_REQUEST, Json(fault)).into_response();
    }
    let body = match kind.as_str() {
        "invoice" => json!({"Invoice": {"Id": id, "SyncToken": "2", "DocNumber": "1037", "TxnDate": "2026-11-16",
            "DueDate": "2026-12-01", "TotalAmt": serde_json::from_str::<Value>("362.07").unwrap(),
            "Balance": serde_json::from_str::<Value>(&balance).unwrap(), "CustomerRef": {"value": "24", "name": "Red Rock Diner"},
            "CurrencyRef": {"value": "EUR", "name": "Euro"}, "MetaData": {"LastUpdatedTime": if balance == "0" { "2026-12-03T05:19:00-08:00" } else { "2026-11-16T05:19:00-08:00" }}},
            "time": "2026-12-03T05:20:00-08:00"}),
        "payment" => {
            json!({"Payment": {"Id": id, "TotalAmt": 362.07, "UnappliedAmt": 0, "CustomerRef": {"value": "24"}, "TxnDate": "2026-12-03",
            "Line": [{"Amount": 362.07, "LinkedTxn": [{"TxnId": "130", "TxnType": "Invoice"}]}]}})
        }
        // A journal entry that moves part of the diner's balance (its receivable line names the customer).
        "journalentry" => json!({"JournalEntry": {"Id": id, "TxnDate": "2026-11-25", "Line": [
            {"Amount": 100.0, "JournalEntryLineDetail": {"PostingType": "Credit", "AccountRef": {"value": "84"},
                "Entity": {"Type": "Customer", "EntityRef": {"value": "24", "name": "Red Rock Diner"}}}},
            {"Amount": 100.0, "JournalEntryLineDetail": {"PostingType": "Debit", "AccountRef": {"value": "7"}}}]}}),
        "refundreceipt" => json!({"RefundReceipt": {"Id": id, "TotalAmt": 25.0, "CustomerRef": {"value": "24"}}}),
        "creditmemo" => json!({"CreditMemo": {"Id": id, "DocNumber": "CM-9", "TotalAmt": 362.07, "RemainingCredit": 0,
            "CustomerRef": {"value": "24", "name": "Red Rock Diner"}, "TxnDate": "2026-11-25"}}),
        "customer" => {
            let mut customer = json!({"Id": id, "DisplayName": "Red Rock Diner", "PrimaryEmailAddr": {"Address": "ap@redrock.example"},
            "MetaData": {"LastUpdatedTime": "2026-11-16T05:19:00-08:00"}});
            if let Some(Value::Object(extra)) = state.lock().unwrap().customer.clone() {
                customer.as_object_mut().unwrap().extend(extra);
            }
            json!({ "Customer": customer })
        }
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    Json(body).into_response()
}

/// The payments of customer 24, newest first: one of nothing that applies credit memo 9 to invoice 130,
/// and an earlier one paying another invoice.
async fn query(
    State(_state): State<Shared>,
    headers: HeaderMap,
    Path(realm): Path<String>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    if !ok(&headers) || realm != REALM {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let query = q.get("query").cloned().unwrap_or_default();
    if !query.starts_with("select * from Payment where CustomerRef = '24'") {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"Fault": {"type": "ValidationFault"}})),
        )
            .into_response();
    }
    Json(json!({"QueryResponse": {"Payment": [
        {"Id": "78", "TotalAmt": 0, "UnappliedAmt": 0, "CustomerRef": {"value": "24"}, "TxnDate": "2026-11-25",
         "Line": [{"Amount": 362.07, "LinkedTxn": [{"TxnId": "130", "TxnType": "Invoice"}]},
                  {"Amount": 362.07, "LinkedTxn": [{"TxnId": "9", "TxnType": "CreditMemo"}]}]},
        {"Id": "12", "TotalAmt": 50, "UnappliedAmt": 0, "CustomerRef": {"value": "24"}, "TxnDate": "2026-10-02",
         "Line": [{"Amount": 50, "LinkedTxn": [{"TxnId": "99", "TxnType": "Invoice"}]}]}],
        "startPosition": 1, "maxResults": 2}}))
    .into_response()
}

pub(super) async fn local_intuit(state: Shared) -> String {
    let app = Router::new()
        .route("/v3/company/{realm}/query", get(query))
        .route("/v3/company/{realm}/{kind}/{id}", get(entity))
        .route("/v3/company/{realm}/invoice/{id}/pdf", get(invoice_pdf))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// Nordwind's QuickBooks connection `conn-qbo` to company [`REALM`], its token good for 30 days from `t0`.
pub(super) async fn connect_quickbooks(local: &Local, t0: chrono::DateTime<chrono::Utc>) {
    let mut connection = duly_local::fixtures::connection("conn-qbo", "nordwind");
    connection.platform = Platform::QuickBooks;
    local
        .connect_with(
            &mut connection,
            Credentials::OAuth(OAuthTokens {
                access_token: "qb-token".into(),
                refresh_token: "qb-refresh".into(),
                expires_at: t0 + Duration::days(30),
            }),
        )
        .await;
    let link = TenantLink {
        creditor: nordwind(),
        connection: ConnectionId::parse("conn-qbo").unwrap(),
    };
    local.store.put_tenant("quickbooks", REALM, &link).await.unwrap();
}

/// When invoice 130 and customer 24 were created in QuickBooks.
pub(super) const CREATED_AT: &str = "2026-11-16T13:19:00.000Z";

/// A legacy notice naming invoice 130 (`operation` at `at`) and customer 24, as created.
pub(super) fn invoice_notice(operation: &str, at: &str) -> String {
    json!({"eventNotifications": [{"realmId": REALM, "dataChangeEvent": {"entities": [
        {"name": "Invoice", "id": "130", "operation": operation, "lastUpdated": at},
        {"name": "Customer", "id": "24", "operation": "Create", "lastUpdated": CREATED_AT}]}}]})
    .to_string()
}

pub(super) async fn notify(local: &Local, body: &str, now: chrono::DateTime<chrono::Utc>) {
    let delivery = app_level_delivery(
        "quickbooks",
        "intuit-signature",
        &quickbooks::sign(TEST_QUICKBOOKS_TOKEN, body.as_bytes()),
        body,
        0,
    );
    assert_eq!(
        duly_ingest::handle(&local.ingest, to_request(&delivery), now)
            .await
            .status(),
        200
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invoice_and_then_its_payment_arrive_through_quickbooks_notices() {
    let local = Local::new("sync-qbo").await;
    let state: Shared = Arc::new(Mutex::new(Intuit {
        balance: "362.07".into(),
        fail_next: true,
        ..Intuit::default()
    }));
    let base = local_intuit(state.clone()).await;
    let app = sync_app(&local, "http://127.0.0.1:9", &base);
    let t0 = at("2026-11-16T14:00:00Z");
    connect_quickbooks(&local, t0).await;

    notify(&local, &invoice_notice("Create", CREATED_AT), t0).await;
    // QuickBooks is down for a moment: the jobs back off and stay.
    let down = duly_sync::handle(&app, &tick(), t0).await.unwrap();
    assert!(down.contains("2 retried later"), "{down}");
    let up = duly_sync::handle(&app, &tick(), t0 + Duration::minutes(2))
        .await
        .unwrap();
    assert!(up.contains("2 facts applied"), "{up}");
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("130").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(invoice.balance.unwrap().amount_due.minor, 36_207);
    assert!(invoice.is_open());

    // A payment, as a CloudEvent, names the invoice; its new balance closes it.
    state.lock().unwrap().balance = "0".into();
    let t1 = at("2026-12-03T13:30:00Z");
    let cloud = json!([{"specversion": "1.0", "id": "ce-77", "source": "intuit.x", "type": "qbo.payment.created.v1",
        "time": "2026-12-03T13:19:00Z", "intuitentityid": "77", "intuitaccountid": REALM, "data": {}}])
    .to_string();
    notify(&local, &cloud, t1).await;
    let paid = duly_sync::handle(&app, &tick(), t1).await.unwrap();
    let left = local.store.sync_jobs(&nordwind()).await.unwrap();
    // The payment itself, itemised for interest, and the invoice's new balance.
    assert!(paid.contains("2 facts applied"), "{paid}: {left:?}");
    let recorded = local
        .store
        .balance_history(&nordwind(), &InvoiceId::parse("130").unwrap())
        .await
        .unwrap();
    assert_eq!(
        recorded
            .iter()
            .map(|p| (p.amount, p.credit_note, p.at.to_rfc3339()))
            .collect::<Vec<_>>(),
        [(36_207, false, "2026-12-03T00:00:00+00:00".to_string())]
    );
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("130").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!invoice.is_open());
    assert!(local.store.sync_jobs(&nordwind()).await.unwrap().is_empty());
}

/// QuickBooks says an invoice was deleted or voided: the notice itself closes it (a deleted invoice no
/// longer answers a read), and the reminder its plan had next does not go.
#[tokio::test(flavor = "multi_thread")]
async fn a_deleted_or_voided_invoice_is_closed_by_its_notice_and_not_reminded() {
    for operation in ["Delete", "Void"] {
        let local = Local::new(&format!("sync-qbo-{}", operation.to_lowercase())).await;
        let state: Shared = Arc::new(Mutex::new(Intuit {
            balance: "362.07".into(),
            ..Intuit::default()
        }));
        let base = local_intuit(state.clone()).await;
        let app = sync_app(&local, "http://127.0.0.1:9", &base);
        let t0 = at("2026-11-16T14:00:00Z");
        connect_quickbooks(&local, t0).await;
        notify(&local, &invoice_notice("Create", CREATED_AT), t0).await;
        let synced = duly_sync::handle(&app, &tick(), t0).await.unwrap();
        assert!(synced.contains("2 facts applied"), "{synced}");
        // What would go next: the plan's first message.
        let due_at = local.next_planned_at("130", t0).await;

        state.lock().unwrap().gone = true;
        let t1 = due_at - Duration::hours(2);
        let when = (t1 - Duration::minutes(1)).to_rfc3339();
        notify(&local, &invoice_notice(operation, &when), t1).await;
        let closed = duly_sync::handle(&app, &tick(), t1).await.unwrap();
        assert!(closed.contains("facts applied"), "{operation}: {closed}");
        let invoice = local
            .store
            .get_invoice(&nordwind(), &InvoiceId::parse("130").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert!(!invoice.is_open(), "{operation}: closed at once: {invoice:?}");
        assert!(local.store.sync_jobs(&nordwind()).await.unwrap().is_empty());

        let mails_before = duly_local::moto::sent_emails().await.len();
        let run = duly_scheduler::handle(&local.scheduler, due_at + Duration::minutes(5))
            .await
            .unwrap();
        assert_eq!(run.sent, 0, "{operation}: nothing goes for it: {run:?}");
        let to_the_diner = duly_local::moto::sent_emails()
            .await
            .into_iter()
            .skip(mails_before)
            .filter(|m| m.destinations.to.iter().any(|to| to.contains("redrock")))
            .count();
        assert_eq!(to_the_diner, 0, "{operation}");
    }
}

/// A credit memo is applied to an invoice through a payment of nothing that links both: its notice finds
/// that payment, records the credit on the invoice and closes it, and the reminder it was due does not go.
#[tokio::test(flavor = "multi_thread")]
async fn a_credit_memo_notice_credits_the_invoice_it_is_applied_to() {
    let local = Local::new("sync-qbo-credit-memo").await;
    let state: Shared = Arc::new(Mutex::new(Intuit {
        balance: "362.07".into(),
        ..Intuit::default()
    }));
    let base = local_intuit(state.clone()).await;
    let app = sync_app(&local, "http://127.0.0.1:9", &base);
    let t0 = at("2026-11-16T14:00:00Z");
    connect_quickbooks(&local, t0).await;
    notify(&local, &invoice_notice("Create", CREATED_AT), t0).await;
    assert!(duly_sync::handle(&app, &tick(), t0)
        .await
        .unwrap()
        .contains("2 facts applied"));
    // What would go next: the plan's first message.
    let due_at = local.next_planned_at("130", t0).await;

    // On QuickBooks the credit memo is made and applied: the invoice owes nothing more.
    state.lock().unwrap().balance = "0".into();
    let t1 = due_at - Duration::hours(2);
    let cloud =
        json!([{"specversion": "1.0", "id": "ce-cm-9", "source": "intuit.x", "type": "qbo.creditmemo.created.v1",
        "time": (t1 - Duration::minutes(1)).to_rfc3339(), "intuitentityid": "9", "intuitaccountid": REALM, "data": {}}])
        .to_string();
    notify(&local, &cloud, t1).await;
    let credited = duly_sync::handle(&app, &tick(), t1).await.unwrap();
    assert!(credited.contains("facts applied"), "{credited}");
    let recorded = local
        .store
        .balance_history(&nordwind(), &InvoiceId::parse("130").unwrap())
        .await
        .unwrap();
    assert_eq!(
        recorded
            .iter()
            .map(|p| (p.amount, p.credit_note, p.at.to_rfc3339()))
            .collect::<Vec<_>>(),
        [(36_207, true, "2026-11-25T00:00:00+00:00".to_string())],
        "credited, not paid, on the day it was applied"
    );
    let invoice = local
        .store
        .get_invoice(&nordwind(), &InvoiceId::parse("130").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert!(!invoice.is_open(), "{invoice:?}");
    let run = duly_scheduler::handle(&local.scheduler, due_at + Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!(run.sent, 0, "{run:?}");
}

/// A journal entry or a refund receipt names a customer, not an invoice: its notice reads that customer's
/// open invoices again, so a balance QuickBooks changed through it is Duly's at once.
#[tokio::test(flavor = "multi_thread")]
async fn a_journal_entry_or_refund_reads_its_customers_open_invoices_again() {
    for (entity, name) in [("journalentry", "JournalEntry"), ("refundreceipt", "RefundReceipt")] {
        let local = Local::new(&format!("sync-qbo-{entity}")).await;
        let state: Shared = Arc::new(Mutex::new(Intuit {
            balance: "362.07".into(),
            ..Intuit::default()
        }));
        let base = local_intuit(state.clone()).await;
        let app = sync_app(&local, "http://127.0.0.1:9", &base);
        let t0 = at("2026-11-16T14:00:00Z");
        connect_quickbooks(&local, t0).await;
        notify(&local, &invoice_notice("Create", CREATED_AT), t0).await;
        duly_sync::handle(&app, &tick(), t0).await.unwrap();

        state.lock().unwrap().balance = "262.07".into();
        let t1 = at("2026-11-25T10:00:00Z");
        let body = json!({"eventNotifications": [{"realmId": REALM, "dataChangeEvent": {"entities": [
            {"name": name, "id": "77", "operation": "Create", "lastUpdated": (t1 - Duration::minutes(1)).to_rfc3339()}]}}]})
        .to_string();
        notify(&local, &body, t1).await;
        let read = duly_sync::handle(&app, &tick(), t1).await.unwrap();
        assert!(read.contains("1 facts applied"), "{entity}: {read}");
        let invoice = local
            .store
            .get_invoice(&nordwind(), &InvoiceId::parse("130").unwrap())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(invoice.balance.unwrap().amount_due.minor, 26_207, "{entity}");
        assert!(local.store.sync_jobs(&nordwind()).await.unwrap().is_empty());
    }
}
