//! The demo's story, as the deliveries an accounting system would send for one creditor over six weeks.
//! `sign-events` writes them to `events/`; the demo replays them from there.

use serde_json::json;

use crate::fixtures::facts;

/// One delivery: when it was sent, its id, a file name, and its canonical body.
pub struct Delivery {
    pub file: &'static str,
    pub webhook_id: &'static str,
    pub at: &'static str,
    pub body: String,
}

struct Customer {
    id: &'static str,
    language: &'static str,
    name: &'static str,
    email: &'static str,
    phone: Option<&'static str>,
    country: &'static str,
    time_zone: &'static str,
}

const TAMM: Customer = Customer {
    id: "cus-tamm",
    language: "et",
    name: "Tamm & Sons OÜ",
    email: "ap@tamm.example",
    phone: Some("+37255512345"),
    country: "EE",
    time_zone: "Europe/Tallinn",
};
const LIEPA: Customer = Customer {
    id: "cus-liepa",
    language: "lv",
    name: "Liepa SIA",
    email: "gramatvediba@liepa.example",
    phone: None,
    country: "LV",
    time_zone: "Europe/Riga",
};
const KOWALSKI: Customer = Customer {
    id: "cus-kowalski",
    language: "pl",
    name: "Kowalski Sp. z o.o.",
    email: "faktury@kowalski.example",
    phone: Some("+48501234567"),
    country: "PL",
    time_zone: "Europe/Warsaw",
};

impl Customer {
    fn updated(&self, at: &str) -> String {
        json!({"type": "contact.updated", "data": {
            "debtor_id": self.id, "name": self.name, "email": self.email, "phone": self.phone,
            "language": self.language, "country": self.country, "time_zone": self.time_zone, "updated_at": at
        }})
        .to_string()
    }
}

struct Invoice {
    id: &'static str,
    number: &'static str,
    debtor: &'static str,
    total: &'static str,
    due_date: &'static str,
}

const INV_1001: Invoice = Invoice {
    id: "inv-1001",
    number: "INV-1001",
    debtor: TAMM.id,
    total: "1250.00",
    due_date: "2026-12-01",
};
const INV_1002: Invoice = Invoice {
    id: "inv-1002",
    number: "INV-1002",
    debtor: LIEPA.id,
    total: "480.00",
    due_date: "2026-12-04",
};
const INV_1003: Invoice = Invoice {
    id: "inv-1003",
    number: "INV-1003",
    debtor: KOWALSKI.id,
    total: "2900.00",
    due_date: "2026-12-08",
};
const INV_1005: Invoice = Invoice {
    id: "inv-1005",
    number: "INV-1005",
    debtor: TAMM.id,
    total: "320.00",
    due_date: "2026-12-09",
};
const INV_1004: Invoice = Invoice {
    id: "inv-1004",
    number: "INV-1004",
    debtor: TAMM.id,
    total: "75.00",
    due_date: "2026-12-17",
};

impl Invoice {
    /// The invoice as issued and unpaid, in `status`, as the platform saw it at `at`.
    fn snapshot(&self, status: &str, due_date: &str, at: &str) -> String {
        json!({"type": "invoice.upserted", "data": {
            "invoice_id": self.id, "number": self.number, "debtor_id": self.debtor, "currency": "EUR",
            "total": self.total, "amount_due": self.total, "issue_date": "2026-11-16", "due_date": due_date,
            "status": status, "pay_url": format!("https://pay.nordwind.example/i/{}", self.id), "updated_at": at
        }})
        .to_string()
    }

    fn issued(&self, at: &str) -> String {
        self.snapshot("open", self.due_date, at)
    }
}

pub fn deliveries() -> Vec<Delivery> {
    let d = |file, webhook_id, at, body| Delivery {
        file,
        webhook_id,
        at,
        body,
    };
    vec![
        d(
            "01-contact-tamm.json",
            "msg_01",
            "2026-11-16T08:00:00Z",
            TAMM.updated("2026-11-16T08:00:00Z"),
        ),
        d(
            "02-contact-liepa.json",
            "msg_02",
            "2026-11-16T08:01:00Z",
            LIEPA.updated("2026-11-16T08:01:00Z"),
        ),
        d(
            "03-contact-kowalski.json",
            "msg_03",
            "2026-11-16T08:02:00Z",
            KOWALSKI.updated("2026-11-16T08:02:00Z"),
        ),
        d(
            "04-invoice-1001.json",
            "msg_04",
            "2026-11-16T09:00:00Z",
            INV_1001.issued("2026-11-16T09:00:00Z"),
        ),
        d(
            "05-invoice-1002.json",
            "msg_05",
            "2026-11-16T09:05:00Z",
            INV_1002.issued("2026-11-16T09:05:00Z"),
        ),
        d(
            "06-invoice-1003.json",
            "msg_06",
            "2026-11-17T10:00:00Z",
            INV_1003.issued("2026-11-17T10:00:00Z"),
        ),
        d(
            "07-invoice-1004-draft.json",
            "msg_07",
            "2026-11-17T10:30:00Z",
            INV_1004.snapshot("draft", INV_1004.due_date, "2026-11-17T10:30:00Z"),
        ),
        d(
            "14-invoice-1005.json",
            "msg_14",
            "2026-11-18T11:00:00Z",
            INV_1005.issued("2026-11-18T11:00:00Z"),
        ),
        // The platform retries delivery 04 (same id, newly signed): it must change nothing.
        d(
            "08-invoice-1001-redelivered.json",
            "msg_04",
            "2026-11-16T09:03:00Z",
            INV_1001.issued("2026-11-16T09:00:00Z"),
        ),
        // An older state of INV-1003 (an earlier due date) arrives late: it must not overwrite the newer one.
        d(
            "09-invoice-1003-stale.json",
            "msg_09",
            "2026-11-18T07:00:00Z",
            INV_1003.snapshot("open", "2026-12-01", "2026-11-17T09:00:00Z"),
        ),
        d(
            "10-payment-1002.json",
            "msg_10",
            "2026-12-03T13:20:00Z",
            facts::payment("pay-5521", INV_1002.id, "480.00", "0", "2026-12-03T13:19:00Z"),
        ),
        d(
            "11-payment-1003-partial.json",
            "msg_11",
            "2026-12-07T15:00:00Z",
            facts::payment("pay-5530", INV_1003.id, "1000.00", "1900.00", "2026-12-07T14:58:00Z"),
        ),
        d(
            "12-void-1004.json",
            "msg_12",
            "2026-12-09T11:00:00Z",
            facts::void(INV_1004.id, "2026-12-09T10:59:00Z"),
        ),
        d(
            "13-credit-note-1003.json",
            "msg_13",
            "2026-12-18T09:30:00Z",
            facts::credit_note("cn-0042", INV_1003.id, "1900.00", "0", "2026-12-18T09:29:00Z"),
        ),
    ]
}

/// The EventBridge Scheduler event the scheduler function receives on each tick.
pub fn scheduler_tick(at: &str) -> serde_json::Value {
    json!({
        "version": "0",
        "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
        "detail-type": "Scheduled Event",
        "source": "aws.scheduler",
        "account": "123456789012",
        "time": at,
        "region": "eu-west-1",
        "resources": ["arn:aws:scheduler:eu-west-1:123456789012:schedule/default/duly-scheduler-tick"],
        "detail": {}
    })
}

/// Stripe events of the demo: a customer invoiced through Stripe Invoicing, who pays on time.
pub fn stripe_deliveries() -> Vec<Delivery> {
    let invoice = |kind: &str, status: &str, remaining: i64, created: &str| {
        json!({
            "id": format!("evt_{}", kind.replace('.', "_")), "object": "event", "type": kind,
            "created": crate::at(created).timestamp(),
            "data": {"object": {
                "object": "invoice", "id": "in_1OakBirch", "status": status, "number": "NW-S-0007",
                "currency": "eur", "amount_due": 86_000, "amount_paid": 86_000 - remaining, "amount_remaining": remaining,
                "customer": "cus_OakBirch", "customer_email": "accounts@oakbirch.example",
                "customer_name": "Oak & Birch Ltd", "customer_phone": null,
                "due_date": crate::at("2026-12-14T00:00:00Z").timestamp(),
                "hosted_invoice_url": "https://invoice.stripe.com/i/acct_1Demo/live_OakBirch"
            }}
        })
        .to_string()
    };
    vec![
        Delivery {
            file: "01-invoice-finalized.json",
            webhook_id: "evt_invoice_finalized",
            at: "2026-11-20T10:00:00Z",
            body: invoice("invoice.finalized", "open", 86_000, "2026-11-20T10:00:00Z"),
        },
        Delivery {
            file: "02-invoice-paid.json",
            webhook_id: "evt_invoice_paid",
            at: "2026-12-12T16:30:00Z",
            body: invoice("invoice.paid", "paid", 0, "2026-12-12T16:30:00Z"),
        },
    ]
}

/// Xero and QuickBooks deliveries: (platform, file, body). They are signed with the app keys of the local
/// stack and name the demo's tenants.
pub fn thin_deliveries() -> Vec<(&'static str, &'static str, String)> {
    let xero_event = |id: &str, category: &str| {
        json!({"resourceUrl": format!("https://api.xero.com/api.xro/2.0/{category}s/{id}"), "resourceId": id,
               "eventDateUtc": "2026-12-03T13:19:00.000", "eventType": "UPDATE", "eventCategory": category.to_uppercase(),
               "tenantId": "0a8d9f1e-7b2c-4d3e-8f9a-1b2c3d4e5f60", "tenantType": "ORGANISATION"})
    };
    vec![
        (
            "xero",
            "01-intent-to-receive.json",
            json!({"events": [], "firstEventSequence": 0, "lastEventSequence": 0, "entropy": "KZBJHGFSDFGDSFGS"}).to_string(),
        ),
        (
            "xero",
            "02-invoice-updated.json",
            json!({"events": [xero_event("243216c5-369e-4056-ac67-05388f86dc81", "Invoice"), xero_event("bd2270c3-8706-4c11-9cfb-000b551c3f51", "Contact")],
                   "firstEventSequence": 1, "lastEventSequence": 2, "entropy": "TXKDEKGMLQBCYRFH"}).to_string(),
        ),
        (
            "quickbooks",
            "01-legacy-invoice.json",
            json!({"eventNotifications": [{"realmId": "9130357766900456", "dataChangeEvent": {"entities": [
                {"name": "Invoice", "id": "130", "operation": "Update", "lastUpdated": "2026-12-03T13:19:00.000Z"}]}}]}).to_string(),
        ),
        (
            "quickbooks",
            "02-cloudevents-payment.json",
            json!([{"specversion": "1.0", "id": "88cd52a0-0fb5-4d39-a1f2-2f2b8a1c7e01", "source": "intuit.dsnBgbseACLLRZNxo2dfc4evmEJdxde58xeeYcZliOU=",
                    "type": "qbo.payment.created.v1", "datacontenttype": "application/json", "time": "2026-12-03T13:19:00Z",
                    "intuitentityid": "77", "intuitaccountid": "9130357766900456", "data": {}}]).to_string(),
        ),
    ]
}

/// Sample events for the connect function: a marketplace launch and a creditor connecting Stripe (with the
/// demo's token placeholder and test keys), as `(file, event)`.
pub fn connect_events() -> Vec<(&'static str, serde_json::Value)> {
    use crate::webhook_event::function_url_event;
    let stripe = serde_json::json!({"api_key": "rk_test_51NordwindRestrictedReadKey",
        "webhook_secret": crate::webhook_event::DEMO_STRIPE_SECRET})
    .to_string();
    vec![
        (
            "01-xero-launch.json",
            function_url_event("GET", "/connect/xero", &[], "", 1_795_683_600),
        ),
        (
            "02-stripe-keys.json",
            function_url_event(
                "POST",
                "/connect/stripe",
                &[("authorization", "Bearer duly_<the creditor's API token>".to_string())],
                &stripe,
                1_795_683_600,
            ),
        ),
    ]
}

/// What the table's stream hands the sync function when a Xero notice has been recorded.
pub fn sync_stream_batch() -> serde_json::Value {
    serde_json::json!({"Records": [{
        "eventID": "5e1f3c2a9b8d7e6f", "eventName": "INSERT", "eventVersion": "1.1", "eventSource": "aws:dynamodb",
        "awsRegion": "eu-west-1",
        "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/duly-LedgerTable/stream/2026-11-20T09:00:00.000",
        "dynamodb": {
            "ApproximateCreationDateTime": 1_795_683_600,
            "Keys": {"pk": {"S": "C#nordwind#SYNC"}, "sk": {"S": "xero#0a8d9f1e-7b2c-4d3e-8f9a-1b2c3d4e5f60#invoice#243216c5-369e-4056-ac67-05388f86dc81"}},
            "NewImage": {
                "pk": {"S": "C#nordwind#SYNC"},
                "sk": {"S": "xero#0a8d9f1e-7b2c-4d3e-8f9a-1b2c3d4e5f60#invoice#243216c5-369e-4056-ac67-05388f86dc81"},
                "creditor_id": {"S": "nordwind"}, "connection_id": {"S": "conn-xero"}, "platform": {"S": "xero"},
                "tenant": {"S": "0a8d9f1e-7b2c-4d3e-8f9a-1b2c3d4e5f60"}, "entity": {"S": "invoice"},
                "resource_id": {"S": "243216c5-369e-4056-ac67-05388f86dc81"}, "operation": {"S": "update"},
                "noticed_at": {"S": "2026-11-20T09:00:00.000000Z"}, "attempts": {"N": "0"},
                "sync_shard": {"S": "SYNC#1"}, "sync_due": {"S": "2026-11-20T09:00:00.000000Z"}
            },
            "SequenceNumber": "4100000000012345678901", "SizeBytes": 512, "StreamViewType": "NEW_IMAGE"
        }
    }]})
}
