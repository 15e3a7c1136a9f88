# English. $what is an invoice phrase (what-single / what-several), always after a colon.
days-count = { $days ->
    [one] { $days } day
   *[other] { $days } days
}
what-single = invoice { $number } ({ $amount })
what-several = { $count } open invoices, { $amount } in total
subject-before = Payment due on { $due }: { $what }
subject-overdue = Payment reminder: { $what }
subject-firm = Second reminder: { $what }
subject-final = Final notice: { $what }
subject-suspension = Service pause on { $stop }: { $what }
subject-thanks = Thank you for your payment
greeting = Dear { $name },
body-before = This is a friendly reminder that the following payment falls due on { $due }: { $what }.
body-before-2 = If you have already arranged payment, thank you, and please ignore this message.
body-overdue = We have not yet received the payment that was due on { $due } ({ days-count } ago): { $what }.
body-overdue-2 = It may simply have slipped through. We would be grateful if you could arrange payment when you can.
body-firm = The following payment is now { days-count } overdue: { $what }.
body-firm-2 = Please arrange payment, or reply to this e-mail if something is holding it up, so that we can sort it out together.
body-final = Despite our earlier reminders, the following payment is still outstanding { days-count } after its due date: { $what }.
body-final-2 = Please settle it within 7 days, or contact us if there is a problem with the invoice. We would much rather find a solution together with you.
body-suspension = The following payment is still outstanding { days-count } after its due date: { $what }.
body-suspension-2 = Unless payment reaches us before { $stop }, we will have to pause your service on that day. It resumes as soon as the account is settled.
body-suspension-3 = If payment is on its way, or you would like to agree a payment plan, just reply to this e-mail.
body-thanks = Thank you: we have received your payment for the following: { $what }.
body-thanks-2 = Your account is settled. We appreciate your business.
closing = Thank you for your business.
sign-off = Kind regards,
label-invoice = Invoice
label-due-date = Due date
label-amount-due = Amount due
label-total = Total due
label-pay-now = Pay now
label-questions = Questions about this invoice? Write to
overdue-days = { days-count } overdue
answer-intro = Already paid, or need more time? Let us know:
answer-paid = I have already paid
answer-promise = I will pay on a date
answer-dispute = I dispute this invoice
unsubscribe = Prefer no reminders before the due date? Unsubscribe
label-registry = Reg. no.
label-vat = VAT no.
bank-transfer = Bank transfer: IBAN { $iban }; please quote the invoice number as the reference.
sms-what-single = invoice { $number }, { $amount }
sms-what-several = { $count } invoices, { $amount }
sms-before = { $creditor }: friendly reminder, payment due { $due }: { $what }
sms-overdue = { $creditor }: payment was due { $due }: { $what }. Could you take a look?
sms-firm = { $creditor }: payment { days-count } overdue: { $what }. Please pay or reply to us
sms-final = { $creditor }: final notice: { $what }. Please pay within 7 days or contact us
sms-suspension = { $creditor }: unpaid: { $what }. Service pauses { $stop } unless paid
sms-thanks = { $creditor }: thank you, we have received your payment.
answer-title-paid = I have already paid
answer-title-promise = I will pay on a date
answer-title-dispute = I dispute this invoice
answer-title-unsubscribe = No notes before the due date
answer-ask-paid = Let { $creditor } know that you have already paid: { $what }. Reminders pause for 7 days while the payment arrives.
answer-ask-promise = Let { $creditor } know the date by which you will pay: { $what }. Reminders wait until then.
answer-ask-dispute = Tell { $creditor } what is wrong: { $what }. Reminders stop until they have looked into it.
answer-ask-unsubscribe = Stop friendly notes from { $creditor } before the due date. Reminders about overdue invoices still come.
answer-date = Payment date
answer-reason = What is wrong?
answer-send = Send
answer-done-paid = Thank you. { $creditor } has been told, and reminders pause for 7 days.
answer-done-promise = Thank you. { $creditor } has been told that you will pay by { $date }.
answer-done-dispute = Thank you. { $creditor } has been told and will be in touch.
answer-done-unsubscribe = Done. { $creditor } will send no more notes before the due date.
answer-invalid = This link does not work. Please use the link in the latest message, or reply to the e-mail.
answer-expired = This link has expired. Please reply to the e-mail instead.
answer-bad-date = Please choose a date from today to 90 days ahead.
statement-more = { $count ->
    [one] { $count } more open invoice
   *[other] { $count } more open invoices
}, { $amount } in total
label-see-all = See all open invoices
statement-title = Open invoices from { $creditor }
statement-empty = Nothing is open. Thank you!
