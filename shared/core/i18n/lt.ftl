# Lietuvių. $what yra sąskaitos aprašymas (what-single / what-several), visada po dvitaškio.
days-count = { $days ->
    [one] { $days } dieną
    [few] { $days } dienas
   *[other] { $days } dienų
}
what-single = sąskaita { $number } ({ $amount })
what-several = { $count ->
    [one] { $count } neapmokėta sąskaita
    [few] { $count } neapmokėtos sąskaitos
   *[other] { $count } neapmokėtų sąskaitų
}, iš viso { $amount }
subject-before = Mokėjimo terminas { $due }: { $what }
subject-overdue = Priminimas apie mokėjimą: { $what }
subject-firm = Antras priminimas: { $what }
subject-final = Paskutinis priminimas: { $what }
subject-suspension = Paslaugų sustabdymas { $stop }: { $what }
subject-thanks = Dėkojame už mokėjimą
greeting = Laba diena, { $name },
body-before = Draugiškai primename, kad { $due } baigiasi mokėjimo terminas: { $what }.
body-before-2 = Jei jau sumokėjote, dėkojame ir prašome nekreipti dėmesio į šį laišką.
body-overdue = Dar negavome mokėjimo, kurio terminas buvo { $due } (vėluojama { days-count }): { $what }.
body-overdue-2 = Galbūt tai tiesiog liko nepastebėta. Būtume dėkingi, jei galėtumėte sumokėti artimiausiu metu.
body-firm = Mokėjimas vėluoja jau { days-count }: { $what }.
body-firm-2 = Prašome sumokėti arba atsakyti į šį laišką, jei kas nors trukdo, – rasime sprendimą kartu.
body-final = Nepaisant ankstesnių priminimų, mokėjimas vis dar negautas (vėluojama { days-count }): { $what }.
body-final-2 = Prašome sumokėti per 7 dienas arba susisiekti su mumis, jei dėl sąskaitos kilo klausimų. Mielai rasime sprendimą kartu su jumis.
body-suspension = Mokėjimas vis dar negautas (vėluojama { days-count }): { $what }.
body-suspension-2 = Jei mokėjimo negausime iki { $stop }, tą dieną turėsime sustabdyti jūsų paslaugas. Jos bus atnaujintos iš karto, kai sąskaita bus apmokėta.
body-suspension-3 = Jei mokėjimas jau pakeliui arba norite susitarti dėl mokėjimo grafiko, tiesiog atsakykite į šį laišką.
body-thanks = Ačiū! Gavome jūsų mokėjimą: { $what }.
body-thanks-2 = Visos sąskaitos apmokėtos. Vertiname mūsų bendradarbiavimą.
closing = Dėkojame už bendradarbiavimą.
sign-off = Pagarbiai
label-invoice = Sąskaita
label-due-date = Mokėjimo terminas
label-amount-due = Mokėtina suma
label-total = Iš viso mokėti
label-pay-now = Apmokėti
label-questions = Klausimai dėl sąskaitos? Rašykite
overdue-days = vėluojama { days-count }
answer-intro = Jau sumokėjote ar reikia daugiau laiko? Praneškite mums:
answer-paid = Jau sumokėjau
answer-promise = Sumokėsiu nurodytą dieną
answer-dispute = Ginčiju sąskaitą
unsubscribe = Nenorite priminimų iki mokėjimo termino? Atsisakyti
label-registry = Įmonės kodas
label-vat = PVM kodas
bank-transfer = Banko pavedimas: IBAN { $iban }; mokėjimo paskirtyje nurodykite sąskaitos numerį.
sms-what-single = sąskaita { $number }, { $amount }
sms-what-several = { $count ->
    [one] { $count } sąskaita
    [few] { $count } sąskaitos
   *[other] { $count } sąskaitų
}, { $amount }
sms-before = { $creditor }: primename, terminas { $due }: { $what }
sms-overdue = { $creditor }: terminas buvo { $due }: { $what }. Prašome sumokėti
sms-firm = { $creditor }: vėluojama { days-count }: { $what }. Prašome sumokėti
sms-final = { $creditor }: paskutinis priminimas: { $what }. Sumokėkite per 7 dienas
sms-suspension = { $creditor }: neapmokėta: { $what }. Paslaugos bus sustabdytos { $stop }
sms-thanks = { $creditor }: ačiū, mokėjimą gavome.
answer-title-paid = Jau sumokėjau
answer-title-promise = Sumokėsiu nurodytą dieną
answer-title-dispute = Ginčiju sąskaitą
answer-title-unsubscribe = Be priminimų iki termino
answer-ask-paid = Praneškite įmonei { $creditor }, kad jau sumokėjote: { $what }. Priminimai sustabdomi 7 dienoms, kol mokėjimas pasieks gavėją.
answer-ask-promise = Praneškite įmonei { $creditor }, iki kurios dienos sumokėsite: { $what }. Iki tol priminimų nebus.
answer-ask-dispute = Parašykite įmonei { $creditor }, kas negerai: { $what }. Priminimai sustabdomi, kol klausimas bus išnagrinėtas.
answer-ask-unsubscribe = Atsisakyti įmonės { $creditor } draugiškų priminimų iki mokėjimo termino. Priminimai apie vėluojančias sąskaitas bus siunčiami toliau.
answer-date = Mokėjimo data
answer-reason = Kas negerai?
answer-send = Siųsti
answer-done-paid = Ačiū! Įmonei { $creditor } pranešta, priminimai sustabdyti 7 dienoms.
answer-done-promise = Ačiū! Įmonei { $creditor } pranešta, kad sumokėsite iki { $date }.
answer-done-dispute = Ačiū! Įmonei { $creditor } pranešta, ji susisieks su jumis.
answer-done-unsubscribe = Atlikta. { $creditor } nebesiųs priminimų iki mokėjimo termino.
answer-invalid = Ši nuoroda neveikia. Naudokite nuorodą iš naujausio laiško arba atsakykite į laišką.
answer-expired = Šios nuorodos galiojimas baigėsi. Atsakykite į laišką.
answer-bad-date = Pasirinkite datą nuo šiandien iki 90 dienų į priekį.
statement-more = { $count ->
    [one] dar { $count } neapmokėta sąskaita
    [few] dar { $count } neapmokėtos sąskaitos
   *[other] dar { $count } neapmokėtų sąskaitų
}, iš viso { $amount }
label-see-all = Peržiūrėti visas neapmokėtas sąskaitas
statement-title = { $creditor }: neapmokėtos sąskaitos
statement-empty = Neapmokėtų sąskaitų nėra. Ačiū!
notify-answer-subject = { $debtor } atsakė: { $invoices }
notify-answer-paid = { $debtor } praneša, kad jau sumokėjo: { $invoices }. Priminimai sustabdyti iki { $date }.
notify-answer-promise = { $debtor } žada sumokėti iki { $date }: { $invoices }. Iki tol priminimų nebus.
notify-answer-dispute = { $debtor } ginčija: { $invoices }. Priežastis: „{ $reason }“. Priminimai sustabdyti, kol išspręsite klausimą Duly.
notify-answer-unsubscribe = { $debtor } nenori priminimų iki mokėjimo termino. Priminimai apie pradelstas sąskaitas bus siunčiami toliau.
notify-answer-footer = Duly pakoregavo priminimus; tai galite pakeisti Duly nustatymuose.
notify-revoked-subject = Duly nebegali skaityti duomenų: { $platform }
notify-revoked-body = { $platform } nebeleidžia Duly skaityti jūsų sąskaitų, todėl priminimai sustabdyti ir nė vienas nebus išsiųstas pagal pasenusį likutį. Norėdami juos atnaujinti, vėl prijunkite { $platform } prie Duly.
notify-sync-failing-subject = Duly negauna duomenų iš { $platform }
notify-sync-failing-body = Maždaug { $hours } val. Duly nepavyksta nuskaityti jūsų sąskaitų iš { $platform }. Priminimai laukia, kol likučiai vėl bus šviežūs, kad niekam nebūtų priminta apie jau apmokėtą sąskaitą. Duly bando toliau; jei { $platform } praneša apie ryšio problemą, prijunkite jį prie Duly iš naujo.
notify-bounced-subject = Laiškas klientui { $debtor } nepristatytas
notify-bounced-body = Priminimo klientui { $debtor } nepavyko pristatyti jo adresu, todėl Duly ten nebesiunčia laiškų. Pataisykite adresą savo apskaitos sistemoje; SMS vis dar siunčiamos, jei yra mobiliojo telefono numeris.
notify-complained-subject = { $debtor } pažymėjo priminimą kaip šlamštą
notify-complained-body = { $debtor } pranešė, kad priminimas nepageidaujamas, todėl Duly jam nebesiunčia laiškų. Galbūt verta su juo susisiekti patiems.
notify-dead-message-subject = Priminimo klientui { $debtor } nepavyko išsiųsti
notify-dead-message-body = Visi kanalai nepavyko net po pakartotinių bandymų, todėl šis priminimas neišsiųstas. Išsami informacija yra Duly nepavykusių įrašų sąraše; kitas grafiko žingsnis bandys dar kartą.
notify-dead-template-subject = Jūsų šablonas { $template } ({ $language }) nepavyko
notify-dead-template-body = Jūsų šablonas { $template } kalba { $language } nepavyko su tikru laišku, todėl Duly panaudojo standartinį tekstą. Peržiūrėkite šabloną ir išsaugokite jį iš naujo.
notify-dead-sync-subject = Duly nepavyko nuskaityti įrašo iš { $platform }
notify-dead-sync-body = Duly nustojo bandyti gauti { $entity } { $resource } iš { $platform }. Kitas kasdienis suderinimas jį nuskaitys dar kartą; jei jis ištrintas { $platform }, nieko daryti nereikia.
notify-digest-subject = Kas Duly laukia jūsų dėmesio ({ $count })
notify-digest-intro = Štai kas įvyko nuo paskutinės suvestinės.
notify-digest-more = Laukia kitos suvestinės: { $count }.
web-nav-today = Šiandien
web-nav-groups = Klientų grupės
web-nav-answers = Atsakymai
web-nav-connections = Prisijungimai
web-nav-notices = Pranešimai
web-sign-out = Atsijungti
web-sign-in-title = Prisijungti prie Duly
web-sign-in-email = Jūsų el. pašto adresas
web-sign-in-send = Atsiųsti prisijungimo nuorodą
web-sign-in-continue = Tęsti į Duly
web-sign-in-bad-email = Įveskite el. pašto adresą.
web-sign-in-sent = Jei { $email } gali prisijungti, nuoroda jau siunčiama. Ji veikia vieną kartą, 15 minučių.
web-sign-in-expired = Ši prisijungimo nuoroda nebegalioja arba jau panaudota. Paprašykite naujos.
web-sign-in-with-failed = { $platform } jūsų neprijungė. Bandykite dar kartą arba paprašykite nuorodos el. paštu.
web-sign-in-with-stranger = Jokia Duly paskyra nenaudoja { $email }. Paprašykite savo įmonės Duly administratoriaus jus pakviesti arba užsiregistruokite.
web-sign-in-mail-subject = Jūsų Duly prisijungimo nuoroda
web-sign-in-mail-body = Atidarykite šią nuorodą, kad prisijungtumėte prie Duly: { $link }

    Ji veikia vieną kartą, 15 minučių. Jei jos neprašėte, šio laiško nepaisykite.
web-today-title = Šiandien
web-today-planned = Bus išsiųsta per artimiausias 7 dienas
web-today-nothing = Per artimiausias 7 dienas nieko nebus išsiųsta.
web-today-answers = Naujausi klientų atsakymai
web-today-notices = Naujausi pranešimai
web-col-when = Kada
web-col-customer = Klientas
web-col-invoice = Sąskaita
web-col-step = Žingsnis
web-col-channels = Kanalai
web-col-why = Kodėl
web-col-what = Kas
web-groups-title = Klientų grupės
web-groups-none = Klientų grupių dar nėra. Grupės iš jūsų apskaitos sistemos atsiras čia po kito suderinimo.
web-group-on = Įjungta
web-group-off = Išjungta
web-group-switch-off = Išjungti
web-group-switch-on = Įjungti
web-group-steps-own = savi žingsniai
web-group-steps-default = jūsų numatytieji žingsniai
web-answers-title = Atsakymai
web-answers-none = Atsakymų dar nėra.
web-answer-paid = sako, kad apmokėjo
web-answer-promise = žada apmokėti
web-answer-dispute = ginčija
web-answer-unsubscribe = paprašė nesiųsti priminimų iki termino
web-connections-title = Prisijungimai
web-connections-none = Jokia apskaitos sistema neprijungta.
web-connection-ok = Prijungta; paskutinis suderinimas { $at }.
web-connection-first = Prijungta; vyksta pirmasis importas.
web-connection-revoked = { $platform } nutraukė Duly prieigą { $at }. Prijunkite iš naujo, kad priminimai tęstųsi.
web-connection-failing = Paskutiniai suderinimo bandymai ({ $attempts }) nepavyko; Duly bando toliau.
web-notices-title = Pranešimai
web-notices-none = Niekas nelaukia jūsų dėmesio.
web-dead-title = Nepavykę įrašai
web-debtor-open = Atviros sąskaitos
web-debtor-messages = Išsiųsti pranešimai
web-debtor-none = Nėra.
web-debtor-refused = Laiškai nebesiunčiami adresu: { $addresses }
web-csrf = Ši forma nebegalioja. Grįžkite, įkelkite puslapį iš naujo ir bandykite dar kartą.
web-not-found = Nerasta.
notify-open = Atidaryti Duly: { $link }
web-unavailable = Mūsų pusėje kažkas nepavyko. Bandykite dar kartą po minutės.
web-nav-team = Komanda
web-team-title = Kas gali prisijungti
web-team-you = jūs
web-team-remove = Pašalinti
web-team-add = Pakviesti
web-team-add-yourself = Įrašykite čia savo el. pašto adresą, kad galėtumėte prisijungti el. paštu atsiųsta nuoroda.
web-team-taken = Šis adresas jau naudojamas kitoje Duly paskyroje.
web-team-mail-subject = Dabar galite prisijungti prie Duly: { $creditor }
web-team-mail-body = Esate pakviesti į Duly, kuri siunčia { $creditor } mokėjimo priminimus. Prisijunkite nuoroda, atsiųsta šiuo adresu: { $link }
web-debtor-resume = Tęsti priminimus
web-debtor-pause = Sustabdyti priminimus
web-debtor-pause-until = Iki (neprivaloma)
web-debtor-pause-reason = Kodėl (neprivaloma, matote tik jūs)
web-debtor-place = Rašyti klientui
web-debtor-language = Kalba
web-debtor-country = Šalis (dvi raidės, šventėms)
web-debtor-time-zone = Laiko juosta
web-debtor-save = Išsaugoti
web-debtor-paused = Priminimai sustabdyti iki { $until }. { $reason }
web-bad-date = Įveskite datą formatu MMMM-MM-DD.
web-bad-zone = Duly nežino tokios laiko juostos (pavyzdžiui, Europe/Riga).
web-nav-schedule = Grafikas
web-schedule-title = Priminimų grafikas
web-schedule-error = Neišsaugota:
web-schedule-enabled = Priminimai įjungti
web-schedule-window-start = Siųsti nuo
web-schedule-window-end = Siųsti iki
web-schedule-gap = Valandos tarp laiškų vienam klientui
web-schedule-per-week = Laiškų klientui per savaitę
web-schedule-grace = Lengvatinės dienos po pažadėtos datos
web-schedule-steps = Žingsniai
web-schedule-steps-help = Dienos iki termino yra neigiamos. Norėdami pašalinti žingsnį, ištrinkite jo pavadinimą; norėdami pridėti, užpildykite tuščią eilutę.
web-schedule-step-id = Pavadinimas
web-schedule-step-days = Dienos nuo termino
web-schedule-step-unit = Skaičiuojama
web-schedule-business = darbo dienomis
web-schedule-calendar = kalendorinėmis dienomis
web-schedule-step-tone = Tonas
web-schedule-step-written = raštiškas priminimas
web-schedule-step-suspend = Sustabdymas po (dienų)
web-schedule-minimums = Nepriminti, jei suma mažesnė nei
web-schedule-currency = Valiuta
web-schedule-amount = Suma
web-schedule-save = Išsaugoti grafiką
web-tone-friendly = draugiškas
web-tone-firm = griežtas
web-tone-final_notice = paskutinis priminimas
web-tone-suspension_warning = įspėjimas apie sustabdymą
web-preview-title = Peržiūra
web-nav-preview = Pranešimai
web-preview-show = Rodyti
web-preview-open-email = Atidaryti laišką, kaip jis atrodo
web-preview-segments = SMS dalys: { $segments }
web-nav-tokens = API raktai
web-nav-usage = Naudojimas
web-tokens-title = API raktai
web-tokens-shown-once = Šis raktas rodomas tik dabar. Nukopijuokite jį į savo integraciją; Duly saugo tik jo atspaudą.
web-tokens-rotate = Pakeisti
web-tokens-revoke = Atšaukti
web-tokens-none = API raktų nėra.
web-tokens-label = Pavadinimas
web-tokens-create = Sukurti raktą
web-usage-title = Naudojimas
web-usage-reminders = Pranešimai
web-usage-emails = Laiškai
web-usage-segments = SMS dalys
web-nav-branding = Prekės ženklas
web-branding-title = Prekės ženklas
web-branding-domain = Siuntėjo domenas
web-branding-verified = Priminimai siunčiami jūsų adresu: domenas patvirtintas.
web-branding-unverified = Kol domenas nepatvirtintas, priminimai siunčiami Duly adresu jūsų vardu.
web-branding-verify = Patvirtinti domeną
web-branding-records = Paskelbkite šiuos DNS įrašus; patvirtinimas įvyks per kelias valandas:
web-branding-trading-name = Prekybinis pavadinimas
web-branding-sender-name = Siuntėjo vardas
web-branding-from = Siuntėjo adresas
web-branding-reply-to = Atsakymai siunčiami
web-branding-logo = Logotipas (https adresas)
web-branding-colour = Prekės ženklo spalva
web-branding-signature = Parašas
web-branding-footer = Teisinė informacija
web-branding-sms-sender = SMS siuntėjo vardas
web-branding-registry = Registro kodas
web-branding-vat = PVM kodas
web-branding-address = Adresas
web-branding-domain-taken = Šis domenas priklauso kitai Duly paskyrai.
web-today-sent = Neseniai išsiųsta
web-status-sent = išsiųsta
web-status-partly_sent = išsiųsta iš dalies
web-status-failed = nepavyko
web-today-paid-since = apmokėta po to
web-answer-resolve = Išspręsti ginčą
web-answer-end-promise = Baigti pažadą
web-answer-resume = Tęsti priminimus
web-sign-up-title = Pradėti su Duly
web-sign-up-company = Įmonės pavadinimas
web-sign-up-country = Šalis
web-sign-up-send = Atsiųsti pradžios nuorodą
web-sign-up-offer = Naujas Duly naudotojas? Pradėkite čia
web-sign-in-offer = Jau naudojate Duly? Prisijunkite
web-sign-in-with-xero = Prisijungti su Xero
web-sign-in-with-quickbooks = Prisijungti su Intuit
web-sign-in-or-email = arba el. paštu
web-sign-up-invalid = Įveskite el. pašto adresą, įmonės pavadinimą ir šalį.
web-nav-templates = Šablonai
web-templates-name = Šablonas
web-templates-custom = Šiai kalbai naudojama jūsų formuluotė.
web-templates-shipped = Naudojama Duly formuluotė; redaguokite ją, kad būtų jūsų.
web-templates-save = Išsaugoti šabloną
web-templates-reset = Grįžti prie Duly formuluotės
web-templates-preview = Žiūrėti peržiūroje
web-templates-title = Šablonai
web-templates-line = { $line } eilutė: { $reason } Niekas neišsaugota.
web-templates-yours = Jūsų šablonai
web-connections-reconnect = Prijungti iš naujo
web-connections-disconnect = Atjungti
web-connections-add = Prijungti platformą
web-connections-standard = Kita platforma (Standard Webhooks)
web-rule-days =
    { $unit ->
        [business] { $days ->
            [one] { $days } darbo diena
            [few] { $days } darbo dienos
            [many] { $days } darbo dienos
            *[other] { $days } darbo dienų
        }
       *[calendar] { $days ->
            [one] { $days } diena
            [few] { $days } dienos
            [many] { $days } dienos
            *[other] { $days } dienų
        }
    }
web-rule-before = { $span } iki mokėjimo termino
web-rule-after = { $span } po mokėjimo termino
web-rule-on = mokėjimo termino dieną
web-rule-group = klientų grupės grafikas
web-rule-default = numatytasis grafikas
web-rule-moved = perkelta iš { $date } į kitą darbo dieną
web-rule-deferred = vėliau, kad būtų išlaikytas tarpas, savaitės riba ar siuntimo laikas
web-nav-customers = Klientai
web-customers-search = Vardas, el. paštas ar sąskaitos numeris
web-customers-find = Ieškoti
web-customers-none = Nė vienas klientas su atviromis sąskaitomis neatitinka.
web-customers-invoices = Atviros sąskaitos
web-customers-due = Skola
web-customers-earliest = Seniausias mokėjimo terminas
web-customers-paused = sustabdyta
web-customers-title = Klientai
web-customers-more = Rodoma { $shown } iš { $matched }; patikslinkite paiešką.
web-today-collected = Apmokėta po priminimo, paskutinės 30 dienų
web-today-collected-count = Apmokėtos sąskaitos
web-today-collected-none = Per paskutines 30 dienų po priminimo niekas neapmokėta.
web-col-reminded = Priminta
web-col-paid = Apmokėta
web-col-amount = Suma
charges-title = Delspinigiai ir kompensacija { $date }
charges-interest = Palūkanos
charges-compensation = Išieškojimo išlaidų kompensacija
charges-note = Pagal pavėluotų mokėjimų reglamentavimą ({ $country }); neįtraukta į aukščiau nurodytą mokėtiną sumą.
settlement-offer = Sumokėkite { $amount } iki { $date } ir ši sąskaita bus laikoma visiškai apmokėta.
notify-settled-subject = Sąskaita { $invoice } padengta: užregistruokite nurašymą
notify-settled-body = { $debtor } sumokėjo { $paid } pagal sąskaitą { $invoice } iki { $date }, kaip numatė jūsų pasiūlymas. Duly sąskaitą uždarė ir daugiau priminimų nesiųs. Likusius { $rest } užregistruokite kaip nurašymą savo apskaitos platformoje.
