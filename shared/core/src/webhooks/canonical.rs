//! Duly's canonical webhook payload: the few facts every platform adapter reduces its events to.
//!
//! ```json
//! {"type": "invoice.upserted", "data": {"invoice_id": "...", ...}}
//! ```
//!
//! Amounts are decimal strings in major units (`"1234.50"`), never JSON numbers, so nothing passes through
//! floating point. Every fact that changes what is owed carries the invoice's resulting `amount_due` as the
//! platform reports it, stamped with the platform's time: the accounting system stays the source of truth and
//! the newest report wins, whatever order deliveries arrive in.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::calendar::bounds;
use crate::model::ids::{DebtorId, IdError, InvoiceId, SettlementId};
use crate::model::money::{Currency, Money, MoneyError};
use crate::model::phone::ContactPhone;
#[cfg(test)]
use crate::model::phone::PhoneKind;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FactError {
    #[error("body is not valid JSON for a Duly fact: {0}")]
    Malformed(String),
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
}

fn invalid(field: &'static str, reason: impl ToString) -> FactError {
    FactError::Invalid {
        field,
        reason: reason.to_string(),
    }
}

/// A fact about one creditor's ledger, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    Invoice(InvoiceFact),
    ContactUpdated(Contact),
}

/// A fact that changes one invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvoiceFact {
    Upserted(InvoiceSnapshot),
    Settled(Settlement),
    Voided(Void),
}

impl InvoiceFact {
    pub fn invoice_id(&self) -> &InvoiceId {
        match self {
            InvoiceFact::Upserted(s) => &s.invoice_id,
            InvoiceFact::Settled(s) => &s.invoice_id,
            InvoiceFact::Voided(v) => &v.invoice_id,
        }
    }
}

impl Fact {
    /// Refuses a date outside 1970–2100, and a change time more than a day ahead of `now`: from any
    /// platform, before anything is written (see [`crate::calendar::bounds`]).
    pub fn check_dates(&self, now: DateTime<Utc>) -> Result<(), FactError> {
        let date = |field: &'static str, d: NaiveDate| {
            if bounds::date_in_range(d) {
                Ok(())
            } else {
                Err(invalid(field, "must be a date between 1970-01-01 and 2100-12-31"))
            }
        };
        let change = |field: &'static str, t: DateTime<Utc>| {
            if bounds::change_time_acceptable(t, now) {
                Ok(())
            } else {
                Err(invalid(
                    field,
                    "must be a time between 1970 and 2100, and not more than a day ahead of now",
                ))
            }
        };
        match self {
            Fact::Invoice(InvoiceFact::Upserted(s)) => {
                date("due_date", s.due_date)?;
                if let Some(issued) = s.issue_date {
                    date("issue_date", issued)?;
                }
                change("updated_at", s.updated_at)
            }
            Fact::Invoice(InvoiceFact::Settled(s)) => change(
                match s.kind {
                    SettlementKind::Payment => "paid_at",
                    SettlementKind::CreditNote => "issued_at",
                },
                s.at,
            ),
            Fact::Invoice(InvoiceFact::Voided(v)) => change("voided_at", v.voided_at),
            Fact::ContactUpdated(c) => change("updated_at", c.updated_at),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Fact::Invoice(InvoiceFact::Upserted(_)) => "invoice.upserted",
            Fact::Invoice(InvoiceFact::Settled(s)) => match s.kind {
                SettlementKind::Payment => "payment.applied",
                SettlementKind::CreditNote => "credit_note.applied",
            },
            Fact::Invoice(InvoiceFact::Voided(_)) => "invoice.voided",
            Fact::ContactUpdated(_) => "contact.updated",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    Draft,
    Open,
    Paid,
    Void,
}

/// The platform's full view of an invoice at `updated_at`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceSnapshot {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub debtor_id: DebtorId,
    pub total: Money,
    pub amount_due: Money,
    pub issue_date: Option<NaiveDate>,
    pub due_date: NaiveDate,
    pub status: DocumentStatus,
    pub pay_url: Option<String>,
    /// Whom the invoice was sent to, when the platform says (QuickBooks' `BillEmail` and `BillEmailCc`):
    /// reminders go there too, the first as the recipient.
    pub bill_to: Vec<String>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettlementKind {
    Payment,
    CreditNote,
}

/// A payment or a credit note applied to an invoice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    pub kind: SettlementKind,
    pub settlement_id: SettlementId,
    pub invoice_id: InvoiceId,
    pub amount: Money,
    pub at: DateTime<Utc>,
    /// What the platform says is still owed on the invoice after this settlement.
    pub invoice_amount_due: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Void {
    pub invoice_id: InvoiceId,
    pub voided_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub debtor_id: DebtorId,
    pub name: String,
    pub email: Option<String>,
    pub phone: ContactPhone,
    pub language: Option<String>,
    pub country: Option<String>,
    pub time_zone: Option<Tz>,
    /// The contact's groups on the platform; they map to the creditor's customer groups.
    pub groups: Vec<String>,
    /// Further people to copy on e-mail (Xero's contact persons marked to receive invoices).
    pub cc: Vec<String>,
    pub updated_at: DateTime<Utc>,
}

// Wire shapes: what the JSON looks like. They are turned into the types above or rejected.

#[derive(Deserialize)]
#[serde(tag = "type", content = "data")]
enum Wire {
    #[serde(rename = "invoice.upserted")]
    InvoiceUpserted(WireInvoice),
    #[serde(rename = "payment.applied")]
    PaymentApplied(WirePayment),
    #[serde(rename = "credit_note.applied")]
    CreditNoteApplied(WireCreditNote),
    #[serde(rename = "invoice.voided")]
    InvoiceVoided(WireVoid),
    #[serde(rename = "contact.updated")]
    ContactUpdated(WireContact),
}

#[derive(Deserialize)]
struct WireInvoice {
    invoice_id: String,
    number: String,
    debtor_id: String,
    currency: String,
    total: String,
    amount_due: String,
    issue_date: Option<NaiveDate>,
    due_date: NaiveDate,
    status: DocumentStatus,
    pay_url: Option<String>,
    /// Whom the invoice was sent to; reminders go there first.
    #[serde(default)]
    bill_to: Vec<String>,
    updated_at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct WirePayment {
    payment_id: String,
    invoice_id: String,
    currency: String,
    amount: String,
    paid_at: DateTime<Utc>,
    invoice_amount_due: String,
}

#[derive(Deserialize)]
struct WireCreditNote {
    credit_note_id: String,
    invoice_id: String,
    currency: String,
    amount: String,
    issued_at: DateTime<Utc>,
    invoice_amount_due: String,
}

#[derive(Deserialize)]
struct WireVoid {
    invoice_id: String,
    voided_at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct WireContact {
    debtor_id: String,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    language: Option<String>,
    country: Option<String>,
    time_zone: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    updated_at: DateTime<Utc>,
}

fn id<T>(field: &'static str, parse: fn(String) -> Result<T, IdError>, raw: String) -> Result<T, FactError> {
    parse(raw).map_err(|e| invalid(field, e))
}

fn currency(raw: &str) -> Result<Currency, FactError> {
    Currency::parse(raw).map_err(|e| invalid("currency", e))
}

fn amount(field: &'static str, currency: Currency, raw: &str) -> Result<Money, FactError> {
    currency.parse_amount(raw).map_err(|e: MoneyError| invalid(field, e))
}

fn bounded_text(field: &'static str, raw: String, max: usize) -> Result<String, FactError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(invalid(field, "must not be empty"));
    }
    if trimmed.chars().count() > max {
        return Err(invalid(field, format!("must be at most {max} characters")));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(invalid(field, "must not contain control characters"));
    }
    Ok(trimmed.to_string())
}

/// A link Duly may put in a message and redirect to: `https://`, at most 2,048 characters, and only visible
/// ASCII (no spaces or control characters, which would break the short link's `Location` header).
/// The e-mail addresses in a platform's field that may hold several (`a@x.example, b@x.example`): at
/// most five plausible addresses, each at most 254 characters with no spaces or control characters.
pub fn email_list(raw: Option<&str>) -> Vec<String> {
    raw.unwrap_or("")
        .split([',', ';'])
        .map(str::trim)
        .filter(|a| crate::text::plausible_email(a))
        .take(5)
        .map(str::to_string)
        .collect()
}

/// A link Duly may show a debtor or redirect them to. A prefix check is not enough: a parser reads
/// `https://pay.example@evil.example/` as a link to `evil.example`, and a backslash is read as a slash
/// by browsers, so the URL is parsed as browsers parse it and must name a host and carry no user info.
pub fn safe_https_url(raw: &str) -> bool {
    if !raw.starts_with("https://")
        || raw["https://".len()..].starts_with('/')
        || raw.len() > 2048
        || !raw.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
    {
        return false;
    }
    url::Url::parse(raw).is_ok_and(|url| {
        url.scheme() == "https"
            && url.host_str().is_some_and(|host| !host.is_empty())
            && url.username().is_empty()
            && url.password().is_none()
    })
}

fn https_url(field: &'static str, raw: Option<String>) -> Result<Option<String>, FactError> {
    match raw {
        None => Ok(None),
        Some(url) if safe_https_url(&url) => Ok(Some(url)),
        Some(_) => Err(invalid(
            field,
            "must be an https:// URL of visible ASCII characters (percent-encode the rest)",
        )),
    }
}

fn email(raw: Option<String>) -> Result<Option<String>, FactError> {
    let Some(raw) = raw else { return Ok(None) };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if crate::text::plausible_email(trimmed) {
        Ok(Some(trimmed.to_string()))
    } else {
        Err(invalid("email", "is not an e-mail address"))
    }
}

/// Duly's own API refuses a number it cannot read, so the sender learns of it at once; one written without
/// a country code is read in the contact's country.
fn phone(raw: Option<String>, country: Option<&str>) -> Result<ContactPhone, FactError> {
    let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
        return Ok(ContactPhone::default());
    };
    match crate::model::phone::read(&raw, country) {
        Ok((number, kind)) => Ok(ContactPhone {
            number: Some(number),
            kind,
            refused: None,
        }),
        Err(problem) => Err(invalid("phone", problem)),
    }
}

fn language(raw: Option<String>) -> Result<Option<String>, FactError> {
    let Some(raw) = raw else { return Ok(None) };
    let primary = raw.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    if primary.len() == 2 && primary.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(Some(primary))
    } else {
        Err(invalid("language", "must be an ISO 639-1 code such as \"et\""))
    }
}

fn country(raw: Option<String>) -> Result<Option<String>, FactError> {
    let Some(raw) = raw else { return Ok(None) };
    let upper = raw.trim().to_ascii_uppercase();
    if upper.len() == 2 && upper.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(Some(upper))
    } else {
        Err(invalid("country", "must be an ISO 3166-1 alpha-2 code such as \"EE\""))
    }
}

/// Parses and validates one canonical fact from the raw body.
pub fn parse_fact(body: &[u8]) -> Result<Fact, FactError> {
    let wire: Wire = serde_json::from_slice(body).map_err(|e| FactError::Malformed(e.to_string()))?;
    match wire {
        Wire::InvoiceUpserted(w) => {
            let cur = currency(&w.currency)?;
            let total = amount("total", cur, &w.total)?;
            let amount_due = amount("amount_due", cur, &w.amount_due)?;
            if amount_due.minor > total.minor {
                return Err(invalid("amount_due", "must not exceed total"));
            }
            if w.status == DocumentStatus::Paid && !amount_due.is_zero() {
                return Err(invalid("status", "a paid invoice has amount_due 0"));
            }
            Ok(Fact::Invoice(InvoiceFact::Upserted(InvoiceSnapshot {
                invoice_id: id("invoice_id", InvoiceId::parse, w.invoice_id)?,
                number: bounded_text("number", w.number, 64)?,
                debtor_id: id("debtor_id", DebtorId::parse, w.debtor_id)?,
                total,
                amount_due,
                issue_date: w.issue_date,
                due_date: w.due_date,
                status: w.status,
                pay_url: https_url("pay_url", w.pay_url)?,
                bill_to: {
                    if w.bill_to.len() > 5 {
                        return Err(invalid("bill_to", "at most 5 addresses"));
                    }
                    let mut list = Vec::new();
                    for raw in w.bill_to {
                        list.push(email(Some(raw))?.ok_or_else(|| invalid("bill_to", "an e-mail address"))?);
                    }
                    list
                },
                updated_at: exact_to_micros(w.updated_at),
            })))
        }
        Wire::PaymentApplied(w) => {
            let cur = currency(&w.currency)?;
            Ok(Fact::Invoice(InvoiceFact::Settled(Settlement {
                kind: SettlementKind::Payment,
                settlement_id: id("payment_id", SettlementId::parse, w.payment_id)?,
                invoice_id: id("invoice_id", InvoiceId::parse, w.invoice_id)?,
                amount: positive(amount("amount", cur, &w.amount)?)?,
                at: exact_to_micros(w.paid_at),
                invoice_amount_due: amount("invoice_amount_due", cur, &w.invoice_amount_due)?,
            })))
        }
        Wire::CreditNoteApplied(w) => {
            let cur = currency(&w.currency)?;
            Ok(Fact::Invoice(InvoiceFact::Settled(Settlement {
                kind: SettlementKind::CreditNote,
                settlement_id: id("credit_note_id", SettlementId::parse, w.credit_note_id)?,
                invoice_id: id("invoice_id", InvoiceId::parse, w.invoice_id)?,
                amount: positive(amount("amount", cur, &w.amount)?)?,
                at: exact_to_micros(w.issued_at),
                invoice_amount_due: amount("invoice_amount_due", cur, &w.invoice_amount_due)?,
            })))
        }
        Wire::InvoiceVoided(w) => Ok(Fact::Invoice(InvoiceFact::Voided(Void {
            invoice_id: id("invoice_id", InvoiceId::parse, w.invoice_id)?,
            voided_at: exact_to_micros(w.voided_at),
        }))),
        Wire::ContactUpdated(w) => {
            let country = country(w.country)?;
            Ok(Fact::ContactUpdated(Contact {
                debtor_id: id("debtor_id", DebtorId::parse, w.debtor_id)?,
                name: bounded_text("name", w.name, 200)?,
                email: email(w.email)?,
                phone: phone(w.phone, country.as_deref())?,
                language: language(w.language)?,
                country,
                time_zone: match w.time_zone {
                    None => None,
                    Some(tz) => Some(
                        tz.parse::<Tz>()
                            .map_err(|_| invalid("time_zone", "must be an IANA time zone such as Europe/Tallinn"))?,
                    ),
                },
                groups: {
                    if w.groups.len() > 20 {
                        return Err(invalid("groups", "at most 20 groups"));
                    }
                    w.groups
                        .into_iter()
                        .map(|g| bounded_text("groups", g, 100))
                        .collect::<Result<_, _>>()?
                },
                cc: Vec::new(),
                updated_at: exact_to_micros(w.updated_at),
            }))
        }
    }
}

/// The store keeps timestamps to the microsecond; truncating on the way in keeps comparisons in pure code and
/// in DynamoDB conditions in agreement.
fn exact_to_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::SubsecRound;
    t.trunc_subsecs(6)
}

fn positive(m: Money) -> Result<Money, FactError> {
    if m.is_zero() {
        Err(invalid("amount", "must be greater than zero"))
    } else {
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invoice_json(extra: &str) -> String {
        format!(
            r#"{{"type":"invoice.upserted","data":{{"invoice_id":"inv-1","number":"INV-1","debtor_id":"cus-1",
            "currency":"EUR","total":"100.00","amount_due":"60.00","due_date":"2026-12-01","status":"open",
            "updated_at":"2026-11-20T10:00:00Z"{extra}}}}}"#
        )
    }

    #[test]
    fn parses_an_invoice() {
        let Fact::Invoice(InvoiceFact::Upserted(inv)) = parse_fact(invoice_json("").as_bytes()).unwrap() else {
            panic!("not an invoice")
        };
        assert_eq!(inv.total.minor, 10_000);
        assert_eq!(inv.amount_due.minor, 6_000);
        assert_eq!(inv.due_date, NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    }

    #[test]
    fn parses_each_kind() {
        let bodies = [
            r#"{"type":"payment.applied","data":{"payment_id":"p1","invoice_id":"inv-1","currency":"eur","amount":"10","paid_at":"2026-11-21T10:00:00Z","invoice_amount_due":"50"}}"#,
            r#"{"type":"credit_note.applied","data":{"credit_note_id":"cn1","invoice_id":"inv-1","currency":"EUR","amount":"10","issued_at":"2026-11-21T10:00:00Z","invoice_amount_due":"40"}}"#,
            r#"{"type":"invoice.voided","data":{"invoice_id":"inv-1","voided_at":"2026-11-21T10:00:00Z"}}"#,
            r#"{"type":"contact.updated","data":{"debtor_id":"cus-1","name":"Tamm OÜ","email":"arved@tamm.ee","phone":"+372 5551 2345","language":"et-EE","country":"ee","time_zone":"Europe/Tallinn","updated_at":"2026-11-21T10:00:00Z"}}"#,
        ];
        let kinds: Vec<&str> = bodies
            .iter()
            .map(|b| parse_fact(b.as_bytes()).unwrap().kind())
            .collect();
        assert_eq!(
            kinds,
            [
                "payment.applied",
                "credit_note.applied",
                "invoice.voided",
                "contact.updated"
            ]
        );
        let Fact::ContactUpdated(c) = parse_fact(bodies[3].as_bytes()).unwrap() else {
            unreachable!()
        };
        assert_eq!(c.phone, ContactPhone::mobile("+37255512345"));
        assert_eq!(c.language.as_deref(), Some("et"));
        assert_eq!(c.country.as_deref(), Some("EE"));
    }

    #[test]
    fn a_contacts_number_is_read_in_its_country_and_one_that_is_none_is_refused_with_the_reason() {
        let contact = |phone: &str, country: &str| {
            let country = if country.is_empty() {
                String::new()
            } else {
                format!(r#","country":"{country}""#)
            };
            let body = format!(
                r#"{{"type":"contact.updated","data":{{"debtor_id":"cus-1","name":"X","phone":"{phone}"{country},"updated_at":"2026-11-21T10:00:00Z"}}}}"#
            );
            parse_fact(body.as_bytes()).map(|f| match f {
                Fact::ContactUpdated(c) => c.phone,
                _ => unreachable!(),
            })
        };
        let uk = contact("020 7946 0000", "GB").unwrap();
        assert_eq!(
            (uk.number.as_deref(), uk.kind),
            (Some("+442079460000"), PhoneKind::Landline)
        );
        assert_eq!(
            contact("0151 23456789", "DE").unwrap(),
            ContactPhone::mobile("+4915123456789")
        );
        assert_eq!(contact("", "DE").unwrap(), ContactPhone::default());
        let refused = contact("0151 23456789", "").unwrap_err().to_string();
        assert!(
            refused.contains("phone") && refused.contains("no country code"),
            "{refused}"
        );
        let refused = contact("(555) 555-5555", "US").unwrap_err().to_string();
        assert!(refused.contains("not a number that exists"), "{refused}");
    }

    #[test]
    fn malformed_and_truncated_json_is_malformed() {
        for body in [
            "",
            "{",
            "[]",
            "null",
            r#"{"type":"invoice.upserted"}"#,
            r#"{"type":"nope","data":{}}"#,
        ] {
            assert!(
                matches!(parse_fact(body.as_bytes()), Err(FactError::Malformed(_))),
                "{body}"
            );
        }
        let full = invoice_json("");
        let truncated = &full[..full.len() - 5];
        assert!(matches!(parse_fact(truncated.as_bytes()), Err(FactError::Malformed(_))));
    }

    #[test]
    fn wrong_types_and_numbers_are_rejected() {
        let numeric_total = invoice_json("").replace(r#""total":"100.00""#, r#""total":100.0"#);
        assert!(matches!(
            parse_fact(numeric_total.as_bytes()),
            Err(FactError::Malformed(_))
        ));
        let huge = invoice_json("").replace(r#""total":"100.00""#, r#""total":"1e400""#);
        assert!(matches!(
            parse_fact(huge.as_bytes()),
            Err(FactError::Invalid { field: "total", .. })
        ));
    }

    #[test]
    fn semantic_errors_name_the_field() {
        let cases = [
            (invoice_json("").replace("\"EUR\"", "\"XXX\""), "currency"),
            (invoice_json("").replace("\"60.00\"", "\"-1\""), "amount_due"),
            (invoice_json("").replace("\"60.00\"", "\"160.00\""), "amount_due"),
            (invoice_json("").replace("\"inv-1\"", "\"inv#1\""), "invoice_id"),
            (invoice_json(r#","pay_url":"http://insecure""#), "pay_url"),
            (invoice_json("").replace("\"open\"", "\"paid\""), "status"),
        ];
        for (body, field) in cases {
            match parse_fact(body.as_bytes()) {
                Err(FactError::Invalid { field: f, .. }) => assert_eq!(f, field, "{body}"),
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn pay_links_are_https_and_visible_ascii_only() {
        assert!(safe_https_url("https://pay.example/i/1001?x=%20y"));
        assert!(!safe_https_url("http://pay.example/i/1001"));
        assert!(!safe_https_url("https://pay.example/i/1001\u{1}"));
        assert!(!safe_https_url("https://pay.example/i/10 01"));
        assert!(!safe_https_url("https://pay.example/ä"));
        assert!(!safe_https_url(&format!("https://{}", "a".repeat(2048))));
        assert!(!safe_https_url("https://pay.example@evil.example/"));
        assert!(!safe_https_url("https://user:pw@pay.example/"));
        assert!(!safe_https_url("https://"));
        assert!(!safe_https_url("https:///path-only"));
        assert!(!safe_https_url("https://pay.example\\@evil.example/"));
        assert!(!safe_https_url("https://[::1"));
        assert!(safe_https_url("https://pay.example"));
    }
}
