//! `make demo`: Duly's main job, end to end on the local AWS endpoint.
//!
//! A branded creditor is set up, the signed deliveries in `events/webhooks` are replayed through the ingest
//! handler at the moment each was signed, the creditor uses the settings API twice (to ask what will be
//! sent, and to record a dispute), and the scheduler handler runs every morning of a simulated six weeks.
//! A second creditor arrives from Xero's app marketplace on 19 November and is reminded for through the
//! local Xero server (see `marketplace`). Every e-mail SES received is written to `demo-output/` as an
//! HTML preview, the marketplace creditor's in `demo-output/marketplace/`; on 27 November the demo
//! creditor's web app is photographed in Chromium (`screens`). The money side (`money`): late-payment
//! charges, a payment plan that breaks, and a settlement offer accepted.

mod cadence;
mod countries;
mod languages;
mod marketplace;
mod merit;
mod money;
mod records;
mod screens;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use serde_json::json;

use duly_core::model::ids::{CreditorId, InvoiceId};
use duly_local::moto::{sent_emails, sent_sms};
use duly_local::webhook_event::signed_time;
use duly_local::{at, Local};

const OUTPUT: &str = "demo-output";

/// Something that happens at a moment of the simulated weeks.
enum Happening {
    Delivery {
        file: String,
        event: serde_json::Value,
    },
    Api {
        what: &'static str,
        method: &'static str,
        path: &'static str,
        body: Option<serde_json::Value>,
    },
    /// A canonical fact delivered through the demo connection.
    Fact {
        what: &'static str,
        id: &'static str,
        body: String,
    },
    /// A debtor answering on the page behind a reminder's link.
    Answer {
        what: &'static str,
        path: String,
        form: &'static str,
    },
}

fn load_deliveries(dir: &Path) -> anyhow::Result<Vec<(DateTime<Utc>, Happening)>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let event: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        let when = DateTime::from_timestamp(signed_time(&event), 0).context("timestamp")?;
        let folder = path
            .parent()
            .and_then(|p| p.file_name())
            .unwrap_or_default()
            .to_string_lossy();
        let file = format!("{folder}/{}", path.file_name().unwrap_or_default().to_string_lossy());
        out.push((when, Happening::Delivery { file, event }));
    }
    Ok(out)
}

fn creditor_actions() -> Vec<(DateTime<Utc>, Happening)> {
    vec![
        (
            at("2026-11-18T12:00:00Z"),
            Happening::Api {
                what: "asks what will be sent for INV-1001",
                method: "GET",
                path: "/v1/invoices/inv-1001/plan",
                body: None,
            },
        ),
        (
            at("2026-12-09T12:00:00Z"),
            Happening::Api {
                what: "records Kowalski's dispute of INV-1003",
                method: "PUT",
                path: "/v1/invoices/inv-1003/dispute",
                body: Some(json!({"reason": "two of the ten units arrived damaged"})),
            },
        ),
    ]
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

async fn happen(local: &Local, when: DateTime<Utc>, happening: &Happening, log: &mut Vec<String>) {
    let stamp = when.format("%a %d %b %H:%M");
    match happening {
        Happening::Delivery { file, event } => {
            let (status, reply) = local.send_event(event, when).await;
            let outcome = reply["status"].as_str().or(reply["error"].as_str()).unwrap_or("?");
            log.push(format!("  {stamp}  webhook {file:<44} {status} {outcome}"));
        }
        Happening::Api {
            what,
            method,
            path,
            body,
        } => {
            let (status, reply) = local.api(method, path, body.clone(), None, when).await;
            log.push(format!("  {stamp}  creditor {what}: {status}"));
            for planned in reply["planned"].as_array().into_iter().flatten() {
                log.push(format!(
                    "                      will send {} on {}: {}",
                    planned["step_id"].as_str().unwrap_or("?"),
                    planned["channels"],
                    planned["rule"].as_str().unwrap_or("?")
                ));
            }
            if let Some(n) = reply["replanned"].as_u64() {
                log.push(format!("                      {n} due-index entry moved"));
            }
        }
        Happening::Fact { what, id, body } => {
            let (status, _) = local.deliver(id, body, when).await;
            log.push(format!("  {stamp}  fact {what}: {status}"));
        }
        Happening::Answer { what, path, form } => {
            let (status, _, _) = local.answer("POST", path, form, when).await;
            log.push(format!("  {stamp}  debtor {what}: {status}"));
        }
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let events = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../events"));
    let mut happenings = load_deliveries(&events.join("webhooks"))?;
    happenings.extend(load_deliveries(&events.join("stripe"))?);
    happenings.extend(creditor_actions());
    happenings.extend(money::happenings());
    happenings.extend(cadence::happenings());
    happenings.extend(countries::happenings());
    happenings.sort_by_key(|(when, _)| *when);
    let mut happenings = happenings.into_iter().peekable();

    let mut local = Local::with_stream("duly-demo").await;
    // As deployed: each tick puts the due customers on the work queue and workers send their reminders.
    let work = local.fan_out(&duly_local::aws_config()).await;
    let output = PathBuf::from(OUTPUT);
    if output.exists() {
        std::fs::remove_dir_all(&output)?;
    }
    std::fs::create_dir_all(&output)?;
    let creditor = CreditorId::parse("nordwind")?;
    std::fs::create_dir_all(output.join("marketplace"))?;
    let mut xero_creditor = marketplace::Marketplace::start(&local).await;
    let signs_up_at = at("2026-11-19T09:00:00Z");
    let mut xero_rows: Vec<[String; 4]> = Vec::new();
    std::fs::create_dir_all(output.join("merit"))?;
    let mut merit_creditor = merit::MeritCreditor::start(&local).await?;
    let merit_connects_at = at("2026-11-20T09:30:00Z");
    let mut merit_rows: Vec<[String; 4]> = Vec::new();
    let mut merit_reminded: Vec<DateTime<Utc>> = Vec::new();
    let photographed_on = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).context("a date")?;
    let mut screenshots: Vec<String> = Vec::new();

    println!("Duly demo: Nordwind Tools OÜ (Tallinn) reminds three customers, 16 November to 31 December 2026;");
    println!("a second creditor connects from Xero's app store on 19 November, and a third, whose books are in");
    println!("Merit Aktiva (no webhooks: polled), connects with its API keys on 20 November.");
    println!("Table {} on {}\n", local.store.table(), duly_local::endpoint());

    let mut log: Vec<String> = Vec::new();
    let mut sent_rows: Vec<[String; 6]> = Vec::new();
    let mut previews = 0usize;
    let mut emails_seen = sent_emails().await.len();
    let sms_before = sent_sms().await.len();
    let mut last_reminder: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();
    let mut fanned_out = (0usize, 0usize);
    let mut all_sent: Vec<cadence::Sent> = Vec::new();
    // The billing function reads the table's stream as it changes (payments thanked, usage counted).
    let mut stream = duly_local::stream::BillingFeed::default();
    let counting = duly_billing::App::<duly_adapters::metering::StripeMeters> {
        store: local.store.clone(),
        sink: None,
        notify: None,
        prices: Default::default(),
    };

    // The rate feed runs every morning against local servers that answer as the ECB, the Bundesbank, the
    // NBP, the NBR and the BIS do: the checked-in table ends with June 2026, so the interest in these
    // reminders comes from what the feed fetched.
    let publishing =
        duly_local::publishers::publishing(chrono::NaiveDate::from_ymd_opt(2026, 11, 16).context("a date")?);
    let publishers =
        duly_adapters::publishers::Publishers::at(&duly_local::publishers::serve(publishing.clone()).await);
    let rates_store = local.store_for("RatesFunction");
    let mut feed_runs: Vec<duly_app::rate_feed::Outcome> = Vec::new();

    let mut day = Utc.with_ymd_and_hms(2026, 11, 16, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2026, 12, 31, 0, 0, 0).unwrap();
    while day <= end {
        let tick = day
            .date_naive()
            .and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap())
            .and_utc();
        while let Some((when, happening)) = happenings.next_if(|(when, _)| *when < tick) {
            happen(&local, when, &happening, &mut log).await;
        }
        if xero_creditor.creditor.is_none() && signs_up_at < tick {
            xero_creditor.sign_up(&local, signs_up_at, &mut log).await?;
        }
        xero_creditor.catch_up(tick - Duration::hours(2)).await?;
        if merit_connects_at < tick && !merit_creditor.connected {
            merit_creditor.connect(&local, merit_connects_at, &mut log).await?;
        }
        merit_creditor.poll(merit::before(tick), &mut log).await?;
        let batch = stream.next(local.store.client(), local.store.table()).await;
        duly_billing::handle(&counting, &batch, tick - Duration::minutes(1)).await?;
        publishing.lock().map_err(|_| anyhow::anyhow!("publishers"))?.today = tick.date_naive();
        feed_runs.push(
            duly_app::rate_feed::run(
                &rates_store,
                &publishers,
                &Default::default(),
                tick - Duration::hours(1),
            )
            .await?,
        );
        let summary = local.tick(Some(&work), tick).await?;
        if let Some(d) = &summary.dispatched {
            fanned_out.0 += d.batches;
            fanned_out.1 += d.debtors;
        }
        if tick.date_naive() == photographed_on {
            // The morning's run is done: the web app shows the day as the creditor would see it.
            screenshots = screens::photograph(&local, &creditor, tick + Duration::hours(1), &output).await?;
        }
        let emails = sent_emails().await;
        for (email, reminder) in emails[emails_seen..].iter().zip(&summary.reminders) {
            let name = format!(
                "{}-{}-{}.html",
                tick.format("%Y-%m-%d"),
                slug(&reminder.debtor_id.to_string()),
                slug(&reminder.step_ids.join("+"))
            );
            if reminder.creditor_id == creditor {
                std::fs::write(output.join(name), &email.body)?;
                if reminder.debtor_id.as_str() == countries::DEBTOR
                    && reminder.tone == duly_core::policy::Tone::FinalNotice
                {
                    countries::save_letter(&local, &creditor, tick, &output).await?;
                }
            } else if reminder.creditor_id == merit_creditor.creditor {
                std::fs::write(output.join("merit").join(name), &email.body)?;
                merit_reminded.push(tick);
                let attached: Vec<String> = email
                    .attachments
                    .iter()
                    .map(|a| format!("{} ({} bytes)", a.file_name, a.size))
                    .collect();
                merit_rows.push([
                    tick.format("%a %d %b").to_string(),
                    reminder.invoice_numbers.join(" + "),
                    reminder.subject.clone(),
                    match attached.is_empty() {
                        true => "nothing attached".into(),
                        false => format!("attached: {}", attached.join(", ")),
                    },
                ]);
            } else {
                std::fs::write(output.join("marketplace").join(name), &email.body)?;
                xero_rows.push([
                    tick.format("%a %d %b").to_string(),
                    reminder.invoice_numbers.join(" + "),
                    reminder.subject.clone(),
                    if email.body.contains(duly_local::platforms::xero::ONLINE_INVOICE) {
                        "Xero online invoice".into()
                    } else {
                        "none".into()
                    },
                ]);
            }
            previews += 1;
        }
        emails_seen = emails.len();
        for r in summary.reminders.iter().filter(|r| r.creditor_id == creditor) {
            all_sent.push((
                tick.format("%d %b").to_string(),
                r.debtor_id.to_string(),
                r.step_ids.clone(),
                r.tone,
            ));
            // A thank-you or a statement is no reminder about the invoices it names.
            let reminder = !r.step_ids.iter().any(|s| s == "thanks" || s == "statement");
            for number in r.invoice_numbers.iter().filter(|_| reminder) {
                last_reminder.insert(number.clone(), tick);
            }
            let channels = r
                .channels
                .iter()
                .map(|c| format!("{c:?}").to_lowercase())
                .collect::<Vec<_>>()
                .join("+");
            sent_rows.push([
                tick.format("%a %d %b").to_string(),
                r.invoice_numbers.join(" + "),
                r.step_ids.join(" + "),
                format!("{:?}", r.tone),
                channels,
                r.subject.clone(),
            ]);
        }
        day += Duration::days(1);
    }
    for (when, happening) in happenings {
        happen(&local, when, &happening, &mut log).await;
    }

    println!("What happened (webhooks replayed from events/webhooks through the ingest handler, and the creditor's API calls):");
    for line in &log {
        println!("{line}");
    }
    println!("\nReminders sent by the scheduler (one run every morning at 08:00 UTC):");
    let headers = ["Day", "Invoices due", "Steps", "Tone", "Channels", "Subject"];
    let widths: Vec<usize> = (0..6)
        .map(|i| {
            sent_rows
                .iter()
                .map(|r| r[i].chars().count())
                .chain([headers[i].len()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let row = |cells: &[String]| {
        cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}", w = *w))
            .collect::<Vec<_>>()
            .join("  ")
    };
    println!("  {}", row(&headers.map(String::from)));
    println!("  {}", row(&widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>()));
    for r in &sent_rows {
        println!("  {}", row(r));
    }

    println!("\nReminders of the creditor who came from Xero (to their customer in Poland, 09:00 in Warsaw):");
    for r in &xero_rows {
        println!("  {}  {}  {}  pay button: {}", r[0], r[1], r[2], r[3]);
    }

    println!("\nReminders of the creditor whose books are in Merit Aktiva (polled; to their customer in Tartu):");
    for r in &merit_rows {
        println!("  {}  {}  {}  {}", r[0], r[1], r[2], r[3]);
    }

    println!("\nLedger at the end:");
    for id in [
        "inv-1001",
        "inv-1002",
        "inv-1003",
        "inv-1004",
        "inv-1005",
        "in_1OakBirch",
        "1006",
        "1007",
    ] {
        let invoice = local
            .store
            .get_invoice(&creditor, &InvoiceId::parse(id)?)
            .await?
            .context("invoice exists")?;
        let doc = invoice.doc.as_ref().context("document")?;
        let due = invoice
            .balance
            .map(|b| duly_core::locale::format_money(duly_core::locale::Language::En, &b.amount_due))
            .unwrap_or_default();
        let state = if invoice.voided_at.is_some() {
            "voided"
        } else if doc.draft {
            "draft"
        } else if invoice.is_open() {
            "open"
        } else {
            "settled"
        };
        println!(
            "  {:<9} {:<8} still due {:>10}   steps done: {}",
            doc.number,
            state,
            due,
            invoice.progress.steps_done.len()
        );
    }
    for month in ["2026-11", "2026-12"] {
        let u = local.store.usage(&creditor, month).await?;
        println!(
            "Usage {month}: {} messages, {} e-mails, {} SMS ({} segments)",
            u.reminders, u.emails, u.sms, u.sms_segments
        );
    }

    // The promises the demo exists to show.
    if last_reminder
        .get("INV-1002")
        .is_some_and(|t| *t > at("2026-12-03T13:19:00Z"))
    {
        bail!("INV-1002 got a reminder after it was paid");
    }
    if last_reminder.contains_key("INV-1004") {
        bail!("the draft INV-1004 got a reminder");
    }
    if last_reminder
        .get("INV-1003")
        .is_some_and(|t| *t > at("2026-12-09T12:00:00Z"))
    {
        bail!("INV-1003 got a reminder after it was disputed");
    }
    if !last_reminder.contains_key("NW-S-0007") {
        bail!("the invoice from Stripe got no reminder");
    }
    if !sent_rows.iter().any(|r| r[1].contains(" + ")) {
        bail!("no statement covered two invoices");
    }
    if !xero_rows
        .iter()
        .any(|r| r[2].starts_with("Termin płatności") && r[3] == "Xero online invoice")
    {
        bail!("the Xero creditor's customer got no reminder in Polish with a pay button");
    }
    if screenshots.len() != 10 {
        bail!("the web app's pages were not photographed");
    }
    let merit_line = merit_creditor.check(&local, &merit_reminded, &output).await?;
    if !merit_rows
        .first()
        .is_some_and(|r| r[3].starts_with("attached: ARV-2044.pdf"))
    {
        bail!("the Merit creditor's first reminder did not carry the invoice");
    }
    let mut money = money::check(&local, &creditor, &last_reminder).await?;
    let failed: usize = feed_runs.iter().map(|o| o.failed.len()).sum();
    let missing: usize = feed_runs.iter().map(|o| o.missing.len()).sum();
    if failed > 0 || missing > 0 {
        bail!("the rate feed failed {failed} times and missed {missing} rates against the local publishers");
    }
    let first = feed_runs.first().context("the rate feed ran")?;
    money.insert(
        0,
        format!(
            "The rate feed ran every morning ({} runs) against the local ECB, Bundesbank, NBP, NBR and BIS: the first \
             took {} series ({} rows), none failed, no offered country's rate was missing.",
            feed_runs.len(),
            first.taken.len(),
            first.taken.iter().map(|(_, n)| n).sum::<usize>()
        ),
    );
    let cadence = cadence::check(&local, &creditor, &all_sent).await?;
    let country_rules = countries::check(&all_sent, &sent_emails().await)?;
    let records = records::write(&local, &mut stream, end + Duration::hours(10), &output).await?;
    let looked_at = languages::photograph(&local, &creditor, end + Duration::hours(10), &output).await?;
    let debtor_page = screens::debtor_page(&local, "ap@tamm.example", end + Duration::hours(10), &output).await?;
    if previews == 0 || sent_sms().await.len() == sms_before {
        bail!("no reminders went out");
    }
    println!("\nINV-1002 was paid on Thu 03 Dec: no reminder after that.");
    println!("INV-1003 was disputed on Wed 09 Dec: no reminder after that; the credit note of 18 Dec settled it.");
    println!("INV-1004 stayed a draft and was voided: no reminders.");
    println!(
        "NW-S-0007 came through the Stripe connection, was nudged before its due date, and was paid on Sat 12 Dec."
    );
    println!(
        "INV-1001 and INV-1005 (both Tamm & Sons) were reminded together in one statement when both had a step due."
    );
    println!("INV-0031 came from Xero with its online invoice, and was reminded in Polish at its customer's hours.");
    println!("{merit_line}");
    for line in money {
        println!("{line}");
    }
    for line in cadence.iter().chain(&country_rules) {
        println!("{line}");
    }
    for line in records {
        println!("{line}");
    }
    println!(
        "The ticks put {} due customers on the work queue in {} batches; the workers sent their reminders.",
        fanned_out.1, fanned_out.0
    );
    println!("{previews} e-mail previews written to {OUTPUT}/ and {OUTPUT}/marketplace/ (open them in a browser).");
    println!(
        "Every page of the web app and every message, in Estonian, Polish and German on a phone: {looked_at} pictures \
         in {OUTPUT}/languages/."
    );
    println!(
        "The creditor's web app on Fri 27 Nov, on a phone and a desktop: {} in {OUTPUT}/.",
        screenshots.join(", ")
    );
    println!(
        "Tamm & Sons opened their own page from the link in their last e-mail, on a phone: {debtor_page} \
         ({OUTPUT}/debtor-page-phone.png)."
    );
    Ok(())
}
