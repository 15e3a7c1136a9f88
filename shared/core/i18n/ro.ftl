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
web-resolve = Rezolvă disputa
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
