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
web-sign-in-with-failed = { $platform } nie zalogował Cię. Spróbuj ponownie lub poproś o link e-mailem.
web-sign-in-with-stranger = Żadne konto Duly nie używa adresu { $email }. Poproś osobę zarządzającą Duly w Twojej firmie o zaproszenie lub załóż konto.
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
web-debtor-resume = Wznów przypomnienia
web-debtor-pause = Wstrzymaj przypomnienia
web-debtor-pause-until = Do (opcjonalnie)
web-debtor-pause-reason = Dlaczego (opcjonalnie, widzisz tylko Ty)
web-debtor-place = Pisz do klienta
web-debtor-language = Język
web-debtor-country = Kraj (dwie litery, dla świąt)
web-debtor-time-zone = Strefa czasowa
web-debtor-save = Zapisz
web-debtor-paused = Przypomnienia wstrzymane do { $until }. { $reason }
web-bad-date = Podaj datę w formacie RRRR-MM-DD.
web-bad-zone = Duly nie zna takiej strefy czasowej (na przykład Europe/Riga).
web-nav-schedule = Harmonogram
web-schedule-title = Harmonogram przypomnień
web-schedule-error = Nie zapisano:
web-schedule-enabled = Przypomnienia są włączone
web-schedule-window-start = Wysyłaj od
web-schedule-window-end = Wysyłaj do
web-schedule-gap = Godziny między wiadomościami do jednego klienta
web-schedule-per-week = Wiadomości do klienta na tydzień
web-schedule-grace = Dni karencji po obiecanej dacie
web-schedule-steps = Kroki
web-schedule-steps-help = Dni przed terminem są ujemne. Aby usunąć krok, wyczyść jego nazwę; aby dodać, wypełnij pusty wiersz.
web-schedule-step-id = Nazwa
web-schedule-step-days = Dni od terminu
web-schedule-step-unit = Liczone w
web-schedule-business = dniach roboczych
web-schedule-calendar = dniach kalendarzowych
web-schedule-step-tone = Ton
web-schedule-step-written = przypomnienie pisemne
web-schedule-step-suspend = Wstrzymanie po (dniach)
web-schedule-minimums = Nie przypominaj poniżej
web-schedule-currency = Waluta
web-schedule-amount = Kwota
web-schedule-save = Zapisz harmonogram
web-tone-friendly = przyjazny
web-tone-firm = stanowczy
web-tone-final_notice = ostatnie przypomnienie
web-tone-suspension_warning = ostrzeżenie o wstrzymaniu
web-preview-title = Podgląd
web-nav-preview = Wiadomości
web-preview-show = Pokaż
web-preview-open-email = Otwórz e-mail tak, jak wygląda
web-preview-segments = Części SMS: { $segments }
web-nav-tokens = Klucze API
web-nav-usage = Zużycie
web-tokens-title = Klucze API
web-tokens-shown-once = Ten klucz jest pokazywany tylko teraz. Skopiuj go do swojej integracji; Duly przechowuje tylko jego odcisk.
web-tokens-rotate = Wymień
web-tokens-revoke = Unieważnij
web-tokens-none = Brak kluczy API.
web-tokens-label = Nazwa
web-tokens-create = Utwórz klucz
web-usage-title = Zużycie
web-usage-reminders = Wiadomości
web-usage-emails = E-maile
web-usage-segments = Części SMS
web-nav-branding = Marka
web-branding-title = Marka
web-branding-domain = Domena nadawcy
web-branding-verified = Przypomnienia wychodzą z Twojego adresu: domena jest zweryfikowana.
web-branding-unverified = Dopóki domena nie jest zweryfikowana, przypomnienia wychodzą z adresu Duly w Twoim imieniu.
web-branding-verify = Zweryfikuj moją domenę
web-branding-records = Opublikuj te rekordy DNS; weryfikacja nastąpi w ciągu kilku godzin:
web-branding-trading-name = Nazwa handlowa
web-branding-sender-name = Nazwa nadawcy
web-branding-from = Adres nadawcy
web-branding-reply-to = Odpowiedzi na adres
web-branding-logo = Logo (adres https)
web-branding-colour = Kolor marki
web-branding-signature = Podpis
web-branding-footer = Stopka prawna
web-branding-sms-sender = Nazwa nadawcy SMS
web-branding-registry = Numer rejestrowy
web-branding-vat = Numer VAT
web-branding-address = Adres
web-branding-domain-taken = Ta domena należy do innego konta Duly.
web-today-sent = Wysłane ostatnio
web-status-sent = wysłano
web-status-partly_sent = wysłano częściowo
web-status-failed = nie udało się
web-today-paid-since = zapłacono potem
web-answer-resolve = Zamknij spór
web-answer-end-promise = Zakończ obietnicę
web-answer-resume = Wznów przypomnienia
web-sign-up-title = Zacznij z Duly
web-sign-up-company = Nazwa firmy
web-sign-up-country = Kraj
web-sign-up-send = Wyślij mi link na start
web-sign-up-offer = Nowy w Duly? Zacznij tutaj
web-sign-in-offer = Już używasz Duly? Zaloguj się
web-sign-in-with-xero = Zaloguj się przez Xero
web-sign-in-with-quickbooks = Zaloguj się przez Intuit
web-sign-in-or-email = lub e-mailem
web-sign-up-invalid = Podaj adres e-mail, nazwę firmy i jej kraj.
web-nav-templates = Szablony
web-templates-name = Szablon
web-templates-custom = Dla tego języka używana jest Twoja treść.
web-templates-shipped = Używana jest treść Duly; edytuj ją, aby była Twoja.
web-templates-save = Zapisz szablon
web-templates-reset = Wróć do treści Duly
web-templates-preview = Zobacz w podglądzie
web-templates-title = Szablony
web-templates-line = Wiersz { $line }: { $reason } Nic nie zapisano.
web-templates-yours = Twoje szablony
web-connections-reconnect = Połącz ponownie
web-connections-disconnect = Rozłącz
web-connections-add = Połącz platformę
web-connections-standard = Inna platforma (Standard Webhooks)
web-rule-days =
    { $unit ->
        [business] { $days ->
            [one] { $days } dzień roboczy
            [few] { $days } dni robocze
            [many] { $days } dni roboczych
            *[other] { $days } dnia roboczego
        }
       *[calendar] { $days ->
            [one] { $days } dzień
            [few] { $days } dni
            [many] { $days } dni
            *[other] { $days } dnia
        }
    }
web-rule-before = { $span } przed terminem płatności
web-rule-after = { $span } po terminie płatności
web-rule-on = w dniu terminu płatności
web-rule-group = harmonogram grupy klientów
web-rule-default = domyślny harmonogram
web-rule-moved = przeniesione z { $date } na następny dzień roboczy
web-rule-deferred = później, aby zachować odstęp, limit tygodniowy lub okno wysyłki
web-nav-customers = Klienci
web-customers-search = Nazwa, e-mail lub numer faktury
web-customers-find = Szukaj
web-customers-none = Żaden klient z otwartymi fakturami nie pasuje.
web-customers-invoices = Otwarte faktury
web-customers-due = Należność
web-customers-earliest = Najstarszy termin płatności
web-customers-paused = wstrzymane
web-customers-title = Klienci
web-customers-more = Pokazano { $shown } z { $matched }; zawęź wyszukiwanie.
web-today-collected = Zapłacone po przypomnieniu, ostatnie 30 dni
web-today-collected-count = Opłacone faktury
web-today-collected-none = W ostatnich 30 dniach nic nie zostało zapłacone po przypomnieniu.
web-col-reminded = Przypomniano
web-col-paid = Zapłacono
web-col-amount = Kwota
