//! What Duly asks Merit and what it reads from the answers: invoices in a period, one invoice in full with
//! its payments, and customers.
//!
//! Merit's answers carry no change time, so each record is stamped with when the poll that read it
//! started: polls of one company run one after another, so a later poll's reading is the newer.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::value::RawValue;

use super::{duly_id, merit_guid};
use crate::model::ids::{DebtorId, InvoiceId, SettlementId};
use crate::model::money::{Currency, Money};
use crate::model::phone;
use crate::webhooks::canonical::{
    email_list, Contact, DocumentStatus, FactError, InvoiceSnapshot, Settlement, SettlementKind,
};

fn invalid(field: &'static str, reason: impl ToString) -> FactError {
    FactError::Invalid {
        field,
        reason: reason.to_string(),
    }
}

fn day(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// `getinvoices`: the invoices changed in a period (`changed`, paid or not), or the unpaid ones dated in it.
pub fn invoices_request(start: NaiveDate, end: NaiveDate, changed: bool) -> String {
    serde_json::json!({
        "PeriodStart": day(start),
        "PeriodEnd": day(end),
        "UnPaid": !changed,
        "DateType": u8::from(changed),
    })
    .to_string()
}

/// `getinvoice`: one invoice with its payments, without its attachment.
pub fn invoice_request(guid: &str) -> String {
    serde_json::json!({"Id": guid, "AddAttachment": false}).to_string()
}

/// `getsalesinvpdf`: the invoice as the PDF Merit prints.
pub fn invoice_pdf_request(guid: &str) -> String {
    serde_json::json!({"Id": guid, "DelivNote": false}).to_string()
}

/// `getcustomers`: those changed or made since a day, or (on the first import) all.
pub fn customers_request(changed_since: Option<NaiveDate>) -> String {
    match changed_since {
        Some(d) => serde_json::json!({"ChangedDate": day(d)}).to_string(),
        None => "{}".to_string(),
    }
}

/// Merit writes dates as `2026-12-07T00:00:00` (and, before 2024, `20261207`).
fn merit_date(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    raw.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .or_else(|| raw.get(..8).and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok()))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Header {
    #[serde(rename = "SIHId")]
    sih_id: String,
    invoice_no: Option<String>,
    document_date: Option<String>,
    due_date: Option<String>,
    customer_id: String,
    currency_code: Option<String>,
    total_sum: Box<RawValue>,
    paid_amount: Option<Box<RawValue>>,
    #[serde(default)]
    paid: bool,
}

/// One invoice as a list or its details give it, read as Duly keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeritInvoice {
    pub snapshot: InvoiceSnapshot,
    /// What has been paid on it, as Merit counts.
    pub paid: Money,
}

/// A credit invoice (a negative total) is not a debt: it reaches Duly as the payment it is set against.
fn read_header(h: Header, observed_at: DateTime<Utc>, home: Currency) -> Result<Option<MeritInvoice>, FactError> {
    if h.total_sum.get().trim_start().starts_with('-') {
        return Ok(None);
    }
    let currency = match h.currency_code.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => Currency::parse(code).map_err(|e| invalid("CurrencyCode", e))?,
        None => home,
    };
    let total = currency
        .parse_amount(h.total_sum.get())
        .map_err(|e| invalid("TotalSum", e))?;
    let paid = match &h.paid_amount {
        Some(raw) if !raw.get().trim_start().starts_with('-') => {
            currency.parse_amount(raw.get()).map_err(|e| invalid("PaidAmount", e))?
        }
        _ => Money { minor: 0, currency },
    };
    let due = (total.minor - paid.minor).clamp(0, total.minor);
    let amount_due = if h.paid { 0 } else { due };
    let issued = h.document_date.as_deref().and_then(merit_date);
    Ok(Some(MeritInvoice {
        snapshot: InvoiceSnapshot {
            invoice_id: InvoiceId::parse(duly_id(&h.sih_id)).map_err(|e| invalid("SIHId", e))?,
            number: h.invoice_no.unwrap_or_default().trim().chars().take(64).collect(),
            debtor_id: DebtorId::parse(duly_id(&h.customer_id)).map_err(|e| invalid("CustomerId", e))?,
            total,
            amount_due: Money {
                minor: amount_due,
                currency,
            },
            issue_date: issued,
            due_date: h
                .due_date
                .as_deref()
                .and_then(merit_date)
                .or(issued)
                .ok_or_else(|| invalid("DueDate", "missing"))?,
            status: if amount_due == 0 {
                DocumentStatus::Paid
            } else {
                DocumentStatus::Open
            },
            pay_url: None,
            bill_to: Vec::new(),
            updated_at: observed_at,
        },
        paid,
    }))
}

/// `getinvoices`' answer: an array of invoice headers. Credit invoices are left out.
pub fn invoice_list(body: &[u8], observed_at: DateTime<Utc>, home: Currency) -> Result<Vec<MeritInvoice>, FactError> {
    let headers: Vec<Header> = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let mut invoices = Vec::new();
    for header in headers {
        invoices.extend(read_header(header, observed_at, home)?);
    }
    Ok(invoices)
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Details {
    header: Option<Header>,
    #[serde(default)]
    payments: Vec<Payment>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Payment {
    paym_date: Option<String>,
    amount: Box<RawValue>,
    payment_id: Option<String>,
}

/// What `getinvoice` says of one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// Merit no longer has it: it was deleted. Its documentation: "the result, if not empty".
    Gone,
    /// The invoice, and each payment on it, stamped with what is still owed now.
    Invoice(Box<MeritInvoice>, Vec<Settlement>),
}

/// `getinvoice`'s answer.
pub fn invoice_details(body: &[u8], observed_at: DateTime<Utc>, home: Currency) -> Result<Found, FactError> {
    let text = std::str::from_utf8(body)
        .map_err(|e| FactError::Malformed(e.to_string()))?
        .trim();
    if text.is_empty() || text == "null" || text == "{}" {
        return Ok(Found::Gone);
    }
    let details: Details = serde_json::from_str(text).map_err(|e| FactError::Malformed(e.to_string()))?;
    let Some(header) = details.header else {
        return Ok(Found::Gone);
    };
    let Some(invoice) = read_header(header, observed_at, home)? else {
        return Ok(Found::Gone);
    };
    let currency = invoice.snapshot.total.currency;
    let mut settlements: Vec<Settlement> = Vec::new();
    for p in details.payments {
        if p.amount.get().trim_start().starts_with('-') {
            continue;
        }
        let amount = currency
            .parse_amount(p.amount.get())
            .map_err(|e| invalid("Amount", e))?;
        let paid_on = p.paym_date.as_deref().and_then(merit_date);
        let at = paid_on
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map_or(observed_at, |t| t.and_utc());
        // Merit gives some payments no id (all zeros): such a payment is known by its day and amount,
        // and a second like it on the same day by its count.
        let id = match p.payment_id.as_deref().map(str::trim) {
            Some(id) if id.bytes().any(|b| b.is_ascii_hexdigit() && b != b'0') => duly_id(id),
            _ => {
                let like = settlements.iter().filter(|s| s.at == at && s.amount == amount).count();
                format!(
                    "{}-{}-{}-{like}",
                    invoice.snapshot.invoice_id,
                    paid_on.map_or_else(|| "undated".to_string(), day),
                    amount.minor
                )
            }
        };
        settlements.push(Settlement {
            kind: SettlementKind::Payment,
            settlement_id: SettlementId::parse(id).map_err(|e| invalid("PaymentId", e))?,
            invoice_id: invoice.snapshot.invoice_id.clone(),
            amount,
            at,
            invoice_amount_due: invoice.snapshot.amount_due,
        });
    }
    Ok(Found::Invoice(Box::new(invoice), settlements))
}

/// `getsalesinvpdf`'s answer: the file's bytes, base64 in `FileContent`.
pub fn invoice_pdf(body: &[u8]) -> Result<Vec<u8>, FactError> {
    use base64::Engine;
    #[derive(Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct File {
        file_content: String,
    }
    let file: File = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    base64::engine::general_purpose::STANDARD
        .decode(file.file_content.trim())
        .map_err(|e| invalid("FileContent", e))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Customer {
    customer_id: String,
    name: Option<String>,
    email: Option<String>,
    phone_no: Option<String>,
    phone_no2: Option<String>,
    country_code: Option<String>,
    sales_inv_lang: Option<String>,
    customer_group_name: Option<String>,
}

/// `getcustomers`' answer as contacts: the e-mail field may hold several addresses (the first is the
/// recipient, the rest are copied); numbers are read in the customer's country; the language is the one
/// the creditor invoices them in; the customer group's name is kept as it is written.
pub fn customers(body: &[u8], observed_at: DateTime<Utc>) -> Result<Vec<Contact>, FactError> {
    let rows: Vec<Customer> = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    let mut contacts = Vec::with_capacity(rows.len());
    for c in rows {
        let place = crate::calendar::zones::locate(c.country_code.as_deref(), None);
        let (country, time_zone) = place.map_or((None, None), |(c, z)| (Some(c), z));
        let numbers: Vec<String> = [c.phone_no, c.phone_no2].into_iter().flatten().collect();
        let mut addresses = email_list(c.email.as_deref()).into_iter();
        let language = c
            .sales_inv_lang
            .map(|l| l.trim().to_ascii_lowercase())
            .filter(|l| l.len() == 2 && l.bytes().all(|b| b.is_ascii_lowercase()));
        contacts.push(Contact {
            debtor_id: DebtorId::parse(duly_id(&c.customer_id)).map_err(|e| invalid("CustomerId", e))?,
            name: c.name.unwrap_or_default().trim().chars().take(200).collect(),
            email: addresses.next(),
            phone: phone::best(numbers.iter().map(String::as_str), country.as_deref()),
            language,
            country,
            time_zone,
            groups: c
                .customer_group_name
                .map(|g| g.trim().chars().take(60).collect::<String>())
                .filter(|g| !g.is_empty())
                .into_iter()
                .collect(),
            cc: addresses.collect(),
            updated_at: observed_at,
        });
    }
    Ok(contacts)
}

/// The Merit GUID of a Duly invoice id, for `getinvoice`.
pub fn guid_of(invoice: &InvoiceId) -> Option<&str> {
    merit_guid(invoice.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::phone::PhoneKind;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().to_utc()
    }

    fn eur() -> Currency {
        Currency::parse("EUR").unwrap()
    }

    const HEADER: &str = r#"{"SIHId": "5F91033C-9d0f-416e-a079-d3c892b8c317", "InvoiceNo": "ARV-1121",
        "DocumentDate": "2026-11-02T00:00:00", "DueDate": "2026-11-16T00:00:00",
        "CustomerId": "665f01a4-357a-4a6b-a565-2f17e6e1da13", "CustomerName": "Kask OÜ",
        "CurrencyCode": "EUR", "TotalSum": 1240.50, "PaidAmount": 240.50, "Paid": false}"#;

    #[test]
    fn a_listed_invoice_is_kept_under_its_merit_id_with_what_is_still_owed() {
        let observed = at("2026-12-07T08:00:00Z");
        let credit = r#"{"SIHId": "0b6c1b9e-0000-4000-8000-000000000001", "InvoiceNo": "KR-1",
            "DueDate": "2026-11-16T00:00:00", "CustomerId": "665f01a4-357a-4a6b-a565-2f17e6e1da13",
            "TotalSum": -100.00, "PaidAmount": 0}"#;
        let body = format!("[{HEADER}, {credit}]");
        let invoices = invoice_list(body.as_bytes(), observed, eur()).unwrap();
        assert_eq!(invoices.len(), 1, "a credit invoice is not a debt");
        let s = &invoices[0].snapshot;
        assert_eq!(s.invoice_id.as_str(), "merit:5f91033c-9d0f-416e-a079-d3c892b8c317");
        assert_eq!(s.debtor_id.as_str(), "merit:665f01a4-357a-4a6b-a565-2f17e6e1da13");
        assert_eq!(
            (s.total.minor, s.amount_due.minor, invoices[0].paid.minor),
            (124_050, 100_000, 24_050)
        );
        assert_eq!(s.status, DocumentStatus::Open);
        assert_eq!(s.due_date.to_string(), "2026-11-16");
        assert_eq!(s.updated_at, observed);
        let paid = HEADER.replace("\"Paid\": false", "\"Paid\": true");
        let invoices = invoice_list(format!("[{paid}]").as_bytes(), observed, eur()).unwrap();
        assert_eq!(invoices[0].snapshot.status, DocumentStatus::Paid);
        assert_eq!(invoices[0].snapshot.amount_due.minor, 0);
    }

    #[test]
    fn an_invoice_read_in_full_itemises_its_payments_and_a_deleted_one_is_gone() {
        let observed = at("2026-12-07T08:00:00Z");
        let paid = HEADER
            .replace("240.50", "1240.50")
            .replace("\"Paid\": false", "\"Paid\": true");
        let body = format!(
            r#"{{"Header": {paid}, "Lines": [], "Payments": [
                {{"PaymDate": "2026-11-20T00:00:00", "Amount": 240.50, "PaymentMethod": "Pank",
                  "PaymentId": "9a1c0e55-1111-4e22-8a33-000000000001"}},
                {{"PaymDate": "2026-12-04T00:00:00", "Amount": 1000.00, "PaymentMethod": "Pank",
                  "PaymentId": "00000000-0000-0000-0000-000000000000"}}], "Attachment": null}}"#
        );
        let Found::Invoice(invoice, settlements) = invoice_details(body.as_bytes(), observed, eur()).unwrap() else {
            panic!("found")
        };
        assert_eq!(invoice.snapshot.amount_due.minor, 0);
        let read: Vec<(String, i64, String)> = settlements
            .iter()
            .map(|s| {
                (
                    s.settlement_id.to_string(),
                    s.amount.minor,
                    s.at.date_naive().to_string(),
                )
            })
            .collect();
        assert_eq!(
            read,
            [
                (
                    "merit:9a1c0e55-1111-4e22-8a33-000000000001".into(),
                    24_050,
                    "2026-11-20".into()
                ),
                (
                    "merit:5f91033c-9d0f-416e-a079-d3c892b8c317-20261204-100000-0".into(),
                    100_000,
                    "2026-12-04".into()
                ),
            ]
        );
        for gone in ["", "null", "{}", r#"{"Header": null, "Payments": []}"#] {
            assert_eq!(
                invoice_details(gone.as_bytes(), observed, eur()).unwrap(),
                Found::Gone,
                "{gone:?}"
            );
        }
    }

    #[test]
    fn a_customer_keeps_its_group_as_written_and_its_numbers_are_read_in_its_country() {
        let body = r#"[{"CustomerId": "7DA4CD44-9b49-4a35-8d1b-f339a68e7058", "Name": " Mäe Ehitus OÜ ",
            "Email": "arved@mae.example; juhataja@mae.example", "PhoneNo": "5123 4567", "PhoneNo2": null,
            "CountryCode": "EE", "SalesInvLang": "ET", "CustomerGroupName": "Püsikliendid"},
            {"CustomerId": "8db5de55-9b49-4a35-8d1b-f339a68e7058", "Name": "Sp. z o.o. Łąka",
            "Email": null, "PhoneNo": "+48 512 345 678", "CountryCode": "PL", "SalesInvLang": "PL",
            "CustomerGroupName": "Клиенты"}]"#;
        let contacts = customers(body.as_bytes(), at("2026-12-07T08:00:00Z")).unwrap();
        let mae = &contacts[0];
        assert_eq!(mae.debtor_id.as_str(), "merit:7da4cd44-9b49-4a35-8d1b-f339a68e7058");
        assert_eq!(mae.name, "Mäe Ehitus OÜ");
        assert_eq!(mae.email.as_deref(), Some("arved@mae.example"));
        assert_eq!(mae.cc, ["juhataja@mae.example"]);
        assert_eq!(mae.phone.number.as_deref(), Some("+37251234567"));
        assert_eq!(mae.phone.kind, PhoneKind::Mobile);
        assert_eq!(
            (mae.language.as_deref(), mae.country.as_deref()),
            (Some("et"), Some("EE"))
        );
        assert_eq!(mae.groups, ["Püsikliendid"]);
        assert_eq!(contacts[1].phone.number.as_deref(), Some("+48512345678"));
        assert_eq!(contacts[1].groups, ["Клиенты"]);
        assert_eq!(contacts[1].email, None);
    }

    #[test]
    fn requests_name_the_period_and_whether_by_change_or_unpaid() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let body: serde_json::Value =
            serde_json::from_str(&invoices_request(d("2026-12-01"), d("2026-12-07"), true)).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"PeriodStart": "20261201", "PeriodEnd": "20261207", "UnPaid": false, "DateType": 1})
        );
        assert_eq!(
            customers_request(Some(d("2026-12-07"))),
            r#"{"ChangedDate":"20261207"}"#
        );
        assert_eq!(merit_date("20261207"), Some(d("2026-12-07")));
    }
}
