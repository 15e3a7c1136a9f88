//! The creditor's settings API: reminder policy, customer groups, per-debtor and per-invoice controls, and
//! "what will be sent and why". Every change recomputes where the affected invoices sit on the due index
//! straight away, through the by-creditor and by-debtor indexes (never a scan), so a pause or a dispute
//! stops the plan at once and a resumed invoice is planned again.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use duly_adapters::store::{Store, StoreError};
use duly_core::calendar::calendar_for;
use duly_core::ledger::Invoice;
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::{Creditor, Debtor, Dispute, InvoiceControls, Override, Promise};
use duly_core::planner::{explain, plan_invoice, Context, Explanation};
use duly_core::policy::{validate, validate_steps, Channel, CustomerGroup, Policy, PolicyError};

/// Attempts at a read-modify-write before giving up on a busy invoice.
const ATTEMPTS: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("a valid bearer token is required")]
    Unauthorized,
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("{0}")]
    Invalid(#[from] PolicyError),
    #[error("the invoice keeps changing; try again")]
    Contended,
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}

impl SettingsError {
    pub fn status(&self) -> u16 {
        match self {
            SettingsError::Unauthorized => 401,
            SettingsError::NotFound(_) => 404,
            SettingsError::Invalid(_) => 422,
            SettingsError::Contended => 409,
            SettingsError::Store(e) if e.is_retryable() => 503,
            SettingsError::Store(_) => 500,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            SettingsError::Unauthorized => "unauthorized",
            SettingsError::NotFound(_) => "not_found",
            SettingsError::Invalid(_) => "invalid",
            SettingsError::Contended => "contended",
            SettingsError::Store(_) => "unavailable",
        }
    }
}

fn invalid(field: &str, reason: &str) -> SettingsError {
    SettingsError::Invalid(PolicyError {
        field: field.to_string(),
        reason: reason.to_string(),
    })
}

/// A switch as the API takes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideInput {
    pub on: bool,
    #[serde(default)]
    pub until: Option<NaiveDate>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// How many due-index entries a change moved.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct Replanned {
    pub replanned: usize,
}

fn check_reason(reason: &Option<String>) -> Result<(), SettingsError> {
    if reason
        .as_ref()
        .is_some_and(|r| r.chars().count() > 500 || r.chars().any(char::is_control))
    {
        return Err(invalid("reason", "at most 500 characters, no control characters"));
    }
    Ok(())
}

fn to_override(input: OverrideInput, creditor: &Creditor, now: DateTime<Utc>) -> Result<Override, SettingsError> {
    check_reason(&input.reason)?;
    let today = now.with_timezone(&creditor.time_zone).date_naive();
    if input.until.is_some_and(|u| u <= today) {
        return Err(invalid("until", "must be a future date"));
    }
    Ok(Override {
        on: input.on,
        until: input.until,
        reason: input.reason,
        set_at: now,
    })
}

fn check_group_name(name: &str) -> Result<(), SettingsError> {
    let ok = !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b' '));
    if ok {
        Ok(())
    } else {
        Err(invalid("group", "1 to 40 letters, digits, spaces, - or _"))
    }
}

/// Resolves a bearer token to its creditor.
pub async fn authenticate(store: &Store, authorization: Option<&str>) -> Result<CreditorId, SettingsError> {
    let token = authorization
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| duly_core::model::tokens::well_formed(t))
        .ok_or(SettingsError::Unauthorized)?;
    store.creditor_of_token(token).await?.ok_or(SettingsError::Unauthorized)
}

pub async fn creditor(store: &Store, id: &CreditorId) -> Result<Creditor, SettingsError> {
    store.get_creditor(id).await?.ok_or(SettingsError::NotFound("creditor"))
}

/// Recomputes the next look of each open invoice and moves those whose entry changed.
async fn replan(
    store: &Store,
    creditor: &Creditor,
    invoices: Vec<Invoice>,
    now: DateTime<Utc>,
) -> Result<usize, SettingsError> {
    let mut debtors: HashMap<DebtorId, Option<Debtor>> = HashMap::new();
    let mut moved = 0;
    for mut invoice in invoices.into_iter().filter(Invoice::is_open) {
        let Some(debtor_id) = invoice.doc.as_ref().map(|d| d.debtor_id.clone()) else {
            continue;
        };
        if !debtors.contains_key(&debtor_id) {
            let d = store.get_debtor(&creditor.creditor_id, &debtor_id).await?;
            debtors.insert(debtor_id.clone(), d);
        }
        let debtor = debtors.get(&debtor_id).and_then(Option::as_ref);
        let calendar = calendar_for(creditor, debtor);
        for attempt in 0..ATTEMPTS {
            let ctx = Context {
                creditor,
                debtor,
                calendar: &calendar,
            };
            let next = plan_invoice(&invoice, &ctx, now).next_look(&calendar, now);
            if next == invoice.next_action_at {
                break;
            }
            if store.reschedule(&invoice, next, &[]).await? {
                moved += 1;
                break;
            }
            // The index copy was behind: read the invoice itself and decide again.
            match store.get_invoice(&creditor.creditor_id, &invoice.invoice_id).await? {
                Some(fresh) if fresh.is_open() && attempt + 1 < ATTEMPTS => invoice = fresh,
                Some(_) | None => break,
            }
        }
    }
    Ok(moved)
}

pub async fn put_policy(
    store: &Store,
    id: &CreditorId,
    policy: Policy,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    validate(&policy)?;
    let mut c = creditor(store, id).await?;
    c.policy = policy;
    store.put_creditor(&c).await?;
    let open = store.open_invoices_of_creditor(id).await?;
    Ok(Replanned {
        replanned: replan(store, &c, open, now).await?,
    })
}

pub async fn put_group(
    store: &Store,
    id: &CreditorId,
    name: &str,
    group: Option<CustomerGroup>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    check_group_name(name)?;
    let mut c = creditor(store, id).await?;
    match group {
        Some(g) => {
            if let Some(steps) = &g.steps {
                validate_steps(steps, "steps")?;
            }
            if g.platform_groups.len() > 20 || g.platform_groups.iter().any(|p| p.is_empty() || p.len() > 100) {
                return Err(invalid("platform_groups", "at most 20 names of 1 to 100 characters"));
            }
            c.groups.insert(name.to_string(), g);
        }
        None => {
            if c.groups.remove(name).is_none() {
                return Err(SettingsError::NotFound("group"));
            }
        }
    }
    store.put_creditor(&c).await?;
    let open = store.open_invoices_of_creditor(id).await?;
    Ok(Replanned {
        replanned: replan(store, &c, open, now).await?,
    })
}

pub(crate) async fn change_debtor(
    store: &Store,
    id: &CreditorId,
    debtor_id: &DebtorId,
    now: DateTime<Utc>,
    change: impl FnOnce(&Creditor, &mut Debtor) -> Result<(), SettingsError>,
) -> Result<Replanned, SettingsError> {
    let c = creditor(store, id).await?;
    let mut debtor = store
        .get_debtor(id, debtor_id)
        .await?
        .ok_or(SettingsError::NotFound("debtor"))?;
    change(&c, &mut debtor)?;
    if !store.set_debtor_controls(id, debtor_id, &debtor.controls).await? {
        return Err(SettingsError::NotFound("debtor"));
    }
    let open = store.open_invoices_of(id, debtor_id).await?;
    Ok(Replanned {
        replanned: replan(store, &c, open, now).await?,
    })
}

pub async fn set_debtor_group(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    group: Option<String>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_debtor(store, id, debtor, now, |c, d| {
        if let Some(name) = &group {
            if !c.groups.contains_key(name) {
                return Err(SettingsError::NotFound("group"));
            }
        }
        d.controls.group = group;
        Ok(())
    })
    .await
}

pub async fn set_debtor_reminders(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    input: Option<OverrideInput>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_debtor(store, id, debtor, now, |c, d| {
        d.controls.reminders = input.map(|i| to_override(i, c, now)).transpose()?;
        Ok(())
    })
    .await
}

pub async fn set_debtor_opt_out(
    store: &Store,
    id: &CreditorId,
    debtor: &DebtorId,
    channels: BTreeSet<Channel>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_debtor(store, id, debtor, now, |_, d| {
        d.controls.opted_out = channels;
        Ok(())
    })
    .await
}

/// Read-modify-write of one invoice's controls, conditional on its revision, replanned in the same write.
pub(crate) async fn change_invoice(
    store: &Store,
    id: &CreditorId,
    invoice_id: &InvoiceId,
    now: DateTime<Utc>,
    change: impl Fn(&Creditor, &mut InvoiceControls) -> Result<(), SettingsError>,
) -> Result<Replanned, SettingsError> {
    let c = creditor(store, id).await?;
    for _ in 0..ATTEMPTS {
        let invoice = store
            .get_invoice(id, invoice_id)
            .await?
            .filter(|i| i.doc.is_some())
            .ok_or(SettingsError::NotFound("invoice"))?;
        let mut changed = invoice.clone();
        change(&c, &mut changed.controls)?;
        let debtor_id = &invoice.doc.as_ref().expect("filtered above").debtor_id;
        let debtor = store.get_debtor(id, debtor_id).await?;
        let calendar = calendar_for(&c, debtor.as_ref());
        let ctx = Context {
            creditor: &c,
            debtor: debtor.as_ref(),
            calendar: &calendar,
        };
        let next = if changed.is_open() {
            plan_invoice(&changed, &ctx, now).next_look(&calendar, now)
        } else {
            None
        };
        if store.set_invoice_controls(&invoice, &changed.controls, next).await? {
            return Ok(Replanned {
                replanned: usize::from(next != invoice.next_action_at),
            });
        }
    }
    Err(SettingsError::Contended)
}

pub async fn set_invoice_reminders(
    store: &Store,
    id: &CreditorId,
    invoice: &InvoiceId,
    input: Option<OverrideInput>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_invoice(store, id, invoice, now, |c, controls| {
        controls.reminders = input.clone().map(|i| to_override(i, c, now)).transpose()?;
        Ok(())
    })
    .await
}

pub async fn set_invoice_dispute(
    store: &Store,
    id: &CreditorId,
    invoice: &InvoiceId,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    check_reason(&reason)?;
    change_invoice(store, id, invoice, now, |_, controls| {
        controls.dispute = reason.clone().map(|reason| Dispute { reason, at: now });
        Ok(())
    })
    .await
}

pub async fn set_invoice_promise(
    store: &Store,
    id: &CreditorId,
    invoice: &InvoiceId,
    date: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<Replanned, SettingsError> {
    change_invoice(store, id, invoice, now, |c, controls| {
        let today = now.with_timezone(&c.time_zone).date_naive();
        if date.is_some_and(|d| d < today || d > today + chrono::Days::new(180)) {
            return Err(invalid("date", "today or within the next 180 days"));
        }
        controls.promise = date.map(|date| Promise { date, at: now });
        Ok(())
    })
    .await
}

/// An invoice as the plan endpoint shows it.
#[derive(Debug, Serialize)]
pub struct InvoicePlanView {
    pub invoice_id: InvoiceId,
    pub number: String,
    pub open: bool,
    pub amount_due: String,
    pub currency: String,
    pub due_date: NaiveDate,
    pub controls: InvoiceControls,
    #[serde(flatten)]
    pub explanation: Explanation,
}

pub async fn invoice_plan(
    store: &Store,
    id: &CreditorId,
    invoice_id: &InvoiceId,
    now: DateTime<Utc>,
) -> Result<InvoicePlanView, SettingsError> {
    let c = creditor(store, id).await?;
    let invoice = store
        .get_invoice(id, invoice_id)
        .await?
        .ok_or(SettingsError::NotFound("invoice"))?;
    let (Some(doc), Some(balance)) = (invoice.doc.as_ref(), invoice.balance) else {
        return Err(SettingsError::NotFound("invoice"));
    };
    let debtor = store.get_debtor(id, &doc.debtor_id).await?;
    let calendar = calendar_for(&c, debtor.as_ref());
    let ctx = Context {
        creditor: &c,
        debtor: debtor.as_ref(),
        calendar: &calendar,
    };
    Ok(InvoicePlanView {
        invoice_id: invoice.invoice_id.clone(),
        number: doc.number.clone(),
        open: invoice.is_open(),
        amount_due: balance.amount_due.to_decimal().to_string(),
        currency: balance.amount_due.currency.to_string(),
        due_date: doc.due_date,
        controls: invoice.controls.clone(),
        explanation: explain(&invoice, &ctx, now),
    })
}

/// A preview request: any step or tone, any language, a sample or given debtor and invoices.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewInput {
    pub language: duly_core::messages::locale::Language,
    /// A step of the creditor's policy; its tone is used, and the sample is overdue as it would be.
    #[serde(default)]
    pub step: Option<String>,
    /// Or a tone directly; `thanks` previews the thank-you message.
    #[serde(default)]
    pub tone: Option<String>,
    #[serde(default)]
    pub debtor_name: Option<String>,
    /// Several lines make an account statement.
    #[serde(default)]
    pub invoices: Option<Vec<PreviewLine>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreviewLine {
    pub number: String,
    pub amount_due: String,
    pub currency: String,
    pub due_date: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub subject: String,
    pub html: String,
    pub text: String,
    pub sms: String,
    pub sms_segments: u32,
    pub sms_encoding: &'static str,
    /// Whether the message is an optional pre-due nudge (it carries List-Unsubscribe).
    pub optional: bool,
}

/// Renders a message exactly as the scheduler would, without sending anything.
pub fn preview(creditor: &Creditor, input: &PreviewInput, now: DateTime<Utc>) -> Result<Preview, SettingsError> {
    use duly_core::messages::render::{render, sample_lines, AnswerLinks, Kind, MessageInput, ReminderLine};
    use duly_core::policy::Tone;
    let today = now.with_timezone(&creditor.time_zone).date_naive();
    let (kind, overdue) = match (&input.step, input.tone.as_deref()) {
        (Some(id), _) => {
            let step = creditor
                .policy
                .steps
                .iter()
                .chain(creditor.groups.values().flat_map(|g| g.steps.iter().flatten()))
                .find(|s| &s.id == id)
                .ok_or(SettingsError::NotFound("step"))?;
            (Kind::Reminder(step.tone), i64::from(step.offset.days()))
        }
        (None, Some("thanks")) => (Kind::Thanks, 0),
        (None, Some(tone)) => {
            let tone: Tone = serde_json::from_value(serde_json::Value::String(tone.to_string()))
                .map_err(|_| invalid("tone", "friendly, firm, final_notice, suspension_warning or thanks"))?;
            (Kind::Reminder(tone), if tone == Tone::Friendly { -3 } else { 10 })
        }
        (None, None) => return Err(invalid("step", "give a step id or a tone")),
    };
    let lines: Vec<ReminderLine> = match &input.invoices {
        None => sample_lines()
            .into_iter()
            .map(|mut l| {
                l.days_overdue += overdue - 9;
                l.due_date = today - chrono::Days::new(u64::try_from(l.days_overdue.max(0)).unwrap_or(0));
                l
            })
            .collect(),
        Some(given) if given.is_empty() || given.len() > 50 => {
            return Err(invalid("invoices", "between 1 and 50 invoices"));
        }
        Some(given) => given
            .iter()
            .map(|g| {
                let currency = duly_core::model::money::Currency::parse(&g.currency)
                    .map_err(|e| invalid("currency", &e.to_string()))?;
                Ok(ReminderLine {
                    number: g.number.chars().take(64).collect(),
                    amount_due: currency
                        .parse_amount(&g.amount_due)
                        .map_err(|e| invalid("amount_due", &e.to_string()))?,
                    due_date: g.due_date,
                    days_overdue: (today - g.due_date).num_days(),
                    pay_url: Some("https://pay.example/i/preview".into()),
                })
            })
            .collect::<Result<_, SettingsError>>()?,
    };
    let links = AnswerLinks {
        paid: "https://answers.example/a/preview".into(),
        promise: "https://answers.example/a/preview".into(),
        dispute: "https://answers.example/a/preview".into(),
        unsubscribe: Some("https://answers.example/a/preview".into()),
    };
    let name = input.debtor_name.clone().unwrap_or_else(|| "Sample Customer OÜ".into());
    let message = render(&MessageInput {
        branding: &creditor.branding,
        debtor_name: &name,
        kind,
        language: input.language,
        lines: &lines,
        suspend_on: Some(today + chrono::Days::new(14)),
        links: Some(&links),
        sms_link: Some("https://answers.example/p/Ab3dE9xQ0z"),
        overrides: &creditor.templates,
    })
    .map_err(|e| invalid("template", &e.to_string()))?;
    let segments = duly_core::messages::sms::count_segments(&message.sms);
    Ok(Preview {
        sms_segments: segments.segments,
        sms_encoding: match segments.encoding {
            duly_core::messages::sms::Encoding::Gsm7 => "gsm-7",
            duly_core::messages::sms::Encoding::Ucs2 => "ucs-2",
        },
        subject: message.subject,
        html: message.html,
        text: message.text,
        sms: message.sms,
        optional: message.optional,
    })
}

fn valid_email(address: &str) -> bool {
    address.len() <= 254
        && address.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
        })
        && !address.contains(|c: char| c.is_whitespace() || c.is_control() || "<>,;\"".contains(c))
}

/// Checks a branding profile a creditor submits.
pub fn validate_branding(b: &duly_core::model::Branding) -> Result<(), SettingsError> {
    let text = |field: &str, value: &str, max: usize| {
        if value.trim().is_empty() || value.chars().count() > max || value.chars().any(|c| c.is_control() && c != '\n')
        {
            Err(invalid(field, &format!("1 to {max} characters, no control characters")))
        } else {
            Ok(())
        }
    };
    text("trading_name", &b.trading_name, 100)?;
    text("sender_name", &b.sender_name, 100)?;
    for (field, address) in [("from_address", &b.from_address), ("reply_to", &b.reply_to)] {
        if !valid_email(address) {
            return Err(invalid(field, "an e-mail address"));
        }
    }
    let colour_ok = b.brand_colour.len() == 7
        && b.brand_colour.starts_with('#')
        && b.brand_colour[1..].bytes().all(|c| c.is_ascii_hexdigit());
    if !colour_ok {
        return Err(invalid("brand_colour", "#rrggbb"));
    }
    if b.logo_url
        .as_ref()
        .is_some_and(|u| !u.starts_with("https://") || u.len() > 2048 || u.contains(char::is_whitespace))
    {
        return Err(invalid("logo_url", "an https:// URL"));
    }
    if b.sms_sender_id
        .as_deref()
        .is_some_and(|id| !duly_core::messages::sms::valid_sender_id(id))
    {
        return Err(invalid(
            "sms_sender_id",
            "3 to 11 letters and digits, at least one letter",
        ));
    }
    for (field, value) in [
        ("signature", &b.signature),
        ("legal_footer", &b.legal_footer),
        ("address", &b.address),
    ] {
        if let Some(v) = value {
            text(field, v, 500)?;
        }
    }
    if let Some(account) = &b.bank_account {
        let iban: String = account.iban.chars().filter(|c| !c.is_whitespace()).collect();
        if !(15..=34).contains(&iban.len()) || !iban.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return Err(invalid("bank_account.iban", "an IBAN"));
        }
    }
    Ok(())
}

/// The branding as the API shows it: with whether SES may send from its domain.
#[derive(Debug, Serialize)]
pub struct BrandingView {
    #[serde(flatten)]
    pub branding: duly_core::model::Branding,
    pub from_domain_verified: bool,
}

pub async fn branding(
    store: &Store,
    outbound: &duly_adapters::outbound::Outbound,
    id: &CreditorId,
) -> Result<BrandingView, SettingsError> {
    let c = creditor(store, id).await?;
    let domain = c
        .branding
        .from_address
        .rsplit_once('@')
        .map_or("", |(_, d)| d)
        .to_string();
    let verified = outbound.domain_verified(&domain).await.unwrap_or(false);
    Ok(BrandingView {
        branding: c.branding,
        from_domain_verified: verified,
    })
}

pub async fn put_branding(
    store: &Store,
    id: &CreditorId,
    branding: duly_core::model::Branding,
) -> Result<(), SettingsError> {
    validate_branding(&branding)?;
    let mut c = creditor(store, id).await?;
    c.branding = branding;
    store.put_creditor(&c).await?;
    Ok(())
}

/// Saves (or with `None` removes) the creditor's own template for one language, after checking it renders.
pub async fn put_template(
    store: &Store,
    id: &CreditorId,
    language: duly_core::messages::locale::Language,
    name: &str,
    source: Option<String>,
) -> Result<(), SettingsError> {
    let mut c = creditor(store, id).await?;
    let key = format!("{}/{name}", language.code());
    match source {
        Some(source) => {
            if source.len() > 100 * 1024 {
                return Err(invalid("template", "at most 100 KiB"));
            }
            duly_core::messages::render::validate_override(&c.branding, language, name, &source).map_err(
                |e| match e {
                    duly_core::messages::render::RenderError::Template { line, reason, .. } => {
                        invalid("template", &format!("line {line}: {reason}"))
                    }
                    other => invalid("template", &other.to_string()),
                },
            )?;
            c.templates.insert(key, source);
        }
        None => {
            if c.templates.remove(&key).is_none() {
                return Err(SettingsError::NotFound("template"));
            }
        }
    }
    store.put_creditor(&c).await?;
    Ok(())
}
