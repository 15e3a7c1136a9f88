//! One debtor's turn: read their open invoices, decide in pure code, claim the message, hand it to delivery.

use std::collections::{BTreeMap, BTreeSet};

use duly_adapters::store::{ClaimOutcome, ClaimedInvoice, StatementClaim, StoreError};
use duly_adapters::store::{Outbox, PendingEmail, PendingSms, UnfinishedMessage};
use duly_core::calendar::calendar_for;
use duly_core::calendar::place::whereabouts;
use duly_core::calendar::Calendar;
use duly_core::interest::charges::{charges, Overdue};
use duly_core::ledger::Invoice;
use duly_core::messages::links::short_code;
use duly_core::messages::recipients::recipients;
use duly_core::messages::render::{render, Kind, MessageInput, ReminderLine, RenderError};
use duly_core::model::ids::{CreditorId, DebtorId, InvoiceId};
use duly_core::model::{Creditor, Debtor};
use duly_core::notices::{Notice, NoticeKind, NoticeValue};
use duly_core::planner::cadence::Listed;
use duly_core::planner::monthly::{self, MonthlyDecision};
use duly_core::planner::statement_lines;
use duly_core::planner::{compose, plan_invoice, sort_due, Context, DebtorDecision, DueStep, Hold};
use duly_core::planner::{InvoicePlan, Reachability, Statement};
use duly_core::policy::Channel;

use super::{read_invoices, tally, Run, SentReminder, FRESHNESS_RECHECK_MINUTES};

impl Run<'_> {
    pub(super) async fn debtor(
        &mut self,
        creditor_id: &CreditorId,
        debtor_id: &DebtorId,
        due_ids: &BTreeSet<InvoiceId>,
    ) -> Result<(), StoreError> {
        let (store, now) = (self.store, self.now);
        // Consistent reads of everything the decision depends on: the index entries are only a hint.
        let invoices = match self.invoices_read.remove(debtor_id) {
            Some(read) => read,
            None => {
                let wanted = [(debtor_id.clone(), due_ids.iter().cloned().collect())];
                read_invoices(store, creditor_id, &wanted)
                    .await?
                    .remove(debtor_id)
                    .unwrap_or_default()
            }
        };
        let indexed: BTreeSet<usize> = invoices
            .iter()
            .enumerate()
            .filter(|(_, i)| due_ids.contains(&i.invoice_id) && i.next_action_at.is_some_and(|t| t <= now))
            .map(|(i, _)| i)
            .collect();

        let Some(creditor) = self.creditor(creditor_id).await? else {
            tracing::warn!(creditor = %creditor_id, "invoices of a creditor without settings leave the due index");
            for i in indexed {
                tally(store.reschedule(&invoices[i], None, &[]).await?, None, &mut self.report);
            }
            return Ok(());
        };
        let mut debtor = match self.debtors_read.remove(debtor_id) {
            Some(read) => read,
            None => store.get_debtor(creditor_id, debtor_id).await?,
        };
        if let Some(d) = debtor.as_mut() {
            let open: BTreeSet<&str> = invoices
                .iter()
                .filter(|i| i.is_open())
                .map(|i| i.invoice_id.as_str())
                .collect();
            d.history.dunning = d.history.dunning.current(&open);
        }
        let calendar = calendar_for(&creditor, debtor.as_ref());
        let ctx = Context {
            creditor: &creditor,
            debtor: debtor.as_ref(),
            calendar: &calendar,
        };
        let mut plans: Vec<(usize, InvoicePlan)> = invoices
            .iter()
            .enumerate()
            .filter(|(_, inv)| inv.is_open())
            .map(|(i, inv)| (i, plan_invoice(inv, &ctx, now)))
            .collect();

        // Invoices stay on the due index until the debtor's monthly statement, if they get one and it
        // would list something; the listing is worked out only for a debtor who gets statements.
        let wake = monthly::wake_at(&creditor, debtor.as_ref(), &calendar, now);
        let listable = wake.is_some() && !statement_lines(&invoices, &plans, &calendar, now).is_empty();
        self.wake = wake.filter(|_| listable);
        // Invoices the decision moves itself; every other due-index entry goes to its own next look.
        let mut handled: BTreeSet<usize> = BTreeSet::new();
        let paid: Vec<usize> = indexed
            .iter()
            .copied()
            .filter(|i| duly_core::planner::thanks::awaits_thanks(&invoices[*i]))
            .collect();
        if !paid.is_empty() {
            handled.extend(paid.iter().copied());
            self.thanks(&creditor, debtor.as_ref(), &calendar, &invoices, &paid)
                .await?;
        }
        for (i, plan) in &plans {
            match (indexed.contains(i), plan) {
                (true, InvoicePlan::Hold(Hold::Settled { paid, told: false })) => {
                    handled.insert(*i);
                    self.settle(&creditor, debtor.as_ref(), &invoices[*i], *paid).await?;
                }
                (true, InvoicePlan::Hold(Hold::InstalmentMissed { due })) => {
                    handled.insert(*i);
                    self.break_plan(&ctx, &invoices[*i], *due).await?;
                }
                _ => {}
            }
        }
        let decision = match self.stale_because(creditor_id).await? {
            // The platform may know of a payment Duly has not read yet: nothing goes out until it has.
            Some(reason) => {
                tracing::info!(reason, "the platform's data is not current");
                DebtorDecision::Defer {
                    until: now + chrono::Duration::minutes(FRESHNESS_RECHECK_MINUTES),
                    reason: duly_core::planner::Deferral::PlatformStale,
                }
            }
            None => {
                let sorted = sort_due(&plans, debtor.as_ref(), &creditor.policy, &calendar.rules);
                for (i, d, reason) in &sorted.held {
                    tracing::info!(reason, "a due step is skipped by the debtor's cadence");
                    handled.insert(*i);
                    self.skip_step(&invoices[*i], d).await?;
                }
                if !sorted.calls.is_empty() {
                    if let Some(d) = debtor.as_ref() {
                        self.call_task(&creditor, d, &calendar, &invoices, &sorted.calls)
                            .await?;
                    }
                    for (i, d) in &sorted.calls {
                        handled.insert(*i);
                        self.skip_step(&invoices[*i], d).await?;
                    }
                }
                plans = sorted.plans;
                let bill_to: Vec<&[String]> = invoices
                    .iter()
                    .filter(|inv| inv.is_open())
                    .filter_map(|inv| inv.doc.as_ref().map(|d| d.bill_to.as_slice()))
                    .collect();
                let reach = Reachability::of(debtor.as_ref(), &bill_to);
                compose(&plans, debtor.as_ref(), reach, &creditor.policy, &calendar, now)
            }
        };
        match decision {
            DebtorDecision::Send(statement) => {
                let debtor = debtor.as_ref().expect("a debtor without a record is unreachable");
                handled.extend(statement.due.iter().map(|(i, _)| *i));
                self.send(&creditor, debtor, &calendar, &invoices, &plans, &statement)
                    .await?;
            }
            DebtorDecision::Defer { until, reason } => {
                tracing::info!(reason = reason.as_str(), "a due message waits");
                for (i, _) in plans.iter().filter(|(_, p)| matches!(p, InvoicePlan::Due(_))) {
                    handled.insert(*i);
                    let next = monthly::earliest(Some(until), self.wake);
                    tally(
                        store.reschedule(&invoices[*i], next, &[]).await?,
                        next,
                        &mut self.report,
                    );
                }
            }
            DebtorDecision::Unreachable(due) => {
                for (i, d) in due {
                    handled.insert(i);
                    self.skip_step(&invoices[i], &d).await?;
                }
            }
            DebtorDecision::Idle => {
                if let (Some(d), true) = (debtor.as_ref(), listable) {
                    if monthly::decide(&creditor, d, &calendar, now) == Some(MonthlyDecision::Send) {
                        let sent = self
                            .monthly_statement(&creditor, d, &calendar, &invoices, &plans)
                            .await?;
                        if let Some(after) = sent {
                            self.wake = monthly::wake_at(&creditor, Some(&after), &calendar, now);
                        }
                    }
                }
            }
        }
        for i in indexed.difference(&handled) {
            let next = plans
                .iter()
                .find(|(j, _)| j == i)
                .and_then(|(_, p)| p.next_look(&calendar, now));
            let next = monthly::earliest(next, self.wake);
            tally(
                store.reschedule(&invoices[*i], next, &[]).await?,
                next,
                &mut self.report,
            );
        }
        Ok(())
    }

    /// Records a due step (and the out-of-date ones before it) as done without a message, and moves the
    /// invoice to its next step.
    async fn skip_step(&mut self, invoice: &Invoice, d: &DueStep) -> Result<(), StoreError> {
        let mut keys = d.skipped.clone();
        keys.push(d.key.clone());
        self.report.skipped_steps += keys.len();
        let next = monthly::earliest(d.next_after, self.wake);
        tally(
            self.store.reschedule(invoice, next, &keys).await?,
            next,
            &mut self.report,
        );
        Ok(())
    }

    /// An instalment missed past the grace days: the plan is marked broken, the invoice is planned as
    /// usual again, and the creditor is told. A write that lost a race waits for the next run.
    async fn break_plan(
        &mut self,
        ctx: &Context<'_>,
        invoice: &Invoice,
        due: chrono::NaiveDate,
    ) -> Result<(), StoreError> {
        let (store, now) = (self.store, self.now);
        let mut changed = invoice.clone();
        let Some(plan) = changed.controls.plan.as_mut() else {
            return Ok(());
        };
        plan.broken_at = Some(now);
        let next = monthly::earliest(plan_invoice(&changed, ctx, now).next_look(ctx.calendar, now), self.wake);
        if !store.set_invoice_controls(invoice, &changed.controls, next).await? {
            return Ok(());
        }
        let Some(doc) = invoice.doc.as_ref() else { return Ok(()) };
        let notice = Notice::new(
            format!("plan-broken:{}:{due}", invoice.invoice_id),
            NoticeKind::PlanBroken,
        )
        .with("invoice", &doc.number)
        .with("debtor", ctx.debtor.map_or(doc.debtor_id.as_str(), |d| d.name.as_str()))
        .with_value("date", NoticeValue::Day { day: due })
        .at_page(&format!("/app/debtors/{}", doc.debtor_id));
        self.notify(&ctx.creditor.creditor_id, &notice).await;
        Ok(())
    }

    /// A settlement offer met: Duly's ledger closes the invoice (off the due index, the offer marked
    /// settled) and the creditor is told to book the write-off. A write that lost a race waits for the
    /// next run.
    async fn settle(
        &mut self,
        creditor: &Creditor,
        debtor: Option<&Debtor>,
        invoice: &Invoice,
        paid: duly_core::model::money::Money,
    ) -> Result<(), StoreError> {
        let (store, now) = (self.store, self.now);
        let mut controls = invoice.controls.clone();
        let Some(settlement) = controls.settlement.as_mut() else {
            return Ok(());
        };
        settlement.settled_at = Some(now);
        let pay_by = settlement.pay_by;
        if !store.set_invoice_controls(invoice, &controls, None).await? {
            return Ok(());
        }
        let (Some(doc), Some(balance)) = (invoice.doc.as_ref(), invoice.balance) else {
            return Ok(());
        };
        let money = |money| NoticeValue::Money { money };
        let notice = Notice::new(format!("settled:{}", invoice.invoice_id), NoticeKind::Settled)
            .with("invoice", &doc.number)
            .with("debtor", debtor.map_or(doc.debtor_id.as_str(), |d| d.name.as_str()))
            .with_value("paid", money(paid))
            .with_value("rest", money(balance.amount_due))
            .with_value("date", NoticeValue::Day { day: pay_by })
            .at_page(&format!("/app/debtors/{}", doc.debtor_id));
        self.notify(&creditor.creditor_id, &notice).await;
        Ok(())
    }

    pub(super) async fn send(
        &mut self,
        creditor: &Creditor,
        debtor: &Debtor,
        calendar: &Calendar,
        invoices: &[Invoice],
        plans: &[(usize, InvoicePlan)],
        statement: &Statement<usize>,
    ) -> Result<(), StoreError> {
        let (store, now, sending) = (self.store, self.now, self.sending);
        let listed = statement_lines(invoices, plans, calendar, now);
        let lines: Vec<ReminderLine> = listed.iter().map(|(_, l)| l.clone()).collect();
        let language = whereabouts(creditor, Some(debtor)).language;
        let listed_ids: Vec<InvoiceId> = listed.iter().map(|(i, _)| invoices[*i].invoice_id.clone()).collect();
        let links = sending
            .links
            .map(|l| l.for_message(&debtor.creditor_id, &debtor.debtor_id, &listed_ids, language, now));
        let sms = statement.channels.contains(&Channel::Sms);
        let short_link = match (sending.links, lines.first().and_then(|l| l.pay_url.clone())) {
            (Some(signer), Some(url)) if sms => {
                let code = short_code();
                Some((signer.pay_url(&code), code, url))
            }
            _ => None,
        };
        // Interest and compensation, where the creditor switched them on, shown apart from the amount due.
        let today = now.with_timezone(&calendar.time_zone).date_naive();
        let debtor_group = duly_core::policy::precedence::group_of(creditor, Some(debtor));
        let group = debtor_group.map(|(name, _)| name);
        let mut overdue: Vec<Overdue> = Vec::new();
        let mut book = None;
        // The payment history is read only where charges are on: one query per overdue invoice.
        if creditor.late_charges.for_group(group).is_some() {
            for (i, _) in &listed {
                let invoice = &invoices[*i];
                if invoice.doc.as_ref().is_none_or(|d| d.due_date >= today) {
                    continue;
                }
                let history = store
                    .balance_history(&creditor.creditor_id, &invoice.invoice_id)
                    .await?;
                overdue.extend(Overdue::of(invoice, history));
            }
            let currencies: Vec<&str> = overdue.iter().map(|o| o.principal.currency.code()).collect();
            book = Some(store.rate_book(&currencies).await?);
        }
        let charges =
            book.and_then(|book| charges(&book, &creditor.late_charges, &creditor.country, group, &overdue, today));
        // The creditor's own words for the step that sets the message's tone, in the debtor's language.
        let opening = statement
            .due
            .iter()
            .map(|(_, d)| &d.step)
            .find(|s| s.tone == statement.tone)
            .and_then(|s| s.wording.get(language.code()))
            .map(String::as_str);
        let input = MessageInput {
            branding: &creditor.branding,
            debtor_name: &debtor.name,
            kind: Kind::Reminder(statement.tone),
            language,
            lines: &lines,
            suspend_on: statement.suspend_on,
            links: links.as_ref(),
            sms_link: short_link.as_ref().map(|(public, _, _)| public.as_str()),
            overrides: &creditor.templates,
            charges: charges.as_ref(),
            paid_since: &[],
            opening,
        };
        let no_overrides = BTreeMap::new();
        let rendered = match render(&input) {
            // The creditor's own template failed on this debtor: the reminder still goes out, in Duly's
            // shipped wording, and the creditor is told.
            Err(RenderError::Template { name, reason, .. }) if !creditor.templates.is_empty() => {
                tracing::warn!(template = %name, "a creditor's template failed; the shipped one is used");
                if let Err(e) = store
                    .put_template_failure(&creditor.creditor_id, language.code(), &name, &reason, now)
                    .await
                {
                    tracing::warn!(error = %e, "could not record the template failure");
                }
                let notice = Notice::new(
                    format!("dead-template:{}/{name}:{}", language.code(), now.date_naive()),
                    NoticeKind::DeadTemplate,
                )
                .with("language", language.code())
                .with("template", &name)
                .at_page("/app/notices");
                self.notify(&creditor.creditor_id, &notice).await;
                render(&MessageInput {
                    overrides: &no_overrides,
                    ..input
                })
            }
            other => other,
        };
        let message = match rendered {
            Ok(m) => m,
            Err(e) => {
                // Even Duly's own wording failed: a defect, not the debtor's. Tried again after a while
                // rather than on every run meanwhile.
                tracing::error!(error = %e, "message did not render; nothing sent");
                self.report.errors += 1;
                let retry = now + chrono::Duration::hours(duly_core::billing::RENDER_RETRY_HOURS);
                return put_off(store, invoices, &statement.due, retry).await;
            }
        };
        let own_domain = self
            .own_domain(&creditor.creditor_id, &creditor.branding.from_address)
            .await;
        let bill_to: Vec<&[String]> = listed
            .iter()
            .filter_map(|(i, _)| invoices[*i].doc.as_ref().map(|d| d.bill_to.as_slice()))
            .collect();
        let to = recipients(debtor, &bill_to);
        let unsubscribe = links
            .as_ref()
            .and_then(|l| l.unsubscribe.as_deref())
            .filter(|_| message.optional);
        // The invoice itself goes with a reminder about it, as the creditor (or the debtor's group) chose.
        let attach_setting = debtor_group
            .and_then(|(_, g)| g.attach_invoice)
            .unwrap_or(creditor.policy.attach_invoice);
        let attach: Vec<String> = statement
            .due
            .iter()
            .map(|(i, _)| &invoices[*i])
            .filter(|invoice| attach_setting.attaches(invoice.progress.last_sent_at.is_some()))
            .map(|invoice| invoice.invoice_id.to_string())
            .collect();
        let outbox = Outbox {
            email: to
                .filter(|_| statement.channels.contains(&Channel::Email))
                .and_then(|to| pending_email(creditor, sending.fallback_from, own_domain, to, &message, unsubscribe))
                .map(|email| PendingEmail {
                    attach,
                    letter: creditor.policy.formal_letter && statement.tone == duly_core::policy::Tone::FinalNotice,
                    ..email
                }),
            sms: statement.channels.contains(&Channel::Sms).then(|| {
                let to = debtor.phone.clone().expect("reachability checked the number");
                let sender_id = creditor.branding.sms_sender_id.clone().filter(|id| {
                    duly_core::messages::sms::valid_sender_id(id) && duly_core::messages::sms::sender_id_allowed(&to)
                });
                PendingSms {
                    to,
                    text: message.sms.clone(),
                    sender_id,
                }
            }),
            keep_sent_days: creditor.records.keep_sent_days,
        };
        // E-mail was the only way and there is no address to send it from (the creditor's domain is not
        // proven and Duly has none of its own): nothing is claimed, and the invoices are looked at again
        // later, as after a failure, rather than on every run.
        if outbox.email.is_none() && outbox.sms.is_none() {
            tracing::error!("no proven address to send e-mail from; nothing sent");
            self.report.errors += 1;
            let retry = now + chrono::Duration::hours(duly_core::billing::RENDER_RETRY_HOURS);
            return put_off(store, invoices, &statement.due, retry).await;
        }
        // Pay-per-use: a message that would take the month past the creditor's cap is not claimed. Its
        // invoices wait for the month to turn (raising the cap replans them at once), rather than staying due
        // and being handed to every run until then.
        let cost = duly_core::billing::message_cost(
            sending.prices,
            outbox.email.is_some(),
            outbox
                .sms
                .as_ref()
                .map_or(0, |s| duly_core::messages::sms::count_segments(&s.text).segments),
            debtor.history.first_in_month(now),
        );
        if !self.within_cap(creditor, cost).await? {
            return put_off(store, invoices, &statement.due, duly_core::billing::held_until(now)).await;
        }
        let lines_listed: Vec<Listed<'_>> = listed
            .iter()
            .map(|(i, l)| Listed {
                invoice_id: invoices[*i].invoice_id.as_str(),
                amount_due_minor: l.amount_due.minor,
                overdue: l.days_overdue > 0,
            })
            .collect();
        let mut history = debtor.history.with_message(now);
        history.dunning = debtor
            .history
            .dunning
            .after(statement.tone, statement.written, &lines_listed);
        let claim = StatementClaim {
            debtor,
            history,
            invoices: statement
                .due
                .iter()
                .map(|(i, d)| ClaimedInvoice {
                    invoice: &invoices[*i],
                    step_key: d.key.clone(),
                    skipped: d.skipped.clone(),
                    next_action_at: monthly::earliest(d.next_after, self.wake),
                    overdue: d.step.offset.days() > 0,
                })
                .collect(),
            tone: statement.tone,
            channels: statement.channels.clone(),
            subject: &message.subject,
            at: now,
            short_link: short_link.as_ref().map(|(_, code, url)| (code.clone(), url.clone())),
            outbox: &outbox,
        };
        let sent = SentReminder {
            creditor_id: debtor.creditor_id.clone(),
            debtor_id: debtor.debtor_id.clone(),
            invoice_numbers: statement
                .due
                .iter()
                .filter_map(|(i, _)| invoices[*i].doc.as_ref().map(|d| d.number.clone()))
                .collect(),
            step_ids: statement.due.iter().map(|(_, d)| d.step.id.clone()).collect(),
            step_keys: statement.due.iter().map(|(_, d)| d.key.clone()).collect(),
            lines: lines.len(),
            tone: statement.tone,
            channels: statement.channels.clone(),
            subject: message.subject.clone(),
            failures: Vec::new(),
        };
        let listed = claim.invoices.iter().map(|c| c.invoice.invoice_id.clone()).collect();
        self.claim_and_deliver(creditor, &claim, cost, sent, listed)
            .await
            .map(|_| ())
    }

    /// Claims a message (once, whatever other run tries), sends it, and counts it in the run's report;
    /// whether it was claimed here, since a claim that lost a race sends nothing.
    pub(super) async fn claim_and_deliver(
        &mut self,
        creditor: &Creditor,
        claim: &StatementClaim<'_>,
        cost: duly_core::billing::Decimal,
        mut sent: SentReminder,
        listed: Vec<InvoiceId>,
    ) -> Result<bool, StoreError> {
        match self.store.claim_statement(claim).await? {
            ClaimOutcome::Claimed => {}
            ClaimOutcome::AlreadyClaimed | ClaimOutcome::InvoiceChanged => {
                self.report.contended += 1;
                self.release_spend(creditor, cost).await?;
                return Ok(false);
            }
        }
        let debtor = claim.debtor;
        let unfinished = UnfinishedMessage {
            creditor: debtor.creditor_id.clone(),
            debtor: debtor.debtor_id.clone(),
            claimed_at: claim.at,
            invoices: listed,
            outbox: claim.outbox.clone(),
            email_sent: false,
            sms_sent: false,
            attempts: 0,
            first_in_month: debtor.history.first_in_month(claim.at),
            detail: duly_adapters::store::message_detail(&format!("{:?}", claim.tone), &sent.step_keys),
        };
        *self.spent.entry(creditor.creditor_id.clone()).or_default() += cost;
        sent.failures = self.deliver(&unfinished, Some(debtor)).await?;
        self.report.sent.push(sent);
        Ok(true)
    }
}

/// Moves the next action of a statement's due invoices (by their index in `invoices`) to `at`: nothing was
/// sent, and the invoices are looked at again then rather than on every run meanwhile.
async fn put_off<T>(
    store: &duly_adapters::store::Store,
    invoices: &[Invoice],
    due: &[(usize, T)],
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), StoreError> {
    for (i, _) in due {
        store.reschedule(&invoices[*i], Some(at), &[]).await?;
    }
    Ok(())
}

/// The e-mail of a message as SES gets it: from the creditor's own address where their domain is proven and
/// verified (Duly's otherwise), with one-click unsubscribe on notes the debtor may decline. `None` when the
/// creditor's domain is not theirs and Duly has no address of its own: mail never goes out from an address
/// nobody proved.
pub(super) fn pending_email(
    creditor: &Creditor,
    fallback_from: Option<&str>,
    own_domain: bool,
    to: duly_core::messages::recipients::Recipients,
    message: &duly_core::messages::render::RenderedMessage,
    unsubscribe: Option<&str>,
) -> Option<PendingEmail> {
    let from = match (own_domain, fallback_from) {
        (true, _) => creditor.branding.from_address.as_str(),
        (false, Some(fallback)) => fallback,
        (false, None) => return None,
    };
    let mut headers = Vec::new();
    if let Some(unsubscribe) = unsubscribe {
        headers.push(("List-Unsubscribe".to_string(), format!("<{unsubscribe}>")));
        headers.push((
            "List-Unsubscribe-Post".to_string(),
            "List-Unsubscribe=One-Click".to_string(),
        ));
    }
    Some(PendingEmail {
        sender_name: creditor.branding.sender_name.clone(),
        from_address: from.to_string(),
        reply_to: creditor.branding.reply_to.clone(),
        to: to.to,
        cc: to.cc,
        subject: message.subject.clone(),
        html: message.html.clone(),
        text: message.text.clone(),
        headers,
        track_opens: creditor.notifications.opens,
        attach: Vec::new(),
        letter: false,
    })
}
