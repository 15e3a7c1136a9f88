//! Telling the creditor what needs them, by e-mail in their own language from Duly's address: each event
//! as it happens, or one digest a day, and once per event however often the event is seen.

use chrono::{DateTime, Duration, Utc};

use duly_adapters::outbound::{Email, Outbound, OutboundError};
use duly_adapters::store::{DueDigest, Store, StoreError};
use duly_core::locale::Language;
use duly_core::model::Creditor;
use duly_core::notices::{compose, compose_digest, next_digest_at, Delivery, Notice};

/// Duly's own mail to one address (sign-in and sign-up links, invitations, news of a new member) in an
/// hour: enough for a person, too few to flood anyone from Duly's address.
pub const MAILS_TO_AN_ADDRESS_PER_HOUR: u32 = 5;
/// Invitations one creditor may send in a UTC day.
pub const INVITATIONS_PER_DAY: u32 = 20;
/// Notices mailed to one creditor as they happen, in a UTC day; past it they are kept for the app (and a
/// daily digest, for creditors who chose one, is one mail anyway).
pub const NOTICES_PER_DAY: u32 = 100;

/// How long a run holds a digest it is sending before another run may take it.
const DIGEST_LEASE_MINUTES: i64 = 15;

/// Where notifications are sent from: Duly's own address, and where their links lead.
#[derive(Debug, Clone, Copy)]
pub struct Notifier<'a> {
    pub outbound: &'a Outbound,
    pub from: &'a str,
    /// The web app's base URL; without it notices name the place to act but do not link it.
    pub app_url: Option<&'a str>,
}

/// A [`Notifier`]'s parts, built once per cold start.
#[derive(Debug, Clone)]
pub struct NotifyFrom {
    pub outbound: Outbound,
    pub from: String,
    pub app_url: Option<String>,
}

impl NotifyFrom {
    pub fn notifier(&self) -> Notifier<'_> {
        Notifier {
            outbound: &self.outbound,
            from: &self.from,
            app_url: self.app_url.as_deref(),
        }
    }
}

impl Notifier<'_> {
    /// One plain message from Duly to a creditor in `lang`; blank lines in `text` separate paragraphs.
    pub async fn send(&self, lang: Language, to: &str, subject: &str, text: &str) -> Result<String, OutboundError> {
        let html = document(lang, subject, &html_of(text, self.app_url));
        self.outbound
            .send_email(&Email {
                sender_name: "Duly",
                from_address: self.from,
                reply_to: self.from,
                to,
                cc: &[],
                subject,
                html: &html,
                text,
                headers: &[],
                track_opens: false,
                attachments: &[],
            })
            .await
    }
}

/// A whole HTML e-mail around `body`: its language, its subject as title and heading, one main region, so
/// that a screen reader reads it as it reads the reminders Duly sends.
fn document(lang: Language, subject: &str, body: &str) -> String {
    let subject = minijinja::HtmlEscape(subject).to_string();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{subject}</title>\n</head>\n<body style=\"font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5;\">\n<div role=\"main\">\n<h1 style=\"font-size:20px;\">{subject}</h1>\n{body}\n</div>\n</body>\n</html>\n",
        lang.code()
    )
}

/// `text` as HTML paragraphs, with Duly's own links (those under `app_url`) as links. Any other address is
/// text a tenant or a debtor wrote (a dispute's reason, a company name): it is shown, never made a link,
/// so nobody can use Duly's address to send a clickable lure.
fn html_of(text: &str, app_url: Option<&str>) -> String {
    let own = |word: &str| {
        app_url.is_some_and(|base| {
            let base = base.trim_end_matches('/');
            word.strip_prefix(base)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    };
    let escape = |s: &str| minijinja::HtmlEscape(s).to_string();
    let paragraphs: Vec<String> = text
        .split("\n\n")
        .map(|paragraph| {
            let lines: Vec<String> = paragraph
                .split('\n')
                .map(|line| {
                    line.split(' ')
                        .map(|word| match own(word) {
                            true => format!("<a href=\"{0}\">{0}</a>", escape(word)),
                            false => escape(word),
                        })
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            format!("<p>{}</p>", lines.join("<br>"))
        })
        .collect();
    paragraphs.concat()
}

/// What became of a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Told {
    Sent,
    /// Waits for the creditor's daily digest.
    Queued,
    /// Recorded, but not sent: no address to send from or to, or the send failed (logged). The creditor
    /// sees it in their notices.
    Recorded,
    /// This event was told before.
    Already,
}

/// Tells the creditor about `notice` once: now, or in their next digest if they chose one.
pub async fn tell(
    store: &Store,
    notifier: Option<Notifier<'_>>,
    creditor: &Creditor,
    notice: &Notice,
    now: DateTime<Utc>,
) -> Result<Told, StoreError> {
    let id = &creditor.creditor_id;
    if creditor.notifications.delivery == Delivery::Daily {
        let at = next_digest_at(creditor.time_zone, creditor.notifications.digest_hour, now);
        return Ok(match store.queue_notice(id, notice, at, now).await? {
            true => Told::Queued,
            false => Told::Already,
        });
    }
    if !store.first_notice(id, notice, now).await? {
        return Ok(Told::Already);
    }
    let Some(notifier) = notifier.filter(|_| !creditor.branding.reply_to.is_empty()) else {
        return Ok(Told::Recorded);
    };
    // The address is the creditor's to set: whatever happens, Duly mails it a bounded number of times a day.
    if !store.take_mail_turn_of(id, "notices", NOTICES_PER_DAY, now).await? {
        tracing::warn!(creditor = %id, "notice kept for the app: the day's mail to this creditor is used up");
        return Ok(Told::Recorded);
    }
    let lang = Language::of_creditor(creditor);
    let told = match compose(lang, notice, notifier.app_url) {
        Ok(told) => told,
        Err(e) => {
            tracing::error!(error = %e, "notification wording is missing");
            return Ok(Told::Recorded);
        }
    };
    match notifier
        .send(lang, &creditor.branding.reply_to, &told.subject, &told.text)
        .await
    {
        Ok(_) => Ok(Told::Sent),
        Err(e) => {
            tracing::warn!(error = %e, "could not tell the creditor");
            Ok(Told::Recorded)
        }
    }
}

/// Sends one creditor's due digest, unless another run has taken it. `true` when a digest went out.
pub async fn send_digest(
    store: &Store,
    notifier: Notifier<'_>,
    due: &DueDigest,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    if !store
        .claim_digest(due, now + Duration::minutes(DIGEST_LEASE_MINUTES))
        .await?
    {
        return Ok(false);
    }
    let Some(creditor) = store.get_creditor(&due.creditor_id).await? else {
        return Ok(false);
    };
    let next = next_digest_at(creditor.time_zone, creditor.notifications.digest_hour, now);
    let queued = store.queued_notices(&creditor.creditor_id).await?;
    if !queued.notices.is_empty() && !creditor.branding.reply_to.is_empty() {
        let lang = Language::of_creditor(&creditor);
        let sent = match compose_digest(lang, &queued.notices, queued.more, notifier.app_url) {
            Ok(told) => notifier
                .send(lang, &creditor.branding.reply_to, &told.subject, &told.text)
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if let Err(error) = sent {
            // Kept for tomorrow's digest rather than tried every few minutes.
            tracing::warn!(%error, "could not send the creditor's digest");
            store.postpone_digest(&creditor.creditor_id, next).await?;
            return Ok(false);
        }
    }
    store.finish_digest(&creditor.creditor_id, &queued, next).await?;
    Ok(!queued.notices.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_lines_and_links_become_html_and_the_rest_is_escaped() {
        assert_eq!(
            html_of(
                "Hello <b>\nsee https://app.duly.example/app/today now\n\nBye",
                Some("https://app.duly.example")
            ),
            "<p>Hello &lt;b&gt;<br>see <a href=\"https:&#x2f;&#x2f;app.duly.example&#x2f;app&#x2f;today\">https:&#x2f;&#x2f;app.duly.example&#x2f;app&#x2f;today</a> now</p><p>Bye</p>"
        );
        assert_eq!(
            html_of("x \"https://a.example/\"><script>", Some("https://app.duly.example")),
            "<p>x &quot;https:&#x2f;&#x2f;a.example&#x2f;&quot;&gt;&lt;script&gt;</p>"
        );
    }

    #[test]
    fn addresses_others_wrote_are_shown_never_linked() {
        // A debtor's dispute reason, or a company name, holding a lure.
        let html = html_of(
            "Reason: your session expired, sign in at https://duly-login.example/app and https://app.duly.example.evil.example/x",
            Some("https://app.duly.example"),
        );
        assert!(!html.contains("<a "), "{html}");
        assert!(!html_of("https://app.duly.example/app/today", None).contains("<a "));
    }
}
