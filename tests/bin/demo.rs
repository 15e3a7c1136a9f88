//! `make demo`: Duly's main job, end to end on the local AWS endpoint.
//!
//! A branded creditor is set up, the signed deliveries in `events/webhooks` are replayed through the ingest
//! handler at the moment each was signed, and the scheduler handler runs every morning of a simulated six
//! weeks. Every e-mail SES received is written to `demo-output/` as an HTML preview.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use duly::ids::{CreditorId, InvoiceId};
use duly_local::moto::{sent_emails, sent_sms};
use duly_local::webhook_event::signed_at;
use duly_local::Local;

const OUTPUT: &str = "demo-output";

struct Replay {
    file: String,
    at: DateTime<Utc>,
    event: serde_json::Value,
}

fn load_deliveries(dir: &Path) -> anyhow::Result<Vec<Replay>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        let event: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
        out.push(Replay {
            file: path.file_name().unwrap_or_default().to_string_lossy().into_owned(),
            at: DateTime::from_timestamp(signed_at(&event), 0).context("timestamp")?,
            event,
        });
    }
    out.sort_by(|a, b| (a.at, &a.file).cmp(&(b.at, &b.file)));
    Ok(out)
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let events = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../events/webhooks"));
    let mut deliveries = load_deliveries(&events)?.into_iter().peekable();
    let local = Local::new("duly-demo").await;
    let output = PathBuf::from(OUTPUT);
    if output.exists() {
        std::fs::remove_dir_all(&output)?;
    }
    std::fs::create_dir_all(&output)?;
    let creditor = CreditorId::parse("nordwind")?;

    println!("Duly demo: Nordwind Tools OÜ (Tallinn) reminds three customers, 16 November to 31 December 2026.");
    println!("Table {} on {}\n", local.store.table(), duly_local::endpoint());

    let mut timeline: Vec<String> = Vec::new();
    let mut sent_rows: Vec<[String; 6]> = Vec::new();
    let mut previews = 0usize;
    let mut emails_seen = sent_emails().await.len();
    let mut sms_seen = sent_sms().await.len();
    let mut last_reminder: BTreeMap<String, DateTime<Utc>> = BTreeMap::new();

    let mut day = Utc.with_ymd_and_hms(2026, 11, 16, 0, 0, 0).unwrap();
    let end = Utc.with_ymd_and_hms(2026, 12, 31, 0, 0, 0).unwrap();
    while day <= end {
        let tick = day
            .date_naive()
            .and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap())
            .and_utc();
        // Deliveries signed before this morning's run arrive first; the rest of the day's after it.
        while let Some(d) = deliveries.next_if(|d| d.at < tick) {
            let (status, reply) = local.send_event(&d.event, d.at).await;
            let outcome = reply["status"]
                .as_str()
                .or(reply["error"].as_str())
                .unwrap_or("?")
                .to_string();
            timeline.push(format!(
                "  {}  {:<36} {status} {outcome}",
                d.at.format("%a %d %b %H:%M"),
                d.file
            ));
        }
        let summary = duly_scheduler::handle(&local.scheduler, tick).await?;
        let emails = sent_emails().await;
        for email in &emails[emails_seen..] {
            let reminder = summary.reminders.iter().find(|r| r.subject == email.subject);
            let (number, step) = reminder.map_or(("?".into(), "?".into()), |r| {
                (r.invoice_number.clone(), r.step_id.clone())
            });
            let file = output.join(format!(
                "{}-{}-{}.html",
                tick.format("%Y-%m-%d"),
                slug(&number),
                slug(&step)
            ));
            std::fs::write(&file, &email.body)?;
            previews += 1;
        }
        emails_seen = emails.len();
        let sms_now = sent_sms().await.len();
        sms_seen = sms_now.max(sms_seen);
        for r in &summary.reminders {
            last_reminder.insert(r.invoice_number.clone(), tick);
            let channels = r
                .channels
                .iter()
                .map(|c| format!("{c:?}").to_lowercase())
                .collect::<Vec<_>>()
                .join("+");
            sent_rows.push([
                tick.format("%a %d %b").to_string(),
                r.invoice_number.clone(),
                r.step_id.clone(),
                format!("{:?}", r.tone),
                channels,
                r.subject.clone(),
            ]);
        }
        day += Duration::days(1);
    }
    for d in deliveries {
        let (status, reply) = local.send_event(&d.event, d.at).await;
        timeline.push(format!(
            "  {}  {:<36} {status} {}",
            d.at.format("%a %d %b %H:%M"),
            d.file,
            reply["status"]
        ));
    }

    println!("Signed deliveries replayed from events/webhooks through the ingest handler:");
    for line in &timeline {
        println!("{line}");
    }
    println!("\nReminders sent by the scheduler (one run every morning at 08:00 UTC):");
    let headers = ["Day", "Invoice", "Step", "Tone", "Channels", "Subject"];
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

    println!("\nLedger at the end:");
    for id in ["inv-1001", "inv-1002", "inv-1003", "inv-1004"] {
        let invoice = local
            .store
            .get_invoice(&creditor, &InvoiceId::parse(id)?)
            .await?
            .context("invoice exists")?;
        let doc = invoice.doc.as_ref().context("document")?;
        let due = invoice
            .balance
            .map(|b| duly::render::format_money_en(&b.amount_due))
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
            "Usage {month}: {} reminders, {} e-mails, {} SMS ({} segments)",
            u.reminders, u.emails, u.sms, u.sms_segments
        );
    }

    // The promises the demo exists to show.
    let paid_at = Utc.with_ymd_and_hms(2026, 12, 3, 13, 19, 0).unwrap();
    let after_payment = sent_rows.iter().filter(|r| r[1] == "INV-1002").count();
    if last_reminder.get("INV-1002").is_some_and(|t| *t > paid_at) {
        bail!("INV-1002 got a reminder after it was paid");
    }
    if last_reminder.contains_key("INV-1004") {
        bail!("the draft INV-1004 got a reminder");
    }
    if previews == 0 || sms_seen == 0 {
        bail!("no reminders went out");
    }
    println!("\nINV-1002 was paid on Thu 03 Dec: {after_payment} reminder(s) before that, none after.");
    println!("INV-1004 stayed a draft and was voided: no reminders.");
    println!("{previews} e-mail previews written to {OUTPUT}/ (open them in a browser).");
    Ok(())
}
