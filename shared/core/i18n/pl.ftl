# Polski. $what to opis faktury (what-single / what-several), zawsze po dwukropku.
days-count = { $days ->
    [one] { $days } dzień
   *[other] { $days } dni
}
what-single = faktura { $number } ({ $amount })
what-several = { $count ->
    [one] { $count } nieopłacona faktura
    [few] { $count } nieopłacone faktury
   *[many] { $count } nieopłaconych faktur
} na łączną kwotę { $amount }
subject-before = Termin płatności { $due }: { $what }
subject-overdue = Przypomnienie o płatności: { $what }
subject-firm = Drugie przypomnienie: { $what }
subject-final = Ostatnie przypomnienie: { $what }
subject-suspension = Wstrzymanie usługi { $stop }: { $what }
subject-thanks = Dziękujemy za płatność
greeting = Dzień dobry, { $name },
body-before = Uprzejmie przypominamy, że { $due } mija termin płatności: { $what }.
body-before-2 = Jeśli płatność została już zlecona, dziękujemy i prosimy nie brać tej wiadomości pod uwagę.
body-overdue = Nie otrzymaliśmy jeszcze płatności z terminem { $due } (opóźnienie: { days-count }): { $what }.
body-overdue-2 = Być może po prostu umknęła Państwa uwadze. Będziemy wdzięczni za jej uregulowanie w najbliższym czasie.
body-firm = Opóźnienie w płatności wynosi już { days-count }: { $what }.
body-firm-2 = Prosimy o uregulowanie płatności lub odpowiedź na tę wiadomość, jeśli coś stoi na przeszkodzie – wspólnie znajdziemy rozwiązanie.
body-final = Pomimo wcześniejszych przypomnień płatność nadal nie wpłynęła (opóźnienie: { days-count }): { $what }.
body-final-2 = Prosimy o zapłatę w ciągu 7 dni lub kontakt z nami, jeśli z fakturą jest jakiś problem. Chętnie znajdziemy rozwiązanie razem z Państwem.
body-suspension = Płatność nadal nie wpłynęła (opóźnienie: { days-count }): { $what }.
body-suspension-2 = Jeśli płatność nie dotrze do nas przed { $stop }, tego dnia będziemy zmuszeni wstrzymać świadczenie usługi. Zostanie ona wznowiona zaraz po uregulowaniu płatności.
body-suspension-3 = Jeśli płatność jest już w drodze lub chcą Państwo ustalić harmonogram spłat, wystarczy odpowiedzieć na tę wiadomość.
body-thanks = Dziękujemy! Otrzymaliśmy Państwa płatność: { $what }.
body-thanks-2 = Wszystkie faktury są opłacone. Dziękujemy za współpracę.
closing = Dziękujemy za współpracę.
sign-off = Z poważaniem
label-invoice = Faktura
label-due-date = Termin płatności
label-amount-due = Do zapłaty
label-total = Razem do zapłaty
label-pay-now = Zapłać teraz
label-questions = Pytania dotyczące faktury? Prosimy pisać na
overdue-days = opóźnienie: { days-count }
answer-intro = Płatność już wysłana lub potrzebują Państwo więcej czasu? Prosimy dać nam znać:
answer-paid = Już zapłaciłem/zapłaciłam
answer-promise = Zapłacę w wybranym dniu
answer-dispute = Kwestionuję fakturę
unsubscribe = Nie chcą Państwo przypomnień przed terminem? Wypisz się
label-registry = Nr rej.
label-vat = NIP
bank-transfer = Przelew bankowy: IBAN { $iban }; w tytule przelewu prosimy podać numer faktury.
sms-what-single = faktura { $number }, { $amount }
sms-what-several = { $count ->
    [one] { $count } faktura
    [few] { $count } faktury
   *[many] { $count } faktur
}, { $amount }
sms-before = { $creditor }: przypomnienie, termin { $due }: { $what }
sms-overdue = { $creditor }: termin minął { $due }: { $what }. Prosimy o zapłatę
sms-firm = { $creditor }: opóźnienie { days-count }: { $what }. Prosimy o zapłatę
sms-final = { $creditor }: ostatnie przypomnienie: { $what }. Prosimy zapłacić w 7 dni
sms-suspension = { $creditor }: nieopłacone: { $what }. Usługa zostanie wstrzymana { $stop }
sms-thanks = { $creditor }: dziękujemy, płatność otrzymana.
answer-title-paid = Już zapłaciłem/zapłaciłam
answer-title-promise = Zapłacę w wybranym dniu
answer-title-dispute = Kwestionuję fakturę
answer-title-unsubscribe = Bez przypomnień przed terminem
answer-ask-paid = Poinformuj firmę { $creditor }, że płatność została już wykonana: { $what }. Przypomnienia zostaną wstrzymane na 7 dni, aż płatność dotrze.
answer-ask-promise = Poinformuj firmę { $creditor }, do kiedy zapłacisz: { $what }. Do tego dnia przypomnień nie będzie.
answer-ask-dispute = Napisz firmie { $creditor }, co jest nie tak: { $what }. Przypomnienia zostaną wstrzymane do czasu wyjaśnienia sprawy.
answer-ask-unsubscribe = Zrezygnuj z uprzejmych przypomnień firmy { $creditor } przed terminem płatności. Przypomnienia o zaległych fakturach będą nadal wysyłane.
answer-date = Data płatności
answer-reason = Co jest nie tak?
answer-send = Wyślij
answer-done-paid = Dziękujemy! Firma { $creditor } została poinformowana, a przypomnienia wstrzymane na 7 dni.
answer-done-promise = Dziękujemy! Firma { $creditor } została poinformowana, że zapłacisz do { $date }.
answer-done-dispute = Dziękujemy! Firma { $creditor } została poinformowana i skontaktuje się z Tobą.
answer-done-unsubscribe = Gotowe. { $creditor } nie będzie już wysyłać przypomnień przed terminem płatności.
answer-invalid = Ten link nie działa. Skorzystaj z linku w najnowszej wiadomości lub odpowiedz na e-mail.
answer-expired = Ten link wygasł. Prosimy odpowiedzieć na e-mail.
answer-bad-date = Wybierz datę od dziś do 90 dni naprzód.
statement-more = { $count ->
    [one] jeszcze { $count } nieopłacona faktura
    [few] jeszcze { $count } nieopłacone faktury
   *[many] jeszcze { $count } nieopłaconych faktur
} na łączną kwotę { $amount }
label-see-all = Zobacz wszystkie nieopłacone faktury
statement-title = { $creditor }: nieopłacone faktury
statement-empty = Brak nieopłaconych faktur. Dziękujemy!
notify-answer-subject = { $debtor } odpowiada: { $invoices }
notify-answer-paid = { $debtor } informuje, że płatność została wykonana: { $invoices }. Przypomnienia wstrzymane do { $date }.
notify-answer-promise = { $debtor } obiecuje zapłacić do { $date }: { $invoices }. Do tego dnia przypomnień nie będzie.
notify-answer-dispute = { $debtor } kwestionuje: { $invoices }. Powód: „{ $reason }”. Przypomnienia wstrzymane do czasu rozwiązania sprawy w Duly.
notify-answer-unsubscribe = { $debtor } nie chce przypomnień przed terminem płatności. Przypomnienia o zaległych fakturach będą wysyłane nadal.
notify-answer-footer = Duly dostosował przypomnienia; można to zmienić w ustawieniach Duly.
notify-revoked-subject = Duly nie ma już dostępu: { $platform }
notify-revoked-body = { $platform } nie pozwala już Duly odczytywać Państwa faktur, dlatego przypomnienia zostały wstrzymane i żadne nie zostanie wysłane na podstawie nieaktualnego salda. Aby je wznowić, połącz ponownie { $platform } z Duly.
notify-sync-failing-subject = Duly nie może pobrać danych z { $platform }
notify-sync-failing-body = Od około { $hours } godz. Duly nie może odczytać Twoich faktur z { $platform }. Przypomnienia czekają, aż salda znów będą aktualne, aby nikt nie dostał przypomnienia o już opłaconej fakturze. Duly próbuje dalej; jeśli { $platform } zgłasza problem z połączeniem, połącz go z Duly ponownie.
notify-bounced-subject = E-mail do { $debtor } nie został doręczony
notify-bounced-body = Przypomnienia do { $debtor } nie udało się doręczyć na jego adres, więc Duly nie wysyła już tam e-maili. Popraw adres w swoim systemie księgowym; SMS-y nadal wychodzą, jeśli jest numer komórkowy.
notify-complained-subject = { $debtor } oznaczył przypomnienie jako spam
notify-complained-body = { $debtor } zgłosił przypomnienie jako niechciane, więc Duly nie wysyła mu już e-maili. Warto skontaktować się z nim samodzielnie.
notify-dead-message-subject = Nie udało się wysłać przypomnienia do { $debtor }
notify-dead-message-body = Wszystkie kanały zawiodły mimo ponownych prób, więc to przypomnienie nie zostało wysłane. Szczegóły są na liście nieudanych pozycji w Duly; następny krok harmonogramu spróbuje ponownie.
notify-dead-template-subject = Twój szablon { $template } ({ $language }) zawiódł
notify-dead-template-body = Twój własny szablon { $template } w języku { $language } zawiódł przy prawdziwej wiadomości, więc Duly użył standardowej treści. Sprawdź szablon w podglądzie i zapisz go ponownie.
notify-dead-sync-subject = Duly nie mógł odczytać rekordu z { $platform }
notify-dead-sync-body = Duly przestał próbować pobrać { $entity } { $resource } z { $platform }. Następne codzienne uzgodnienie odczyta go ponownie; jeśli został usunięty w { $platform }, nic nie trzeba robić.
notify-digest-subject = Co czeka na Ciebie w Duly ({ $count })
notify-digest-intro = Oto co wydarzyło się od ostatniego podsumowania.
notify-digest-more = Czeka na następne podsumowanie: { $count }.
web-nav-today = Dziś
web-nav-groups = Grupy klientów
web-nav-answers = Odpowiedzi
web-nav-connections = Połączenia
web-nav-notices = Powiadomienia
web-sign-out = Wyloguj
web-sign-in-title = Zaloguj się do Duly
web-sign-in-email = Twój adres e-mail
web-sign-in-send = Wyślij mi link do logowania
web-sign-in-continue = Przejdź do Duly
web-sign-in-bad-email = Podaj adres e-mail.
web-sign-in-sent = Jeśli { $email } może się logować, link jest w drodze. Działa raz, przez 15 minut.
web-sign-in-expired = Ten link do logowania wygasł lub został już użyty. Poproś o nowy.
web-sign-in-mail-subject = Twój link do logowania w Duly
web-sign-in-mail-body = Otwórz ten link, aby zalogować się do Duly: { $link }

    Działa raz, przez 15 minut. Jeśli o niego nie prosiłeś, zignoruj tę wiadomość.
web-today-title = Dziś
web-today-planned = Wyjdzie w ciągu 7 dni
web-today-nothing = W ciągu 7 dni nic nie wyjdzie.
web-today-answers = Najnowsze odpowiedzi klientów
web-today-notices = Najnowsze powiadomienia
web-col-when = Kiedy
web-col-customer = Klient
web-col-invoice = Faktura
web-col-step = Krok
web-col-channels = Kanały
web-col-why = Dlaczego
web-col-what = Co
web-groups-title = Grupy klientów
web-groups-none = Nie ma jeszcze grup klientów. Grupy z Twojego systemu księgowego pojawią się tu po następnym uzgodnieniu.
web-group-on = Włączona
web-group-off = Wyłączona
web-group-switch-off = Wyłącz
web-group-switch-on = Włącz
web-group-steps-own = własne kroki
web-group-steps-default = Twoje domyślne kroki
web-answers-title = Odpowiedzi
web-answers-none = Nie ma jeszcze odpowiedzi.
web-answer-paid = mówi, że zapłacił
web-answer-promise = obiecuje zapłacić
web-answer-dispute = kwestionuje
web-answer-unsubscribe = poprosił o brak przypomnień przed terminem
web-resolve = Zamknij spór
web-connections-title = Połączenia
web-connections-none = Nie połączono żadnego systemu księgowego.
web-connection-ok = Połączono; ostatnie uzgodnienie { $at }.
web-connection-first = Połączono; trwa pierwszy import.
web-connection-revoked = { $platform } odebrał Duly dostęp { $at }. Połącz go ponownie, aby wznowić przypomnienia.
web-connection-failing = Ostatnie próby uzgodnienia ({ $attempts }) nie powiodły się; Duly próbuje dalej.
web-notices-title = Powiadomienia
web-notices-none = Nic nie czeka na Ciebie.
web-dead-title = Nieudane pozycje
web-debtor-open = Otwarte faktury
web-debtor-messages = Wysłane wiadomości
web-debtor-none = Brak.
web-debtor-refused = E-maile nie są już wysyłane na: { $addresses }
web-csrf = Ten formularz wygasł. Wróć, odśwież stronę i spróbuj ponownie.
web-not-found = Nie znaleziono.
notify-open = Otwórz w Duly: { $link }
web-unavailable = Coś poszło nie tak po naszej stronie. Spróbuj ponownie za minutę.
web-nav-team = Zespół
web-team-title = Kto może się logować
web-team-you = Ty
web-team-remove = Usuń
web-team-add = Zaproś
web-team-add-yourself = Dodaj tu swój adres e-mail, aby logować się linkiem wysłanym e-mailem.
web-team-taken = Ten adres loguje się już do innego konta Duly.
web-team-mail-subject = Możesz teraz logować się do Duly: { $creditor }
web-team-mail-body = Zaproszono Cię do Duly, który wysyła przypomnienia o płatnościach firmy { $creditor }. Zaloguj się linkiem wysłanym na ten adres: { $link }
