# Български. $what е описанието на фактурата (what-single / what-several), винаги след двоеточие.
days-count = { $days ->
    [one] { $days } ден
   *[other] { $days } дни
}
what-single = фактура { $number } ({ $amount })
what-several = { $count ->
    [one] { $count } неплатена фактура
   *[other] { $count } неплатени фактури
} на обща стойност { $amount }
subject-before = Падеж { $due }: { $what }
subject-overdue = Напомняне за плащане: { $what }
subject-firm = Второ напомняне: { $what }
subject-final = Последно напомняне: { $what }
subject-suspension = Спиране на услугата на { $stop }: { $what }
subject-thanks = Благодарим за плащането
greeting = Здравейте, { $name },
body-before = Приятелски напомняме, че на { $due } настъпва падежът на плащане: { $what }.
body-before-2 = Ако вече сте извършили плащането, благодарим Ви и Ви молим да не обръщате внимание на това писмо.
body-overdue = Все още не сме получили плащането с падеж { $due } (забава: { days-count }): { $what }.
body-overdue-2 = Възможно е просто да е убягнало от вниманието Ви. Ще сме благодарни, ако успеете да платите в близките дни.
body-firm = Плащането вече е със забава от { days-count }: { $what }.
body-firm-2 = Моля, извършете плащането или отговорете на това писмо, ако нещо го възпрепятства – заедно ще намерим решение.
body-final = Въпреки предишните ни напомняния плащането все още не е постъпило (забава: { days-count }): { $what }.
body-final-2 = Моля, платете в срок от 7 дни или се свържете с нас, ако има проблем с фактурата. Винаги предпочитаме да намерим решение заедно с Вас.
body-suspension = Плащането все още не е постъпило (забава: { days-count }): { $what }.
body-suspension-2 = Ако плащането не постъпи преди { $stop }, на тази дата ще се наложи да спрем услугата Ви. Тя ще бъде възстановена веднага след плащането.
body-suspension-3 = Ако плащането вече е на път или искате да договорим разсрочено плащане, просто отговорете на това писмо.
body-thanks = Благодарим Ви! Получихме плащането Ви: { $what }.
body-thanks-2 = Всички фактури са платени. Благодарим за доброто сътрудничество.
closing = Благодарим за сътрудничеството.
sign-off = С уважение,
label-invoice = Фактура
label-due-date = Падеж
label-amount-due = Дължима сума
label-total = Общо дължимо
label-pay-now = Плати сега
label-questions = Въпроси относно фактурата? Пишете на
overdue-days = забава: { days-count }
answer-intro = Вече сте платили или Ви трябва повече време? Уведомете ни:
answer-paid = Вече платих
answer-promise = Ще платя на определена дата
answer-dispute = Оспорвам фактурата
unsubscribe = Не желаете напомняния преди падежа? Отпишете се
label-registry = ЕИК
label-vat = ДДС №
bank-transfer = Банков превод: IBAN { $iban }; в основанието посочете номера на фактурата.
sms-what-single = фактура { $number }, { $amount }
sms-what-several = { $count ->
    [one] { $count } фактура
   *[other] { $count } фактури
}, { $amount }
sms-before = { $creditor }: напомняне, падеж { $due }: { $what }
sms-overdue = { $creditor }: падеж { $due }: { $what }. Моля, платете
sms-firm = { $creditor }: забава { days-count }: { $what }. Моля, платете
sms-final = { $creditor }: последно напомняне: { $what }. Моля, платете до 7 дни
sms-suspension = { $creditor }: неплатено: { $what }. Услугата спира на { $stop }
sms-thanks = { $creditor }: благодарим, плащането е получено.
answer-title-paid = Вече платих
answer-title-promise = Ще платя на определена дата
answer-title-dispute = Оспорвам фактурата
answer-title-unsubscribe = Без напомняния преди падежа
answer-ask-paid = Уведомете { $creditor }, че вече сте платили: { $what }. Напомнянията спират за 7 дни, докато плащането пристигне.
answer-ask-promise = Уведомете { $creditor } до коя дата ще платите: { $what }. Дотогава няма да има напомняния.
answer-ask-dispute = Напишете на { $creditor } какво не е наред: { $what }. Напомнянията спират, докато въпросът бъде разгледан.
answer-ask-unsubscribe = Откажете приятелските напомняния на { $creditor } преди падежа. Напомнянията за просрочени фактури ще продължат.
answer-date = Дата на плащане
answer-reason = Какво не е наред?
answer-send = Изпрати
answer-done-paid = Благодарим! { $creditor } е уведомен и напомнянията спират за 7 дни.
answer-done-promise = Благодарим! { $creditor } е уведомен, че ще платите до { $date }.
answer-done-dispute = Благодарим! { $creditor } е уведомен и ще се свърже с Вас.
answer-done-unsubscribe = Готово. { $creditor } няма да изпраща повече напомняния преди падежа.
answer-invalid = Тази връзка не работи. Използвайте връзката от последното писмо или отговорете на имейла.
answer-expired = Тази връзка е изтекла. Моля, отговорете на имейла.
answer-bad-date = Изберете дата от днес до 90 дни напред.
statement-more = { $count ->
    [one] още { $count } неплатена фактура
   *[other] още { $count } неплатени фактури
} на обща стойност { $amount }
label-see-all = Вижте всички неплатени фактури
statement-title = { $creditor }: неплатени фактури
statement-empty = Няма неплатени фактури. Благодарим Ви!
notify-answer-subject = { $debtor } отговори: { $invoices }
notify-answer-paid = { $debtor } съобщава, че плащането е извършено: { $invoices }. Напомнянията са спрени до { $date }.
notify-answer-promise = { $debtor } обещава да плати до { $date }: { $invoices }. Дотогава няма да има напомняния.
notify-answer-dispute = { $debtor } оспорва: { $invoices }. Причина: „{ $reason }“. Напомнянията са спрени, докато не решите въпроса в Duly.
notify-answer-unsubscribe = { $debtor } не желае напомняния преди падежа. Напомнянията за просрочени фактури продължават.
notify-answer-footer = Duly промени напомнянията; можете да промените това в настройките на Duly.
notify-revoked-subject = Duly вече няма достъп: { $platform }
notify-revoked-body = { $platform } вече не позволява на Duly да чете фактурите Ви, затова напомнянията са спрени и няма да бъде изпратено нито едно по остаряло салдо. За да ги възобновите, свържете отново { $platform } с Duly.
notify-sync-failing-subject = Duly не може да получи данни от { $platform }
notify-sync-failing-body = От около { $hours } часа Duly не успява да прочете фактурите ви от { $platform }. Напомнянията чакат, докато салдата отново станат актуални, за да не се напомня никому за вече платена фактура. Duly продължава да опитва; ако { $platform } съобщава за проблем с връзката, свържете го с Duly отново.
notify-bounced-subject = Имейлът до { $debtor } не беше доставен
notify-bounced-body = Напомнянето до { $debtor } не можа да бъде доставено на адреса му, затова Duly вече не изпраща имейли там. Коригирайте адреса в счетоводната си система; SMS съобщенията продължават, ако има мобилен номер.
notify-complained-subject = { $debtor } отбеляза напомняне като спам
notify-complained-body = { $debtor } съобщи, че напомнянето е нежелано, затова Duly вече не му изпраща имейли. Може би си струва да се свържете с него сами.
notify-dead-message-subject = Напомнянето до { $debtor } не можа да бъде изпратено
notify-dead-message-body = Всички канали се провалиха след повторните опити, затова това напомняне не беше изпратено. Подробностите са в списъка с неуспешни елементи в Duly; следващата стъпка от графика ще опита отново.
notify-dead-template-subject = Вашият шаблон { $template } ({ $language }) се провали
notify-dead-template-body = Вашият собствен шаблон { $template } на език { $language } се провали при истинско съобщение, затова Duly използва стандартния текст. Прегледайте шаблона и го запазете отново.
notify-dead-sync-subject = Duly не можа да прочете запис от { $platform }
notify-dead-sync-body = Duly спря опитите да получи { $entity } { $resource } от { $platform }. Следващото ежедневно съгласуване ще го прочете отново; ако е изтрит в { $platform }, не е нужно нищо.
notify-digest-subject = Какво чака вниманието ви в Duly ({ $count })
notify-digest-intro = Ето какво се случи от последното обобщение.
notify-digest-more = Чакат следващото обобщение: { $count }.
