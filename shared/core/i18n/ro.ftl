# Română. $what este descrierea facturii (what-single / what-several), mereu după două puncte.
days-count = { $days ->
    [one] o zi
    [few] { $days } zile
   *[other] { $days } de zile
}
what-single = factura { $number } ({ $amount })
what-several = { $count ->
    [one] { $count } factură neachitată
    [few] { $count } facturi neachitate
   *[other] { $count } de facturi neachitate
}, în total { $amount }
subject-before = Scadență { $due }: { $what }
subject-overdue = Reamintire de plată: { $what }
subject-firm = A doua reamintire: { $what }
subject-final = Ultima reamintire: { $what }
subject-suspension = Suspendarea serviciului pe { $stop }: { $what }
subject-thanks = Vă mulțumim pentru plată
greeting = Bună ziua, { $name },
body-before = Vă reamintim cu prietenie că pe { $due } ajunge la scadență plata pentru: { $what }.
body-before-2 = Dacă ați efectuat deja plata, vă mulțumim și vă rugăm să ignorați acest mesaj.
body-overdue = Nu am primit încă plata cu scadența { $due } (întârziere: { days-count }): { $what }.
body-overdue-2 = Poate v-a scăpat pur și simplu. V-am fi recunoscători dacă ați putea efectua plata în zilele următoare.
body-firm = Plata are acum o întârziere de { days-count }: { $what }.
body-firm-2 = Vă rugăm să efectuați plata sau să răspundeți la acest e-mail dacă ceva o împiedică, ca să găsim împreună o soluție.
body-final = În ciuda reamintirilor anterioare, plata nu a fost încă primită (întârziere: { days-count }): { $what }.
body-final-2 = Vă rugăm să achitați în termen de 7 zile sau să ne contactați dacă există o problemă cu factura. Preferăm întotdeauna să găsim o soluție împreună cu dumneavoastră.
body-suspension = Plata nu a fost încă primită (întârziere: { days-count }): { $what }.
body-suspension-2 = Dacă plata nu ajunge la noi înainte de { $stop }, în acea zi va trebui să vă suspendăm serviciul. Acesta va fi reluat imediat după achitare.
body-suspension-3 = Dacă plata este deja pe drum sau doriți să stabilim un plan de plată, răspundeți pur și simplu la acest e-mail.
body-thanks = Vă mulțumim! Am primit plata dumneavoastră: { $what }.
body-thanks-2 = Toate facturile sunt achitate. Apreciem colaborarea noastră.
closing = Vă mulțumim pentru colaborare.
sign-off = Cu stimă,
label-invoice = Factură
label-due-date = Scadență
label-amount-due = De plată
label-total = Total de plată
label-pay-now = Plătește acum
label-questions = Întrebări despre factură? Scrieți-ne la
overdue-days = întârziere: { days-count }
answer-intro = Ați plătit deja sau aveți nevoie de mai mult timp? Anunțați-ne:
answer-paid = Am plătit deja
answer-promise = Voi plăti la o anumită dată
answer-dispute = Contest factura
unsubscribe = Nu doriți reamintiri înainte de scadență? Dezabonare
label-registry = Nr. înreg.
label-vat = Cod TVA
bank-transfer = Transfer bancar: IBAN { $iban }; vă rugăm să menționați numărul facturii la detalii.
sms-what-single = factura { $number }, { $amount }
sms-what-several = { $count ->
    [one] { $count } factură
    [few] { $count } facturi
   *[other] { $count } de facturi
}, { $amount }
sms-before = { $creditor }: reamintire, scadență { $due }: { $what }
sms-overdue = { $creditor }: scadența a fost { $due }: { $what }. Vă rugăm să plătiți
sms-firm = { $creditor }: întârziere { days-count }: { $what }. Vă rugăm să plătiți
sms-final = { $creditor }: ultima reamintire: { $what }. Vă rugăm să plătiți în 7 zile
sms-suspension = { $creditor }: neachitat: { $what }. Serviciul se suspendă pe { $stop }
sms-thanks = { $creditor }: vă mulțumim, plata a fost primită.
answer-title-paid = Am plătit deja
answer-title-promise = Voi plăti la o anumită dată
answer-title-dispute = Contest factura
answer-title-unsubscribe = Fără reamintiri înainte de scadență
answer-ask-paid = Anunțați { $creditor } că ați plătit deja: { $what }. Reamintirile se opresc 7 zile, până ajunge plata.
answer-ask-promise = Anunțați { $creditor } până la ce dată veți plăti: { $what }. Până atunci nu veți primi reamintiri.
answer-ask-dispute = Scrieți-i lui { $creditor } ce nu este în regulă: { $what }. Reamintirile se opresc până când situația este analizată.
answer-ask-unsubscribe = Renunțați la reamintirile prietenoase de la { $creditor } înainte de scadență. Reamintirile pentru facturile restante vor continua.
answer-date = Data plății
answer-reason = Ce nu este în regulă?
answer-send = Trimite
answer-done-paid = Vă mulțumim! { $creditor } a fost anunțat, iar reamintirile se opresc 7 zile.
answer-done-promise = Vă mulțumim! { $creditor } a fost anunțat că veți plăti până la { $date }.
answer-done-dispute = Vă mulțumim! { $creditor } a fost anunțat și vă va contacta.
answer-done-unsubscribe = Gata. { $creditor } nu vă va mai trimite reamintiri înainte de scadență.
answer-invalid = Acest link nu funcționează. Folosiți linkul din cel mai recent mesaj sau răspundeți la e-mail.
answer-expired = Acest link a expirat. Vă rugăm să răspundeți la e-mail.
answer-bad-date = Alegeți o dată de astăzi până la 90 de zile înainte.
statement-more = { $count ->
    [one] încă { $count } factură neachitată
    [few] încă { $count } facturi neachitate
   *[other] încă { $count } de facturi neachitate
}, în total { $amount }
label-see-all = Vezi toate facturile neachitate
statement-title = { $creditor }: facturi neachitate
statement-empty = Nu există facturi neachitate. Vă mulțumim!
notify-answer-subject = { $debtor } a răspuns: { $invoices }
notify-answer-paid = { $debtor } spune că a plătit: { $invoices }. Mementourile sunt oprite până la { $date }.
notify-answer-promise = { $debtor } promite să plătească până la { $date }: { $invoices }. Până atunci nu se trimit mementouri.
notify-answer-dispute = { $debtor } contestă: { $invoices }. Motiv: „{ $reason }”. Mementourile sunt oprite până rezolvați situația în Duly.
notify-answer-unsubscribe = { $debtor } nu dorește mementouri înainte de scadență. Mementourile pentru facturile restante continuă.
notify-answer-footer = Duly a ajustat mementourile; puteți schimba acest lucru în setările Duly.
notify-revoked-subject = Duly nu mai are acces: { $platform }
notify-revoked-body = { $platform } nu mai permite Duly să vă citească facturile, așa că mementourile au fost oprite și niciunul nu pleacă pe baza unui sold învechit. Pentru a le relua, conectați din nou { $platform } la Duly.
notify-sync-failing-subject = Duly nu poate prelua datele din { $platform }
notify-sync-failing-body = De aproximativ { $hours } ore Duly nu poate citi facturile dumneavoastră din { $platform }. Mementourile așteaptă până când soldurile sunt din nou actuale, ca nimeni să nu primească un memento pentru o factură deja plătită. Duly încearcă în continuare; dacă { $platform } raportează o problemă cu conexiunea, conectați-l din nou la Duly.
notify-bounced-subject = E-mailul către { $debtor } nu a fost livrat
notify-bounced-body = Mementoul către { $debtor } nu a putut fi livrat la adresa sa, așa că Duly nu mai trimite e-mailuri acolo. Corectați adresa în sistemul dumneavoastră de contabilitate; SMS-urile pleacă în continuare dacă există un număr de mobil.
notify-complained-subject = { $debtor } a marcat un memento ca spam
notify-complained-body = { $debtor } a raportat mementoul ca nedorit, așa că Duly nu îi mai trimite e-mailuri. Poate merită să îl contactați chiar dumneavoastră.
notify-dead-message-subject = Mementoul către { $debtor } nu a putut fi trimis
notify-dead-message-body = Toate canalele au eșuat după reîncercări, așa că acest memento nu a plecat. Detaliile sunt în lista de elemente eșuate din Duly; următorul pas din program va încerca din nou.
notify-dead-template-subject = Șablonul dumneavoastră { $template } ({ $language }) a eșuat
notify-dead-template-body = Șablonul dumneavoastră { $template } în limba { $language } a eșuat la un mesaj real, așa că Duly a folosit textul standard. Previzualizați șablonul și salvați-l din nou.
notify-dead-sync-subject = Duly nu a putut citi o înregistrare din { $platform }
notify-dead-sync-body = Duly a renunțat să preia { $entity } { $resource } din { $platform } după reîncercări. Următoarea reconciliere zilnică o va citi din nou; dacă a fost ștearsă în { $platform }, nu trebuie făcut nimic.
notify-digest-subject = Ce vă așteaptă în Duly ({ $count })
notify-digest-intro = Iată ce s-a întâmplat de la ultimul rezumat.
notify-digest-more = Așteaptă următorul rezumat: { $count }.
web-nav-today = Azi
web-nav-groups = Grupuri de clienți
web-nav-answers = Răspunsuri
web-nav-connections = Conexiuni
web-nav-notices = Notificări
web-sign-out = Deconectare
web-sign-in-title = Conectați-vă la Duly
web-sign-in-email = Adresa dumneavoastră de e-mail
web-sign-in-send = Trimiteți-mi un link de conectare
web-sign-in-continue = Continuați în Duly
web-sign-in-bad-email = Introduceți o adresă de e-mail.
web-sign-in-sent = Dacă { $email } se poate conecta, linkul este pe drum. Funcționează o singură dată, 15 minute.
web-sign-in-expired = Acest link de conectare a expirat sau a fost deja folosit. Cereți unul nou.
web-sign-in-with-failed = { $platform } nu v-a conectat. Încercați din nou sau cereți un link prin e-mail.
web-sign-in-with-stranger = Niciun cont Duly nu folosește { $email }. Cereți celui care administrează Duly în firma dvs. să vă invite sau înregistrați-vă.
web-sign-in-mail-subject = Linkul dumneavoastră de conectare la Duly
web-sign-in-mail-body = Deschideți acest link pentru a vă conecta la Duly: { $link }

    Funcționează o singură dată, 15 minute. Dacă nu l-ați cerut, ignorați acest e-mail.
web-today-title = Azi
web-today-planned = Pleacă în următoarele 7 zile
web-today-nothing = Nimic nu pleacă în următoarele 7 zile.
web-today-answers = Cele mai noi răspunsuri ale clienților
web-today-notices = Cele mai noi notificări
web-col-when = Când
web-col-customer = Client
web-col-invoice = Factură
web-col-step = Pas
web-col-channels = Canale
web-col-why = De ce
web-col-what = Ce
web-groups-title = Grupuri de clienți
web-groups-none = Încă nu există grupuri de clienți. Grupurile din sistemul dumneavoastră de contabilitate apar aici după următoarea reconciliere.
web-group-on = Pornit
web-group-off = Oprit
web-group-switch-off = Oprește
web-group-switch-on = Pornește
web-group-steps-own = pași proprii
web-group-steps-default = pașii dumneavoastră impliciți
web-answers-title = Răspunsuri
web-answers-none = Încă nu există răspunsuri.
web-answer-paid = spune că a plătit
web-answer-promise = promite să plătească
web-answer-dispute = contestă
web-answer-unsubscribe = a cerut să nu primească mementouri înainte de scadență
web-connections-title = Conexiuni
web-connections-none = Niciun sistem de contabilitate nu este conectat.
web-connection-ok = Conectat; ultima reconciliere { $at }.
web-connection-first = Conectat; primul import este în curs.
web-connection-revoked = { $platform } a oprit accesul Duly pe { $at }. Conectați-l din nou pentru a relua mementourile.
web-connection-failing = Ultimele încercări de reconciliere ({ $attempts }) au eșuat; Duly încearcă în continuare.
web-notices-title = Notificări
web-notices-none = Nimic nu vă așteaptă.
web-dead-title = Elemente eșuate
web-debtor-open = Facturi deschise
web-debtor-messages = Mesaje trimise
web-debtor-none = Niciunul.
web-debtor-refused = Nu se mai trimit e-mailuri către: { $addresses }
web-csrf = Acest formular a expirat. Reveniți, reîncărcați pagina și încercați din nou.
web-not-found = Negăsit.
notify-open = Deschide în Duly: { $link }
web-unavailable = Ceva nu a mers bine la noi. Vă rugăm să încercați din nou peste un minut.
web-nav-team = Echipă
web-team-title = Cine se poate conecta
web-team-you = dumneavoastră
web-team-remove = Elimină
web-team-add = Invită
web-team-add-yourself = Adăugați aici adresa dumneavoastră de e-mail, ca să vă puteți conecta cu un link trimis prin e-mail.
web-team-taken = Această adresă se conectează deja la alt cont Duly.
web-team-mail-subject = Acum vă puteți conecta la Duly: { $creditor }
web-team-mail-body = Ați fost invitat în Duly, care trimite mementourile de plată ale { $creditor }. Conectați-vă cu un link trimis la această adresă: { $link }
web-debtor-resume = Reia mementourile
web-debtor-pause = Oprește mementourile
web-debtor-pause-until = Până la (opțional)
web-debtor-pause-reason = De ce (opțional, doar dumneavoastră vedeți)
web-debtor-place = Scrie-i clientului
web-debtor-language = Limba
web-debtor-country = Țara (două litere, pentru sărbători)
web-debtor-time-zone = Fusul orar
web-debtor-save = Salvează
web-debtor-paused = Mementourile sunt oprite până la { $until }. { $reason }
web-bad-date = Introduceți data în formatul AAAA-LL-ZZ.
web-bad-zone = Duly nu cunoaște acest fus orar (de exemplu Europe/Riga).
web-nav-schedule = Program
web-schedule-title = Programul mementourilor
web-schedule-error = Nu s-a salvat:
web-schedule-enabled = Mementourile sunt pornite
web-schedule-window-start = Trimite de la
web-schedule-window-end = Trimite până la
web-schedule-gap = Ore între mesajele către un client
web-schedule-per-week = Mesaje către un client pe săptămână
web-schedule-grace = Zile de grație după data promisă
web-schedule-steps = Pași
web-schedule-steps-help = Zilele dinaintea scadenței sunt negative. Ștergeți numele unui pas ca să-l eliminați; completați un rând gol ca să adăugați unul.
web-schedule-step-id = Nume
web-schedule-step-days = Zile față de scadență
web-schedule-step-unit = Numărate în
web-schedule-business = zile lucrătoare
web-schedule-calendar = zile calendaristice
web-schedule-step-tone = Ton
web-schedule-step-written = memento scris
web-schedule-step-suspend = Suspendare după (zile)
web-schedule-minimums = Nu trimite memento sub
web-schedule-currency = Moneda
web-schedule-amount = Suma
web-schedule-save = Salvează programul
web-tone-friendly = prietenos
web-tone-firm = ferm
web-tone-final_notice = ultimul memento
web-tone-suspension_warning = avertisment de suspendare
web-preview-title = Previzualizare
web-nav-preview = Mesaje
web-preview-show = Arată
web-preview-open-email = Deschide e-mailul așa cum arată
web-preview-segments = Părți SMS: { $segments }
web-nav-tokens = Chei API
web-nav-usage = Utilizare
web-tokens-title = Chei API
web-tokens-shown-once = Această cheie este afișată doar acum. Copiați-o în integrarea dumneavoastră; Duly păstrează doar amprenta ei.
web-tokens-rotate = Înlocuiește
web-tokens-revoke = Revocă
web-tokens-none = Nu există chei API.
web-tokens-label = Nume
web-tokens-create = Creează o cheie
web-usage-title = Utilizare
web-usage-reminders = Mesaje
web-usage-emails = E-mailuri
web-usage-segments = Părți SMS
web-nav-branding = Brand
web-branding-title = Brand
web-branding-domain = Domeniul expeditorului
web-branding-verified = Mementourile pleacă de la adresa dumneavoastră: domeniul este verificat.
web-branding-unverified = Până la verificarea domeniului, mementourile pleacă de la adresa Duly în numele dumneavoastră.
web-branding-verify = Verifică domeniul meu
web-branding-records = Publicați aceste înregistrări DNS; verificarea urmează în câteva ore:
web-branding-trading-name = Denumire comercială
web-branding-sender-name = Numele expeditorului
web-branding-from = Adresa expeditorului
web-branding-reply-to = Răspunsurile merg la
web-branding-logo = Logo (adresă https)
web-branding-colour = Culoarea brandului
web-branding-signature = Semnătură
web-branding-footer = Mențiuni legale
web-branding-sms-sender = Numele expeditorului SMS
web-branding-registry = Cod de înregistrare
web-branding-vat = Cod TVA
web-branding-address = Adresă
web-branding-domain-taken = Acest domeniu aparține altui cont Duly.
web-today-sent = Trimise recent
web-status-sent = trimis
web-status-partly_sent = trimis parțial
web-status-failed = eșuat
web-today-paid-since = plătit între timp
web-answer-resolve = Rezolvă disputa
web-answer-end-promise = Încheie promisiunea
web-answer-resume = Reia mementourile
web-sign-up-title = Începeți cu Duly
web-sign-up-company = Numele firmei
web-sign-up-country = Țara
web-sign-up-send = Trimiteți-mi un link de început
web-sign-up-offer = Nou în Duly? Începeți aici
web-sign-in-offer = Folosiți deja Duly? Conectați-vă
web-sign-in-with-xero = Conectați-vă cu Xero
web-sign-in-with-quickbooks = Conectați-vă cu Intuit
web-sign-in-or-email = sau prin e-mail
web-sign-up-invalid = Introduceți adresa de e-mail, numele firmei și țara.
web-nav-templates = Șabloane
web-templates-name = Șablon
web-templates-custom = Pentru această limbă se folosește formularea dvs.
web-templates-shipped = Se folosește formularea Duly; editați-o ca să fie a dvs.
web-templates-save = Salvați șablonul
web-templates-reset = Înapoi la formularea Duly
web-templates-preview = Vedeți în previzualizare
web-templates-title = Șabloane
web-templates-line = Rândul { $line }: { $reason } Nu s-a salvat nimic.
web-templates-yours = Șabloanele dvs.
web-connections-reconnect = Conectați din nou
web-connections-disconnect = Deconectați
web-connections-add = Conectați o platformă
web-connections-standard = Altă platformă (Standard Webhooks)
web-rule-days =
    { $unit ->
        [business] { $days ->
            [one] { $days } zi lucrătoare
            [few] { $days } zile lucrătoare
            *[other] { $days } de zile lucrătoare
        }
       *[calendar] { $days ->
            [one] { $days } zi
            [few] { $days } zile
            *[other] { $days } de zile
        }
    }
web-rule-before = cu { $span } înainte de scadență
web-rule-after = la { $span } după scadență
web-rule-on = în ziua scadenței
web-rule-group = programul grupului de clienți
web-rule-default = programul implicit
web-rule-moved = mutat de pe { $date } în următoarea zi lucrătoare
web-rule-deferred = mai târziu, pentru a păstra intervalul, limita săptămânală sau fereastra de trimitere
